//! `agents remove`: offboard agents in bulk. The plan is the selected users
//! as DescribeUser showed them, which is also what the backup holds: each
//! is removed (one DeleteUser) only if a read right before its delete
//! still shows it so ([`super::remove_turn`]). Logins no user has are
//! `absent`; users named by login that the other selectors leave out are
//! `skipped`. Users holding a security profile named Admin stop the run
//! before anything is written, unless `--including-admins` is given.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::export::{self, Export};
use super::remove_read::{AbsentLogin, Selected};
use super::remove_turn::RemovalTurn;
use super::roster::Agent;
use super::select::Criteria;
use crate::connect::patience::Patience;
use crate::identity::Identity;
use crate::output::terminal_text::cell;
use crate::run::outcome::{Outcome, RowOutcome};
use crate::run::Job;

/// The name of Amazon Connect's built-in security profile with every
/// permission.
pub const ADMIN: &str = "Admin";

/// Whether a security profile's name is Admin's: the name `Admin`, in any
/// case and without surrounding spaces. Refusing a look-alike (`admin`)
/// errs on the safe side; a name that only contains the word (`CC Admin`,
/// `Admin Lite`) is another profile, whose permissions the name does not
/// tell, and names are exact everywhere else in the tool.
pub fn is_admin(name: &str) -> bool {
    name.trim().eq_ignore_ascii_case(ADMIN)
}

/// Whether an agent holds a security profile named Admin.
pub fn holds_admin(agent: &Agent) -> bool {
    agent.security_profiles.iter().any(|name| is_admin(name))
}

/// What a removal will do, user by user.
pub struct RemovePlan {
    /// The users to remove, by login, as read.
    pub agents: Vec<Agent>,
    pub absent: Vec<AbsentLogin>,
    /// Users named by login that the other selectors leave out, with why.
    pub outside: Vec<(Agent, String)>,
    /// Users the search showed but DescribeUser found gone or moved out.
    pub left_out: Vec<String>,
    /// `--including-admins`: Admin holders are removed too.
    pub including_admins: bool,
    criteria: Arc<Criteria>,
    admin_profiles: Arc<BTreeSet<String>>,
}

/// The plan for what a selection read.
pub fn plan(selected: Selected, including_admins: bool) -> RemovePlan {
    RemovePlan {
        agents: selected.agents,
        absent: selected.absent,
        outside: selected.outside,
        left_out: selected.left_out,
        including_admins,
        criteria: Arc::new(selected.criteria),
        admin_profiles: Arc::new(selected.admin_profiles),
    }
}

impl RemovePlan {
    /// The logins of the selected users holding Admin.
    pub fn admins(&self) -> Vec<&str> {
        self.agents
            .iter()
            .filter(|a| holds_admin(a))
            .map(Agent::login)
            .collect()
    }

    /// Why the run must not go on: Admin holders without `--including-admins`.
    pub fn refusal(&self) -> Option<String> {
        let admins = self.admins();
        if admins.is_empty() || self.including_admins {
            return None;
        }
        let n = admins.len();
        let shown: Vec<&str> = admins.iter().take(10).copied().collect();
        let more = if n > 10 { ", …" } else { "" };
        let (who, verb) = match n {
            1 => ("1 of the selected agents".to_string(), "holds"),
            n => (format!("{n} of the selected agents"), "hold"),
        };
        Some(format!(
            "{who} {verb} the security profile {ADMIN}: {}{more}; agents \
             remove does not remove administrators unless --including-admins is given. To remove \
             only the others, narrow the selection (or take them out of the file); nothing was \
             removed",
            shown.join(", ")
        ))
    }

    /// How many users the run deletes.
    pub fn to_remove(&self) -> usize {
        self.agents.len()
    }

    /// The backup: the users to remove as the instance's template, as
    /// `agents export` writes it.
    pub fn backup(&self, identity: Identity) -> Export {
        export::export(&self.agents, identity, identity)
    }

