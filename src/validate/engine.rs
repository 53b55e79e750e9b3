//! The single pass over a file: decode, read the header, check every row
//! with one reused record, match duplicates, keep what the caller asked for.

use csv::StringRecord;

use crate::finding::{Finding, Severity};
use crate::identity::Identity;
use crate::input::decode::{self, Decoded, Detection};
use crate::input::rows::CsvRows;
use crate::template::Column;

use super::duplicates::{same_login, DuplicateIndex, Earlier, Rereader};
use super::header::{self, Layout};
use super::{row, Retain, UserEntry, ValidateOptions, Validation};
use super::{LONG_FILE_USERS, MAX_LISTED_FINDINGS, REVIEW_FLAGGED_LIMIT};

pub(crate) fn run(source: &str, bytes: &[u8], opts: &ValidateOptions) -> Validation {
    let mut v = Validation::new(source, opts.identity);
    let decoded = decode::decode(bytes, opts.encoding);
    v.encoding = decoded.encoding.name();
    report_decoding(&mut v, &decoded);
    let text: &str = &decoded.text;
    if let Some(at) = text.find('\0') {
        let line = line_of(text, at);
        v.findings.push(Finding::error(
            Some(line),
            None,
            None,
            "not-text",
            "has a NUL byte: this is not a CSV text file; save the template from Excel as CSV UTF-8",
        ));
    } else if text.trim().is_empty() {
        v.findings.push(Finding::error(
            None,
            None,
            None,
            "empty-file",
            "the file is empty; expected the template header and one row per user \
             (`connect-users template fetch` writes the header)",
        ));
    } else {
        Pass::new(&mut v, text, opts).run();
    }
    v.findings.sort_by_key(|f| f.line);
    v
}

fn line_of(text: &str, byte: usize) -> u64 {
    text.as_bytes()[..byte].iter().filter(|b| **b == b'\n').count() as u64 + 1
}

fn report_decoding(v: &mut Validation, decoded: &Decoded) {
    let name = decoded.encoding.name();
    for bad in &decoded.malformed {
        let advice = match decoded.detection {
            Detection::Fallback => format!(
                "has bytes that are neither UTF-8 nor Shift_JIS (byte offset {}); save the file as \
                 CSV UTF-8, or name its encoding with --encoding",
                bad.byte_offset
            ),
            _ => format!(
                "has bytes that are not valid {name} (byte offset {}); they are read as \u{fffd}; \
                 fix them, or name the file's real encoding with --encoding",
                bad.byte_offset
            ),
        };
        v.findings.push(Finding::error(Some(bad.line), None, None, "invalid-encoding", advice));
    }
}

/// The state of the pass over the rows.
struct Pass<'v, 't> {
    v: &'v mut Validation,
    text: &'t str,
    identity: Identity,
    retain: Retain,
    duplicates: DuplicateIndex,
    rereader: Rereader<'t>,
    /// The earlier row of a duplicate, read again.
    earlier_record: StringRecord,
    /// One row's findings, reused.
    row_findings: Vec<Finding>,
    kept_ok: usize,
    kept_flagged: usize,
}

impl<'v, 't> Pass<'v, 't> {
    fn new(v: &'v mut Validation, text: &'t str, opts: &ValidateOptions) -> Pass<'v, 't> {
        Pass {
            v,
            text,
            identity: opts.identity,
            retain: opts.retain,
            duplicates: DuplicateIndex::new(),
            rereader: Rereader::new(text),
            earlier_record: StringRecord::new(),
            row_findings: Vec::new(),
            kept_ok: 0,
            kept_flagged: 0,
        }
    }

    fn log(&mut self, finding: Finding) {
        if self.v.findings.len() < MAX_LISTED_FINDINGS {
            self.v.findings.push(finding);
        } else if finding.severity == Severity::Error {
            self.v.unlisted_errors += 1;
        } else {
            self.v.unlisted_warnings += 1;
        }
    }

    /// Moves the row's findings to the log, keeping the buffer.
    fn flush_row(&mut self) {
        let mut findings = std::mem::take(&mut self.row_findings);
        for finding in findings.drain(..) {
            self.log(finding);
        }
        self.row_findings = findings;
    }

