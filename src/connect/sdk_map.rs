//! The domain's user types to and from `aws-sdk-connect`'s: the phone
//! settings and the five per-channel lists, member for member.
//!
//! Requests are built as given: a `PhoneConfig` only when the user has one,
//! each list only when it has entries, so what the plan decided is what goes
//! on the wire. One quirk of the SDK shapes the answers: it reads an absent
//! `PhoneConfig.PhoneType` as `SOFT_PHONE` and absent booleans and numbers
//! as false and 0, which are also the service's defaults.

use aws_sdk_connect::types as sdk;

use super::types::*;
use crate::user::{PhoneType, VoiceEnhancementMode};

/// The user of a DescribeUser answer.
pub(crate) fn user_fields(user: &sdk::User) -> UserFields {
    let identity_info = user
        .identity_info()
        .map(|i| IdentityInfo {
            first_name: i.first_name().map(str::to_string),
            last_name: i.last_name().map(str::to_string),
            email: i.email().map(str::to_string),
            secondary_email: i.secondary_email().map(str::to_string),
            mobile: i.mobile().map(str::to_string),
        })
        .unwrap_or_default();
    UserFields {
        username: user.username().unwrap_or_default().to_string(),
        identity_info,
        phone_config: user.phone_config().map(|p| phone_answer(p, 1)),
        config: config_answer(Lists {
            auto_accept: user.auto_accept_configs(),
            after_contact_work: user.after_contact_work_configs(),
            phone_number: user.phone_number_configs(),
            persistent_connection: user.persistent_connection_configs(),
            voice_enhancement: user.voice_enhancement_configs(),
        }),
        security_profile_ids: user.security_profile_ids().to_vec(),
        routing_profile_id: user.routing_profile_id().unwrap_or_default().to_string(),
        hierarchy_group_id: user.hierarchy_group_id().map(str::to_string),
        tags: tags(user.tags()),
    }
}

/// The user of a SearchUsers answer: its `IdentityInfo` has only the
/// names, and its `PhoneConfig.AfterContactWorkTimeLimit` is in
/// milliseconds (the operation's documentation says so; the per-channel
/// `AfterContactWorkConfigs` are the same shape as DescribeUser's).
pub(crate) fn searched_fields(user: &sdk::UserSearchSummary) -> UserFields {
    let identity_info = user
        .identity_info()
        .map(|i| IdentityInfo {
            first_name: i.first_name().map(str::to_string),
            last_name: i.last_name().map(str::to_string),
            ..IdentityInfo::default()
        })
        .unwrap_or_default();
    UserFields {
        username: user.username().unwrap_or_default().to_string(),
        identity_info,
        phone_config: user.phone_config().map(|p| phone_answer(p, 1000)),
        config: config_answer(Lists {
            auto_accept: user.auto_accept_configs(),
            after_contact_work: user.after_contact_work_configs(),
            phone_number: user.phone_number_configs(),
            persistent_connection: user.persistent_connection_configs(),
            voice_enhancement: user.voice_enhancement_configs(),
        }),
        security_profile_ids: user.security_profile_ids().to_vec(),
        routing_profile_id: user.routing_profile_id().unwrap_or_default().to_string(),
        hierarchy_group_id: user.hierarchy_group_id().map(str::to_string),
        tags: tags(user.tags()),
    }
}

/// An answer's `PhoneConfig`; `acw_unit` is how many of the answer's ACW
/// units make a second (1000 for SearchUsers' milliseconds).
fn phone_answer(p: &sdk::UserPhoneConfig, acw_unit: i32) -> PhoneConfig {
    let acw = p.after_contact_work_time_limit();
    PhoneConfig {
        phone_type: Some(phone_type(p.phone_type())),
        auto_accept: Some(p.auto_accept()),
        // Rounded to the nearest second.
        after_contact_work_time_limit: Some((acw + acw_unit / 2).div_euclid(acw_unit)),
        // The service answers "" for a user without a desk phone number.
        desk_phone_number: p
            .desk_phone_number()
            .filter(|n| !n.is_empty())
            .map(str::to_string),
        persistent_connection: p.persistent_connection(),
    }
}

fn tags(
    tags: Option<&std::collections::HashMap<String, String>>,
) -> std::collections::BTreeMap<String, String> {
    tags.map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}

/// The per-channel lists of an answer, as the SDK gives them.
struct Lists<'a> {
    auto_accept: &'a [sdk::AutoAcceptConfig],
    after_contact_work: &'a [sdk::AfterContactWorkConfigPerChannel],
    phone_number: &'a [sdk::PhoneNumberConfig],
    persistent_connection: &'a [sdk::PersistentConnectionConfig],
    voice_enhancement: &'a [sdk::VoiceEnhancementConfig],
}

