//! Generated template files with the mistakes people make around commas
//! and quotes, and the passwords written in them: for tests that no output
//! ever shows a password.
//!
//! [`ragged_files`] is a proptest strategy producing `(file bytes,
//! passwords)`: a connect-managed file of 1 to 12 users with distinct
//! logins (lowercase, so they can be created) and the demo instance's
//! names, where rows may have a value with an unquoted comma (a cell too
//! many), a cell left out (one too few), both (the right width, cells
//! shifted in between) — also where the cell shifted under `password` is
//! empty and the password lands under `user login` or `routing profile
//! name` —, a stray quote inside a value, a quote that opens a value and
//! never closes (the rest of the file becomes one value), or a comma too
//! many at the end. Passwords are distinct, start with `Zq`/`zq`,
//! and some hold a comma or a quote, so an unquoted one splits.

use proptest::prelude::*;

/// The 2024 console's connect-managed header: 16 columns, the rows below are
/// written for it (the newest template adds `audio enhancement`).
pub const HEADER: &str = super::apply::CONNECT_MANAGED_HEADER;

/// Position of the password among the header's 16 columns.
pub const PASSWORD_AT: usize = 6;

const COLUMNS: usize = 16;

/// What goes wrong in one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mistake {
    None,
    /// The cell gets a comma in its middle and is written without quotes.
    CommaIn(usize),
    /// The cell is left out.
    Dropped(usize),
    /// A comma in one cell and another cell left out: the width is right,
    /// the cells between are shifted.
    Shifted {
        comma_in: usize,
        dropped: usize,
    },
    /// `Shifted` across the password, where the neighbour cell the shift
    /// moves under `password` was empty: the password cell reads empty (as
    /// an export's does) and the password sits under a neighbour's header.
    ShiftedOverEmpty {
        comma_in: usize,
        dropped: usize,
    },
    /// A `"` inside an unquoted value (read literally).
    StrayQuote(usize),
    /// The cell starts with a `"` that never closes.
    OpenQuote(usize),
    /// An empty cell too many at the end.
    TrailingComma,
}

/// One generated row.
#[derive(Debug, Clone)]
pub struct RowPlan {
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub login_suffix: String,
    pub password: String,
    pub persistent: bool,
    pub hierarchy: bool,
    pub mistake: Mistake,
}

/// A mistake or none; `careful` weighs the rows without one against the
/// 13 of the mistakes together.
pub fn mistake(careful: u32) -> impl Strategy<Value = Mistake> {
    let column = 0..COLUMNS;
    prop_oneof![
        careful => Just(Mistake::None),
        2 => column.clone().prop_map(Mistake::CommaIn),
        1 => Just(Mistake::CommaIn(PASSWORD_AT)),
        2 => column.clone().prop_map(Mistake::Dropped),
        2 => (column.clone(), column.clone())
            .prop_filter("two different cells", |(a, b)| a != b)
            .prop_map(|(comma_in, dropped)| Mistake::Shifted { comma_in, dropped }),
        1 => (0..PASSWORD_AT, PASSWORD_AT + 1..COLUMNS)
            .prop_map(|(comma_in, dropped)| Mistake::Shifted { comma_in, dropped }),
        // Cells shift left (a cell too few before the password): the empty
        // routing profile moves under `password`, the password under `user login`.
        1 => (0..PASSWORD_AT, PASSWORD_AT + 1..COLUMNS)
            .prop_map(|(dropped, comma_in)| Mistake::ShiftedOverEmpty { comma_in, dropped }),
        // Cells shift right: the empty login moves under `password`.
        1 => (0..PASSWORD_AT, PASSWORD_AT + 1..COLUMNS)
            .prop_map(|(comma_in, dropped)| Mistake::ShiftedOverEmpty { comma_in, dropped }),
        1 => column.clone().prop_map(Mistake::StrayQuote),
        1 => column.prop_map(Mistake::OpenQuote),
        1 => Just(Mistake::TrailingComma),
    ]
}

/// A password that is never empty: strong (`Zq…7Xy`) or weak (`zq…xyz`,
/// no uppercase letter or digit), some with a comma, a quote or ", ".
pub fn password() -> impl Strategy<Value = String> {
    (
        "[A-Za-z0-9]{3,8}",
        prop_oneof![Just(""), Just(","), Just("\""), Just("-"), Just(", ")],
        "[A-Za-z0-9]{3,8}",
        any::<bool>(),
    )
        .prop_map(|(a, special, b, strong)| {
            if strong {
                format!("Zq{a}{special}{b}7Xy")
            } else {
                // Breaks the rules: no uppercase letter or digit.
                format!("zq{}{special}{}xyz", a.to_lowercase(), b.to_lowercase())
                    .replace(|c: char| c.is_ascii_digit(), "k")
            }
        })
}

