//! `local serve` and the per-channel user settings, through
//! `aws-sdk-connect`: CreateUser in either form, DescribeUser and
//! SearchUsers answering both forms consistently, UpdateUserConfig and
//! UpdateUserPhoneConfig on the same state, and the model's rules (channels,
//! VOICE-only lists, enums, ACW limits, the documented conflicts, unknown
//! members). The client side (`SdkApi`) is exercised against the same server.
mod support;

use std::sync::Arc;

use aws_sdk_connect::error::ProvideErrorMetadata;
use aws_sdk_connect::types::{
    AfterContactWorkConfig, AfterContactWorkConfigPerChannel, AutoAcceptConfig, Channel,
    PersistentConnectionConfig, PhoneNumberConfig, PhoneType, User, UserPhoneConfig,
    VoiceEnhancementConfig, VoiceEnhancementMode,
};
use connect_users::connect::pace::Pacer;
use connect_users::connect::sdk::SdkApi;
use connect_users::connect::{self as domain, ConnectApi, EffectiveSettings};
use support::local_server::{LocalServer, DEMO_INSTANCE_ID};
use support::sdk::{create, describe, id_of_routing_profile, id_of_security_profile};

fn acw(channel: Channel, seconds: i32) -> AfterContactWorkConfigPerChannel {
    AfterContactWorkConfigPerChannel::builder()
        .channel(channel)
        .after_contact_work_config(
            AfterContactWorkConfig::builder()
                .after_contact_work_time_limit(seconds)
                .build(),
        )
        .build()
        .unwrap()
}

fn auto_accept(channel: Channel, on: bool) -> AutoAcceptConfig {
    AutoAcceptConfig::builder()
        .channel(channel)
        .auto_accept(on)
        .build()
        .unwrap()
}

fn persistent(channel: Channel, on: bool) -> PersistentConnectionConfig {
    PersistentConnectionConfig::builder()
        .channel(channel)
        .persistent_connection(on)
        .build()
        .unwrap()
}

fn voice_enhancement(mode: &str) -> VoiceEnhancementConfig {
    VoiceEnhancementConfig::builder()
        .channel(Channel::Voice)
        .voice_enhancement_mode(VoiceEnhancementMode::from(mode))
        .build()
        .unwrap()
}

fn phone_number(channel: Channel, kind: PhoneType, number: Option<&str>) -> PhoneNumberConfig {
    PhoneNumberConfig::builder()
        .channel(channel)
        .phone_type(kind)
        .set_phone_number(number.map(str::to_string))
        .build()
        .unwrap()
}

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

/// The service error code and message of a failed call.
fn refused<E: ProvideErrorMetadata>(err: &E) -> (String, String) {
    (
        err.code().unwrap_or_default().to_string(),
        err.message().unwrap_or_default().to_string(),
    )
}

