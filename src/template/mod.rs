//! The console's pre-formatted CSV template, one per identity management
//! type, embedded from `templates/` so the binary needs no other files.
//!
//! The console hands out its template with a UTF-8 byte-order mark so that
//! Excel shows non-ASCII names correctly; [`template_bytes`] adds it unless
//! asked not to. The files under `templates/` are stored without it so they
//! read cleanly everywhere else.

mod columns;

pub use columns::Column;

use crate::identity::Identity;

/// The UTF-8 byte-order mark.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

const CONNECT_MANAGED: &str = include_str!("../../templates/connect-managed.csv");
const SAML: &str = include_str!("../../templates/saml.csv");
const EXISTING_DIRECTORY: &str = include_str!("../../templates/existing-directory.csv");

/// The template text (header line, CRLF-terminated) for an identity type.
pub fn template_text(identity: Identity) -> &'static str {
    match identity {
        Identity::ConnectManaged => CONNECT_MANAGED,
        Identity::Saml => SAML,
        Identity::ExistingDirectory => EXISTING_DIRECTORY,
    }
}

/// The template's columns, in order.
pub fn template_columns(identity: Identity) -> Vec<Column> {
    template_text(identity)
        .trim_end()
        .split(',')
        .map(|header| Column::from_header(header).expect("embedded templates use known columns"))
        .collect()
}

/// The bytes `template fetch` writes: the template, with or without a BOM.
pub fn template_bytes(identity: Identity, bom: bool) -> Vec<u8> {
    let text = template_text(identity);
    let mut bytes = Vec::with_capacity(UTF8_BOM.len() + text.len());
    if bom {
        bytes.extend_from_slice(UTF8_BOM);
    }
    bytes.extend_from_slice(text.as_bytes());
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connect_managed_header_is_the_documented_one() {
        assert_eq!(
            template_text(Identity::ConnectManaged),
            "first name,last name,email address,secondary email,mobile,user login,password,\
             routing profile name,security_profile_name_1|security_profile_name_2,\
             user_hierarchy_1|user_hierarchy_2,phone type (soft/desk),phone number,\
             soft phone auto accept (yes/no),ACW timeout (seconds),persistent connection (yes/no),\
             audio enhancement,tags\r\n"
        );
    }

    #[test]
    fn saml_drops_email_and_password() {
        let cm = template_columns(Identity::ConnectManaged);
        let saml = template_columns(Identity::Saml);
        let expected: Vec<Column> = cm
            .into_iter()
            .filter(|c| !matches!(c, Column::Email | Column::Password))
            .collect();
        assert_eq!(saml, expected);
    }

    #[test]
    fn existing_directory_keeps_only_what_create_user_takes() {
        let columns = template_columns(Identity::ExistingDirectory);
        assert_eq!(columns.first(), Some(&Column::Login));
        for column in [
            Column::FirstName,
            Column::LastName,
            Column::Email,
            Column::SecondaryEmail,
            Column::Mobile,
            Column::Password,
        ] {
            assert!(!columns.contains(&column), "{column:?}");
        }
    }

    #[test]
    fn every_template_column_is_accepted_for_its_identity() {
        for identity in [
            Identity::ConnectManaged,
            Identity::Saml,
            Identity::ExistingDirectory,
        ] {
            let columns = template_columns(identity);
            for column in Column::ALL {
                if column.required(identity) {
                    assert!(columns.contains(&column), "{identity}: {column:?} missing");
                }
            }
            for column in &columns {
                assert!(column.accepts_values(identity), "{identity}: {column:?}");
            }
        }
    }

    #[test]
    fn bom_is_optional() {
        let with = template_bytes(Identity::Saml, true);
        let without = template_bytes(Identity::Saml, false);
        assert!(with.starts_with(UTF8_BOM));
        assert_eq!(&with[3..], &without[..]);
        assert!(without.starts_with(b"first name,"));
    }
}
