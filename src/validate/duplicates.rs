//! Duplicate users, matched by user login ignoring case.
//!
//! A hash table probed once per row costs two cache misses per row on a
//! large file, which dominated validation time. Instead the pass appends
//! each login's 64-bit hash and where its row is to a list (sequential
//! writes), and [`LoginRows::resolve`] sorts that list once at the end and
//! walks the runs of equal hashes. Only rows in such runs — the duplicates,
//! rare — are read again from the text and compared column by column; that
//! also settles the astronomically unlikely case of two different logins
//! with the same hash.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};

use crate::input::rows::{CsvRows, Record};

use crate::template::Column;

use super::header::Layout;
use super::row;

/// Where a row with a login is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LoginRow {
    pub line: u64,
    /// Byte offset of the row in the text, to read it again.
    pub byte: usize,
    /// Its index in `Validation::users`, when kept.
    pub user: Option<usize>,
}

/// A row whose login an earlier row already has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Duplicate {
    /// The login's first row.
    pub first: LoginRow,
    pub later: LoginRow,
    /// The login as the later row writes it.
    pub login: String,
    /// The login as the first row writes it.
    pub first_login: String,
    /// Header names of the columns that differ; empty for an identical row.
    pub differing: Vec<String>,
    /// This is the first conflict found for `first` (report its line once).
    pub first_conflict: bool,
}

/// Every row's login, recorded during the pass.
pub(crate) struct LoginRows {
    state: RandomState,
    /// `(hash of the lowercased login, index into rows)`.
    keys: Vec<(u64, u32)>,
    rows: Vec<LoginRow>,
}

