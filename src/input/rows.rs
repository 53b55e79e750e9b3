//! CSV records over decoded text, each with the physical line it starts on.
//!
//! The csv crate's own position is where it *began* reading a record, which
//! is before any blank lines it skips; the physical line is found by also
//! counting the line ends skipped after that position. Lines stay right
//! across quoted fields that span lines, because the crate counts every
//! newline it consumes, quoted or not.
//!
//! The delimiter is read off the header line: a comma, or — when the header
//! has none — a tab (Excel's "Unicode text" is UTF-16 with tabs) or a
//! semicolon (Excel's CSV in locales with a decimal comma).
//!
//! The crate also accepts a quoted field that never closes (it runs to the
//! end of the file); [`CsvRows::unterminated_quote`] finds that case so it
//! is reported instead of silently swallowing the rest of the file.

use csv::StringRecord;

/// Where a record starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordStart {
    /// Physical line (1-based).
    pub line: u64,
    /// Byte offset in the text.
    pub byte: usize,
}

/// A quoted field still open at the end of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenQuote {
    /// Line where the field's opening quote is.
    pub line: u64,
    /// 0-based field index in its record.
    pub field: usize,
}

/// Reads CSV records one by one into a reused [`StringRecord`].
pub struct CsvRows<'a> {
    text: &'a str,
    reader: csv::Reader<&'a [u8]>,
    last: Option<RecordStart>,
    delimiter: u8,
}

/// The delimiter of a file, from its first line.
pub fn delimiter(text: &str) -> u8 {
    let first = text.trim_start_matches(['\r', '\n']);
    let first = &first[..first.find('\n').unwrap_or(first.len())];
    if first.contains(',') {
        b','
    } else if first.contains('\t') {
        b'\t'
    } else if first.contains(';') {
        b';'
    } else {
        b','
    }
}

/// A csv reader for the file's text, records of any length.
pub fn reader_builder(delimiter: u8) -> csv::ReaderBuilder {
    let mut builder = csv::ReaderBuilder::new();
    builder
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter);
    builder
}

impl<'a> CsvRows<'a> {
    pub fn new(text: &'a str, delimiter: u8) -> CsvRows<'a> {
        let reader = reader_builder(delimiter).from_reader(text.as_bytes());
        CsvRows {
            text,
            reader,
            last: None,
            delimiter,
        }
    }

    /// Reads the next record; `None` at the end. The text is valid UTF-8
    /// and CSV splits only at ASCII bytes, so reading cannot fail in practice;
    /// a failure is still returned rather than hidden.
    pub fn read(&mut self, record: &mut StringRecord) -> Result<Option<RecordStart>, csv::Error> {
        if !self.reader.read_record(record)? {
            return Ok(None);
        }
        let start = match record.position() {
            Some(pos) => self.start_after(pos.byte() as usize, pos.line()),
            None => RecordStart { line: 0, byte: 0 },
        };
        self.last = Some(start);
        Ok(Some(start))
    }

    /// Skips the line ends the reader skipped before the record.
    fn start_after(&self, byte: usize, line: u64) -> RecordStart {
        let rest = self.text.as_bytes().get(byte..).unwrap_or_default();
        let skipped = rest
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
        let newlines = rest[..skipped].iter().filter(|b| **b == b'\n').count() as u64;
        RecordStart {
            line: line + newlines,
            byte: byte + skipped,
        }
    }

    /// Where the last record read starts.
    pub fn last_start(&self) -> Option<RecordStart> {
        self.last
    }

    /// Whether the last record read ends inside a quoted field (only the
    /// last can: an open quote runs to the end of the file).
    pub fn unterminated_quote(&self) -> Option<OpenQuote> {
        let start = self.last?;
        open_quote(
            &self.text.as_bytes()[start.byte..],
            start.line,
            self.delimiter,
        )
    }
}

/// Follows the csv crate's quoting rules (a quote opens a field only at its
/// start; `""` inside is a literal quote) over one record's text.
fn open_quote(record: &[u8], first_line: u64, delimiter: u8) -> Option<OpenQuote> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut state = State::FieldStart;
    let (mut line, mut field) = (first_line, 0);
    let mut opened_at = first_line;
    for &b in record {
        state = match (state, b) {
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            (State::FieldStart, b'"') => {
                opened_at = line;
                State::Quoted
            }
            (State::QuoteInQuoted, b'"') => State::Quoted,
            (_, b) if b == delimiter => {
                field += 1;
                State::FieldStart
            }
            (_, b'\r' | b'\n') => {
                // The record ended; the csv reader started a new one, which
                // would have been read: not the last record after all.
                return None;
            }
            _ => State::Unquoted,
        };
        if b == b'\n' {
            line += 1;
        }
    }
    (state == State::Quoted).then_some(OpenQuote {
        line: opened_at,
        field,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<(u64, Vec<String>)> {
        let mut rows = CsvRows::new(text, b',');
        let mut record = StringRecord::new();
        let mut out = Vec::new();
        while let Some(start) = rows.read(&mut record).unwrap() {
            out.push((start.line, record.iter().map(str::to_owned).collect()));
        }
        out
    }

    #[test]
    fn lines_are_physical_across_quoted_newlines_and_blank_lines() {
        let text =
            "h1,h2\r\n\"multi\r\nline\r\nfield\",x\r\n\r\n\r\nnext,row\r\n\"a\nb\",c\nlast,one";
        let got = lines(text);
        let starts: Vec<u64> = got.iter().map(|r| r.0).collect();
        assert_eq!(starts, vec![1, 2, 7, 8, 10]);
        assert_eq!(got[1].1, vec!["multi\r\nline\r\nfield", "x"]);
    }

    #[test]
    fn the_delimiter_comes_from_the_header_line() {
        assert_eq!(delimiter("a,b\tc\n"), b',');
        assert_eq!(delimiter("\r\na\tb\nx,y"), b'\t');
        assert_eq!(delimiter("a;b\n"), b';');
        assert_eq!(delimiter("user login\n"), b',');
        let mut rows = CsvRows::new("a\tb\n\"x\ty\"\tz\n", b'\t');
        let mut record = StringRecord::new();
        rows.read(&mut record).unwrap();
        rows.read(&mut record).unwrap();
        assert_eq!(record.iter().collect::<Vec<_>>(), ["x\ty", "z"]);
    }

    #[test]
    fn leading_blank_lines_count() {
        assert_eq!(
            lines("\n\nh\nv\n").iter().map(|r| r.0).collect::<Vec<_>>(),
            vec![3, 4]
        );
    }

    #[test]
    fn open_quote_at_end_is_found() {
        let text = "h1,h2\nok,1\nbad,\"never\nclosed\n";
        let mut rows = CsvRows::new(text, b',');
        let mut record = StringRecord::new();
        while rows.read(&mut record).unwrap().is_some() {}
        assert_eq!(
            rows.unterminated_quote(),
            Some(OpenQuote { line: 3, field: 1 })
        );
    }

    #[test]
    fn closed_quotes_are_fine() {
        for text in [
            "h\n\"a\"\"b\"\n",
            "h\nx\"y\n",
            "h\n\"a\",\"b\"",
            "h\n\"a\"x\"\n",
        ] {
            let mut rows = CsvRows::new(text, b',');
            let mut record = StringRecord::new();
            while rows.read(&mut record).unwrap().is_some() {}
            assert_eq!(rows.unterminated_quote(), None, "{text:?}");
        }
    }
}
