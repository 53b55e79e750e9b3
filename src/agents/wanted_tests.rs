//! Deciding wanted fields against a user: each field named is a change,
//! already so, or left alone; nothing else of the user is spoken of.

use super::*;
use crate::connect::{AfterContactWorkConfig, IdentityInfo, PhoneConfig};

fn user() -> UserFields {
    let mut fields = UserFields {
        username: "ava".into(),
        identity_info: IdentityInfo {
            first_name: Some(" Ava".into()),
            last_name: Some("Brooks".into()),
            mobile: Some("+12065550100".into()),
            ..IdentityInfo::default()
        },
        phone_config: Some(PhoneConfig {
            phone_type: Some(PhoneType::SoftPhone),
            auto_accept: Some(true),
            after_contact_work_time_limit: Some(30),
            ..PhoneConfig::default()
        }),
        security_profile_ids: vec!["sp-agent".into(), "sp-qa".into()],
        routing_profile_id: "rp-sales".into(),
        hierarchy_group_id: Some("g-orca".into()),
        ..UserFields::default()
    };
    fields.tags.insert("team".into(), "sales".into());
    fields
        .tags
        .insert("aws:cloudformation:stack".into(), "x".into());
    fields.tags.insert("note".into(), "a|b".into());
    fields.config.after_contact_work = vec![AfterContactWorkConfig {
        channel: Channel::Chat,
        time_limit: 120,
        agent_first_callback_time_limit: None,
    }];
    fields
}

fn ids(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| n.to_string()).collect()
}

fn change(before: Value, after: Value) -> Decision<Transition> {
    Decision::Change(Transition { before, after })
}

#[test]
fn only_the_fields_named_are_decided() {
    let wanted = WantedFields {
        routing_profile: Some("rp-support".into()),
        ..WantedFields::default()
    };
    let decided = wanted.decide(&user());
    assert_eq!(decided.len(), 1);
    assert_eq!(
        decided[&Field::RoutingProfile],
        change(Value::Id("rp-sales".into()), Value::Id("rp-support".into()))
    );
    assert!(WantedFields::default().decide(&user()).is_empty());
    assert!(WantedFields::default().is_empty() && !wanted.is_empty());
}

#[test]
fn security_profiles_are_replaced_or_changed_from_the_users_own() {
    let add = WantedFields {
        security_profiles: Some(SecurityProfiles::Change {
            add: ids(&["sp-manager"]),
            remove: ids(&["sp-qa"]),
        }),
        ..WantedFields::default()
    };
    assert_eq!(
        add.decide(&user())[&Field::SecurityProfiles],
        change(
            Value::Ids(ids(&["sp-agent", "sp-qa"])),
            Value::Ids(ids(&["sp-agent", "sp-manager"]))
        )
    );
    let same = WantedFields {
        security_profiles: Some(SecurityProfiles::Exactly(ids(&["sp-qa", "sp-agent"]))),
        ..WantedFields::default()
    };
    assert_eq!(
        same.decide(&user())[&Field::SecurityProfiles],
        Decision::Unchanged,
        "order does not matter"
    );
    let none_left = WantedFields {
        security_profiles: Some(SecurityProfiles::Change {
            add: BTreeSet::new(),
            remove: ids(&["sp-agent", "sp-qa"]),
        }),
        ..WantedFields::default()
    };
    let decided = none_left.decide(&user());
    assert!(none_left
        .problem(&user(), &decided)
        .unwrap()
        .contains("without a security profile"));
}

#[test]
fn a_file_states_the_tags_a_cell_can_hold_and_leaves_the_others() {
    let file = WantedFields {
        tags: Tags {
            set: [("site".to_string(), "sea".to_string())].into(),
            remove: BTreeSet::new(),
            only_these: true,
        },
        ..WantedFields::default()
    };
    let decided = file.decide(&user());
    assert_eq!(
        decided.keys().cloned().collect::<Vec<_>>(),
        [Field::Tag("site".into()), Field::Tag("team".into())],
        "aws: keys and values with | are left alone"
    );
    assert_eq!(
        decided[&Field::Tag("team".into())],
        change(Value::Text(Some("sales".into())), Value::Text(None))
    );
    let flags = WantedFields {
        tags: Tags {
            set: [("team".to_string(), "sales".to_string())].into(),
            remove: ids(&["gone"]),
            only_these: false,
        },
        ..WantedFields::default()
    };
    let decided = flags.decide(&user());
    assert_eq!(decided[&Field::Tag("team".into())], Decision::Unchanged);
    assert_eq!(decided[&Field::Tag("gone".into())], Decision::Unchanged);
}

