//! Tests of the whole pass: file shapes, line numbers, duplicates,
//! encodings, identity rules, limits and retention.

use crate::finding::Severity;
use crate::identity::Identity;
use crate::validate::{validate_bytes, Retain, RowShape, Status, ValidateOptions, Validation};

const CM_HEADER: &str =
    "first name,last name,email address,user login,password,routing profile name,\
    security_profile_name_1|security_profile_name_2,phone type (soft/desk),phone number,\
    persistent connection (yes/no),tags";

fn check(text: &str) -> Validation {
    validate_bytes(
        "t.csv",
        text.as_bytes(),
        &ValidateOptions::new(Identity::ConnectManaged),
    )
}

fn with_header(rows: &[&str]) -> String {
    let mut text = format!("{CM_HEADER}\n");
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    text
}

/// `(line, code)` of every finding.
fn found(v: &Validation) -> Vec<(Option<u64>, &str)> {
    v.findings
        .iter()
        .map(|f| (f.line, f.code.as_str()))
        .collect()
}

const OK1: &str =
    "Taro,Yamada,taro@example.jp,t.yamada,Passw0rdA,Japan Support,Agent,soft,,yes,team|sakura";
const OK2: &str =
    "Liam,Foster,,l.foster,Passw0rdB,Sales Inbound,Agent|QualityAnalyst,desk,+12065550101,no,";

#[test]
fn a_valid_file_has_no_findings_and_its_users() {
    let v = check(&with_header(&[OK1, OK2]));
    assert_eq!(found(&v), []);
    assert_eq!((v.rows, v.user_count, v.users.len()), (2, 2, 2));
    let spec = v.spec(&v.users[1]).unwrap();
    assert_eq!(spec.login, "l.foster");
    assert_eq!(spec.security_profiles, ["Agent", "QualityAnalyst"]);
    assert_eq!(spec.phone_number.as_deref(), Some("+12065550101"));
    assert_eq!(v.users[0].record.get(3), Some("t.yamada"));
    assert_eq!(v.header.len(), 11);
    assert!(!v.has_errors());
}

#[test]
fn lines_stay_right_after_a_quoted_multi_line_cell() {
    let rows = [
        "\"Taro\nthe second\",Yamada,,t.yamada,Passw0rdA,Japan Support,Agent,soft,,,",
        "",
        "Bad,Login,,bad login,Passw0rdA,Japan Support,Agent,soft,,,",
    ];
    let v = check(&with_header(&rows));
    // A line break in a name is itself an error, on the row's first line.
    assert_eq!(
        found(&v),
        [
            (Some(2), "control-character"),
            (Some(5), "login-invalid-character")
        ]
    );
    assert_eq!(v.users[1].line, 5);
}

#[test]
fn empty_rows_are_skipped_and_trailing_ones_not_counted() {
    let v = check(&with_header(&[
        OK1,
        ",,,,,,,,,,",
        OK2,
        ",,,,,,,,,,",
        " , ,,,,,,,,,",
    ]));
    assert_eq!(found(&v), []);
    assert_eq!((v.rows, v.user_count), (3, 2));
}

#[test]
fn file_shapes_that_are_not_templates() {
    assert_eq!(found(&check("")), [(None, "empty-file")]);
    assert_eq!(found(&check("\r\n \r\n")), [(None, "empty-file")]);
    assert_eq!(
        found(&check(&format!("{CM_HEADER}\r\n"))),
        [(Some(1), "no-users")]
    );
    assert_eq!(
        found(&check(&format!("{CM_HEADER}\n,,,,,,,,,,\n"))),
        [(Some(1), "no-users")]
    );
    assert_eq!(
        found(&check("Taro,Yamada,t.yamada\n")),
        [(Some(1), "no-header")]
    );
    assert_eq!(
        found(&check("PK\u{3}\u{4}\0\0garbage\nmore")),
        [(Some(1), "not-text")]
    );
}

