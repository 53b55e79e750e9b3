//! One data row: every cell's rule and the cross-field rules, and what a
//! cell means when duplicates are compared. (The validated user of a row
//! is built in [`super::spec`].)
//!
//! Checking borrows the record's cells and allocates only for findings.

use std::borrow::Cow;

use crate::input::rows::Record;

use crate::finding::Finding;
use crate::identity::Identity;
use crate::template::Column;
use crate::user::{PhoneType, VoiceEnhancementMode};

use super::fields::{self, identity_label, Cell, Report};
use super::header::Layout;
use super::lists;
use super::EmptyPassword;

/// Checks one row, pushing its findings; returns whether it has errors.
#[cfg(test)]
pub(crate) fn check_row(
    layout: &Layout,
    record: &Record,
    line: u64,
    identity: Identity,
    empty_password: EmptyPassword,
    out: &mut Vec<Finding>,
) -> bool {
    let traits = RowTraits::of(record);
    check_row_with(layout, record, line, identity, empty_password, traits, out)
}

/// [`check_row`], with the row's [`RowTraits`] known. Three concerns, in
/// turn: the row's shape (width, unnamed columns), every cell by its
/// column's rule, and the cross-field rules of the phone cells.
pub(crate) fn check_row_with(
    layout: &Layout,
    record: &Record,
    line: u64,
    identity: Identity,
    empty_password: EmptyPassword,
    traits: RowTraits,
    out: &mut Vec<Finding>,
) -> bool {
    let mut r = Report {
        line,
        out,
        errors: false,
    };
    check_shape(layout, record, &mut r);
    let RowTraits { ascii, controls } = traits;
    let checks = CellChecks {
        identity,
        empty_password,
        controls,
    };
    let mut phone = PhoneCells::default();
    // The row has the header's width (a ragged row is not checked cell by
    // cell), so every present column has its cell.
    for (column, raw) in layout.cells(record) {
        let secret = column == Column::Password;
        let cell = Cell {
            text: if secret { raw } else { fields::trim(raw) },
            column: layout.name(column),
            secret,
            ascii,
        };
        check_cell(column, cell, &checks, &mut phone, &mut r);
    }
    check_phone_cells(layout, record, &phone, ascii, &mut r);
    r.errors
}

/// What every cell of a row is checked with.
struct CellChecks {
    identity: Identity,
    empty_password: EmptyPassword,
    /// The row may hold a control character.
    controls: bool,
}

/// The phone cells' values, kept for the cross-field rules.
#[derive(Default)]
struct PhoneCells<'a> {
    phone_type: Option<PhoneType>,
    /// The phone number cell, and whether it is a valid number.
    number: Option<(Cell<'a>, bool)>,
    persistent: Option<bool>,
    audio: Option<VoiceEnhancementMode>,
}

/// One cell by its column's rule; the phone cells' values go to `phone`.
fn check_cell<'a>(
    column: Column,
    cell: Cell<'a>,
    checks: &CellChecks,
    phone: &mut PhoneCells<'a>,
    r: &mut Report,
) {
    let identity = checks.identity;
    if column == Column::Password && checks.empty_password == EmptyPassword::NotUsed {
        return;
    }
    if !cell.text.is_empty() && !column.accepts_values(identity) {
        r.error(
            &cell,
            not_for_identity_code(column, identity),
            not_for_identity_message(column, identity),
        );
        return;
    }
    if checks.controls && is_free_text(column) {
        fields::one_line(&cell, r);
    }
    match column {
        Column::Login => fields::login(&cell, identity, r),
        // Only connect-managed users have one: elsewhere the column is
        // left empty (a value was refused above).
        Column::Password if identity == Identity::ConnectManaged => {
            fields::password(&cell, checks.empty_password, r)
        }
        Column::Password => {}
        Column::FirstName | Column::LastName => drop(fields::name(&cell, column, identity, r)),
        Column::Email => fields::email(&cell, "email-invalid", r),
        Column::SecondaryEmail => fields::email(&cell, "secondary-email-invalid", r),
        Column::Mobile => fields::e164(&cell, "mobile-invalid", r),
        Column::RoutingProfile if cell.text.is_empty() => r.error(
            &cell,
            "routing-profile-required",
            "is empty; every user needs exactly one routing profile",
        ),
        Column::RoutingProfile => drop(fields::nfc(&cell, r)),
        Column::SecurityProfiles => {
            fields::nfc(&cell, r);
            lists::security_profiles(&cell, r);
        }
        Column::Hierarchy => {
            fields::nfc(&cell, r);
            lists::hierarchy(&cell, r);
        }
        Column::Tags => {
            fields::nfc(&cell, r);
            lists::tags(&cell, r);
        }
        Column::PhoneType => phone.phone_type = fields::phone_type(&cell, r),
        Column::PhoneNumber => {
            let findings_before = r.out.len();
            fields::e164(&cell, "phone-number-invalid", r);
            phone.number = Some((cell, r.out.len() == findings_before));
        }
        Column::AutoAccept => drop(fields::yes_no(&cell, "auto-accept-invalid", r)),
        Column::AcwTimeout => drop(fields::acw(&cell, r)),
        Column::PersistentConnection => {
            phone.persistent = fields::yes_no(&cell, "persistent-connection-invalid", r)
        }
        Column::AudioEnhancement => phone.audio = fields::audio_enhancement(&cell, r),
    }
}

