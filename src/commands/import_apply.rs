//! `connect-users import apply FILE`: validate against the instance, review,
//! confirm, and create the users — paced, resumable, every row accounted for.

use std::path::PathBuf;

use crate::apply::create::CreateUser;
use crate::apply::{passwords, PasswordsOutput};
use crate::commands::args::RunArgs;
use crate::commands::bulk::{Bulk, Closing, Planned, Step};
use crate::commands::shown;
use crate::connect::config::InstanceArgs;
use crate::exit::Exit;
use crate::identity::Identity;
use crate::output::Format;
use crate::run::outcome::RowOutcome;
use crate::run::summary::{self, RunKind};
use crate::session::{self, Checked, Connection};
use crate::terminal::Spinner;
use crate::validate::{EmptyPassword, ValidateOptions, Validation};

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
///
/// Reference: `connect-users guide apply` (the steps, interrupting and re-running,
/// outcomes), `connect-users guide passwords` (--generate-passwords),
/// `connect-users guide output-files`, `connect-users guide pacing`,
/// `connect-users guide instance`, `connect-users guide iam`, `connect-users guide
/// json`, `connect-users guide exit-codes`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The filled template (CSV); `-` reads standard input.
    pub file: String,

    #[command(flatten)]
    pub instance: InstanceArgs,

    /// The file's encoding (utf-8, utf-16le, utf-16be, shift_jis/cp932, …); detected when omitted.
    #[arg(
        long,
        value_name = "LABEL",
        value_parser = crate::commands::args::Offered::new(
            crate::input::decode::parse_encoding,
            crate::input::decode::ENCODING_LABELS,
        ),
        hide_possible_values = true
    )]
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
    let online = session::required(&args.instance, args.run.pacing())?;
    crate::apply::check_files(
        &args.file,
        args.run.report.as_deref(),
        args.failed_out.as_deref(),
        args.generate_passwords.as_deref(),
        args.force,
    )?;
    crate::input::check_readable(&args.file)?;
    let bulk = Bulk {
        kind: RunKind::Import,
        run: &args.run,
        format: args.format,
        stdin_is_input: args.file == "-",
        records: &[("--failed-out", args.failed_out.as_deref())],
    };
    bulk.run(online, async |connection, interactive| {
        plan(&args, connection, interactive).await
    })
}

/// Checks the file against the instance and shows the result; the users
/// to create, unless the file has errors.
async fn plan(
    args: &Args,
    connection: &Connection,
    interactive: bool,
) -> anyhow::Result<Step<CreateUser>> {
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
    let checked = session::check(connection, &args.file, options, None).await?;
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
            session::instance_label(&instance),
            instance.identity
        );
    }
    let invalid = shown::exit_code(&validation, args.strict) == Exit::Invalid;
    if args.format == Format::Table || invalid {
        shown::emit(&validation, args.format, args.strict, args.all)?;
    }
    if invalid {
        eprintln!("nothing was created: fix the errors above and run again");
        return Ok(Step::End(Exit::Invalid));
    }
    let passwords = match &args.generate_passwords {
        Some(path) if !args.run.dry_run => Some(PasswordsOutput {
            path: path.clone(),
            force: args.force,
            generated: passwords::fill(&mut plan)?,
        }),
        _ => None,
    };
    let job = crate::apply::job(plan, &session::instance_label(&instance));
    let estimate = crate::terminal::progress::dry_run_estimate(
        job.changes.len(),
        "CreateUser",
        connection.quota_pacer("CreateUser").as_deref(),
        connection.pacing.burst,
        checks_took,
    );
    let passwords_note = args.generate_passwords.iter().map(|path| {
        format!(
            "dry run: no password was generated; {} was not written",
            path.display()
        )
    });
    let dry_run_notes = estimate.into_iter().chain(passwords_note).collect();
    Ok(Step::Run(Box::new(Planned {
        to_write: job.changes.len(),
        job,
        instance,
        outputs: crate::apply::outputs(
            args.run.report.clone(),
            args.failed_out.clone(),
            passwords,
            &validation,
        ),
        dry_run_notes,
        closing: Box::new(ImportClosing { validation }),
    })))
}

/// `import apply`'s closing output: the validation, then the run.
struct ImportClosing {
    validation: Validation,
}

impl Closing for ImportClosing {
    fn json(self: Box<Self>, run: serde_json::Value) -> serde_json::Value {
        let mut value = crate::output::json::to_value(&self.validation);
        value["apply"] = run;
        value
    }

    fn github(self: Box<Self>, kind: RunKind, outcomes: &[RowOutcome]) -> String {
        let file = Some(self.validation.source.as_str());
        let findings = crate::output::github::render(&self.validation);
        findings + &summary::github(kind, file, outcomes)
    }
}
