//! `connect-users import apply FILE`: validate against the instance, review,
//! confirm, and create the users — paced, resumable, every row accounted for.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use tokio::sync::watch;

use crate::apply::outcome::{Outcome, RowOutcome, Tally};
use crate::apply::report::Report;
use crate::apply::submit::{submit, Stopped, SubmitOptions};
use crate::apply::{failed_out, progress::Progress, signals, summary};
use crate::commands::import_validate;
use crate::connect::config::{InstanceArgs, NO_INSTANCE};
use crate::exit::Exit;
use crate::online::{self, Checked, PacingFlags};
use crate::output::Format;
use crate::validate::ValidateOptions;

const EXAMPLES: &str = "Examples:
  connect-users import apply agents.csv --local                  # the demo instance, in-process
  connect-users import apply agents.csv --instance-id 1f3c2b9a-… --region us-east-1
  connect-users import apply agents.csv --dry-run --format json   # plan only: no write call
  connect-users import apply agents.csv --yes --report run.csv --failed-out retry.csv   # in CI";

/// Validate a filled template against the instance, then create its users.
///
/// Nothing is created when the file has any error. Existing identical users
/// are left alone (`exists`); an existing user with different data is an
/// error, since the template never edits users. Running the same file again
/// finishes an interrupted or partly failed run.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The filled template (CSV); `-` reads standard input.
    pub file: String,

    #[command(flatten)]
    pub instance: InstanceArgs,

    /// The file's encoding (utf-8, utf-16le, utf-16be, shift_jis/cp932, …); detected when omitted.
    #[arg(long, value_name = "LABEL", value_parser = crate::input::decode::parse_encoding)]
    pub encoding: Option<&'static encoding_rs::Encoding>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Treat warnings as errors: nothing is created when the file has any.
    #[arg(long)]
    pub strict: bool,

    /// Show every row in the review table, not only those with findings.
    #[arg(long)]
    pub all: bool,

    /// Create without asking (required when there is no terminal).
    #[arg(long, short = 'y', help_heading = "Apply")]
    pub yes: bool,

    /// Validate and plan only: no write call is made.
    #[arg(long, help_heading = "Apply")]
    pub dry_run: bool,

    /// Requests per second, all calls together [default: 2, the service's default quota].
    #[arg(long, value_name = "N", help_heading = "Apply")]
    pub rate: Option<f64>,

    /// Requests allowed at once above the rate [default: 5].
    #[arg(long, value_name = "N", help_heading = "Apply")]
    pub burst: Option<u32>,

    /// Creates in flight at once [default: 4].
    #[arg(long, value_name = "N", help_heading = "Apply")]
    pub concurrency: Option<usize>,

    /// Attempts per request before a row fails, the first included [default: 6].
    #[arg(long, value_name = "N", help_heading = "Apply")]
    pub max_attempts: Option<u32>,

    /// Write each row's outcome here as it happens: CSV, or JSON Lines for .jsonl/.ndjson.
    #[arg(long, value_name = "PATH", help_heading = "Apply")]
    pub report: Option<PathBuf>,

    /// Write the rows that failed or were not sent here, in the template format, to fix and re-run.
    #[arg(long, value_name = "PATH", help_heading = "Apply")]
    pub failed_out: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let flags = PacingFlags {
        rate: args.rate,
        burst: args.burst,
        concurrency: args.concurrency,
        max_attempts: args.max_attempts,
    };
    let Some((target, pacing)) = online::resolve(&args.instance, flags)? else {
        anyhow::bail!(NO_INSTANCE);
    };
    if !args.yes && !args.dry_run && (args.file == "-" || !std::io::stdin().is_terminal()) {
        anyhow::bail!(
            "there is no terminal to confirm on: pass --yes to create without asking, or --dry-run"
        );
    }
    online::runtime()?.block_on(async move {
        // One stop channel: a signal, or a report that can no longer be
        // written, asks submission to send nothing new.
        let (stop_tx, mut stop) = watch::channel(false);
        let stop_tx = Arc::new(stop_tx);
        signals::watch(stop_tx.clone())?;
        let connection = online::connect(target, pacing).await?;
        let options = ValidateOptions {
            encoding: args.encoding,
            ..ValidateOptions::default()
        };
        let checked = tokio::select! {
            checked = online::check(&connection, &args.file, options, None) => checked?,
            _ = stop.changed() => {
                eprintln!("interrupted before anything was sent; nothing was created");
                return Ok(Exit::Interrupted);
            }
        };
        apply(&args, &connection, checked, (stop_tx, stop)).await
    })
}

