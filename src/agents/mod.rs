//! The agents that already exist: select them by routing profile, security
//! profile, hierarchy or login; read them as [`roster::Agent`]s (by
//! SearchUsers pages, [`snapshot`]); list them; change any of their
//! settings for many at once (`agents set`) or to what an edited file says
//! (`agents edit`) through the batch runner — one model of the wanted
//! fields ([`wanted`]), one plan ([`edit_plan`]), one turn per agent
//! ([`edit_turn`]), each agent read again right before it is decided
//! ([`freshness`]); export them as a filled template; remove them, after a
//! backup that brings them back ([`remove`]).

pub mod directory;
pub mod edit_calls;
pub mod edit_file;
pub mod edit_plan;
pub mod edit_progress;
pub mod edit_turn;
pub mod export;
pub mod fields;
pub mod freshness;
pub mod listing;
pub mod login_file;
pub mod remove;
pub mod remove_backup;
pub mod remove_read;
pub mod remove_turn;
pub mod roster;
pub mod select;
pub mod set;
pub mod snapshot;
pub mod wanted;

use std::sync::Arc;

use crate::connect::ConnectApi;
use roster::Agent;
use select::Selection;
pub use snapshot::{Phase, Want};

/// What the users of a selection were found by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoundBy {
    /// Every user of the instance, by SearchUsers pages.
    Everyone,
    /// The routing profile, security profile or hierarchy group, by
    /// SearchUsers pages.
    Criteria,
    /// Logins only: each one named is found, or is an error.
    Logins,
}

/// The selected users as agents, sorted by login, and how they were read.
#[derive(Debug, Clone)]
pub struct Agents {
    pub agents: Vec<Agent>,
    /// How many are as a SearchUsers page showed them.
    pub searched: usize,
    /// How many were read with DescribeUser.
    pub described: usize,
    /// What SearchUsers found the users by.
    pub found_by: FoundBy,
    /// Logins the search showed that no longer exist: left out.
    pub gone: Vec<String>,
    /// Logins whose current read no longer meets the selection's criteria
    /// (moved out since the search): left out.
    pub moved_out: Vec<String>,
    /// The selection's criteria, to test a user read later against them.
    pub criteria: select::Criteria,
    /// The instance's names, with every group of the agents described.
    pub directory: directory::Directory,
}

impl Agents {
    /// What the reading can and cannot vouch for, as a closing line.
    pub fn closing_line(&self) -> String {
        let n = self.agents.len();
        let agents = crate::output::plural(n, "agent");
        let mut line = if self.searched == 0 {
            let found = match self.found_by {
                FoundBy::Everyone => {
                    "; the users were found through SearchUsers, whose answers \
                     can lag: one created in the last seconds may be missing"
                }
                FoundBy::Criteria => {
                    "; the selectors' users were found through SearchUsers, \
                     whose answers can lag: one that came into the selection in the last seconds \
                     may be missing"
                }
                FoundBy::Logins => "",
            };
            format!("read each of the {agents} with DescribeUser{found}")
        } else if self.described == 0 {
            format!(
                "read the {agents} from SearchUsers pages, whose answers can lag changes made \
                 in the last seconds (sometimes minutes); --consistent reads each agent with \
                 DescribeUser (one call an agent)"
            )
        } else {
            format!(
                "read {} of the {agents} from SearchUsers pages, whose answers can lag changes \
                 made in the last seconds (sometimes minutes), the other {} with DescribeUser; \
                 --consistent reads each agent with DescribeUser (one call an agent)",
                self.searched, self.described
            )
        };
        for (logins, what) in [
            (&self.gone, "that no longer exist"),
            (&self.moved_out, "that no longer match the selection"),
        ] {
            if !logins.is_empty() {
                let shown: Vec<&str> = logins.iter().take(10).map(String::as_str).collect();
                line.push_str(&format!(
                    "; left out {} the search still showed {what}: {}{}",
                    logins.len(),
                    shown.join(", "),
                    if logins.len() > 10 { ", …" } else { "" }
                ));
            }
        }
        line
    }
}

/// Selects the users and reads them as agents. `progress` hears how far
/// each phase is (for a progress display).
pub async fn read_agents(
    api: &Arc<dyn ConnectApi>,
    selection: &Selection,
    want: Want,
    parallel: usize,
    progress: &(dyn Fn(Phase, usize, usize) + Sync),
) -> anyhow::Result<Agents> {
    let directory = select::read_directory(api, selection.hierarchy.is_some()).await?;
    read_agents_in(api, directory, selection, want, parallel, progress).await
}

/// [`read_agents`] with the directory already read (its hierarchy groups
/// listed when the selection names a hierarchy): a command that resolves
/// names of its own first reads the lists once.
pub async fn read_agents_in(
    api: &Arc<dyn ConnectApi>,
    directory: directory::Directory,
    selection: &Selection,
    want: Want,
    parallel: usize,
    progress: &(dyn Fn(Phase, usize, usize) + Sync),
) -> anyhow::Result<Agents> {
    let (resolved, mut directory) = select::resolve_in(api, directory, selection, parallel).await?;
    let snapshot = snapshot::read(api, &resolved, want, parallel, progress).await?;
    let found_by = if resolved.query != crate::connect::UserQuery::default() {
        FoundBy::Criteria
    } else if resolved.logins.is_empty() {
        FoundBy::Everyone
    } else {
        FoundBy::Logins
    };
    let agents = roster::name(api, snapshot.users, &mut directory, parallel).await?;
    let criteria = select::Criteria {
        query: resolved.query,
        groups: directory.groups.clone(),
    };
    // A user read with DescribeUser may have left the criteria since the
    // search found it.
    let (agents, moved_out): (Vec<Agent>, Vec<Agent>) = agents
        .into_iter()
        .partition(|agent| criteria.check(&agent.user.fields).is_ok());
    Ok(Agents {
        agents,
        searched: snapshot.searched,
        described: snapshot.described.saturating_sub(moved_out.len()),
        found_by,
        gone: snapshot.gone,
        moved_out: moved_out.iter().map(|a| a.login().to_string()).collect(),
        criteria,
        directory,
    })
}
