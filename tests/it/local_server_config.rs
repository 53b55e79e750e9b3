//! `local serve` and the per-channel user settings, through
//! `aws-sdk-connect`: CreateUser in either form, DescribeUser and
//! SearchUsers answering both forms consistently, UpdateUserConfig and
//! UpdateUserPhoneConfig on the same state, and the client side (`SdkApi`)
//! against the same server. The rules are in `local_server_config_rules.rs`.
use crate::support;

use std::sync::Arc;

use aws_sdk_connect::types::{Channel, PhoneType, User, UserPhoneConfig};
use connect_users::connect::pacers::{Pacers, Quota};
use connect_users::connect::sdk::SdkApi;
use connect_users::connect::{self as domain, ConnectApi, EffectiveSettings};
use support::local_server::{LocalServer, DEMO_INSTANCE_ID};
use support::sdk::channels::{acw, auto_accept, persistent, phone_number, voice_enhancement};
use support::sdk::{create, describe, id_of_routing_profile, id_of_security_profile};

fn acw_of(user: &User, channel: Channel) -> i32 {
    user.after_contact_work_configs()
        .iter()
        .find(|c| c.channel() == &channel)
        .and_then(|c| c.after_contact_work_config())
        .map(|a| a.after_contact_work_time_limit())
        .unwrap_or_else(|| panic!("no ACW entry for {channel:?}"))
}

fn auto_accept_of(user: &User, channel: Channel) -> bool {
    user.auto_accept_configs()
        .iter()
        .find(|c| c.channel() == &channel)
        .map(|c| c.auto_accept())
        .unwrap_or_else(|| panic!("no auto-accept entry for {channel:?}"))
}

fn voice_mode(user: &User) -> &str {
    user.voice_enhancement_configs()[0]
        .voice_enhancement_mode()
        .as_str()
}

#[tokio::test]
async fn a_per_channel_create_reads_back_in_both_forms() {
    let server = LocalServer::start();
    let client = server.client();
    let rp = id_of_routing_profile(&client, "Support Tier 1").await;
    let sp = id_of_security_profile(&client, "Agent").await;
    let created = create(&client, "per.channel", &rp, &sp)
        .set_phone_config(None)
        .phone_number_configs(phone_number(Channel::Voice, PhoneType::SoftPhone, None))
        .auto_accept_configs(auto_accept(Channel::Voice, true))
        .auto_accept_configs(auto_accept(Channel::Chat, false))
        .after_contact_work_configs(acw(Channel::Voice, 20))
        .after_contact_work_configs(acw(Channel::Chat, 60))
        .persistent_connection_configs(persistent(Channel::Voice, true))
        .voice_enhancement_configs(voice_enhancement("NOISE_SUPPRESSION"))
        .send()
        .await
        .unwrap();
    let user = describe(&client, created.user_id().unwrap()).await;

    // the per-channel lists, every channel
    assert_eq!(voice_mode(&user), "NOISE_SUPPRESSION");
    assert!(user.persistent_connection_configs()[0].persistent_connection());
    assert_eq!(acw_of(&user, Channel::Voice), 20);
    assert_eq!(acw_of(&user, Channel::Chat), 60);
    assert_eq!(acw_of(&user, Channel::Task), 0, "not set: the default");
    assert!(auto_accept_of(&user, Channel::Voice));
    assert!(!auto_accept_of(&user, Channel::Email));
    // PhoneConfig: the same state, seen from VOICE
    let phone = user.phone_config().unwrap();
    assert_eq!(phone.phone_type(), &PhoneType::SoftPhone);
    assert!(phone.auto_accept());
    assert_eq!(phone.after_contact_work_time_limit(), 20);
    assert_eq!(phone.persistent_connection(), Some(true));
    assert_eq!(
        phone.desk_phone_number(),
        Some(""),
        "DeskPhoneNumber is always answered, empty without a desk phone"
    );
}

