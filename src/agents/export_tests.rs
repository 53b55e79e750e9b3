//! The export's mapping: every cell as the validator reads it back, the
//! gaps named, and the bytes accepted by `import validate` as they are.

use std::collections::BTreeMap;

use super::*;
use crate::connect::{
    AfterContactWorkConfig, EffectiveSettings, ExistingUser, IdentityInfo, PhoneConfig, UserConfig,
    UserFields, VoiceEnhancementConfig,
};
use crate::user::UserSpec;

fn agent(login: &str) -> Agent {
    let fields = UserFields {
        username: login.into(),
        identity_info: IdentityInfo {
            first_name: Some("Ava".into()),
            last_name: Some("Brooks".into()),
            email: Some(format!("{login}@example.com")),
            secondary_email: Some("ava.brooks@example.org".into()),
            mobile: Some("+12065550100".into()),
        },
        phone_config: Some(PhoneConfig {
            phone_type: Some(PhoneType::SoftPhone),
            auto_accept: Some(true),
            after_contact_work_time_limit: Some(45),
            desk_phone_number: None,
            persistent_connection: Some(true),
        }),
        config: UserConfig::default(),
        security_profile_ids: vec!["sp-a".into(), "sp-q".into()],
        routing_profile_id: "rp".into(),
        hierarchy_group_id: Some("g".into()),
        tags: BTreeMap::from([
            ("team".to_string(), "sales".to_string()),
            ("site".to_string(), "Seattle, WA".to_string()),
        ]),
    };
    with_fields(fields)
}

fn with_fields(fields: UserFields) -> Agent {
    Agent {
        settings: EffectiveSettings::of(&fields).with_defaults(),
        user: ExistingUser {
            id: "id".into(),
            arn: "arn".into(),
            fields,
            last_modified: None,
        },
        routing_profile: "Sales Inbound".into(),
        security_profiles: vec!["Agent".into(), "QualityAnalyst".into()],
        hierarchy: vec!["North America".into(), "Seattle".into(), "Team Orca".into()],
    }
}

fn desk(mut agent: Agent) -> Agent {
    let phone = agent.user.fields.phone_config.as_mut().unwrap();
    phone.phone_type = Some(PhoneType::DeskPhone);
    phone.desk_phone_number = Some("+12065550301".into());
    phone.persistent_connection = Some(false);
    let fields = agent.user.fields.clone();
    Agent {
        settings: EffectiveSettings::of(&fields).with_defaults(),
        ..agent
    }
}

/// The file's users as `import validate` reads them, with its error codes.
fn read_back(export: &Export) -> (Vec<UserSpec>, Vec<String>) {
    let bytes = export.to_bytes().unwrap();
    let validation = check("export.csv", &bytes, export.identity);
    let errors = validation
        .findings
        .iter()
        .filter(|f| f.is_error())
        .map(|f| format!("{} {}", f.code, f.describe()))
        .collect();
    let specs = validation
        .users
        .iter()
        .filter_map(|u| validation.spec(u))
        .collect();
    (specs, errors)
}

