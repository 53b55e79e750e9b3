//! `connect-users agents set`: switch persistent connection (and audio
//! enhancement) for many existing agents — plan, review, confirm, then
//! UpdateUserConfig per agent, paced and retried like creates, every agent
//! accounted for.

use anyhow::Context;
use serde_json::json;

use crate::agents::set::{self, WantedSettings};
use crate::agents::Want;
use crate::commands::args::{RunArgs, SelectArgs};
use crate::commands::bulk::{Bulk, Closing, Planned, Step};
use crate::commands::shown::terminal_width;
use crate::connect::config::InstanceArgs;
use crate::exit::Exit;
use crate::output::Format;
use crate::run::outcome::RowOutcome;
use crate::run::summary::{self, RunKind};
use crate::session;
use crate::user::VoiceEnhancementMode;

const EXAMPLES: &str = "Examples:
  connect-users agents set --persistent-connection on --routing-profile \"Sales Inbound\" --local
  connect-users agents set --persistent-connection on --all --dry-run --instance-id 1f3c2b9a-…
  connect-users agents set --persistent-connection on --file agents.csv --yes --report run.csv   # in CI";

/// Switch persistent connection (and audio enhancement) for many existing
/// agents at once.
///
/// Plans first, from SearchUsers pages: for each selected user the change,
/// `unchanged` (already so) or `skipped` (a desk phone, unless
/// --include-desk-phones). Shows the plan, asks, then reads each agent
/// again (DescribeUser) right before its turn and sends one
/// UpdateUserConfig, changing only the VOICE settings named here, if the
/// plan's change still stands; a setting someone else changed meanwhile is
/// reported, not overwritten. Running the same command again finishes an
/// interrupted run. Exit status: 0 done, 2 usage/configuration or
/// refused permissions, 3 some agents failed or are unknown, 130 interrupted.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
#[command(group = clap::ArgGroup::new("setting").required(true).multiple(true).args(["persistent_connection", "audio_enhancement"]))]
pub struct Args {
    /// Turn persistent connection on or off.
    #[arg(long, value_name = "on|off", value_parser = on_off)]
    pub persistent_connection: Option<bool>,

    /// Set audio enhancement: none, isolate voice (voice isolation) or
    /// suppress noise (noise suppression), or the API names.
    #[arg(long, value_name = "MODE", value_parser = mode)]
    pub audio_enhancement: Option<VoiceEnhancementMode>,

    /// Change desk-phone users too (these settings only affect softphone audio).
    #[arg(long)]
    pub include_desk_phones: bool,

    #[command(flatten)]
    pub select: SelectArgs,

    /// Every user of the instance (required when no other selector is given).
    #[arg(long, help_heading = "Select agents")]
    pub all: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    #[command(flatten)]
    pub instance: InstanceArgs,

    #[command(flatten)]
    pub run: RunArgs,
}

fn on_off(text: &str) -> Result<bool, String> {
    match text.to_ascii_lowercase().as_str() {
        "on" | "yes" | "true" => Ok(true),
        "off" | "no" | "false" => Ok(false),
        _ => Err(format!("{text:?}: expected on or off")),
    }
}

fn mode(text: &str) -> Result<VoiceEnhancementMode, String> {
    match crate::validate::parse_audio_enhancement(text) {
        Some(mode) if !text.trim().is_empty() => Ok(mode),
        _ => Err(format!(
            "{text:?}: expected {}",
            crate::validate::AUDIO_ENHANCEMENT_MODES
        )),
    }
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let online = session::required(&args.instance, args.run.pacing())?;
    let selection = args.select.selection()?;
    anyhow::ensure!(
        selection.narrows() || args.all,
        "name the agents to change: --routing-profile, --security-profile, --hierarchy, --login \
         or --file, or --all for every user of the instance"
    );
    let wanted = WantedSettings {
        persistent_connection: args.persistent_connection,
        audio_enhancement: args.audio_enhancement,
        include_desk_phones: args.include_desk_phones,
    };
    let bulk = Bulk {
        kind: RunKind::AgentsSet,
        run: &args.run,
        format: args.format,
        stdin_is_input: false,
        records: &[],
    };
    let report_output: Vec<_> = args
        .run
        .report
        .iter()
        .cloned()
        .map(crate::run::report::output)
        .collect();
    crate::output_file::check(&args.select.inputs(), &report_output)?;
    let report = bulk.report();
    let dry_run = args.run.dry_run;
    bulk.run(online, async |connection, interactive| {
        // Nothing is written before the plan is read whole.
        const UNWRITTEN: &str = "cannot read the selected agents; nothing was written";
        let instance = session::describe(connection).await.context(UNWRITTEN)?;
        let read = session::read_agents(connection, &selection, Want::default(), interactive)
            .await
            .context(UNWRITTEN)?;
        let plan = set::plan(read.agents, &wanted, read.criteria);
        if args.format == Format::Table {
            print!("{}", plan.review(terminal_width()));
        }
        let planned = plan
            .changes()
            .map(|(agent, change)| {
                json!({
                    "user_login": agent.login(),
                    "user_id": agent.user.id,
                    "change": change.describe(),
                })
            })
            .collect();
        let to_write = plan.counts().0;
        let mut job = plan.into_job(
            &session::instance_label(&instance),
            !dry_run,
            connection.pacing.patience,
        );
        // Agents selected from a file: rows name their line in it.
        let lines = args.select.file_lines()?;
        let line_of = |login: &str| lines.get(&login.to_lowercase()).copied();
        for row in &mut job.settled {
            row.line = line_of(&row.user_login);
        }
        for turn in &mut job.changes {
            turn.at_line(line_of(turn.agent.login()));
        }
        Ok(Step::Run(Box::new(Planned {
            job,
            to_write,
            instance,
            outputs: report.into_iter().collect(),
            dry_run_notes: Vec::new(),
            closing: Box::new(SetClosing {
                planned,
                file: args.select.file.as_ref().map(|p| p.display().to_string()),
            }),
        })))
    })
}

/// `agents set`'s closing output: the run, and the changes it planned.
struct SetClosing {
    planned: Vec<serde_json::Value>,
    /// The `--file` the agents were selected from, for annotations.
    file: Option<String>,
}

impl Closing for SetClosing {
    fn json(self: Box<Self>, mut run: serde_json::Value) -> serde_json::Value {
        run["schema_version"] = 1.into();
        run["planned_changes"] = self.planned.into();
        run
    }

    fn github(self: Box<Self>, kind: RunKind, outcomes: &[RowOutcome]) -> String {
        summary::github(kind, self.file.as_deref(), outcomes)
    }
}
