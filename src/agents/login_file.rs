//! The logins of a `--file` selection: the `user login` column of a CSV,
//! usually a filled template — a file that may hold passwords.
//!
//! A login read from such a file is shown (in "no user has this login") only
//! when its row cannot be hiding a password there, judged as the validator
//! judges a row ([`crate::validate::mask`]): the file has no password
//! column, or the row's password cell holds a valid password (and the login
//! is not that password). Any other row may have its cells shifted under the
//! wrong headers — an empty password cell included, since a cell too few
//! before it and one too many after can move an empty cell there and the
//! password into `user login`, and a weak password looks like any login —
//! so it is named by its line only. A row whose width is
//! not the header's (a cell too many or too few), or with a quote that runs
//! into later rows, cannot say which cell is its login at all: the file is
//! refused, naming those lines, before anything is sent.

use anyhow::Context;

use crate::input::{decode, rows};
use crate::template::Column;
use crate::validate::mask;

/// Where a selected login came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// `--login LOGIN`: typed on the command line, shown as it is.
    Flag,
    /// A row of a `--file`.
    File {
        file: String,
        line: u64,
        /// Whether the value may be shown: its row cannot hide a password in it.
        shown: bool,
    },
}

/// One login to select, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectedLogin {
    pub login: String,
    pub origin: Origin,
}

impl SelectedLogin {
    /// A login given with `--login`.
    pub fn flag(login: impl Into<String>) -> SelectedLogin {
        SelectedLogin {
            login: login.into(),
            origin: Origin::Flag,
        }
    }

    /// Whether messages may quote the value.
    pub fn shown(&self) -> bool {
        match self.origin {
            Origin::Flag => true,
            Origin::File { shown, .. } => shown,
        }
    }

    /// How a message names it: `--login "x"`, `agents.csv:5: user login
    /// "x"`, or, when the value may be a password, the line alone.
    pub fn describe(&self) -> String {
        match &self.origin {
            Origin::Flag => format!("--login {:?}", self.login),
            Origin::File {
                file,
                line,
                shown: true,
            } => format!("{file}:{line}: user login {:?}", self.login),
            Origin::File { file, line, .. } => format!(
                "{file}:{line}: the user login (not shown: the row's password cell holds no valid \
                 password, so its cells may be shifted and this one may be the password)"
            ),
        }
    }
}

/// At most this many misaligned lines are named.
const LINES_NAMED: usize = 10;

/// The logins of the file's `user login` column (any spelling the template
/// has used), in file order, empty cells skipped.
pub fn read(name: &str, bytes: &[u8]) -> anyhow::Result<Vec<SelectedLogin>> {
    let decoded = decode::decode(bytes, None);
    let text = decoded.text.as_ref();
    let delimiter = rows::delimiter(text);
    let mut reader = rows::CsvRows::new(text, delimiter);
    let mut record = rows::Record::new();
    if reader.read(&mut record).is_none() {
        anyhow::bail!("{name} is empty: it needs a header with a `user login` column");
    }
    let header: Vec<String> = record.iter().map(str::to_owned).collect();
    // The header is not quoted back: a file without one starts with a row,
    // which may hold a password.
    let login_at = header
        .iter()
        .position(|h| Column::from_header(h) == Some(Column::Login))
        .with_context(|| {
            format!(
                "{name}:1: the header has no `user login` column; name the column of logins \
                 `user login`, as the template and `agents export` do"
            )
        })?;
    let password_at = mask::password_position(&header);
    let mut logins = Vec::new();
    let mut misaligned = Vec::new();
    while let Some(start) = reader.read(&mut record) {
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let spans_rows = record
            .iter()
            .any(|cell| cell.contains(['\n', '\r']) && cell.as_bytes().contains(&delimiter));
        if record.len() != header.len() || spans_rows {
            misaligned.push(start.line);
            continue;
        }
        let shape = mask::shape_of(password_at.and_then(|at| record.get(at)));
        let cell = record.get(login_at).unwrap_or_default();
        let login = cell.trim();
        if login.is_empty() {
            continue;
        }
        let masked = mask::RowMask::new(record.iter(), password_at, shape);
        logins.push(SelectedLogin {
            login: login.to_string(),
            origin: Origin::File {
                file: name.to_string(),
                line: start.line,
                shown: shape.cells_shown() && masked.apply(login) == login,
            },
        });
    }
    // A quote that never closes swallows the rest of the file into the last row.
    if let (Some(_), Some(last)) = (reader.unterminated_quote(), reader.last_start()) {
        misaligned.push(last.line);
        logins.retain(|l| !matches!(l.origin, Origin::File { line, .. } if line == last.line));
    }
    if !misaligned.is_empty() {
        misaligned.sort_unstable();
        misaligned.dedup();
        let mut lines: Vec<String> = misaligned
            .iter()
            .take(LINES_NAMED)
            .map(u64::to_string)
            .collect();
        if misaligned.len() > LINES_NAMED {
            lines.push(format!("… ({} lines in all)", misaligned.len()));
        }
        let (rows, verb) = if misaligned.len() == 1 {
            ("the row on line", "does")
        } else {
            ("the rows on lines", "do")
        };
        anyhow::bail!(
            "{name}: {rows} {} {verb} not line up with the header (a cell too many or too few, or \
             a quote that closes only in a later row), so the `user login` cell cannot be \
             trusted; no cell of such a row is shown, since any of them may be a password. Fix \
             the rows (`connect-users import validate {name}` explains each) and run again; \
             nothing was sent",
            lines.join(", ")
        );
    }
    anyhow::ensure!(
        !logins.is_empty(),
        "{name} has no logins in its `user login` column"
    );
    Ok(logins)
}

#[cfg(test)]
#[path = "login_file_tests.rs"]
mod tests;
