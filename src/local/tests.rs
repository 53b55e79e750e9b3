//! Unit tests of the store, the service and the in-process API over an
//! in-memory or temporary database (no server).

use std::sync::Arc;

use crate::connect::{
    ApiErrorKind, ConnectApi, EffectiveSettings, IdentityInfo, NewUser, PhoneConfig, UserConfig,
    UserFields,
};
use crate::local::api::LocalApi;
use crate::local::db::NamedKind;
use crate::local::seed::Seed;
use crate::local::service::{Comparison, Service, UserField, UserFilter};
use crate::local::store::{SeedOutcome, Store};
use crate::secret::Secret;
use crate::user::PhoneType;

const DEMO: &str = "1f3c2b9a-5d4e-4c6b-9a7f-2e8d0c1b3a45";

fn demo_service() -> Service {
    let store = Arc::new(Store::open_in_memory().unwrap());
    assert_eq!(store.load_seed(&Seed::demo()).unwrap(), SeedOutcome::Loaded);
    Service::new(store)
}

fn id_named(svc: &Service, kind: NamedKind, name: &str) -> String {
    let page = svc.list_named(kind, DEMO, Some(1000), None).unwrap();
    page.items.into_iter().find(|r| r.name == name).unwrap().id
}

fn new_user(svc: &Service, username: &str) -> NewUser {
    NewUser {
        fields: UserFields {
            username: username.to_string(),
            identity_info: IdentityInfo {
                first_name: Some("Mia".into()),
                last_name: Some("Park".into()),
                ..Default::default()
            },
            phone_config: Some(PhoneConfig {
                phone_type: Some(PhoneType::SoftPhone),
                auto_accept: Some(true),
                after_contact_work_time_limit: Some(15),
                desk_phone_number: None,
                persistent_connection: Some(true),
            }),
            config: UserConfig::default(),
            security_profile_ids: vec![id_named(svc, NamedKind::SecurityProfile, "Agent")],
            routing_profile_id: id_named(svc, NamedKind::RoutingProfile, "Support Tier 1"),
            hierarchy_group_id: None,
            tags: [("site".to_string(), "seattle".to_string())].into(),
        },
        password: Some(Secret::new("Gr8Password")),
        directory_user_id: None,
    }
}

#[test]
fn seeding_is_idempotent_and_ids_are_stable() {
    let a = demo_service();
    let b = demo_service();
    assert_eq!(
        a.store().load_seed(&Seed::demo()).unwrap(),
        SeedOutcome::AlreadyPresent
    );
    assert_eq!(a.store().user_count(DEMO).unwrap(), 12);
    assert_eq!(
        id_named(&a, NamedKind::RoutingProfile, "Japan Support"),
        id_named(&b, NamedKind::RoutingProfile, "Japan Support")
    );
}

#[test]
fn seed_errors_name_the_user_and_the_missing_name() {
    let store = Store::open_in_memory().unwrap();
    let seed = Seed::from_toml(
        "id = \"i\"\nidentity = \"SAML\"\nrouting_profiles = [\"RP\"]\n[[users]]\nusername = \"a\"\nrouting_profile = \"Nope\"\nsecurity_profiles = []\n",
    )
    .unwrap();
    let err = format!("{:#}", store.load_seed(&seed).unwrap_err());
    assert!(err.contains("user 'a'") && err.contains("'Nope'"), "{err}");
    // nothing of the failed seed was kept
    assert!(store.instance_ids().unwrap().is_empty());
}

#[test]
fn create_describe_and_duplicate_ignoring_case() {
    let svc = demo_service();
    let user = new_user(&svc, "mia.park");
    let created = svc.create_user(DEMO, &user).unwrap();
    let described = svc.describe_user(DEMO, &created.id).unwrap();
    let fields = &described.user.fields;
    assert_eq!(fields.phone_config, user.fields.phone_config);
    assert_eq!(
        EffectiveSettings::of(fields),
        EffectiveSettings::of(&user.fields).with_defaults()
    );
    assert_eq!(
        UserFields {
            phone_config: None,
            config: UserConfig::default(),
            ..fields.clone()
        },
        UserFields {
            phone_config: None,
            ..user.fields.clone()
        }
    );
    assert_eq!(described.user.arn, created.arn);

    let err = svc
        .create_user(DEMO, &new_user(&svc, "MIA.PARK"))
        .unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::DuplicateResource);
    assert_eq!(err.code, "DuplicateResourceException");
    assert_eq!(svc.store().count_users_named(DEMO, "Mia.Park").unwrap(), 1);
}

