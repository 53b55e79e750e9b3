//! `connect-users agents remove`: offboard agents in bulk — read the
//! selected users whole, review, a typed confirmation, a backup that
//! brings them back, then DeleteUser per agent on the batch runner, each
//! read again right before its delete.

use std::path::Path;

use anyhow::Context;

use crate::agents::{export, remove, remove_backup};
use crate::commands::args::{RunArgs, SelectArgs};
use crate::commands::bulk::{Bulk, Planned, PlannedForAgents, Step};
use crate::commands::shown::terminal_width;
use crate::connect::config::InstanceArgs;
use crate::exit::Exit;
use crate::identity::Identity;
use crate::output::terminal_text::visible_lines;
use crate::output::Format;
use crate::run::summary::RunKind;
use crate::session;

const EXAMPLES: &str = "Examples:
  connect-users agents remove --file leavers.csv --dry-run --instance-id 1f3c2b9a-…
  connect-users agents remove --file leavers.csv --instance-id 1f3c2b9a-…
  connect-users agents remove --login sales.ava --login sales.ben --local
  # in CI: no terminal, so --yes; keep the backup where the job keeps files
  connect-users agents remove --file leavers.csv --yes --backup \"$HOME/backups/leavers.csv\"
  # undo: the backup creates the users again (new IDs, new passwords)
  connect-users import apply BACKUP.csv --generate-passwords \"$HOME/secure/passwords.csv\"";

const REFERENCE: &str = "\
Selecting: the selectors of `agents list` (--routing-profile, --security-profile,
--hierarchy, --login, --file); each given must match. There is no way to
select every user: at least one selector is required. Every selected user is
read with DescribeUser (the backup needs the e-mail addresses and mobile
number the search leaves out). A login of --login or --file that no user
has is `absent`, listed in the review, not an error; a login whose user the
other selectors leave out is `skipped`. A --file login is quoted only when
its row cannot be hiding a password there.

Administrators: a user holding a security profile named Admin (the built-in
profile; the name compared ignoring case and surrounding spaces, never as a
part of another name) stops the run before anything is written, unless
--including-admins is given. --dry-run says so too (exit 2).

Review and confirmation: every selected user (login, name, routing profile,
security profiles) and what happens to it, then the counts. On a terminal the
instance's alias must be typed out (its ID when it has none); anything else
removes nothing (exit 2). Without a terminal --yes is required. --dry-run
stops after the review: no write call, no backup, no file.

The backup: after the confirmation and before the first DeleteUser, the users
to remove are written as a filled template of the instance's identity type,
as `agents export` writes it: to --backup PATH, or to
removed-ALIAS-YYYYMMDDTHHMMSSZ.csv (UTC) in the current directory. It is
written whole to a temporary file, synced, renamed into place, readable by
you only, and never replaces a file; if it cannot be written nothing is
deleted (exit 2). It is named on stderr as soon as it is on disk, and in the
closing lines. `import apply BACKUP --generate-passwords PATH` (connect-managed)
or `import apply BACKUP` (SAML, existing directory) creates the users again.
What cannot come back: the user IDs and ARNs (the new users get new ones, so
history tied to the old ID — contact records, agent activity audit, metrics —
stays with the deleted user), the passwords, per-channel settings the template
has no column for, proficiencies, and quick connects that pointed at the user.

Each delete: the user is read again (DescribeUser) right before its
DeleteUser and deleted only if it still meets the selectors, holds no Admin
profile (without --including-admins) and is unchanged since the review —
exactly what the backup holds. A DeleteUser whose answer was lost is settled
by reading the user back.

Outcomes: removed (this run deleted it), absent (no such user, or someone
else deleted it first), skipped (no longer selected: not removed), failed (a
final answer from the service, or changed since the review: ChangedMeanwhile,
not removed), unknown (no answer within --patience: run again),
not_submitted (never sent). Running the same command again finishes an
interrupted run: the users already removed are absent.

Exit status: 0 done (removed, absent, skipped), 2 usage, configuration,
administrators selected, a declined confirmation, a backup or report that
cannot be written, refused permissions; 3 some agents failed, are unknown or
were not sent; 130 interrupted (Ctrl-C, SIGTERM).

IAM: connect:DescribeInstance, connect:ListRoutingProfiles,
connect:ListSecurityProfiles, connect:ListUserHierarchyGroups,
connect:DescribeUserHierarchyGroup, connect:SearchUsers, connect:ListUsers,
connect:DescribeUser, connect:DeleteUser.";

/// Remove agents in bulk, after a backup that brings them back.
///
/// Reads the selected users, shows them, asks for the instance's alias to be
/// typed, writes them to a backup file (a filled template `import apply`
/// accepts), then deletes each with DeleteUser — only if it is still as
/// reviewed — paced, retried, interruptible, every agent accounted for.
///
/// Reference: `connect-users guide agents-remove` (safety, the backup, what
/// cannot come back, outcomes), `connect-users guide iam`, `connect-users guide exit-codes`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES, after_long_help = format!("{REFERENCE}\n\n{EXAMPLES}"))]
pub struct Args {
    #[command(flatten)]
    pub select: SelectArgs,

