//! Bytes to text: detects the encoding people's spreadsheets actually save
//! (UTF-8 with or without BOM, UTF-16 with BOM, Shift_JIS/CP932 from
//! Japanese Excel) or uses the one forced with `--encoding`.
//!
//! Invalid byte sequences are not fatal: they become U+FFFD in the text and
//! are reported with their line, so the user learns where to look, and —
//! for a file in a single-byte code page — which one it reads as
//! (windows-1252 or Mac Roman, see [`super::single_byte`]). Valid UTF-8 —
//! by far the common case — is borrowed, not copied.
//!
//! Line numbers count the lines a reader of the file sees: LF, CRLF, or a
//! lone CR (classic Mac files, such as Excel's "CSV (Macintosh)").

use std::borrow::Cow;

use encoding_rs::{DecoderResult, Encoding, SHIFT_JIS, UTF_16BE, UTF_16LE, UTF_8};

use super::single_byte;

/// At most this many invalid sequences are recorded (one per line); the
/// rest are only counted.
const MALFORMED_LISTED: usize = 100;

/// How the encoding was chosen, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detection {
    /// `--encoding`.
    Forced,
    /// A byte-order mark.
    Bom,
    /// The bytes are valid UTF-8.
    ValidUtf8,
    /// UTF-16 without a BOM, recognised by its zero bytes.
    Utf16Zeros,
    /// Not UTF-8, but valid Shift_JIS (CP932).
    ValidShiftJis,
    /// Neither UTF-8 nor Shift_JIS: read as UTF-8 with replacements.
    Fallback,
}

/// A place where the bytes were not valid in the encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Malformed {
    /// Physical line of the text (1-based).
    pub line: u64,
    /// Offset of the bad sequence in the input bytes (approximate for
    /// multi-byte encodings: where the decoder noticed it).
    pub byte_offset: usize,
    /// Offset of its U+FFFD in the decoded text.
    pub text_offset: usize,
}

/// The decoded text and what happened on the way.
#[derive(Debug)]
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub encoding: &'static Encoding,
    pub detection: Detection,
    /// The first invalid sequences, at most one per line.
    pub malformed: Vec<Malformed>,
    /// Every invalid sequence, listed or not.
    pub malformed_total: usize,
    /// For a file read with [`Detection::Fallback`]: the single-byte code
    /// page it most likely is in (windows-1252 or macintosh).
    pub likely: Option<&'static Encoding>,
    /// For a file forced into windows-1252 or macintosh that reads clearly
    /// better in the other: that one, and the lines (first ones, each once)
    /// with a character that reads wrong.
    pub reads_better: Option<(&'static Encoding, Vec<u64>)>,
}

/// Decodes `bytes`, detecting the encoding unless `forced`.
pub fn decode<'a>(bytes: &'a [u8], forced: Option<&'static Encoding>) -> Decoded<'a> {
    let (mut decoded, body) = match forced {
        Some(encoding) => {
            let body = match Encoding::for_bom(bytes) {
                Some((bom_encoding, len)) if bom_encoding == encoding => &bytes[len..],
                _ => bytes,
            };
            (decode_as(body, encoding, Detection::Forced), body)
        }
        None => detect_and_decode(bytes),
    };
    // A second BOM (files concatenated or saved twice) is not part of the header.
    if decoded.text.starts_with('\u{feff}') {
        let trimmed = decoded.text.trim_start_matches('\u{feff}');
        let removed = decoded.text.len() - trimmed.len();
        decoded.text = Cow::Owned(trimmed.to_owned());
        for bad in &mut decoded.malformed {
            bad.text_offset = bad.text_offset.saturating_sub(removed);
        }
    }
    // Old Mac files end lines with a lone CR: make them lines, so line numbers are right.
    if !decoded.text.contains('\n') && decoded.text.contains('\r') {
        decoded.text = Cow::Owned(decoded.text.replace('\r', "\n"));
    }
    number_lines(&decoded.text, &mut decoded.malformed);
    if decoded.detection == Detection::Fallback {
        decoded.likely = Some(single_byte::guess(body));
    }
    if decoded.detection == Detection::Forced {
        decoded.reads_better = single_byte::reads_better(body, decoded.encoding, &decoded.text)
            .map(|(better, offsets)| (better, lines_at(&decoded.text, &offsets)));
    }
    decoded
}

/// The lines of sorted byte offsets in the text (LF line ends, as
/// `decode` leaves them), each line once.
fn lines_at(text: &str, offsets: &[usize]) -> Vec<u64> {
    let (mut counted_upto, mut line) = (0, 1);
    let mut lines: Vec<u64> = Vec::new();
    for &offset in offsets {
        let upto = offset.min(text.len()).max(counted_upto);
        line += count_newlines(&text.as_bytes()[counted_upto..upto]);
        counted_upto = upto;
        if lines.last() != Some(&line) {
            lines.push(line);
        }
    }
    lines
}

fn count_newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|b| **b == b'\n').count() as u64
}

/// Fills in the line of each invalid sequence from its offset in the final
/// text (sorted), counting each byte once.
fn number_lines(text: &str, malformed: &mut [Malformed]) {
    let (mut counted_upto, mut line) = (0, 1);
    for bad in malformed {
        let upto = bad.text_offset.min(text.len()).max(counted_upto);
        line += count_newlines(&text.as_bytes()[counted_upto..upto]);
        counted_upto = upto;
        bad.line = line;
    }
}

