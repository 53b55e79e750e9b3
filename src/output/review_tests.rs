//! Tests of the review table: which rows it shows, what it never shows,
//! and that it fits the width it is given.

use super::*;
use crate::finding::Finding;
use crate::user::Action;
use crate::validate::{validate_bytes, ValidateOptions};

const HEADER: &str = "first name,last name,user login,password,routing profile name,\
    security_profile_name_1|security_profile_name_2,phone type (soft/desk),phone number";

fn file(users: usize, bad_at: &[usize]) -> Validation {
    let mut text = format!("{HEADER}\n");
    for i in 0..users {
        let login = if bad_at.contains(&i) {
            format!("bad login {i}")
        } else {
            format!("user{i}")
        };
        text.push_str(&format!(
            "First{i},Last{i},{login},Passw0rd{i}X,Sales Inbound,Agent,soft,\n"
        ));
    }
    validate_bytes("agents.csv", text.as_bytes(), &ValidateOptions::default())
}

fn data_rows(out: &str) -> Vec<&str> {
    out.lines()
        .filter(|l| l.starts_with("│ "))
        .skip(1)
        .collect()
}

#[test]
fn a_short_file_shows_every_user_and_the_summary() {
    let v = file(3, &[1]);
    let out = render(&v, &ReviewOptions::default());
    let rows = data_rows(&out);
    assert_eq!(rows.len(), 3);
    assert!(rows[1].contains("bad login 1") && rows[1].contains("error"));
    assert!(rows[0].contains("user0") && rows[0].contains(" ok "));
    assert!(out.contains("error: agents.csv:3: user login \"bad login 1\": contains ' '"));
    assert!(out.contains("\nagents.csv: 3 rows, 3 users, 0 warnings, 1 error (read as UTF-8, checked for connect-managed)\n"));
    // Offline, the table says what it could not check, and how to.
    assert!(out.ends_with("or against the local demo instance with --local\n"));
    assert!(!out.contains("not shown"));
}

#[test]
fn checked_against_an_instance_nothing_is_left_unsaid() {
    let mut v = file(3, &[1]);
    v.against_instance = true;
    let out = render(&v, &ReviewOptions::default());
    assert!(!out.contains("not checked offline"), "{out}");
}

#[test]
fn passwords_show_only_as_set() {
    let out = render(&file(3, &[1]), &ReviewOptions::default());
    assert!(out.contains(" set "));
    assert!(!out.contains("Passw0rd"), "{out}");
}

#[test]
fn a_file_to_edit_users_has_no_password_column() {
    let mut text = format!("{HEADER}\n");
    text.push_str("First,Last,user0,Passw0rd0X,Sales Inbound,Agent,soft,\n");
    let options = ValidateOptions {
        purpose: crate::validate::Purpose::Edit,
        ..ValidateOptions::default()
    };
    let v = validate_bytes("agents.csv", text.as_bytes(), &options);
    let out = render(&v, &ReviewOptions::default());
    let heading = out.lines().find(|l| l.contains("user login")).unwrap();
    assert!(!heading.contains("password"), "{out}");
    assert!(!out.contains("Passw0rd") && !out.contains(" set "), "{out}");
    // A file of users to create has it.
    let out = render(&file(1, &[]), &ReviewOptions::default());
    let heading = out.lines().find(|l| l.contains("user login")).unwrap();
    assert!(heading.contains("password"), "{out}");
}

#[test]
fn a_long_file_shows_rows_with_findings_and_counts_the_rest() {
    let v = file(60, &[10, 42]);
    let out = render(&v, &ReviewOptions::default());
    let rows = data_rows(&out);
    assert_eq!(rows.len(), 2);
    assert!(rows[0].starts_with("│ 12 "));
    assert!(out.contains("58 ok rows not shown; --all shows every row"));
    let all = render(
        &v,
        &ReviewOptions {
            all: true,
            width: None,
        },
    );
    assert_eq!(data_rows(&all).len(), 60);
}

#[test]
fn findings_pushed_later_change_the_status_and_an_action_column_appears() {
    let mut v = file(2, &[]);
    v.users[0].action = Some(Action::Create);
    v.users[1].action = Some(Action::Exists);
    v.push(Finding::warning(
        Some(3),
        Some("user login"),
        Some("user1"),
        "user-exists",
        "exists already",
    ));
    let out = render(&v, &ReviewOptions::default());
    assert!(out.lines().next().unwrap().contains('┬'));
    assert!(out.contains("┆ action"), "{out}");
    let rows = data_rows(&out);
    assert!(rows[0].contains(" ok ") && rows[0].contains("create"));
    assert!(rows[1].contains("warning") && rows[1].contains("exists"));
}

