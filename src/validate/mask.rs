//! Where a row's password may be, so that nothing shown of the row — a
//! table cell, the login in JSON, a finding's value or message — carries it.
//!
//! The password is found by its meaning, not by trusting positions. A row
//! whose cells are shifted keeps its width when it has a comma too many in
//! one cell and a cell too few further on; its password then sits under
//! another header while the password column holds something else — which
//! is not a valid password. So only a row whose password cell holds a valid
//! password (or nothing, where the identity type takes none) is trusted: its secret is
//! that cell, masked wherever its text shows. In any other row every cell
//! may be the password: its cells are not shown, and every text of it is
//! masked in its findings (see [`RowShape`]).

use std::borrow::Cow;

use crate::finding::{Finding, MASKED};
use crate::template::Column;

use super::RowShape;

/// Secrets shorter than this are masked only where a whole text equals
/// them: replacing every `no` in a message would leave nothing readable.
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

/// The positions of the e-mail columns among the file's header cells.
pub fn email_positions(header: &[String]) -> Vec<usize> {
    header
        .iter()
        .enumerate()
        .filter(|(_, name)| {
            matches!(
                Column::from_header(name),
                Some(Column::Email | Column::SecondaryEmail)
            )
        })
        .map(|(at, _)| at)
        .collect()
}

/// Whether a text passes Amazon Connect's password rules: 8 to 64
/// characters without spaces, with a lowercase letter, an uppercase letter
/// and a digit.
pub fn is_password_shaped(text: &str) -> bool {
    // Every row's password cell comes here: one pass over the bytes, each
    // classed by a table; the character count and Unicode spaces only for a
    // text that is not ASCII.
    if !(8..=256).contains(&text.len()) {
        return false;
    }
    let classes = text
        .bytes()
        .fold(0u8, |seen, b| seen | BYTE_CLASS[usize::from(b)]);
    let length = if classes & NOT_ASCII == 0 {
        text.len()
    } else if text.chars().any(char::is_whitespace) {
        return false;
    } else {
        text.chars().count()
    };
    (8..=64).contains(&length) && classes & (SPACE | LOWER | UPPER | DIGIT) == LOWER | UPPER | DIGIT
}

const LOWER: u8 = 1;
const UPPER: u8 = 2;
const DIGIT: u8 = 4;
const SPACE: u8 = 8;
const NOT_ASCII: u8 = 16;

/// What each byte is, for [`is_password_shaped`].
const BYTE_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = if byte.is_ascii_lowercase() {
            LOWER
        } else if byte.is_ascii_uppercase() {
            UPPER
        } else if byte.is_ascii_digit() {
            DIGIT
        } else if byte.is_ascii_whitespace() || byte == 0x0b {
            // `char::is_whitespace` of the ASCII range.
            SPACE
        } else if byte >= 0x80 {
            NOT_ASCII
        } else {
            0
        };
        b += 1;
    }
    table
};

/// The shape of a row whose width matches the header: whether its password
/// cell can be trusted to hold its password. It can when it holds a valid
/// password; anything else in it — nothing included — may have been
/// shifted in from a neighbour, with the password shifted out. That holds
/// for every identity type: a header with a password column came from a
/// template that takes passwords, whatever the file is checked as, so its
/// rows may hold one (a connect-managed file checked as SAML).
pub fn shape_of(password_cell: Option<&str>) -> RowShape {
    match password_cell {
        None => RowShape::Aligned,
        Some(cell) if is_password_shaped(cell) => RowShape::Aligned,
        Some(_) => RowShape::PasswordInDoubt,
    }
}

