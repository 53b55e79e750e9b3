//! `import apply` on top of the batch runner: the plan's new users as
//! [`create::CreateUser`] changes, the users that already exist as settled
//! rows, the file of rows to run again, and the generated passwords.

pub mod create;
pub mod failed_out;
pub mod passwords;
pub mod passwords_file;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::plan::Plan;
use crate::run::outcome::{Outcome, RowOutcome};
use crate::run::{Job, OpenSink, RowSink};
use crate::validate::Validation;
use create::CreateUser;
use failed_out::{FailedOut, FileRows};

/// The batch for a plan: its creates, and its existing users as `exists`.
pub fn job(plan: Plan, instance_label: &str) -> Job<CreateUser> {
    let namer = Arc::new(plan.namer);
    let settled = plan
        .exists
        .into_iter()
        .map(|e| RowOutcome {
            line: Some(e.line),
            user_login: e.login,
            outcome: Outcome::Exists {
                user_id: e.user.id,
                user_arn: e.user.arn,
                unproven: None,
            },
        })
        .collect();
    let changes: Vec<CreateUser> = plan
        .creates
        .into_iter()
        .map(|planned| CreateUser::new(planned, namer.clone()))
        .collect();
    let question = format!(
        "Create {} users in instance {instance_label}?",
        changes.len()
    );
    Job {
        settled,
        changes,
        question,
    }
}

/// The files an import reads and writes, checked before the instance is
/// read: each output a regular file (or a new one) of its own, none of them
/// the input file, the passwords file new unless `force`.
pub fn check_files(
    input: &str,
    report: Option<&Path>,
    failed_out: Option<&Path>,
    passwords: Option<&Path>,
    force: bool,
) -> anyhow::Result<()> {
    use crate::output_file::{check, Input};
    let inputs: Vec<Input> = Input::named("the input file", input).into_iter().collect();
    let mut outputs = Vec::new();
    outputs.extend(report.map(|p| crate::run::report::output(p.to_path_buf())));
    outputs.extend(failed_out.map(|p| failed_out::output(p.to_path_buf())));
    outputs.extend(passwords.map(|p| passwords_file::output(p.to_path_buf(), force)));
    check(&inputs, &outputs)
}

/// `--generate-passwords PATH`: the passwords generated for the plan.
pub struct PasswordsOutput {
    pub path: PathBuf,
    /// `--force`: replace an existing file.
    pub force: bool,
    pub generated: Vec<passwords::Generated>,
}

/// The files an import writes: `--report` and `--failed-out` as rows end,
/// and the generated passwords, written whole when opened. The passwords
/// file is opened last, and each output takes the rows the plan settled
/// before the next is opened, so a report or rows-to-run-again file that
/// cannot be written stops the run before any password is written.
pub fn outputs(
    report: Option<PathBuf>,
    failed_out: Option<PathBuf>,
    passwords: Option<PasswordsOutput>,
    validation: &Validation,
) -> Vec<OpenSink> {
    let mut outputs: Vec<OpenSink> = Vec::new();
    outputs.extend(report.map(crate::run::report::Report::opener));
    if let Some(path) = failed_out {
        let rows = FileRows::of(validation);
        outputs.push(Box::new(move || {
            Ok(Box::new(FailedOut::create(&path, rows)?) as Box<dyn RowSink>)
        }));
    }
    if let Some(PasswordsOutput {
        path,
        force,
        generated,
    }) = passwords
    {
        outputs.push(Box::new(move || {
            let file = passwords_file::PasswordsFile::write(&path, force, generated)?;
            Ok(Box::new(file) as Box<dyn RowSink>)
        }));
    }
    outputs
}