fn config_answer(lists: Lists<'_>) -> UserConfig {
    UserConfig {
        auto_accept: lists
            .auto_accept
            .iter()
            .filter_map(|c| {
                Some(AutoAcceptConfig {
                    channel: channel(c.channel())?,
                    auto_accept: c.auto_accept(),
                    agent_first_callback_auto_accept: c.agent_first_callback_auto_accept(),
                })
            })
            .collect(),
        after_contact_work: lists
            .after_contact_work
            .iter()
            .filter_map(|c| {
                Some(AfterContactWorkConfig {
                    channel: channel(c.channel())?,
                    time_limit: c
                        .after_contact_work_config()
                        .map_or(0, |a| a.after_contact_work_time_limit()),
                    agent_first_callback_time_limit: c
                        .agent_first_callback_after_contact_work_config()
                        .map(|a| a.after_contact_work_time_limit()),
                })
            })
            .collect(),
        phone_number: lists
            .phone_number
            .iter()
            .filter_map(|c| {
                Some(PhoneNumberConfig {
                    channel: channel(c.channel())?,
                    phone_type: phone_type(c.phone_type()),
                    phone_number: c
                        .phone_number()
                        .filter(|n| !n.is_empty())
                        .map(str::to_string),
                })
            })
            .collect(),
        persistent_connection: lists
            .persistent_connection
            .iter()
            .filter_map(|c| {
                Some(PersistentConnectionConfig {
                    channel: channel(c.channel())?,
                    persistent_connection: c.persistent_connection(),
                })
            })
            .collect(),
        voice_enhancement: lists
            .voice_enhancement
            .iter()
            .filter_map(|c| {
                Some(VoiceEnhancementConfig {
                    channel: channel(c.channel())?,
                    mode: VoiceEnhancementMode::from_api_name(c.voice_enhancement_mode().as_str())?,
                })
            })
            .collect(),
    }
}

/// A `PhoneConfig` for a request, with exactly the members it holds.
pub(crate) fn phone_config(phone: &PhoneConfig) -> sdk::UserPhoneConfig {
    sdk::UserPhoneConfig::builder()
        .set_phone_type(phone.phone_type.map(|t| sdk::PhoneType::from(t.api_name())))
        .set_auto_accept(phone.auto_accept)
        .set_after_contact_work_time_limit(phone.after_contact_work_time_limit)
        .set_desk_phone_number(phone.desk_phone_number.clone())
        .set_persistent_connection(phone.persistent_connection)
        .build()
}

/// The per-channel lists of a request; `None` for an empty list, which is
/// then left out of the request.
pub(crate) struct ConfigLists {
    pub auto_accept: Option<Vec<sdk::AutoAcceptConfig>>,
    pub after_contact_work: Option<Vec<sdk::AfterContactWorkConfigPerChannel>>,
    pub phone_number: Option<Vec<sdk::PhoneNumberConfig>>,
    pub persistent_connection: Option<Vec<sdk::PersistentConnectionConfig>>,
    pub voice_enhancement: Option<Vec<sdk::VoiceEnhancementConfig>>,
}

pub(crate) fn config_lists(config: &UserConfig) -> Result<ConfigLists, ApiError> {
    fn list<T, S>(
        items: &[T],
        build: impl Fn(&T) -> Result<S, aws_sdk_connect::error::BuildError>,
    ) -> Result<Option<Vec<S>>, ApiError> {
        if items.is_empty() {
            return Ok(None);
        }
        items
            .iter()
            .map(|item| build(item).map_err(build_error))
            .collect::<Result<Vec<S>, ApiError>>()
            .map(Some)
    }
    Ok(ConfigLists {
        auto_accept: list(&config.auto_accept, |c| {
            sdk::AutoAcceptConfig::builder()
                .channel(sdk_channel(c.channel))
                .auto_accept(c.auto_accept)
                .set_agent_first_callback_auto_accept(c.agent_first_callback_auto_accept)
                .build()
        })?,
        after_contact_work: list(&config.after_contact_work, |c| {
            let limit = |seconds: i32| {
                sdk::AfterContactWorkConfig::builder()
                    .after_contact_work_time_limit(seconds)
                    .build()
            };
            sdk::AfterContactWorkConfigPerChannel::builder()
                .channel(sdk_channel(c.channel))
                .after_contact_work_config(limit(c.time_limit))
                .set_agent_first_callback_after_contact_work_config(
                    c.agent_first_callback_time_limit.map(limit),
                )
                .build()
        })?,
        phone_number: list(&config.phone_number, |c| {
            sdk::PhoneNumberConfig::builder()
                .channel(sdk_channel(c.channel))
                .phone_type(sdk::PhoneType::from(c.phone_type.api_name()))
                .set_phone_number(c.phone_number.clone())
                .build()
        })?,
        persistent_connection: list(&config.persistent_connection, |c| {
            sdk::PersistentConnectionConfig::builder()
                .channel(sdk_channel(c.channel))
                .persistent_connection(c.persistent_connection)
                .build()
        })?,
        voice_enhancement: list(&config.voice_enhancement, |c| {
            sdk::VoiceEnhancementConfig::builder()
                .channel(sdk_channel(c.channel))
                .voice_enhancement_mode(sdk::VoiceEnhancementMode::from(c.mode.api_name()))
                .build()
        })?,
    })
}

fn build_error(err: aws_sdk_connect::error::BuildError) -> ApiError {
    ApiError::new(
        ApiErrorKind::Other,
        "ClientError",
        format!("the request could not be built: {err}"),
    )
}

fn sdk_channel(channel: Channel) -> sdk::Channel {
    sdk::Channel::from(channel.api_name())
}

/// A channel this tool knows; entries of other channels are left out.
fn channel(channel: &sdk::Channel) -> Option<Channel> {
    Channel::from_api_name(channel.as_str())
}

fn phone_type(phone_type: &sdk::PhoneType) -> PhoneType {
    PhoneType::from_api_name(phone_type.as_str()).unwrap_or(PhoneType::SoftPhone)
}
