//! The seed: a human-readable description of one instance (TOML, or JSON
//! for a `.json` file) that `local serve --seed` and `LocalApi::open_demo`
//! load into an empty store.
//!
//! ```toml
//! id = "1f3c2b9a-5d4e-4c6b-9a7f-2e8d0c1b3a45"
//! alias = "demo-contact-center"
//! identity = "CONNECT_MANAGED"          # or SAML, EXISTING_DIRECTORY
//! region = "us-east-1"
//! account = "111122223333"
//! routing_profiles = ["Basic Routing Profile", { name = "Sales Inbound", id = "..." }]
//! security_profiles = ["Admin", "Agent"]
//!
//! [hierarchy]
//! levels = ["Region", "Site", "Team"]
//! groups = ["North America|Seattle|Team Orca"]   # paths; parents are implied
//!
//! [predefined_attributes]                       # what proficiencies may name
//! Language = ["English", "Japanese"]
//!
//! [[users]]
//! username = "admin"
//! first_name = "Avery"
//! routing_profile = "Basic Routing Profile"
//! security_profiles = ["Admin"]
//! hierarchy = "North America|Seattle|Team Orca"
//! tags = { department = "operations" }
//! ```
//!
//! Every resource may name its `id`; otherwise one is derived from the
//! instance ID and the name, the same on every load.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use serde::Deserialize;

use crate::identity::Identity;
use crate::user::{PhoneType, VoiceEnhancementMode};

/// One instance and everything in it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    pub id: String,
    #[serde(default)]
    pub alias: Option<String>,
    pub identity: Identity,
    #[serde(default = "default_region")]
    pub region: String,
    #[serde(default = "default_account")]
    pub account: String,
    #[serde(default)]
    pub routing_profiles: Vec<NamedSeed>,
    #[serde(default)]
    pub security_profiles: Vec<NamedSeed>,
    #[serde(default)]
    pub hierarchy: HierarchySeed,
    /// Predefined attributes and their values, e.g. `Language = ["English",
    /// "Japanese"]`: the names and values a user's proficiencies may take.
    #[serde(default)]
    pub predefined_attributes: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub users: Vec<UserSeed>,
}

fn default_region() -> String {
    "us-east-1".to_string()
}

fn default_account() -> String {
    "111122223333".to_string()
}

/// A routing or security profile: its name, or a table with a fixed ID.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum NamedSeed {
    Name(String),
    Full {
        name: String,
        #[serde(default)]
        id: Option<String>,
    },
}

impl NamedSeed {
    pub fn name(&self) -> &str {
        match self {
            NamedSeed::Name(name) | NamedSeed::Full { name, .. } => name,
        }
    }

    pub fn id(&self) -> Option<&str> {
        match self {
            NamedSeed::Name(_) => None,
            NamedSeed::Full { id, .. } => id.as_deref(),
        }
    }
}

/// The hierarchy: level names from the top (at most five) and group paths.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HierarchySeed {
    #[serde(default)]
    pub levels: Vec<String>,
    /// `|`-separated paths of group names from level one down; every prefix
    /// of a path is a group too.
    #[serde(default)]
    pub groups: Vec<String>,
}

/// An existing user.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserSeed {
    #[serde(default)]
    pub id: Option<String>,
    pub username: String,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub secondary_email: Option<String>,
    #[serde(default)]
    pub mobile: Option<String>,
    #[serde(default)]
    pub directory_user_id: Option<String>,
    pub routing_profile: String,
    pub security_profiles: Vec<String>,
    /// `|`-separated group path, as in [`HierarchySeed::groups`].
    #[serde(default)]
    pub hierarchy: Option<String>,
    #[serde(default = "default_phone_type")]
    pub phone_type: PhoneType,
    #[serde(default)]
    pub auto_accept: bool,
    #[serde(default)]
    pub acw_timeout: i32,
    #[serde(default)]
    pub desk_phone_number: Option<String>,
    #[serde(default)]
    pub persistent_connection: Option<bool>,
    /// VOICE voice enhancement: `NONE`, `VOICE_ISOLATION` or `NOISE_SUPPRESSION`.
    #[serde(default)]
    pub voice_enhancement: Option<VoiceEnhancementMode>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

fn default_phone_type() -> PhoneType {
    PhoneType::SoftPhone
}

/// The demo instance every `--local` run and the README use.
pub const DEMO_SEED: &str = include_str!("../../fixtures/demo-instance.toml");

impl Seed {
    /// Reads a seed file: JSON for a `.json` file, TOML otherwise.
    pub fn from_file(path: &Path) -> anyhow::Result<Seed> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading seed {}", path.display()))?;
        let is_json = path
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("json"));
        let seed = if is_json {
            Seed::from_json(&text)
        } else {
            Seed::from_toml(&text)
        };
        seed.with_context(|| format!("seed {}", path.display()))
    }

    pub fn from_toml(text: &str) -> anyhow::Result<Seed> {
        Ok(toml::from_str(text)?)
    }

    pub fn from_json(text: &str) -> anyhow::Result<Seed> {
        Ok(serde_json::from_str(text)?)
    }

    /// The embedded demo instance.
    pub fn demo() -> Seed {
        Seed::from_toml(DEMO_SEED).expect("the embedded demo seed parses (pinned by a test)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_seed_parses_with_the_common_names() {
        let seed = Seed::demo();
        assert_eq!(seed.id, "1f3c2b9a-5d4e-4c6b-9a7f-2e8d0c1b3a45");
        assert_eq!(seed.alias.as_deref(), Some("demo-contact-center"));
        assert_eq!(seed.identity, Identity::ConnectManaged);
        let names: Vec<&str> = seed.routing_profiles.iter().map(NamedSeed::name).collect();
        assert_eq!(
            names,
            [
                "Basic Routing Profile",
                "Sales Inbound",
                "Support Tier 1",
                "Support Tier 2",
                "Japan Support"
            ]
        );
        let names: Vec<&str> = seed.security_profiles.iter().map(NamedSeed::name).collect();
        assert_eq!(
            names,
            ["Admin", "Agent", "CallCenterManager", "QualityAnalyst"]
        );
        assert_eq!(seed.hierarchy.levels, ["Region", "Site", "Team"]);
        assert_eq!(seed.hierarchy.groups.len(), 6);
        let logins: Vec<&str> = seed.users.iter().map(|u| u.username.as_str()).collect();
        assert_eq!(
            logins,
            [
                "admin",
                "ops.lead",
                "s.tanaka",
                "k.suzuki",
                "j.rivera",
                "m.chen",
                "a.novak",
                "p.okafor",
                "l.schmidt",
                "r.patel",
                "e.kowalski",
                "h.yamamoto"
            ]
        );
    }

    #[test]
    fn json_seed_and_table_entries() {
        let seed = Seed::from_json(
            r#"{"id":"i","identity":"SAML","routing_profiles":[{"name":"RP","id":"rp-1"}],
                "users":[{"username":"a","routing_profile":"RP","security_profiles":[]}]}"#,
        )
        .unwrap();
        assert_eq!(seed.routing_profiles[0].id(), Some("rp-1"));
        assert_eq!(seed.users[0].phone_type, PhoneType::SoftPhone);
        assert_eq!(seed.region, "us-east-1");
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let err =
            Seed::from_toml("id = \"i\"\nidentity = \"SAML\"\nrouting_profile = []\n").unwrap_err();
        assert!(format!("{err:#}").contains("routing_profile"), "{err:#}");
    }
}