/// The columns of free text, which must be one line (the others have
/// rules of their own that a control character fails).
fn is_free_text(column: Column) -> bool {
    matches!(
        column,
        Column::FirstName
            | Column::LastName
            | Column::RoutingProfile
            | Column::SecurityProfiles
            | Column::Hierarchy
            | Column::Tags
    )
}

/// The cross-field rules: what the phone type makes of the other phone
/// cells (a desk phone needs its number; a softphone ignores one; a desk
/// phone ignores persistent connection and audio enhancement).
fn check_phone_cells(
    layout: &Layout,
    record: &Record,
    phone: &PhoneCells,
    ascii: bool,
    r: &mut Report,
) {
    let phone_type = if layout.has(Column::PhoneType) {
        phone.phone_type
    } else {
        Some(PhoneType::SoftPhone)
    };
    let cell_of = |column: Column| Cell {
        text: layout.cell(record, column).unwrap_or("").trim(),
        column: layout.name(column),
        secret: false,
        ascii,
    };
    match phone_type {
        Some(PhoneType::DeskPhone) => {
            let empty = phone
                .number
                .as_ref()
                .is_none_or(|(cell, _)| cell.text.is_empty());
            if empty {
                r.error(
                    &Cell {
                        text: "",
                        ..cell_of(Column::PhoneNumber)
                    },
                    "desk-phone-needs-number",
                    "is empty; a desk phone needs its E.164 number, e.g. +14155550123",
                );
            }
            if phone.persistent == Some(true) {
                r.warning(
                    &cell_of(Column::PersistentConnection),
                    "persistent-connection-ignored",
                    "only affects softphones; it is ignored for this desk-phone user",
                );
            }
            if phone
                .audio
                .is_some_and(|mode| mode != VoiceEnhancementMode::None)
            {
                r.warning(
                    &cell_of(Column::AudioEnhancement),
                    "audio-enhancement-ignored",
                    "applies to softphone audio; it is ignored for this desk-phone user (none is sent)",
                );
            }
        }
        Some(PhoneType::SoftPhone) => {
            if let Some((cell, true)) = phone.number.filter(|(cell, _)| !cell.text.is_empty()) {
                r.warning(
                    &cell,
                    "phone-number-ignored",
                    "is ignored: the phone type is soft; set the phone type to desk to use this number",
                );
            }
        }
        None => {}
    }
}

/// What one scan of a row's bytes tells: most rows are plain ASCII without
/// control characters, and then no cell needs NFC, a control-character
/// check, or a look for a line break inside a quoted value.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RowTraits {
    /// Every byte is ASCII.
    pub ascii: bool,
    /// A byte may be a control character (a line break among them): one
    /// below 0x20, DEL, or any non-ASCII byte (C1 controls are two bytes).
    pub controls: bool,
}

impl RowTraits {
    /// One branch-free pass (no early exit), which the compiler vectorises:
    /// far cheaper than two short-circuiting scans.
    pub fn of(record: &Record) -> RowTraits {
        let (mut high, mut control) = (0u8, false);
        for &b in record.as_slice().as_bytes() {
            high |= b;
            control |= (b < 0x20) | (b == 0x7f);
        }
        let ascii = high < 0x80;
        RowTraits {
            ascii,
            controls: control || !ascii,
        }
    }
}

