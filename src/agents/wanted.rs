//! [`WantedFields`]: what a command wants the users it changes to hold —
//! the one model behind `agents set` (the same values for every selected
//! agent, from flags) and `agents edit` (each user's own, from a file).
//!
//! For each field it names, the wanted value; for security profiles and
//! tags, possibly a change of the user's own (add this profile, remove that
//! tag). [`WantedFields::decide`] compares them with a user, field by
//! field: a change, already so, or left alone (a softphone-only setting on
//! a desk phone). It is pure, and it is asked twice: by the plan, from
//! what the search showed, and again from a current read right before the
//! user's turn (see [`super::freshness`]).

use std::collections::{BTreeMap, BTreeSet};

use super::fields::{phone_value, value_of, Field, Transition, Value};
use super::freshness::Decision;
use crate::connect::{Channel, UserFields};
use crate::user::{PhoneType, VoiceEnhancementMode};
use crate::validate::as_read;

/// A user's security profiles, as wanted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecurityProfiles {
    /// Exactly these.
    Exactly(BTreeSet<String>),
    /// The user's own, with these added and those removed.
    Change {
        add: BTreeSet<String>,
        remove: BTreeSet<String>,
    },
}

/// A user's tags, as wanted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags {
    /// Added, or given this value.
    pub set: BTreeMap<String, String>,
    /// Removed.
    pub remove: BTreeSet<String>,
    /// The user's tags that a template's `tags` cell can hold are exactly
    /// `set`: any other of them is removed. The tags a cell cannot hold
    /// (`aws:` keys, `|` or surrounding spaces, empty values) are left alone.
    pub only_these: bool,
}

/// What becomes of persistent connection and audio enhancement, which only
/// affect softphones, for a user whose phone is (or is to be) a desk phone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DeskPhones {
    /// Left alone, and said so (`skipped`): `agents set`'s default.
    #[default]
    Skip,
    /// Changed like a softphone's (`--include-desk-phones`).
    Include,
    /// Not wanted at all: the template ignores these columns for a desk
    /// phone, so `agents edit` neither changes nor mentions them.
    Ignore,
}

/// Why a softphone-only setting is left alone on a desk phone.
pub const DESK_PHONE: &str = "desk phone: persistent connection and audio enhancement only \
     affect softphones (--include-desk-phones changes them too)";

/// The fields a command wants the users to hold; `None` or empty leaves a
/// field as the user has it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WantedFields {
    /// A routing profile ID.
    pub routing_profile: Option<String>,
    pub security_profiles: Option<SecurityProfiles>,
    /// A hierarchy group ID, or `Some(None)`: no group.
    pub hierarchy: Option<Option<String>>,
    /// First name, last name, e-mail addresses and mobile: the value of
    /// each field given (`None`: none).
    pub identity: BTreeMap<Field, Option<String>>,
    /// Phone type, and the desk phone's number.
    pub phone: Option<(PhoneType, Option<String>)>,
    pub auto_accept: BTreeMap<Channel, bool>,
    /// ACW timeout in seconds, by channel.
    pub acw: BTreeMap<Channel, i32>,
    pub persistent_connection: Option<bool>,
    pub audio_enhancement: Option<VoiceEnhancementMode>,
    pub tags: Tags,
    pub desk_phones: DeskPhones,
}

/// The decision for each field of one user.
pub type FieldDecisions = BTreeMap<Field, Decision<Transition>>;

/// At most this many security profiles and tags a user holds.
const MAX_SECURITY_PROFILES: usize = 10;
const MAX_TAGS: usize = 50;

impl WantedFields {
    /// Whether it names no field at all.
    pub fn is_empty(&self) -> bool {
        *self
            == WantedFields {
                desk_phones: self.desk_phones,
                ..WantedFields::default()
            }
    }

