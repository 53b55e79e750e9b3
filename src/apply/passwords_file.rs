//! The file of generated passwords (`--generate-passwords PATH`): CSV
//! `user login,password,line,status`, one row per planned create whose
//! password was generated, readable by its owner only.
//!
//! Every generated password is written, flushed and synced when the file is
//! opened — after the confirmation and before the first write call — so no
//! CreateUser can carry a password the file does not hold, whenever the
//! run is killed. Each row starts `pending`; as rows end, the file is
//! rewritten (whole, by a temporary file renamed into place: never a
//! partial file, never without a password it held) with what the run has
//! found out about each password, at most once a second and once at the
//! end:
//!
//! - `valid`: this run's CreateUser was answered with success, so the user
//!   has this password;
//! - `not proven`: the user may have this password — an attempt whose
//!   answer was lost may have created it, but the user exists and nothing
//!   shows whose create made it (CreateUser takes no client token), or the
//!   outcome is `unknown`. Reset the user's password;
//! - `not used`: the user was not created with this password (refused,
//!   not sent, or made by someone else);
//! - `pending`: the run ended before this row did (killed): the report says
//!   more; treat it as `not proven`.
//!
//! An existing file is refused unless `--force`, since it may hold the only
//! copy of passwords in use. Passwords are letters and digits, so no cell
//! needs quoting, and the file has no byte-order mark: every cell is ASCII
//! (logins are ASCII by the login rule), so a mark would not help Excel and
//! would only trip scripts.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;

use super::passwords::Generated;
use crate::output_file::{self, Existing, Output};
use crate::run::outcome::{Outcome, RowOutcome};
use crate::run::RowSink;

/// The file's header.
pub const HEADER: [&str; 4] = ["user login", "password", "line", "status"];

/// How often, at most, the file is rewritten while the run goes on.
const REWRITE_EVERY: Duration = Duration::from_secs(1);

/// What one row's generated password is worth, as far as the run knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordStatus {
    /// The row has not ended yet.
    Pending,
    /// This run created the user with it.
    Valid,
    /// The user may or may not have it.
    NotProven,
    /// The user was not created with it.
    NotUsed,
}

impl PasswordStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PasswordStatus::Pending => "pending",
            PasswordStatus::Valid => "valid",
            PasswordStatus::NotProven => "not proven",
            PasswordStatus::NotUsed => "not used",
        }
    }

    /// The status a row's outcome gives its password.
    pub fn of(outcome: &Outcome) -> PasswordStatus {
        match outcome {
            Outcome::Created { .. } => PasswordStatus::Valid,
            Outcome::Exists {
                unproven: Some(_), ..
            }
            | Outcome::Unknown { .. } => PasswordStatus::NotProven,
            _ => PasswordStatus::NotUsed,
        }
    }
}

/// `--generate-passwords PATH` as an output: private, and kept unless
/// `--force` when it exists.
pub fn output(path: PathBuf, force: bool) -> Output {
    Output {
        flag: "--generate-passwords",
        path,
        private: true,
        existing: Existing::unless_forced(force, "it may hold the only copy of passwords in use"),
    }
}

/// A written passwords file, kept up to date as rows end.
pub struct PasswordsFile {
    output: Output,
    rows: Vec<(Generated, PasswordStatus)>,
    /// Row index by input line.
    by_line: HashMap<u64, usize>,
    /// Statuses changed since the file was last written.
    stale: bool,
    written_at: Instant,
}

impl PasswordsFile {
    /// Creates the file and writes every generated password into it,
    /// `pending`, synced to the disk before returning.
    pub fn write(path: &Path, force: bool, generated: Vec<Generated>) -> anyhow::Result<Self> {
        let by_line = generated
            .iter()
            .enumerate()
            .map(|(at, g)| (g.line, at))
            .collect();
        let mut file = PasswordsFile {
            output: output(path.to_path_buf(), force),
            rows: generated
                .into_iter()
                .map(|g| (g, PasswordStatus::Pending))
                .collect(),
            by_line,
            stale: false,
            written_at: Instant::now(),
        };
        file.rewrite()?;
        // From now on the file is this run's own: replaced as statuses change.
        file.output.existing = Existing::Replace;
        Ok(file)
    }

    fn rewrite(&mut self) -> anyhow::Result<()> {
        let bytes = self.bytes().with_context(|| self.cannot())?;
        output_file::write(&self.output, &bytes).with_context(|| self.cannot())?;
        self.stale = false;
        self.written_at = Instant::now();
        Ok(())
    }

    fn cannot(&self) -> String {
        format!(
            "cannot write the generated passwords to {}",
            self.output.path.display()
        )
    }

