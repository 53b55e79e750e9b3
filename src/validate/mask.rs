//! Where a row's password may be, so that nothing shown of the row — a
//! table cell, the login in JSON, a finding's value or message — carries it.
//!
//! The password column is found by its meaning, not by trusting positions:
//! a row whose cells are shifted (an unquoted comma in one cell and a
//! missing cell further on keep the width right) can hold its password
//! under another header while the password column holds something else. So
//! a row's secrets are its password cell, and — when that cell is not a
//! valid password — every other cell that would be one. Rows whose width
//! differs from the header's are not masked but hidden whole (see
//! [`UserEntry::misaligned`](super::UserEntry::misaligned)).

use std::borrow::Cow;

use crate::finding::{Finding, MASKED};
use crate::template::Column;

/// Secrets shorter than this are masked only where a whole text equals
/// them: replacing every `a` of a row because its password is `a` would
/// leave nothing readable, and such a password is an error anyway.
const SUBSTRING_MIN_CHARS: usize = 3;

/// Finding values are cut after this many characters
/// ([`crate::finding::display_value`]); a longer secret shows there only as
/// its prefix, which is masked too.
const DISPLAY_CHARS: usize = 60;

/// The position of the password column among the file's header cells.
pub fn password_position(header: &[String]) -> Option<usize> {
    header
        .iter()
        .position(|name| Column::from_header(name) == Some(Column::Password))
}

/// Whether a text passes Amazon Connect's password rules: 8 to 64
/// characters without spaces, with a lowercase letter, an uppercase letter
/// and a digit.
pub fn is_password_shaped(text: &str) -> bool {
    let length = text.chars().count();
    if !(8..=64).contains(&length) || text.chars().any(char::is_whitespace) {
        return false;
    }
    let (mut lower, mut upper, mut digit) = (false, false, false);
    for b in text.bytes() {
        lower |= b.is_ascii_lowercase();
        upper |= b.is_ascii_uppercase();
        digit |= b.is_ascii_digit();
    }
    lower && upper && digit
}

/// The texts to mask in anything shown of one row.
#[derive(Debug, Default)]
pub struct RowMask<'r> {
    secrets: Vec<&'r str>,
}

impl<'r> RowMask<'r> {
    /// The row's secrets: its password cell, and when that is not a valid
    /// password, every other cell that is one. No password column, no
    /// secrets.
    pub fn new<I>(cells: I, password_at: Option<usize>) -> RowMask<'r>
    where
        I: IntoIterator<Item = &'r str>,
        I::IntoIter: Clone,
    {
        let Some(at) = password_at else {
            return RowMask::default();
        };
        let cells = cells.into_iter();
        let password = cells.clone().nth(at).unwrap_or("");
        let mut secrets = Vec::new();
        for text in [password, password.trim()] {
            if !text.is_empty() && !secrets.contains(&text) {
                secrets.push(text);
            }
        }
        if !is_password_shaped(password) {
            secrets.extend(
                cells
                    .enumerate()
                    .filter(|&(i, cell)| i != at && is_password_shaped(cell.trim()))
                    .map(|(_, cell)| cell.trim()),
            );
        }
        RowMask { secrets }
    }

    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }

    /// The text with every secret in it replaced by `***`.
    pub fn apply<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let mut out = Cow::Borrowed(text);
        for secret in &self.secrets {
            if out.as_ref() == *secret {
                return Cow::Borrowed(MASKED);
            }
            if secret.chars().count() < SUBSTRING_MIN_CHARS {
                continue;
            }
            if out.contains(secret) {
                out = Cow::Owned(out.replace(secret, MASKED));
            }
            // A long secret shows only as its prefix in a shortened value.
            if let Some((cut, _)) = secret.char_indices().nth(DISPLAY_CHARS) {
                let prefix = &secret[..cut];
                if out.contains(prefix) {
                    out = Cow::Owned(out.replace(prefix, MASKED));
                }
            }
        }
        out
    }

    /// Masks a finding's value and message. A value that holds a secret is
    /// replaced whole: what is left of it around the mask says nothing.
    pub fn apply_to_finding(&self, finding: &mut Finding) {
        if self.secrets.is_empty() {
            return;
        }
        if let Some(value) = &finding.value {
            if value != MASKED && self.apply(value) != value.as_str() {
                finding.value = Some(MASKED.to_owned());
            }
        }
        let message = self.apply(&finding.message);
        if message != finding.message.as_str() {
            finding.message = message.into_owned();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mask<'r>(cells: &[&'r str], at: usize) -> RowMask<'r> {
        RowMask::new(cells.iter().copied(), Some(at))
    }

    #[test]
    fn the_password_rules() {
        assert!(is_password_shaped("Welcome2025a"));
        assert!(!is_password_shaped("welcome2025a"));
        assert!(!is_password_shaped("Welcome 2025a"));
        assert!(!is_password_shaped("Wel2a"));
        assert!(!is_password_shaped(&format!("Aa1{}", "x".repeat(62))));
    }

    #[test]
    fn the_password_cell_is_masked_wherever_it_shows() {
        let m = mask(&["t.yamada", "Passw0rdA", "Sales"], 1);
        assert_eq!(m.apply("Passw0rdA"), "***");
        assert_eq!(m.apply("x Passw0rdA y"), "x *** y");
        assert_eq!(m.apply("Sales"), "Sales");
        // A valid password in its column: other password-like cells are theirs.
        let m = mask(&["JRivera01", "Passw0rdA"], 1);
        assert_eq!(m.apply("JRivera01"), "JRivera01");
    }

    #[test]
    fn a_shifted_password_is_found_by_its_shape() {
        // The password column holds the login; the password sits one further.
        let m = mask(&["", "t.yamada", "Passw0rdA", "Sales Inbound"], 1);
        assert_eq!(m.apply("Passw0rdA"), "***");
        assert_eq!(m.apply("t.yamada"), "***");
        assert_eq!(m.apply("Sales Inbound"), "Sales Inbound");
    }

    #[test]
    fn short_secrets_mask_only_whole_texts() {
        let m = mask(&["a", "Sales"], 0);
        assert_eq!(m.apply("a"), "***");
        assert_eq!(m.apply("Sales"), "Sales");
    }

    #[test]
    fn long_secrets_are_masked_in_shortened_values_too() {
        let long = format!("Aa1{}", "x".repeat(61));
        let m = mask(&[&long], 0);
        let shown = crate::finding::display_value(&long);
        assert!(!m.apply(&shown).contains("xxxxxxxxxx"), "{}", m.apply(&shown));
        let mut finding = Finding::error(Some(2), Some("tags"), Some(&long), "x", long.clone());
        m.apply_to_finding(&mut finding);
        assert_eq!(finding.value.as_deref(), Some("***"));
        assert!(!finding.message.contains("xxxxxxxxxx"));
    }

    #[test]
    fn no_password_column_no_secrets() {
        let m = RowMask::new(["Passw0rdA"], None);
        assert!(m.is_empty());
        assert_eq!(m.apply("Passw0rdA"), "Passw0rdA");
    }
}
