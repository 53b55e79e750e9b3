//! The review table: one row per user with its status, the findings below
//! it, then the summary line.
//!
//! A row's status is derived from the findings on its lines when the table
//! is drawn, so findings added after validation (the online plan) show up.
//! Long files show their rows with findings and count the rest, unless
//! `--all`. Passwords show only as set / unset, and a row's password is
//! masked in every cell where it shows (see [`crate::validate::mask`]); a
//! row whose cells cannot be trusted to sit under their headers shows none.

use comfy_table::{presets, ColumnConstraint, ContentArrangement, Table};

use crate::identity::Identity;
use crate::template::Column;
use crate::user::UserSpec;
use crate::validate::{
    EmptyPassword, RowShape, Status, UserEntry, Validation, LONG_FILE_USERS, REVIEW_FLAGGED_LIMIT,
};

/// How to draw the review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReviewOptions {
    /// Show every user, not only those with findings, in a long file.
    pub all: bool,
    /// Fit the table to this many columns; `None` draws it at full width.
    pub width: Option<u16>,
}

/// Table cells longer than this are shortened.
const CELL_CHARS: usize = 40;

/// The table, the findings and the summary line.
pub fn render(v: &Validation, opts: &ReviewOptions) -> String {
    let mut out = String::new();
    let (shown, note) = select(v, opts);
    if !shown.is_empty() {
        out.push_str(&table(v, &shown, opts.width).to_string());
        out.push('\n');
        if opts.width.is_some_and(|w| w < FULL_TABLE_WIDTH) {
            out.push_str(COMPACT_NOTE);
            out.push('\n');
        }
        out.push_str(&hidden_notes(&shown));
    }
    if let Some(note) = note {
        out.push_str(&note);
        out.push('\n');
    }
    if !v.findings.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        for finding in &v.findings {
            out.push_str(&super::finding_line(&v.source, finding));
            out.push('\n');
        }
    }
    let unlisted = v.unlisted_errors + v.unlisted_warnings;
    if unlisted > 0 {
        out.push_str(&format!("… and {unlisted} more findings not listed\n"));
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(&super::summary_line(v));
    out.push('\n');
    if let Some(note) = super::offline_note(v) {
        out.push_str(note);
        out.push('\n');
    }
    out
}

/// Notes under a table with rows whose cells are not shown, one per reason:
/// `(lines 3 and 5: cells not shown: …)`.
fn hidden_notes(shown: &[&UserEntry]) -> String {
    let mut out = String::new();
    for (shape, why) in [
        (RowShape::Misaligned, "they do not line up with the header"),
        (
            RowShape::PasswordInDoubt,
            "the password cell holds no valid password, so the cells may be shifted and the \
             password in another one",
        ),
    ] {
        let lines: Vec<String> = shown
            .iter()
            .filter(|u| u.shape == shape)
            .map(|u| u.line.to_string())
            .collect();
        let Some((last, rest)) = lines.split_last() else {
            continue;
        };
        let lines = if rest.is_empty() {
            format!("line {last}")
        } else {
            format!("lines {} and {last}", rest.join(", "))
        };
        out.push_str(&format!(
            "({lines}: cells not shown: {why}; see the findings)\n"
        ));
    }
    out
}

/// The users to draw, and a note about those left out.
fn select<'v>(v: &'v Validation, opts: &ReviewOptions) -> (Vec<&'v UserEntry>, Option<String>) {
    if opts.all || v.user_count <= LONG_FILE_USERS {
        let left_out = v.user_count.saturating_sub(v.users.len());
        let note = (left_out > 0).then(|| format!("{left_out} rows not shown"));
        return (v.users.iter().collect(), note);
    }
    let shown: Vec<&UserEntry> = v
        .users
        .iter()
        .filter(|u| v.status(u) != Status::Ok)
        .collect();
    let left_out = v.user_count - shown.len();
    let note = if left_out == 0 {
        None
    } else if v.users.len() < v.user_count && shown.len() >= REVIEW_FLAGGED_LIMIT {
        Some(format!(
            "{left_out} more rows not shown (rows without findings, and rows with findings past the first \
             {REVIEW_FLAGGED_LIMIT}); --all shows every row"
        ))
    } else {
        Some(format!(
            "{left_out} ok rows not shown; --all shows every row"
        ))
    };
    (shown, note)
}

