//! The command line: the top-level parser and dispatch to one file per command.

use clap::{Parser, Subcommand};

use crate::commands;
use crate::exit::Exit;

/// The version and the commit it was built from (see build.rs).
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("CONNECT_USERS_BUILD_COMMIT"),
    ")"
);

/// Add contact-center agents to Amazon Connect in bulk from the CSV template.
///
/// Fetch the template, validate a filled file (offline and against the
/// instance), review it, and create the users — safely, from a terminal or a
/// CI job.
#[derive(Debug, Parser)]
#[command(name = "connect-users", version = VERSION, propagate_version = true)]
#[command(
    after_help = "Example:\n  connect-users template fetch -o agents.csv\n  connect-users import validate agents.csv\n  connect-users import apply agents.csv --local"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The CSV template.
    #[command(subcommand)]
    Template(TemplateCommand),
    /// Check a filled template and create its users.
    #[command(subcommand)]
    Import(ImportCommand),
    /// The agents that already exist: list them, change settings for many at once.
    #[command(subcommand)]
    Agents(AgentsCommand),
    /// A local Amazon Connect instance for trying and testing.
    #[command(subcommand)]
    Local(LocalCommand),
    /// Print the shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(commands::completions::Args),
    /// Print the manual pages, or write them into a directory.
    Man(commands::man::Args),
}

#[derive(Debug, Subcommand)]
pub enum AgentsCommand {
    /// List users with their phone settings, routing profile, security profiles and hierarchy.
    List(Box<commands::agents_list::Args>),
    /// Change settings of many agents at once: routing profile, security profiles, hierarchy, phone, auto-accept, ACW, tags, persistent connection, audio enhancement.
    Set(Box<commands::agents_set::Args>),
    /// Change existing users to what an edited file (e.g. an export) says.
    Edit(Box<commands::agents_edit::Args>),
    /// Write users as a filled template, to back them up or copy them to another instance.
    Export(Box<commands::agents_export::Args>),
    // Its help is the command's own (long help: the reference).
    Remove(Box<commands::agents_remove::Args>),
}

#[derive(Debug, Subcommand)]
pub enum TemplateCommand {
    /// Write the pre-formatted CSV template.
    Fetch(commands::template_fetch::Args),
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Report every problem in a filled template, and review its users.
    Validate(Box<commands::import_validate::Args>),
    /// Validate, then create the file's users in the instance.
    Apply(Box<commands::import_apply::Args>),
}

#[derive(Debug, Subcommand)]
pub enum LocalCommand {
    /// Serve a local instance over the real Amazon Connect wire protocol.
    Serve(commands::local_serve::Args),
}

/// Runs the parsed command.
pub fn run(cli: Cli) -> anyhow::Result<Exit> {
    match cli.command {
        Command::Template(TemplateCommand::Fetch(args)) => commands::template_fetch::run(args),
        Command::Import(ImportCommand::Validate(args)) => commands::import_validate::run(*args),
        Command::Import(ImportCommand::Apply(args)) => commands::import_apply::run(*args),
        Command::Agents(AgentsCommand::List(args)) => commands::agents_list::run(*args),
        Command::Agents(AgentsCommand::Set(args)) => commands::agents_set::run(*args),
        Command::Agents(AgentsCommand::Edit(args)) => commands::agents_edit::run(*args),
        Command::Agents(AgentsCommand::Export(args)) => commands::agents_export::run(*args),
        Command::Agents(AgentsCommand::Remove(args)) => commands::agents_remove::run(*args),
        Command::Local(LocalCommand::Serve(args)) => commands::local_serve::run(args),
        Command::Completions(args) => commands::completions::run(args),
        Command::Man(args) => commands::man::run(args),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
