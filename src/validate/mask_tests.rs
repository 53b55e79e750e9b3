//! Unit tests of masking: where a row's password is, and what is masked.

use super::*;

fn mask<'r>(cells: &[&'r str], at: usize, shape: RowShape) -> RowMask<'r> {
    RowMask::new(cells.iter().copied(), Some(at), shape)
}

#[test]
fn the_password_rules() {
    assert!(is_password_shaped("Welcome2025a"));
    assert!(!is_password_shaped("welcome2025a"));
    assert!(!is_password_shaped("Welcome 2025a"));
    assert!(!is_password_shaped("Wel2a"));
    assert!(!is_password_shaped(&format!("Aa1{}", "x".repeat(62))));
}

#[test]
fn a_row_is_trusted_only_with_a_valid_password_in_its_column() {
    assert_eq!(shape_of(Some("Passw0rdA")), RowShape::Aligned);
    assert_eq!(shape_of(Some("t.yamada")), RowShape::PasswordInDoubt);
    // Empty is in doubt too, whatever the file is checked as: a
    // connect-managed file checked as SAML may have a shifted row with
    // an empty password cell and the password in another one.
    assert_eq!(shape_of(Some("")), RowShape::PasswordInDoubt);
    assert_eq!(shape_of(None), RowShape::Aligned);
}

#[test]
fn an_empty_password_cell_is_trusted_for_generation_unless_a_cell_looks_like_one() {
    let header: Vec<String> = ["user login", "password", "email address", "tags"]
        .map(String::from)
        .to_vec();
    let emails = email_positions(&header);
    assert_eq!(emails, [2]);
    let shape = |cells: [&str; 4]| shape_for_generated(cells, Some(1), &emails);
    assert_eq!(
        shape(["t.yamada", "", "T.Yamada1@example.com", ""]),
        RowShape::Aligned
    );
    // A password shifted into another cell keeps the row in doubt.
    assert_eq!(
        shape(["t.yamada", "", "", "Passw0rdA"]),
        RowShape::PasswordInDoubt
    );
    assert_eq!(shape(["Passw0rdA", "", "", ""]), RowShape::PasswordInDoubt);
    // Under the e-mail header, a password is still a password.
    assert_eq!(
        shape(["t.yamada", "", "Passw0rdA", ""]),
        RowShape::PasswordInDoubt
    );
    // Only an empty password cell is trusted this way.
    assert_eq!(shape(["t.yamada", " ", "", ""]), RowShape::PasswordInDoubt);
}

#[test]
fn the_password_cell_is_masked_wherever_it_shows() {
    let m = mask(&["t.yamada", "Passw0rdA", "Sales"], 1, RowShape::Aligned);
    assert_eq!(m.apply("Passw0rdA"), "***");
    assert_eq!(m.apply("x Passw0rdA y"), "x *** y");
    assert_eq!(m.apply("Sales"), "Sales");
}

#[test]
fn in_a_row_in_doubt_every_cell_is_masked() {
    // The password column holds the login; the password sits one further.
    let m = mask(
        &["", "t.yamada", "weakpassword", "Sales Inbound"],
        1,
        RowShape::PasswordInDoubt,
    );
    for text in ["weakpassword", "t.yamada", "Sales Inbound"] {
        assert_eq!(m.apply(text), "***");
    }
    assert_eq!(m.apply("has \"weakpassword\", which"), "has \"***\", which");
}

#[test]
fn the_templates_own_words_stay_readable_in_a_row_in_doubt() {
    let m = mask(
        &["t.yamada", "weakpassword", "soft", "isolate voice", "Sales"],
        1,
        RowShape::PasswordInDoubt,
    );
    assert_eq!(
        m.apply("is not a phone type; expected soft or desk (empty means soft)"),
        "is not a phone type; expected soft or desk (empty means soft)"
    );
    assert_eq!(
        m.apply("expected none, isolate voice or suppress noise"),
        "expected none, isolate voice or suppress noise"
    );
    // Every other cell is still masked.
    assert_eq!(
        m.apply("has \"Sales\" and weakpassword"),
        "has \"***\" and ***"
    );
    // The password cell is masked whatever it holds.
    let m = mask(&["t.yamada", "soft"], 1, RowShape::PasswordInDoubt);
    assert_eq!(m.apply("soft"), "***");
}

#[test]
fn short_secrets_mask_only_whole_texts() {
    let m = mask(&["a", "Sales"], 0, RowShape::Aligned);
    assert_eq!(m.apply("a"), "***");
    assert_eq!(m.apply("Sales"), "Sales");
}

#[test]
fn long_secrets_are_masked_in_shortened_values_too() {
    let long = format!("Aa1{}", "x".repeat(61));
    let m = mask(&[&long], 0, RowShape::Aligned);
    let shown = crate::finding::display_value(&long);
    assert!(
        !m.apply(&shown).contains("xxxxxxxxxx"),
        "{}",
        m.apply(&shown)
    );
    let mut finding = Finding::error(Some(2), Some("tags"), Some(&long), "x", long.clone());
    m.apply_to_finding(&mut finding);
    assert_eq!(finding.value.as_deref(), Some("***"));
    assert!(!finding.message.contains("xxxxxxxxxx"));
}

#[test]
fn no_password_column_no_secrets() {
    let m = RowMask::new(["Passw0rdA"], None, RowShape::PasswordInDoubt);
    assert!(m.is_empty());
    assert_eq!(m.apply("Passw0rdA"), "Passw0rdA");
}
