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
  0    done; the file is valid; every row created, existing, changed, unchanged or skipped
  1    the file has errors (--strict: warnings too); nothing was created
  2    usage, I/O, configuration or authentication error, an unknown name; for import
       apply and agents set also a declined confirmation, an output file that cannot be
       written, or credentials/permissions refused during the run
  3    import apply / agents set: some rows failed or unknown, or not sent (quota full)
  130  import apply / agents set: interrupted; run the same command again to finish

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
    /// Print the shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(commands::completions::Args),
    /// Print the manual pages, or write them into a directory.
    Man(commands::man::Args),
    /// Print a reference topic (validation rules, outcomes, IAM, JSON, …), or list them.
    Guide(commands::guide::Args),
}

#[derive(Debug, Subcommand)]
pub enum AgentsCommand {
    /// List users with their phone settings, routing profile, security profiles and hierarchy.
    ///
    /// Reference: `connect-users guide agents` (selecting agents, what the listing reads),
    /// `connect-users guide instance`, `connect-users guide iam`.
    List(Box<commands::agents_list::Args>),
    /// Change settings of many agents at once: routing profile, security profiles, hierarchy, phone, auto-accept, ACW, tags, persistent connection, audio enhancement.
    ///
    /// Reference: `connect-users guide agents-edit` (every setting, each agent's turn,
    /// outcomes), `connect-users guide agents` (selecting agents, two runs at once),
    /// `connect-users guide pacing`, `connect-users guide json`, `connect-users guide iam`,
    /// `connect-users guide exit-codes`.
    Set(Box<commands::agents_set::Args>),
    /// Change existing users to what an edited file (e.g. an export) says.
    ///
    /// Reference: `connect-users guide agents-edit` (what each column changes, each
    /// agent's turn, outcomes), `connect-users guide validation`, `connect-users guide iam`,
    /// `connect-users guide exit-codes`.
    Edit(Box<commands::agents_edit::Args>),
    /// Write users as a filled template, to back them up or copy them to another instance.
    ///
    /// Reference: `connect-users guide export` (what is carried over and what is not),
    /// `connect-users guide passwords`, `connect-users guide output-files`.
    Export(Box<commands::agents_export::Args>),
    // Its help is the command's own (long help: the reference).
    Remove(Box<commands::agents_remove::Args>),
}

#[derive(Debug, Subcommand)]
pub enum TemplateCommand {
    /// Write the pre-formatted CSV template.
    ///
    /// Reference: `connect-users guide template` (the header per identity type, what
    /// each column sets in Amazon Connect), `connect-users guide output-files`.
    Fetch(commands::template_fetch::Args),
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Report every problem in a filled template, and review its users.
    ///
    /// Reference: `connect-users guide validation` (input, header, every rule, the
    /// review table, checks against the instance), `connect-users guide json`
    /// (--format json), `connect-users guide instance`, `connect-users guide exit-codes`.
    Validate(Box<commands::import_validate::Args>),
    /// Validate, then create the file's users in the instance.
    ///
    /// Reference: `connect-users guide apply` (the steps, interrupting and re-running,
    /// outcomes), `connect-users guide passwords` (--generate-passwords),
    /// `connect-users guide output-files`, `connect-users guide pacing`,
    /// `connect-users guide instance`, `connect-users guide iam`, `connect-users guide
    /// json`, `connect-users guide exit-codes`.
    Apply(Box<commands::import_apply::Args>),
}

#[derive(Debug, Subcommand)]
pub enum LocalCommand {
    /// Serve a local instance over the real Amazon Connect wire protocol.
    ///
    /// Reference: `connect-users guide local-serve` (starting it, flags, request log,
    /// the seed format), `connect-users guide local-api` (what each operation answers).
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
