//! A user as the template describes it, after validation and normalisation.
//!
//! Names here are names (routing profile, security profiles, hierarchy
//! path), as the administrator typed them; the plan resolves them to IDs.

use std::collections::BTreeMap;

use crate::secret::Secret;

/// Softphone or desk phone (`phone type (soft/desk)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PhoneType {
    SoftPhone,
    DeskPhone,
}

impl PhoneType {
    /// The API value (`SOFT_PHONE` / `DESK_PHONE`).
    pub fn api_name(self) -> &'static str {
        match self {
            PhoneType::SoftPhone => "SOFT_PHONE",
            PhoneType::DeskPhone => "DESK_PHONE",
        }
    }

    pub fn from_api_name(name: &str) -> Option<PhoneType> {
        match name {
            "SOFT_PHONE" => Some(PhoneType::SoftPhone),
            "DESK_PHONE" => Some(PhoneType::DeskPhone),
            _ => None,
        }
    }

    /// The template's spelling (`soft` / `desk`).
    pub fn template_name(self) -> &'static str {
        match self {
            PhoneType::SoftPhone => "soft",
            PhoneType::DeskPhone => "desk",
        }
    }
}

/// `audio enhancement`: the voice enhancement of the user's softphone audio
/// (`VoiceEnhancementMode` in the API, a VOICE-channel setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum VoiceEnhancementMode {
    None,
    VoiceIsolation,
    NoiseSuppression,
}

impl VoiceEnhancementMode {
    pub const ALL: [VoiceEnhancementMode; 3] = [
        VoiceEnhancementMode::None,
        VoiceEnhancementMode::VoiceIsolation,
        VoiceEnhancementMode::NoiseSuppression,
    ];

    /// The API value (`NONE` / `VOICE_ISOLATION` / `NOISE_SUPPRESSION`).
    pub fn api_name(self) -> &'static str {
        match self {
            VoiceEnhancementMode::None => "NONE",
            VoiceEnhancementMode::VoiceIsolation => "VOICE_ISOLATION",
            VoiceEnhancementMode::NoiseSuppression => "NOISE_SUPPRESSION",
        }
    }

    pub fn from_api_name(name: &str) -> Option<VoiceEnhancementMode> {
        VoiceEnhancementMode::ALL
            .into_iter()
            .find(|mode| mode.api_name() == name)
    }

    /// The template's spelling (`none` / `isolate voice` / `suppress noise`).
    pub fn template_name(self) -> &'static str {
        match self {
            VoiceEnhancementMode::None => "none",
            VoiceEnhancementMode::VoiceIsolation => "isolate voice",
            VoiceEnhancementMode::NoiseSuppression => "suppress noise",
        }
    }
}

/// One user of the file, every field validated and normalised (NFC, trimmed).
/// An optional column the file leaves empty holds its default; the settings
/// a header may lack (auto-accept, ACW, persistent connection, audio
/// enhancement) are `None` then: the file says nothing about them, so they
/// are neither sent nor compared with an existing user.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UserSpec {
    /// Physical line (header = 1) of the row that defines this user.
    pub line: u64,
    /// `user login`, as typed (its case is kept; comparisons ignore case).
    pub login: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub secondary_email: Option<String>,
    pub mobile: Option<String>,
    /// Never serialised; see [`Secret`].
    #[serde(skip)]
    pub password: Option<Secret>,
    pub routing_profile: String,
    pub security_profiles: Vec<String>,
    /// Group names from level one down to the user's group; empty for none.
    pub hierarchy: Vec<String>,
    pub phone_type: PhoneType,
    /// E.164 desk phone number (only kept for desk phones).
    pub phone_number: Option<String>,
    /// `soft phone auto accept`: the VOICE channel's auto-accept.
    pub auto_accept: Option<bool>,
    /// `ACW timeout`: seconds, 0 = no limit; the template's value applies to
    /// every channel.
    pub acw_timeout: Option<u32>,
    /// VOICE only; `no` for a desk phone, where it does not apply.
    pub persistent_connection: Option<bool>,
    /// VOICE only; `none` for a desk phone, where it does not apply.
    pub audio_enhancement: Option<VoiceEnhancementMode>,
    pub tags: BTreeMap<String, String>,
}

impl UserSpec {
    /// The key duplicates and existing users are matched by.
    pub fn login_key(&self) -> String {
        self.login.to_lowercase()
    }
}

/// What an import will do, or did, for one user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// The user does not exist yet and will be created.
    Create,
    /// A user with this login and the same data exists: nothing to do.
    Exists,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Exists => "exists",
        }
    }
}
