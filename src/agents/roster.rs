//! The selected users as agents: each with names for its routing profile,
//! security profiles and hierarchy group.

use std::sync::Arc;

use serde::Serialize;

use super::directory::Directory;
use crate::connect::{ApiError, ApiErrorKind, ConnectApi, EffectiveSettings, ExistingUser};
use crate::user::{PhoneType, VoiceEnhancementMode};

/// An existing user, as the `agents` commands show and change it.
#[derive(Debug, Clone)]
pub struct Agent {
    pub user: ExistingUser,
    /// Every setting, with the service's default where the user states none.
    pub settings: EffectiveSettings,
    pub routing_profile: String,
    pub security_profiles: Vec<String>,
    /// Group names from level one down; empty without a group.
    pub hierarchy: Vec<String>,
}

impl Agent {
    pub fn login(&self) -> &str {
        &self.user.fields.username
    }

    pub fn phone_type(&self) -> PhoneType {
        self.settings.phone_type.unwrap_or(PhoneType::SoftPhone)
    }

    pub fn persistent_connection(&self) -> bool {
        self.settings.persistent_connection.unwrap_or(false)
    }

    pub fn voice_enhancement(&self) -> VoiceEnhancementMode {
        self.settings
            .voice_enhancement
            .unwrap_or(VoiceEnhancementMode::None)
    }

    /// `First Last`, or what there is of it.
    pub fn name(&self) -> String {
        let info = &self.user.fields.identity_info;
        [info.first_name.as_deref(), info.last_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The agent as one JSON or CSV record.
    pub fn record(&self) -> AgentRecord<'_> {
        let info = &self.user.fields.identity_info;
        AgentRecord {
            user_login: self.login(),
            user_id: &self.user.id,
            first_name: info.first_name.as_deref(),
            last_name: info.last_name.as_deref(),
            phone_type: self.phone_type().template_name(),
            phone_number: self.settings.desk_phone_number.as_deref(),
            persistent_connection: self.persistent_connection(),
            audio_enhancement: self.voice_enhancement().template_name(),
            routing_profile: &self.routing_profile,
            security_profiles: self.security_profiles.join("|"),
            hierarchy: self.hierarchy.join("|"),
        }
    }
}

/// One agent in `agents list --format json|csv`.
#[derive(Debug, Serialize)]
pub struct AgentRecord<'a> {
    pub user_login: &'a str,
    pub user_id: &'a str,
    pub first_name: Option<&'a str>,
    pub last_name: Option<&'a str>,
    pub phone_type: &'static str,
    pub phone_number: Option<&'a str>,
    pub persistent_connection: bool,
    pub audio_enhancement: &'static str,
    pub routing_profile: &'a str,
    pub security_profiles: String,
    pub hierarchy: String,
}

/// The users as agents, named: each hierarchy group they belong to is
/// described once (`parallel` at a time).
pub async fn name(
    api: &Arc<dyn ConnectApi>,
    users: Vec<ExistingUser>,
    directory: &mut Directory,
    parallel: usize,
) -> anyhow::Result<Vec<Agent>> {
    let groups = users
        .iter()
        .filter_map(|u| u.fields.hierarchy_group_id.clone());
    directory
        .describe_groups(api, groups, parallel)
        .await
        .map_err(|err| gone(err, "a hierarchy group of the selected users"))?;
    Ok(users
        .into_iter()
        .map(|user| agent(user, directory))
        .collect())
}

/// A group that was referred to but could not be described: deleted
/// meanwhile (not the instance missing, which the API error alone would
/// suggest), or any other API error as it is.
fn gone(err: ApiError, what: &str) -> anyhow::Error {
    if err.kind == ApiErrorKind::ResourceNotFound {
        anyhow::anyhow!(
            "{what} was deleted while the agents were being read ({}: {}); run the command again",
            err.code,
            err.message
        )
    } else {
        anyhow::Error::new(err).context(format!("cannot describe {what}"))
    }
}

/// An agent from a user and the directory's names.
pub fn agent(user: ExistingUser, directory: &Directory) -> Agent {
    let settings = EffectiveSettings::of(&user.fields).with_defaults();
    let hierarchy = match &user.fields.hierarchy_group_id {
        Some(id) => directory.hierarchy_levels(id),
        None => Vec::new(),
    };
    Agent {
        routing_profile: directory.routing_profile_name(&user.fields.routing_profile_id),
        security_profiles: directory.security_profile_names(&user.fields.security_profile_ids),
        hierarchy,
        settings,
        user,
    }
}