    /// The review: every user the selection names and what happens to it,
    /// then the counts.
    pub fn review(&self, width: Option<u16>) -> String {
        let mut out = String::new();
        let mut table = crate::output::styled_table(width);
        table.set_header([
            "user login",
            "name",
            "routing profile",
            "security profiles",
            "plan",
        ]);
        let row = |agent: &Agent, plan: String| {
            vec![
                cell(agent.login()),
                cell(agent.name()),
                cell(&agent.routing_profile),
                cell(agent.security_profiles.join("|")),
                cell(plan),
            ]
        };
        for agent in &self.agents {
            let plan = match (holds_admin(agent), self.including_admins) {
                (false, _) => "remove".to_string(),
                (true, true) => format!("remove (holds {ADMIN}: --including-admins)"),
                (true, false) => format!("refused: holds {ADMIN} (--including-admins)"),
            };
            table.add_row(row(agent, plan));
        }
        for (agent, why) in &self.outside {
            table.add_row(row(agent, format!("skipped: not selected: {why}")));
        }
        for absent in &self.absent {
            let login = &absent.login;
            let shown = match login.shown() {
                true => login.login.clone(),
                false => login.describe(),
            };
            table.add_row(vec![
                cell(shown),
                cell(""),
                cell(""),
                cell(""),
                cell(format!("absent: no user has this login{}", absent.closest)),
            ]);
        }
        if table.row_count() > 0 {
            out.push_str(&table.to_string());
            out.push('\n');
        }
        out.push_str(&format!(
            "{} to remove, {} absent (no such user), {} skipped",
            self.agents.len(),
            self.absent.len(),
            self.outside.len()
        ));
        let admins = self.admins().len();
        if admins > 0 {
            out.push_str(&format!(
                "; {admins} {} the security profile {ADMIN}{}",
                if admins == 1 { "holds" } else { "hold" },
                if self.including_admins {
                    ""
                } else {
                    ": nothing is removed without --including-admins"
                }
            ));
        }
        out.push('\n');
        out.push_str(
            "(as DescribeUser shows them now; each agent is read again right before its delete, \
             and removed only if it is still as shown here, which is what the backup holds)\n",
        );
        out
    }

    /// The planned removals, for `--format json`.
    pub fn planned_json(&self) -> Vec<serde_json::Value> {
        self.agents
            .iter()
            .map(|agent| {
                serde_json::json!({
                    "user_login": agent.login(),
                    "user_id": agent.user.id,
                    "name": agent.name(),
                    "routing_profile": agent.routing_profile,
                    "security_profiles": agent.security_profiles,
                    "admin": holds_admin(agent),
                })
            })
            .collect()
    }

    /// The batch: a turn per user to remove; the absent logins and the
    /// users left out as settled rows. `lines` numbers the rows with their
    /// line in the `--file` (by lower-cased login).
    pub fn into_job(
        self,
        instance_label: &str,
        patience: Patience,
        lines: &BTreeMap<String, u64>,
    ) -> Job<RemovalTurn> {
        let question = match self.agents.len() {
            1 => format!(
                "Remove 1 agent from instance {instance_label}? Only the backup can bring it \
                 back, as a new user."
            ),
            n => format!(
                "Remove {n} agents from instance {instance_label}? Only the backup can bring them \
                 back, as new users."
            ),
        };
        let line_of = |login: &str| lines.get(&login.to_lowercase()).copied();
        let mut settled = Vec::new();
        for absent in &self.absent {
            let login = &absent.login;
            let (user_login, line) = match &login.origin {
                super::login_file::Origin::File { line, shown, .. } => (
                    if *shown {
                        login.login.clone()
                    } else {
                        String::new()
                    },
                    Some(*line),
                ),
                super::login_file::Origin::Flag => (login.login.clone(), None),
            };
            let reason = match login.shown() {
                true => format!("no user has this login{}", absent.closest),
                false => "no user has the login of this row (not shown: the row's password cell \
                          holds no valid password, so its cells may be shifted and this one may \
                          be the password)"
                    .to_string(),
            };
            settled.push(RowOutcome {
                line,
                user_login,
                outcome: Outcome::Absent { reason },
            });
        }
        for (agent, why) in &self.outside {
            settled.push(RowOutcome {
                line: line_of(agent.login()),
                user_login: agent.login().to_string(),
                outcome: Outcome::Skipped {
                    reason: format!("not selected: {why}; not removed"),
                },
            });
        }
        let changes = self
            .agents
            .into_iter()
            .map(|agent| {
                let line = line_of(agent.login());
                RemovalTurn::new(
                    agent,
                    line,
                    self.criteria.clone(),
                    self.admin_profiles.clone(),
                    self.including_admins,
                    patience,
                )
            })
            .collect();
        Job {
            settled,
            changes,
            question,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_is_the_name_admin_in_any_case() {
        for name in ["Admin", "admin", "ADMIN", " Admin "] {
            assert!(is_admin(name), "{name:?}");
        }
        for name in ["Admins", "CC Admin", "Admin Lite", "Agent", "Adm in", ""] {
            assert!(!is_admin(name), "{name:?}");
        }
    }
}
