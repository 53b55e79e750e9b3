//! `connect-users agents edit FILE`: an edited filled template (say, an
//! `agents export` changed in a spreadsheet) applied to the existing users
//! it names — validated, compared field by field, reviewed, confirmed, and
//! made with the fewest calls per user on the same batch runner as
//! `import apply` and `agents set`.

use std::path::PathBuf;
use std::sync::Arc;

use crate::agents::edit_file::{self, FileUser};
use crate::agents::edit_plan::{EditPlan, PlannedAgent};
use crate::agents::edit_turn::Context;
use crate::agents::login_file::{Origin, SelectedLogin};
use crate::agents::select::{MissingLogins, Selection};
use crate::agents::Want;
use crate::apply::failed_out::{FailedOut, FileRows};
use crate::commands::args::RunArgs;
use crate::commands::bulk::{Bulk, Closing, Planned, Step};
use crate::commands::shown::{self, terminal_width};
use crate::connect::config::InstanceArgs;
use crate::exit::Exit;
use crate::output::Format;
use crate::run::outcome::RowOutcome;
use crate::run::summary::{self, RunKind};
use crate::run::{OpenSink, RowSink};
use crate::session::{self, Connection};
use crate::validate::{self, IdentityFrom, Purpose, ValidateOptions, Validation};

const EXAMPLES: &str = "Examples:
  connect-users agents export -o agents.csv          # then edit agents.csv in a spreadsheet
  connect-users agents edit agents.csv --dry-run     # the plan: field: before → after
  connect-users agents edit agents.csv               # review, confirm, change
  connect-users agents edit agents.csv --yes --report run.csv --failed-out again.csv   # in CI";

const REFERENCE: &str = "\
The file:
  A filled template naming existing users by `user login`, e.g. an `agents export`.
  Every column it has is what the user is to hold — an empty cell too (no secondary
  email, no hierarchy, no tags); a column it lacks is left as the user has it; only
  `user login` is required. The password column is never used. A row with an error, or a
  login the instance does not have, stops the run before anything is sent:
  `agents edit` changes existing users only — `import apply` creates new ones.

What each column sets (only what differs is sent, with one call of each kind a user needs):
  first name, last name, email address,
  secondary email, mobile                   UpdateUserIdentityInfo
  routing profile name                      UpdateUserRoutingProfile
  security_profile_name_1|…                 UpdateUserSecurityProfiles (exactly these)
  user_hierarchy_1|…                        UpdateUserHierarchy (empty: no group)
  phone type, phone number                  UpdateUserConfig, VOICE
  soft phone auto accept                    UpdateUserConfig, VOICE auto-accept
  ACW timeout                               UpdateUserConfig, every channel's ACW timeout
  persistent connection, audio enhancement  UpdateUserConfig, VOICE (left alone on a desk phone)
  tags                                      TagResource / UntagResource: the user's tags are
                                            the cell's; tags a cell cannot hold (aws: keys,
                                            | in a key or value) are left alone

The plan and each user's turn:
  Each user is compared with the file field by field and shown as `field: before → after`;
  users already as the file says are counted. Right before its turn each user is read again
  (DescribeUser) and decided anew: a field someone else changed since the plan is not
  overwritten (and said so), the others go ahead.

Outcomes (report, --format json, exit code):
  changed, unchanged, skipped; partial (some fields changed, others not: each named, with
  why); failed; unknown (no answer within --patience: run again); not_submitted.
  --failed-out writes the file's own rows of the users not finished; running the same file
  again finishes them. Exit 0 when every user is changed or unchanged; 1 when the file has
  errors (nothing was sent); 3 when any user is partial, failed, unknown or not sent;
  2 for usage, configuration or refused permissions; 130 interrupted.

