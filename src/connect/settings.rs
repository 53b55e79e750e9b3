//! A user's *effective settings*: what the phone and per-channel settings
//! amount to, whichever form carries them.
//!
//! The service keeps one set of per-channel settings and shows it two ways:
//! the legacy `PhoneConfig` and the per-channel lists. A request may use
//! either form (never both for one setting), and an answer may carry both.
//! [`EffectiveSettings::of`] reads each setting from its per-channel list
//! when the list has an entry, else from `PhoneConfig`, with the service's
//! meaning of the legacy members: `AfterContactWorkTimeLimit` is every
//! channel's ACW timeout; `AutoAccept`, `PhoneType`/`DeskPhoneNumber` and
//! `PersistentConnection` are the VOICE channel's. Compare, review and the
//! commands that change settings all go through this one view.

use std::collections::BTreeMap;

use super::types::{Channel, UserFields};
use crate::user::{PhoneType, VoiceEnhancementMode};

/// The settings a user's fields state; `None` (or a channel missing from
/// `after_contact_work`) where they state nothing. For a user read from the
/// instance, nothing stated means the service's default: softphone, no
/// number, auto-accept off, ACW 0 (no limit), persistent connection off,
/// voice enhancement `NONE` (see [`EffectiveSettings::with_defaults`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EffectiveSettings {
    pub phone_type: Option<PhoneType>,
    pub desk_phone_number: Option<String>,
    /// VOICE auto-accept.
    pub voice_auto_accept: Option<bool>,
    /// ACW timeout in seconds (0 = no limit), by channel.
    pub after_contact_work: BTreeMap<Channel, i32>,
    /// VOICE persistent connection.
    pub persistent_connection: Option<bool>,
    /// VOICE voice enhancement.
    pub voice_enhancement: Option<VoiceEnhancementMode>,
}

impl EffectiveSettings {
    /// The settings of a user's fields: each from its per-channel list when
    /// that has the channel's entry, else from `PhoneConfig`.
    pub fn of(fields: &UserFields) -> EffectiveSettings {
        let phone = fields.phone_config.clone().unwrap_or_default();
        let config = &fields.config;
        let voice_number = config
            .phone_number
            .iter()
            .find(|c| c.channel == Channel::Voice);
        let (phone_type, desk_phone_number) = match voice_number {
            Some(entry) => (Some(entry.phone_type), entry.phone_number.clone()),
            None => (phone.phone_type, phone.desk_phone_number.clone()),
        };
        let voice_auto_accept = config
            .auto_accept
            .iter()
            .find(|c| c.channel == Channel::Voice)
            .map(|c| c.auto_accept)
            .or(phone.auto_accept);
        let mut after_contact_work = BTreeMap::new();
        for channel in Channel::ALL {
            let listed = config
                .after_contact_work
                .iter()
                .find(|c| c.channel == channel)
                .map(|c| c.time_limit);
            if let Some(seconds) = listed.or(phone.after_contact_work_time_limit) {
                after_contact_work.insert(channel, seconds);
            }
        }
        let persistent_connection = config
            .persistent_connection
            .iter()
            .find(|c| c.channel == Channel::Voice)
            .map(|c| c.persistent_connection)
            .or(phone.persistent_connection);
        let voice_enhancement = config
            .voice_enhancement
            .iter()
            .find(|c| c.channel == Channel::Voice)
            .map(|c| c.mode);
        EffectiveSettings {
            phone_type,
            desk_phone_number: desk_phone_number.filter(|n| !n.is_empty()),
            voice_auto_accept,
            after_contact_work,
            persistent_connection,
            voice_enhancement,
        }
    }

    /// Every setting stated: the service's default where none is.
    pub fn with_defaults(mut self) -> EffectiveSettings {
        self.phone_type.get_or_insert(PhoneType::SoftPhone);
        self.voice_auto_accept.get_or_insert(false);
        for channel in Channel::ALL {
            self.after_contact_work.entry(channel).or_insert(0);
        }
        self.persistent_connection.get_or_insert(false);
        self.voice_enhancement
            .get_or_insert(VoiceEnhancementMode::None);
        self
    }

