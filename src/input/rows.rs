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

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

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

/// One record: its cells' text in one string, and where each cell ends.
/// Reused from record to record, so reading allocates only when a record
/// is longer than every one before it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    text: String,
    ends: Vec<usize>,
}

impl Record {
    pub fn new() -> Record {
        Record::default()
    }

    /// Number of cells.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The cell at `index`.
    pub fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)?;
        let start = match index {
            0 => 0,
            _ => self.ends[index - 1],
        };
        self.text.get(start..end)
    }

    /// Every cell, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + Clone + '_ {
        // Each cell is split off the rest: one boundary check a cell (the
        // hot loop of validation walks every cell of every row).
        let (mut rest, mut start) = (self.text.as_str(), 0);
        self.ends.iter().map(move |&end| {
            let (cell, tail) = rest.split_at_checked(end - start).unwrap_or(("", rest));
            (rest, start) = (tail, end);
            cell
        })
    }

    /// Every cell's text, one after the other (no separators).
    pub fn as_slice(&self) -> &str {
        &self.text
    }
}

impl<'a> FromIterator<&'a str> for Record {
    fn from_iter<I: IntoIterator<Item = &'a str>>(cells: I) -> Record {
        let mut record = Record::new();
        for cell in cells {
            record.text.push_str(cell);
            record.ends.push(record.text.len());
        }
        record
    }
}

impl<'a> From<Vec<&'a str>> for Record {
    fn from(cells: Vec<&'a str>) -> Record {
        cells.into_iter().collect()
    }
}

/// Reads CSV records one by one into a reused [`Record`], straight off the
/// text with `csv_core` (the csv crate's own parser): no copy of the text
/// into a read buffer, and one UTF-8 check per record.
pub struct CsvRows<'a> {
    text: &'a str,
    reader: Reader,
    /// Bytes of the text consumed so far.
    consumed: usize,
    /// The reader reported the end.
    done: bool,
    /// The record's bytes as the parser writes them, reused.
    buffer: Vec<u8>,
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

impl<'a> CsvRows<'a> {
    /// Reads `text` from its start.
    pub fn new(text: &'a str, delimiter: u8) -> CsvRows<'a> {
        CsvRows::at(text, delimiter, 0)
    }

    /// Reads `text` from the record that starts at byte `start` (as a
    /// [`RecordStart`] gave it), to read a record again.
    pub fn at(text: &'a str, delimiter: u8, start: usize) -> CsvRows<'a> {
        // The csv crate's defaults: `"` quotes, `""` escapes a quote, any
        // of CR, LF and CRLF ends a record, no comments.
        let reader = ReaderBuilder::new().delimiter(delimiter).build();
        CsvRows {
            text,
            reader,
            consumed: start.min(text.len()),
            done: false,
            buffer: vec![0; 1024],
            last: None,
            delimiter,
        }
    }

    /// Reads the next record; `None` at the end. `csv_core` reads any
    /// bytes (a quote that never closes runs to the end of the file, see
    /// [`CsvRows::unterminated_quote`]), and splits only at ASCII bytes, so
    /// every cell of the text's records is text.
    pub fn read(&mut self, record: &mut Record) -> Option<RecordStart> {
        if self.done {
            return None;
        }
        let (byte, line) = (self.consumed, self.reader.line());
        let mut ends = std::mem::take(&mut record.ends);
        ends.clear();
        ends.resize(ends.capacity().max(32), 0);
        let (mut written, mut ended) = (0, 0);
        let input = self.text.as_bytes();
        loop {
            let (result, read, out, n) = self.reader.read_record(
                &input[self.consumed..],
                &mut self.buffer[written..],
                &mut ends[ended..],
            );
            self.consumed += read;
            written += out;
            ended += n;
            match result {
                // All the input was given: the next call, with nothing,
                // tells the parser the text has ended.
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => {
                    let grown = self.buffer.len() * 2;
                    self.buffer.resize(grown, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let grown = ends.len() * 2;
                    ends.resize(grown, 0);
                }
                ReadRecordResult::Record => break,
                ReadRecordResult::End => {
                    self.done = true;
                    record.ends = ends;
                    record.ends.clear();
                    return None;
                }
            }
        }
        ends.truncate(ended);
        record.ends = ends;
        record.text.clear();
        // The parser splits only at ASCII bytes and drops only ASCII quotes,
        // so the record of a text is text; the check is one fast pass.
        match std::str::from_utf8(&self.buffer[..written]) {
            Ok(text) => record.text.push_str(text),
            Err(_) => record
                .text
                .push_str(&String::from_utf8_lossy(&self.buffer[..written])),
        }
        let start = self.start_after(byte, line);
        self.last = Some(start);
        Some(start)
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
        let mut record = Record::new();
        let mut out = Vec::new();
        while let Some(start) = rows.read(&mut record) {
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
        let mut record = Record::new();
        rows.read(&mut record);
        rows.read(&mut record);
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
        let mut record = Record::new();
        while rows.read(&mut record).is_some() {}
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
            let mut record = Record::new();
            while rows.read(&mut record).is_some() {}
            assert_eq!(rows.unterminated_quote(), None, "{text:?}");
        }
    }
}
