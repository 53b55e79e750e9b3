//! The service's rules for a user's phone and per-channel settings, as pure
//! checks: the `PhoneConfig` members, the per-channel lists (known channels,
//! VOICE-only lists, agent-first callbacks on VOICE, ACW limits, a desk
//! phone's number), and the CreateUser reference's conflicts between the
//! two forms. Each returns the message the service's exception would carry.

use std::collections::BTreeSet;

use crate::connect::{Channel, PhoneConfig, UserConfig};
use crate::user::PhoneType;

use super::rules::is_e164;

/// Largest after-contact-work timeout, in seconds.
pub const MAX_ACW_SECONDS: i32 = 2_000_000;

/// `PhoneConfig`: a desk phone needs an E.164 number; ACW 0 to 2,000,000.
pub fn check_phone_config(phone: &PhoneConfig) -> Result<(), String> {
    if let Some(acw) = phone.after_contact_work_time_limit {
        check_acw("PhoneConfig", acw)?;
    }
    check_desk_phone(
        "PhoneConfig.DeskPhoneNumber",
        phone.phone_type.unwrap_or(PhoneType::SoftPhone),
        phone.desk_phone_number.as_deref(),
    )
}

/// The CreateUser reference's conflicts: a `PhoneConfig` member and the
/// per-channel list for the same setting cannot both be given
/// (InvalidRequestException: each member is valid, the combination is not).
pub fn check_settings_conflicts(
    phone: Option<&PhoneConfig>,
    config: &UserConfig,
) -> Result<(), String> {
    let Some(phone) = phone else { return Ok(()) };
    let conflicts = [
        (
            phone.auto_accept.is_some(),
            "PhoneConfig.AutoAccept",
            !config.auto_accept.is_empty(),
            "AutoAcceptConfigs",
        ),
        (
            phone.after_contact_work_time_limit.is_some(),
            "PhoneConfig.AfterContactWorkTimeLimit",
            !config.after_contact_work.is_empty(),
            "AfterContactWorkConfigs",
        ),
        (
            phone.phone_type.is_some() || phone.desk_phone_number.is_some(),
            match (
                phone.phone_type.is_some(),
                phone.desk_phone_number.is_some(),
            ) {
                (true, true) => "PhoneConfig.PhoneType and PhoneConfig.DeskPhoneNumber",
                (false, true) => "PhoneConfig.DeskPhoneNumber",
                _ => "PhoneConfig.PhoneType",
            },
            !config.phone_number.is_empty(),
            "PhoneNumberConfigs",
        ),
        (
            phone.persistent_connection.is_some(),
            "PhoneConfig.PersistentConnection",
            !config.persistent_connection.is_empty(),
            "PersistentConnectionConfigs",
        ),
    ];
    for (legacy, legacy_name, list, list_name) in conflicts {
        if legacy && list {
            return Err(format!(
                "{legacy_name} cannot be set together with {list_name}: give each setting in one form"
            ));
        }
    }
    Ok(())
}

/// The per-channel lists: known channels once per list, VOICE only where the
/// model says so, agent-first callbacks on VOICE only, ACW within limits, a
/// desk phone with its E.164 number.
pub fn check_config(config: &UserConfig) -> Result<(), String> {
    fn once<'a>(list: &str, channels: impl Iterator<Item = &'a Channel>) -> Result<(), String> {
        let mut seen = BTreeSet::new();
        for channel in channels {
            if !seen.insert(channel) {
                return Err(format!("{list} lists channel {channel} more than once"));
            }
        }
        Ok(())
    }
    fn voice_only<'a>(
        list: &str,
        channels: impl Iterator<Item = &'a Channel>,
    ) -> Result<(), String> {
        for channel in channels {
            if *channel != Channel::Voice {
                return Err(format!(
                    "{list} supports only the VOICE channel, got {channel}"
                ));
            }
        }
        Ok(())
    }
    once(
        "AutoAcceptConfigs",
        config.auto_accept.iter().map(|c| &c.channel),
    )?;
    once(
        "AfterContactWorkConfigs",
        config.after_contact_work.iter().map(|c| &c.channel),
    )?;
    once(
        "PhoneNumberConfigs",
        config.phone_number.iter().map(|c| &c.channel),
    )?;
    once(
        "PersistentConnectionConfigs",
        config.persistent_connection.iter().map(|c| &c.channel),
    )?;
    once(
        "VoiceEnhancementConfigs",
        config.voice_enhancement.iter().map(|c| &c.channel),
    )?;
    voice_only(
        "PhoneNumberConfigs",
        config.phone_number.iter().map(|c| &c.channel),
    )?;
    voice_only(
        "PersistentConnectionConfigs",
        config.persistent_connection.iter().map(|c| &c.channel),
    )?;
    voice_only(
        "VoiceEnhancementConfigs",
        config.voice_enhancement.iter().map(|c| &c.channel),
    )?;
    for entry in &config.auto_accept {
        if entry.agent_first_callback_auto_accept.is_some() && entry.channel != Channel::Voice {
            return Err(format!(
                "AutoAcceptConfigs: AgentFirstCallbackAutoAccept applies to the VOICE channel only, got {}",
                entry.channel
            ));
        }
    }
    for entry in &config.after_contact_work {
        if entry.agent_first_callback_time_limit.is_some() && entry.channel != Channel::Voice {
            return Err(format!(
                "AfterContactWorkConfigs: AgentFirstCallbackAfterContactWorkConfig applies to the VOICE channel only, got {}",
                entry.channel
            ));
        }
        for seconds in
            std::iter::once(entry.time_limit).chain(entry.agent_first_callback_time_limit)
        {
            check_acw(
                &format!("AfterContactWorkConfigs ({})", entry.channel),
                seconds,
            )?;
        }
    }
    for entry in &config.phone_number {
        check_desk_phone(
            "PhoneNumberConfigs",
            entry.phone_type,
            entry.phone_number.as_deref(),
        )?;
    }
    Ok(())
}