/// A column of the review table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Line,
    Login,
    FirstName,
    LastName,
    /// First and last name in one column (narrow terminals).
    Name,
    RoutingProfile,
    SecurityProfiles,
    Hierarchy,
    Phone,
    AutoAccept,
    Acw,
    Persistent,
    Password,
    Status,
    Action,
}

impl Field {
    fn heading(self) -> &'static str {
        match self {
            Field::Line => "line",
            Field::Login => "user login",
            Field::FirstName => "first name",
            Field::LastName => "last name",
            Field::Name => "name",
            Field::RoutingProfile => "routing profile",
            Field::SecurityProfiles => "security profiles",
            Field::Hierarchy => "hierarchy",
            Field::Phone => "phone",
            Field::AutoAccept => "auto-accept",
            Field::Acw => "ACW",
            Field::Persistent => "persistent",
            Field::Password => "password",
            Field::Status => "status",
            Field::Action => "action",
        }
    }

    /// Short values that must not be broken across lines.
    fn keep_whole(self) -> bool {
        matches!(
            self,
            Field::Line
                | Field::AutoAccept
                | Field::Acw
                | Field::Persistent
                | Field::Password
                | Field::Status
                | Field::Action
        )
    }
}

/// Below this width the table drops its secondary columns rather than
/// wrapping every cell into fragments.
const FULL_TABLE_WIDTH: u16 = 160;

/// The note under a narrow table.
const COMPACT_NOTE: &str =
    "(a narrow terminal: hierarchy, auto-accept, ACW and password are not shown; \
    --format json shows every field)";

fn fields(v: &Validation, users: &[&UserEntry], compact: bool) -> Vec<Field> {
    let names = v.identity != Identity::ExistingDirectory;
    let mut fields = vec![Field::Line, Field::Login];
    if compact {
        if names {
            fields.push(Field::Name);
        }
        // Persistent connection stays: it is what this tool sets that the
        // console's import does not.
        fields.extend([
            Field::RoutingProfile,
            Field::SecurityProfiles,
            Field::Phone,
            Field::Persistent,
        ]);
    } else {
        if names {
            fields.extend([Field::FirstName, Field::LastName]);
        }
        fields.extend([
            Field::RoutingProfile,
            Field::SecurityProfiles,
            Field::Hierarchy,
            Field::Phone,
            Field::AutoAccept,
            Field::Acw,
            Field::Persistent,
        ]);
        // `agents edit` never uses the password column: no column for it.
        if v.identity == Identity::ConnectManaged && v.empty_password != EmptyPassword::NotUsed {
            fields.push(Field::Password);
        }
    }
    fields.push(Field::Status);
    if users.iter().any(|u| u.action.is_some()) {
        fields.push(Field::Action);
    }
    fields
}

fn table(v: &Validation, users: &[&UserEntry], width: Option<u16>) -> Table {
    let compact = width.is_some_and(|w| w < FULL_TABLE_WIDTH);
    let fields = fields(v, users, compact);
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_header(fields.iter().map(|f| f.heading()));
    if let Some(width) = width {
        table
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(width);
        for (at, field) in fields.iter().enumerate() {
            if let (true, Some(column)) = (field.keep_whole(), table.column_mut(at)) {
                column.set_constraint(ColumnConstraint::ContentWidth);
            }
        }
    }
    let positions = column_positions(&v.header);
    for user in users {
        let cells = match v.spec(user) {
            _ if !user.shape.cells_shown() => RowCells::hidden(),
            Some(spec) => from_spec(&spec, v.empty_password),
            None => from_record(&user.record, &positions, v.empty_password),
        };
        let mask = v.row_mask(user);
        let row = fields.iter().map(|field| {
            let text = match field {
                Field::Line => user.line.to_string(),
                Field::Login => cells.login.clone(),
                Field::FirstName => cells.first_name.clone(),
                Field::LastName => cells.last_name.clone(),
                Field::Name => format!("{} {}", cells.first_name, cells.last_name)
                    .trim()
                    .to_owned(),
                Field::RoutingProfile => cells.routing_profile.clone(),
                Field::SecurityProfiles => cells.security_profiles.clone(),
                Field::Hierarchy => cells.hierarchy.clone(),
                Field::Phone => cells.phone.clone(),
                Field::AutoAccept => cells.auto_accept.clone(),
                Field::Acw => cells.acw.clone(),
                Field::Persistent => cells.persistent.clone(),
                Field::Password => cells.password.to_owned(),
                Field::Status => v.status(user).as_str().to_owned(),
                Field::Action => user.action.map_or("", |a| a.as_str()).to_owned(),
            };
            super::terminal_text::cell(shorten(&mask.apply(&text)))
        });
        table.add_row(row);
    }
    table
}