#[test]
fn ragged_rows_and_values_without_a_column() {
    let short = "Jiro,Yamada,,j.yamada,Passw0rdA,Japan Support,Agent";
    let long = format!("{OK2},extra");
    let trailing_empty = format!("{OK1},,");
    let v = check(&with_header(&[short, &long, &trailing_empty]));
    assert_eq!(
        found(&v),
        [
            (Some(2), "ragged-row"),
            (Some(3), "ragged-row"),
            (Some(4), "ragged-row")
        ]
    );
    assert!(v.findings[0]
        .message
        .starts_with("has 7 cells but the header has 11: a cell is missing, which shifts"));
    assert!(v.findings[2]
        .message
        .starts_with("has 13 cells but the header has 11: a value with an unquoted comma"));
    assert!(v
        .users
        .iter()
        .all(|u| u.shape == RowShape::Misaligned && !u.valid));
    let v = check("user login,,routing profile name,security_profile_name_1|security_profile_name_2,first name,last name,password\na.b,oops,Sales Inbound,Agent,A,B,Passw0rdA\n");
    assert_eq!(found(&v), [(Some(2), "value-without-column")]);
    assert_eq!(v.findings[0].column.as_deref(), Some("column 2"));
}

#[test]
fn a_ragged_row_gets_one_finding_and_no_cell_findings() {
    // "Foster, Jr." unquoted: every cell after it shifts right by one, so
    // the password lands under the routing profile and the login under the
    // password. Its cells say nothing true; one finding says why.
    let shifted = "Liam,Foster, Jr.,,l.foster,Passw0rdB,Sales Inbound,Agent,soft,,no,";
    let twin = "Liam,Foster,,Passw0rdB,x,Sales Inbound,Agent,soft,,no,";
    let v = check(&with_header(&[OK1, shifted, twin]));
    assert_eq!(
        found(&v),
        [
            (Some(3), "ragged-row"),
            (Some(4), "password-length"),
            (Some(4), "password-weak")
        ]
    );
    assert!(v.users[1].shape == RowShape::Misaligned && !v.users[1].valid);
    assert_eq!(v.users[2].shape, RowShape::PasswordInDoubt);
    let text = format!("{:?}", v.findings);
    assert!(!text.contains("Passw0rdB"), "{text}");
}

#[test]
fn the_password_is_masked_in_findings_wherever_it_lands() {
    // A comma too many before the password and a cell too few after it keep
    // the width: the login lands under the password, the password under the
    // routing profile, and a later cell's finding would show what shifted in.
    let header = "first name,last name,user login,password,phone number,routing profile name,\
        security_profile_name_1|security_profile_name_2";
    let shifted = "Liam,Foster, Jr.,l.foster,Passw0rdB,Sales Inbound,Agent";
    let v = check(&format!("{header}\n{shifted}\n"));
    assert_eq!(v.users[0].shape, RowShape::PasswordInDoubt);
    let text = format!("{:?}", v.findings);
    assert!(!text.contains("Passw0rdB"), "{text}");
    let phone = v.findings.iter().find(|f| f.code == "phone-number-invalid");
    assert_eq!(
        phone.and_then(|f| f.value.as_deref()),
        Some("***"),
        "{text}"
    );
    // The same text in another cell of a row is masked as well.
    let same =
        "Taro,Yamada,taro@example.jp,t.yamada,Passw0rdA,Japan Support,Agent,soft,,yes,Passw0rdA";
    let v = check(&with_header(&[same]));
    assert_eq!(found(&v), [(Some(2), "tags-malformed")]);
    assert_eq!(v.findings[0].value.as_deref(), Some("***"));
    assert!(!v.findings[0].message.contains("Passw0rdA"));
}

#[test]
fn a_quote_that_closes_in_a_later_row_hides_the_rows_it_swallowed() {
    // The quote opened on line 3 closes at "Foster, Jr." on line 4: the
    // first name holds the rest of line 3 — its password — and part of 4.
    let v = check(&with_header(&[
        OK1,
        "\"Taro,Yamada,,t.yamada,Zq7SecretA,Japan Support,Agent,soft,,,",
        "Liam,\"Foster, Jr.\",,l.foster,Passw0rdB,Sales Inbound,Agent,soft,,no,",
    ]));
    assert_eq!(
        found(&v),
        [(Some(3), "quote-spans-rows")],
        "{:?}",
        v.findings
    );
    assert_eq!(v.findings[0].column.as_deref(), Some("first name"));
    assert_eq!(v.users[1].shape, RowShape::Misaligned);
    assert!(!format!("{:?}", v.findings).contains("Zq7SecretA"));
}

