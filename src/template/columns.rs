//! The template's columns: their header spellings across template versions,
//! which identity types accept them, and which are required.
//!
//! Headers are matched by name, not position, ignoring case, spaces and
//! underscores, so every older console header (connect-facts §1) and the
//! newest guide's columns are recognised.

use crate::identity::Identity;

/// A known template column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    FirstName,
    LastName,
    Email,
    SecondaryEmail,
    Mobile,
    Login,
    Password,
    RoutingProfile,
    SecurityProfiles,
    Hierarchy,
    PhoneType,
    PhoneNumber,
    AutoAccept,
    AcwTimeout,
    PersistentConnection,
    Tags,
    /// The newest guide's `audio enhancement` (none / isolate voice /
    /// suppress noise): the VOICE channel's voice enhancement mode.
    AudioEnhancement,
}

impl Column {
    pub const COUNT: usize = 17;

    pub const ALL: [Column; Column::COUNT] = [
        Column::FirstName,
        Column::LastName,
        Column::Email,
        Column::SecondaryEmail,
        Column::Mobile,
        Column::Login,
        Column::Password,
        Column::RoutingProfile,
        Column::SecurityProfiles,
        Column::Hierarchy,
        Column::PhoneType,
        Column::PhoneNumber,
        Column::AutoAccept,
        Column::AcwTimeout,
        Column::PersistentConnection,
        Column::Tags,
        Column::AudioEnhancement,
    ];

    /// Position in [`Column::ALL`], for per-column tables.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The header text of the current template.
    pub fn header(self) -> &'static str {
        self.spellings()[0]
    }

    /// Every spelling seen in a template version; the first is the current one.
    fn spellings(self) -> &'static [&'static str] {
        match self {
            Column::FirstName => &["first name"],
            Column::LastName => &["last name"],
            Column::Email => &["email address", "email"],
            Column::SecondaryEmail => &["secondary email", "secondary email address"],
            Column::Mobile => &["mobile", "mobile number"],
            Column::Login => &["user login"],
            Column::Password => &["password"],
            Column::RoutingProfile => &["routing profile name", "routing profile"],
            Column::SecurityProfiles => &[
                "security_profile_name_1|security_profile_name_2",
                "security profiles",
                "security profile names",
            ],
            Column::Hierarchy => &[
                "user_hierarchy_1|user_hierarchy_2",
                "hierarchy",
                "user hierarchy",
                "agent hierarchy",
            ],
            Column::PhoneType => &["phone type (soft/desk)", "phone type"],
            Column::PhoneNumber => &["phone number", "desk phone number"],
            Column::AutoAccept => &[
                "soft phone auto accept (yes/no)",
                "soft phone auto accept",
                "auto accept",
            ],
            Column::AcwTimeout => &[
                "ACW timeout (seconds)",
                "ACW timeout",
                "after contact work timeout (seconds)",
            ],
            Column::PersistentConnection => {
                &["persistent connection (yes/no)", "persistent connection"]
            }
            Column::Tags => &["tags"],
            Column::AudioEnhancement => &[
                "audio enhancement",
                "audio enhancement (none/isolate voice/suppress noise)",
            ],
        }
    }

    /// The column a header cell names, if any.
    pub fn from_header(text: &str) -> Option<Column> {
        let key = header_key(text);
        Column::ALL.into_iter().find(|column| {
            column
                .spellings()
                .iter()
                .any(|s| key_chars(s).eq(key.chars()))
        })
    }

    /// The known column whose header is closest to `text`, for "did you mean".
    pub fn closest(text: &str) -> Column {
        let key = header_key(text);
        let mut best = (Column::Login, -1.0);
        for column in Column::ALL {
            for spelling in column.spellings() {
                let score = strsim::normalized_levenshtein(&key, &header_key(spelling));
                if score > best.1 {
                    best = (column, score);
                }
            }
        }
        best.0
    }

    /// Whether the file must have this column for this identity type.
    pub fn required(self, identity: Identity) -> bool {
        match self {
            Column::Login | Column::RoutingProfile | Column::SecurityProfiles => true,
            // The CreateUser reference requires first and last name on
            // connect-managed and SAML instances alike.
            Column::FirstName | Column::LastName => identity != Identity::ExistingDirectory,
            Column::Password => identity == Identity::ConnectManaged,
            _ => false,
        }
    }

    /// Whether a non-empty value in this column is accepted for this identity
    /// type (SAML takes no e-mail or password; a directory supplies names,
    /// e-mail, mobile and password).
    pub fn accepts_values(self, identity: Identity) -> bool {
        match identity {
            Identity::ConnectManaged => true,
            Identity::Saml => !matches!(self, Column::Email | Column::Password),
            Identity::ExistingDirectory => !matches!(
                self,
                Column::FirstName
                    | Column::LastName
                    | Column::Email
                    | Column::SecondaryEmail
                    | Column::Mobile
                    | Column::Password
            ),
        }
    }
}

/// The comparison key of a header cell: lowercase, without spaces,
/// underscores or a stray byte-order mark.
fn header_key(text: &str) -> String {
    key_chars(text).collect()
}

/// A header's characters as compared: lowercase, without spaces,
/// underscores or a byte-order mark.
fn key_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '\u{feff}')
        .flat_map(char::to_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_is_in_index_order() {
        for (i, column) in Column::ALL.into_iter().enumerate() {
            assert_eq!(column.index(), i);
        }
    }

    #[test]
    fn headers_match_ignoring_case_and_spaces() {
        assert_eq!(Column::from_header("  User Login "), Some(Column::Login));
        assert_eq!(
            Column::from_header("ACW TIMEOUT (SECONDS)"),
            Some(Column::AcwTimeout)
        );
        assert_eq!(
            Column::from_header("\u{feff}first name"),
            Some(Column::FirstName)
        );
        assert_eq!(
            Column::from_header("security_profile_name_1|security_profile_name_2"),
            Some(Column::SecurityProfiles)
        );
        assert_eq!(
            Column::from_header("persistent connection"),
            Some(Column::PersistentConnection)
        );
        assert_eq!(
            Column::from_header("audio enhancement"),
            Some(Column::AudioEnhancement)
        );
        assert_eq!(Column::from_header("favourite colour"), None);
        assert_eq!(Column::from_header(""), None);
    }

    #[test]
    fn closest_suggests_the_likely_column() {
        assert_eq!(Column::closest("user logon"), Column::Login);
        assert_eq!(
            Column::closest("routing profle name"),
            Column::RoutingProfile
        );
        assert_eq!(Column::closest("phone nmber"), Column::PhoneNumber);
    }

    #[test]
    fn required_columns_per_identity() {
        assert!(Column::Password.required(Identity::ConnectManaged));
        assert!(!Column::Password.required(Identity::Saml));
        assert!(Column::FirstName.required(Identity::Saml));
        assert!(Column::LastName.required(Identity::Saml));
        assert!(!Column::FirstName.required(Identity::ExistingDirectory));
        assert!(Column::Login.required(Identity::ExistingDirectory));
        assert!(!Column::PersistentConnection.required(Identity::ConnectManaged));
    }
}
