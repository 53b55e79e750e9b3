//! `--report PATH`: one record per row, written and flushed as each row
//! ends, so a killed run still tells what it did. CSV, or JSON Lines when
//! the name ends in `.jsonl` / `.ndjson`. CSV cells are escaped against
//! spreadsheet formula injection (a cell starting with `= + - @` or a
//! control character is prefixed with `'`).
//!
//! Both formats are tried before the first write call: the CSV header is
//! written and flushed, and a JSON Lines file gets a probe write that is
//! taken back, so a full disk or an unwritable path stops the run while
//! nothing has been changed. The file is created as every output is
//! ([`crate::output_file`]): a regular file of its own, never the input.

use std::fs::File;
use std::io::{BufWriter, Seek, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::outcome::RowOutcome;
use super::{OpenSink, RowSink};
use crate::output_file::{self, Existing, Output};

/// The CSV report's columns.
pub const COLUMNS: [&str; 7] = [
    "line",
    "user_login",
    "outcome",
    "user_id",
    "user_arn",
    "error_type",
    "message",
];

/// An open report file.
pub struct Report {
    path: PathBuf,
    writer: Writer,
    written: usize,
}

enum Writer {
    Csv(Box<csv::Writer<File>>),
    JsonLines(BufWriter<File>),
}

/// `--report PATH` as an output: replaced when it exists, readable as the
/// umask allows (it holds no password).
pub fn output(path: PathBuf) -> Output {
    Output {
        flag: "--report",
        path,
        private: false,
        existing: Existing::Replace,
    }
}

impl Report {
    /// The report at `path`, opened when the run opens its outputs.
    pub fn opener(path: PathBuf) -> OpenSink {
        Box::new(move || Ok(Box::new(Report::create(&path)?) as Box<dyn RowSink>))
    }

    /// Creates (or replaces) the report and proves it can be written.
    pub fn create(path: &Path) -> anyhow::Result<Report> {
        Report::open(path).with_context(|| format!("cannot write the report {}", path.display()))
    }

    fn open(path: &Path) -> anyhow::Result<Report> {
        let mut file = output_file::create(&output(path.to_path_buf()))?;
        let json = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("ndjson"));
        let writer = if json {
            probe(&mut file)?;
            Writer::JsonLines(BufWriter::new(file))
        } else {
            let mut writer = csv::Writer::from_writer(file);
            writer.write_record(COLUMNS)?;
            writer.flush()?;
            Writer::Csv(Box::new(writer))
        };
        Ok(Report {
            path: path.to_path_buf(),
            writer,
            written: 0,
        })
    }

    fn write(&mut self, row: &RowOutcome) -> anyhow::Result<()> {
        match &mut self.writer {
            Writer::Csv(writer) => {
                let (id, arn) = row.outcome.user();
                let (error_type, message) = row.outcome.explanation();
                let line = row.line.map(|l| l.to_string()).unwrap_or_default();
                let cells = [
                    line.as_str(),
                    &row.user_login,
                    row.outcome.name(),
                    id,
                    arn,
                    error_type,
                    message,
                ];
                writer.write_record(cells.iter().map(|c| defuse(c).into_owned()))?;
                writer.flush()?;
            }
            Writer::JsonLines(writer) => {
                serde_json::to_writer(&mut *writer, row)?;
                writer.write_all(b"\n")?;
                writer.flush()?;
            }
        }
        Ok(())
    }
}

impl RowSink for Report {
    fn path(&self) -> &Path {
        &self.path
    }

    fn what(&self) -> &'static str {
        "report"
    }

    /// Appends one row and flushes it to the file.
    fn record(&mut self, row: &RowOutcome) -> anyhow::Result<()> {
        self.write(row)
            .with_context(|| format!("cannot write the report {}", self.path.display()))?;
        self.written += 1;
        Ok(())
    }

    fn written(&self) -> usize {
        self.written
    }
}

/// Writes a byte and takes it back: a full disk or a read-only file
/// fails here, before anything was sent. Outputs are regular files.
pub fn probe(file: &mut File) -> std::io::Result<()> {
    file.write_all(b"\n")?;
    file.flush()?;
    file.sync_data()?;
    file.set_len(0)?;
    file.rewind()?;
    Ok(())
}

/// Makes a cell inert in spreadsheets: formulas start with `= + - @`, and
/// some spreadsheets also act on a leading tab or carriage return.
pub fn defuse(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::outcome::Outcome;

    #[test]
    fn formulas_are_defused() {
        assert_eq!(defuse("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defuse("+1"), "'+1");
        assert_eq!(defuse("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse("-2"), "'-2");
        assert_eq!(defuse("aiko.sato"), "aiko.sato");
        assert_eq!(defuse(""), "");
    }

    #[test]
    fn csv_and_json_lines_are_written_row_by_row() {
        let dir = tempfile::tempdir().unwrap();
        let row = RowOutcome {
            line: Some(2),
            user_login: "=cmd".into(),
            outcome: Outcome::Failed {
                error_type: "InvalidParameterException".into(),
                message: "bad".into(),
            },
        };
        let csv_path = dir.path().join("r.csv");
        let mut report = Report::create(&csv_path).unwrap();
        report.record(&row).unwrap();
        // Flushed per row: readable while the writer is still open.
        let text = std::fs::read_to_string(&csv_path).unwrap();
        assert_eq!(
            text,
            "line,user_login,outcome,user_id,user_arn,error_type,message\n2,'=cmd,failed,,,InvalidParameterException,bad\n"
        );
        let json_path = dir.path().join("r.jsonl");
        let mut report = Report::create(&json_path).unwrap();
        report.record(&row).unwrap();
        let line: serde_json::Value =
            serde_json::from_str(std::fs::read_to_string(&json_path).unwrap().trim()).unwrap();
        assert_eq!(line["outcome"], "failed");
        assert_eq!(line["user_login"], "=cmd");
        assert_eq!(line["line"], 2);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_device_or_a_link_is_refused_before_the_first_row() {
        let dir = tempfile::tempdir().unwrap();
        let jsonl = dir.path().join("report.jsonl");
        std::os::unix::fs::symlink("/dev/full", &jsonl).unwrap();
        for (path, kind) in [
            (Path::new("/dev/full"), "a character device"),
            (&jsonl, "a symbolic link"),
        ] {
            let err = Report::create(path).err().expect("refused");
            let text = format!("{err:#}");
            assert!(text.contains(&path.display().to_string()), "{text}");
            assert!(text.contains(kind), "{text}");
        }
    }
}