    /// Each field it names, decided for a user as `user` shows it: a
    /// change (from the user's value to the wanted one), already so, or
    /// left alone with a reason.
    pub fn decide(&self, user: &UserFields) -> FieldDecisions {
        let mut wanted: Vec<(Field, Value)> = Vec::new();
        if let Some(id) = &self.routing_profile {
            wanted.push((Field::RoutingProfile, Value::Id(id.clone())));
        }
        if let Some(profiles) = &self.security_profiles {
            let after = match profiles {
                SecurityProfiles::Exactly(ids) => ids.clone(),
                SecurityProfiles::Change { add, remove } => user
                    .security_profile_ids
                    .iter()
                    .chain(add)
                    .filter(|id| !remove.contains(*id))
                    .cloned()
                    .collect(),
            };
            wanted.push((Field::SecurityProfiles, Value::Ids(after)));
        }
        if let Some(group) = &self.hierarchy {
            wanted.push((Field::Hierarchy, Value::Group(group.clone())));
        }
        for (field, text) in &self.identity {
            wanted.push((field.clone(), Value::Text(text.clone())));
        }
        if let Some((phone, number)) = &self.phone {
            wanted.push((Field::Phone, phone_value(*phone, number.clone())));
        }
        for (channel, on) in &self.auto_accept {
            wanted.push((Field::AutoAccept(*channel), Value::On(*on)));
        }
        for (channel, seconds) in &self.acw {
            wanted.push((Field::Acw(*channel), Value::Seconds(*seconds)));
        }
        if let Some(on) = self.persistent_connection {
            wanted.push((Field::PersistentConnection, Value::On(on)));
        }
        if let Some(mode) = self.audio_enhancement {
            wanted.push((Field::AudioEnhancement, Value::Mode(mode)));
        }
        for (key, value) in self.wanted_tags(user) {
            wanted.push((Field::Tag(key), Value::Text(value)));
        }
        let desk = self.desk_after(user);
        wanted
            .into_iter()
            .filter(|(field, _)| {
                !(desk && field.softphone_only() && self.desk_phones == DeskPhones::Ignore)
            })
            .map(|(field, after)| {
                let before = value_of(&field, user);
                let decision = if same(&field, &before, &after) {
                    Decision::Unchanged
                } else if desk && field.softphone_only() && self.desk_phones == DeskPhones::Skip {
                    Decision::Skipped(DESK_PHONE.into())
                } else {
                    Decision::Change(Transition { before, after })
                };
                (field, decision)
            })
            .collect()
    }

    /// Whether the user's phone is a desk phone once the wanted phone is set.
    fn desk_after(&self, user: &UserFields) -> bool {
        let phone = match &self.phone {
            Some((phone, _)) => *phone,
            None => match value_of(&Field::Phone, user) {
                Value::Phone(phone, _) => phone,
                _ => PhoneType::SoftPhone,
            },
        };
        phone == PhoneType::DeskPhone
    }

    /// Each tag key the wanted tags speak of for this user, and its value
    /// (`None`: removed).
    fn wanted_tags(&self, user: &UserFields) -> Vec<(String, Option<String>)> {
        let tags = &self.tags;
        let mut wanted: BTreeMap<String, Option<String>> = BTreeMap::new();
        if tags.only_these {
            for (key, value) in &user.tags {
                if template_holds(key, value) {
                    wanted.insert(key.clone(), None);
                }
            }
        }
        for key in &tags.remove {
            wanted.insert(key.clone(), None);
        }
        for (key, value) in &tags.set {
            wanted.insert(key.clone(), Some(value.clone()));
        }
        wanted.into_iter().collect()
    }

    /// What a user would hold after the change that the service refuses:
    /// no security profile, more than ten, or more than fifty tags.
    pub fn problem(&self, user: &UserFields, decisions: &FieldDecisions) -> Option<String> {
        if let Some(Decision::Change(Transition {
            after: Value::Ids(ids),
            ..
        })) = decisions.get(&Field::SecurityProfiles)
        {
            if ids.is_empty() {
                return Some(
                    "would be left without a security profile (a user needs 1 to 10)".into(),
                );
            }
            if ids.len() > MAX_SECURITY_PROFILES {
                return Some(format!(
                    "would hold {} security profiles (at most {MAX_SECURITY_PROFILES})",
                    ids.len()
                ));
            }
        }
        let mut tags: BTreeSet<&String> = user.tags.keys().collect();
        for (field, decision) in decisions {
            if let (Field::Tag(key), Decision::Change(t)) = (field, decision) {
                match t.after {
                    Value::Text(None) => tags.remove(key),
                    _ => tags.insert(key),
                };
            }
        }
        (tags.len() > MAX_TAGS)
            .then(|| format!("would hold {} tags (at most {MAX_TAGS})", tags.len()))
    }
}

/// Whether the user's value is the wanted one. Names are compared as a
/// template's cell reads them (trimmed, NFC), as `import` compares them.
fn same(field: &Field, before: &Value, after: &Value) -> bool {
    match (field, before, after) {
        (
            Field::FirstName | Field::LastName,
            Value::Text(Some(stored)),
            Value::Text(Some(file)),
        ) => as_read(stored) == file.as_str(),
        (_, Value::Text(Some(stored)), Value::Text(None)) => stored.is_empty(),
        _ => before == after,
    }
}

/// Whether a template's `tags` cell can hold this tag (as `agents export`
/// writes one): not an `aws:` key, no `|` or surrounding spaces, a value.
pub fn template_holds(key: &str, value: &str) -> bool {
    let reserved = key
        .get(..4)
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case("aws:"));
    let writable = |s: &str| !s.contains('|') && s.trim() == s;
    !reserved && writable(key) && writable(value) && !value.is_empty()
}

/// Whether any field of the decisions calls for a change.
pub fn changes(decisions: &FieldDecisions) -> bool {
    decisions.values().any(|d| matches!(d, Decision::Change(_)))
}

#[cfg(test)]
#[path = "wanted_tests.rs"]
mod tests;
