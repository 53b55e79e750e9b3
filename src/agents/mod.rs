//! The agents that already exist: select them by routing profile, security
//! profile, hierarchy or login; read them as [`roster::Agent`]s; list them;
//! switch persistent connection and audio enhancement for many at once
//! through the batch runner; export them as a filled template.

pub mod directory;
pub mod export;
pub mod freshness;
pub mod listing;
pub mod login_file;
pub mod roster;
pub mod select;
pub mod set;

use std::sync::Arc;

use crate::connect::ConnectApi;
use roster::Agent;
use select::Selection;

/// Selects the users and reads them as agents. `described` hears how many
/// users have been described so far (for a progress display).
pub async fn read_agents(
    api: &Arc<dyn ConnectApi>,
    selection: &Selection,
    parallel: usize,
    described: &(dyn Fn(usize, usize) + Sync),
) -> anyhow::Result<Vec<Agent>> {
    let (users, mut directory) = select::select(api, selection, parallel).await?;
    let total = users.len();
    let agents = roster::fetch(api, &users, &mut directory, parallel, &|done| {
        described(done, total)
    })
    .await?;
    Ok(agents)
}
