//! The parts of an existing user that `agents set` and `agents edit`
//! change, one [`Field`] at a time: each field has a [`Value`] read from
//! the user (the service's default where the user states none), and a
//! change of it is a [`FieldChange`] from one value to another.
//!
//! Fields are finer than calls: UpdateUserConfig carries auto-accept and
//! ACW per channel, the phone, persistent connection and audio
//! enhancement; TagResource every tag it sets. The freshness rule and the
//! outcomes speak of fields, so that someone else's change to one of them
//! is kept while the others go ahead. Fields are ordered as their calls
//! are made.

use std::collections::{BTreeMap, BTreeSet};

use crate::connect::{Channel, EffectiveSettings, UserFields};
use crate::plan::compare::Namer;
use crate::user::{PhoneType, VoiceEnhancementMode};

/// One part of a user that can be changed on its own.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    RoutingProfile,
    SecurityProfiles,
    Hierarchy,
    FirstName,
    LastName,
    Email,
    SecondaryEmail,
    Mobile,
    /// Phone type and desk phone number (VOICE).
    Phone,
    AutoAccept(Channel),
    Acw(Channel),
    /// VOICE.
    PersistentConnection,
    /// VOICE voice enhancement.
    AudioEnhancement,
    /// One tag, by key.
    Tag(String),
}

/// The call that changes a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Call {
    RoutingProfile,
    SecurityProfiles,
    Hierarchy,
    IdentityInfo,
    Config,
    Tag,
    Untag,
}

impl Call {
    pub fn operation(self) -> &'static str {
        match self {
            Call::RoutingProfile => "UpdateUserRoutingProfile",
            Call::SecurityProfiles => "UpdateUserSecurityProfiles",
            Call::Hierarchy => "UpdateUserHierarchy",
            Call::IdentityInfo => "UpdateUserIdentityInfo",
            Call::Config => "UpdateUserConfig",
            Call::Tag => "TagResource",
            Call::Untag => "UntagResource",
        }
    }
}

/// A field's value, by ID where the instance names things.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A routing profile.
    Id(String),
    /// Security profiles.
    Ids(BTreeSet<String>),
    /// A hierarchy group, or none.
    Group(Option<String>),
    /// An identity member or a tag's value; `None` when there is none.
    Text(Option<String>),
    /// Phone type, and the desk phone's number.
    Phone(PhoneType, Option<String>),
    On(bool),
    Seconds(i32),
    Mode(VoiceEnhancementMode),
}

/// A field's change: its value before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub before: Value,
    pub after: Value,
}

/// One field and its change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: Field,
    pub before: Value,
    pub after: Value,
}

impl Field {
    /// The call that makes a change of this field to `after`.
    pub fn call(&self, after: &Value) -> Call {
        match self {
            Field::RoutingProfile => Call::RoutingProfile,
            Field::SecurityProfiles => Call::SecurityProfiles,
            Field::Hierarchy => Call::Hierarchy,
            Field::FirstName
            | Field::LastName
            | Field::Email
            | Field::SecondaryEmail
            | Field::Mobile => Call::IdentityInfo,
            Field::Phone
            | Field::AutoAccept(_)
            | Field::Acw(_)
            | Field::PersistentConnection
            | Field::AudioEnhancement => Call::Config,
            Field::Tag(_) if *after == Value::Text(None) => Call::Untag,
            Field::Tag(_) => Call::Tag,
        }
    }

    /// Whether the field only affects softphone audio.
    pub fn softphone_only(&self) -> bool {
        matches!(self, Field::PersistentConnection | Field::AudioEnhancement)
    }

    /// How messages name it: `routing profile`, `ACW timeout (CHAT)`, `tag team`.
    pub fn name(&self) -> String {
        match self {
            Field::RoutingProfile => "routing profile".into(),
            Field::SecurityProfiles => "security profiles".into(),
            Field::Hierarchy => "hierarchy".into(),
            Field::FirstName => "first name".into(),
            Field::LastName => "last name".into(),
            Field::Email => "email address".into(),
            Field::SecondaryEmail => "secondary email".into(),
            Field::Mobile => "mobile".into(),
            Field::Phone => "phone".into(),
            Field::AutoAccept(channel) => format!("auto-accept ({channel})"),
            Field::Acw(channel) => format!("ACW timeout ({channel})"),
            Field::PersistentConnection => "persistent connection".into(),
            Field::AudioEnhancement => "audio enhancement".into(),
            Field::Tag(key) => format!("tag {key}"),
        }
    }
}

