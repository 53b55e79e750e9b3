//! A row's cells as kept after the pass: one string and the cells' ends,
//! instead of a `String` per cell. A kept row costs about its size in the
//! file (plus four bytes a cell), not a heap block a cell — what decides
//! the memory of `--format json` and `import apply` on large files.

/// What a row's cells are read from by position: the record being read,
/// or the [`Cells`] of a row kept after the pass.
pub(crate) trait CellSource {
    fn cell_at(&self, index: usize) -> Option<&str>;
}

impl CellSource for crate::input::rows::Record {
    fn cell_at(&self, index: usize) -> Option<&str> {
        self.get(index)
    }
}

impl CellSource for Cells {
    fn cell_at(&self, index: usize) -> Option<&str> {
        self.get(index)
    }
}

/// The cells of one row, exactly as in the file.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Cells {
    text: Box<str>,
    /// Where each cell ends in `text`.
    ends: Box<[u32]>,
}

impl Cells {
    /// The cells of a record (a cell longer than 4 GB is cut, which a file
    /// read whole into memory cannot have anyway).
    pub fn from_record(record: &crate::input::rows::Record) -> Cells {
        Cells::from_iter(record.iter())
    }

    /// The cell at `index`.
    pub fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)? as usize;
        let start = match index {
            0 => 0,
            _ => self.ends[index - 1] as usize,
        };
        self.text.get(start..end)
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Every cell, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + Clone + '_ {
        (0..self.len()).map(|i| self.get(i).unwrap_or(""))
    }
}

impl<'a> FromIterator<&'a str> for Cells {
    fn from_iter<I: IntoIterator<Item = &'a str>>(cells: I) -> Cells {
        let mut text = String::new();
        let mut ends = Vec::new();
        for cell in cells {
            text.push_str(cell);
            ends.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
        }
        Cells {
            text: text.into_boxed_str(),
            ends: ends.into_boxed_slice(),
        }
    }
}

/// The cells may hold a password: Debug shows only how many there are.
impl std::fmt::Debug for Cells {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<{} cells, not shown>", self.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_back_as_written() {
        let cells: Cells = ["Taro", "", "山田", "a,b"].into_iter().collect();
        assert_eq!(cells.len(), 4);
        assert_eq!(
            cells.iter().collect::<Vec<_>>(),
            ["Taro", "", "山田", "a,b"]
        );
        assert_eq!(cells.get(2), Some("山田"));
        assert_eq!(cells.get(4), None);
        assert_eq!(format!("{cells:?}"), "<4 cells, not shown>");
        let empty = Cells::default();
        assert!(empty.is_empty() && empty.get(0).is_none());
    }
}
