//! The rules for single cells (connect-facts §2): login, password, names,
//! e-mail, E.164 numbers and NFC normalisation; the phone-settings cells
//! (yes/no, phone type, ACW timeout, audio enhancement) are in
//! [`super::settings_cells`] and re-exported here.
//!
//! Each rule reads a trimmed cell and reports into the row's findings with a
//! message that says what would be accepted. The `parse_*` functions are the
//! same rules without reporting, used to build the user and to compare
//! duplicates. None of them allocates unless it has something to report.

use std::borrow::Cow;

use crate::finding::{Finding, MASKED};
use crate::identity::Identity;
use crate::template::Column;

use super::EmptyPassword;

pub(crate) use super::settings_cells::{
    acw, audio_enhancement, parse_acw, parse_audio_enhancement, parse_phone_type, parse_yes_no,
    phone_type, yes_no,
};
pub(crate) use super::text::{char_length, split_byte, split_once_byte, to_nfc, trim};

/// How the messages name an identity type.
pub(crate) fn identity_label(identity: Identity) -> &'static str {
    match identity {
        Identity::ConnectManaged => "connect-managed",
        Identity::Saml => "SAML",
        Identity::ExistingDirectory => "existing-directory",
    }
}

/// A cell under check: its trimmed text and its column's header text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cell<'a> {
    pub text: &'a str,
    pub column: &'a str,
    /// A password: findings show `***`, never the text.
    pub secret: bool,
    /// The whole row is ASCII: no NFC or control-character work to do.
    pub ascii: bool,
}

/// Collects one row's findings.
pub(crate) struct Report<'o> {
    pub line: u64,
    pub out: &'o mut Vec<Finding>,
    pub errors: bool,
}

impl Report<'_> {
    pub fn error(&mut self, cell: &Cell, code: &str, message: impl Into<String>) {
        self.errors = true;
        let value = if cell.secret { MASKED } else { cell.text };
        self.out.push(Finding::error(
            Some(self.line),
            Some(cell.column),
            Some(value),
            code,
            message,
        ));
    }

    pub fn warning(&mut self, cell: &Cell, code: &str, message: impl Into<String>) {
        let value = if cell.secret { MASKED } else { cell.text };
        self.out.push(Finding::warning(
            Some(self.line),
            Some(cell.column),
            Some(value),
            code,
            message,
        ));
    }

    /// A finding about the row as a whole (no column).
    pub fn row_error(&mut self, code: &str, message: impl Into<String>) {
        self.errors = true;
        self.out
            .push(Finding::error(Some(self.line), None, None, code, message));
    }
}

/// `user login`: required; 20 characters (64 on SAML) from letters, digits
/// and `_ - . @`; `@` only in e-mail form.
pub(crate) fn login(cell: &Cell, identity: Identity, r: &mut Report) {
    let text = cell.text;
    if text.is_empty() {
        r.error(cell, "login-required", "is empty; every user needs a login");
        return;
    }
    let max = if identity == Identity::Saml { 64 } else { 20 };
    let length = char_length(text);
    if length > max {
        r.error(
            cell,
            "login-too-long",
            format!(
                "is {length} characters long; a {} login has at most {max}",
                identity_label(identity)
            ),
        );
    }
    let allowed = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'@');
    let bad = if text.bytes().all(allowed) {
        None
    } else {
        text.chars().find(|c| !(c.is_ascii() && allowed(*c as u8)))
    };
    if let Some(bad) = bad {
        r.error(
            cell,
            "login-invalid-character",
            format!("contains {bad:?}; a login uses only letters A-Z a-z, digits 0-9 and _ - . @"),
        );
    } else if text.as_bytes().contains(&b'@') && !is_email(text) {
        r.error(
            cell,
            "login-bad-at",
            "uses @ outside an e-mail address; @ is allowed only in the form name@example.com",
        );
    }
}

/// `password` (connect-managed): 8–64 characters, no spaces, at least one
/// lowercase letter, one uppercase letter and one digit; empty only when
/// passwords are generated for empty cells.
pub(crate) fn password(cell: &Cell, empty: EmptyPassword, r: &mut Report) {
    const RULE: &str = "8 to 64 characters without spaces, with a lowercase letter, an uppercase letter and a digit";
    let text = cell.text;
    if text.is_empty() && empty == EmptyPassword::Generated {
        return;
    }
    if text.is_empty() {
        r.error(
            cell,
            "password-required",
            format!(
                "is empty; a connect-managed user needs a password: {RULE} \
                 (or pass --generate-passwords to have one generated)"
            ),
        );
        return;
    }
    if super::mask::is_password_shaped(text) {
        // Nearly every row: one pass over a table, nothing to say.
        return;
    }
    let length = char_length(text);
    if !(8..=64).contains(&length) {
        r.error(
            cell,
            "password-length",
            format!("has {length} characters; expected {RULE}"),
        );
    }
    let (mut lower, mut upper, mut digit, mut space) = (false, false, false, false);
    for b in text.bytes() {
        lower |= b.is_ascii_lowercase();
        upper |= b.is_ascii_uppercase();
        digit |= b.is_ascii_digit();
        space |= b.is_ascii_whitespace();
    }
    if space || (!text.is_ascii() && text.chars().any(char::is_whitespace)) {
        r.error(
            cell,
            "password-whitespace",
            format!("contains a space; expected {RULE}"),
        );
    }
    if !(lower && upper && digit) {
        r.error(
            cell,
            "password-weak",
            format!("lacks a lowercase letter, an uppercase letter or a digit; expected {RULE}"),
        );
    }
}

