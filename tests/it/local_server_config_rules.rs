//! The service model's rules for the per-channel settings, as `local serve`
//! applies them to requests from `aws-sdk-connect`: channels, VOICE-only
//! lists, enums, ACW limits, a desk phone's number, the documented conflicts
//! between `PhoneConfig` and the lists, and request members the server does
//! not know.
use crate::support;

use aws_sdk_connect::error::ProvideErrorMetadata;
use aws_sdk_connect::types::{Channel, PhoneType, UserPhoneConfig};
use support::local_server::{LocalServer, DEMO_INSTANCE_ID};
use support::sdk::channels::{acw, auto_accept, persistent, phone_number, voice_enhancement};
use support::sdk::{create, id_of_routing_profile, id_of_security_profile};

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

    // A query parameter no operation takes is refused by name too, with the
    // ones the operation does take (added before the request is signed).
    let with_bogus = |req: &mut aws_smithy_runtime_api::http::Request| {
        let joint = if req.uri().contains('?') { '&' } else { '?' };
        let uri = format!("{}{joint}bogus=1", req.uri());
        req.set_uri(uri).unwrap();
    };
    let id = support::sdk::id_of_user(&client, "s.tanaka").await;
    let err = client
        .list_users()
        .instance_id(DEMO_INSTANCE_ID)
        .max_results(1)
        .customize()
        .mutate_request(with_bogus)
        .send()
        .await
        .unwrap_err();
    let (code, message) = refused(&err);
    assert_eq!(code, "InvalidParameterException");
    assert!(
        message.contains("bogus") && message.contains("maxResults, nextToken"),
        "{message}"
    );
    assert_eq!(err.raw_response().unwrap().status().as_u16(), 400);
    let err = client
        .describe_user()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(&id)
        .customize()
        .mutate_request(with_bogus)
        .send()
        .await
        .unwrap_err();
    let (code, message) = refused(&err);
    assert_eq!(code, "InvalidParameterException");
    assert!(
        message.contains("bogus") && message.contains("DescribeUser takes (none)"),
        "{message}"
    );
    let arn =
        format!("arn:aws:connect:us-east-1:111122223333:instance/{DEMO_INSTANCE_ID}/agent/{id}");
    let err = client
        .list_tags_for_resource()
        .resource_arn(&arn)
        .customize()
        .mutate_request(with_bogus)
        .send()
        .await
        .unwrap_err();
    let (code, message) = refused(&err);
    assert_eq!(code, "InvalidParameterException");
    assert!(message.contains("bogus"), "{message}");
    let err = client
        .untag_resource()
        .resource_arn(&arn)
        .tag_keys("team")
        .customize()
        .mutate_request(with_bogus)
        .send()
        .await
        .unwrap_err();
    let (code, message) = refused(&err);
    assert_eq!(code, "InvalidParameterException");
    assert!(
        message.contains("bogus") && message.contains("(tagKeys)"),
        "{message}"
    );
    assert_eq!(server.count("ListUsers", "400"), 1);
    assert_eq!(server.count("DescribeUser", "400"), 1);
    assert_eq!(server.count("ListTagsForResource", "400"), 1);
}