#[tokio::test]
async fn a_phone_config_create_sets_every_channels_acw_and_voices_auto_accept() {
    let server = LocalServer::start();
    let client = server.client();
    let rp = id_of_routing_profile(&client, "Support Tier 1").await;
    let sp = id_of_security_profile(&client, "Agent").await;
    let created = create(&client, "legacy.form", &rp, &sp)
        .phone_config(
            UserPhoneConfig::builder()
                .phone_type(PhoneType::DeskPhone)
                .desk_phone_number("+12065550177")
                .auto_accept(true)
                .after_contact_work_time_limit(45)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let id = created.user_id().unwrap();
    let user = describe(&client, id).await;
    for channel in [Channel::Voice, Channel::Chat, Channel::Task, Channel::Email] {
        assert_eq!(acw_of(&user, channel.clone()), 45, "{channel:?}");
    }
    assert!(auto_accept_of(&user, Channel::Voice));
    assert!(!auto_accept_of(&user, Channel::Chat));
    let number = &user.phone_number_configs()[0];
    assert_eq!(
        (number.phone_type(), number.phone_number()),
        (&PhoneType::DeskPhone, Some("+12065550177"))
    );
    assert_eq!(
        user.phone_config().unwrap().desk_phone_number(),
        Some("+12065550177")
    );
    assert_eq!(voice_mode(&user), "NONE");

    // SearchUsers answers the same user, its PhoneConfig ACW in milliseconds
    let found = client
        .search_users()
        .instance_id(DEMO_INSTANCE_ID)
        .search_criteria(
            aws_sdk_connect::types::UserSearchCriteria::builder()
                .string_condition(
                    aws_sdk_connect::types::StringCondition::builder()
                        .field_name("ResourceId")
                        .value(id)
                        .comparison_type(aws_sdk_connect::types::StringComparisonType::Exact)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    let summary = &found.users()[0];
    assert_eq!(
        summary
            .phone_config()
            .unwrap()
            .after_contact_work_time_limit(),
        45_000
    );
    assert_eq!(
        summary.after_contact_work_configs()[1]
            .after_contact_work_config()
            .unwrap()
            .after_contact_work_time_limit(),
        45,
        "the lists stay in seconds"
    );
    assert_eq!(summary.voice_enhancement_configs().len(), 1);
}

#[tokio::test]
async fn update_user_config_changes_only_what_it_lists() {
    let server = LocalServer::start();
    let client = server.client();
    let rp = id_of_routing_profile(&client, "Support Tier 1").await;
    let sp = id_of_security_profile(&client, "Agent").await;
    let created = create(&client, "to.switch", &rp, &sp).send().await.unwrap();
    let id = created.user_id().unwrap();
    let before = describe(&client, id).await;

    client
        .update_user_config()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(id)
        .persistent_connection_configs(persistent(Channel::Voice, true))
        .voice_enhancement_configs(voice_enhancement("VOICE_ISOLATION"))
        .send()
        .await
        .unwrap();
    let after = describe(&client, id).await;
    assert_eq!(voice_mode(&after), "VOICE_ISOLATION");
    assert_eq!(
        after.phone_config().unwrap().persistent_connection(),
        Some(true)
    );
    // everything else as it was
    assert_eq!(after.auto_accept_configs(), before.auto_accept_configs());
    assert_eq!(
        after.after_contact_work_configs(),
        before.after_contact_work_configs()
    );
    assert_eq!(after.phone_number_configs(), before.phone_number_configs());
    assert_eq!(after.identity_info(), before.identity_info());
    assert_eq!(after.routing_profile_id(), before.routing_profile_id());

    // one channel's ACW, then the legacy call sets every channel again
    client
        .update_user_config()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(id)
        .after_contact_work_configs(acw(Channel::Email, 300))
        .send()
        .await
        .unwrap();
    let user = describe(&client, id).await;
    assert_eq!(
        (acw_of(&user, Channel::Voice), acw_of(&user, Channel::Email)),
        (30, 300)
    );
    client
        .update_user_phone_config()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(id)
        .phone_config(
            UserPhoneConfig::builder()
                .phone_type(PhoneType::SoftPhone)
                .after_contact_work_time_limit(15)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let user = describe(&client, id).await;
    for channel in [Channel::Voice, Channel::Chat, Channel::Task, Channel::Email] {
        assert_eq!(acw_of(&user, channel), 15);
    }
    assert!(!auto_accept_of(&user, Channel::Voice), "left out: false");
    assert_eq!(
        voice_mode(&user),
        "VOICE_ISOLATION",
        "not a PhoneConfig member"
    );
    assert_eq!(
        user.phone_config().unwrap().persistent_connection(),
        Some(true),
        "left out of UpdateUserPhoneConfig: kept"
    );
}

#[tokio::test]
async fn the_sdk_client_maps_every_list_and_updates_one_setting() {
    let server = LocalServer::start();
    let client = server.client();
    let rp = id_of_routing_profile(&client, "Support Tier 2").await;
    let sp = id_of_security_profile(&client, "Agent").await;
    let api = SdkApi::new(
        server.client(),
        DEMO_INSTANCE_ID,
        Arc::new(Pacers::new(Quota::PerOperation, 1000.0, 100).unwrap()),
        connect_users::connect::patience::Patience::default(),
    );
    let created = create(&client, "mapped.user", &rp, &sp)
        .set_phone_config(None)
        .phone_number_configs(phone_number(
            Channel::Voice,
            PhoneType::DeskPhone,
            Some("+14255550123"),
        ))
        .after_contact_work_configs(acw(Channel::Chat, 90))
        .voice_enhancement_configs(voice_enhancement("NOISE_SUPPRESSION"))
        .send()
        .await
        .unwrap();
    let id = created.user_id().unwrap();
    let user = api.describe_user(id).await.unwrap();
    let config = &user.fields.config;
    assert_eq!(config.auto_accept.len(), 4);
    assert_eq!(config.after_contact_work.len(), 4);
    assert_eq!(config.phone_number.len(), 1);
    assert_eq!(config.persistent_connection.len(), 1);
    let settings = EffectiveSettings::of(&user.fields);
    assert_eq!(settings.desk_phone_number.as_deref(), Some("+14255550123"));
    assert_eq!(
        settings.voice_enhancement,
        Some(connect_users::user::VoiceEnhancementMode::NoiseSuppression)
    );
    assert_eq!(
        settings.acw_text(domain::Channel::ALL),
        "VOICE 0, CHAT 90, TASK 0, EMAIL 0"
    );

    // agents-style switch: persistent connection on VOICE, nothing else
    let switch = domain::UserConfig {
        persistent_connection: vec![domain::PersistentConnectionConfig {
            channel: domain::Channel::Voice,
            persistent_connection: true,
        }],
        ..domain::UserConfig::default()
    };
    api.update_user_config(id, &switch).await.unwrap();
    let after = api.describe_user(id).await.unwrap();
    let mut expected = settings.clone();
    expected.persistent_connection = Some(true);
    assert_eq!(EffectiveSettings::of(&after.fields), expected);
    let err = api
        .update_user_config("no-such-user", &switch)
        .await
        .unwrap_err();
    assert_eq!(err.kind, domain::ApiErrorKind::ResourceNotFound);
}