    fn run(mut self) {
        let mut rows = CsvRows::new(self.text);
        let mut record = StringRecord::new();
        let header_line = match rows.read(&mut record) {
            Ok(Some(start)) => start.line,
            Ok(None) => 1,
            Err(err) => return self.log(Finding::error(None, None, None, "read-error", err.to_string())),
        };
        self.v.header = record.iter().map(str::to_owned).collect();
        let mut header_findings = Vec::new();
        let layout = header::analyze(&record, header_line, self.identity, &mut header_findings);
        header_findings.into_iter().for_each(|f| self.log(f));

        if let Some(layout) = layout {
            let mut pending_empty = 0;
            loop {
                let start = match rows.read(&mut record) {
                    Ok(Some(start)) => start,
                    Ok(None) => break,
                    Err(err) => {
                        self.log(Finding::error(None, None, None, "read-error", err.to_string()));
                        break;
                    }
                };
                // Excel leaves rows of empty cells; they are not users.
                if record.iter().all(|cell| cell.trim().is_empty()) {
                    pending_empty += 1;
                    continue;
                }
                self.v.rows += pending_empty + 1;
                pending_empty = 0;
                self.row(&layout, &record, start.line, start.byte);
            }
            if self.v.rows == 0 {
                self.log(Finding::error(
                    Some(header_line),
                    None,
                    None,
                    "no-users",
                    "the file has a header but no users; add one row per user below it",
                ));
            }
        }
        if let Some(open) = rows.unterminated_quote() {
            let column = self.v.header.get(open.field).cloned();
            self.log(Finding::error(
                Some(open.line),
                column.as_deref(),
                None,
                "unterminated-quote",
                "opens a quoted value (\") that never closes, so the rest of the file was read as this \
                 one value; close the quote or remove it",
            ));
        }
    }

    fn row(&mut self, layout: &Layout, record: &StringRecord, line: u64, byte: usize) {
        let mut has_errors = row::check_row(layout, record, line, self.identity, &mut self.row_findings);
        let login = layout.cell(record, Column::Login).unwrap_or("").trim();
        let mut is_new_login = !login.is_empty();
        if is_new_login {
            let (rereader, earlier_record) = (&mut self.rereader, &mut self.earlier_record);
            let found = self.duplicates.find(login, |earlier| {
                rereader.read_at(earlier.byte, earlier_record)
                    && same_login(layout.cell(earlier_record, Column::Login).unwrap_or("").trim(), login)
            });
            if let Some(earlier) = found {
                is_new_login = false;
                let differing = row::differing_columns(layout, &self.earlier_record, record);
                let login_column = layout.name(Column::Login);
                if differing.is_empty() {
                    self.row_findings.push(Finding::warning(
                        Some(line),
                        Some(login_column),
                        Some(login),
                        "duplicate-user",
                        format!("repeats line {} exactly; the identical rows are one user", earlier.line),
                    ));
                    if let Some(index) = earlier.user {
                        self.v.users[index].duplicate_lines.push(line);
                    }
                    self.flush_row();
                    return;
                }
                let message = format!(
                    "duplicate users with different information: lines {} and {line} have this login \
                     but differ in {}",
                    earlier.line,
                    differing.join(", ")
                );
                if !earlier.conflicted {
                    earlier.conflicted = true;
                    let (earlier_line, earlier_user) = (earlier.line, earlier.user);
                    if let Some(index) = earlier_user {
                        self.v.users[index].spec = None;
                    }
                    self.log(Finding::error(
                        Some(earlier_line),
                        Some(login_column),
                        Some(login),
                        "duplicate-user-conflict",
                        message.clone(),
                    ));
                }
                self.row_findings.push(Finding::error(
                    Some(line),
                    Some(login_column),
                    Some(login),
                    "duplicate-user-conflict",
                    message,
                ));
                has_errors = true;
            }
        }

        self.v.user_count += 1;
        let flagged = !self.row_findings.is_empty();
        let keep = match self.retain {
            Retain::All => true,
            Retain::Review if flagged => self.kept_flagged < REVIEW_FLAGGED_LIMIT,
            Retain::Review => self.kept_ok < LONG_FILE_USERS,
        };
        let mut user = None;
        if keep {
            if flagged {
                self.kept_flagged += 1;
            } else {
                self.kept_ok += 1;
            }
            self.v.users.push(UserEntry {
                line,
                duplicate_lines: Vec::new(),
                record: record.iter().map(str::to_owned).collect(),
                spec: (!has_errors).then(|| row::build_spec(layout, record, line, self.identity)),
                action: None,
            });
            user = Some(self.v.users.len() - 1);
        }
        if is_new_login {
            self.duplicates.insert(login, Earlier { line, byte, user, conflicted: false });
        }
        self.flush_row();
    }
}

#[cfg(test)]
#[path = "engine_tests.rs"]
mod tests;