/// Ragged rows and values under an empty header cell.
fn check_shape(layout: &Layout, record: &Record, r: &mut Report) {
    let (cells, width) = (record.len(), layout.width());
    let cells_text = || {
        if cells == 1 {
            "1 cell".to_owned()
        } else {
            format!("{cells} cells")
        }
    };
    if cells < width {
        r.row_error(
            "ragged-row",
            format!(
                "has {} but the header has {width}; the missing cells are read as empty \
                 (every row needs one cell per header column)",
                cells_text()
            ),
        );
    } else if cells > width {
        // Usually a value with an unquoted comma, which shifts every cell after it.
        let beyond = match record
            .iter()
            .skip(width)
            .map(str::trim)
            .find(|c| !c.is_empty())
        {
            Some(extra) => format!(
                ", with {:?} beyond the last column",
                crate::finding::display_value(extra)
            ),
            None => String::new(),
        };
        r.row_error(
            "ragged-row",
            format!(
                "has {} but the header has {width}{beyond}; a value with an unquoted comma \
                 shifts the cells after it: quote values that contain commas",
                cells_text()
            ),
        );
    }
    for &at in &layout.unnamed {
        let value = record.get(at).unwrap_or("").trim();
        if !value.is_empty() {
            let column = format!("column {}", at + 1);
            let cell = Cell {
                text: value,
                column: &column,
                secret: false,
                ascii: value.is_ascii(),
            };
            r.error(
                &cell,
                "value-without-column",
                "is under an empty header cell; name the column or remove the value",
            );
        }
    }
}

fn not_for_identity_code(column: Column, identity: Identity) -> &'static str {
    match (identity, column) {
        (Identity::Saml, Column::Password) => "password-not-allowed",
        (Identity::Saml, _) => "email-not-allowed",
        _ => "from-directory",
    }
}

fn not_for_identity_message(column: Column, identity: Identity) -> String {
    let why = match (identity, column) {
        (Identity::Saml, Column::Password) => "users sign in through the identity provider",
        (Identity::Saml, _) => "the identity provider holds the e-mail address",
        _ => "the directory supplies it",
    };
    format!(
        "must be empty on a {} instance ({why}); leave the cell empty",
        identity_label(identity)
    )
}

/// A cell's meaning, for telling identical duplicates from differing ones:
/// `Yes` and `yes`, `Agent|Admin` and `Agent | Admin` are the same.
pub(crate) fn canonical(column: Column, raw: &str) -> Cow<'_, str> {
    if column == Column::Password {
        return Cow::Borrowed(raw);
    }
    let text = raw.trim();
    match column {
        Column::AutoAccept | Column::PersistentConnection => match fields::parse_yes_no(text) {
            Ok(value) => Cow::Borrowed(if value == Some(true) { "yes" } else { "no" }),
            Err(()) => Cow::Borrowed(text),
        },
        Column::AudioEnhancement => match fields::parse_audio_enhancement(text) {
            Some(mode) => Cow::Borrowed(mode.api_name()),
            None => Cow::Borrowed(text),
        },
        Column::PhoneType => match fields::parse_phone_type(text) {
            Some(kind) => Cow::Borrowed(kind.template_name()),
            None => Cow::Borrowed(text),
        },
        Column::AcwTimeout => match fields::parse_acw(text) {
            Ok(seconds) => Cow::Owned(seconds.to_string()),
            Err(_) => Cow::Borrowed(text),
        },
        Column::SecurityProfiles | Column::Hierarchy => Cow::Owned(
            lists::names(&fields::to_nfc(text))
                .collect::<Vec<_>>()
                .join("|"),
        ),
        Column::Tags => Cow::Owned(lists::canonical_tags(&fields::to_nfc(text))),
        _ => fields::to_nfc(text),
    }
}

/// The header names of the columns whose cells mean different things.
pub(crate) fn differing_columns<'l>(layout: &'l Layout, a: &Record, b: &Record) -> Vec<&'l str> {
    layout
        .columns()
        .filter(|&column| {
            let cell = |record| layout.cell(record, column).unwrap_or("");
            canonical(column, cell(a)) != canonical(column, cell(b))
        })
        .map(|column| layout.name(column))
        .collect()
}

#[cfg(test)]
#[path = "row_tests.rs"]
mod tests;
