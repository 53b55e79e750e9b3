//! Which single-byte code page a file was saved in, when it is neither
//! UTF-8 nor Shift_JIS: windows-1252 (Excel's "CSV (Comma delimited)" on
//! Windows) or Mac Roman (Excel's "CSV (Macintosh)", lines ending in a lone
//! CR). Both decode any byte, so validity cannot tell them apart; what the
//! text reads like can.
//!
//! The two code pages put accented letters where the other has
//! punctuation: Mac Roman's `ë` and `ó` (0x91, 0x97) are windows-1252's `‘`
//! and `—`, and windows-1252's `é` and `ü` (0xE9, 0xFC) are Mac Roman's `È`
//! and `¸`. Read in the wrong one, a name gets punctuation glued to its
//! letters (`Zo‘`, `L—pez`) or a capital inside a lower-case word
//! (`ChloÈ`). [`plausibility`] counts non-ASCII characters that sit in a word
//! as letters do, and those that do not; the reading with more of the
//! first and fewer of the second wins. A clean windows-1252 reading — the
//! common case — is only overturned by a Mac hint: CR-only line ends.

use encoding_rs::{Encoding, MACINTOSH, WINDOWS_1252};

/// How well a reading of the bytes looks like text people write.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plausibility {
    /// Non-ASCII characters that sit in words as letters do.
    pub good: u32,
    /// Non-ASCII characters that do not: punctuation glued to a letter,
    /// a capital after a lower-case letter, a control character.
    pub bad: u32,
    /// Byte offsets (in the text) of the first bad characters, at most
    /// [`BAD_LISTED`].
    pub bad_at: Vec<usize>,
}

/// At most this many bad characters are located.
pub const BAD_LISTED: usize = 100;

impl Plausibility {
    fn net(&self) -> i64 {
        i64::from(self.good) - i64::from(self.bad)
    }
}

/// Punctuation that may follow a letter in real text: closing quotes,
/// apostrophes, an ellipsis, the trade marks.
const AFTER_A_LETTER: &[char] = &['’', '”', '»', '…', '™', '®', '©', '°', 'º', 'ª'];

/// Scores a decoded text (see the module docs).
pub fn plausibility(text: &str) -> Plausibility {
    let mut score = Plausibility::default();
    let mut prev: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        if !c.is_ascii() && c != '\u{fffd}' {
            let bad = if c.is_control() {
                3
            } else if c.is_lowercase() {
                // `OíBrien`: windows-1252's apostrophe read as Mac Roman.
                u32::from(next.is_some_and(char::is_uppercase))
            } else if c.is_uppercase() {
                u32::from(prev.is_some_and(char::is_lowercase))
            } else if c.is_alphabetic() {
                0
            } else {
                u32::from(prev.is_some_and(char::is_alphabetic) && !AFTER_A_LETTER.contains(&c))
            };
            if bad > 0 {
                score.bad += bad;
                if score.bad_at.len() < BAD_LISTED {
                    score.bad_at.push(at);
                }
            } else if c.is_alphabetic() {
                score.good += 1;
            }
        }
        prev = Some(c);
    }
    score
}

/// Whether every line ends in a lone CR (classic Mac line ends).
pub fn cr_only(bytes: &[u8]) -> bool {
    bytes.contains(&b'\r') && !bytes.contains(&b'\n')
}

/// The single-byte code page the bytes most likely are in.
pub fn guess(bytes: &[u8]) -> &'static Encoding {
    let windows = plausibility(&WINDOWS_1252.decode_without_bom_handling(bytes).0);
    let mac = plausibility(&MACINTOSH.decode_without_bom_handling(bytes).0);
    if prefers_mac(&windows, &mac, cr_only(bytes)) {
        MACINTOSH
    } else {
        WINDOWS_1252
    }
}

fn prefers_mac(windows: &Plausibility, mac: &Plausibility, cr_only: bool) -> bool {
    if windows.bad == 0 && !cr_only {
        return false;
    }
    mac.net() > windows.net() || (cr_only && mac.net() == windows.net())
}