    /// The ACW timeout of `channels` as one text: `30` when they agree,
    /// `VOICE 30, CHAT 0, …` when they do not.
    pub fn acw_text(&self, channels: impl IntoIterator<Item = Channel>) -> String {
        let values: Vec<(Channel, String)> = channels
            .into_iter()
            .map(|c| {
                let text = self
                    .after_contact_work
                    .get(&c)
                    .map_or_else(|| "unset".to_string(), i32::to_string);
                (c, text)
            })
            .collect();
        match values.first() {
            Some((_, first)) if values.iter().all(|(_, v)| v == first) => first.clone(),
            _ => values
                .iter()
                .map(|(c, v)| format!("{c} {v}"))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connect::types::{
        AfterContactWorkConfig, PersistentConnectionConfig, PhoneConfig, PhoneNumberConfig,
        UserConfig, VoiceEnhancementConfig,
    };

    fn fields(phone: Option<PhoneConfig>, config: UserConfig) -> UserFields {
        UserFields {
            username: "a".into(),
            phone_config: phone,
            config,
            ..UserFields::default()
        }
    }

    #[test]
    fn legacy_acw_is_every_channel_and_the_rest_is_voice() {
        let phone = PhoneConfig {
            phone_type: Some(PhoneType::DeskPhone),
            auto_accept: Some(true),
            after_contact_work_time_limit: Some(45),
            desk_phone_number: Some("+12065550100".into()),
            persistent_connection: None,
        };
        let s = EffectiveSettings::of(&fields(Some(phone), UserConfig::default()));
        assert_eq!(s.phone_type, Some(PhoneType::DeskPhone));
        assert_eq!(s.desk_phone_number.as_deref(), Some("+12065550100"));
        assert_eq!(s.voice_auto_accept, Some(true));
        assert_eq!(s.after_contact_work.len(), 4);
        assert_eq!(s.acw_text(Channel::ALL), "45");
        assert_eq!(s.persistent_connection, None);
        assert_eq!(s.voice_enhancement, None);
        let s = s.with_defaults();
        assert_eq!(s.persistent_connection, Some(false));
        assert_eq!(s.voice_enhancement, Some(VoiceEnhancementMode::None));
    }

    #[test]
    fn per_channel_entries_win_over_phone_config() {
        let phone = PhoneConfig {
            phone_type: Some(PhoneType::SoftPhone),
            after_contact_work_time_limit: Some(30),
            desk_phone_number: Some(String::new()),
            persistent_connection: Some(false),
            ..PhoneConfig::default()
        };
        let config = UserConfig {
            after_contact_work: vec![AfterContactWorkConfig {
                channel: Channel::Chat,
                time_limit: 120,
                agent_first_callback_time_limit: None,
            }],
            phone_number: vec![PhoneNumberConfig {
                channel: Channel::Voice,
                phone_type: PhoneType::SoftPhone,
                phone_number: None,
            }],
            persistent_connection: vec![PersistentConnectionConfig {
                channel: Channel::Voice,
                persistent_connection: true,
            }],
            voice_enhancement: vec![VoiceEnhancementConfig {
                channel: Channel::Voice,
                mode: VoiceEnhancementMode::NoiseSuppression,
            }],
            ..UserConfig::default()
        };
        let s = EffectiveSettings::of(&fields(Some(phone), config));
        assert_eq!(s.persistent_connection, Some(true));
        assert_eq!(
            s.voice_enhancement,
            Some(VoiceEnhancementMode::NoiseSuppression)
        );
        assert_eq!(s.desk_phone_number, None, "an empty number is no number");
        assert_eq!(
            s.acw_text(Channel::ALL),
            "VOICE 30, CHAT 120, TASK 30, EMAIL 30"
        );
        assert_eq!(s.acw_text([Channel::Task, Channel::Email]), "30");
    }

    #[test]
    fn nothing_stated_is_nothing() {
        let s = EffectiveSettings::of(&fields(None, UserConfig::default()));
        assert_eq!(s, EffectiveSettings::default());
        assert_eq!(s.acw_text([Channel::Voice]), "unset");
    }
}