/// A row with a password of `password` and a mistake of [`mistake`]`(careful)`.
pub fn row_plan(
    password: impl Strategy<Value = String>,
    careful: u32,
) -> impl Strategy<Value = RowPlan> {
    (
        prop::sample::select(vec!["Olivia", "Liam", "結衣", "Noah", "Ava"]),
        prop::sample::select(vec!["Bennett", "Foster, Jr.", "小林", "O'Brien", "Reyes"]),
        "[a-z]{0,6}",
        password,
        any::<bool>(),
        any::<bool>(),
        mistake(careful),
    )
        .prop_map(
            |(first_name, last_name, login_suffix, password, persistent, hierarchy, mistake)| {
                RowPlan {
                    first_name,
                    last_name,
                    login_suffix,
                    password,
                    persistent,
                    hierarchy,
                    mistake,
                }
            },
        )
}

/// A generated file: `(bytes, every password written in it)`.
pub fn ragged_files() -> impl Strategy<Value = (Vec<u8>, Vec<String>)> {
    (
        prop::collection::vec(row_plan(password(), 6), 1..12),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(rows, crlf, bom)| build(&rows, crlf, bom))
}

/// The cells of row `i`, as the user meant them: login `{prefix}ag{i}.…`.
pub fn cells(prefix: &str, i: usize, row: &RowPlan) -> Vec<String> {
    let login = format!("{prefix}ag{i}.{}", row.login_suffix);
    let yes_no = |b: bool| if b { "yes" } else { "no" }.to_owned();
    vec![
        row.first_name.to_owned(),
        row.last_name.to_owned(),
        format!("{login}@example.com"),
        String::new(),
        if i.is_multiple_of(2) {
            String::new()
        } else {
            format!("+1206555{i:04}")
        },
        login,
        row.password.clone(),
        "Sales Inbound".to_owned(),
        if i.is_multiple_of(3) {
            "Agent|QualityAnalyst"
        } else {
            "Agent"
        }
        .to_owned(),
        if row.hierarchy {
            "North America|Seattle|Team Orca".to_owned()
        } else {
            String::new()
        },
        "soft".to_owned(),
        String::new(),
        "no".to_owned(),
        "30".to_owned(),
        yes_no(row.persistent),
        if i % 4 == 1 { "team|orca" } else { "" }.to_owned(),
    ]
}

/// A cell as a careful writer puts it: quoted when it must be.
fn quoted(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) || cell.starts_with(' ') || cell.ends_with(' ') {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_owned()
    }
}

/// A cell written without quotes, with a comma in its middle.
fn with_comma(cell: &str) -> String {
    let at = cell
        .char_indices()
        .nth(cell.chars().count() / 2)
        .map_or(cell.len(), |(i, _)| i);
    format!("{},{}", &cell[..at], &cell[at..]).replace('"', "")
}

/// One row's text, its mistake made.
pub fn row_text(cells: &[String], mistake: &Mistake) -> String {
    let mut cells = cells.to_vec();
    if let Mistake::ShiftedOverEmpty { dropped, .. } = mistake {
        // The neighbour on the side the cells come from was left empty.
        let neighbour = if *dropped < PASSWORD_AT {
            PASSWORD_AT + 1
        } else {
            PASSWORD_AT - 1
        };
        cells[neighbour].clear();
    }
    let mut out: Vec<String> = Vec::with_capacity(cells.len() + 1);
    for (at, cell) in cells.iter().enumerate() {
        let text = match mistake {
            Mistake::CommaIn(k)
            | Mistake::Shifted { comma_in: k, .. }
            | Mistake::ShiftedOverEmpty { comma_in: k, .. }
                if *k == at =>
            {
                with_comma(cell)
            }
            Mistake::Dropped(k)
            | Mistake::Shifted { dropped: k, .. }
            | Mistake::ShiftedOverEmpty { dropped: k, .. }
                if *k == at =>
            {
                continue
            }
            Mistake::StrayQuote(k) if *k == at => {
                let mut cell = cell.replace([',', '"'], "");
                if cell.is_empty() {
                    cell.push_str("ab");
                }
                let half = cell.char_indices().nth(1).map_or(cell.len(), |(i, _)| i);
                format!("{}\"{}", &cell[..half], &cell[half..])
            }
            Mistake::OpenQuote(k) if *k == at => format!("\"{}", cell.replace('"', "")),
            _ => quoted(cell),
        };
        out.push(text);
    }
    let mut text = out.join(",");
    if *mistake == Mistake::TrailingComma {
        text.push(',');
    }
    text
}

/// The file of `rows`, and the passwords in it.
pub fn build(rows: &[RowPlan], crlf: bool, bom: bool) -> (Vec<u8>, Vec<String>) {
    let (text, passwords) = file("", rows, crlf, bom);
    (text.into_bytes(), passwords)
}

/// The file of `rows` with logins `{prefix}ag{i}.…`, and the passwords
/// written in it (the empty ones left out).
pub fn file(prefix: &str, rows: &[RowPlan], crlf: bool, bom: bool) -> (String, Vec<String>) {
    let end = if crlf { "\r\n" } else { "\n" };
    let mut text = String::new();
    if bom {
        text.push('\u{feff}');
    }
    text.push_str(HEADER.trim_end());
    text.push_str(end);
    let mut passwords = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if !row.password.is_empty() {
            passwords.push(row.password.clone());
        }
        text.push_str(&row_text(&cells(prefix, i, row), &row.mistake));
        text.push_str(end);
    }
    (text, passwords)
}