#[tokio::test]
async fn the_models_rules_for_the_per_channel_settings() {
    let server = LocalServer::start();
    let client = server.client();
    let rp = id_of_routing_profile(&client, "Support Tier 1").await;
    let sp = id_of_security_profile(&client, "Agent").await;
    let fresh = || create(&client, "rule.check", &rp, &sp).set_phone_config(None);
    let param = "InvalidParameterException";
    let request = "InvalidRequestException";
    let cases = [
        (
            fresh().auto_accept_configs(auto_accept(Channel::from("FAX"), true)),
            param,
            "FAX",
        ),
        (
            fresh().voice_enhancement_configs(voice_enhancement("LOUD")),
            param,
            "LOUD",
        ),
        (
            fresh().persistent_connection_configs(persistent(Channel::Chat, true)),
            param,
            "only the VOICE channel",
        ),
        (
            fresh().phone_number_configs(phone_number(Channel::Task, PhoneType::SoftPhone, None)),
            param,
            "only the VOICE channel",
        ),
        (
            fresh().phone_number_configs(phone_number(Channel::Voice, PhoneType::DeskPhone, None)),
            param,
            "DESK_PHONE",
        ),
        (
            fresh().after_contact_work_configs(acw(Channel::Chat, 2_000_001)),
            param,
            "2000001",
        ),
        (
            fresh()
                .auto_accept_configs(auto_accept(Channel::Chat, true))
                .auto_accept_configs(auto_accept(Channel::Chat, false)),
            param,
            "more than once",
        ),
        // the documented conflicts: one setting in both forms
        (
            create(&client, "rule.check", &rp, &sp).phone_number_configs(phone_number(
                Channel::Voice,
                PhoneType::SoftPhone,
                None,
            )),
            request,
            "PhoneNumberConfigs",
        ),
        (
            create(&client, "rule.check", &rp, &sp)
                .auto_accept_configs(auto_accept(Channel::Voice, true)),
            request,
            "AutoAcceptConfigs",
        ),
        (
            create(&client, "rule.check", &rp, &sp)
                .after_contact_work_configs(acw(Channel::Voice, 10)),
            request,
            "AfterContactWorkConfigs",
        ),
        (
            create(&client, "rule.check", &rp, &sp)
                .phone_config(
                    UserPhoneConfig::builder()
                        .persistent_connection(true)
                        .build(),
                )
                .persistent_connection_configs(persistent(Channel::Voice, true)),
            request,
            "PersistentConnectionConfigs",
        ),
    ];
    for (call, code, text) in cases {
        let err = call.send().await.unwrap_err();
        let (got, message) = refused(&err);
        assert_eq!(got, code, "{message}");
        assert!(message.contains(text), "{text}: {message}");
        assert_eq!(err.raw_response().unwrap().status().as_u16(), 400);
    }
    // voice enhancement has no PhoneConfig member: no conflict
    create(&client, "rule.check", &rp, &sp)
        .voice_enhancement_configs(voice_enhancement("VOICE_ISOLATION"))
        .send()
        .await
        .unwrap();

    // UpdateUserConfig checks the same, and needs something to set
    let id = support::sdk::id_of_user(&client, "rule.check").await;
    let update = || {
        client
            .update_user_config()
            .instance_id(DEMO_INSTANCE_ID)
            .user_id(&id)
    };
    let err = update().send().await.unwrap_err();
    assert_eq!(refused(&err).0, param);
    let err = update()
        .persistent_connection_configs(persistent(Channel::Email, true))
        .send()
        .await
        .unwrap_err();
    assert_eq!(refused(&err).0, param);
    let err = client
        .update_user_config()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id("no-such-user")
        .voice_enhancement_configs(voice_enhancement("NONE"))
        .send()
        .await
        .unwrap_err();
    assert!(err
        .as_service_error()
        .unwrap()
        .is_resource_not_found_exception());
    assert_eq!(server.count("CreateUser", "200"), 1);
    assert_eq!(server.count("UpdateUserConfig", "400"), 2);
}

#[tokio::test]
async fn a_member_the_server_does_not_know_is_refused_by_name() {
    use aws_smithy_types::body::SdkBody;
    let server = LocalServer::start();
    let client = server.client();
    let rp = id_of_routing_profile(&client, "Support Tier 1").await;
    let sp = id_of_security_profile(&client, "Agent").await;
    // Add a member to the JSON body before the request is signed.
    let with_member = |path: &'static [&'static str], member: &'static str| {
        move |req: &mut aws_smithy_runtime_api::http::Request| {
            let mut body: serde_json::Value =
                serde_json::from_slice(req.body().bytes().unwrap()).unwrap();
            let mut at = &mut body;
            for key in path {
                at = &mut at[*key];
            }
            at[member] = serde_json::json!(true);
            let bytes = serde_json::to_vec(&body).unwrap();
            req.headers_mut()
                .insert("content-length", bytes.len().to_string());
            *req.body_mut() = SdkBody::from(bytes);
        }
    };
    let err = create(&client, "unknown.member", &rp, &sp)
        .customize()
        .mutate_request(with_member(&[], "Nickname"))
        .send()
        .await
        .unwrap_err();
    let (code, message) = refused(&err);
    assert_eq!(code, "InvalidParameterException");
    assert!(message.contains("Nickname"), "{message}");
    let err = create(&client, "unknown.member", &rp, &sp)
        .customize()
        .mutate_request(with_member(&["PhoneConfig"], "Headset"))
        .send()
        .await
        .unwrap_err();
    assert!(refused(&err).1.contains("Headset"), "{err:?}");
    assert_eq!(
        server.count("CreateUser", "200"),
        0,
        "nothing half-understood is created"
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
        Arc::new(Pacer::new(1000.0, 100).unwrap()),
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
