//! Unit tests of decoding: BOMs, UTF-16, Shift_JIS, invalid bytes and
//! their lines, Mac Roman, and the encoding labels.

use super::*;

fn utf16le(text: &str, bom: bool) -> Vec<u8> {
    let mut out = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

#[test]
fn plain_utf8_is_borrowed() {
    let d = decode(b"a,b\n", None);
    assert!(matches!(d.text, Cow::Borrowed("a,b\n")));
    assert_eq!((d.encoding, d.detection), (UTF_8, Detection::ValidUtf8));
}

#[test]
fn utf8_bom_is_removed() {
    let d = decode("\u{feff}名前,b\n".as_bytes(), None);
    assert_eq!(d.text, "名前,b\n");
    assert_eq!(d.detection, Detection::Bom);
}

#[test]
fn utf16_with_and_without_bom() {
    let bytes = utf16le("名前,login\r\n", true);
    let d = decode(&bytes, None);
    assert_eq!((d.text.as_ref(), d.encoding), ("名前,login\r\n", UTF_16LE));
    let bytes = utf16le("first name,login\r\n", false);
    let d = decode(&bytes, None);
    assert_eq!(
        (d.text.as_ref(), d.detection),
        ("first name,login\r\n", Detection::Utf16Zeros)
    );
    let be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain("ab\n".encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    assert_eq!(decode(&be, None).text, "ab\n");
}

#[test]
fn shift_jis_is_detected() {
    let (bytes, _, _) = SHIFT_JIS.encode("姓,名\n山田,太郎\n");
    let d = decode(&bytes, None);
    assert_eq!(d.text, "姓,名\n山田,太郎\n");
    assert_eq!(d.detection, Detection::ValidShiftJis);
    assert!(d.malformed.is_empty());
}

#[test]
fn invalid_bytes_are_reported_with_their_line() {
    let d = decode(b"a,b\nc,\xFF\xFE\xFD\x80\n\xFFd\n", None);
    assert_eq!(d.detection, Detection::Fallback);
    assert_eq!(
        d.malformed.iter().map(|m| m.line).collect::<Vec<_>>(),
        vec![2, 3]
    );
    assert!(d.malformed_total >= 2);
    assert!(d.text.starts_with("a,b\nc,\u{fffd}"));
}

#[test]
fn forced_encoding_reports_invalid_sequences() {
    let d = decode(b"x\ny\n\x82\n", Some(SHIFT_JIS));
    assert_eq!(d.detection, Detection::Forced);
    assert_eq!(
        d.malformed,
        vec![Malformed {
            line: 3,
            byte_offset: 4,
            text_offset: 4,
        }]
    );
    let d = decode(b"ok\n\xC3\n", Some(UTF_8));
    assert_eq!(d.malformed[0].line, 2);
}

#[test]
fn lone_cr_line_ends_become_lines() {
    assert_eq!(decode(b"a\rb\r", None).text, "a\nb\n");
    assert_eq!(decode(b"a\r\nb\r\n", None).text, "a\r\nb\r\n");
}

#[test]
fn invalid_bytes_in_a_cr_only_file_are_on_their_own_lines() {
    // Excel's "CSV (Macintosh)": lone CRs, Mac Roman bytes.
    let d = decode(b"h\rok\rZo\x91 Martin\rAna L\x97pez\r", None);
    assert_eq!(d.detection, Detection::Fallback);
    let lines: Vec<u64> = d.malformed.iter().map(|m| m.line).collect();
    assert_eq!(lines, [3, 4]);
    assert_eq!(d.likely, Some(encoding_rs::MACINTOSH));
    // CRLF counts once, and two bad bytes on one line are one entry.
    let d = decode(b"h\r\n\xff\xfe\r\nok\r\n\xff\r\n", None);
    let lines: Vec<u64> = d.malformed.iter().map(|m| m.line).collect();
    assert_eq!(lines, [2, 4]);
    // After a BOM that came twice, lines still count from the header.
    let d = decode(b"\xef\xbb\xbf\xef\xbb\xbfh\n\xff\n", None);
    assert_eq!(d.malformed[0].line, 2);
}

#[test]
fn a_forced_code_page_that_reads_wrong_is_doubted() {
    let d = decode(b"h\rok\rZo\x91 Martin\r", Some(encoding_rs::WINDOWS_1252));
    assert_eq!(d.reads_better, Some((encoding_rs::MACINTOSH, vec![3])));
    let d = decode(b"h\rok\rZo\x91 Martin\r", Some(encoding_rs::MACINTOSH));
    assert_eq!(d.text, "h\nok\nZo\u{eb} Martin\n");
    assert_eq!(d.reads_better, None);
}

#[test]
fn encoding_labels() {
    assert_eq!(parse_encoding("CP932"), Ok(SHIFT_JIS));
    assert_eq!(parse_encoding("utf-16"), Ok(UTF_16LE));
    assert_eq!(parse_encoding("UTF8"), Ok(UTF_8));
    assert!(parse_encoding("klingon").unwrap_err().contains("shift_jis"));
    assert_eq!(parse_encoding("macintosh"), Ok(encoding_rs::MACINTOSH));
    assert_eq!(parse_encoding("x-mac-roman"), Ok(encoding_rs::MACINTOSH));
}
