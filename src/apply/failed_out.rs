//! `--failed-out PATH`: the rows that still need a run (failed, unknown, or
//! never sent), in the template format — the file's own header and cells —
//! so the file can be fixed and run again as it is.
//!
//! The file is created and its header written before the first write call
//! (an unwritable path costs nothing), and each row is appended and flushed
//! as it ends, so a killed run keeps what it knew. The rows are the
//! administrator's own input, passwords included (a connect-managed row
//! cannot be re-run without one), so the file is readable by its owner only:
//! a new file ([`crate::output_file`]), never an existing one emptied.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::output_file::{self, Existing, Output};
use crate::run::outcome::RowOutcome;
use crate::run::RowSink;
use crate::validate::{Cells, Validation};

/// The input file's header and rows by line: what is written back.
pub struct FileRows {
    pub header: Vec<String>,
    pub rows: BTreeMap<u64, Cells>,
}

impl FileRows {
    pub fn of(validation: &Validation) -> FileRows {
        FileRows {
            header: validation.header.clone(),
            rows: validation
                .users
                .iter()
                .map(|entry| (entry.line, entry.record.clone()))
                .collect(),
        }
    }
}

/// The open file of rows to run again.
pub struct FailedOut {
    path: PathBuf,
    writer: csv::Writer<File>,
    /// The file's rows by line: what is written back.
    rows: BTreeMap<u64, Cells>,
    written: usize,
}

/// `--failed-out PATH` as an output: replaced when it exists, readable by
/// its owner only (it holds the rows' passwords).
pub fn output(path: PathBuf) -> Output {
    Output {
        flag: "--failed-out",
        path,
        private: true,
        existing: Existing::Replace,
    }
}

impl FailedOut {
    /// Creates (or replaces) the file, readable by its owner only, and
    /// writes the header.
    pub fn create(path: &Path, rows: FileRows) -> anyhow::Result<FailedOut> {
        FailedOut::open(path, rows)
            .with_context(|| format!("cannot write the rows to run again to {}", path.display()))
    }

    fn open(path: &Path, FileRows { header, rows }: FileRows) -> anyhow::Result<FailedOut> {
        use std::io::Write;
        let mut file = output_file::create(&output(path.to_path_buf()))?;
        file.write_all("\u{feff}".as_bytes())?;
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(file);
        writer.write_record(&header)?;
        writer.flush()?;
        Ok(FailedOut {
            path: path.to_path_buf(),
            writer,
            rows,
            written: 0,
        })
    }
}

impl RowSink for FailedOut {
    fn path(&self) -> &Path {
        &self.path
    }

    fn what(&self) -> &'static str {
        "rows to run again"
    }

    fn record(&mut self, row: &RowOutcome) -> anyhow::Result<()> {
        if !row.outcome.needs_rerun() {
            return Ok(());
        }
        let Some(cells) = row.line.and_then(|line| self.rows.get(&line)) else {
            return Ok(());
        };
        self.writer
            .write_record(cells.iter())
            .and_then(|()| self.writer.flush().map_err(Into::into))
            .with_context(|| {
                format!(
                    "cannot write the rows to run again to {}",
                    self.path.display()
                )
            })?;
        self.written += 1;
        Ok(())
    }

    fn written(&self) -> usize {
        self.written
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::outcome::Outcome;

    #[test]
    fn failed_unknown_and_unsent_rows_are_written_back_as_they_were() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("again.csv");
        let cells = |login: &str| {
            let password = format!("Pw{login}1x");
            [login, password.as_str(), "a, b"]
                .into_iter()
                .collect::<Cells>()
        };
        let logins = ["ann", "bo", "cy", "di", "ed"];
        let rows = FileRows {
            header: vec!["user login".into(), "password".into(), "tags".into()],
            rows: (2..)
                .zip(logins)
                .map(|(line, l)| (line, cells(l)))
                .collect(),
        };
        let id = || ("id".to_string(), "arn".to_string());
        let outcomes = [
            Outcome::Created {
                user_id: id().0,
                user_arn: id().1,
            },
            Outcome::Exists {
                user_id: id().0,
                user_arn: id().1,
                unproven: None,
            },
            Outcome::Failed {
                error_type: "InvalidParameterException".into(),
                message: "m".into(),
            },
            Outcome::Unknown {
                error_type: "InternalServiceException".into(),
                message: "m".into(),
            },
            Outcome::NotSubmitted {
                reason: "interrupted".into(),
            },
        ];
        let mut out = FailedOut::create(&path, rows).unwrap();
        for ((line, login), outcome) in (2..).zip(logins).zip(outcomes) {
            out.record(&RowOutcome {
                line: Some(line),
                user_login: login.into(),
                outcome,
            })
            .unwrap();
        }
        assert_eq!(out.written(), 3);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            "\u{feff}user login,password,tags\r\n\
             cy,Pwcy1x,\"a, b\"\r\n\
             di,Pwdi1x,\"a, b\"\r\n\
             ed,Pwed1x,\"a, b\"\r\n"
        );
    }
}
