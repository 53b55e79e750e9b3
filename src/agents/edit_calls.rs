//! The fewest calls that make a user's field changes: one per kind of
//! call, in a fixed order — UpdateUserRoutingProfile,
//! UpdateUserSecurityProfiles, UpdateUserHierarchy, UpdateUserIdentityInfo,
//! UpdateUserConfig, TagResource, UntagResource — each built from the
//! changes and the user as a current read shows it (what a call replaces
//! whole, it is given whole: the identity, and the callback settings of a
//! channel's auto-accept and ACW entries, are carried over as they are).

use std::collections::BTreeMap;

use super::fields::{Call, Field, FieldChange, Value};
use crate::connect::{
    AfterContactWorkConfig, AutoAcceptConfig, Channel, ExistingUser, PersistentConnectionConfig,
    PhoneNumberConfig, UserConfig, UserUpdate, VoiceEnhancementConfig,
};
use crate::identity::Identity;
use crate::user::PhoneType;

/// One call and the field changes it makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedCall {
    pub call: Call,
    pub update: UserUpdate,
    pub changes: Vec<FieldChange>,
}

/// The changes grouped by call, in call order.
pub fn by_call(changes: &[FieldChange]) -> BTreeMap<Call, Vec<FieldChange>> {
    let mut calls: BTreeMap<Call, Vec<FieldChange>> = BTreeMap::new();
    for change in changes {
        calls
            .entry(change.field.call(&change.after))
            .or_default()
            .push(change.clone());
    }
    calls
}

/// The operations the changes take, in call order.
pub fn operations(changes: &[FieldChange]) -> Vec<&'static str> {
    by_call(changes)
        .keys()
        .map(|call| call.operation())
        .collect()
}

/// The calls that make `changes` to `user` (as a current read shows it),
/// on an instance of this identity type.
pub fn calls(changes: &[FieldChange], user: &ExistingUser, identity: Identity) -> Vec<PlannedCall> {
    by_call(changes)
        .into_iter()
        .map(|(call, changes)| PlannedCall {
            call,
            update: update(call, &changes, user, identity),
            changes,
        })
        .collect()
}

fn update(
    call: Call,
    changes: &[FieldChange],
    user: &ExistingUser,
    identity: Identity,
) -> UserUpdate {
    let after = |field: &Field| {
        changes
            .iter()
            .find(|c| &c.field == field)
            .map(|c| c.after.clone())
    };
    match call {
        Call::RoutingProfile => match after(&Field::RoutingProfile) {
            Some(Value::Id(id)) => UserUpdate::RoutingProfile(id),
            other => unreachable!("a routing profile is an ID: {other:?}"),
        },
        Call::SecurityProfiles => match after(&Field::SecurityProfiles) {
            Some(Value::Ids(ids)) => UserUpdate::SecurityProfiles(ids.into_iter().collect()),
            other => unreachable!("security profiles are IDs: {other:?}"),
        },
        Call::Hierarchy => match after(&Field::Hierarchy) {
            Some(Value::Group(group)) => UserUpdate::Hierarchy(group),
            other => unreachable!("a hierarchy is a group: {other:?}"),
        },
        Call::IdentityInfo => {
            // The call replaces the identity: every member as read, with
            // the changed ones as wanted.
            let mut info = user.fields.identity_info.clone();
            for change in changes {
                let Value::Text(text) = &change.after else {
                    unreachable!("identity members are text")
                };
                let member = match change.field {
                    Field::FirstName => &mut info.first_name,
                    Field::LastName => &mut info.last_name,
                    Field::Email => &mut info.email,
                    Field::SecondaryEmail => &mut info.secondary_email,
                    Field::Mobile => &mut info.mobile,
                    _ => unreachable!("not an identity member"),
                };
                *member = text.clone().filter(|t| !t.is_empty());
            }
            match identity {
                // An e-mail address is an error on a SAML instance.
                Identity::Saml => info.email = None,
                // The directory manages names and e-mail.
                Identity::ExistingDirectory => {
                    (info.first_name, info.last_name, info.email) = (None, None, None)
                }
                Identity::ConnectManaged => {}
            }
            UserUpdate::IdentityInfo(info)
        }
        Call::Config => UserUpdate::Config(config(changes, user)),
        Call::Tag => UserUpdate::Tag(
            changes
                .iter()
                .filter_map(|c| match (&c.field, &c.after) {
                    (Field::Tag(key), Value::Text(Some(value))) => {
                        Some((key.clone(), value.clone()))
                    }
                    _ => None,
                })
                .collect(),
        ),
        Call::Untag => UserUpdate::Untag(
            changes
                .iter()
                .filter_map(|c| match &c.field {
                    Field::Tag(key) => Some(key.clone()),
                    _ => None,
                })
                .collect(),
        ),
    }
}

