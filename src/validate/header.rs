//! The header row: which known column sits at which position.
//!
//! Columns are matched by name, so any order and every older template
//! header works; unknown, repeated and missing columns are findings on the
//! header's line. A header that is another identity type's template is
//! said so once (see [`super::other_template`]).

use super::cells::CellSource;
use crate::input::rows::Record;

use crate::finding::Finding;
use crate::identity::Identity;
use crate::template::Column;

use super::fields::identity_label;
use super::other_template::{other_template, other_template_finding, OtherTemplate};
use super::{IdentityFrom, Purpose};

/// Whether a file for `purpose` must have the column: a template's
/// required columns for users to create; only the login for users to
/// change, whose other columns are each optional.
pub(crate) fn required(column: Column, identity: Identity, purpose: Purpose) -> bool {
    match purpose {
        Purpose::Create => column.required(identity),
        Purpose::Edit => column == Column::Login,
    }
}

/// Where each known column is in the file's records.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    /// Record position of each [`Column`], by [`Column::index`].
    position: [Option<usize>; Column::COUNT],
    /// Header text of each record position, trimmed.
    names: Vec<String>,
    /// Present columns in file order.
    order: Vec<Column>,
    /// The column of each record position (`None`: unknown or unnamed, or
    /// a repeat).
    by_position: Vec<Option<Column>>,
    /// Positions whose header cell is empty: values there have no column.
    pub unnamed: Vec<usize>,
    /// A required column is missing: no row makes a valid user.
    pub incomplete: bool,
    /// The header is another identity type's template.
    pub other_template: Option<OtherTemplate>,
}

impl Layout {
    /// Number of header cells.
    pub fn width(&self) -> usize {
        self.names.len()
    }

    pub fn has(&self, column: Column) -> bool {
        self.position[column.index()].is_some()
    }

    /// The column's cell in `record`: `None` if the file has no such column,
    /// `""` if the row is too short to reach it.
    pub fn cell<'r, R: CellSource + ?Sized>(
        &self,
        record: &'r R,
        column: Column,
    ) -> Option<&'r str> {
        self.position[column.index()].map(|at| record.cell_at(at).unwrap_or(""))
    }

    /// The column's header text as the file writes it (its template
    /// spelling when the file lacks the column).
    pub fn name(&self, column: Column) -> &str {
        match self.position[column.index()] {
            Some(at) => &self.names[at],
            None => column.header(),
        }
    }

    /// Present columns in file order.
    pub fn columns(&self) -> impl Iterator<Item = Column> + '_ {
        self.order.iter().copied()
    }

    /// Each cell of `record` under a known column, with that column, in
    /// file order: one walk over the record, not a look-up per column.
    pub fn cells<'r>(&'r self, record: &'r Record) -> impl Iterator<Item = (Column, &'r str)> + 'r {
        record
            .iter()
            .zip(&self.by_position)
            .filter_map(|(cell, column)| column.map(|c| (c, cell)))
    }
}

/// Reads the header record, checked for `identity` when nothing says where
/// that comes from (see [`analyze_for`]): what the tests of the row rules use.
#[cfg(test)]
pub(crate) fn analyze(
    record: &Record,
    line: u64,
    identity: Identity,
    findings: &mut Vec<Finding>,
) -> Option<Layout> {
    analyze_for(
        record,
        line,
        identity,
        IdentityFrom::Default,
        Purpose::Create,
        findings,
    )
}

