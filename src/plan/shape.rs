//! The one well-formed CreateUser shape of a row's settings, and what the
//! row states about them.
//!
//! The service takes a user's phone settings in two forms that must not set
//! one setting twice: the legacy `PhoneConfig`, or the per-channel lists.
//! A row is sent as `PhoneConfig` when it needs nothing else — every console
//! template before audio enhancement maps onto it exactly — and in the
//! per-channel form, with no `PhoneConfig` at all, when it sets audio
//! enhancement to something other than none (voice enhancement has no
//! `PhoneConfig` member). Either way the user created is the user the
//! console creates from the row: phone type and number, auto-accept,
//! persistent connection and audio enhancement are the VOICE channel's, and
//! the template's ACW timeout is every channel's (as `PhoneConfig`'s is), so
//! the per-channel form lists it for VOICE, CHAT, TASK and EMAIL.
//!
//! A setting whose column the file lacks is not sent: the instance keeps
//! its default, and the comparison with an existing user skips it.

use crate::connect::{
    AfterContactWorkConfig, AutoAcceptConfig, Channel, EffectiveSettings,
    PersistentConnectionConfig, PhoneConfig, PhoneNumberConfig, UserConfig, VoiceEnhancementConfig,
};
use crate::user::{PhoneType, UserSpec, VoiceEnhancementMode};

/// The desk phone number a row sends: desk phones only.
fn desk_number(spec: &UserSpec) -> Option<String> {
    match spec.phone_type {
        PhoneType::DeskPhone => spec.phone_number.clone(),
        PhoneType::SoftPhone => None,
    }
}

fn acw_seconds(spec: &UserSpec) -> Option<i32> {
    spec.acw_timeout
        .map(|seconds| i32::try_from(seconds).unwrap_or(i32::MAX))
}

/// Whether the row needs the per-channel form.
pub fn needs_channel_form(spec: &UserSpec) -> bool {
    spec.audio_enhancement
        .is_some_and(|mode| mode != VoiceEnhancementMode::None)
}

/// The `PhoneConfig` and per-channel lists a CreateUser for this row carries.
pub fn request_settings(spec: &UserSpec) -> (Option<PhoneConfig>, UserConfig) {
    if !needs_channel_form(spec) {
        let phone = PhoneConfig {
            phone_type: Some(spec.phone_type),
            auto_accept: spec.auto_accept,
            after_contact_work_time_limit: acw_seconds(spec),
            desk_phone_number: desk_number(spec),
            persistent_connection: spec.persistent_connection,
        };
        return (Some(phone), UserConfig::default());
    }
    let voice = Channel::Voice;
    let config = UserConfig {
        auto_accept: spec
            .auto_accept
            .map(|auto_accept| AutoAcceptConfig {
                channel: voice,
                auto_accept,
                agent_first_callback_auto_accept: None,
            })
            .into_iter()
            .collect(),
        after_contact_work: match acw_seconds(spec) {
            Some(seconds) => Channel::ALL
                .into_iter()
                .map(|channel| AfterContactWorkConfig {
                    channel,
                    time_limit: seconds,
                    agent_first_callback_time_limit: None,
                })
                .collect(),
            None => Vec::new(),
        },
        phone_number: vec![PhoneNumberConfig {
            channel: voice,
            phone_type: spec.phone_type,
            phone_number: desk_number(spec),
        }],
        persistent_connection: spec
            .persistent_connection
            .map(|persistent_connection| PersistentConnectionConfig {
                channel: voice,
                persistent_connection,
            })
            .into_iter()
            .collect(),
        voice_enhancement: spec
            .audio_enhancement
            .map(|mode| VoiceEnhancementConfig {
                channel: voice,
                mode,
            })
            .into_iter()
            .collect(),
    };
    (None, config)
}

