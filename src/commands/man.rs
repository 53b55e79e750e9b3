//! `connect-users man`: the manual pages, generated from the same clap
//! definitions as the parser and `--help`. One page per command, as git has:
//! connect-users(1), connect-users-import-apply(1), …

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::CommandFactory;
use clap_mangen::Man;

use crate::cli::Cli;
use crate::exit::Exit;

/// Print a manual page (roff), or write every page into a directory.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  connect-users man | man -l -\n  \
                  connect-users man import apply | man -l -\n  \
                  connect-users man --dir ~/.local/share/man/man1")]
pub struct Args {
    /// The command whose page to print, e.g. `import apply` [default: connect-users itself].
    #[arg(value_name = "COMMAND")]
    pub command: Vec<String>,

    /// Write every page (connect-users.1, connect-users-import-apply.1, …)
    /// into DIR, creating it if needed, instead of printing one.
    #[arg(long, value_name = "DIR", conflicts_with = "command")]
    pub dir: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    if let Some(dir) = &args.dir {
        let pages = write_pages(dir)?;
        eprintln!(
            "connect-users: wrote {pages} manual pages to {}",
            dir.display()
        );
        return Ok(Exit::Success);
    }
    let mut page = Vec::new();
    Man::new(command(&args.command)?).render(&mut page)?;
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(&page)?;
    stdout.flush()?;
    Ok(Exit::Success)
}

/// The whole command tree as the pages show it: built, so each subcommand
/// carries its full name (`connect-users-import-apply`), without `help`.
fn tree() -> clap::Command {
    let mut cli = Cli::command().disable_help_subcommand(true);
    cli.build();
    cli
}

/// The command a path of subcommand names leads to.
fn command(path: &[String]) -> anyhow::Result<clap::Command> {
    let mut command = tree();
    for (depth, name) in path.iter().enumerate() {
        let Some(found) = command.find_subcommand(name).cloned() else {
            let known: Vec<&str> = command
                .get_subcommands()
                .map(|sub| sub.get_name())
                .collect();
            let walked: Vec<&str> = std::iter::once("connect-users")
                .chain(path[..depth].iter().map(String::as_str))
                .collect();
            anyhow::bail!(
                "`{}` has no command {name:?}; it has: {}",
                walked.join(" "),
                known.join(", ")
            );
        };
        command = found;
    }
    Ok(command)
}

/// Every page, one per command; returns how many.
fn write_pages(dir: &Path) -> anyhow::Result<usize> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    clap_mangen::generate_to(Cli::command(), dir)
        .with_context(|| format!("cannot write the manual pages into {}", dir.display()))?;
    Ok(count(&tree()))
}

fn count(command: &clap::Command) -> usize {
    1 + command.get_subcommands().map(count).sum::<usize>()
}
