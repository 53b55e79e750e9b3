//! `--report PATH`: one record per row, written and flushed as each row
//! ends, so a killed run still tells what it did. CSV, or JSON Lines when
//! the name ends in `.jsonl` / `.ndjson`. CSV cells are escaped against
//! spreadsheet formula injection (a cell starting with `= + - @` or a
//! control character is prefixed with `'`).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::Context;

use super::outcome::{Outcome, RowOutcome};

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
pub enum Report {
    Csv(Box<csv::Writer<File>>),
    JsonLines(BufWriter<File>),
}

impl Report {
    /// Creates (or truncates) the report and writes the CSV header.
    pub fn create(path: &Path) -> anyhow::Result<Report> {
        let file = File::create(path)
            .with_context(|| format!("cannot create report {}", path.display()))?;
        let json = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("ndjson"));
        if json {
            return Ok(Report::JsonLines(BufWriter::new(file)));
        }
        let mut writer = csv::Writer::from_writer(file);
        writer.write_record(COLUMNS)?;
        writer.flush()?;
        Ok(Report::Csv(Box::new(writer)))
    }

    /// Appends one row and flushes it to the file.
    pub fn record(&mut self, row: &RowOutcome) -> anyhow::Result<()> {
        match self {
            Report::Csv(writer) => {
                let (id, arn, error_type, message) = match &row.outcome {
                    Outcome::Created { user_id, user_arn }
                    | Outcome::Exists { user_id, user_arn } => {
                        (user_id.as_str(), user_arn.as_str(), "", "")
                    }
                    Outcome::Failed {
                        error_type,
                        message,
                    } => ("", "", error_type.as_str(), message.as_str()),
                    Outcome::NotSubmitted { reason } => ("", "", "", reason.as_str()),
                };
                let line = row.line.to_string();
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
            Report::JsonLines(writer) => {
                serde_json::to_writer(&mut *writer, row)?;
                writer.write_all(b"\n")?;
                writer.flush()?;
            }
        }
        Ok(())
    }
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
            line: 2,
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
}