#[test]
fn every_cell_is_written_as_the_template_reads_it() {
    let export = export(
        &[agent("ava.brooks")],
        Identity::ConnectManaged,
        Identity::ConnectManaged,
    );
    assert_eq!(
        export.columns,
        template::template_columns(Identity::ConnectManaged)
    );
    let cells: BTreeMap<&str, &str> = export
        .columns
        .iter()
        .map(|c| c.header())
        .zip(export.rows[0].iter().map(String::as_str))
        .collect();
    let expected = [
        ("first name", "Ava"),
        ("last name", "Brooks"),
        ("email address", "ava.brooks@example.com"),
        ("secondary email", "ava.brooks@example.org"),
        ("mobile", "+12065550100"),
        ("user login", "ava.brooks"),
        ("password", ""),
        ("routing profile name", "Sales Inbound"),
        (
            "security_profile_name_1|security_profile_name_2",
            "Agent|QualityAnalyst",
        ),
        (
            "user_hierarchy_1|user_hierarchy_2",
            "North America|Seattle|Team Orca",
        ),
        ("phone type (soft/desk)", "soft"),
        ("phone number", ""),
        ("soft phone auto accept (yes/no)", "yes"),
        ("ACW timeout (seconds)", "45"),
        ("persistent connection (yes/no)", "yes"),
        ("audio enhancement", "none"),
        ("tags", "site|Seattle, WA||team|sales"),
    ];
    assert_eq!(cells, BTreeMap::from(expected));
    assert!(export.losses.is_empty(), "{:?}", export.losses);

    let (specs, errors) = read_back(&export);
    assert!(errors.is_empty(), "{errors:?}");
    let spec = &specs[0];
    assert_eq!(spec.login, "ava.brooks");
    assert_eq!(
        spec.secondary_email.as_deref(),
        Some("ava.brooks@example.org")
    );
    assert_eq!(spec.hierarchy, ["North America", "Seattle", "Team Orca"]);
    assert_eq!(spec.security_profiles, ["Agent", "QualityAnalyst"]);
    assert_eq!(spec.acw_timeout, Some(45));
    assert_eq!(spec.auto_accept, Some(true));
    assert_eq!(spec.persistent_connection, Some(true));
    assert_eq!(spec.audio_enhancement, Some(VoiceEnhancementMode::None));
    assert_eq!(
        spec.tags.get("site").map(String::as_str),
        Some("Seattle, WA")
    );
    assert_eq!(spec.password, None);
}

#[test]
fn the_bytes_are_the_fetched_template_then_crlf_rows() {
    let export = export(
        &[agent("ava.brooks"), desk(agent("fay.gomez"))],
        Identity::ConnectManaged,
        Identity::ConnectManaged,
    );
    let bytes = export.to_bytes().unwrap();
    let template = template::template_bytes(Identity::ConnectManaged, true);
    assert!(bytes.starts_with(&template), "the header is the template's");
    let rows = String::from_utf8(bytes[template.len()..].to_vec()).unwrap();
    assert_eq!(
        rows,
        "Ava,Brooks,ava.brooks@example.com,ava.brooks@example.org,+12065550100,ava.brooks,,\
         Sales Inbound,Agent|QualityAnalyst,North America|Seattle|Team Orca,soft,,yes,45,yes,\
         none,\"site|Seattle, WA||team|sales\"\r\n\
         Ava,Brooks,fay.gomez@example.com,ava.brooks@example.org,+12065550100,fay.gomez,,\
         Sales Inbound,Agent|QualityAnalyst,North America|Seattle|Team Orca,desk,+12065550301,\
         yes,45,no,none,\"site|Seattle, WA||team|sales\"\r\n"
    );
}

#[test]
fn formula_like_cells_are_written_as_they_are() {
    let mut a = agent("ava.brooks");
    a.user.fields.identity_info.first_name = Some("=Ava".into());
    a.routing_profile = "+Sales".into();
    let export = export(&[a], Identity::ConnectManaged, Identity::ConnectManaged);
    assert_eq!(export.rows[0][0], "=Ava");
    assert_eq!(export.rows[0][7], "+Sales");
}

#[test]
fn acw_by_channel_writes_voice_and_names_the_user() {
    let mut fields = agent("ava.brooks").user.fields;
    fields
        .phone_config
        .as_mut()
        .unwrap()
        .after_contact_work_time_limit = None;
    fields.config.after_contact_work = Channel::ALL
        .into_iter()
        .map(|channel| AfterContactWorkConfig {
            channel,
            time_limit: if channel == Channel::Chat { 120 } else { 30 },
            agent_first_callback_time_limit: None,
        })
        .collect();
    let export = export(
        &[with_fields(fields), agent("ben.carter")],
        Identity::ConnectManaged,
        Identity::ConnectManaged,
    );
    let acw = template::template_columns(Identity::ConnectManaged)
        .iter()
        .position(|c| *c == Column::AcwTimeout)
        .unwrap();
    assert_eq!(export.rows[0][acw], "30");
    assert_eq!(
        export.losses,
        [Loss {
            kind: LossKind::AcwByChannel,
            template: Identity::ConnectManaged,
            users: vec!["ava.brooks (VOICE 30, CHAT 120, TASK 30, EMAIL 30)".into()],
        }]
    );
    let message = export.losses[0].to_string();
    assert!(message.contains("VOICE's is written"), "{message}");
    assert!(message.ends_with(": ava.brooks (VOICE 30, CHAT 120, TASK 30, EMAIL 30)"));
}

