//! Duplicate users, matched by user login ignoring case.
//!
//! The index keeps, per login, only a 64-bit hash and where the first row
//! is — not the row itself — so a million logins cost a few tens of MB.
//! When a login comes again, the earlier row is read again from the text
//! (duplicates are rare), which also settles the astronomically unlikely
//! case of two different logins with the same hash.

use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};
use std::io::Cursor;

use csv::StringRecord;

/// Where a login was first seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Earlier {
    pub line: u64,
    /// Byte offset of the row in the text, to read it again.
    pub byte: usize,
    /// Its index in `Validation::users`, when kept.
    pub user: Option<usize>,
    /// A conflicting duplicate was already reported on this row's line.
    pub conflicted: bool,
}

/// The logins seen so far.
pub(crate) struct DuplicateIndex {
    state: RandomState,
    by_hash: HashMap<u64, Earlier, BuildHasherDefault<Prehashed>>,
    /// Logins whose hash is taken by a different login.
    spill: HashMap<String, Earlier>,
}

impl DuplicateIndex {
    pub fn new() -> DuplicateIndex {
        DuplicateIndex { state: RandomState::new(), by_hash: HashMap::default(), spill: HashMap::new() }
    }

    /// The earlier row with this login, if any. `same_login` is asked to
    /// confirm a candidate (it reads the earlier row again).
    pub fn find(&mut self, login: &str, mut same_login: impl FnMut(&Earlier) -> bool) -> Option<&mut Earlier> {
        let hash = self.hash(login);
        let candidate = self.by_hash.get_mut(&hash)?;
        if same_login(candidate) {
            return self.by_hash.get_mut(&hash);
        }
        self.spill.get_mut(&login.to_lowercase())
    }

    /// Records the first row of a login [`find`](Self::find) did not know.
    pub fn insert(&mut self, login: &str, earlier: Earlier) {
        let hash = self.hash(login);
        if self.by_hash.contains_key(&hash) {
            self.spill.insert(login.to_lowercase(), earlier);
        } else {
            self.by_hash.insert(hash, earlier);
        }
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
}

/// Whether two logins are the same user (the service ignores case).
pub(crate) fn same_login(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b) || (!a.is_ascii() && a.to_lowercase() == b.to_lowercase())
}

/// The map's keys are already hashes: use them as they are.
#[derive(Default)]
pub(crate) struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Reads single records again by their byte offset in the text.
pub(crate) struct Rereader<'a> {
    reader: csv::Reader<Cursor<&'a [u8]>>,
}

impl<'a> Rereader<'a> {
    pub fn new(text: &'a str) -> Rereader<'a> {
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(Cursor::new(text.as_bytes()));
        Rereader { reader }
    }

    /// Reads the record starting at `byte` into `record`.
    pub fn read_at(&mut self, byte: usize, record: &mut StringRecord) -> bool {
        let mut position = csv::Position::new();
        position.set_byte(byte as u64);
        self.reader.seek(position).is_ok() && self.reader.read_record(record).unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn earlier(line: u64) -> Earlier {
        Earlier { line, byte: 0, user: None, conflicted: false }
    }

    #[test]
    fn logins_match_ignoring_case() {
        let mut index = DuplicateIndex::new();
        assert!(index.find("J.Rivera", |_| true).is_none());
        index.insert("J.Rivera", earlier(2));
        assert_eq!(index.find("j.rivera", |_| true).map(|e| e.line), Some(2));
        assert!(index.find("j.riviera", |_| true).is_none());
        assert!(same_login("J.Rivera", "j.RIVERA"));
        assert!(same_login("Ä.x", "ä.X"));
        assert!(!same_login("a", "b"));
    }

    #[test]
    fn a_hash_collision_goes_to_the_spill() {
        let mut index = DuplicateIndex::new();
        index.insert("alpha", earlier(2));
        // Force the collision path: pretend "alpha" has the hash of "beta".
        let hash = index.hash("beta");
        let first = *index.by_hash.values().next().unwrap();
        index.by_hash.clear();
        index.by_hash.insert(hash, first);
        assert!(index.find("beta", |_| false).is_none());
        index.insert("beta", earlier(5));
        assert_eq!(index.find("BETA", |_| false).map(|e| e.line), Some(5));
    }

    #[test]
    fn rereads_a_record_by_offset() {
        let text = "h1,h2\n\"a\nb\",c\nd,e\n";
        let mut reader = Rereader::new(text);
        let mut record = StringRecord::new();
        assert!(reader.read_at(6, &mut record));
        assert_eq!(record.iter().collect::<Vec<_>>(), ["a\nb", "c"]);
        assert!(reader.read_at(14, &mut record));
        assert_eq!(record.iter().collect::<Vec<_>>(), ["d", "e"]);
    }
}