fn check_acw(member: &str, seconds: i32) -> Result<(), String> {
    if (0..=MAX_ACW_SECONDS).contains(&seconds) {
        Ok(())
    } else {
        Err(format!(
            "{member}: AfterContactWorkTimeLimit {seconds} must be 0 to {MAX_ACW_SECONDS} seconds"
        ))
    }
}

/// A desk phone needs an E.164 number; any number given must be one (an
/// empty one is none, as the service answers it).
fn check_desk_phone(
    member: &str,
    phone_type: PhoneType,
    number: Option<&str>,
) -> Result<(), String> {
    match (phone_type, number.filter(|n| !n.is_empty())) {
        (PhoneType::DeskPhone, None) => {
            Err(format!("{member}: a DESK_PHONE needs its phone number"))
        }
        (_, Some(n)) if !is_e164(n) => Err(format!(
            "{member}: the phone number '{n}' is not an E.164 number such as +12065550100"
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_config_limits() {
        let mut phone = PhoneConfig {
            after_contact_work_time_limit: Some(2_000_001),
            ..PhoneConfig::default()
        };
        assert!(check_phone_config(&phone).is_err());
        phone.after_contact_work_time_limit = Some(0);
        phone.phone_type = Some(PhoneType::DeskPhone);
        assert!(check_phone_config(&phone).is_err());
        phone.desk_phone_number = Some(String::new());
        assert!(
            check_phone_config(&phone).is_err(),
            "an empty number is none"
        );
        phone.desk_phone_number = Some("+12065550100".into());
        assert!(check_phone_config(&phone).is_ok());
    }

    #[test]
    fn channel_rules() {
        use crate::connect::{
            AfterContactWorkConfig, AutoAcceptConfig, PersistentConnectionConfig,
            VoiceEnhancementConfig,
        };
        use crate::user::VoiceEnhancementMode;
        let ok = UserConfig {
            auto_accept: vec![AutoAcceptConfig {
                channel: Channel::Chat,
                auto_accept: true,
                agent_first_callback_auto_accept: None,
            }],
            voice_enhancement: vec![VoiceEnhancementConfig {
                channel: Channel::Voice,
                mode: VoiceEnhancementMode::VoiceIsolation,
            }],
            ..UserConfig::default()
        };
        assert!(check_config(&ok).is_ok());
        let mut chat_persistent = ok.clone();
        chat_persistent.persistent_connection = vec![PersistentConnectionConfig {
            channel: Channel::Chat,
            persistent_connection: true,
        }];
        let err = check_config(&chat_persistent).unwrap_err();
        assert!(err.contains("only the VOICE channel"), "{err}");
        let mut twice = ok.clone();
        twice.auto_accept.push(twice.auto_accept[0].clone());
        assert!(check_config(&twice).unwrap_err().contains("more than once"));
        let mut long_acw = ok.clone();
        long_acw.after_contact_work = vec![AfterContactWorkConfig {
            channel: Channel::Task,
            time_limit: 2_000_001,
            agent_first_callback_time_limit: None,
        }];
        assert!(check_config(&long_acw).is_err());
        let mut callback = ok;
        callback.auto_accept[0].agent_first_callback_auto_accept = Some(true);
        assert!(
            check_config(&callback).is_err(),
            "agent-first callbacks are VOICE's"
        );
    }

    #[test]
    fn the_documented_conflicts() {
        use crate::connect::AutoAcceptConfig;
        let lists = UserConfig {
            auto_accept: vec![AutoAcceptConfig {
                channel: Channel::Voice,
                auto_accept: true,
                agent_first_callback_auto_accept: None,
            }],
            ..UserConfig::default()
        };
        let mut phone = PhoneConfig::default();
        assert!(check_settings_conflicts(Some(&phone), &lists).is_ok());
        assert!(check_settings_conflicts(None, &lists).is_ok());
        phone.auto_accept = Some(false);
        let err = check_settings_conflicts(Some(&phone), &lists).unwrap_err();
        assert!(err.contains("PhoneConfig.AutoAccept") && err.contains("AutoAcceptConfigs"));

        // the message names the PhoneConfig member(s) actually sent
        let numbers = UserConfig {
            phone_number: vec![crate::connect::PhoneNumberConfig {
                channel: Channel::Voice,
                phone_type: PhoneType::SoftPhone,
                phone_number: None,
            }],
            ..UserConfig::default()
        };
        let desk_only = PhoneConfig {
            desk_phone_number: Some("+12065550100".into()),
            ..PhoneConfig::default()
        };
        let err = check_settings_conflicts(Some(&desk_only), &numbers).unwrap_err();
        assert!(
            err.starts_with("PhoneConfig.DeskPhoneNumber cannot") && !err.contains("PhoneType"),
            "{err}"
        );
        let type_only = PhoneConfig {
            phone_type: Some(PhoneType::SoftPhone),
            ..PhoneConfig::default()
        };
        let err = check_settings_conflicts(Some(&type_only), &numbers).unwrap_err();
        assert!(
            err.starts_with("PhoneConfig.PhoneType cannot") && !err.contains("DeskPhoneNumber"),
            "{err}"
        );
        let both = PhoneConfig {
            phone_type: Some(PhoneType::DeskPhone),
            ..desk_only
        };
        let err = check_settings_conflicts(Some(&both), &numbers).unwrap_err();
        assert!(
            err.contains("PhoneConfig.PhoneType and PhoneConfig.DeskPhoneNumber"),
            "{err}"
        );
    }
}