/// The shape of a connect-managed row whose password cell is empty, when
/// passwords are generated for empty cells (`--generate-passwords`): there
/// the empty cell is what the file means, so the row is trusted — unless
/// another cell holds a text shaped like a password, which may be this
/// row's own, shifted out of its column (a same-width row with an empty
/// cell shifted in). An e-mail cell holding an address is not looked at:
/// an address that happens to have the shape (`J.Smith1@example.com`) is
/// common, and a password is not an address. Every other cell is free text
/// (names, login, profiles, hierarchy, tags) or a value a password is not
/// (yes/no, numbers, phone types). Rows with errors are judged the same
/// way, so an error in an exported file still shows the row's cells.
/// `email_at`: the e-mail columns' positions ([`email_positions`]).
pub fn shape_for_generated<'r>(
    cells: impl IntoIterator<Item = &'r str>,
    password_at: Option<usize>,
    email_at: &[usize],
) -> RowShape {
    let mut cells = cells.into_iter().enumerate();
    let Some(at) = password_at else {
        return RowShape::Aligned;
    };
    let suspect = cells.any(|(i, cell)| {
        if i == at {
            return !cell.is_empty();
        }
        let cell = cell.trim();
        let address = email_at.contains(&i) && super::fields::is_email(cell);
        !address && is_password_shaped(cell)
    });
    if suspect {
        RowShape::PasswordInDoubt
    } else {
        RowShape::Aligned
    }
}

/// The one finding of a row whose width is not the header's.
pub(crate) fn ragged_row_finding(cells: usize, width: usize, line: u64) -> Finding {
    let cause = if cells > width {
        "a value with an unquoted comma (or a stray one) is split in two, which shifts every cell \
         after it: quote values that contain commas, e.g. \"Foster, Jr.\""
    } else {
        "a cell is missing, which shifts every cell after it under the wrong column: every row \
         needs one cell per header column, empty ones included"
    };
    Finding::error(
        Some(line),
        None,
        None,
        "ragged-row",
        format!(
            "has {} but the header has {width}: {cause}. The row is not checked further and its \
             cells are not shown: they do not line up with the header, and the password could be \
             any of them",
            if cells == 1 {
                "1 cell".to_owned()
            } else {
                format!("{cells} cells")
            }
        ),
    )
}

/// The one finding of a row with a quoted value that runs over lines and
/// holds the delimiter: read as one value, the rest of its row and the rows
/// after it up to the closing quote.
pub(crate) fn quote_spans_rows_finding(column: Option<&str>, line: u64) -> Finding {
    Finding::error(
        Some(line),
        column,
        None,
        "quote-spans-rows",
        "opens a quoted value (\") that closes only in a later row, so the rest of this row and \
         the rows up to the closing quote were read as this one value; close the quote where the \
         value ends, or remove it. The row is not checked further and its cells are not shown: \
         the password could be any of them",
    )
}

/// Whether a cell holds one of the template's own words — a yes/no, phone
/// type or audio enhancement value. Messages print these words as what is
/// accepted (`expected soft or desk (empty means soft)`): masking them
/// there hides the message and hides nothing, since they are no password
/// (none passes the password rules) and everyone reading knows them.
fn is_template_word(text: &str) -> bool {
    use super::fields::{parse_audio_enhancement, parse_phone_type, parse_yes_no};
    !text.is_empty()
        && (parse_yes_no(text).is_ok()
            || parse_phone_type(text).is_some()
            || parse_audio_enhancement(text).is_some())
}

/// The texts to mask in anything shown of one row.
#[derive(Debug, Default)]
pub struct RowMask<'r> {
    secrets: Vec<&'r str>,
}

impl<'r> RowMask<'r> {
    /// The row's secrets: its password cell when the row is
    /// [`RowShape::Aligned`], else every cell. No password column, no secrets.
    pub fn new(
        cells: impl IntoIterator<Item = &'r str>,
        password_at: Option<usize>,
        shape: RowShape,
    ) -> RowMask<'r> {
        let Some(at) = password_at else {
            return RowMask::default();
        };
        let mut secrets = Vec::new();
        let mut add = |text: &'r str| {
            if !text.is_empty() && !secrets.contains(&text) {
                secrets.push(text);
            }
        };
        for (i, cell) in cells.into_iter().enumerate() {
            let doubted = !shape.cells_shown() && !is_template_word(cell.trim());
            if i == at || doubted {
                add(cell);
                add(cell.trim());
            }
        }
        // Longest first, so a secret inside another is not masked first.
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
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
#[path = "mask_tests.rs"]
mod tests;
