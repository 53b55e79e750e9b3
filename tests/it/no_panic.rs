//! Property tests: no input makes the validator panic or lose its footing.
//! Arbitrary bytes (in every identity, detected or forced encoding) and
//! arbitrary CSV built from template columns and tricky cells all produce
//! a validation whose findings point at real lines, render in every
//! format, and never show a password.

use connect_users::identity::Identity;
use connect_users::output::{github, json, review};
use connect_users::template::Column;
use connect_users::validate::{validate_bytes, Retain, ValidateOptions, Validation};
use proptest::prelude::*;

fn identities() -> impl Strategy<Value = Identity> {
    prop_oneof![
        Just(Identity::ConnectManaged),
        Just(Identity::Saml),
        Just(Identity::ExistingDirectory)
    ]
}

fn encodings() -> impl Strategy<Value = Option<&'static encoding_rs::Encoding>> {
    prop_oneof![
        Just(None),
        Just(Some(encoding_rs::UTF_8)),
        Just(Some(encoding_rs::SHIFT_JIS)),
        Just(Some(encoding_rs::UTF_16LE)),
        Just(Some(encoding_rs::UTF_16BE)),
    ]
}

/// Everything a caller can do with a validation must work.
fn exercise(v: &Validation, text_lines: u64) {
    for finding in &v.findings {
        if let Some(line) = finding.line {
            assert!(
                line >= 1 && line <= text_lines + 1,
                "line {line} of {text_lines}: {finding:?}"
            );
        }
    }
    assert!(v.error_count() >= v.findings.iter().filter(|f| f.is_error()).count());
    for user in &v.users {
        assert!(user.line >= 1 && user.line <= text_lines + 1);
        let _ = v.status(user);
    }
    let _ = review::render(
        v,
        &review::ReviewOptions {
            all: true,
            width: Some(60),
        },
    );
    let _ = review::render(v, &review::ReviewOptions::default());
    let _ = json::to_value(v).to_string();
    let _ = github::render(v);
}

fn line_count(bytes: &[u8]) -> u64 {
    // Every newline a decoding can produce comes from a byte 0x0A or 0x0D
    // (or, for UTF-16, one per two bytes): count generously.
    bytes.iter().filter(|b| matches!(b, b'\n' | b'\r')).count() as u64 + bytes.len() as u64 / 2 + 1
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..2048),
        identity in identities(),
        encoding in encodings(),
    ) {
        let opts = ValidateOptions { identity, encoding, retain: Retain::All, ..ValidateOptions::default() };
        let v = validate_bytes("fuzz.csv", &bytes, &opts);
        exercise(&v, line_count(&bytes));
    }

    #[test]
    fn arbitrary_csv_never_panics(
        columns in proptest::sample::subsequence(Column::ALL.to_vec(), 0..=Column::COUNT).prop_shuffle(),
        extra_header in proptest::option::of(prop_oneof![Just(""), Just("favourite colour"), Just("user login")]),
        rows in proptest::collection::vec(proptest::collection::vec(tricky_cell(), 0..20), 0..25),
        identity in identities(),
        retain in prop_oneof![Just(Retain::All), Just(Retain::Review)],
        crlf in any::<bool>(),
        bom in any::<bool>(),
    ) {
        let text = csv_text(&columns, extra_header, &rows, crlf, bom);
        let v = validate_bytes("gen.csv", text.as_bytes(), &ValidateOptions { identity, encoding: None, retain, ..ValidateOptions::default() });
        exercise(&v, text.matches('\n').count() as u64 + 1);
    }

    #[test]
    fn passwords_never_reach_any_output(
        columns in proptest::sample::subsequence(Column::ALL.to_vec(), 0..=Column::COUNT).prop_shuffle(),
        rows in proptest::collection::vec(proptest::collection::vec(plain_cell(), 0..20), 1..25),
        identity in identities(),
    ) {
        let mut columns = columns;
        if !columns.contains(&Column::Password) {
            columns.push(Column::Password);
        }
        let at = columns.iter().position(|c| *c == Column::Password).unwrap();
        let mut rows = rows;
        for (i, row) in rows.iter_mut().enumerate() {
            row.resize(row.len().max(at + 1), String::new());
            // Every rule a password can break, and a valid one.
            row[at] = ["ZqZq{i}xSecretPw", "zqzq{i}xsecretpw", "ZqZq{i}", "ZqZq{i} xSecretPw", ""][i % 5].replace("{i}", &i.to_string());
        }
        let text = csv_text(&columns, None, &rows, false, false);
        let v = validate_bytes("gen.csv", text.as_bytes(), &ValidateOptions { identity, encoding: None, retain: Retain::All, ..ValidateOptions::default() });
        let outputs = [
            review::render(&v, &review::ReviewOptions { all: true, width: None }),
            json::to_value(&v).to_string(),
            github::render(&v),
            format!("{v:?}"),
        ];
        for output in outputs {
            prop_assert!(!output.to_lowercase().contains("zqzq"), "a password leaked: {output}");
        }
    }
}

fn csv_text(
    columns: &[Column],
    extra_header: Option<&str>,
    rows: &[Vec<String>],
    crlf: bool,
    bom: bool,
) -> String {
    let mut header: Vec<String> = columns.iter().map(|c| c.header().to_owned()).collect();
    header.extend(extra_header.map(str::to_owned));
    let end = if crlf { "\r\n" } else { "\n" };
    let mut text = String::new();
    if bom {
        text.push('\u{feff}');
    }
    text.push_str(&header.join(","));
    text.push_str(end);
    for row in rows {
        text.push_str(&row.join(","));
        text.push_str(end);
    }
    text
}

/// Cells without CSV structure (no quote, comma or line break), so each
/// lands in its own column.
fn plain_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("Agent|Admin".to_owned()),
        Just("team|sales||site|tokyo".to_owned()),
        Just("desk".to_owned()),
        Just("はい".to_owned()),
        Just("+81355500119".to_owned()),
        Just("t.yamada".to_owned()),
        Just("カ\u{3099}".to_owned()),
        "[ !#-+\\--~]{0,12}",
    ]
}

/// Cells that stress the reader and the rules: quoting, separators, line
/// breaks, lists, Unicode, yes/no spellings, numbers at the limits.
fn tricky_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("\"quoted, with comma\"".to_owned()),
        Just("\"two\nlines\"".to_owned()),
        Just("\"unterminated".to_owned()),
        Just("\"\"".to_owned()),
        Just("a\"b".to_owned()),
        Just("Agent|Admin".to_owned()),
        Just("a||b|||c".to_owned()),
        Just("team|sales||site|tokyo".to_owned()),
        Just("desk".to_owned()),
        Just("soft".to_owned()),
        Just("はい".to_owned()),
        Just("YES".to_owned()),
        Just("+81355500119".to_owned()),
        Just("2000001".to_owned()),
        Just("t.yamada".to_owned()),
        Just("T.YAMADA".to_owned()),
        Just("カ\u{3099}".to_owned()),
        Just("\u{feff}".to_owned()),
        Just("\t".to_owned()),
        "[ -~]{0,12}",
        "\\PC{0,8}",
    ]
}