#[test]
fn an_unterminated_quote_is_reported_where_it_opens_and_alone() {
    let v = check(&with_header(&[
        OK1,
        "\"Liam,Foster,,l.foster,Passw0rdB,Sales Inbound,Agent,soft,,,",
        OK2,
    ]));
    assert_eq!(found(&v), [(Some(3), "unterminated-quote")]);
    assert_eq!(v.findings[0].column.as_deref(), Some("first name"));
    assert!(!v.users[1].valid && v.users[1].shape == RowShape::Misaligned);
    assert!(v.has_errors());
}

#[test]
fn a_missing_required_column_leaves_no_valid_user() {
    let text = "first name,last name,user login,password,security_profile_name_1|security_profile_name_2\n\
        Taro,Yamada,t.yamada,Passw0rdA,Agent\n";
    let v = check(text);
    assert_eq!(found(&v), [(Some(1), "missing-column")]);
    assert!(!v.users[0].valid);
    assert_eq!(v.status(&v.users[0]), Status::Error);
}

#[test]
fn a_workbook_is_named_as_such() {
    let v = check("PK\u{3}\u{4}\u{14}\0\0\u{8}[Content_Types].xml");
    assert_eq!(found(&v), [(Some(1), "not-text")]);
    assert!(v.findings[0].message.contains("Excel workbook"));
    let bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff";
    let v = validate_bytes("x.png", bytes, &ValidateOptions::default());
    assert_eq!(found(&v), [(Some(3), "not-text")]);
}

#[test]
fn identical_duplicates_collapse_with_a_warning() {
    let same_but_spelled_differently =
        "Taro,Yamada,taro@example.jp,T.Yamada,Passw0rdA,Japan Support, Agent ,SOFT,,YES,team|sakura";
    let v = check(&with_header(&[OK1, OK2, OK1]));
    assert_eq!(found(&v), [(Some(4), "duplicate-user")]);
    assert_eq!((v.rows, v.user_count, v.users.len()), (3, 2, 2));
    assert_eq!(v.users[0].duplicate_lines, [4]);
    assert_eq!(v.status(&v.users[0]), Status::Warning);
    assert!(!v.has_errors());
    // A different login spelling is a difference: the login is kept as typed.
    let v = check(&with_header(&[OK1, same_but_spelled_differently]));
    assert_eq!(
        found(&v),
        [
            (Some(2), "duplicate-user-conflict"),
            (Some(3), "duplicate-user-conflict")
        ]
    );
}

#[test]
fn differing_duplicates_are_errors_naming_both_lines_and_columns() {
    let other =
        "Taro,Yamada,taro@example.jp,t.yamada,Passw0rdA,Sales Inbound,Agent,soft,,no,team|sakura";
    let v = check(&with_header(&[OK1, OK2, other]));
    assert_eq!(
        found(&v),
        [
            (Some(2), "duplicate-user-conflict"),
            (Some(4), "duplicate-user-conflict")
        ]
    );
    let message = &v.findings[1].message;
    assert!(message.contains("lines 2 and 4"), "{message}");
    assert!(
        message.contains("routing profile name, persistent connection (yes/no)"),
        "{message}"
    );
    assert!(!v.users[0].valid, "the earlier row is not valid either");
    assert_eq!(v.user_count, 3);
}

#[test]
fn duplicate_logins_match_ignoring_case() {
    let upper = OK1.replace("t.yamada", "T.YAMADA");
    let v = check(&with_header(&[OK1, &upper]));
    assert_eq!(v.findings[1].code, "duplicate-user-conflict");
    assert!(v.findings[1].message.ends_with("differ in user login"));
}

#[test]
fn encodings_are_detected() {
    let text =
        with_header(&["太郎,山田,,t.yamada,Passw0rdA,Japan Support,Agent,soft,,はい,チーム|桜"]);
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
    let v = validate_bytes(
        "t.csv",
        &sjis,
        &ValidateOptions::new(Identity::ConnectManaged),
    );
    assert_eq!((v.encoding, found(&v)), ("Shift_JIS", vec![]));
    assert_eq!(
        v.spec(&v.users[0]).unwrap().last_name.as_deref(),
        Some("山田")
    );
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let v = validate_bytes(
        "t.csv",
        &utf16,
        &ValidateOptions::new(Identity::ConnectManaged),
    );
    assert_eq!((v.encoding, found(&v)), ("UTF-16LE", vec![]));
}