    /// Remove users holding a security profile named Admin too (without it,
    /// selecting one stops the run).
    #[arg(long, help_heading = "Select agents")]
    pub including_admins: bool,

    /// Where to write the backup: a new file, never replaced [default:
    /// removed-ALIAS-YYYYMMDDTHHMMSSZ.csv in the current directory].
    #[arg(long, value_name = "PATH")]
    pub backup: Option<std::path::PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    #[command(flatten)]
    pub instance: InstanceArgs,

    #[command(flatten)]
    pub run: RunArgs,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    // The selection first: a command that names nobody is wrong whatever
    // the instance.
    let selection = args.select.selection()?;
    anyhow::ensure!(
        selection.narrows(),
        "name the agents to remove: --routing-profile, --security-profile, --hierarchy, --login \
         or --file; agents remove never removes every user"
    );
    let online = session::required(&args.instance, args.run.pacing())?;
    let report_output: Vec<_> = args
        .run
        .report
        .iter()
        .cloned()
        .map(crate::run::report::output)
        .collect();
    let inputs = args.select.inputs();
    let check_outputs = |backup: Option<&Path>| {
        let mut outputs = report_output.clone();
        outputs.extend(backup.map(|p| remove_backup::output(p.to_path_buf())));
        crate::output_file::check(&inputs, &outputs)
    };
    check_outputs(args.backup.as_deref())?;
    let bulk = Bulk {
        kind: RunKind::AgentsRemove,
        run: &args.run,
        format: args.format,
        stdin_is_input: false,
        records: &[("--backup", args.backup.as_deref())],
    };
    let report = bulk.report();
    bulk.run(online, async |connection, interactive| {
        // Nothing is written before the plan is read whole.
        const UNWRITTEN: &str = "cannot read the selected agents; nothing was removed";
        let instance = session::describe(connection).await.context(UNWRITTEN)?;
        let selected = session::read_removal(connection, &selection, interactive)
            .await
            .context(UNWRITTEN)?;
        let plan = remove::plan(selected, args.including_admins);
        if args.format == Format::Table {
            print!("{}", plan.review(terminal_width()));
        }
        if let Some(refusal) = plan.refusal() {
            anyhow::bail!(refusal);
        }
        let backup = plan.backup(instance.identity);
        let to_write = plan.to_remove();
        if to_write > 0 {
            tell_what_the_backup_lacks(&backup);
        }
        let path = match &args.backup {
            Some(path) => path.clone(),
            None => {
                let path = remove_backup::default_path(&instance, time::OffsetDateTime::now_utc());
                check_outputs(Some(&path))?;
                path
            }
        };
        let mut outputs = Vec::new();
        let mut dry_run_notes = Vec::new();
        if to_write > 0 {
            let restore = restore_command(instance.identity, &path);
            let agents = crate::output::plural(to_write, "agent");
            let them = if to_write == 1 { "it" } else { "them" };
            dry_run_notes.push(format!(
                "a run writes the backup of the {agents} to {} before the first delete",
                path.display()
            ));
            let announce = Box::new(move |path: &Path| {
                eprintln!(
                    "connect-users: wrote the backup of the {agents} to {} (readable by \
                     you only; `{restore}` creates {them} again)",
                    visible_lines(&path.display().to_string())
                );
            });
            let bytes = backup.to_bytes()?;
            outputs.push(remove_backup::opener(
                remove_backup::output(path),
                bytes,
                to_write,
                announce,
            ));
        }
        outputs.extend(report);
        let planned = plan.planned_json();
        let lines = selection.file_lines();
        let job = plan.into_job(
            &session::instance_label(&instance),
            connection.pacing.patience,
            &lines,
        );
        Ok(Step::Run(Box::new(Planned {
            job,
            to_write,
            instance,
            outputs,
            dry_run_notes,
            closing: Box::new(PlannedForAgents {
                key: "planned_removals",
                planned,
                file: args.select.file.as_ref().map(|p| p.display().to_string()),
            }),
        })))
    })
}

/// Names on stderr what the backup cannot carry (see `agents export`), and
/// the rows `import validate` would refuse, before anyone is asked.
fn tell_what_the_backup_lacks(backup: &export::Export) {
    for loss in &backup.losses {
        eprintln!(
            "connect-users: warning: the backup cannot carry everything: {}",
            visible_lines(&loss.to_string())
        );
    }
    let Ok(bytes) = backup.to_bytes() else {
        return;
    };
    let validation = export::check("the backup", &bytes, backup.identity);
    if validation.has_errors() {
        eprintln!(
            "connect-users: warning: `import validate` finds {} errors in the backup; these rows \
             need edits before the backup can be imported:",
            validation.error_count()
        );
        for finding in validation.findings.iter().filter(|f| f.is_error()).take(10) {
            eprintln!("  {}", visible_lines(&backup.describe(finding)));
        }
    }
}

/// The command that creates the backup's users again.
fn restore_command(identity: Identity, path: &Path) -> String {
    let path = visible_lines(&path.display().to_string()).into_owned();
    match identity {
        Identity::ConnectManaged => {
            format!("connect-users import apply {path} --generate-passwords PASSWORDS-FILE")
        }
        _ => format!("connect-users import apply {path}"),
    }
}