/// The value of `field` the user holds now, the service's default where
/// it states none.
pub fn value_of(field: &Field, user: &UserFields) -> Value {
    let settings = || EffectiveSettings::of(user).with_defaults();
    let info = &user.identity_info;
    match field {
        Field::RoutingProfile => Value::Id(user.routing_profile_id.clone()),
        Field::SecurityProfiles => Value::Ids(user.security_profile_ids.iter().cloned().collect()),
        Field::Hierarchy => Value::Group(user.hierarchy_group_id.clone()),
        Field::FirstName => Value::Text(info.first_name.clone()),
        Field::LastName => Value::Text(info.last_name.clone()),
        Field::Email => Value::Text(info.email.clone()),
        Field::SecondaryEmail => Value::Text(info.secondary_email.clone()),
        Field::Mobile => Value::Text(info.mobile.clone()),
        Field::Phone => {
            let settings = settings();
            let phone = settings.phone_type.unwrap_or(PhoneType::SoftPhone);
            phone_value(phone, settings.desk_phone_number)
        }
        Field::AutoAccept(channel) => Value::On(auto_accept(user, *channel)),
        Field::Acw(channel) => Value::Seconds(
            settings()
                .after_contact_work
                .get(channel)
                .copied()
                .unwrap_or(0),
        ),
        Field::PersistentConnection => Value::On(settings().persistent_connection.unwrap_or(false)),
        Field::AudioEnhancement => Value::Mode(
            settings()
                .voice_enhancement
                .unwrap_or(VoiceEnhancementMode::None),
        ),
        Field::Tag(key) => Value::Text(user.tags.get(key).cloned()),
    }
}

/// A phone as a value: a softphone has no number.
pub fn phone_value(phone: PhoneType, number: Option<String>) -> Value {
    match phone {
        PhoneType::SoftPhone => Value::Phone(phone, None),
        PhoneType::DeskPhone => Value::Phone(phone, number.filter(|n| !n.is_empty())),
    }
}

/// A channel's auto-accept: its entry, else (VOICE) `PhoneConfig`'s, else off.
pub fn auto_accept(user: &UserFields, channel: Channel) -> bool {
    let listed = user
        .config
        .auto_accept
        .iter()
        .find(|c| c.channel == channel)
        .map(|c| c.auto_accept);
    let legacy = (channel == Channel::Voice)
        .then(|| user.phone_config.as_ref().and_then(|p| p.auto_accept))
        .flatten();
    listed.or(legacy).unwrap_or(false)
}

/// A value as people read it, names for IDs.
pub fn show(field: &Field, value: &Value, namer: &Namer) -> String {
    const NONE: &str = "(none)";
    match value {
        Value::Id(id) => namer.name(id),
        Value::Ids(ids) if ids.is_empty() => NONE.into(),
        Value::Ids(ids) => {
            let names: BTreeSet<String> = ids.iter().map(|id| namer.name(id)).collect();
            names.into_iter().collect::<Vec<_>>().join("|")
        }
        Value::Group(None) | Value::Text(None) => NONE.into(),
        Value::Group(Some(id)) => namer.name(id),
        Value::Text(Some(text)) if text.is_empty() => "(empty)".into(),
        Value::Text(Some(text)) => text.clone(),
        Value::Phone(phone, Some(number)) => format!("{} {number}", phone.template_name()),
        Value::Phone(phone, None) => phone.template_name().into(),
        Value::On(on) if matches!(field, Field::AutoAccept(_)) => {
            if *on { "yes" } else { "no" }.into()
        }
        Value::On(on) => if *on { "on" } else { "off" }.into(),
        Value::Seconds(seconds) => seconds.to_string(),
        Value::Mode(mode) => mode.template_name().into(),
    }
}