/// The decoded text, and the bytes it was decoded from (without a BOM).
fn detect_and_decode(bytes: &[u8]) -> (Decoded<'_>, &[u8]) {
    if let Some((encoding, len)) = Encoding::for_bom(bytes) {
        let body = &bytes[len..];
        return (decode_as(body, encoding, Detection::Bom), body);
    }
    // Before UTF-8: ASCII text in UTF-16 is valid UTF-8 too, full of NULs.
    if let Some(encoding) = utf16_by_zeros(bytes) {
        return (decode_as(bytes, encoding, Detection::Utf16Zeros), bytes);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (
            clean(Cow::Borrowed(text), UTF_8, Detection::ValidUtf8),
            bytes,
        );
    }
    if let Some(text) = SHIFT_JIS.decode_without_bom_handling_and_without_replacement(bytes) {
        return (clean(text, SHIFT_JIS, Detection::ValidShiftJis), bytes);
    }
    (decode_as(bytes, UTF_8, Detection::Fallback), bytes)
}

fn clean<'a>(text: Cow<'a, str>, encoding: &'static Encoding, detection: Detection) -> Decoded<'a> {
    Decoded {
        text,
        encoding,
        detection,
        malformed: Vec::new(),
        malformed_total: 0,
        likely: None,
        reads_better: None,
    }
}

/// UTF-16 saved without a BOM: ASCII text then has a zero in every other
/// byte. Requires most of the sampled odd (LE) or even (BE) bytes to be zero.
fn utf16_by_zeros(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let even_zeros = sample.iter().step_by(2).filter(|b| **b == 0).count();
    let odd_zeros = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|b| **b == 0)
        .count();
    if odd_zeros * 10 >= pairs * 7 && even_zeros * 10 <= pairs {
        Some(UTF_16LE)
    } else if even_zeros * 10 >= pairs * 7 && odd_zeros * 10 <= pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

fn decode_as<'a>(
    bytes: &'a [u8],
    encoding: &'static Encoding,
    detection: Detection,
) -> Decoded<'a> {
    if encoding == UTF_8 {
        return decode_utf8(bytes, detection);
    }
    let mut tracker = MalformedTracker::default();
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(bytes.len())
            .unwrap_or(bytes.len()),
    );
    let mut read_total = 0;
    loop {
        let (result, read) =
            decoder.decode_to_string_without_replacement(&bytes[read_total..], &mut text, true);
        read_total += read;
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => {
                let more = decoder
                    .max_utf8_buffer_length_without_replacement(bytes.len() - read_total)
                    .unwrap_or(64);
                text.reserve(more.max(64));
            }
            DecoderResult::Malformed(bad, after) => {
                let start = read_total.saturating_sub(usize::from(bad) + usize::from(after));
                tracker.record(&text, start);
                text.push('\u{fffd}');
            }
        }
    }
    tracker.finish(Cow::Owned(text), encoding, detection)
}

fn decode_utf8(bytes: &[u8], detection: Detection) -> Decoded<'_> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return clean(Cow::Borrowed(text), UTF_8, detection);
    }
    let mut tracker = MalformedTracker::default();
    let mut text = String::with_capacity(bytes.len() + 16);
    let mut offset = 0;
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        offset += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            tracker.record(&text, offset);
            text.push('\u{fffd}');
            offset += chunk.invalid().len();
        }
    }
    tracker.finish(Cow::Owned(text), UTF_8, detection)
}

/// Records invalid sequences, at most one per line: a line ends at an LF,
/// a CRLF or a lone CR, so files with classic Mac line ends get one entry
/// per line too. The lines themselves are numbered once the whole text is
/// known ([`number_lines`]). Each byte is looked at once.
#[derive(Default)]
struct MalformedTracker {
    scanned_upto: usize,
    listed: Vec<Malformed>,
    total: usize,
}

impl MalformedTracker {
    fn record(&mut self, text_so_far: &str, byte_offset: usize) {
        self.total += 1;
        let tail = &text_so_far.as_bytes()[self.scanned_upto..];
        let new_line = tail.iter().any(|b| matches!(b, b'\n' | b'\r'));
        self.scanned_upto = text_so_far.len();
        let same_line = !new_line && !self.listed.is_empty();
        if !same_line && self.listed.len() < MALFORMED_LISTED {
            self.listed.push(Malformed {
                line: 0,
                byte_offset,
                text_offset: text_so_far.len(),
            });
        }
    }

    fn finish<'a>(
        self,
        text: Cow<'a, str>,
        encoding: &'static Encoding,
        detection: Detection,
    ) -> Decoded<'a> {
        Decoded {
            text,
            encoding,
            detection,
            malformed: self.listed,
            malformed_total: self.total,
            likely: None,
            reads_better: None,
        }
    }
}

/// Parses an `--encoding` value: any WHATWG label (`utf-8`, `utf-16le`,
/// `shift_jis`, `windows-1252`, …) plus the common `cp932` and `sjis`.
pub fn parse_encoding(label: &str) -> Result<&'static Encoding, String> {
    let lowered = label.trim().to_ascii_lowercase();
    let label = match lowered.as_str() {
        "cp932" | "sjis" | "ms932" | "shift-jis" => "shift_jis",
        "utf8" => "utf-8",
        "utf16le" | "utf-16" => "utf-16le",
        "utf16be" => "utf-16be",
        other => other,
    };
    Encoding::for_label(label.as_bytes()).ok_or_else(|| {
        format!(
            "unknown encoding {label:?}; try utf-8, utf-16le, utf-16be, shift_jis (cp932), \
             windows-1252 or macintosh (Mac Roman)"
        )
    })
}

/// The labels shell completion offers for `--encoding`: the encodings
/// contact-center exports come in. Any other label [`parse_encoding`]
/// knows is accepted too, so `--help` does not list these as the only ones.
pub const ENCODING_LABELS: &[&str] = &[
    "utf-8",
    "utf-16le",
    "utf-16be",
    "shift_jis",
    "cp932",
    "windows-1252",
    "macintosh",
];

#[cfg(test)]
#[path = "decode_tests.rs"]
mod tests;
