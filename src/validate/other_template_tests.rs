//! Tests of the whole pass over files of another identity type's template.

use crate::identity::Identity;
use crate::validate::{validate_bytes, IdentityFrom, Status, ValidateOptions, Validation};

const CM_HEADER: &str =
    "first name,last name,email address,user login,password,routing profile name,\
    security_profile_name_1|security_profile_name_2,phone type (soft/desk),phone number,\
    persistent connection (yes/no),tags";

const OK1: &str =
    "Taro,Yamada,taro@example.jp,t.yamada,Passw0rdA,Japan Support,Agent,soft,,yes,team|sakura";
const OK2: &str =
    "Liam,Foster,,l.foster,Passw0rdB,Sales Inbound,Agent|QualityAnalyst,desk,+12065550101,no,";

fn with_header(rows: &[&str]) -> String {
    let mut text = format!("{CM_HEADER}\n");
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    text
}

fn check(text: &str) -> Validation {
    validate_bytes(
        "t.csv",
        text.as_bytes(),
        &ValidateOptions::new(Identity::ConnectManaged),
    )
}

fn found(v: &Validation) -> Vec<(Option<u64>, &str)> {
    v.findings
        .iter()
        .map(|f| (f.line, f.code.as_str()))
        .collect()
}

#[test]
fn another_identity_types_template_is_said_once() {
    // A connect-managed file checked as SAML: one finding, not two per row.
    let saml = ValidateOptions::new(Identity::Saml);
    let v = validate_bytes("t.csv", with_header(&[OK1, OK2]).as_bytes(), &saml);
    assert_eq!(found(&v), [(Some(1), "identity-mismatch")]);
    let message = &v.findings[0].message;
    assert!(
        message.starts_with(
            "the header is the connect-managed template's, and 2 rows fill its `email address` \
             and `password` columns (lines 2, 3), which a SAML file leaves empty; the file was \
             checked as SAML, the default without an instance: for a connect-managed instance, \
             add --identity connect-managed;"
        ),
        "{message}"
    );
    assert!(!message.contains("Passw0rd"));
    assert!(v.users.iter().all(|u| v.status(u) == Status::Error));
    // Its columns left empty, the same file is a valid SAML file.
    let empty = "Taro,Yamada,,t.yamada,,Japan Support,Agent,soft,,yes,team|sakura";
    let v = validate_bytes("t.csv", with_header(&[empty]).as_bytes(), &saml);
    assert_eq!(found(&v), []);

    // A SAML file checked as connect-managed: the missing password column
    // is said once, rows are not checked (their logins are too long for
    // connect-managed, their names empty).
    let text = "first name,last name,user login,routing profile name,\
        security_profile_name_1|security_profile_name_2\n\
        ,,olivia.bennett@example.com,Sales Inbound,Agent\n";
    let v = check(text);
    assert_eq!(found(&v), [(Some(1), "identity-mismatch")]);
    assert!(v.findings[0].message.starts_with(
        "the header is the SAML template's: it has no `password` column, which a connect-managed \
         file needs; the file was checked as connect-managed, the default without an instance: \
         for a SAML instance, add --identity saml;"
    ));
    assert!(v.findings[0]
        .message
        .ends_with("the rows are not checked until the header and the identity type agree"));
    assert_eq!(v.status(&v.users[0]), Status::Error);

    // What a file is told depends on where the identity type came from.
    let from_instance = ValidateOptions {
        identity_from: IdentityFrom::Instance,
        ..ValidateOptions::new(Identity::ConnectManaged)
    };
    let v = validate_bytes("t.csv", text.as_bytes(), &from_instance);
    assert!(v.findings[0].message.contains(
        "the instance's identity management type is connect-managed: fill in the connect-managed \
         template (`connect-users template fetch --identity connect-managed` writes it)"
    ));
    assert!(!v.findings[0].message.contains("--identity saml"));

    // An existing-directory header fits SAML too; its own template is closer.
    let text = "user login,routing profile name,security_profile_name_1|security_profile_name_2\n\
        a.b,Sales Inbound,Agent\n";
    let v = check(text);
    assert!(v.findings[0]
        .message
        .starts_with("the header is the existing-directory template's: it has no `first name`, `last name` and `password` columns"));
    // A file that lacks the password column but keeps e-mail is no other template.
    let text = "first name,last name,email address,user login,routing profile name,\
        security_profile_name_1|security_profile_name_2\nA,B,a@b.c,a.b,Sales Inbound,Agent\n";
    assert_eq!(found(&check(text)), [(Some(1), "missing-column")]);
}

#[test]
fn many_rows_are_counted_and_the_first_five_named() {
    let rows = [OK1, OK2, OK1, OK2, OK1, OK2, OK1];
    let rows: Vec<String> = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            row.replace("t.yamada", &format!("t{i}.yamada"))
                .replace("l.foster", &format!("l{i}.foster"))
        })
        .collect();
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let directory = ValidateOptions::new(Identity::ExistingDirectory);
    let v = validate_bytes("t.csv", with_header(&rows).as_bytes(), &directory);
    assert_eq!(
        found(&v),
        [(Some(1), "identity-mismatch")],
        "{:?}",
        v.findings
    );
    let message = &v.findings[0].message;
    assert!(
        message.contains("7 rows fill its `first name`, `last name`, `email address` and `password` columns (lines 2, 3, 4, 5, 6 and 2 more), which an existing-directory file leaves empty"),
        "{message}"
    );
}
