//! The plan over hand-made snapshots: name resolution, hierarchy paths,
//! existing users.

use std::collections::BTreeMap;

use super::*;
use crate::connect::{ExistingUser, HierarchyGroup, InstanceInfo, NamedResource};
use crate::identity::Identity;
use crate::validate::{validate_bytes, ValidateOptions};

const HEADER: &str = "first name,last name,email address,user login,password,routing profile name,\
    security_profile_name_1|security_profile_name_2,user_hierarchy_1|user_hierarchy_2,phone type (soft/desk),\
    phone number,soft phone auto accept (yes/no),ACW timeout (seconds),persistent connection (yes/no)\n";

fn named(id: &str, name: &str) -> NamedResource {
    NamedResource {
        id: id.into(),
        arn: format!("arn:{id}"),
        name: name.into(),
    }
}

fn group(id: &str, path: &[(&str, &str)]) -> HierarchyGroup {
    let (_, name) = path.last().unwrap();
    HierarchyGroup {
        id: id.into(),
        name: name.to_string(),
        level_id: format!("level-{}", path.len()),
        path: path.iter().map(|(id, name)| named(id, name)).collect(),
    }
}

fn snapshot() -> Snapshot {
    let groups = [
        group("g-na", &[("g-na", "North America")]),
        group("g-sea", &[("g-na", "North America"), ("g-sea", "Seattle")]),
        group(
            "g-orca",
            &[
                ("g-na", "North America"),
                ("g-sea", "Seattle"),
                ("g-orca", "Team Orca"),
            ],
        ),
    ];
    Snapshot {
        instance: InstanceInfo {
            id: "i-1".into(),
            arn: "arn:i-1".into(),
            alias: Some("demo".into()),
            identity: Identity::ConnectManaged,
        },
        routing_profiles: vec![
            named("rp-basic", "Basic Routing Profile"),
            named("rp-sales", "Sales Inbound"),
        ],
        security_profiles: vec![named("sp-agent", "Agent"), named("sp-admin", "Admin")],
        hierarchy_groups: groups.iter().map(|g| named(&g.id, &g.name)).collect(),
        described_groups: groups.into_iter().map(|g| (g.id.clone(), g)).collect(),
        existing: BTreeMap::new(),
    }
}

fn check(rows: &str, snapshot: &Snapshot) -> (Validation, Plan) {
    let text = format!("{HEADER}{rows}");
    let mut validation = validate_bytes(
        "t.csv",
        text.as_bytes(),
        &ValidateOptions::new(Identity::ConnectManaged),
    );
    assert!(
        !validation.has_errors(),
        "offline: {:?}",
        validation.findings
    );
    let plan = plan(&mut validation, snapshot);
    (validation, plan)
}

#[test]
fn names_resolve_to_ids() {
    let (validation, plan) = check(
        "Ann,Lee,ann@example.com,ann.lee,Passw0rd!,Sales Inbound,Agent|Admin,North America|Seattle|Team Orca,soft,,yes,30,yes\n",
        &snapshot(),
    );
    assert!(validation.findings.is_empty(), "{:?}", validation.findings);
    let fields = &plan.creates[0].user.fields;
    assert_eq!(fields.routing_profile_id, "rp-sales");
    assert_eq!(fields.security_profile_ids, ["sp-agent", "sp-admin"]);
    assert_eq!(fields.hierarchy_group_id.as_deref(), Some("g-orca"));
    assert_eq!(
        fields.phone_config.as_ref().unwrap().persistent_connection,
        Some(true)
    );
    assert_eq!(validation.users[0].action, Some(Action::Create));
}

#[test]
fn a_path_may_end_above_the_lowest_level() {
    let (_, plan) = check(
        "Ann,Lee,ann@example.com,ann.lee,Passw0rd!,Sales Inbound,Agent,North America|Seattle,soft,,no,0,no\n",
        &snapshot(),
    );
    assert_eq!(
        plan.creates[0].user.fields.hierarchy_group_id.as_deref(),
        Some("g-sea")
    );
}

