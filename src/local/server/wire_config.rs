//! The per-channel lists on the wire (CreateUser, UpdateUserConfig): JSON
//! members into the domain's [`UserConfig`], with the model's enums and
//! required members checked. An unknown channel (`FAX`) or mode (`LOUD`),
//! or a missing required member, is InvalidParameterException naming it.

use serde::Deserialize;

use crate::connect::{
    AfterContactWorkConfig, ApiError, AutoAcceptConfig, Channel, PersistentConnectionConfig,
    PhoneNumberConfig, UserConfig, VoiceEnhancementConfig,
};
use crate::local::service::invalid_parameter;
use crate::user::{PhoneType, VoiceEnhancementMode};

fn required<T>(value: Option<T>, list: &str, member: &str) -> Result<T, ApiError> {
    value.ok_or_else(|| invalid_parameter(format!("{list}: {member} is required")))
}

fn channel(name: Option<String>, list: &str) -> Result<Channel, ApiError> {
    let name = required(name, list, "Channel")?;
    Channel::from_api_name(&name).ok_or_else(|| {
        invalid_parameter(format!(
            "{list}: Channel '{name}' is not one of VOICE, CHAT, TASK, EMAIL"
        ))
    })
}

/// `PhoneType` of a request: SOFT_PHONE or DESK_PHONE.
pub fn phone_type(name: &str, member: &str) -> Result<PhoneType, ApiError> {
    PhoneType::from_api_name(name).ok_or_else(|| {
        invalid_parameter(format!(
            "{member} '{name}' is not one of SOFT_PHONE, DESK_PHONE"
        ))
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AutoAcceptWire {
    channel: Option<String>,
    auto_accept: Option<bool>,
    agent_first_callback_auto_accept: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AcwLimitWire {
    after_contact_work_time_limit: Option<i32>,
}

impl AcwLimitWire {
    /// The SDKs leave out a 0, which means no limit.
    fn seconds(&self) -> i32 {
        self.after_contact_work_time_limit.unwrap_or(0)
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AfterContactWorkWire {
    channel: Option<String>,
    after_contact_work_config: Option<AcwLimitWire>,
    agent_first_callback_after_contact_work_config: Option<AcwLimitWire>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PhoneNumberWire {
    channel: Option<String>,
    phone_type: Option<String>,
    phone_number: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PersistentConnectionWire {
    channel: Option<String>,
    persistent_connection: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct VoiceEnhancementWire {
    channel: Option<String>,
    voice_enhancement_mode: Option<String>,
}

/// The five lists as a request carries them.
#[derive(Default)]
pub struct ConfigWire {
    pub auto_accept: Option<Vec<AutoAcceptWire>>,
    pub after_contact_work: Option<Vec<AfterContactWorkWire>>,
    pub phone_number: Option<Vec<PhoneNumberWire>>,
    pub persistent_connection: Option<Vec<PersistentConnectionWire>>,
    pub voice_enhancement: Option<Vec<VoiceEnhancementWire>>,
}

impl ConfigWire {
    pub fn into_domain(self) -> Result<UserConfig, ApiError> {
        const AA: &str = "AutoAcceptConfigs";
        const ACW: &str = "AfterContactWorkConfigs";
        const PN: &str = "PhoneNumberConfigs";
        const PC: &str = "PersistentConnectionConfigs";
        const VE: &str = "VoiceEnhancementConfigs";
        Ok(UserConfig {
            auto_accept: self
                .auto_accept
                .unwrap_or_default()
                .into_iter()
                .map(|w| {
                    Ok(AutoAcceptConfig {
                        channel: channel(w.channel, AA)?,
                        auto_accept: required(w.auto_accept, AA, "AutoAccept")?,
                        agent_first_callback_auto_accept: w.agent_first_callback_auto_accept,
                    })
                })
                .collect::<Result<_, ApiError>>()?,
            after_contact_work: self
                .after_contact_work
                .unwrap_or_default()
                .into_iter()
                .map(|w| {
                    let limit = required(w.after_contact_work_config, ACW, "AfterContactWorkConfig")?;
                    Ok(AfterContactWorkConfig {
                        channel: channel(w.channel, ACW)?,
                        time_limit: limit.seconds(),
                        agent_first_callback_time_limit: w
                            .agent_first_callback_after_contact_work_config
                            .map(|l| l.seconds()),
                    })
                })
                .collect::<Result<_, ApiError>>()?,
            phone_number: self
                .phone_number
                .unwrap_or_default()
                .into_iter()
                .map(|w| {
                    let kind = required(w.phone_type, PN, "PhoneType")?;
                    Ok(PhoneNumberConfig {
                        channel: channel(w.channel, PN)?,
                        phone_type: phone_type(&kind, "PhoneNumberConfigs: PhoneType")?,
                        phone_number: w.phone_number,
                    })
                })
                .collect::<Result<_, ApiError>>()?,
            persistent_connection: self
                .persistent_connection
                .unwrap_or_default()
                .into_iter()
                .map(|w| {
                    Ok(PersistentConnectionConfig {
                        channel: channel(w.channel, PC)?,
                        persistent_connection: required(
                            w.persistent_connection,
                            PC,
                            "PersistentConnection",
                        )?,
                    })
                })
                .collect::<Result<_, ApiError>>()?,
            voice_enhancement: self
                .voice_enhancement
                .unwrap_or_default()
                .into_iter()
                .map(|w| {
                    let mode = required(w.voice_enhancement_mode, VE, "VoiceEnhancementMode")?;
                    Ok(VoiceEnhancementConfig {
                        channel: channel(w.channel, VE)?,
                        mode: VoiceEnhancementMode::from_api_name(&mode).ok_or_else(|| {
                            invalid_parameter(format!(
                                "{VE}: VoiceEnhancementMode '{mode}' is not one of NONE, VOICE_ISOLATION, NOISE_SUPPRESSION"
                            ))
                        })?,
                    })
                })
                .collect::<Result<_, ApiError>>()?,
        })
    }
}

/// The UpdateUserConfig body.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct UpdateUserConfigBody {
    auto_accept_configs: Option<Vec<AutoAcceptWire>>,
    after_contact_work_configs: Option<Vec<AfterContactWorkWire>>,
    phone_number_configs: Option<Vec<PhoneNumberWire>>,
    persistent_connection_configs: Option<Vec<PersistentConnectionWire>>,
    voice_enhancement_configs: Option<Vec<VoiceEnhancementWire>>,
}

impl UpdateUserConfigBody {
    pub fn into_domain(self) -> Result<UserConfig, ApiError> {
        ConfigWire {
            auto_accept: self.auto_accept_configs,
            after_contact_work: self.after_contact_work_configs,
            phone_number: self.phone_number_configs,
            persistent_connection: self.persistent_connection_configs,
            voice_enhancement: self.voice_enhancement_configs,
        }
        .into_domain()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<UserConfig, ApiError> {
        serde_json::from_str::<UpdateUserConfigBody>(json)
            .unwrap()
            .into_domain()
    }

    #[test]
    fn enums_and_required_members_are_checked() {
        let ok = parse(
            r#"{"VoiceEnhancementConfigs":[{"Channel":"VOICE","VoiceEnhancementMode":"NOISE_SUPPRESSION"}],
                "AfterContactWorkConfigs":[{"Channel":"CHAT","AfterContactWorkConfig":{}}]}"#,
        )
        .unwrap();
        assert_eq!(ok.after_contact_work[0].time_limit, 0);
        let fax =
            parse(r#"{"AutoAcceptConfigs":[{"Channel":"FAX","AutoAccept":true}]}"#).unwrap_err();
        assert!(fax.message.contains("FAX"), "{fax:?}");
        let loud = parse(
            r#"{"VoiceEnhancementConfigs":[{"Channel":"VOICE","VoiceEnhancementMode":"LOUD"}]}"#,
        )
        .unwrap_err();
        assert!(loud.message.contains("LOUD"), "{loud:?}");
        let missing =
            parse(r#"{"PersistentConnectionConfigs":[{"Channel":"VOICE"}]}"#).unwrap_err();
        assert!(missing.message.contains("PersistentConnection is required"));
        assert!(serde_json::from_str::<UpdateUserConfigBody>(r#"{"Volume":11}"#).is_err());
    }
}