#[test]
fn invalid_bytes_in_a_forced_encoding_are_findings_with_their_line() {
    let mut bytes = with_header(&[OK1]).into_bytes();
    bytes.extend_from_slice(b"Liam,Fo\xffster,,l.foster,Passw0rdB,Sales Inbound,Agent,soft,,,\n");
    let opts = ValidateOptions {
        encoding: Some(encoding_rs::UTF_8),
        ..ValidateOptions::default()
    };
    let v = validate_bytes("t.csv", &bytes, &opts);
    assert_eq!(found(&v), [(Some(3), "invalid-encoding")]);
    assert!(v.findings[0].message.contains("not valid UTF-8"));
}

#[test]
fn identity_decides_what_is_accepted() {
    // A SAML header with an e-mail column: each filled cell is its own finding.
    let header = "first name,last name,email address,user login,routing profile name,\
        security_profile_name_1|security_profile_name_2";
    let text = format!("{header}\nTaro,Yamada,taro@example.jp,t.yamada,Japan Support,Agent\n");
    let saml = ValidateOptions::new(Identity::Saml);
    let v = validate_bytes("t.csv", text.as_bytes(), &saml);
    assert_eq!(found(&v), [(Some(2), "email-not-allowed")]);
    // The connect-managed template's columns checked as SAML: said once.
    let header = "first name,last name,user login,password,routing profile name,\
        security_profile_name_1|security_profile_name_2";
    let text = format!("{header}\nTaro,Yamada,t.yamada,Passw0rdA,Japan Support,Agent\n");
    let v = validate_bytes("t.csv", text.as_bytes(), &saml);
    assert_eq!(found(&v), [(Some(1), "identity-mismatch")]);
    // A password where a directory supplies it: the finding shows no password.
    let header = "user login,password,routing profile name,\
        security_profile_name_1|security_profile_name_2";
    let text = format!("{header}\nt.yamada,Passw0rdA,Japan Support,Agent\n");
    let directory = ValidateOptions::new(Identity::ExistingDirectory);
    let v = validate_bytes("t.csv", text.as_bytes(), &directory);
    assert_eq!(found(&v), [(Some(2), "from-directory")]);
    assert_eq!(v.findings[0].value.as_deref(), Some("***"));
}

#[test]
fn older_headers_take_defaults() {
    let text = "first name,last name,email address,password,user login,routing profile name,\
        security_profile_name_1|security_profile_name_2,phone type (soft/desk),phone number,\
        soft phone auto accept (yes/no),ACW timeout (seconds)\n\
        Taro,Yamada,taro@example.jp,Passw0rdA,t.yamada,Japan Support,Agent,soft,,yes,60\n";
    let v = check(text);
    assert_eq!(found(&v), []);
    let spec = v.spec(&v.users[0]).unwrap();
    assert!(spec.tags.is_empty() && spec.hierarchy.is_empty());
    assert_eq!(spec.auto_accept, Some(true));
    assert_eq!(spec.acw_timeout, Some(60));
    // columns the header lacks say nothing: neither sent nor compared
    assert_eq!(spec.persistent_connection, None);
    assert_eq!(spec.audio_enhancement, None);
}

#[test]
fn findings_are_bounded_but_counted() {
    let bad = "Taro,Yamada,,bad login,short,Japan Support,Agent,soft,,,";
    let mut text = format!("{CM_HEADER}\n");
    for _ in 0..6_000 {
        text.push_str(bad);
        text.push('\n');
    }
    let v = check(&text);
    assert_eq!(v.findings.len(), crate::validate::MAX_LISTED_FINDINGS);
    assert_eq!(v.error_count(), 6_000 * 3);
    assert!(v.unlisted_errors > 0);
}

