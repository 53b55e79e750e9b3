//! After the pass over the rows: duplicate logins settled — identical
//! rows collapsed into the first (a warning), differing ones made errors on
//! both lines, the review given the rows it must now show.

use crate::finding::Finding;
use crate::input::rows::Record;
use crate::template::Column;

use super::super::duplicates::{LoginRows, Rereader};
use super::super::header::Layout;
use super::super::{Cells, Retain, RowShape, UserEntry, REVIEW_FLAGGED_LIMIT};
use super::Pass;

impl Pass<'_, '_> {
    /// Reports duplicate logins once every row is read: identical rows are
    /// collapsed into the first (a warning), differing ones make both rows
    /// errors.
    pub(super) fn apply_duplicates(&mut self, layout: &Layout) {
        let logins = std::mem::replace(&mut self.logins, LoginRows::new());
        let duplicates = logins.resolve(self.text, self.delimiter, layout);
        let login_column = layout.name(Column::Login);
        let mut removed = Vec::new();
        let mut added = Vec::new();
        for duplicate in duplicates {
            let (first, later) = (duplicate.first, duplicate.later);
            if duplicate.differing.is_empty() {
                self.log(Finding::warning(
                    Some(later.line),
                    Some(login_column),
                    Some(&duplicate.login),
                    "duplicate-user",
                    format!(
                        "repeats line {} exactly; the identical rows are one user",
                        first.line
                    ),
                ));
                if let Some(index) = first.user {
                    self.v.users[index].duplicate_lines.push(later.line);
                }
                removed.extend(later.user);
                self.v.user_count = self.v.user_count.saturating_sub(1);
                continue;
            }
            let message = format!(
                "duplicate users with different information: lines {} and {} have this login but differ in {}",
                first.line,
                later.line,
                duplicate.differing.join(", ")
            );
            let mut invalid = vec![(later, duplicate.login.as_str())];
            // The first row is reported once, however many rows conflict with it.
            if duplicate.first_conflict {
                invalid.push((first, duplicate.first_login.as_str()));
            }
            for (row, login) in invalid {
                self.log(Finding::error(
                    Some(row.line),
                    Some(login_column),
                    Some(login),
                    "duplicate-user-conflict",
                    message.clone(),
                ));
                match row.user {
                    Some(index) => self.v.users[index].valid = false,
                    // Not kept as an ok row: the review shows it now.
                    None if self.retain == Retain::Review
                        && self.kept_flagged < REVIEW_FLAGGED_LIMIT =>
                    {
                        let mut record = Record::new();
                        if Rereader::new(self.text, self.delimiter).read_at(row.byte, &mut record) {
                            self.kept_flagged += 1;
                            added.push(UserEntry {
                                line: row.line,
                                duplicate_lines: Vec::new(),
                                record: Cells::from_record(&record),
                                shape: RowShape::Aligned,
                                valid: false,
                                action: None,
                            });
                        }
                    }
                    None => {}
                }
            }
        }
        if !removed.is_empty() || !added.is_empty() {
            removed.sort_unstable();
            let mut users: Vec<UserEntry> = std::mem::take(&mut self.v.users)
                .into_iter()
                .enumerate()
                .filter(|(index, _)| removed.binary_search(index).is_err())
                .map(|(_, user)| user)
                .collect();
            users.extend(added);
            users.sort_by_key(|user| user.line);
            self.v.users = users;
        }
    }
}
