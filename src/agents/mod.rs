//! The agents that already exist: select them by routing profile, security
//! profile, hierarchy or login; read them as [`roster::Agent`]s (by
//! SearchUsers pages, [`snapshot`]); list them; switch persistent
//! connection and audio enhancement for many at once through the batch
//! runner, each agent read again right before it is decided
//! ([`freshness`]); export them as a filled template.

pub mod directory;
pub mod export;
pub mod export_file;
pub mod freshness;
pub mod listing;
pub mod roster;
pub mod select;
pub mod set;
pub mod set_turn;
pub mod snapshot;

use std::sync::Arc;

use crate::connect::ConnectApi;
use roster::Agent;
use select::Selection;
pub use snapshot::{Phase, Want};

/// The selected users as agents, sorted by login, and how they were read.
#[derive(Debug, Clone)]
pub struct Agents {
    pub agents: Vec<Agent>,
    /// How many are as a SearchUsers page showed them.
    pub searched: usize,
    /// How many were read with DescribeUser.
    pub described: usize,
    /// Whether the selectors (or every user) were found through SearchUsers.
    pub selected_by_search: bool,
    /// Logins the search showed that no longer exist: left out.
    pub gone: Vec<String>,
    /// Logins whose current read no longer meets the selection's criteria
    /// (moved out since the search): left out.
    pub moved_out: Vec<String>,
    /// The selection's criteria, to test a user read later against them.
    pub criteria: select::Criteria,
}

impl Agents {
    /// What the reading can and cannot vouch for, as a closing line.
    pub fn closing_line(&self) -> String {
        let n = self.agents.len();
        let agents = if n == 1 { "agent" } else { "agents" };
        let mut line = if self.searched == 0 {
            let mut line = format!("read each of the {n} {agents} with DescribeUser");
            if self.selected_by_search {
                line.push_str(
                    "; which users the selection holds came from SearchUsers, whose answers \
                     can lag changes made in the last seconds",
                );
            }
            line
        } else if self.described == 0 {
            format!(
                "read the {n} {agents} from SearchUsers pages, whose answers can lag changes made \
                 in the last seconds (sometimes minutes); --consistent reads each agent with \
                 DescribeUser (one call an agent)"
            )
        } else {
            format!(
                "read {} of the {n} {agents} from SearchUsers pages, whose answers can lag changes \
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
    let (resolved, mut directory) = select::resolve(api, selection, parallel).await?;
    let snapshot = snapshot::read(api, &resolved, want, parallel, progress).await?;
    let selected_by_search =
        resolved.logins.is_empty() || resolved.query != crate::connect::UserQuery::default();
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
        selected_by_search,
        gone: snapshot.gone,
        moved_out: moved_out.iter().map(|a| a.login().to_string()).collect(),
        criteria,
    })
}
