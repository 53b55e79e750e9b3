//! The plan of `agents set` and `agents edit`: each agent with what it is
//! wanted to hold ([`WantedFields`]) and the decision for each field, from
//! what the plan read; the review (`field: before → after`, changes first,
//! then the agents left alone, then the counts); and the batch, one
//! [`EditTurn`] per agent, taken in a random order so that two runs
//! started together rarely reach the same agent at the same moment.

use std::sync::Arc;

use rand::seq::SliceRandom;
use serde_json::json;

use super::edit_progress::left_alone;
use super::edit_turn::{Context, EditTurn};
use super::fields::{describe, show, FieldChange};
use super::freshness::Decision;
use super::roster::Agent;
use super::wanted::{FieldDecisions, WantedFields};
use crate::output::terminal_text::cell;
use crate::run::outcome::{Outcome, RowOutcome};
use crate::run::Job;

/// One agent and what the plan decided for it.
pub struct PlannedAgent {
    pub agent: Agent,
    pub wanted: Arc<WantedFields>,
    pub fields: FieldDecisions,
    /// The line of the file that names the agent, if one does.
    pub line: Option<u64>,
}

impl PlannedAgent {
    /// Decides `wanted` for the agent as the plan read it.
    pub fn new(agent: Agent, wanted: Arc<WantedFields>, line: Option<u64>) -> PlannedAgent {
        PlannedAgent {
            fields: wanted.decide(&agent.user.fields),
            agent,
            wanted,
            line,
        }
    }

    /// The fields to change, in call order.
    pub fn changes(&self) -> Vec<FieldChange> {
        self.fields
            .iter()
            .filter_map(|(field, decision)| match decision {
                Decision::Change(t) => Some(FieldChange {
                    field: field.clone(),
                    before: t.before.clone(),
                    after: t.after.clone(),
                }),
                _ => None,
            })
            .collect()
    }

    /// The agent as a whole: changed, left alone (with the reasons), or
    /// already so.
    pub fn decision(&self) -> Decision<()> {
        let mut skipped = Vec::new();
        for decision in self.fields.values() {
            match decision {
                Decision::Change(_) => return Decision::Change(()),
                Decision::Skipped(why) if !skipped.contains(why) => skipped.push(why.clone()),
                _ => {}
            }
        }
        if skipped.is_empty() {
            Decision::Unchanged
        } else {
            Decision::Skipped(skipped.join("; "))
        }
    }
}

/// Every agent decided, in login order (file order for `agents edit`).
pub struct EditPlan {
    pub agents: Vec<PlannedAgent>,
    pub context: Arc<Context>,
}

impl EditPlan {
    /// How many agents the plan changes, leaves unchanged, and skips.
    pub fn counts(&self) -> (usize, usize, usize) {
        let mut counts = (0, 0, 0);
        for planned in &self.agents {
            match planned.decision() {
                Decision::Change(()) => counts.0 += 1,
                Decision::Unchanged => counts.1 += 1,
                Decision::Skipped(_) => counts.2 += 1,
            }
        }
        counts
    }

    /// The agents whose change the service would refuse (no security
    /// profile left, more than ten, more than fifty tags): `login: why`.
    pub fn problems(&self) -> Vec<String> {
        self.agents
            .iter()
            .filter_map(|p| {
                let problem = p.wanted.problem(&p.agent.user.fields, &p.fields)?;
                Some(format!("{}: {problem}", p.agent.login()))
            })
            .collect()
    }

    /// The planned changes, for `--format json`.
    pub fn planned_json(&self) -> Vec<serde_json::Value> {
        let namer = &self.context.namer;
        self.agents
            .iter()
            .filter(|p| matches!(p.decision(), Decision::Change(())))
            .map(|p| {
                let changes = p.changes();
                let fields: Vec<serde_json::Value> = changes
                    .iter()
                    .map(|c| {
                        json!({
                            "field": c.field.name(),
                            "before": show(&c.field, &c.before, namer),
                            "after": show(&c.field, &c.after, namer),
                        })
                    })
                    .collect();
                let mut value = json!({
                    "user_login": p.agent.login(),
                    "user_id": p.agent.user.id,
                    "change": describe(&changes, namer),
                    "fields": fields,
                });
                if let Some(line) = p.line {
                    value["line"] = line.into();
                }
                value
            })
            .collect()
    }

