//! Reading the agents a selection names, for `agents list`, `set` and
//! `export`, on a connection.

use crate::agents::roster::Agent;
use crate::agents::select::Selection;
use crate::terminal::Counter;

use super::explain::explain_any;
use super::Connection;

/// The selected users as agents (`agents list`, `set` and `export`), with a
/// count on a terminal once reading them takes a while.
pub async fn read_agents(
    connection: &Connection,
    selection: &Selection,
    interactive: bool,
) -> anyhow::Result<Vec<Agent>> {
    let counter = Counter::new("describing", interactive);
    crate::agents::read_agents(
        &connection.api,
        selection,
        connection.pacing.concurrency,
        &|done, total| counter.tick(done, total),
    )
    .await
    .map_err(|err| explain_any(err, &connection.target))
}
