//! Reading the agents a selection names, for `agents list`, `set`, `edit`
//! and `export`, on a connection.

use crate::agents::directory::Directory;
use crate::agents::select::Selection;
use crate::agents::{Agents, Phase, Want};
use crate::terminal::Counter;

use super::explain::explain_any;
use super::Connection;

/// The selected users as agents (`agents list`, `set` and `export`), with a
/// count on a terminal once reading them takes a while.
pub async fn read_agents(
    connection: &Connection,
    selection: &Selection,
    want: Want,
    interactive: bool,
) -> anyhow::Result<Agents> {
    let directory =
        crate::agents::select::read_directory(&connection.api, selection.hierarchy.is_some())
            .await
            .map_err(|err| explain_any(err, &connection.target))?;
    read_agents_in(connection, directory, selection, want, interactive).await
}

/// [`read_agents`] with the instance's names already read (`agents set`
/// and `agents edit` resolve names of their own first).
pub async fn read_agents_in(
    connection: &Connection,
    directory: Directory,
    selection: &Selection,
    want: Want,
    interactive: bool,
) -> anyhow::Result<Agents> {
    let (searching, describing) = (
        Counter::new("reading", interactive),
        Counter::new("describing", interactive),
    );
    crate::agents::read_agents_in(
        &connection.api,
        directory,
        selection,
        want,
        connection.pacing.concurrency,
        &|phase, done, total| match phase {
            Phase::Searching => searching.tick(done, total),
            Phase::Describing => describing.tick(done, total),
        },
    )
    .await
    .map_err(|err| explain_any(err, &connection.target))
}

/// The users an `agents remove` selection names, read whole, and the
/// logins no user has, with a count on a terminal as [`read_agents`] shows.
pub async fn read_removal(
    connection: &Connection,
    selection: &Selection,
    interactive: bool,
) -> anyhow::Result<crate::agents::remove_read::Selected> {
    let (searching, describing) = (
        Counter::new("reading", interactive),
        Counter::new("describing", interactive),
    );
    crate::agents::remove_read::read(
        &connection.api,
        selection,
        connection.pacing.concurrency,
        &|phase, done, total| match phase {
            Phase::Searching => searching.tick(done, total),
            Phase::Describing => describing.tick(done, total),
        },
    )
    .await
    .map_err(|err| explain_any(err, &connection.target))
}