    /// The batch. For a run, every agent is a row that reads the agent
    /// again before its outcome, taken in a random order; for a dry run
    /// (`check` false) the unchanged and skipped agents are settled rows as
    /// the plan saw them.
    pub fn into_job(self, instance_label: &str, check: bool) -> Job<EditTurn> {
        let n = self.counts().0;
        let question = format!(
            "Change {} in instance {instance_label}?",
            crate::output::plural(n, "agent")
        );
        let context = self.context;
        let mut settled = Vec::new();
        let mut changes = Vec::new();
        for planned in self.agents {
            let row = |outcome| RowOutcome {
                line: planned.line,
                user_login: planned.agent.login().to_string(),
                outcome,
            };
            match (planned.decision(), check) {
                (Decision::Unchanged, false) => settled.push(row(Outcome::Unchanged {
                    user_id: planned.agent.user.id.clone(),
                    user_arn: planned.agent.user.arn.clone(),
                })),
                (Decision::Skipped(reason), false) => {
                    settled.push(row(Outcome::Skipped { reason }))
                }
                _ => {
                    let PlannedAgent {
                        agent,
                        wanted,
                        fields,
                        line,
                    } = planned;
                    let mut turn = EditTurn::new(agent, fields, wanted, context.clone());
                    turn.at_line(line);
                    changes.push(turn);
                }
            }
        }
        changes.shuffle(&mut rand::rng());
        Job {
            settled,
            changes,
            question,
        }
    }

    /// The review: changes first, then the agents left alone, then the counts.
    pub fn review(&self, width: Option<u16>) -> String {
        let namer = &self.context.namer;
        let mut out = String::new();
        let lines = self.agents.iter().any(|p| p.line.is_some());
        let changed = self
            .agents
            .iter()
            .filter(|p| matches!(p.decision(), Decision::Change(())))
            .map(|p| {
                let skipped = p.fields.iter().filter_map(|(field, d)| match d {
                    Decision::Skipped(why) => Some((field, why)),
                    _ => None,
                });
                (p, describe(&p.changes(), namer) + &left_alone(skipped))
            });
        let skipped = self.agents.iter().filter_map(|p| match p.decision() {
            Decision::Skipped(reason) => Some((p, format!("skipped: {reason}"))),
            _ => None,
        });
        let rows: Vec<(&PlannedAgent, String)> = changed.chain(skipped).collect();
        if !rows.is_empty() {
            let mut table = crate::output::styled_table(width);
            let mut header = vec!["user login", "name", "phone", "routing profile", "plan"];
            if lines {
                header.insert(0, "line");
            }
            table.set_header(header);
            for (planned, plan) in rows {
                let agent = &planned.agent;
                let mut cells = vec![
                    cell(agent.login()),
                    cell(agent.name()),
                    cell(agent.phone_type().template_name()),
                    cell(&agent.routing_profile),
                    cell(plan),
                ];
                if lines {
                    let line = planned.line.map(|l| l.to_string()).unwrap_or_default();
                    cells.insert(0, cell(line));
                }
                table.add_row(cells);
            }
            out.push_str(&table.to_string());
            out.push('\n');
        }
        let (change, unchanged, skipped) = self.counts();
        out.push_str(&format!(
            "{change} to change, {unchanged} unchanged (already so), {skipped} skipped\n"
        ));
        out.push_str(
            "(as the plan read them, which can lag: each agent is read again right before its \
             turn, and its outcome is what it holds then)\n",
        );
        out
    }
}