#[test]
fn review_retention_keeps_what_the_table_shows() {
    let mut rows: Vec<String> = (0..120)
        .map(|i| format!("A,B,,user{i},Passw0rdA,Sales Inbound,Agent,soft,,,"))
        .collect();
    rows[70] = "A,B,,bad login,Passw0rdA,Sales Inbound,Agent,soft,,,".to_owned();
    let text = with_header(&rows.iter().map(String::as_str).collect::<Vec<_>>());
    let opts = ValidateOptions {
        retain: Retain::Review,
        ..ValidateOptions::default()
    };
    let v = validate_bytes("t.csv", text.as_bytes(), &opts);
    assert_eq!(v.user_count, 120);
    assert_eq!(v.users.len(), crate::validate::LONG_FILE_USERS + 1);
    assert!(v.users.iter().any(|u| u.line == 72 && !u.valid));
}

#[test]
fn pushed_findings_keep_the_order_and_change_the_status() {
    let mut v = check(&with_header(&[OK1, OK2]));
    assert_eq!(v.status(&v.users[1]), Status::Ok);
    v.push(crate::finding::Finding::error(
        Some(3),
        Some("routing profile name"),
        Some("Sales Inbound"),
        "routing-profile-unknown",
        "not on the instance",
    ));
    v.push(crate::finding::Finding::warning(
        Some(2),
        None,
        None,
        "x",
        "y",
    ));
    assert_eq!(
        found(&v),
        [(Some(2), "x"), (Some(3), "routing-profile-unknown")]
    );
    assert_eq!(v.status(&v.users[1]), Status::Error);
    assert_eq!(v.findings[0].severity, Severity::Warning);
}

#[test]
fn debug_output_never_shows_a_password() {
    let v = check(&with_header(&[OK1]));
    let debug = format!("{v:?}");
    assert!(!debug.contains("Passw0rdA"), "{debug}");
}

#[test]
fn a_row_holding_a_replacement_character_is_never_ok() {
    // Valid UTF-8 that holds U+FFFD: a conversion lost a character before
    // the file reached us, and no decoder finding says so.
    let v = check(&with_header(&[
        "Zo\u{fffd},Martin,,z.martin,Passw0rdA,Sales,Agent,soft,,no,",
        "Ana,Lopez,,a.lopez,Passw0rd\u{fffd},Sales,Agent,soft,,no,",
    ]));
    assert_eq!(
        found(&v),
        [
            (Some(2), "replacement-character"),
            (Some(3), "replacement-character")
        ]
    );
    assert!(v.users.iter().all(|u| v.status(u) == Status::Error));
    assert_eq!(v.findings[0].value.as_deref(), Some("Zo\u{fffd}"));
    // The password cell is named, never shown.
    assert_eq!(v.findings[1].column.as_deref(), Some("password"));
    assert_eq!(v.findings[1].value.as_deref(), Some("***"));
    // Lines the decoder reported get no second finding.
    let mut bytes = format!("{CM_HEADER}\n").into_bytes();
    bytes.extend_from_slice(b"Zo\x91,Martin,,z.martin,Passw0rdA,Sales,Agent,soft,,no,\n");
    let v = validate_bytes(
        "t.csv",
        &bytes,
        &ValidateOptions::new(Identity::ConnectManaged),
    );
    assert_eq!(found(&v), [(Some(2), "invalid-encoding")]);
}

#[test]
fn invalid_bytes_of_a_cr_only_file_name_their_own_lines() {
    // Excel's "CSV (Macintosh)": Mac Roman, lines ending in a lone CR.
    let mut bytes = CM_HEADER.as_bytes().to_vec();
    bytes.extend_from_slice(b"\rLiam,Foster,,l.foster,Passw0rdA,Sales,Agent,soft,,no,\r");
    bytes.extend_from_slice(b"Zo\x91,Martin,,z.martin,Passw0rdA,Sales,Agent,soft,,no,\r");
    bytes.extend_from_slice(b"Ana,L\x97pez,,a.lopez,Passw0rdA,Sales,Agent,soft,,no,\r");
    let v = validate_bytes(
        "t.csv",
        &bytes,
        &ValidateOptions::new(Identity::ConnectManaged),
    );
    assert_eq!(
        found(&v),
        [(Some(3), "invalid-encoding"), (Some(4), "invalid-encoding")]
    );
    assert!(v.findings[0].message.contains("--encoding macintosh"));
    let statuses: Vec<Status> = v.users.iter().map(|u| v.status(u)).collect();
    assert_eq!(statuses, [Status::Ok, Status::Error, Status::Error]);
}
