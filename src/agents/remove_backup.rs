//! The backup of `agents remove`: the users to remove as a filled template
//! of the instance's type (what `agents export` writes), which `import
//! apply` turns back into the same users. It is written whole, synced and
//! private, after the confirmation and before the first DeleteUser, as the
//! first output the batch opens: a backup that cannot be written stops the
//! run with nothing deleted. It is never overwritten.

use std::path::{Path, PathBuf};

use crate::connect::InstanceInfo;
use crate::output_file::{self, Existing, Output};
use crate::run::outcome::RowOutcome;
use crate::run::{OpenSink, RowSink};

/// The backup at `path` as an output: private (names, e-mail addresses,
/// phone numbers) and never replacing a file, which may be the backup of
/// an earlier removal.
pub fn output(path: PathBuf) -> Output {
    Output {
        flag: "--backup",
        path,
        private: true,
        existing: Existing::Never(
            "it may be the backup of an earlier removal, so it is never replaced: name a new file",
        ),
    }
}

/// `removed-ALIAS-20250102T030405Z.csv` in the current directory: the
/// instance (its alias, or its ID) and the time (UTC) of the run, so
/// backups sort by time; `…Z-2.csv`, `…Z-3.csv` when a run of the same
/// second took the name (the file is created only if the name is still
/// free when it is written).
pub fn default_path(instance: &InstanceInfo, now: time::OffsetDateTime) -> PathBuf {
    let first = first_choice(instance, now);
    let stem = first.with_extension("");
    std::iter::once(first.clone())
        .chain((2..).map(|n| PathBuf::from(format!("{}-{n}.csv", stem.display()))))
        .find(|path| path.symlink_metadata().is_err())
        .unwrap_or(first)
}

fn first_choice(instance: &InstanceInfo, now: time::OffsetDateTime) -> PathBuf {
    let name = instance.alias.as_deref().unwrap_or(&instance.id);
    // A file name of letters, digits, `-`, `_` and `.` only.
    let name: String = name
        .chars()
        .map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '_' | '.' => c,
            _ => '_',
        })
        .collect();
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    let stamp = now
        .to_offset(time::UtcOffset::UTC)
        .format(&format)
        .unwrap_or_default();
    PathBuf::from(format!("removed-{name}-{stamp}.csv"))
}

/// The written backup, as the batch's first output: it records no rows,
/// and counts the users it holds.
struct Backup {
    path: PathBuf,
    users: usize,
}

impl RowSink for Backup {
    fn path(&self) -> &Path {
        &self.path
    }

    fn what(&self) -> &'static str {
        "backup"
    }

    fn record(&mut self, _: &RowOutcome) -> anyhow::Result<()> {
        Ok(())
    }

    fn written(&self) -> usize {
        self.users
    }
}

/// Writes the backup (`bytes`, `users` users) when the batch opens its
/// outputs; `written` hears where, once it is on disk.
pub fn opener(
    output: Output,
    bytes: Vec<u8>,
    users: usize,
    written: Box<dyn FnOnce(&Path) + Send>,
) -> OpenSink {
    Box::new(move || {
        output_file::write(&output, &bytes).map_err(|err| {
            err.context(format!(
                "cannot write the backup {}; nothing was removed",
                output.path.display()
            ))
        })?;
        written(&output.path);
        Ok(Box::new(Backup {
            path: output.path,
            users,
        }) as Box<dyn RowSink>)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::Identity;

    #[test]
    fn the_default_name_holds_the_instance_and_the_time() {
        let mut instance = InstanceInfo {
            id: "1f3c".into(),
            arn: "arn".into(),
            alias: Some("demo/contact center".into()),
            identity: Identity::ConnectManaged,
        };
        let now = time::macros::datetime!(2025-01-02 03:04:05 +02:00);
        assert_eq!(
            first_choice(&instance, now),
            PathBuf::from("removed-demo_contact_center-20250102T010405Z.csv")
        );
        instance.alias = None;
        assert_eq!(
            first_choice(&instance, now),
            PathBuf::from("removed-1f3c-20250102T010405Z.csv")
        );
    }
}