IAM actions: connect:DescribeInstance, ListRoutingProfiles, ListSecurityProfiles,
  ListUserHierarchyGroups, DescribeUserHierarchyGroup, SearchUsers, DescribeUser, ListUsers,
  and the updates used: UpdateUserRoutingProfile, UpdateUserSecurityProfiles,
  UpdateUserHierarchy, UpdateUserIdentityInfo, UpdateUserConfig, TagResource, UntagResource.";

/// Change existing users to what an edited file says (e.g. an `agents
/// export` changed in a spreadsheet).
///
/// Every column the file has is compared with each user it names; the
/// review shows each change as `field: before → after`, and only the fields
/// that differ are sent, after confirmation. Never creates a user: a login
/// the instance does not have stops the run (`import apply` creates users).
/// Running the same file again finishes an interrupted or partly failed run.
///
/// Reference: `connect-users guide agents-edit` (what each column changes, each
/// agent's turn, outcomes), `connect-users guide validation`, `connect-users guide iam`,
/// `connect-users guide exit-codes`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES, after_long_help = format!("{REFERENCE}\n\n{EXAMPLES}"))]
pub struct Args {
    /// The edited file (a filled template); `-` reads standard input.
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
    #[arg(long, value_enum, default_value_t = Format::Table, help_heading = "Run")]
    pub format: Format,

    #[command(flatten)]
    pub run: RunArgs,

    /// Write the file's rows of the users not finished (partial, failed,
    /// unknown or not sent) here, to run again.
    #[arg(long, value_name = "PATH", help_heading = "Run")]
    pub failed_out: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let online = session::required(&args.instance, args.run.pacing())?;
    crate::apply::check_files(
        &args.file,
        args.run.report.as_deref(),
        args.failed_out.as_deref(),
        None,
        false,
    )?;
    crate::input::check_readable(&args.file)?;
    let bulk = Bulk {
        kind: RunKind::AgentsEdit,
        run: &args.run,
        format: args.format,
        stdin_is_input: args.file == "-",
        records: &[("--failed-out", args.failed_out.as_deref())],
    };
    bulk.run(online, async |connection, interactive| {
        plan(&args, connection, interactive).await
    })
}