/// Changes as one text, in field order: `routing profile: Sales Inbound →
/// Support Tier 1; ACW timeout (every channel): 30 → 60`. The channels of
/// one setting that change alike are named together.
pub fn describe(changes: &[FieldChange], namer: &Namer) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut channels: BTreeMap<(u8, String, String), Vec<Channel>> = BTreeMap::new();
    let mut order: Vec<(u8, String, String)> = Vec::new();
    for change in changes {
        let (before, after) = (
            show(&change.field, &change.before, namer),
            show(&change.field, &change.after, namer),
        );
        let kind = match change.field {
            Field::AutoAccept(channel) => Some((0, channel)),
            Field::Acw(channel) => Some((1, channel)),
            _ => None,
        };
        match kind {
            Some((kind, channel)) => {
                let key = (kind, before, after);
                if !channels.contains_key(&key) {
                    order.push(key.clone());
                    // Keeps the text's order: this group is said here.
                    parts.push(String::new());
                }
                channels.entry(key).or_default().push(channel);
            }
            None => parts.push(format!("{}: {before} → {after}", change.field.name())),
        }
    }
    let mut groups = order.into_iter();
    parts
        .into_iter()
        .map(|part| {
            if !part.is_empty() {
                return part;
            }
            let key = groups.next().expect("a group for each placeholder");
            let listed = &channels[&key];
            let which = if listed.len() == Channel::ALL.len() {
                "every channel".to_string()
            } else {
                let names: Vec<&str> = listed.iter().map(|c| c.api_name()).collect();
                names.join(", ")
            };
            let setting = if key.0 == 0 {
                "auto-accept"
            } else {
                "ACW timeout"
            };
            format!("{setting} ({which}): {} → {}", key.1, key.2)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connect::{AfterContactWorkConfig, AutoAcceptConfig, PhoneConfig};

    fn namer() -> Namer {
        let mut namer = Namer::default();
        namer.insert("rp-1", "Sales Inbound".into());
        namer.insert("rp-2", "Support Tier 1".into());
        namer.insert("sp-a", "Agent".into());
        namer.insert("sp-q", "QualityAnalyst".into());
        namer
    }

    #[test]
    fn values_are_read_from_either_form_with_the_services_defaults() {
        let mut user = UserFields {
            phone_config: Some(PhoneConfig {
                auto_accept: Some(true),
                after_contact_work_time_limit: Some(30),
                ..PhoneConfig::default()
            }),
            ..UserFields::default()
        };
        user.config.auto_accept = vec![AutoAcceptConfig {
            channel: Channel::Chat,
            auto_accept: true,
            agent_first_callback_auto_accept: None,
        }];
        user.config.after_contact_work = vec![AfterContactWorkConfig {
            channel: Channel::Task,
            time_limit: 90,
            agent_first_callback_time_limit: None,
        }];
        let on = |c| value_of(&Field::AutoAccept(c), &user);
        assert_eq!(
            on(Channel::Voice),
            Value::On(true),
            "PhoneConfig is VOICE's"
        );
        assert_eq!(on(Channel::Chat), Value::On(true));
        assert_eq!(on(Channel::Email), Value::On(false));
        assert_eq!(
            value_of(&Field::Acw(Channel::Task), &user),
            Value::Seconds(90)
        );
        assert_eq!(
            value_of(&Field::Acw(Channel::Chat), &user),
            Value::Seconds(30)
        );
        assert_eq!(
            value_of(&Field::Phone, &user),
            Value::Phone(PhoneType::SoftPhone, None)
        );
        assert_eq!(
            value_of(&Field::PersistentConnection, &user),
            Value::On(false)
        );
        assert_eq!(value_of(&Field::Tag("x".into()), &user), Value::Text(None));
    }

    #[test]
    fn changes_read_as_names_and_channels_that_change_alike_go_together() {
        let change = |field, before, after| FieldChange {
            field,
            before,
            after,
        };
        let mut changes = vec![
            change(
                Field::RoutingProfile,
                Value::Id("rp-1".into()),
                Value::Id("rp-2".into()),
            ),
            change(
                Field::SecurityProfiles,
                Value::Ids(["sp-a".to_string()].into()),
                Value::Ids(["sp-a".to_string(), "sp-q".to_string()].into()),
            ),
        ];
        for channel in Channel::ALL {
            changes.push(change(
                Field::Acw(channel),
                Value::Seconds(30),
                Value::Seconds(60),
            ));
        }
        changes.push(change(
            Field::AutoAccept(Channel::Chat),
            Value::On(false),
            Value::On(true),
        ));
        changes.push(change(
            Field::Tag("team".into()),
            Value::Text(Some("sales".into())),
            Value::Text(None),
        ));
        assert_eq!(
            describe(&changes, &namer()),
            "routing profile: Sales Inbound → Support Tier 1; security profiles: Agent → \
             Agent|QualityAnalyst; ACW timeout (every channel): 30 → 60; auto-accept (CHAT): no → \
             yes; tag team: sales → (none)"
        );
        changes.truncate(3);
        assert_eq!(
            describe(&changes[2..], &namer()),
            "ACW timeout (VOICE): 30 → 60"
        );
    }

    #[test]
    fn each_field_has_its_call() {
        assert_eq!(Field::Tag("a".into()).call(&Value::Text(None)), Call::Untag);
        assert_eq!(
            Field::Tag("a".into()).call(&Value::Text(Some("b".into()))),
            Call::Tag
        );
        assert!(Field::RoutingProfile < Field::Phone && Field::Phone < Field::Tag(String::new()));
        assert!(Call::Config < Call::Tag);
    }
}
