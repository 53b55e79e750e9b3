//! Small text helpers for the hot path: splitting at an ASCII byte,
//! trimming, character counts and NFC, each without allocating or
//! decoding when the text is plain ASCII — true of nearly every cell.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

/// Splits at an ASCII byte. Cheaper than a `char` pattern on short cells,
/// and slicing at an ASCII byte always lands on a character boundary.
pub(crate) fn split_byte(text: &str, separator: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        match current.bytes().position(|b| b == separator) {
            Some(at) => {
                rest = Some(&current[at + 1..]);
                Some(&current[..at])
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

/// `split_once` at an ASCII byte.
pub(crate) fn split_once_byte(text: &str, separator: u8) -> Option<(&str, &str)> {
    let at = text.bytes().position(|b| b == separator)?;
    Some((&text[..at], &text[at + 1..]))
}

/// `trim`, without decoding when both ends are visible ASCII (nearly always).
pub(crate) fn trim(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(&first), Some(&last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => text,
        (None, _) => text,
        _ => text.trim(),
    }
}

/// The length in characters, without decoding ASCII.
pub(crate) fn char_length(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.chars().count()
    }
}

/// NFC without allocating when the text already is (always true for ASCII).
pub(crate) fn to_nfc(text: &str) -> Cow<'_, str> {
    if text.is_ascii() || unicode_normalization::is_nfc(text) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_helpers() {
        assert_eq!(
            split_byte("a|b||c", b'|').collect::<Vec<_>>(),
            ["a", "b", "", "c"]
        );
        assert_eq!(split_byte("", b'|').collect::<Vec<_>>(), [""]);
        assert_eq!(
            split_byte("日本|東京", b'|').collect::<Vec<_>>(),
            ["日本", "東京"]
        );
        assert_eq!(split_once_byte("a@b@c", b'@'), Some(("a", "b@c")));
        assert_eq!(split_once_byte("abc", b'@'), None);
    }

    #[test]
    fn trim_and_length() {
        assert_eq!(trim(" x "), "x");
        assert_eq!(trim("\u{3000}山田\u{3000}"), "山田");
        assert_eq!(trim("ok"), "ok");
        assert_eq!(trim(""), "");
        assert_eq!(char_length("abc"), 3);
        assert_eq!(char_length("山田"), 2);
    }

    #[test]
    fn nfc_only_allocates_for_a_change() {
        assert!(matches!(to_nfc("José"), Cow::Borrowed(_)));
        assert_eq!(to_nfc("\u{30ab}\u{3099}"), "ガ");
    }
}
