//! What the local instance stores of a user's phone and per-channel
//! settings, and how each write form changes it.
//!
//! The state is per channel, as the service's current model has it; the
//! legacy `PhoneConfig` is a view of it. `PhoneConfig` writes (CreateUser,
//! UpdateUserPhoneConfig) keep the service's meaning: the ACW timeout goes
//! to every channel ("UpdateUserPhoneConfig applies the same ACW timeout to
//! all channels"), auto-accept, phone type, desk number and persistent
//! connection to VOICE. Per-channel writes (CreateUser's lists,
//! UpdateUserConfig) set the entries they list and nothing else. Reads give
//! both forms from the same state, so they always agree: `PhoneConfig`
//! shows the VOICE channel (its ACW timeout is VOICE's when the channels
//! differ).

use serde::{Deserialize, Serialize};

use crate::connect::{
    AfterContactWorkConfig, AutoAcceptConfig, Channel, PersistentConnectionConfig, PhoneConfig,
    PhoneNumberConfig, UserConfig, VoiceEnhancementConfig,
};
use crate::user::{PhoneType, VoiceEnhancementMode};

/// One channel's auto-accept and ACW timeout.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelSettings {
    pub auto_accept: bool,
    /// VOICE only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_first_callback_auto_accept: Option<bool>,
    /// Seconds, 0 = no limit.
    pub acw_seconds: i32,
    /// VOICE only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_first_callback_acw_seconds: Option<i32>,
}

/// A user's settings as the store keeps them (JSON in the `settings` column).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredSettings {
    pub phone_type: PhoneType,
    pub desk_phone_number: Option<String>,
    pub persistent_connection: bool,
    pub voice_enhancement: VoiceEnhancementMode,
    /// VOICE, CHAT, TASK, EMAIL, in [`Channel::ALL`] order.
    pub channels: [ChannelSettings; 4],
}

impl Default for StoredSettings {
    /// A new user's settings before its request applies: the service's defaults.
    fn default() -> StoredSettings {
        StoredSettings {
            phone_type: PhoneType::SoftPhone,
            desk_phone_number: None,
            persistent_connection: false,
            voice_enhancement: VoiceEnhancementMode::None,
            channels: [ChannelSettings::default(); 4],
        }
    }
}

fn slot(channel: Channel) -> usize {
    Channel::ALL
        .iter()
        .position(|c| *c == channel)
        .unwrap_or_default()
}

impl StoredSettings {
    /// A new user's settings from CreateUser's two forms (checked beforehand
    /// not to set one setting twice).
    pub fn created(phone: Option<&PhoneConfig>, config: &UserConfig) -> StoredSettings {
        let mut settings = StoredSettings::default();
        if let Some(phone) = phone {
            settings.apply_phone_config(phone);
        }
        settings.apply_config(config);
        settings
    }

    /// The settings of a row written before the store kept per-channel
    /// settings: its `PhoneConfig` columns, in the service's meaning.
    pub fn from_phone_columns(
        phone_type: PhoneType,
        auto_accept: bool,
        acw_seconds: i32,
        desk_phone_number: Option<String>,
        persistent_connection: Option<bool>,
    ) -> StoredSettings {
        StoredSettings::created(
            Some(&PhoneConfig {
                phone_type: Some(phone_type),
                auto_accept: Some(auto_accept),
                after_contact_work_time_limit: Some(acw_seconds),
                desk_phone_number,
                persistent_connection,
            }),
            &UserConfig::default(),
        )
    }

    pub fn channel(&self, channel: Channel) -> &ChannelSettings {
        &self.channels[slot(channel)]
    }

    fn channel_mut(&mut self, channel: Channel) -> &mut ChannelSettings {
        &mut self.channels[slot(channel)]
    }

    /// A `PhoneConfig` write: replaces the phone settings. A member left out
    /// takes its default (the SDKs leave out false and 0), except
    /// `PersistentConnection`, which a client that does not know it must not
    /// reset. Voice enhancement and agent-first callbacks are untouched.
    pub fn apply_phone_config(&mut self, phone: &PhoneConfig) {
        self.phone_type = phone.phone_type.unwrap_or(PhoneType::SoftPhone);
        self.desk_phone_number = phone.desk_phone_number.clone().filter(|n| !n.is_empty());
        self.channel_mut(Channel::Voice).auto_accept = phone.auto_accept.unwrap_or(false);
        let acw = phone.after_contact_work_time_limit.unwrap_or(0);
        for channel in &mut self.channels {
            channel.acw_seconds = acw;
        }
        if let Some(persistent) = phone.persistent_connection {
            self.persistent_connection = persistent;
        }
    }

    /// A per-channel write: sets exactly the entries listed.
    pub fn apply_config(&mut self, config: &UserConfig) {
        for entry in &config.auto_accept {
            let channel = self.channel_mut(entry.channel);
            channel.auto_accept = entry.auto_accept;
            if entry.agent_first_callback_auto_accept.is_some() {
                channel.agent_first_callback_auto_accept = entry.agent_first_callback_auto_accept;
            }
        }
        for entry in &config.after_contact_work {
            let channel = self.channel_mut(entry.channel);
            channel.acw_seconds = entry.time_limit;
            if entry.agent_first_callback_time_limit.is_some() {
                channel.agent_first_callback_acw_seconds = entry.agent_first_callback_time_limit;
            }
        }
        for entry in &config.phone_number {
            self.phone_type = entry.phone_type;
            self.desk_phone_number = entry.phone_number.clone().filter(|n| !n.is_empty());
        }
        for entry in &config.persistent_connection {
            self.persistent_connection = entry.persistent_connection;
        }
        for entry in &config.voice_enhancement {
            self.voice_enhancement = entry.mode;
        }
    }