impl LoginRows {
    pub fn new() -> LoginRows {
        LoginRows {
            state: RandomState::new(),
            keys: Vec::new(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, login: &str, row: LoginRow) {
        let index = u32::try_from(self.rows.len()).unwrap_or(u32::MAX);
        self.keys.push((self.hash(login), index));
        self.rows.push(row);
    }

    fn hash(&self, login: &str) -> u64 {
        let mut hasher = self.state.build_hasher();
        let mut buffer = [0u8; 128];
        if login.is_ascii() && login.len() <= buffer.len() {
            let key = &mut buffer[..login.len()];
            key.copy_from_slice(login.as_bytes());
            key.make_ascii_lowercase();
            hasher.write(key);
        } else {
            hasher.write(login.to_lowercase().as_bytes());
        }
        hasher.finish()
    }

    /// Every duplicate of the file, in the order of the later rows' lines.
    pub fn resolve(mut self, text: &str, delimiter: u8, layout: &Layout) -> Vec<Duplicate> {
        // Sorting by (hash, index) keeps each run in file order.
        self.keys.sort_unstable();
        let mut rereader = Rereader::new(text, delimiter);
        let mut found = Vec::new();
        let mut start = 0;
        while start < self.keys.len() {
            let hash = self.keys[start].0;
            let end = start
                + self.keys[start..]
                    .iter()
                    .take_while(|(h, _)| *h == hash)
                    .count();
            if end - start > 1 {
                let run: Vec<LoginRow> = self.keys[start..end]
                    .iter()
                    .map(|&(_, i)| self.rows[i as usize])
                    .collect();
                resolve_run(&run, &mut rereader, layout, &mut found);
            }
            start = end;
        }
        found.sort_by_key(|d| d.later.line);
        found
    }
}

/// One login's first row, read again, within a run of equal hashes.
struct FirstRow {
    key: String,
    login: String,
    row: LoginRow,
    record: Record,
    conflicted: bool,
}

/// Compares every row of a run with the first row of the same login.
fn resolve_run(
    run: &[LoginRow],
    rereader: &mut Rereader,
    layout: &Layout,
    found: &mut Vec<Duplicate>,
) {
    let mut firsts: Vec<FirstRow> = Vec::new();
    let mut record = Record::new();
    for &row in run {
        if !rereader.read_at(row.byte, &mut record) {
            continue;
        }
        let login = layout.cell(&record, Column::Login).unwrap_or("").trim();
        let key = login.to_lowercase();
        match firsts.iter_mut().find(|f| f.key == key) {
            None => firsts.push(FirstRow {
                key,
                login: login.to_owned(),
                row,
                record: record.clone(),
                conflicted: false,
            }),
            Some(first) => {
                let differing: Vec<String> = row::differing_columns(layout, &first.record, &record)
                    .into_iter()
                    .map(str::to_owned)
                    .collect();
                let first_conflict = !differing.is_empty() && !first.conflicted;
                first.conflicted |= first_conflict;
                found.push(Duplicate {
                    first: first.row,
                    later: row,
                    login: login.to_owned(),
                    first_login: first.login.clone(),
                    differing,
                    first_conflict,
                });
            }
        }
    }
}

/// Reads single records again by their byte offset in the text.
pub(crate) struct Rereader<'a> {
    text: &'a str,
    delimiter: u8,
}

impl<'a> Rereader<'a> {
    pub fn new(text: &'a str, delimiter: u8) -> Rereader<'a> {
        Rereader { text, delimiter }
    }

    /// Reads the record starting at `byte` into `record`.
    pub fn read_at(&mut self, byte: usize, record: &mut Record) -> bool {
        CsvRows::at(self.text, self.delimiter, byte)
            .read(record)
            .is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::Identity;

    fn layout() -> Layout {
        let header = Record::from(vec![
            "user login",
            "routing profile name",
            "security_profile_name_1|security_profile_name_2",
        ]);
        super::super::header::analyze(&header, 1, Identity::Saml, &mut Vec::new()).unwrap()
    }

    /// The duplicates of a file, as `(first line, later line, differing)`.
    fn duplicates(text: &str, hash: Option<u64>) -> Vec<(u64, u64, Vec<String>, bool)> {
        let mut logins = LoginRows::new();
        let mut rows = crate::input::rows::CsvRows::new(text, b',');
        let mut record = Record::new();
        rows.read(&mut record);
        while let Some(start) = rows.read(&mut record) {
            let login = record.get(0).unwrap().trim().to_owned();
            logins.push(
                &login,
                LoginRow {
                    line: start.line,
                    byte: start.byte,
                    user: None,
                },
            );
            if let Some(hash) = hash {
                // Give every login the same hash, as a collision would.
                logins.keys.last_mut().unwrap().0 = hash;
            }
        }
        logins
            .resolve(text, b',', &layout())
            .into_iter()
            .map(|d| (d.first.line, d.later.line, d.differing, d.first_conflict))
            .collect()
    }

    const FILE: &str =
        "user login,routing profile name,security_profile_name_1|security_profile_name_2\n\
        J.Rivera,Sales Inbound,Agent\n\
        m.chen,Sales Inbound,Agent\n\
        j.rivera,Sales Inbound,Agent\n\
        J.Rivera, Sales Inbound ,Agent\n\
        J.Rivera,Support Tier 1,Agent|Admin\n\
        J.Rivera,Support Tier 2,Agent\n";

    #[test]
    fn identical_and_differing_rows_in_file_order() {
        let none: Vec<String> = Vec::new();
        assert_eq!(
            duplicates(FILE, None),
            vec![
                (2, 4, vec!["user login".to_owned()], true),
                (2, 5, none, false),
                (
                    2,
                    6,
                    vec![
                        "routing profile name".to_owned(),
                        "security_profile_name_1|security_profile_name_2".to_owned()
                    ],
                    false
                ),
                (2, 7, vec!["routing profile name".to_owned()], false),
            ]
        );
    }

    #[test]
    fn different_logins_with_the_same_hash_are_not_duplicates() {
        let text =
            "user login,routing profile name,security_profile_name_1|security_profile_name_2\n\
            alpha,Sales Inbound,Agent\nbeta,Sales Inbound,Agent\nALPHA,Sales Inbound,Agent\n";
        assert_eq!(
            duplicates(text, Some(7)),
            vec![(2, 4, vec!["user login".to_owned()], true)]
        );
    }

    #[test]
    fn rereads_a_record_by_offset() {
        let text = "h1,h2\n\"a\nb\",c\nd,e\n";
        let mut reader = Rereader::new(text, b',');
        let mut record = Record::new();
        assert!(reader.read_at(6, &mut record));
        assert_eq!(record.iter().collect::<Vec<_>>(), ["a\nb", "c"]);
        assert!(reader.read_at(14, &mut record));
        assert_eq!(record.iter().collect::<Vec<_>>(), ["d", "e"]);
    }
}