#[test]
fn names_are_compared_as_a_cell_reads_them_and_an_empty_cell_clears() {
    let wanted = WantedFields {
        identity: [
            (Field::FirstName, Some("Ava".to_string())),
            (Field::Mobile, None),
            (Field::SecondaryEmail, None),
        ]
        .into(),
        ..WantedFields::default()
    };
    let decided = wanted.decide(&user());
    assert_eq!(decided[&Field::FirstName], Decision::Unchanged);
    assert_eq!(decided[&Field::SecondaryEmail], Decision::Unchanged);
    assert_eq!(
        decided[&Field::Mobile],
        change(Value::Text(Some("+12065550100".into())), Value::Text(None))
    );
}

#[test]
fn per_channel_settings_and_the_legacy_acw() {
    let wanted = WantedFields {
        acw: Channel::ALL.into_iter().map(|c| (c, 30)).collect(),
        auto_accept: [(Channel::Voice, true), (Channel::Chat, true)].into(),
        ..WantedFields::default()
    };
    let decided = wanted.decide(&user());
    let changes: Vec<&Field> = decided
        .iter()
        .filter(|(_, d)| matches!(d, Decision::Change(_)))
        .map(|(f, _)| f)
        .collect();
    assert_eq!(
        changes,
        [
            &Field::AutoAccept(Channel::Chat),
            &Field::Acw(Channel::Chat)
        ],
        "VOICE auto-accept and the other channels' ACW are already so"
    );
}

#[test]
fn softphone_settings_on_a_desk_phone_are_skipped_included_or_ignored() {
    let mut desk = user();
    desk.phone_config = Some(PhoneConfig {
        phone_type: Some(PhoneType::DeskPhone),
        desk_phone_number: Some("+12065550100".into()),
        ..PhoneConfig::default()
    });
    let mut wanted = WantedFields {
        persistent_connection: Some(true),
        ..WantedFields::default()
    };
    let decided = wanted.decide(&desk);
    assert_eq!(
        decided[&Field::PersistentConnection],
        Decision::Skipped(DESK_PHONE.into())
    );
    wanted.desk_phones = DeskPhones::Include;
    assert!(matches!(
        wanted.decide(&desk)[&Field::PersistentConnection],
        Decision::Change(_)
    ));
    wanted.desk_phones = DeskPhones::Ignore;
    assert!(wanted.decide(&desk).is_empty());
    // Made a softphone in the same change: the setting applies.
    wanted.desk_phones = DeskPhones::Skip;
    wanted.phone = Some((PhoneType::SoftPhone, None));
    let decided = wanted.decide(&desk);
    assert!(matches!(
        decided[&Field::PersistentConnection],
        Decision::Change(_)
    ));
    assert_eq!(
        decided[&Field::Phone],
        change(
            Value::Phone(PhoneType::DeskPhone, Some("+12065550100".into())),
            Value::Phone(PhoneType::SoftPhone, None)
        )
    );
}

#[test]
fn the_hierarchy_is_set_or_cleared() {
    let clear = WantedFields {
        hierarchy: Some(None),
        ..WantedFields::default()
    };
    assert_eq!(
        clear.decide(&user())[&Field::Hierarchy],
        change(Value::Group(Some("g-orca".into())), Value::Group(None))
    );
    let mut none = user();
    none.hierarchy_group_id = None;
    assert_eq!(clear.decide(&none)[&Field::Hierarchy], Decision::Unchanged);
}

#[test]
fn a_template_cell_holds_plain_tags_only() {
    assert!(template_holds("team", "sales"));
    assert!(!template_holds("AWS:x", "y"));
    assert!(!template_holds("a|b", "y"));
    assert!(!template_holds("a", " y"));
    assert!(!template_holds("a", ""));
}
