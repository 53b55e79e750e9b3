//! The findings of decoding: invalid byte sequences (with the code page
//! the file reads as), a forced code page the file reads wrong in, and a
//! row holding U+FFFD that no decoder finding covers.

use crate::finding::Finding;
use crate::input::decode::{Decoded, Detection};
use crate::input::single_byte;

use super::Validation;

pub(crate) fn report_decoding(v: &mut Validation, decoded: &Decoded) {
    let name = decoded.encoding.name();
    for bad in &decoded.malformed {
        let advice = match (decoded.detection, decoded.likely) {
            (Detection::Fallback, Some(likely)) => format!(
                "has bytes that are neither UTF-8 nor Shift_JIS (byte offset {}); the file reads \
                 as {}: name it with --encoding {}, or save the file as CSV UTF-8",
                bad.byte_offset,
                single_byte::describe(likely),
                likely.name()
            ),
            (Detection::Fallback, None) => format!(
                "has bytes that are neither UTF-8 nor Shift_JIS (byte offset {}); save the file as \
                 CSV UTF-8, or name its encoding with --encoding",
                bad.byte_offset
            ),
            _ => format!(
                "has bytes that are not valid {name} (byte offset {}); they are read as \u{fffd}; \
                 fix them, or name the file's real encoding with --encoding",
                bad.byte_offset
            ),
        };
        v.findings.push(Finding::error(
            Some(bad.line),
            None,
            None,
            "invalid-encoding",
            advice,
        ));
    }
    if let Some((better, lines)) = &decoded.reads_better {
        for &line in lines {
            v.findings.push(Finding::warning(
                Some(line),
                None,
                None,
                "encoding-doubt",
                format!(
                    "read as {name} (--encoding), this line has punctuation or a capital letter \
                     inside a word, as a file saved in another code page does; the file reads as \
                     words in {}: pass --encoding {} if a name here is wrong",
                    single_byte::describe(better),
                    better.name()
                ),
            ));
        }
    }
}

/// The finding of a row holding U+FFFD that the decoder did not report:
/// the file itself holds the character (a conversion lost what was there),
/// or the decoder's list was full. Such a row is never `ok`.
pub(crate) fn replacement_finding(line: u64, column: Option<&str>, value: &str) -> Finding {
    Finding::error(
        Some(line),
        column,
        Some(value.trim()),
        "replacement-character",
        "holds U+FFFD (\u{fffd}), the mark of a character lost when the file was converted or \
         read in the wrong encoding; type the original character again, or name the file's \
         encoding with --encoding",
    )
}
