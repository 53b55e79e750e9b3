//! The single pass over a file: decode, read the header, check every row
//! with one reused record, keep what the caller asked for, then settle
//! duplicate logins.
//!
//! A row whose width is not the header's, or with a quoted value that runs
//! into later rows, is not checked cell by cell: its cells are shifted, so
//! every finding about them would be wrong, and any of them may be the
//! password. It gets one finding and shows nothing else.

use crate::input::rows::Record;

use crate::finding::{Finding, Severity};
use crate::identity::Identity;
use crate::input::decode;
use crate::input::rows::{self, CsvRows};
use crate::template::Column;

use super::decoding;
use super::duplicates::{LoginRow, LoginRows};
use super::header::{self, Layout};
use super::mask::{self, RowMask};
use super::other_template::{other_template_finding, RefusedRows};
use super::{
    row, Cells, EmptyPassword, IdentityFrom, Purpose, Retain, RowShape, UserEntry, ValidateOptions,
    Validation,
};
use super::{LONG_FILE_USERS, MAX_LISTED_FINDINGS, REVIEW_FLAGGED_LIMIT};

pub(crate) fn run(source: &str, bytes: &[u8], opts: &ValidateOptions) -> Validation {
    let mut v = Validation::new(source, opts.identity);
    v.empty_password = match opts.purpose {
        Purpose::Create => opts.empty_password,
        Purpose::Edit => EmptyPassword::NotUsed,
    };
    v.against_instance = opts.identity_from == IdentityFrom::Instance;
    let decoded = decode::decode(bytes, opts.encoding);
    v.encoding = decoded.encoding.name();
    decoding::report_decoding(&mut v, &decoded);
    let text: &str = &decoded.text;
    // `memchr` searches with SIMD: these scans of the whole text cost
    // little next to the parse.
    if let Some(at) = memchr::memchr(0, text.as_bytes()) {
        // A binary file: its "invalid bytes" say nothing more.
        v.findings.clear();
        let what = if bytes.starts_with(b"PK\x03\x04") {
            "is a ZIP archive, probably an Excel workbook (.xlsx), not a CSV file; in Excel use \
             Save As > CSV UTF-8"
        } else {
            "has a NUL byte: this is not a CSV text file; save the template from Excel as CSV UTF-8"
        };
        v.findings.push(Finding::error(
            Some(line_of(text, at)),
            None,
            None,
            "not-text",
            what,
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
    text.as_bytes()[..byte]
        .iter()
        .filter(|b| **b == b'\n')
        .count() as u64
        + 1
}

/// The state of the pass over the rows.
struct Pass<'v, 't> {
    v: &'v mut Validation,
    text: &'t str,
    delimiter: u8,
    identity: Identity,
    identity_from: IdentityFrom,
    purpose: Purpose,
    retain: Retain,
    /// Where the e-mail columns are (found once, with the header).
    email_at: Vec<usize>,
    /// Rows whose cells the checked identity refuses, when the header is
    /// another identity's template.
    refused_rows: RefusedRows,
    logins: LoginRows,
    /// One row's findings, reused.
    row_findings: Vec<Finding>,
    /// Whether the text holds U+FFFD anywhere (else no row needs a look).
    replacement_possible: bool,
    /// Lines the decoder reported invalid bytes on (sorted).
    decoder_lines: Vec<u64>,
    kept_ok: usize,
    kept_flagged: usize,
}

impl<'v, 't> Pass<'v, 't> {
    fn new(v: &'v mut Validation, text: &'t str, opts: &ValidateOptions) -> Pass<'v, 't> {
        let delimiter = rows::delimiter(text);
        let decoder_lines = v
            .findings
            .iter()
            .filter(|f| f.code == "invalid-encoding")
            .filter_map(|f| f.line)
            .collect();
        Pass {
            v,
            text,
            delimiter,
            identity: opts.identity,
            identity_from: opts.identity_from,
            purpose: opts.purpose,
            retain: opts.retain,
            email_at: Vec::new(),
            refused_rows: RefusedRows::default(),
            logins: LoginRows::new(),
            row_findings: Vec::new(),
            replacement_possible: memchr::memmem::find(text.as_bytes(), "\u{fffd}".as_bytes())
                .is_some(),
            decoder_lines,
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
        let mut rows = CsvRows::new(self.text, self.delimiter);
        let mut record = Record::new();
        let header_line = rows.read(&mut record).map_or(1, |start| start.line);
        self.v.header = record.iter().map(str::to_owned).collect();
        self.v.password_at = mask::password_position(&self.v.header);
        self.email_at = mask::email_positions(&self.v.header);
        let mut header_findings = Vec::new();
        let layout = header::analyze_for(
            &record,
            header_line,
            self.identity,
            self.identity_from,
            self.purpose,
            &mut header_findings,
        );
        header_findings.into_iter().for_each(|f| self.log(f));

        if let Some(layout) = layout {
            let mut pending_empty = 0;
            while let Some(start) = rows.read(&mut record) {
                // Excel leaves rows of empty cells; they are not users.
                if record.as_slice().trim().is_empty() {
                    pending_empty += 1;
                    continue;
                }
                self.v.rows += pending_empty + 1;
                pending_empty = 0;
                self.row(&layout, &record, start.line, start.byte);
            }
            self.apply_duplicates(&layout);
            if let Some(other) = &layout.other_template {
                if self.refused_rows.count > 0 {
                    // Listed whatever the limit: it explains every row's status.
                    self.v.findings.push(other_template_finding(
                        other,
                        self.identity,
                        self.identity_from,
                        header_line,
                        Some(&self.refused_rows),
                    ));
                }
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
            self.v.layout = Some(layout);
        }
        if let Some(open) = rows.unterminated_quote() {
            // Everything else said about the swallowed record follows from
            // the open quote: report only the cause.
            if let Some(start) = rows.last_start() {
                if start.line > header_line {
                    self.v.findings.retain(|f| f.line != Some(start.line));
                    if let Some(user) = self.v.users.iter_mut().find(|u| u.line == start.line) {
                        // Its last cell holds the rest of the file, passwords and all.
                        user.valid = false;
                        user.shape = RowShape::Misaligned;
                    }
                }
            }
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

    fn row(&mut self, layout: &Layout, record: &Record, line: u64, byte: usize) {
        let traits = row::RowTraits::of(record);
        // A line break is a control byte: a row without one has no value
        // that runs over lines.
        let spanning = if traits.controls {
            self.spanning_cell(record)
        } else {
            None
        };
        let mut shape = if spanning.is_some() || record.len() != layout.width() {
            RowShape::Misaligned
        } else {
            mask::shape_of(layout.cell(record, Column::Password))
        };
        let has_errors = if shape == RowShape::Misaligned {
            self.row_findings.push(match spanning {
                Some(at) => mask::quote_spans_rows_finding(
                    self.v.header.get(at).map(|name| name.trim()),
                    line,
                ),
                None => mask::ragged_row_finding(record.len(), layout.width(), line),
            });
            true
        } else if layout
            .other_template
            .as_ref()
            .is_some_and(|other| !other.missing.is_empty())
        {
            // No row can be valid (the layout is incomplete), and the header
            // finding says why: nothing to add per row.
            false
        } else {
            let mut has_errors = row::check_row_with(
                layout,
                record,
                line,
                self.identity,
                self.v.empty_password,
                traits,
                &mut self.row_findings,
            );
            if self.replacement_possible {
                has_errors |= self.lost_characters(record, line);
            }
            if shape == RowShape::PasswordInDoubt
                && self.identity == Identity::ConnectManaged
                && self.v.empty_password != EmptyPassword::Refused
            {
                shape =
                    mask::shape_for_generated(record.iter(), self.v.password_at, &self.email_at);
            }
            if layout.other_template.is_some() {
                self.refused_rows.take_from(&mut self.row_findings, line);
            }
            if !self.row_findings.is_empty() {
                let mask = RowMask::new(record.iter(), self.v.password_at, shape);
                for finding in &mut self.row_findings {
                    mask.apply_to_finding(finding);
                }
            }
            has_errors
        };
        self.v.user_count += 1;
        let flagged = has_errors || !self.row_findings.is_empty();
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
                record: Cells::from_record(record),
                shape,
                valid: !has_errors && !layout.incomplete,
                action: None,
            });
            user = Some(self.v.users.len() - 1);
        }
        // A shifted row's login cell may hold anything, even the password:
        // such a row takes no part in duplicates (it has an error anyway).
        let login = layout.cell(record, Column::Login).unwrap_or("").trim();
        if !login.is_empty() && shape.cells_shown() {
            self.logins.push(login, LoginRow { line, byte, user });
        }
        self.flush_row();
    }

    /// A row holding U+FFFD on lines the decoder did not report gets its
    /// own finding; returns whether it got one.
    fn lost_characters(&mut self, record: &Record, line: u64) -> bool {
        let Some(at) = record.iter().position(|cell| cell.contains('\u{fffd}')) else {
            return false;
        };
        let last_line = line + record.as_slice().bytes().filter(|b| *b == b'\n').count() as u64;
        let from = self.decoder_lines.partition_point(|l| *l < line);
        if self
            .decoder_lines
            .get(from)
            .is_some_and(|l| *l <= last_line)
        {
            return false;
        }
        let column = self.v.header.get(at).map(|name| name.trim().to_owned());
        // The row's mask (applied with its other findings) hides the value
        // when it is, or may be, the password.
        let value = record.get(at).unwrap_or("");
        self.row_findings.push(decoding::replacement_finding(
            line,
            column.as_deref(),
            value,
        ));
        true
    }

    /// The position of a cell that runs over lines and holds the delimiter:
    /// a quote that closes only in a later row swallowed the row's end and
    /// the next ones (passwords and all) into that one value.
    fn spanning_cell(&self, record: &Record) -> Option<usize> {
        let line_break = |b: &u8| matches!(b, b'\n' | b'\r');
        memchr::memchr2(b'\n', b'\r', record.as_slice().as_bytes())?;
        record.iter().position(|cell| {
            let bytes = cell.as_bytes();
            bytes.iter().any(line_break) && bytes.contains(&self.delimiter)
        })
    }
}

#[path = "engine_duplicates.rs"]
mod settle_duplicates;

#[cfg(test)]
#[path = "engine_tests.rs"]
mod tests;