/// What the row states about the settings: every column it has, including
/// an explicit `none` for audio enhancement that the request leaves out.
pub fn stated_settings(spec: &UserSpec) -> EffectiveSettings {
    EffectiveSettings {
        phone_type: Some(spec.phone_type),
        desk_phone_number: desk_number(spec),
        voice_auto_accept: spec.auto_accept,
        after_contact_work: acw_seconds(spec)
            .map(|seconds| Channel::ALL.into_iter().map(|c| (c, seconds)).collect())
            .unwrap_or_default(),
        persistent_connection: spec.persistent_connection,
        voice_enhancement: spec.audio_enhancement,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connect::UserFields;

    fn spec() -> UserSpec {
        UserSpec {
            line: 2,
            login: "a.lee".into(),
            first_name: Some("Ann".into()),
            last_name: Some("Lee".into()),
            email: None,
            secondary_email: None,
            mobile: None,
            password: None,
            routing_profile: "RP".into(),
            security_profiles: vec!["Agent".into()],
            hierarchy: vec![],
            phone_type: PhoneType::SoftPhone,
            phone_number: None,
            auto_accept: Some(true),
            acw_timeout: Some(30),
            persistent_connection: Some(true),
            audio_enhancement: None,
            tags: Default::default(),
        }
    }

    fn fields(phone_config: Option<PhoneConfig>, config: UserConfig) -> UserFields {
        UserFields {
            username: "a.lee".into(),
            phone_config,
            config,
            ..UserFields::default()
        }
    }

    #[test]
    fn without_audio_enhancement_the_row_is_a_phone_config() {
        for audio in [None, Some(VoiceEnhancementMode::None)] {
            let mut s = spec();
            s.audio_enhancement = audio;
            let (phone, config) = request_settings(&s);
            let phone = phone.expect("PhoneConfig");
            assert_eq!(phone.phone_type, Some(PhoneType::SoftPhone));
            assert_eq!(phone.auto_accept, Some(true));
            assert_eq!(phone.after_contact_work_time_limit, Some(30));
            assert_eq!(phone.persistent_connection, Some(true));
            assert!(config.is_empty());
        }
    }

    #[test]
    fn audio_enhancement_moves_every_setting_to_its_channel_list() {
        let mut s = spec();
        s.audio_enhancement = Some(VoiceEnhancementMode::VoiceIsolation);
        let (phone, config) = request_settings(&s);
        assert_eq!(phone, None, "no setting is sent both ways");
        assert_eq!(config.auto_accept.len(), 1);
        assert_eq!(config.auto_accept[0].channel, Channel::Voice);
        let acw: Vec<(Channel, i32)> = config
            .after_contact_work
            .iter()
            .map(|c| (c.channel, c.time_limit))
            .collect();
        assert_eq!(
            acw,
            Channel::ALL.map(|c| (c, 30)),
            "the template's ACW is every channel's"
        );
        assert_eq!(config.phone_number.len(), 1);
        assert_eq!(config.persistent_connection.len(), 1);
        assert_eq!(
            config.voice_enhancement[0].mode,
            VoiceEnhancementMode::VoiceIsolation
        );
        // both forms state the same settings
        let mut legacy = spec();
        legacy.audio_enhancement = Some(VoiceEnhancementMode::None);
        let (legacy_phone, _) = request_settings(&legacy);
        let a = EffectiveSettings::of(&fields(None, config));
        let b = EffectiveSettings::of(&fields(legacy_phone, UserConfig::default()));
        assert_eq!(
            EffectiveSettings {
                voice_enhancement: None,
                ..a
            },
            b
        );
    }

    #[test]
    fn columns_the_file_lacks_are_not_sent() {
        let mut s = spec();
        s.auto_accept = None;
        s.acw_timeout = None;
        s.persistent_connection = None;
        let (phone, _) = request_settings(&s);
        let phone = phone.unwrap();
        assert_eq!(
            (
                phone.auto_accept,
                phone.after_contact_work_time_limit,
                phone.persistent_connection
            ),
            (None, None, None)
        );
        s.audio_enhancement = Some(VoiceEnhancementMode::NoiseSuppression);
        let (_, config) = request_settings(&s);
        assert!(config.auto_accept.is_empty() && config.after_contact_work.is_empty());
        assert!(config.persistent_connection.is_empty());
        let stated = stated_settings(&s);
        assert_eq!(stated.persistent_connection, None);
        assert!(stated.after_contact_work.is_empty());
    }
}