#[test]
fn references_must_exist() {
    let svc = demo_service();
    let mut user = new_user(&svc, "ref.check");
    user.fields.hierarchy_group_id = Some("missing".into());
    assert_eq!(
        svc.create_user(DEMO, &user).unwrap_err().kind,
        ApiErrorKind::ResourceNotFound
    );
    user.fields.hierarchy_group_id = None;
    user.fields.security_profile_ids.push("missing".into());
    assert_eq!(
        svc.create_user(DEMO, &user).unwrap_err().kind,
        ApiErrorKind::ResourceNotFound
    );
    assert_eq!(
        svc.create_user("other", &user).unwrap_err().kind,
        ApiErrorKind::ResourceNotFound
    );
    assert_eq!(svc.store().user_count(DEMO).unwrap(), 12);
}

#[test]
fn invalid_fields_are_rejected_without_echoing_the_password() {
    let svc = demo_service();
    let mut user = new_user(&svc, "pw.check");
    user.password = Some(Secret::new("alllowercase1"));
    let err = svc.create_user(DEMO, &user).unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::InvalidParameter);
    assert!(!err.message.contains("alllowercase1"), "{}", err.message);
}

#[test]
fn search_filters() {
    let svc = demo_service();
    let cond = |field, comparison, value: &str| UserFilter::Condition {
        field,
        comparison,
        value: value.to_string(),
    };
    let count = |filter: &UserFilter| svc.search_users(DEMO, filter, Some(500), None).unwrap().1;
    assert_eq!(count(&UserFilter::All), 12);
    assert_eq!(
        count(&cond(UserField::Username, Comparison::Exact, "S.TANAKA")),
        1
    );
    assert_eq!(
        count(&cond(UserField::Username, Comparison::StartsWith, "s.")),
        1
    );
    // s.tanaka and p.okafor
    assert_eq!(
        count(&cond(UserField::Username, Comparison::Contains, "KA")),
        2
    );
    assert_eq!(
        count(&cond(UserField::FirstName, Comparison::Exact, "sakura")),
        1
    );
    let either = UserFilter::Or(vec![
        cond(UserField::Username, Comparison::Exact, "admin"),
        cond(UserField::LastName, Comparison::Exact, "Chen"),
    ]);
    assert_eq!(count(&either), 2);
    let both = UserFilter::And(vec![
        cond(UserField::Username, Comparison::Exact, "admin"),
        cond(UserField::LastName, Comparison::Exact, "Chen"),
    ]);
    assert_eq!(count(&both), 0);
}

#[test]
fn pages_follow_tokens() {
    let svc = demo_service();
    let first = svc.list_users(DEMO, Some(5), None).unwrap();
    assert_eq!(first.items.len(), 5);
    let second = svc
        .list_users(DEMO, Some(5), first.next_token.as_deref())
        .unwrap();
    let third = svc
        .list_users(DEMO, Some(5), second.next_token.as_deref())
        .unwrap();
    assert_eq!(third.items.len(), 2);
    assert_eq!(third.next_token, None);
    assert_eq!(third.items[1].summary.username, "h.yamamoto");
    assert!(svc.list_users(DEMO, Some(0), None).is_err());
    assert!(svc.list_users(DEMO, None, Some("garbage")).is_err());
}

#[test]
fn hierarchy_paths() {
    let svc = demo_service();
    let group = id_named(&svc, NamedKind::HierarchyGroup, "Team Rainier");
    let described = svc.describe_hierarchy_group(DEMO, &group).unwrap();
    let names: Vec<&str> = described.path.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["North America", "Seattle", "Team Rainier"]);
    let levels = svc.hierarchy_structure(DEMO).unwrap();
    assert_eq!(described.level_id, levels[2].id);
}