/// `first name` / `last name`: required on connect-managed (1–255 / 1–256)
/// and on SAML (1–255 / 1–300), as the CreateUser reference says; a
/// directory supplies them otherwise. Returns the NFC text.
pub(crate) fn name<'a>(
    cell: &Cell<'a>,
    column: Column,
    identity: Identity,
    r: &mut Report,
) -> Cow<'a, str> {
    let (code_required, code_long, max) = match (column, identity) {
        (Column::FirstName, _) => ("first-name-required", "first-name-too-long", 255),
        (_, Identity::ConnectManaged) => ("last-name-required", "last-name-too-long", 256),
        _ => ("last-name-required", "last-name-too-long", 300),
    };
    if cell.text.is_empty() {
        if column.required(identity) {
            r.error(
                cell,
                code_required,
                format!(
                    "is empty; a {} user needs a first and a last name",
                    identity_label(identity)
                ),
            );
        }
        return Cow::Borrowed("");
    }
    let text = nfc(cell, r);
    let length = char_length(&text);
    if length > max {
        r.error(
            cell,
            code_long,
            format!("is {length} characters long; at most {max}"),
        );
    }
    text
}

/// `email address`, `secondary email`: optional, in e-mail form.
pub(crate) fn email(cell: &Cell, code: &str, r: &mut Report) {
    if !cell.text.is_empty() && !is_email(cell.text) {
        r.error(
            cell,
            code,
            "is not an e-mail address; expected the form name@example.com",
        );
    }
}

/// The e-mail form: one `@`, a local part, a domain of dot-separated labels.
/// One pass over each part (every row has one or two e-mail cells).
pub(crate) fn is_email(text: &str) -> bool {
    let bytes = text.as_bytes();
    // A plain loop: cells are short, and memchr's set-up costs more there.
    let Some(at) = bytes.iter().position(|&b| b == b'@') else {
        return false;
    };
    let (local, domain) = (&bytes[..at], &bytes[at + 1..]);
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local.iter().all(|&b| EMAIL_LOCAL[usize::from(b)]);
    if !local_ok || bytes.len() > 254 {
        return false;
    }
    // Labels of letters, digits and `-`, separated by single dots; at
    // least two of them.
    let (mut label, mut dots) = (0usize, 0usize);
    for &b in domain {
        if b == b'.' {
            if label == 0 {
                return false;
            }
            dots += 1;
            label = 0;
        } else if b.is_ascii_alphanumeric() || b == b'-' {
            label += 1;
        } else {
            return false;
        }
    }
    dots > 0 && label > 0
}

/// The bytes of an e-mail's local part: visible ASCII but `@ " , < >`.
const EMAIL_LOCAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = byte.is_ascii_graphic() && !matches!(byte, b'@' | b'"' | b',' | b'<' | b'>');
        b += 1;
    }
    table
};

/// `mobile`, `phone number`: optional, E.164 (`+`, then 2–15 digits, the
/// first 1–9). The message guesses what went wrong.
pub(crate) fn e164(cell: &Cell, code: &str, r: &mut Report) {
    let text = cell.text;
    if text.is_empty() || is_e164(text) {
        return;
    }
    const RULE: &str = "expected E.164: + then 2 to 15 digits, the first not 0, e.g. +14155550123";
    let cleaned: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.'))
        .collect();
    let hint = if text.contains(['E', 'e']) && text.contains('+') && !text.starts_with('+') {
        "Excel turned it into a number in scientific notation; format the column as text and type it again; "
            .to_owned()
    } else if !text.is_ascii() {
        "has full-width or other non-ASCII characters; type it in half-width; ".to_owned()
    } else if is_e164(&cleaned) {
        format!("has spaces or punctuation; write {cleaned}; ")
    } else if !text.starts_with('+') && cleaned.bytes().all(|b| b.is_ascii_digit()) {
        "starts without + and a country code; ".to_owned()
    } else {
        String::new()
    };
    r.error(
        cell,
        code,
        format!("is not a valid phone number; {hint}{RULE}"),
    );
}

pub(crate) fn is_e164(text: &str) -> bool {
    let Some(digits) = text.strip_prefix('+') else {
        return false;
    };
    (2..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

/// Names and profile names are one line: a line break (Excel's Alt+Enter)
/// or another control character is an error.
pub(crate) fn one_line(cell: &Cell, r: &mut Report) {
    // Control characters are bytes below 0x20, 0x7F, or (C1) start with 0xC2:
    // only a candidate byte warrants the exact check.
    let candidate = cell
        .text
        .bytes()
        .any(|b| b < 0x20 || b == 0x7f || (b == 0xc2 && !cell.ascii));
    if candidate && cell.text.chars().any(char::is_control) {
        r.error(
            cell,
            "control-character",
            "contains a line break or another control character; this value must be one line of text",
        );
    }
}

/// The cell in Unicode NFC, with a warning when that changed it.
#[inline]
pub(crate) fn nfc<'a>(cell: &Cell<'a>, r: &mut Report) -> Cow<'a, str> {
    if cell.ascii {
        // Most rows: no call, no work.
        return Cow::Borrowed(cell.text);
    }
    nfc_of_text(cell, r)
}

fn nfc_of_text<'a>(cell: &Cell<'a>, r: &mut Report) -> Cow<'a, str> {
    let normalized = to_nfc(cell.text);
    if let Cow::Owned(changed) = &normalized {
        r.warning(
            cell,
            "not-nfc",
            format!("is not in Unicode NFC (composed) form; it is used as {changed:?}"),
        );
    }
    normalized
}

#[cfg(test)]
#[path = "fields_tests.rs"]
mod tests;