    fn bytes(&self) -> anyhow::Result<Vec<u8>> {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        writer.write_record(HEADER)?;
        for (row, status) in &self.rows {
            let line = row.line.to_string();
            writer.write_record([
                row.login.as_str(),
                row.password.expose(),
                line.as_str(),
                status.as_str(),
            ])?;
        }
        writer
            .into_inner()
            .map_err(|err| anyhow::anyhow!("{}", err.error()))
    }

    fn note(&mut self, row: &RowOutcome) {
        let Some(&at) = row.line.and_then(|line| self.by_line.get(&line)) else {
            return;
        };
        let status = PasswordStatus::of(&row.outcome);
        if self.rows[at].1 != status {
            self.rows[at].1 = status;
            self.stale = true;
        }
    }
}

impl RowSink for PasswordsFile {
    fn path(&self) -> &Path {
        &self.output.path
    }

    fn what(&self) -> &'static str {
        "generated passwords"
    }

    fn record(&mut self, row: &RowOutcome) -> anyhow::Result<()> {
        self.note(row);
        if self.stale && self.written_at.elapsed() >= REWRITE_EVERY {
            self.rewrite()?;
        }
        Ok(())
    }

    fn finish(&mut self, outcomes: &[RowOutcome]) -> anyhow::Result<()> {
        for row in outcomes {
            self.note(row);
        }
        if self.stale {
            self.rewrite()?;
        }
        Ok(())
    }

    fn written(&self) -> usize {
        self.rows.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    fn rows() -> Vec<Generated> {
        vec![
            Generated {
                line: 2,
                login: "a.sato".into(),
                password: Secret::new("Abcdefgh23456789Wxyz"),
            },
            Generated {
                line: 5,
                login: "b.ito".into(),
                password: Secret::new("Zyxwvuts98765432Abcd"),
            },
        ]
    }

    fn ended(line: u64, outcome: Outcome) -> RowOutcome {
        RowOutcome {
            line: Some(line),
            user_login: String::new(),
            outcome,
        }
    }

    #[test]
    fn writes_every_row_pending_owner_only_then_what_each_row_proved() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("passwords.csv");
        let mut file = PasswordsFile::write(&path, false, rows()).unwrap();
        assert_eq!(file.written(), 2);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "user login,password,line,status\r\n\
             a.sato,Abcdefgh23456789Wxyz,2,pending\r\n\
             b.ito,Zyxwvuts98765432Abcd,5,pending\r\n"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let outcomes = [
            ended(
                2,
                Outcome::Created {
                    user_id: "u".into(),
                    user_arn: "a".into(),
                },
            ),
            ended(
                5,
                Outcome::Exists {
                    user_id: "u".into(),
                    user_arn: "a".into(),
                    unproven: Some("lost answer".into()),
                },
            ),
        ];
        file.finish(&outcomes).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "user login,password,line,status\r\n\
             a.sato,Abcdefgh23456789Wxyz,2,valid\r\n\
             b.ito,Zyxwvuts98765432Abcd,5,not proven\r\n"
        );
        let entries = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(entries, 1, "no temporary file left");
    }

    #[test]
    fn each_outcome_gives_its_status() {
        let exists = |unproven: Option<&str>| Outcome::Exists {
            user_id: "u".into(),
            user_arn: "a".into(),
            unproven: unproven.map(Into::into),
        };
        let unknown = Outcome::Unknown {
            error_type: "x".into(),
            message: "m".into(),
        };
        let failed = Outcome::Failed {
            error_type: "x".into(),
            message: "m".into(),
        };
        let unsent = Outcome::NotSubmitted { reason: "r".into() };
        assert_eq!(
            PasswordStatus::of(&exists(Some("why"))),
            PasswordStatus::NotProven
        );
        assert_eq!(PasswordStatus::of(&exists(None)), PasswordStatus::NotUsed);
        assert_eq!(PasswordStatus::of(&unknown), PasswordStatus::NotProven);
        assert_eq!(PasswordStatus::of(&failed), PasswordStatus::NotUsed);
        assert_eq!(PasswordStatus::of(&unsent), PasswordStatus::NotUsed);
    }

    #[test]
    fn an_existing_file_is_kept_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("passwords.csv");
        std::fs::write(&path, "old").unwrap();
        let err = PasswordsFile::write(&path, false, rows()).err().unwrap();
        let text = format!("{err:#}");
        assert!(
            text.contains("--force") && text.contains("only copy of passwords"),
            "{text}"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        PasswordsFile::write(&path, true, rows()).unwrap();
        assert!(std::fs::read_to_string(&path)
            .unwrap()
            .starts_with("user login,password,line,status"));
    }

    #[test]
    fn an_unwritable_path_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing-dir").join("passwords.csv");
        let err = PasswordsFile::write(&path, false, rows()).err().unwrap();
        let text = format!("{err:#}");
        assert!(text.contains("missing-dir/passwords.csv"), "{text}");
        assert!(!text.contains("Abcdefgh23456789Wxyz"), "{text}");
    }
}