/// When the bytes were forced into one of the two code pages (`--encoding`)
/// and clearly read better in the other: that one, and the byte offsets in
/// `text` (the forced reading) of the first characters that read wrong.
pub fn reads_better(
    bytes: &[u8],
    forced: &'static Encoding,
    text: &str,
) -> Option<(&'static Encoding, Vec<usize>)> {
    let other = if forced == WINDOWS_1252 {
        MACINTOSH
    } else if forced == MACINTOSH {
        WINDOWS_1252
    } else {
        return None;
    };
    let here = plausibility(text);
    let there = plausibility(&other.decode_without_bom_handling(bytes).0);
    let better = if other == MACINTOSH {
        prefers_mac(&here, &there, cr_only(bytes))
    } else {
        // Back to windows-1252 only on the text alone: a CR-only file is
        // the Mac hint, not against it.
        here.bad > 0 && there.net() > here.net()
    };
    (better && !here.bad_at.is_empty()).then_some((other, here.bad_at))
}

/// How messages name a legacy code page, and which Excel format writes it.
pub fn describe(encoding: &'static Encoding) -> &'static str {
    if encoding == MACINTOSH {
        "macintosh (Mac Roman, Excel's \"CSV (Macintosh)\")"
    } else {
        "windows-1252 (Excel's \"CSV (Comma delimited)\" on Windows)"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mac(text: &str) -> Vec<u8> {
        // encoding_rs encodes only to UTF-8 and legacy CJK encodings; Mac
        // Roman bytes are found by decoding every byte once.
        text.chars()
            .map(|c| {
                if c.is_ascii() {
                    return c as u8;
                }
                (0x80..=0xFFu8)
                    .find(|b| {
                        MACINTOSH
                            .decode_without_bom_handling(&[*b])
                            .0
                            .starts_with(c)
                    })
                    .expect("a Mac Roman character")
            })
            .collect()
    }

    fn windows(text: &str) -> Vec<u8> {
        WINDOWS_1252.encode(text).0.into_owned()
    }

    #[test]
    fn mac_roman_names_are_told_from_windows_1252() {
        let file = "first name,last name\rZoë,Martin\rAna,López\rFrançois,Müller\r";
        assert_eq!(guess(&mac(file)), MACINTOSH);
        // The same names with LF line ends still read as Mac Roman.
        assert_eq!(guess(&mac(&file.replace('\r', "\n"))), MACINTOSH);
        assert_eq!(guess(&windows(file)), WINDOWS_1252);
        assert_eq!(guess(&windows(&file.replace('\r', "\r\n"))), WINDOWS_1252);
    }

    #[test]
    fn apostrophes_and_quotes_stay_windows_1252() {
        for text in [
            "name\r\nSeán O’Brien\r\n",
            "name\r\ndon’t\r\n",
            "name\r\n“Ana” said\r\n",
            "name\r\nStraße\r\n",
            "name\r\nBjörk Guðmundsdóttir\r\n",
        ] {
            assert_eq!(guess(&windows(text)), WINDOWS_1252, "{text}");
        }
    }

    #[test]
    fn a_forced_code_page_that_reads_wrong_is_named() {
        let bytes = mac("first name,last name\rZoë,Martin\rAna,López\r");
        let text = WINDOWS_1252.decode_without_bom_handling(&bytes).0;
        let (better, at) = reads_better(&bytes, WINDOWS_1252, &text).expect("doubt");
        assert_eq!(better, MACINTOSH);
        assert_eq!(at.len(), 2);
        assert!(text[..at[0]].ends_with("Zo"), "{}", &text[..at[0]]);
        assert!(text[..at[1]].ends_with("Ana,L"), "{}", &text[..at[1]]);
        let right = MACINTOSH.decode_without_bom_handling(&bytes).0;
        assert_eq!(reads_better(&bytes, MACINTOSH, &right), None);
        // A right windows-1252 reading is left alone.
        let bytes = windows("first name\r\nChloé\r\nSeán O’Brien\r\n");
        let text = WINDOWS_1252.decode_without_bom_handling(&bytes).0;
        assert_eq!(reads_better(&bytes, WINDOWS_1252, &text), None);
        let wrong = MACINTOSH.decode_without_bom_handling(&bytes).0;
        assert_eq!(
            reads_better(&bytes, MACINTOSH, &wrong).map(|(e, _)| e),
            Some(WINDOWS_1252)
        );
    }
}