#[test]
fn softphone_settings_of_a_desk_phone_are_written_as_the_template_means_them() {
    let mut a = desk(agent("fay.gomez"));
    a.user
        .fields
        .phone_config
        .as_mut()
        .unwrap()
        .persistent_connection = Some(true);
    a.user.fields.config.voice_enhancement = vec![VoiceEnhancementConfig {
        channel: Channel::Voice,
        mode: VoiceEnhancementMode::NoiseSuppression,
    }];
    a.settings = EffectiveSettings::of(&a.user.fields).with_defaults();
    let export = export(&[a], Identity::ConnectManaged, Identity::ConnectManaged);
    let row = &export.rows[0];
    assert_eq!(
        row[10..16],
        ["desk", "+12065550301", "yes", "45", "no", "none"]
    );
    assert_eq!(export.losses.len(), 1);
    assert_eq!(export.losses[0].kind, LossKind::DeskPhoneSoftphoneSettings);
    assert_eq!(export.losses[0].users, ["fay.gomez"]);
    let (_, errors) = read_back(&export);
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn tags_the_cell_cannot_hold_are_left_out_and_named() {
    let mut a = agent("ava.brooks");
    a.user.fields.tags = BTreeMap::from([
        ("aws:cloudformation:stack-name".to_string(), "x".to_string()),
        ("path".to_string(), "a|b".to_string()),
        ("pad".to_string(), " x".to_string()),
        ("team".to_string(), "sales".to_string()),
        ("empty".to_string(), String::new()),
    ]);
    let export = export(&[a], Identity::ConnectManaged, Identity::ConnectManaged);
    assert_eq!(export.rows[0][16], "team|sales");
    assert_eq!(
        export.losses,
        [Loss {
            kind: LossKind::Tags,
            template: Identity::ConnectManaged,
            users: vec!["ava.brooks (aws:cloudformation:stack-name, empty, pad, path)".into()],
        }]
    );
    let (specs, errors) = read_back(&export);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(specs[0].tags.len(), 1, "{:?}", specs[0].tags);
}

#[test]
fn names_with_a_bar_are_flagged() {
    let mut a = agent("ava.brooks");
    a.security_profiles = vec!["Agent|Tier 1".into()];
    let export = export(&[a], Identity::ConnectManaged, Identity::ConnectManaged);
    assert_eq!(export.losses[0].kind, LossKind::NameWithBar);
}

#[test]
fn a_hierarchy_group_named_with_a_bar_is_one_level_and_flagged() {
    let named = |id: &str, name: &str| crate::connect::NamedResource {
        id: id.into(),
        arn: format!("arn-{id}"),
        name: name.into(),
    };
    let group = crate::connect::HierarchyGroup {
        id: "g".into(),
        name: "Team A|B".into(),
        level_id: "2".into(),
        path: vec![named("top", "North America"), named("g", "Team A|B")],
    };
    let directory = crate::agents::directory::Directory {
        routing_profiles: vec![named("rp", "Sales Inbound")],
        security_profiles: vec![named("sp-a", "Agent")],
        hierarchy_groups: Vec::new(),
        groups: BTreeMap::from([("g".to_string(), group)]),
    };
    let a = crate::agents::roster::agent(agent("ava.brooks").user, &directory);
    assert_eq!(a.hierarchy, ["North America", "Team A|B"]);
    let export = export(&[a], Identity::ConnectManaged, Identity::ConnectManaged);
    assert_eq!(export.losses[0].kind, LossKind::NameWithBar);
}

#[test]
fn another_identity_names_the_columns_it_lacks() {
    let agents = [agent("ava.brooks"), agent("ben.carter")];
    let export = export(&agents, Identity::ConnectManaged, Identity::Saml);
    assert_eq!(export.columns, template::template_columns(Identity::Saml));
    assert_eq!(
        export.losses,
        [Loss {
            kind: LossKind::Column(Column::Email),
            template: Identity::Saml,
            users: vec!["ava.brooks".into(), "ben.carter".into()],
        }]
    );
    assert_eq!(
        export.losses[0].to_string(),
        "`email address`: the saml template has no such column; not carried over for 2 users: \
         ava.brooks, ben.carter"
    );
    let (specs, errors) = read_back(&export);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(specs.len(), 2);

    // To a directory: the names, e-mails and mobile; named even when empty.
    let mut bare = agent("cora.diaz");
    bare.user.fields.identity_info.mobile = None;
    let export = super::export(
        &[bare],
        Identity::ConnectManaged,
        Identity::ExistingDirectory,
    );
    let kinds: Vec<String> = export.losses.iter().map(ToString::to_string).collect();
    assert_eq!(kinds.len(), 5, "{kinds:?}");
    assert!(
        kinds.contains(
            &"`mobile`: the existing-directory template has no such column (no selected user \
              has a value in it)"
                .to_string()
        ),
        "{kinds:?}"
    );
    let (_, errors) = read_back(&export);
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn many_users_are_counted_beyond_ten() {
    let loss = Loss {
        kind: LossKind::DeskPhoneSoftphoneSettings,
        template: Identity::ConnectManaged,
        users: (0..13).map(|i| format!("u{i}")).collect(),
    };
    let text = loss.to_string();
    assert!(
        text.starts_with("13 users with a desk phone have"),
        "{text}"
    );
    assert!(text.ends_with("u8, u9, … and 3 more"), "{text}");
}

#[test]
fn findings_name_the_login_of_their_row() {
    let mut a = agent("ava.brooks");
    a.user.fields.identity_info.first_name = Some("Ava\nMarie".into());
    let mut b = agent("ben.carter");
    b.user.fields.identity_info.secondary_email = Some("not-an-address".into());
    let export = export(&[a, b], Identity::ConnectManaged, Identity::ConnectManaged);
    let bytes = export.to_bytes().unwrap();
    let validation = check("export.csv", &bytes, Identity::ConnectManaged);
    let described: Vec<String> = validation
        .findings
        .iter()
        .filter(|f| f.is_error())
        .map(|f| export.describe(f))
        .collect();
    assert!(
        described
            .iter()
            .any(|d| d.starts_with("line 4 (ben.carter): secondary email: ")),
        "{described:?}"
    );
}

#[test]
fn an_export_that_would_not_validate_is_seen_by_check() {
    // A login too long for a connect-managed instance, from a SAML one.
    let mut a = agent("averyveryverylong.login@example.com");
    a.user.fields.username = "averyveryverylong.login@example.com".into();
    let export = export(&[a], Identity::Saml, Identity::ConnectManaged);
    let (_, errors) = read_back(&export);
    assert!(!errors.is_empty());
}

#[test]
fn names_import_reads_otherwise_are_written_as_they_are_and_named() {
    let mut spaced = agent("ava.brooks");
    spaced.user.fields.identity_info.first_name = Some(" Ava\t".into());
    let mut decomposed = agent("jose.diaz");
    decomposed.user.fields.identity_info.last_name = Some("Di\u{301}az".into());
    let export = export(
        &[spaced, decomposed, agent("kai.ito")],
        Identity::ConnectManaged,
        Identity::ConnectManaged,
    );
    // The cells hold the stored text; import reads it trimmed and in NFC.
    assert_eq!(export.rows[0][0], " Ava\t");
    assert_eq!(export.rows[1][1], "Di\u{301}az");
    let (specs, errors) = read_back(&export);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(specs[0].first_name.as_deref(), Some("Ava"));
    assert_eq!(specs[1].last_name.as_deref(), Some("D\u{ed}az"));
    let loss = export
        .losses
        .iter()
        .find(|l| l.kind == LossKind::NameReadOtherwise)
        .expect("named");
    assert_eq!(loss.users, ["ava.brooks", "jose.diaz"]);
    assert!(loss.to_string().contains("not in Unicode NFC"), "{loss}");
}