    /// The legacy view: the VOICE channel.
    pub fn phone_config(&self) -> PhoneConfig {
        let voice = self.channel(Channel::Voice);
        PhoneConfig {
            phone_type: Some(self.phone_type),
            auto_accept: Some(voice.auto_accept),
            after_contact_work_time_limit: Some(voice.acw_seconds),
            desk_phone_number: self.desk_phone_number.clone(),
            persistent_connection: Some(self.persistent_connection),
        }
    }

    /// The per-channel view: every channel's auto-accept and ACW, and the
    /// VOICE-only settings.
    pub fn config(&self) -> UserConfig {
        let voice = Channel::Voice;
        UserConfig {
            auto_accept: Channel::ALL
                .into_iter()
                .map(|channel| {
                    let c = self.channel(channel);
                    AutoAcceptConfig {
                        channel,
                        auto_accept: c.auto_accept,
                        agent_first_callback_auto_accept: c.agent_first_callback_auto_accept,
                    }
                })
                .collect(),
            after_contact_work: Channel::ALL
                .into_iter()
                .map(|channel| {
                    let c = self.channel(channel);
                    AfterContactWorkConfig {
                        channel,
                        time_limit: c.acw_seconds,
                        agent_first_callback_time_limit: c.agent_first_callback_acw_seconds,
                    }
                })
                .collect(),
            phone_number: vec![PhoneNumberConfig {
                channel: voice,
                phone_type: self.phone_type,
                phone_number: self.desk_phone_number.clone(),
            }],
            persistent_connection: vec![PersistentConnectionConfig {
                channel: voice,
                persistent_connection: self.persistent_connection,
            }],
            voice_enhancement: vec![VoiceEnhancementConfig {
                channel: voice,
                mode: self.voice_enhancement,
            }],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connect::{EffectiveSettings, IdentityInfo, UserFields};

    fn effective(s: &StoredSettings) -> EffectiveSettings {
        let fields = UserFields {
            username: "a".into(),
            identity_info: IdentityInfo::default(),
            phone_config: Some(s.phone_config()),
            config: s.config(),
            security_profile_ids: vec![],
            routing_profile_id: String::new(),
            hierarchy_group_id: None,
            tags: Default::default(),
        };
        EffectiveSettings::of(&fields)
    }

    #[test]
    fn phone_config_acw_goes_to_every_channel() {
        let s = StoredSettings::created(
            Some(&PhoneConfig {
                phone_type: Some(PhoneType::SoftPhone),
                auto_accept: Some(true),
                after_contact_work_time_limit: Some(45),
                ..PhoneConfig::default()
            }),
            &UserConfig::default(),
        );
        assert!(Channel::ALL.iter().all(|c| s.channel(*c).acw_seconds == 45));
        assert!(s.channel(Channel::Voice).auto_accept);
        assert!(
            !s.channel(Channel::Chat).auto_accept,
            "auto-accept is VOICE's"
        );
    }

    #[test]
    fn both_views_agree() {
        let mut s = StoredSettings::default();
        s.apply_config(&UserConfig {
            after_contact_work: vec![AfterContactWorkConfig {
                channel: Channel::Voice,
                time_limit: 20,
                agent_first_callback_time_limit: Some(5),
            }],
            voice_enhancement: vec![VoiceEnhancementConfig {
                channel: Channel::Voice,
                mode: VoiceEnhancementMode::NoiseSuppression,
            }],
            ..UserConfig::default()
        });
        let view = effective(&s);
        assert_eq!(view.acw_text([Channel::Voice]), "20");
        assert_eq!(view.acw_text([Channel::Chat]), "0");
        assert_eq!(
            view.voice_enhancement,
            Some(VoiceEnhancementMode::NoiseSuppression)
        );
        assert_eq!(s.phone_config().after_contact_work_time_limit, Some(20));
    }

    #[test]
    fn a_phone_config_update_keeps_what_it_does_not_name() {
        let mut s = StoredSettings {
            persistent_connection: true,
            voice_enhancement: VoiceEnhancementMode::VoiceIsolation,
            ..StoredSettings::default()
        };
        s.apply_phone_config(&PhoneConfig {
            phone_type: Some(PhoneType::DeskPhone),
            desk_phone_number: Some("+12065550100".into()),
            ..PhoneConfig::default()
        });
        assert!(s.persistent_connection);
        assert_eq!(s.voice_enhancement, VoiceEnhancementMode::VoiceIsolation);
        assert_eq!(s.phone_type, PhoneType::DeskPhone);
    }

    #[test]
    fn stored_as_json_and_back() {
        let mut s = StoredSettings::default();
        s.channels[1].acw_seconds = 9;
        let text = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<StoredSettings>(&text).unwrap(), s);
    }
}
