//! `connect-users agents set`: switch persistent connection (and audio
//! enhancement) for many existing agents — plan, review, confirm, then
//! UpdateUserConfig per agent, paced and retried like creates, every agent
//! accounted for.

use std::io::{IsTerminal, Write};
use std::sync::Arc;

use serde_json::json;

use crate::agents::freshness::Freshness;
use crate::agents::set::{self, Target};
use crate::commands::args::{RunArgs, SelectArgs};
use crate::commands::shown::terminal_width;
use crate::connect::config::{InstanceArgs, NO_INSTANCE};
use crate::exit::Exit;
use crate::online;
use crate::output::Format;
use crate::run::stop::Stop;
use crate::run::summary::{self, RunKind};
use crate::run::{self, RunOptions, RunResult, SubmitOptions};
use crate::terminal::{self, TerminalUi};
use crate::user::VoiceEnhancementMode;

const EXAMPLES: &str = "Examples:
  connect-users agents set --persistent-connection on --routing-profile \"Sales Inbound\" --local
  connect-users agents set --persistent-connection on --all --dry-run --instance-id 1f3c2b9a-…
  connect-users agents set --persistent-connection on --file agents.csv --yes --report run.csv   # in CI";

/// Switch persistent connection (and audio enhancement) for many existing
/// agents at once.
///
/// Plans first: for each selected user the change, `unchanged` (already
/// so) or `skipped` (a desk phone, unless --include-desk-phones). Shows the
/// plan, asks, then sends one UpdateUserConfig per agent that changes only
/// the VOICE settings named here. Running the same command again finishes
/// an interrupted run. Exit status: 0 done, 2 usage/configuration or
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
    let Some((target, pacing)) = online::resolve(&args.instance, args.run.pacing())? else {
        anyhow::bail!(NO_INSTANCE);
    };
    let selection = args.select.selection()?;
    anyhow::ensure!(
        selection.narrows() || args.all,
        "name the agents to change: --routing-profile, --security-profile, --hierarchy, --login \
         or --file, or --all for every user of the instance"
    );
    let (yes, dry_run) = (args.run.yes, args.run.dry_run);
    if !yes && !dry_run && !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "there is no terminal to confirm on: pass --yes to change without asking, or --dry-run"
        );
    }
    anyhow::ensure!(
        !dry_run || args.run.report.is_none(),
        "--dry-run writes no --report: there is nothing to record"
    );
    let wanted = Target {
        persistent_connection: args.persistent_connection,
        audio_enhancement: args.audio_enhancement,
        include_desk_phones: args.include_desk_phones,
    };
    let interactive = terminal::stderr_is_terminal() && args.format == Format::Table;
    online::runtime()?.block_on(async move {
        let stop = Stop::new();
        terminal::signals::watch(stop.clone())?;
        let connection = online::connect(target, pacing).await?;
        let instance = online::describe(&connection).await?;
        let read = online::read_agents(&connection, &selection, interactive);
        let agents = tokio::select! {
            agents = read => agents?,
            _ = stop.asked() => {
                eprintln!("interrupted before anything was sent; nothing was changed");
                for line in summary::not_written(&[("--report", args.run.report.as_deref())]) {
                    eprintln!("{line}");
                }
                return Ok(Exit::Interrupted);
            }
        };
        let freshness = Arc::new(Freshness::new(connection.api.clone()));
        let plan = set::plan(agents, &wanted, &freshness);
        if args.format == Format::Table {
            print!("{}", plan.review(terminal_width()));
        }
        let planned: Vec<serde_json::Value> = plan
            .changes
            .iter()
            .map(|c| {
                json!({
                    "user_login": c.agent.login(),
                    "user_id": c.agent.user.id,
                    "change": set::describe_change(c.before, c.after),
                })
            })
            .collect();
        let label = online::instance_label(&instance);
        let mut job = plan.into_job(&label);
        // Agents selected from a file: rows name their line in it.
        let lines = args.select.file_lines()?;
        let line_of = |login: &str| lines.get(&login.to_lowercase()).copied();
        for row in &mut job.settled {
            row.line = line_of(&row.user_login);
        }
        for change in &mut job.changes {
            change.at_line(line_of(change.agent.login()));
        }
        let to_change = job.changes.len();
        let outputs: Vec<run::OpenSink> = args
            .run
            .report
            .clone()
            .map(run::report::Report::opener)
            .into_iter()
            .collect();
        let options = RunOptions {
            submit: SubmitOptions {
                concurrency: connection.pacing.concurrency,
                patience: connection.pacing.patience,
            },
            dry_run,
            assume_yes: yes,
            outputs,
        };
        let quota = crate::connect::open::quota_pacer(&connection.target, &connection.pacer);
        let mut ui = TerminalUi::new(interactive, quota);
        let result = run::batch(connection.api.clone(), job, options, &mut ui, &stop).await;
        if result.declined {
            eprintln!("nothing was changed");
        }
        let exit = result.exit();
        let file = args.select.file.as_ref().map(|p| p.display().to_string());
        if let Err(err) = finish(args.format, &instance, &result, planned, file.as_deref()) {
            if !crate::exit::is_broken_pipe(&err) {
                eprintln!("connect-users: error: {err:#}");
            }
        }
        if dry_run {
            eprintln!(
                "dry run: {to_change} agents would be changed in {label}; nothing was written"
            );
        }
        for line in summary::closing_lines(&result, |err| {
            format!("{:#}", online::explain(err.clone(), &connection.target))
        }) {
            eprintln!("{line}");
        }
        Ok(exit)
    })
}

/// The closing output in the chosen format, on stdout.
fn finish(
    format: Format,
    instance: &crate::connect::InstanceInfo,
    result: &RunResult,
    planned: Vec<serde_json::Value>,
    file: Option<&str>,
) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match format {
        Format::Table => {
            if !result.dry_run && !result.declined {
                let table = summary::table(RunKind::AgentsSet, &result.outcomes, terminal_width());
                writeln!(stdout, "{table}")?;
            }
        }
        Format::Json => {
            let mut value = summary::to_json(RunKind::AgentsSet, instance, result);
            value["schema_version"] = 1.into();
            value["planned_changes"] = planned.into();
            serde_json::to_writer_pretty(&mut stdout, &value)?;
            writeln!(stdout)?;
        }
        Format::Github => {
            write!(
                stdout,
                "{}",
                summary::github(RunKind::AgentsSet, file, &result.outcomes)
            )?;
        }
    }
    stdout.flush()?;
    Ok(())
}
