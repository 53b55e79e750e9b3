//! A file filled in from another identity type's template: a SAML file
//! checked as connect-managed (no `password` column), a connect-managed
//! file with e-mails and passwords checked as SAML. The header shows it, so
//! it is said once, on the header line, with what to do — instead of an
//! error per row that only follows from it.

use crate::finding::Finding;
use crate::identity::Identity;
use crate::template::Column;

use super::fields::identity_label;
use super::header::required;
use super::{IdentityFrom, Purpose};

/// Codes of the row findings that only say a column's values are not for
/// the identity type checked: with [`OtherTemplate`] they are one finding.
const REFUSAL_CODES: [&str; 3] = [
    "email-not-allowed",
    "password-not-allowed",
    "from-directory",
];

/// Rows that fill columns the checked identity type refuses, when the
/// header is another type's template: counted instead of listed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RefusedRows {
    pub count: usize,
    /// The first few of their lines.
    pub first_lines: Vec<u64>,
}

impl RefusedRows {
    /// Takes the row's refusal findings out of `findings`, counting the row.
    pub fn take_from(&mut self, findings: &mut Vec<Finding>, line: u64) {
        let before = findings.len();
        findings.retain(|f| !REFUSAL_CODES.contains(&f.code.as_str()));
        if findings.len() < before {
            self.count += 1;
            if self.first_lines.len() < 5 {
                self.first_lines.push(line);
            }
        }
    }
}

/// The header is the template of another identity type than the one the
/// file is checked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OtherTemplate {
    /// The identity type whose template the header fits.
    pub identity: Identity,
    /// Columns the checked identity type needs that the header lacks: no
    /// row can be valid, so rows are not checked.
    pub missing: Vec<Column>,
    /// Columns the header has whose values the checked type refuses.
    pub refused: Vec<Column>,
}

/// The identity type whose template the header is, when the checked one's
/// is not: the header lacks a column the checked type needs or has one
/// whose values it refuses, while it has every column another type needs
/// and none that type refuses. Of several such types, the one whose
/// template has most nearly the header's columns.
pub(crate) fn other_template(
    position: &[Option<usize>; Column::COUNT],
    checked: Identity,
    purpose: Purpose,
) -> Option<OtherTemplate> {
    let present: Vec<Column> = Column::ALL
        .into_iter()
        .filter(|c| position[c.index()].is_some())
        .collect();
    let missing: Vec<Column> = Column::ALL
        .into_iter()
        .filter(|c| required(*c, checked, purpose) && !present.contains(c))
        .collect();
    let refused: Vec<Column> = present
        .iter()
        .copied()
        .filter(|c| !c.accepts_values(checked))
        .collect();
    if missing.is_empty() && refused.is_empty() {
        return None;
    }
    let fits = |identity: Identity| {
        Column::ALL
            .into_iter()
            .all(|c| !required(c, identity, purpose) || present.contains(&c))
            && present.iter().all(|c| c.accepts_values(identity))
    };
    let likeness = |identity: Identity| {
        let template = crate::template::template_columns(identity);
        let shared = present.iter().filter(|c| template.contains(c)).count();
        // Shared columns over all columns of either (Jaccard), compared
        // without division: shared / (a + b - shared).
        (shared, present.len() + template.len() - shared)
    };
    [
        Identity::ConnectManaged,
        Identity::Saml,
        Identity::ExistingDirectory,
    ]
    .into_iter()
    .filter(|&identity| identity != checked && fits(identity))
    .max_by(|&a, &b| {
        let ((sa, ua), (sb, ub)) = (likeness(a), likeness(b));
        (sa * ub).cmp(&(sb * ua))
    })
    .map(|identity| OtherTemplate {
        identity,
        missing,
        refused,
    })
}

/// `a` or `an` before an identity type's label.
fn article(label: &str) -> &'static str {
    if label.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// `email address and password`, `password`, `a, b and c`.
fn column_list(columns: &[Column]) -> String {
    let names: Vec<String> = columns
        .iter()
        .map(|c| format!("`{}`", c.header()))
        .collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// The one finding on the header line for a file filled in from another
/// identity type's template. `filled`: the rows that fill columns the
/// checked type refuses (`None` when the header lacks a column it needs).
pub(crate) fn other_template_finding(
    other: &OtherTemplate,
    checked: Identity,
    from: IdentityFrom,
    line: u64,
    filled: Option<&RefusedRows>,
) -> Finding {
    let (theirs, ours) = (identity_label(other.identity), identity_label(checked));
    let plural = |n: usize, one: &str, many: &str| if n == 1 { one } else { many }.to_owned();
    let why = match filled {
        Some(refused) => {
            let (rows, lines) = (refused.count, &refused.first_lines);
            let mut shown: Vec<String> = lines.iter().map(u64::to_string).collect();
            if rows > lines.len() {
                shown.push(format!("{} more", rows - lines.len()));
            }
            let shown = match shown.split_last() {
                Some((last, rest)) if !rest.is_empty() && rows > lines.len() => {
                    format!("{} and {last}", rest.join(", "))
                }
                _ => shown.join(", "),
            };
            format!(
                "the header is the {theirs} template's, and {rows} {} {} its {} {} (line{} {}), which \
                 {} {ours} file leaves empty",
                plural(rows, "row", "rows"),
                plural(rows, "fills", "fill"),
                column_list(&other.refused),
                plural(other.refused.len(), "column", "columns"),
                if rows == 1 { "" } else { "s" },
                shown,
                article(ours),
            )
        }
        None => format!(
            "the header is the {theirs} template's: it has no {} {}, which {} {ours} file needs",
            column_list(&other.missing),
            plural(other.missing.len(), "column", "columns"),
            article(ours),
        ),
    };
    let template = format!(
        "the {ours} template (`connect-users template fetch --identity {}` writes it)",
        checked.cli_name()
    );
    let own_template = if filled.is_some() {
        format!("empty those cells, or fill in {template}")
    } else {
        format!("fill in {template}")
    };
    let advice = match from {
        IdentityFrom::Default => format!(
            "the file was checked as {ours}, the default without an instance: for {} {theirs} \
             instance, add --identity {}; for {} {ours} instance, {own_template}",
            article(theirs),
            other.identity.cli_name(),
            article(ours),
        ),
        IdentityFrom::Flag => format!(
            "it was checked as {ours} (--identity {}): for {} {theirs} instance, use --identity {}; \
             for {} {ours} instance, {own_template}",
            checked.cli_name(),
            article(theirs),
            other.identity.cli_name(),
            article(ours),
        ),
        IdentityFrom::Instance => {
            format!("the instance's identity management type is {ours}: {own_template}")
        }
    };
    let rows = if filled.is_some() {
        "those cells are not listed one by one"
    } else {
        "the rows are not checked until the header and the identity type agree"
    };
    Finding::error(
        Some(line),
        None,
        None,
        "identity-mismatch",
        format!("{why}; {advice}; {rows}"),
    )
}

#[cfg(test)]
#[path = "other_template_tests.rs"]
mod tests;
