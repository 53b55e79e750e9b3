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
    after_help = "Example:\n  connect-users template fetch -o agents.csv\n  connect-users import validate agents.csv\n  connect-users import apply agents.csv --local",
    after_long_help = AFTER_LONG_HELP
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// `connect-users --help` (and the man page connect-users(1)): the examples,
/// the exit status, and where the reference is.
const AFTER_LONG_HELP: &str = "Example:
  connect-users template fetch -o agents.csv
  connect-users import validate agents.csv
  connect-users import apply agents.csv --local

Exit status:
  0    done; the file is valid; every row created, existing, changed, unchanged, skipped,
       removed or absent
  1    the file has errors (--strict: warnings too); nothing was sent
  2    usage, I/O, configuration or authentication error, an unknown name; for the bulk
       commands (import apply, agents set, edit, remove) also a declined confirmation, an
       output file that cannot be written, or credentials/permissions refused during the run
  3    bulk commands: some rows failed, partial or unknown, or not sent (quota full)
  130  bulk commands: interrupted; run the same command again to finish

Reference: `connect-users guide` lists the topics (validation rules, outcomes, generated
passwords, pacing, which instance, IAM policy, JSON output, local serve, ...);
`connect-users guide exit-codes` has the exit status in full.";

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
    Completions(commands::completions::Args),
    Man(commands::man::Args),
    Guide(commands::guide::Args),
}

// A command's help is its `Args` struct's doc comment (a doc comment on a
// variant here would replace it): the first paragraph is the one-line
// summary, the rest the long help, ending with its reference topics.
#[derive(Debug, Subcommand)]
pub enum AgentsCommand {
    List(Box<commands::agents_list::Args>),
    Set(Box<commands::agents_set::Args>),
    Edit(Box<commands::agents_edit::Args>),
    Export(Box<commands::agents_export::Args>),
    Remove(Box<commands::agents_remove::Args>),
}

#[derive(Debug, Subcommand)]
pub enum TemplateCommand {
    Fetch(commands::template_fetch::Args),
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    Validate(Box<commands::import_validate::Args>),
    Apply(Box<commands::import_apply::Args>),
}

#[derive(Debug, Subcommand)]
pub enum LocalCommand {
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
        Command::Guide(args) => commands::guide::run(args),
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