#[test]
fn delete_and_update_phone_config() {
    let svc = demo_service();
    let created = svc
        .create_user(DEMO, &new_user(&svc, "short.lived"))
        .unwrap();
    let desk = PhoneConfig {
        phone_type: Some(PhoneType::DeskPhone),
        desk_phone_number: Some("+12065550111".into()),
        ..PhoneConfig::default()
    };
    svc.update_user_phone_config(DEMO, &created.id, &desk)
        .unwrap();
    assert_eq!(
        svc.describe_user(DEMO, &created.id)
            .unwrap()
            .user
            .fields
            .phone_config,
        Some(PhoneConfig {
            phone_type: Some(PhoneType::DeskPhone),
            auto_accept: Some(false),
            after_contact_work_time_limit: Some(0),
            desk_phone_number: Some("+12065550111".into()),
            // left out of the update: kept
            persistent_connection: Some(true),
        })
    );
    svc.delete_user(DEMO, &created.id).unwrap();
    assert_eq!(
        svc.delete_user(DEMO, &created.id).unwrap_err().kind,
        ApiErrorKind::ResourceNotFound
    );
}

#[tokio::test]
async fn local_api_over_the_demo_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.sqlite");
    let api = LocalApi::open_demo(&db).unwrap();
    let info = api.describe_instance().await.unwrap();
    assert_eq!(
        (info.id.as_str(), info.alias.as_deref()),
        (DEMO, Some("demo-contact-center"))
    );
    assert_eq!(api.list_routing_profiles().await.unwrap().len(), 5);
    assert_eq!(api.list_security_profiles().await.unwrap().len(), 4);
    assert_eq!(api.list_hierarchy_groups().await.unwrap().len(), 12);
    assert_eq!(api.list_users().await.unwrap().len(), 12);
    let found = api.find_user("H.Yamamoto").await.unwrap().unwrap();
    assert_eq!(found.username, "h.yamamoto");
    let user = api.describe_user(&found.id).await.unwrap();
    let group = api
        .describe_hierarchy_group(user.fields.hierarchy_group_id.as_deref().unwrap())
        .await
        .unwrap();
    assert_eq!(
        group
            .path
            .iter()
            .map(|g| g.name.as_str())
            .collect::<Vec<_>>(),
        ["Japan", "Osaka", "Team Kansai"]
    );
    assert!(api.find_user("nobody").await.unwrap().is_none());

    // reopening does not seed again; `open` finds the only instance
    drop(api);
    let again = LocalApi::open_demo(&db).unwrap();
    assert_eq!(again.list_users().await.unwrap().len(), 12);
    let only = LocalApi::open(&db, None).unwrap();
    assert_eq!(only.instance_id(), DEMO);
    assert!(LocalApi::open(&db, Some("other")).is_err());
}

#[tokio::test]
async fn local_api_concurrent_creates_of_one_name() {
    let store = Arc::new(Store::open_in_memory().unwrap());
    store.load_seed(&Seed::demo()).unwrap();
    let api = LocalApi::with_store(store.clone(), DEMO);
    let user = new_user(&Service::new(store.clone()), "same.name");
    let mut tasks = vec![];
    for _ in 0..20 {
        let (api, user) = (api.clone(), user.clone());
        tasks.push(tokio::spawn(async move { api.create_user(&user).await }));
    }
    let mut wins = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => wins += 1,
            Err(err) => assert_eq!(err.kind, ApiErrorKind::DuplicateResource),
        }
    }
    assert_eq!(wins, 1);
    assert_eq!(store.count_users_named(DEMO, "SAME.NAME").unwrap(), 1);
}

#[tokio::test]
async fn local_api_updates_one_setting_per_channel() {
    use crate::connect::{Channel, VoiceEnhancementConfig};
    use crate::user::VoiceEnhancementMode;
    let store = Arc::new(Store::open_in_memory().unwrap());
    store.load_seed(&Seed::demo()).unwrap();
    let api = LocalApi::with_store(store, DEMO);
    let id = api.find_user("j.rivera").await.unwrap().unwrap().id;
    let before = EffectiveSettings::of(&api.describe_user(&id).await.unwrap().fields);
    let switch = UserConfig {
        voice_enhancement: vec![VoiceEnhancementConfig {
            channel: Channel::Voice,
            mode: VoiceEnhancementMode::NoiseSuppression,
        }],
        ..UserConfig::default()
    };
    api.update_user_config(&id, &switch).await.unwrap();
    let after = EffectiveSettings::of(&api.describe_user(&id).await.unwrap().fields);
    assert_eq!(
        after,
        EffectiveSettings {
            voice_enhancement: Some(VoiceEnhancementMode::NoiseSuppression),
            ..before
        }
    );
    let err = api
        .update_user_config(&id, &UserConfig::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::InvalidParameter);
}
