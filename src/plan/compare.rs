//! Field-by-field comparison of a planned user with one on the instance.
//!
//! Used twice: when validation finds the login already taken (identical →
//! `exists`, different → an error, since the template path never edits an
//! existing user), and when a create answers DuplicateResourceException
//! (identical → an earlier attempt succeeded; different → the row fails).
//! Only what the file sets is compared: an optional column left empty says
//! nothing about the user, and a settings column the file lacks (an older
//! header without persistent connection, the newest guide's without
//! auto-accept and ACW) says nothing about that setting. A settings column
//! the file has, even with an empty cell, states its value (empty means the
//! default). Settings are compared as [`EffectiveSettings`], so it does not
//! matter whether the instance answers with `PhoneConfig`, the per-channel
//! lists or both. Passwords cannot be read back and are not compared.

use std::collections::{BTreeMap, BTreeSet};

use crate::connect::{EffectiveSettings, NamedResource, UserFields};
use crate::template::Column;
use crate::validate::as_read;

/// One field that differs: the template column, the instance's value and the file's.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldDiff {
    pub column: &'static str,
    pub instance: String,
    pub file: String,
}

impl std::fmt::Display for FieldDiff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {:?} (instance) → {:?} (file)",
            self.column, self.instance, self.file
        )
    }
}

/// Names for IDs, so differences read as the file reads.
#[derive(Debug, Clone, Default)]
pub struct Namer {
    names: BTreeMap<String, String>,
}

impl Namer {
    pub fn new<'a>(resources: impl IntoIterator<Item = &'a NamedResource>) -> Namer {
        Namer {
            names: resources
                .into_iter()
                .map(|r| (r.id.clone(), r.name.clone()))
                .collect(),
        }
    }

    /// Names an ID (or, for hierarchy groups, gives its path).
    pub fn insert(&mut self, id: &str, name: String) {
        self.names.insert(id.to_string(), name);
    }

    pub fn name(&self, id: &str) -> String {
        self.names
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }
}

/// The differences between what a CreateUser request would create and what
/// exists; the request's settings are the ones it sends.
#[cfg(test)]
pub fn compare(planned: &UserFields, actual: &UserFields, namer: &Namer) -> Vec<FieldDiff> {
    compare_stated(planned, &EffectiveSettings::of(planned), actual, namer)
}

/// The differences between a planned user, whose settings are `stated`, and
/// what exists.
pub fn compare_stated(
    planned: &UserFields,
    stated: &EffectiveSettings,
    actual: &UserFields,
    namer: &Namer,
) -> Vec<FieldDiff> {
    let mut diffs = Vec::new();
    let mut check = |column: Column, file: Option<String>, instance: Option<String>| {
        if let Some(file) = file {
            let instance = instance.unwrap_or_default();
            if file != instance {
                diffs.push(FieldDiff {
                    column: column.header(),
                    instance,
                    file,
                });
            }
        }
    };
    let (p, a) = (&planned.identity_info, &actual.identity_info);
    check(
        Column::FirstName,
        p.first_name.clone(),
        name_as_read(&p.first_name, &a.first_name),
    );
    check(
        Column::LastName,
        p.last_name.clone(),
        name_as_read(&p.last_name, &a.last_name),
    );
    check(Column::Email, p.email.clone(), a.email.clone());
    check(
        Column::SecondaryEmail,
        p.secondary_email.clone(),
        a.secondary_email.clone(),
    );
    check(Column::Mobile, p.mobile.clone(), a.mobile.clone());
    check(
        Column::RoutingProfile,
        Some(namer.name(&planned.routing_profile_id)),
        Some(namer.name(&actual.routing_profile_id)),
    );
    let profiles = |ids: &[String]| {
        let set: BTreeSet<String> = ids.iter().map(|id| namer.name(id)).collect();
        set.into_iter().collect::<Vec<_>>().join("|")
    };
    check(
        Column::SecurityProfiles,
        Some(profiles(&planned.security_profile_ids)),
        Some(profiles(&actual.security_profile_ids)),
    );
    check(
        Column::Hierarchy,
        planned
            .hierarchy_group_id
            .as_deref()
            .map(|id| namer.name(id)),
        actual
            .hierarchy_group_id
            .as_deref()
            .map(|id| namer.name(id)),
    );
    let have = EffectiveSettings::of(actual).with_defaults();
    check(
        Column::PhoneType,
        stated.phone_type.map(|t| t.template_name().into()),
        have.phone_type.map(|t| t.template_name().into()),
    );
    check(
        Column::PhoneNumber,
        stated.desk_phone_number.clone(),
        have.desk_phone_number.clone(),
    );
    check(
        Column::AutoAccept,
        stated.voice_auto_accept.map(yes_no),
        have.voice_auto_accept.map(yes_no),
    );
    if !stated.after_contact_work.is_empty() {
        let channels: Vec<_> = stated.after_contact_work.keys().copied().collect();
        check(
            Column::AcwTimeout,
            Some(stated.acw_text(channels.iter().copied())),
            Some(have.acw_text(channels)),
        );
    }
    check(
        Column::PersistentConnection,
        stated.persistent_connection.map(yes_no),
        have.persistent_connection.map(yes_no),
    );
    check(
        Column::AudioEnhancement,
        stated.voice_enhancement.map(|m| m.template_name().into()),
        have.voice_enhancement.map(|m| m.template_name().into()),
    );
    if !planned.tags.is_empty() {
        check(
            Column::Tags,
            Some(tags(&planned.tags)),
            Some(tags(&actual.tags)),
        );
    }
    diffs
}

