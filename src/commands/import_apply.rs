//! `connect-users import apply FILE`: validate against the instance, review,
//! confirm, and create the users — paced, resumable, every row accounted for.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use crate::apply::{passwords, passwords_file, PasswordsOutput};
use crate::commands::args::RunArgs;
use crate::commands::shown;
use crate::connect::config::{InstanceArgs, NO_INSTANCE};
use crate::exit::Exit;
use crate::identity::Identity;
use crate::online::{self, Checked};
use crate::output::Format;
use crate::run::stop::Stop;
use crate::run::summary::{self, RunKind};
use crate::run::{self, RunOptions, RunResult, SubmitOptions};
use crate::terminal::{self, Spinner, TerminalUi};
use crate::validate::{EmptyPassword, ValidateOptions};

const EXAMPLES: &str = "Examples:
  connect-users import apply agents.csv --local                  # the demo instance, in-process
  connect-users import apply agents.csv --instance-id 1f3c2b9a-… --region us-east-1
  connect-users import apply agents.csv --dry-run --format json   # plan only: no write call
  connect-users import apply agents.csv --yes --report run.csv --failed-out retry.csv   # in CI
  connect-users import apply exported.csv --generate-passwords ~/secure/passwords.csv";

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

    #[command(flatten)]
    pub run: RunArgs,

    /// Write the rows that failed, are unknown or were not sent here, in the
    /// template format, to fix and re-run.
    #[arg(long, value_name = "PATH", help_heading = "Run")]
    pub failed_out: Option<PathBuf>,

    /// Generate a password for each connect-managed row whose password cell
    /// is empty, and write it with the login to PATH: a new file, readable by
    /// you only, written before the first user is created. Keep it out of
    /// CI artifacts and logs.
    #[arg(long, value_name = "PATH", help_heading = "Passwords")]
    pub generate_passwords: Option<PathBuf>,

    /// Let --generate-passwords replace an existing file (the passwords it
    /// holds are lost).
    #[arg(long, requires = "generate_passwords", help_heading = "Passwords")]
    pub force: bool,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let Some((target, pacing)) = online::resolve(&args.instance, args.run.pacing())? else {
        anyhow::bail!(NO_INSTANCE);
    };
    let (yes, dry_run) = (args.run.yes, args.run.dry_run);
    if !yes && !dry_run && (args.file == "-" || !std::io::stdin().is_terminal()) {
        anyhow::bail!(
            "there is no terminal to confirm on: pass --yes to create without asking, or --dry-run"
        );
    }
    anyhow::ensure!(
        !dry_run || (args.run.report.is_none() && args.failed_out.is_none()),
        "--dry-run writes no --report or --failed-out: there is nothing to record"
    );
    if let Some(path) = &args.generate_passwords {
        check_passwords_path(path, &args)?;
    }
    crate::input::check_readable(&args.file)?;
    let interactive = terminal::stderr_is_terminal() && args.format == Format::Table;
    online::runtime()?.block_on(async move {
        let stop = Stop::new();
        terminal::signals::watch(stop.clone())?;
        let connection = online::connect(target, pacing).await?;
        let options = ValidateOptions {
            encoding: args.encoding,
            empty_password: EmptyPassword::generated_if(args.generate_passwords.is_some()),
            ..ValidateOptions::default()
        };
        let spinner = Spinner::start(
            format!("checking {} against the instance", args.file),
            interactive,
        );
        let checks_started = std::time::Instant::now();
        let checked = tokio::select! {
            checked = online::check(&connection, &args.file, options, None) => checked?,
            _ = stop.asked() => {
                drop(spinner);
                eprintln!("interrupted before anything was sent; nothing was created");
                for line in summary::not_written(&[
                    ("--report", args.run.report.as_deref()),
                    ("--failed-out", args.failed_out.as_deref()),
                ]) {
                    eprintln!("{line}");
                }
                return Ok(Exit::Interrupted);
            }
        };
        drop(spinner);
        let checks_took = checks_started.elapsed();
        let Checked {
            instance,
            validation,
            mut plan,
        } = checked;
        if args.generate_passwords.is_some() && instance.identity != Identity::ConnectManaged {
            anyhow::bail!(
                "--generate-passwords: the identity management type of instance {} is {}: its \
                 users have no password in Amazon Connect, so there is none to generate; leave \
                 the flag out",
                online::instance_label(&instance),
                instance.identity
            );
        }
        let invalid = shown::exit_code(&validation, args.strict) == Exit::Invalid;
        if args.format == Format::Table || invalid {
            shown::emit(&validation, args.format, args.strict, args.all)?;
        }
        if invalid {
            eprintln!("nothing was created: fix the errors above and run again");
            return Ok(Exit::Invalid);
        }
        let label = online::instance_label(&instance);
        let passwords = match &args.generate_passwords {
            Some(path) if !dry_run => Some(PasswordsOutput {
                path: path.clone(),
                force: args.force,
                generated: passwords::fill(&mut plan)?,
            }),
            _ => None,
        };
        let job = crate::apply::job(plan, &label);
        let to_create = job.changes.len();
        let options = RunOptions {
            submit: SubmitOptions {
                concurrency: connection.pacing.concurrency,
                patience: connection.pacing.patience,
            },
            dry_run,
            assume_yes: yes,
            outputs: crate::apply::outputs(
                args.run.report.clone(),
                args.failed_out.clone(),
                passwords,
                &validation,
            ),
        };
        let quota = crate::connect::open::quota_pacer(&connection.target, &connection.pacer);
        let mut ui = TerminalUi::new(interactive, quota.clone());
        let result = run::batch(connection.api.clone(), job, options, &mut ui, &stop).await;
        if result.declined {
            eprintln!("nothing was created");
        }
        let exit = result.exit();
        // The summary goes to stdout; a reader that went away (`| head`)
        // must not turn a failed import into a success.
        if let Err(err) = finish(&args, &validation, &instance, &result) {
            if !crate::exit::is_broken_pipe(&err) {
                eprintln!("connect-users: error: {err:#}");
            }
        }
        if dry_run {
            eprintln!(
                "dry run: {to_create} users would be created in {label}; nothing was written"
            );
            let burst = connection.pacing.burst;
            if let Some(line) = crate::terminal::progress::dry_run_estimate(
                to_create,
                "CreateUser",
                quota.as_deref(),
                burst,
                checks_took,
            ) {
                eprintln!("{line}");
            }
            if let Some(path) = &args.generate_passwords {
                eprintln!(
                    "dry run: no password was generated; {} was not written",
                    path.display()
                );
            }
        }
        for line in summary::closing_lines(&result, |err| {
            format!("{:#}", online::explain(err.clone(), &connection.target))
        }) {
            eprintln!("{line}");
        }
        Ok(exit)
    })
}