/// The texts of one table row.
struct RowCells {
    login: String,
    first_name: String,
    last_name: String,
    routing_profile: String,
    security_profiles: String,
    hierarchy: String,
    phone: String,
    auto_accept: String,
    acw: String,
    persistent: String,
    password: &'static str,
}

impl RowCells {
    /// A row whose cells do not line up with the header: nothing of it.
    fn hidden() -> RowCells {
        RowCells {
            login: String::new(),
            first_name: String::new(),
            last_name: String::new(),
            routing_profile: String::new(),
            security_profiles: String::new(),
            hierarchy: String::new(),
            phone: String::new(),
            auto_accept: String::new(),
            acw: String::new(),
            persistent: String::new(),
            password: "",
        }
    }
}

fn yes_no(value: bool) -> String {
    if value { "yes" } else { "no" }.to_owned()
}

fn from_spec(spec: &UserSpec, empty: EmptyPassword) -> RowCells {
    let phone = match &spec.phone_number {
        Some(number) => format!("{} {number}", spec.phone_type.template_name()),
        None => spec.phone_type.template_name().to_owned(),
    };
    RowCells {
        login: spec.login.clone(),
        first_name: spec.first_name.clone().unwrap_or_default(),
        last_name: spec.last_name.clone().unwrap_or_default(),
        routing_profile: spec.routing_profile.clone(),
        security_profiles: spec.security_profiles.join("|"),
        hierarchy: spec.hierarchy.join("|"),
        phone,
        auto_accept: yes_no(spec.auto_accept.unwrap_or(false)),
        acw: spec.acw_timeout.unwrap_or(0).to_string(),
        persistent: yes_no(spec.persistent_connection.unwrap_or(false)),
        password: password_state(spec.password.is_some(), empty),
    }
}

/// Record position of each known column, from the file's header.
fn column_positions(header: &[String]) -> [Option<usize>; Column::COUNT] {
    let mut positions = [None; Column::COUNT];
    for (at, name) in header.iter().enumerate() {
        if let Some(column) = Column::from_header(name) {
            positions[column.index()].get_or_insert(at);
        }
    }
    positions
}

/// `set`, `generated` (empty, and `--generate-passwords` fills it) or `unset`.
fn password_state(filled: bool, empty: EmptyPassword) -> &'static str {
    match (filled, empty) {
        (true, _) => "set",
        (false, EmptyPassword::Generated) => "generated",
        (false, EmptyPassword::Refused) => "unset",
        (false, EmptyPassword::NotUsed) => "not used",
    }
}

/// A row with errors is shown as written (trimmed), password as set,
/// generated or unset.
fn from_record(
    record: &crate::validate::Cells,
    positions: &[Option<usize>; Column::COUNT],
    empty: EmptyPassword,
) -> RowCells {
    let raw = |column: Column| {
        positions[column.index()]
            .and_then(|at| record.get(at))
            .map(|cell| cell.trim())
            .unwrap_or("")
    };
    let text = |column| raw(column).to_owned();
    let phone = [raw(Column::PhoneType), raw(Column::PhoneNumber)]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    RowCells {
        login: text(Column::Login),
        first_name: text(Column::FirstName),
        last_name: text(Column::LastName),
        routing_profile: text(Column::RoutingProfile),
        security_profiles: text(Column::SecurityProfiles),
        hierarchy: text(Column::Hierarchy),
        phone,
        auto_accept: text(Column::AutoAccept),
        acw: text(Column::AcwTimeout),
        persistent: text(Column::PersistentConnection),
        password: password_state(!raw(Column::Password).is_empty(), empty),
    }
}

/// One line, at most [`CELL_CHARS`] characters.
fn shorten(text: &str) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    match one_line.char_indices().nth(CELL_CHARS) {
        None => one_line,
        Some((cut, _)) => format!("{}…", &one_line[..cut]),
    }
}

#[cfg(test)]
#[path = "review_tests.rs"]
mod tests;