/// The per-channel entries of the changed settings only.
fn config(changes: &[FieldChange], user: &ExistingUser) -> UserConfig {
    let current = &user.fields.config;
    let mut config = UserConfig::default();
    for change in changes {
        match (&change.field, &change.after) {
            (Field::Phone, Value::Phone(phone, number)) => {
                config.phone_number.push(PhoneNumberConfig {
                    channel: Channel::Voice,
                    phone_type: *phone,
                    phone_number: number.clone().filter(|_| *phone == PhoneType::DeskPhone),
                })
            }
            (Field::AutoAccept(channel), Value::On(on)) => {
                config.auto_accept.push(AutoAcceptConfig {
                    channel: *channel,
                    auto_accept: *on,
                    agent_first_callback_auto_accept: current
                        .auto_accept
                        .iter()
                        .find(|c| c.channel == *channel)
                        .and_then(|c| c.agent_first_callback_auto_accept),
                })
            }
            (Field::Acw(channel), Value::Seconds(seconds)) => {
                config.after_contact_work.push(AfterContactWorkConfig {
                    channel: *channel,
                    time_limit: *seconds,
                    agent_first_callback_time_limit: current
                        .after_contact_work
                        .iter()
                        .find(|c| c.channel == *channel)
                        .and_then(|c| c.agent_first_callback_time_limit),
                })
            }
            (Field::PersistentConnection, Value::On(on)) => {
                config
                    .persistent_connection
                    .push(PersistentConnectionConfig {
                        channel: Channel::Voice,
                        persistent_connection: *on,
                    })
            }
            (Field::AudioEnhancement, Value::Mode(mode)) => {
                config.voice_enhancement.push(VoiceEnhancementConfig {
                    channel: Channel::Voice,
                    mode: *mode,
                })
            }
            (field, value) => unreachable!("{field:?} is not set to {value:?} by UpdateUserConfig"),
        }
    }
    config
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connect::{IdentityInfo, UserFields};

    fn user() -> ExistingUser {
        let mut fields = UserFields {
            identity_info: IdentityInfo {
                first_name: Some("Ava".into()),
                last_name: Some("Brooks".into()),
                email: Some("ava@example.com".into()),
                mobile: Some("+12065550100".into()),
                ..IdentityInfo::default()
            },
            ..UserFields::default()
        };
        fields.config.after_contact_work = vec![AfterContactWorkConfig {
            channel: Channel::Voice,
            time_limit: 30,
            agent_first_callback_time_limit: Some(15),
        }];
        ExistingUser {
            id: "u".into(),
            arn: "arn:u".into(),
            fields,
            last_modified: None,
        }
    }

    fn change(field: Field, before: Value, after: Value) -> FieldChange {
        FieldChange {
            field,
            before,
            after,
        }
    }

    #[test]
    fn one_call_of_each_kind_in_order_with_what_it_replaces_carried_over() {
        let changes = vec![
            change(
                Field::Tag("old".into()),
                Value::Text(Some("x".into())),
                Value::Text(None),
            ),
            change(
                Field::Acw(Channel::Voice),
                Value::Seconds(30),
                Value::Seconds(60),
            ),
            change(
                Field::Mobile,
                Value::Text(Some("+12065550100".into())),
                Value::Text(None),
            ),
            change(
                Field::RoutingProfile,
                Value::Id("a".into()),
                Value::Id("b".into()),
            ),
            change(
                Field::PersistentConnection,
                Value::On(false),
                Value::On(true),
            ),
            change(
                Field::Tag("team".into()),
                Value::Text(None),
                Value::Text(Some("sales".into())),
            ),
        ];
        let calls = calls(&changes, &user(), Identity::ConnectManaged);
        let order: Vec<Call> = calls.iter().map(|c| c.call).collect();
        assert_eq!(
            order,
            [
                Call::RoutingProfile,
                Call::IdentityInfo,
                Call::Config,
                Call::Tag,
                Call::Untag
            ]
        );
        let UserUpdate::IdentityInfo(info) = &calls[1].update else {
            panic!()
        };
        assert_eq!(info.first_name.as_deref(), Some("Ava"), "kept as read");
        assert_eq!(info.email.as_deref(), Some("ava@example.com"));
        assert_eq!(info.mobile, None, "cleared");
        let UserUpdate::Config(config) = &calls[2].update else {
            panic!()
        };
        assert_eq!(config.after_contact_work[0].time_limit, 60);
        assert_eq!(
            config.after_contact_work[0].agent_first_callback_time_limit,
            Some(15),
            "the callback's ACW is kept"
        );
        assert_eq!(config.persistent_connection.len(), 1);
        assert!(config.auto_accept.is_empty() && config.phone_number.is_empty());
        assert_eq!(calls[2].changes.len(), 2);
        assert_eq!(calls[4].update, UserUpdate::Untag(vec!["old".to_string()]));
        assert_eq!(
            operations(&changes),
            [
                "UpdateUserRoutingProfile",
                "UpdateUserIdentityInfo",
                "UpdateUserConfig",
                "TagResource",
                "UntagResource"
            ]
        );
    }

    #[test]
    fn the_identity_sent_is_what_the_instance_type_takes() {
        let changes = [change(
            Field::FirstName,
            Value::Text(Some("Ava".into())),
            Value::Text(Some("Eva".into())),
        )];
        let saml = calls(&changes, &user(), Identity::Saml);
        let UserUpdate::IdentityInfo(info) = &saml[0].update else {
            panic!()
        };
        assert_eq!(info.first_name.as_deref(), Some("Eva"));
        assert_eq!(info.email, None, "never sent to a SAML instance");
    }
}