/// The passwords file must be new (unless `--force`) and none of the run's
/// other files: checked before the instance is read.
fn check_passwords_path(path: &std::path::Path, args: &Args) -> anyhow::Result<()> {
    let others = [
        ("the input file", Some(std::path::PathBuf::from(&args.file))),
        ("--report", args.run.report.clone()),
        ("--failed-out", args.failed_out.clone()),
    ];
    for (what, other) in others {
        if other.is_some_and(|other| passwords_file::same_file(path, &other)) {
            anyhow::bail!(
                "--generate-passwords {} is also {what}: name a file of its own",
                path.display()
            );
        }
    }
    passwords_file::refuse_existing(path, args.force)
}

/// The closing output in the chosen format, on stdout.
fn finish(
    args: &Args,
    validation: &crate::validate::Validation,
    instance: &crate::connect::InstanceInfo,
    result: &RunResult,
) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match args.format {
        Format::Table => {
            if !result.dry_run && !result.declined {
                let table =
                    summary::table(RunKind::Import, &result.outcomes, shown::terminal_width());
                writeln!(stdout, "{table}")?;
            }
        }
        Format::Json => {
            let mut value = crate::output::json::to_value(validation);
            value["apply"] = summary::to_json(RunKind::Import, instance, result);
            serde_json::to_writer_pretty(&mut stdout, &value)?;
            writeln!(stdout)?;
        }
        Format::Github => {
            write!(stdout, "{}", crate::output::github::render(validation))?;
            let file = Some(validation.source.as_str());
            write!(
                stdout,
                "{}",
                summary::github(RunKind::Import, file, &result.outcomes)
            )?;
        }
    }
    stdout.flush()?;
    Ok(())
}