async fn apply(
    args: &Args,
    connection: &online::Connection,
    checked: Checked,
    (halt, stop): (Arc<watch::Sender<bool>>, watch::Receiver<bool>),
) -> anyhow::Result<Exit> {
    let Checked {
        instance,
        validation,
        plan,
    } = checked;
    let format = args.format;
    let invalid = import_validate::exit_code(&validation, args.strict) == Exit::Invalid;
    if format == Format::Table || invalid {
        import_validate::emit(&validation, format, args.strict, args.all)?;
    }
    if invalid {
        eprintln!("nothing was created: fix the errors above and run again");
        return Ok(Exit::Invalid);
    }
    let mut outcomes: Vec<RowOutcome> = plan
        .exists
        .iter()
        .map(|e| RowOutcome {
            line: e.line,
            user_login: e.login.clone(),
            outcome: Outcome::Exists {
                user_id: e.user.id.clone(),
                user_arn: e.user.arn.clone(),
            },
        })
        .collect();
    let label = online::instance_label(&instance);
    if args.dry_run {
        anyhow::ensure!(
            args.report.is_none() && args.failed_out.is_none(),
            "--dry-run writes no --report or --failed-out: there is nothing to record"
        );
        finish(args, &validation, &instance, true, &outcomes, 0.0)?;
        eprintln!(
            "dry run: {} users would be created in {label}; nothing was written",
            plan.creates.len()
        );
        return Ok(Exit::Success);
    }
    if !plan.creates.is_empty()
        && !args.yes
        && !confirm(&format!(
            "Create {} users in instance {label}?",
            plan.creates.len()
        ))?
    {
        eprintln!("nothing was created");
        return Ok(Exit::Usage);
    }

    // Both files are opened before the first write call, so a bad path
    // costs nothing.
    let mut report = args.report.as_deref().map(Report::create).transpose()?;
    let failed_file = args
        .failed_out
        .as_deref()
        .map(failed_out::create)
        .transpose()?;
    for row in &outcomes {
        if let Some(report) = report.as_mut() {
            report.record(row)?;
        }
    }
    // A report that cannot be written stops the run like an interrupt:
    // nothing new is sent and every row still gets its outcome.
    let mut report_error = None;
    let mut progress = Progress::new(
        plan.creates.len(),
        std::io::stderr().is_terminal() && format == Format::Table,
    );
    let options = SubmitOptions {
        concurrency: connection.pacing.concurrency,
        ..SubmitOptions::default()
    };
    let mut record = |row: &RowOutcome| -> anyhow::Result<()> {
        progress.advance(row);
        if let (Some(writer), None) = (report.as_mut(), &report_error) {
            if let Err(err) = writer.record(row) {
                report_error = Some(err);
                let _ = halt.send(true);
            }
        }
        Ok(())
    };
    let started = std::time::Instant::now();
    let (created, stopped) = submit(
        connection.api.clone(),
        plan.creates,
        Arc::new(plan.namer),
        options,
        stop,
        &mut record,
    )
    .await?;
    let submit_seconds = started.elapsed().as_secs_f64();
    progress.finish();
    outcomes.extend(created);
    outcomes.sort_by_key(|row| row.line);

    if let (Some(file), Some(path)) = (failed_file, &args.failed_out) {
        match failed_out::write(file, &validation, &outcomes) {
            Ok(0) => {}
            Ok(written) => eprintln!("{written} rows to run again written to {}", path.display()),
            Err(err) => eprintln!(
                "connect-users: error: cannot write {}: {err:#}",
                path.display()
            ),
        }
    }
    let exit = exit_code(&stopped, &outcomes, report_error.as_ref(), connection);
    // The summary goes to stdout; a reader that went away (`| head`) must
    // not turn a failed import into a success.
    if let Err(err) = finish(
        args,
        &validation,
        &instance,
        false,
        &outcomes,
        submit_seconds,
    ) {
        if !crate::exit::is_broken_pipe(&err) {
            eprintln!("connect-users: error: {err:#}");
        }
    }
    Ok(exit)
}

/// The exit code of a run that got as far as submission, with its message.
fn exit_code(
    stopped: &Stopped,
    outcomes: &[RowOutcome],
    report_error: Option<&anyhow::Error>,
    connection: &online::Connection,
) -> Exit {
    let tally = Tally::of(outcomes);
    if let Some(err) = report_error {
        eprintln!(
            "connect-users: error: the report could not be written, so the run stopped: {err:#}"
        );
        return Exit::Usage;
    }
    match stopped {
        Stopped::Fatal(err) => {
            eprintln!(
                "connect-users: error: stopped after {}: {}",
                err.code,
                online::explain(err.clone(), &connection.target)
            );
            Exit::Usage
        }
        Stopped::Interrupted => {
            eprintln!(
                "interrupted: {} rows were not sent; run the same file again to finish",
                tally.not_submitted
            );
            Exit::Interrupted
        }
        Stopped::No if tally.failed > 0 => Exit::RowsFailed,
        Stopped::No => Exit::Success,
    }
}

/// The closing output in the chosen format, on stdout.
fn finish(
    args: &Args,
    validation: &crate::validate::Validation,
    instance: &crate::connect::InstanceInfo,
    dry_run: bool,
    outcomes: &[RowOutcome],
    submit_seconds: f64,
) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match args.format {
        Format::Table => {
            if !dry_run {
                writeln!(
                    stdout,
                    "{}",
                    summary::table(outcomes, import_validate::terminal_width())
                )?;
            }
        }
        Format::Json => {
            let mut value = crate::output::json::to_value(validation);
            value["apply"] = summary::to_json(instance, dry_run, outcomes, submit_seconds);
            serde_json::to_writer_pretty(&mut stdout, &value)?;
            writeln!(stdout)?;
        }
        Format::Github => {
            write!(stdout, "{}", crate::output::github::render(validation))?;
            write!(stdout, "{}", summary::github(&validation.source, outcomes))?;
        }
    }
    stdout.flush()?;
    Ok(())
}

/// Asks on the terminal; anything but y/yes is no.
fn confirm(question: &str) -> anyhow::Result<bool> {
    eprint!("{question} [y/N] ");
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .context("cannot read the answer")?;
    Ok(matches!(answer.trim().to_lowercase().as_str(), "y" | "yes"))
}