#[test]
fn misses_suggest_the_closest_names_and_respect_case() {
    let (validation, plan) = check(
        "Ann,Lee,ann@example.com,ann.lee,Passw0rd!,sales inbound,agent,Seattle|Team Orca,soft,,no,0,no\n",
        &snapshot(),
    );
    assert!(plan.creates.is_empty());
    let messages: Vec<&str> = validation
        .findings
        .iter()
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(
        messages[0].contains(r#"did you mean "Sales Inbound""#),
        "{messages:?}"
    );
    assert!(
        messages[1].contains(r#"did you mean "Agent""#),
        "{messages:?}"
    );
    assert!(
        messages[2].contains(r#"exists, but at "North America|Seattle|Team Orca""#),
        "{messages:?}"
    );
    assert!(validation.findings.iter().all(|f| f.line == Some(2)));
    assert_eq!(validation.users[0].action, None);
}

#[test]
fn an_unrelated_name_gets_no_suggestion() {
    let (validation, _) = check(
        "Ann,Lee,ann@example.com,ann.lee,Passw0rd!,Zzyzx,Agent,,soft,,no,0,no\n",
        &snapshot(),
    );
    let message = &validation.findings[0].message;
    assert!(!message.contains("did you mean"), "{message}");
    assert_eq!(
        validation.findings[0].column.as_deref(),
        Some(ROUTING_PROFILE)
    );
}

#[test]
fn existing_users_are_exists_when_identical_and_errors_when_not() {
    let mut snap = snapshot();
    let (_, first) = check(
        "Ann,Lee,ann@example.com,ann.lee,Passw0rd!,Sales Inbound,Agent,,soft,,no,0,no\n",
        &snap,
    );
    let fields = first.creates[0].user.fields.clone();
    snap.existing.insert(
        "ann.lee".into(),
        ExistingUser {
            last_modified: None,
            id: "u-ann".into(),
            arn: "arn:u-ann".into(),
            fields,
        },
    );
    let (validation, plan) = check(
        "Ann,Lee,ann@example.com,ANN.LEE,Passw0rd!,Sales Inbound,Agent,,soft,,no,0,no\n\
         Bo,Ek,bo@example.com,bo.ek,Passw0rd!,Sales Inbound,Agent,,soft,,no,0,no\n",
        &snap,
    );
    assert_eq!(plan.exists.len(), 1);
    assert_eq!(plan.exists[0].user.id, "u-ann");
    assert_eq!(plan.creates.len(), 1);
    assert_eq!(validation.users[0].action, Some(Action::Exists));

    let (validation, plan) = check(
        "Ann,Lee,ann@example.com,ann.lee,Passw0rd!,Basic Routing Profile,Agent,,desk,+12065550100,no,0,no\n",
        &snap,
    );
    assert!(plan.exists.is_empty() && plan.creates.is_empty());
    let finding = &validation.findings[0];
    assert_eq!(finding.code, "existing-user-differs");
    assert!(finding.message.contains(
        r#"routing profile name: "Sales Inbound" (instance) → "Basic Routing Profile" (file)"#
    ));
    assert!(finding
        .message
        .contains(r#"phone type (soft/desk): "soft" (instance) → "desk" (file)"#));
}

/// The newest guide's header: audio enhancement, no auto-accept or ACW.
const NEWEST: &str = "first name,last name,email address,user login,password,routing profile name,\
    security_profile_name_1|security_profile_name_2,phone type (soft/desk),phone number,\
    persistent connection (yes/no),audio enhancement\n";

fn check_newest(rows: &str, snapshot: &Snapshot) -> (Validation, Plan) {
    let text = format!("{NEWEST}{rows}");
    let mut validation = validate_bytes(
        "t.csv",
        text.as_bytes(),
        &ValidateOptions::new(Identity::ConnectManaged),
    );
    assert!(!validation.has_errors(), "{:?}", validation.findings);
    let plan = plan(&mut validation, snapshot);
    (validation, plan)
}

#[test]
fn an_existing_user_differing_only_in_audio_enhancement_is_an_error_naming_it() {
    let mut snap = snapshot();
    let (_, first) = check_newest(
        "Ann,Lee,ann@example.com,ann.lee,Passw0rd!,Sales Inbound,Agent,soft,,yes,isolate voice\n",
        &snap,
    );
    let fields = first.creates[0].user.fields.clone();
    assert!(fields.phone_config.is_none(), "the per-channel form");
    snap.existing.insert(
        "ann.lee".into(),
        ExistingUser {
            last_modified: None,
            id: "u-ann".into(),
            arn: "arn:u-ann".into(),
            fields,
        },
    );
    let (_, same) = check_newest(
        "Ann,Lee,ann@example.com,ann.lee,Passw0rd!,Sales Inbound,Agent,soft,,yes,Voice Isolation\n",
        &snap,
    );
    assert_eq!(same.exists.len(), 1);
    for (cell, file) in [("suppress noise", "suppress noise"), ("", "none")] {
        let (validation, plan) = check_newest(
            &format!(
                "Ann,Lee,ann@example.com,ann.lee,Passw0rd!,Sales Inbound,Agent,soft,,yes,{cell}\n"
            ),
            &snap,
        );
        assert!(plan.exists.is_empty() && plan.creates.is_empty());
        assert_eq!(validation.findings.len(), 1, "{:?}", validation.findings);
        let finding = &validation.findings[0];
        assert_eq!(finding.code, "existing-user-differs");
        assert!(
            finding.message.contains(&format!(
                r#"audio enhancement: "isolate voice" (instance) → "{file}" (file)"#
            )),
            "{}",
            finding.message
        );
    }
}

#[test]
fn a_file_without_settings_columns_is_not_compared_on_them() {
    // The instance's user has persistent connection on, auto-accept on, ACW 90.
    let mut snap = snapshot();
    let (_, first) = check(
        "Ann,Lee,ann@example.com,ann.lee,Passw0rd!,Sales Inbound,Agent,,soft,,yes,90,yes\n",
        &snap,
    );
    snap.existing.insert(
        "ann.lee".into(),
        ExistingUser {
            last_modified: None,
            id: "u-ann".into(),
            arn: "arn:u-ann".into(),
            fields: first.creates[0].user.fields.clone(),
        },
    );
    // A backup export: an older header without those columns.
    let older = "first name,last name,email address,user login,password,routing profile name,\
        security_profile_name_1|security_profile_name_2,phone type (soft/desk),phone number\n\
        Ann,Lee,ann@example.com,ann.lee,Passw0rd!,Sales Inbound,Agent,soft,\n";
    let mut validation = validate_bytes(
        "t.csv",
        older.as_bytes(),
        &ValidateOptions::new(Identity::ConnectManaged),
    );
    let plan = plan(&mut validation, &snap);
    assert_eq!(plan.exists.len(), 1, "{:?}", validation.findings);
    // The same columns present but empty mean their defaults, and differ.
    let (validation, plan) = check(
        "Ann,Lee,ann@example.com,ann.lee,Passw0rd!,Sales Inbound,Agent,,soft,,,,\n",
        &snap,
    );
    assert!(plan.exists.is_empty());
    let message = &validation.findings[0].message;
    for column in [
        "soft phone auto accept (yes/no)",
        "ACW timeout (seconds)",
        "persistent connection (yes/no)",
    ] {
        assert!(message.contains(column), "{column}: {message}");
    }
}

#[test]
fn an_unknown_name_with_none_close_lists_the_instances_names() {
    let few: Vec<NamedResource> = ["Sales Inbound", "Basic Routing Profile"]
        .iter()
        .map(|n| named(n, n))
        .collect();
    assert_eq!(
        super::unknown_name("routing profile", "Nope", &few),
        "no routing profile is named \"Nope\" in this instance; it has \"Basic Routing Profile\", \
         \"Sales Inbound\"; names are case-sensitive"
    );
    // A close name is suggested instead.
    assert!(
        super::unknown_name("routing profile", "sales inbound", &few)
            .contains("did you mean \"Sales Inbound\"?")
    );
    // Many names: eight of them, and how many more.
    let many: Vec<NamedResource> = (0..12).map(|i| named("x", &format!("Q{i:02}"))).collect();
    assert!(super::unknown_name("queue", "Nope", &many).contains("\"Q07\" and 4 more;"));
}