/// Reads the header record. `None` when it is not a template header at all
/// (no known column), in which case no row can be validated. `from` decides
/// what a header of another identity's template is told to do.
pub(crate) fn analyze_for(
    record: &Record,
    line: u64,
    identity: Identity,
    from: IdentityFrom,
    purpose: Purpose,
    findings: &mut Vec<Finding>,
) -> Option<Layout> {
    let names: Vec<String> = record
        .iter()
        .map(|cell| cell.trim_start_matches('\u{feff}').trim().to_owned())
        .collect();
    let mut position = [None; Column::COUNT];
    let mut unnamed = Vec::new();
    let mut unknown = Vec::new();
    for (at, name) in names.iter().enumerate() {
        if name.is_empty() {
            unnamed.push(at);
            continue;
        }
        match Column::from_header(name) {
            None => unknown.push(at),
            Some(column) => match position[column.index()] {
                None => position[column.index()] = Some(at),
                Some(first) => findings.push(Finding::error(
                    Some(line),
                    Some(name),
                    None,
                    "repeated-column",
                    format!(
                        "appears twice (columns {} and {}); each template column may appear once",
                        first + 1,
                        at + 1
                    ),
                )),
            },
        }
    }
    if position.iter().all(Option::is_none) {
        let text: Vec<&str> = record.iter().collect();
        findings.push(Finding::error(
            Some(line),
            None,
            Some(&text.join(",")),
            "no-header",
            format!(
                "is not a template header: it names no template column; a {} file starts with `{}` \
                 (`connect-users template fetch --identity {}` writes one)",
                identity_label(identity),
                crate::template::template_text(identity).trim_end(),
                identity.cli_name()
            ),
        ));
        return None;
    }
    for at in unknown {
        let name = &names[at];
        findings.push(Finding::error(
            Some(line),
            Some(name),
            None,
            "unknown-column",
            format!(
                "is not a template column (column {}); the closest known column is `{}`",
                at + 1,
                Column::closest(name).header()
            ),
        ));
    }
    let other_template = other_template(&position, identity, purpose);
    let mut incomplete = false;
    for column in Column::ALL {
        if required(column, identity, purpose) && position[column.index()].is_none() {
            incomplete = true;
            if other_template.is_some() {
                // Said once, below, with what to do about it.
                continue;
            }
            findings.push(Finding::error(
                Some(line),
                Some(column.header()),
                None,
                "missing-column",
                format!(
                    "is missing from the header; a {} file needs it (`connect-users template fetch \
                     --identity {}` shows every column)",
                    identity_label(identity),
                    identity.cli_name()
                ),
            ));
        }
    }
    if let Some(other) = other_template.as_ref().filter(|o| !o.missing.is_empty()) {
        findings.push(other_template_finding(other, identity, from, line, None));
    }
    let mut present: Vec<(usize, Column)> = Column::ALL
        .into_iter()
        .filter_map(|c| position[c.index()].map(|at| (at, c)))
        .collect();
    present.sort_unstable();
    let mut by_position = vec![None; names.len()];
    for &(at, column) in &present {
        by_position[at] = Some(column);
    }
    let order = present.into_iter().map(|(_, c)| c).collect();
    Some(Layout {
        position,
        names,
        order,
        by_position,
        unnamed,
        incomplete,
        other_template,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(cells: &[&str], identity: Identity) -> (Option<Layout>, Vec<String>) {
        let record = Record::from(cells.to_vec());
        let mut findings = Vec::new();
        let layout = analyze(&record, 1, identity, &mut findings);
        (
            layout,
            findings
                .into_iter()
                .map(|f| format!("{}:{}", f.code, f.column.unwrap_or_default()))
                .collect(),
        )
    }

    #[test]
    fn current_and_older_headers_are_accepted() {
        for identity in [
            Identity::ConnectManaged,
            Identity::Saml,
            Identity::ExistingDirectory,
        ] {
            let text = crate::template::template_text(identity)
                .trim_end()
                .to_owned();
            let cells: Vec<&str> = text.split(',').collect();
            let (layout, findings) = header(&cells, identity);
            assert!(findings.is_empty(), "{identity}: {findings:?}");
            assert_eq!(layout.unwrap().width(), cells.len());
        }
        let old_saml = "first name,last name,user login,routing profile name,\
            security_profile_name_1|security_profile_name_2,phone type (soft/desk),phone number,\
            soft phone auto accept (yes/no),ACW timeout (seconds)";
        let (_, findings) = header(&old_saml.split(',').collect::<Vec<_>>(), Identity::Saml);
        assert!(findings.is_empty(), "{findings:?}");
    }

    #[test]
    fn unknown_repeated_and_missing_columns() {
        let (layout, findings) = header(
            &[
                "User Login ",
                "routing profile name",
                "favourite colour",
                "user login",
                "",
            ],
            Identity::Saml,
        );
        assert_eq!(
            findings,
            vec![
                "repeated-column:user login",
                "unknown-column:favourite colour",
                "missing-column:first name",
                "missing-column:last name",
                "missing-column:security_profile_name_1|security_profile_name_2"
            ]
        );
        let layout = layout.unwrap();
        assert_eq!(layout.name(Column::Login), "User Login");
        assert_eq!(layout.unnamed, vec![4]);
    }

    #[test]
    fn the_guides_agent_hierarchy_column_is_the_hierarchy() {
        // The 2024 and newest admin guides' column lists name it so.
        let (layout, findings) = header(
            &[
                "first name",
                "last name",
                "user login",
                "routing profile name",
                "security_profile_name_1|security_profile_name_2",
                "Agent Hierarchy",
            ],
            Identity::Saml,
        );
        assert_eq!(findings, Vec::<String>::new());
        let layout = layout.unwrap();
        assert!(layout.has(Column::Hierarchy));
        assert_eq!(layout.name(Column::Hierarchy), "Agent Hierarchy");
    }

    #[test]
    fn a_row_of_data_is_not_a_header() {
        let (layout, findings) = header(&["Taro", "Yamada", "t.yamada"], Identity::ConnectManaged);
        assert!(layout.is_none());
        assert_eq!(findings, vec!["no-header:"]);
    }

    #[test]
    fn cells_of_short_rows_read_as_empty() {
        let (layout, _) = header(&["user login", "tags"], Identity::Saml);
        let layout = layout.unwrap();
        let row = Record::from(vec!["a.b"]);
        assert_eq!(layout.cell(&row, Column::Tags), Some(""));
        assert_eq!(layout.cell(&row, Column::Mobile), None);
        assert_eq!(
            layout.columns().collect::<Vec<_>>(),
            vec![Column::Login, Column::Tags]
        );
    }
}
