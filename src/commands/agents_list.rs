//! `connect-users agents list`: the instance's users with their phone type,
//! persistent connection, audio enhancement, routing profile, security
//! profiles and hierarchy, by name, and the counts.

use std::io::Write;

use crate::agents::{listing, Want};
use crate::commands::args::{PacingArgs, SelectArgs};
use crate::connect::config::InstanceArgs;
use crate::exit::Exit;
use crate::session;
use crate::terminal;

const EXAMPLES: &str = "Examples:
  connect-users agents list --local
  connect-users agents list --routing-profile \"Sales Inbound\" --instance-id 1f3c2b9a-…
  connect-users agents list --hierarchy \"North America|Seattle\" --format csv > seattle.csv";

/// The format of `agents list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ListFormat {
    /// A table, then the counts.
    #[default]
    Table,
    /// One JSON document (schema_version 1).
    Json,
    /// One CSV row per agent.
    Csv,
}

/// List users with their phone settings, routing profile, security profiles and hierarchy.
///
/// Every user, or those the selectors name; the counts of softphone agents
/// with persistent connection on and off.
///
/// Reference: `connect-users guide agents` (selecting agents, what the listing reads),
/// `connect-users guide instance`, `connect-users guide iam`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    #[command(flatten)]
    pub select: SelectArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,

    /// Read each agent with DescribeUser (one call an agent) instead of
    /// taking it from SearchUsers pages (one call per 500 agents), whose
    /// answers can lag changes made in the last seconds.
    #[arg(long, help_heading = "Reading")]
    pub consistent: bool,

    #[command(flatten)]
    pub instance: InstanceArgs,

    #[command(flatten)]
    pub pacing: PacingArgs,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let online = session::required(&args.instance, args.pacing.flags())?;
    let selection = args.select.selection()?;
    let interactive = terminal::stderr_is_terminal();
    online.run(async move |connection| {
        let instance = session::describe(connection).await?;
        let want = Want {
            current: args.consistent,
        };
        let read = session::read_agents(connection, &selection, want, interactive).await?;
        let agents = &read.agents;
        let mut stdout = std::io::stdout().lock();
        match args.format {
            ListFormat::Table => {
                let width = crate::commands::shown::terminal_width();
                write!(stdout, "{}", listing::table(agents, width))?;
            }
            ListFormat::Json => {
                serde_json::to_writer_pretty(&mut stdout, &listing::to_json(&instance, agents))?;
                writeln!(stdout)?;
            }
            ListFormat::Csv => {
                let terminal = std::io::IsTerminal::is_terminal(&stdout);
                listing::write_csv(agents, &mut stdout, terminal)?
            }
        }
        stdout.flush()?;
        eprintln!("connect-users: {}", read.closing_line());
        Ok(Exit::Success)
    })
}