/// Validates the file, reads its users, and plans each one.
async fn plan(
    args: &Args,
    connection: &Connection,
    interactive: bool,
) -> anyhow::Result<Step<crate::agents::edit_turn::EditTurn>> {
    use anyhow::Context as _;
    const UNWRITTEN: &str = "nothing was changed";
    let instance = session::describe(connection).await?;
    let options = ValidateOptions {
        identity: instance.identity,
        identity_from: IdentityFrom::Instance,
        encoding: args.encoding,
        purpose: Purpose::Edit,
        ..ValidateOptions::default()
    };
    let mut validation = validate::validate_file(&args.file, &options)?;
    let mut users = Vec::new();
    let mut directory = None;
    if !validation.has_errors() {
        let leaves = edit_file::leaf_names(&validation);
        let api = &connection.api;
        let mut names = crate::agents::select::read_directory(api, !leaves.is_empty())
            .await
            .map_err(|err| session::explain_any(err, &connection.target))
            .context(UNWRITTEN)?;
        let groups = edit_file::leaf_groups(&names, &leaves);
        names
            .describe_groups(api, groups, connection.pacing.concurrency)
            .await
            .map_err(|err| session::explain(err, &connection.target))
            .context("cannot read the instance's hierarchy; nothing was changed")?;
        users = edit_file::wanted(&mut validation, &names);
        directory = Some(names);
    }
    let Some(directory) = directory.filter(|_| !validation.has_errors()) else {
        shown::emit(&validation, args.format, false, false)?;
        eprintln!("nothing was changed: fix the errors above and run again");
        return Ok(Step::End(Exit::Invalid));
    };
    if args.format == Format::Table {
        for finding in &validation.findings {
            eprintln!(
                "{}",
                crate::output::finding_line(&validation.source, finding)
            );
        }
    }
    let selection = Selection {
        logins: users
            .iter()
            .map(|user| selected(&validation, user))
            .collect(),
        ..Selection::default()
    };
    let want = Want {
        current: edit_file::needs_described_users(&validation),
    };
    let read = session::read_agents_in(connection, directory, &selection, want, interactive)
        .await
        .map_err(|err| {
            if err.chain().any(|cause| cause.is::<MissingLogins>()) {
                err.context(
                    "`agents edit` changes existing users only: `import apply` creates new ones; \
                     remove these rows or import them first. Nothing was changed",
                )
            } else {
                err.context("cannot read the file's users; nothing was changed")
            }
        })?;
    let namer = read.directory.namer();
    let by_login: std::collections::BTreeMap<String, FileUser> = users
        .into_iter()
        .map(|user| (user.login.to_lowercase(), user))
        .collect();
    let mut agents = Vec::new();
    for agent in read.agents {
        if let Some(user) = by_login.get(&agent.login().to_lowercase()) {
            agents.push(PlannedAgent::new(
                agent,
                Arc::new(user.wanted.clone()),
                Some(user.line),
            ));
        }
    }
    if agents.len() < by_login.len() || !read.gone.is_empty() {
        anyhow::bail!(
            "users of the file were deleted while they were being read ({}); nothing was \
             changed: run again",
            read.gone.join(", ")
        );
    }
    agents.sort_by_key(|p| p.line);
    let plan = EditPlan {
        agents,
        context: Arc::new(Context {
            criteria: read.criteria,
            namer,
            identity: instance.identity,
            patience: connection.pacing.patience,
        }),
    };
    let problems = plan.problems();
    if !problems.is_empty() {
        anyhow::bail!(
            "{} users cannot take the file's change, so nothing was changed:\n{}",
            problems.len(),
            problems.join("\n")
        );
    }
    if args.format == Format::Table {
        print!("{}", plan.review(terminal_width()));
    }
    let planned = plan.planned_json();
    let to_write = plan.counts().0;
    let job = plan.into_job(&session::instance_label(&instance), !args.run.dry_run);
    Ok(Step::Run(Box::new(Planned {
        job,
        to_write,
        instance,
        outputs: outputs(args, &validation),
        dry_run_notes: Vec::new(),
        closing: Box::new(EditClosing {
            planned,
            validation,
        }),
    })))
}

/// The row's login as a selected one, named by its file and line.
fn selected(validation: &Validation, user: &FileUser) -> SelectedLogin {
    SelectedLogin {
        login: user.login.clone(),
        origin: Origin::File {
            file: validation.source.clone(),
            line: user.line,
            shown: user.shown,
        },
    }
}

/// `--report` as rows end, then `--failed-out` with the file's own rows.
fn outputs(args: &Args, validation: &Validation) -> Vec<OpenSink> {
    let mut outputs: Vec<OpenSink> = Vec::new();
    outputs.extend(
        args.run
            .report
            .clone()
            .map(crate::run::report::Report::opener),
    );
    if let Some(path) = args.failed_out.clone() {
        let rows = FileRows::of(validation);
        outputs.push(Box::new(move || {
            Ok(Box::new(FailedOut::create(&path, rows)?) as Box<dyn RowSink>)
        }));
    }
    outputs
}

/// `agents edit`'s closing output: the run, and the changes it planned.
struct EditClosing {
    planned: Vec<serde_json::Value>,
    validation: Validation,
}

impl Closing for EditClosing {
    fn json(self: Box<Self>, mut run: serde_json::Value) -> serde_json::Value {
        run["schema_version"] = 1.into();
        run["source"] = self.validation.source.into();
        run["planned_changes"] = self.planned.into();
        run
    }

    fn github(self: Box<Self>, kind: RunKind, outcomes: &[RowOutcome]) -> String {
        let file = Some(self.validation.source.as_str());
        let findings = crate::output::github::render(&self.validation);
        findings + &summary::github(kind, file, outcomes)
    }
}