/// The instance's name as the comparison sees it: the file's text when the
/// two are one name as the file's cells are read (trimmed, in NFC), else
/// as stored, so a difference shows the stored text. The instance may hold
/// ` Ann` or a decomposed `José` (created through the API or the console),
/// which an export writes as it is and the validator reads as `Ann` and
/// `José`: the backup still applies back to its source as `exists`.
fn name_as_read(file: &Option<String>, stored: &Option<String>) -> Option<String> {
    match (file, stored) {
        (Some(file), Some(stored)) if as_read(stored) == file.as_str() => Some(file.clone()),
        _ => stored.clone(),
    }
}

fn yes_no(value: bool) -> String {
    if value { "yes" } else { "no" }.to_string()
}

fn tags(tags: &BTreeMap<String, String>) -> String {
    tags.iter()
        .map(|(k, v)| format!("{k}|{v}"))
        .collect::<Vec<_>>()
        .join("||")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connect::{
        Channel, IdentityInfo, PersistentConnectionConfig, PhoneConfig, UserConfig,
        VoiceEnhancementConfig,
    };
    use crate::user::{PhoneType, VoiceEnhancementMode};

    fn fields() -> UserFields {
        UserFields {
            username: "aiko.sato".into(),
            identity_info: IdentityInfo {
                first_name: Some("Aiko".into()),
                last_name: Some("Sato".into()),
                email: Some("aiko@example.com".into()),
                ..Default::default()
            },
            phone_config: Some(PhoneConfig {
                phone_type: Some(PhoneType::SoftPhone),
                auto_accept: Some(true),
                after_contact_work_time_limit: Some(30),
                desk_phone_number: None,
                persistent_connection: Some(true),
            }),
            security_profile_ids: vec!["sp-agent".into(), "sp-qa".into()],
            routing_profile_id: "rp-basic".into(),
            ..UserFields::default()
        }
    }

    fn namer() -> Namer {
        let mut n = Namer::default();
        n.insert("rp-basic", "Basic Routing Profile".into());
        n.insert("rp-sales", "Sales Inbound".into());
        n.insert("sp-agent", "Agent".into());
        n.insert("sp-qa", "QualityAnalyst".into());
        n
    }

    fn phone(f: &mut UserFields) -> &mut PhoneConfig {
        f.phone_config.as_mut().unwrap()
    }

    #[test]
    fn stored_names_are_compared_as_the_file_reads_them() {
        let mut stored = fields();
        stored.identity_info.first_name = Some(" \tAiko\r".into());
        stored.identity_info.last_name = Some("Sato ".into());
        assert!(compare(&fields(), &stored, &namer()).is_empty());
        // A decomposed name (e + combining acute) is the NFC one.
        let mut file = fields();
        file.identity_info.first_name = Some("Jos\u{e9}".into());
        stored.identity_info.first_name = Some("Jose\u{301}".into());
        assert!(compare(&file, &stored, &namer()).is_empty());
        // Another name still differs, shown as stored.
        stored.identity_info.first_name = Some(" Aika".into());
        let diffs = compare(&file, &stored, &namer());
        assert_eq!(diffs.len(), 1);
        assert_eq!(diffs[0].instance, " Aika");
    }

    #[test]
    fn identical_users_have_no_differences() {
        let mut reordered = fields();
        reordered.security_profile_ids.reverse();
        assert!(compare(&fields(), &reordered, &namer()).is_empty());
    }

    #[test]
    fn differences_are_named_by_column_and_name() {
        let mut actual = fields();
        actual.routing_profile_id = "rp-sales".into();
        phone(&mut actual).persistent_connection = None;
        let diffs = compare(&fields(), &actual, &namer());
        assert_eq!(
            diffs,
            vec![
                FieldDiff {
                    column: "routing profile name",
                    instance: "Sales Inbound".into(),
                    file: "Basic Routing Profile".into()
                },
                FieldDiff {
                    column: "persistent connection (yes/no)",
                    instance: "no".into(),
                    file: "yes".into()
                },
            ]
        );
    }

    #[test]
    fn what_the_file_leaves_empty_is_not_compared() {
        let mut planned = fields();
        planned.identity_info.email = None;
        let mut actual = fields();
        actual.identity_info.email = Some("other@example.com".into());
        actual.hierarchy_group_id = Some("g1".into());
        actual.tags.insert("team".into(), "a".into());
        assert!(compare(&planned, &actual, &namer()).is_empty());
        planned.tags.insert("team".into(), "b".into());
        assert_eq!(compare(&planned, &actual, &namer()).len(), 1);
    }

    #[test]
    fn settings_the_file_lacks_are_not_compared() {
        // an older header: no persistent connection, auto-accept or ACW
        let mut planned = fields();
        *phone(&mut planned) = PhoneConfig {
            phone_type: Some(PhoneType::SoftPhone),
            ..PhoneConfig::default()
        };
        let mut actual = fields();
        *phone(&mut actual) = PhoneConfig {
            phone_type: Some(PhoneType::SoftPhone),
            auto_accept: Some(false),
            after_contact_work_time_limit: Some(90),
            desk_phone_number: None,
            persistent_connection: Some(true),
        };
        assert!(compare(&planned, &actual, &namer()).is_empty());
    }

    #[test]
    fn settings_are_read_from_whichever_form_the_instance_answers() {
        // the instance answers the per-channel lists only
        let mut actual = fields();
        actual.phone_config = None;
        actual.config = UserConfig {
            persistent_connection: vec![PersistentConnectionConfig {
                channel: Channel::Voice,
                persistent_connection: true,
            }],
            voice_enhancement: vec![VoiceEnhancementConfig {
                channel: Channel::Voice,
                mode: VoiceEnhancementMode::VoiceIsolation,
            }],
            ..UserConfig::default()
        };
        let planned = fields();
        let mut stated = EffectiveSettings::of(&planned);
        stated.after_contact_work.clear();
        stated.voice_auto_accept = None;
        assert!(compare_stated(&planned, &stated, &actual, &namer()).is_empty());
        // an explicit `none` in the file differs from VOICE_ISOLATION
        stated.voice_enhancement = Some(VoiceEnhancementMode::None);
        let diffs = compare_stated(&planned, &stated, &actual, &namer());
        assert_eq!(
            diffs,
            vec![FieldDiff {
                column: "audio enhancement",
                instance: "isolate voice".into(),
                file: "none".into()
            }]
        );
    }

    #[test]
    fn acw_differences_name_the_channels_that_disagree() {
        let planned = fields();
        let mut actual = fields();
        actual.config.after_contact_work = vec![crate::connect::AfterContactWorkConfig {
            channel: Channel::Chat,
            time_limit: 0,
            agent_first_callback_time_limit: None,
        }];
        let diffs = compare(&planned, &actual, &namer());
        assert_eq!(diffs.len(), 1, "{diffs:?}");
        assert_eq!(diffs[0].column, "ACW timeout (seconds)");
        assert_eq!(diffs[0].file, "30");
        assert_eq!(diffs[0].instance, "VOICE 30, CHAT 0, TASK 30, EMAIL 30");
    }
}