#[test]
fn the_table_fits_the_width() {
    let out = render(
        &file(3, &[]),
        &ReviewOptions {
            all: false,
            width: Some(80),
        },
    );
    for line in out
        .lines()
        .filter(|l| l.starts_with(['│', '┌', '└', '╞', '├']))
    {
        assert!(line.chars().count() <= 80, "{line}");
    }
}

#[test]
fn a_file_without_users_shows_only_findings_and_summary() {
    let v = validate_bytes("empty.csv", b"", &ValidateOptions::default());
    let out = render(&v, &ReviewOptions::default());
    assert!(out.starts_with("error: empty.csv: the file is empty"));
    assert!(out.ends_with("empty.csv: 0 rows, 0 users, 0 warnings, 1 error (read as UTF-8, checked for connect-managed)\n"));
}

#[test]
fn the_compact_table_keeps_persistent_connection() {
    let text = format!(
        "{HEADER},persistent connection (yes/no)\n\
         A,B,user0,Passw0rd0X,Sales Inbound,Agent,soft,,yes\n\
         C,D,user1,Passw0rd1X,Sales Inbound,Agent,soft,,no\n"
    );
    let v = validate_bytes("agents.csv", text.as_bytes(), &ValidateOptions::default());
    let out = render(
        &v,
        &ReviewOptions {
            all: false,
            width: Some(100),
        },
    );
    assert!(out.contains("┆ persistent ┆"), "{out}");
    let rows = data_rows(&out);
    assert!(rows[0].contains(" yes "), "{out}");
    assert!(rows[1].contains(" no "), "{out}");
    assert!(!out.contains("┆ hierarchy"), "{out}");
    assert!(
        out.contains("(a narrow terminal: hierarchy, auto-accept, ACW and password are not shown")
    );
}

#[test]
fn a_row_that_does_not_line_up_with_the_header_shows_no_cells() {
    // "B, III" unquoted: the password lands under the routing profile.
    let text = format!(
        "{HEADER}\n\
         A,B, III,user0,Zq7SecretA,Sales Inbound,Agent,soft,\n\
         C,D,user1,Zq7SecretB,Sales Inbound,Agent,soft,\n\
         E,F,user2\n"
    );
    let v = validate_bytes("agents.csv", text.as_bytes(), &ValidateOptions::default());
    for width in [None, Some(80)] {
        let out = render(&v, &ReviewOptions { all: true, width });
        assert!(!out.contains("Zq7Secret"), "{out}");
        assert!(!out.contains("user0") && !out.contains("III"), "{out}");
        assert!(
            out.lines()
                .any(|l| l.starts_with("│ 2 ") && l.contains("error")),
            "{out}"
        );
        assert!(out.contains("┆ user1 "), "{out}");
        assert!(
            out.contains("(lines 2 and 4: cells not shown: they do not line up with the header"),
            "{out}"
        );
    }
}

#[test]
fn a_row_whose_password_cell_holds_no_password_shows_no_cells() {
    // A comma too many before the password and a cell too few after it:
    // the row keeps its width, the password sits under the routing profile.
    let header = "first name,last name,user login,password,phone number,routing profile name,\
        security_profile_name_1|security_profile_name_2";
    let text = format!("{header}\nLiam,Foster, Jr.,l.foster,Zq7SecretA,Sales Inbound,Agent\n");
    let v = validate_bytes("agents.csv", text.as_bytes(), &ValidateOptions::default());
    assert_eq!(v.users[0].shape, crate::validate::RowShape::PasswordInDoubt);
    let out = render(&v, &ReviewOptions::default());
    assert!(!out.contains("Zq7SecretA"), "{out}");
    assert!(!out.contains("l.foster"), "{out}");
    assert!(
        out.contains("(line 2: cells not shown: the password cell holds no valid password"),
        "{out}"
    );
    // The findings still say what is wrong, without the row's texts.
    assert!(
        out.contains("phone number \"***\": is not a valid phone number"),
        "{out}"
    );
}
