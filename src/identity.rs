//! The identity management type of an Amazon Connect instance.
//!
//! It is fixed when the instance is created and decides which template
//! columns exist and which rules apply to logins, passwords and e-mail.

use std::fmt;

/// How an instance manages its users' identities.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Identity {
    /// Users and passwords are stored in Amazon Connect.
    ConnectManaged,
    /// Users sign in through a SAML 2.0 identity provider.
    Saml,
    /// Users come from an existing AWS Directory Service directory.
    ExistingDirectory,
}

impl Identity {
    /// The value the API uses (`IdentityManagementType`).
    pub fn api_name(self) -> &'static str {
        match self {
            Identity::ConnectManaged => "CONNECT_MANAGED",
            Identity::Saml => "SAML",
            Identity::ExistingDirectory => "EXISTING_DIRECTORY",
        }
    }

    /// Parses the API value; `None` for a type this tool does not know.
    pub fn from_api_name(name: &str) -> Option<Identity> {
        match name {
            "CONNECT_MANAGED" => Some(Identity::ConnectManaged),
            "SAML" => Some(Identity::Saml),
            "EXISTING_DIRECTORY" => Some(Identity::ExistingDirectory),
            _ => None,
        }
    }

    /// The name used on the command line (`--identity`).
    pub fn cli_name(self) -> &'static str {
        match self {
            Identity::ConnectManaged => "connect-managed",
            Identity::Saml => "saml",
            Identity::ExistingDirectory => "existing-directory",
        }
    }
}

impl fmt::Display for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.cli_name())
    }
}
