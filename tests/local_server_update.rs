//! The operations an administrator uses after an import, against `local
//! serve` through `aws-sdk-connect`: UpdateUserRoutingProfile,
//! UpdateUserSecurityProfiles, UpdateUserHierarchy, UpdateUserIdentityInfo,
//! TagResource / UntagResource / ListTagsForResource on a user, with their
//! errors, the shared quota and commit-then-fail faults; and operations the
//! server does not implement answering UnknownOperationException.
mod support;

use aws_sdk_connect::error::ProvideErrorMetadata;
use aws_sdk_connect::types::{
    Channel, DirectoryType, UserIdentityInfo, VoiceEnhancementConfig, VoiceEnhancementMode,
};
use support::apply::{fixture, DIRECTORY_INSTANCE_ID};
use support::local_server::{LocalServer, DEMO_INSTANCE_ID};
use support::sdk::{
    describe, id_of_group, id_of_routing_profile, id_of_security_profile, id_of_user,
};

fn user_arn(user_id: &str) -> String {
    format!("arn:aws:connect:us-east-1:111122223333:instance/{DEMO_INSTANCE_ID}/agent/{user_id}")
}

#[tokio::test]
async fn routing_profile_security_profiles_and_hierarchy() {
    let server = LocalServer::start();
    let client = server.client();
    let id = id_of_user(&client, "m.chen").await;
    let sales = id_of_routing_profile(&client, "Sales Inbound").await;
    let agent = id_of_security_profile(&client, "Agent").await;
    let qa = id_of_security_profile(&client, "QualityAnalyst").await;
    let kansai = id_of_group(&client, "Team Kansai").await;

    client
        .update_user_routing_profile()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(&id)
        .routing_profile_id(&sales)
        .send()
        .await
        .unwrap();
    client
        .update_user_security_profiles()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(&id)
        .security_profile_ids(&agent)
        .security_profile_ids(&qa)
        .send()
        .await
        .unwrap();
    client
        .update_user_hierarchy()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(&id)
        .hierarchy_group_id(&kansai)
        .send()
        .await
        .unwrap();
    let user = describe(&client, &id).await;
    assert_eq!(user.routing_profile_id(), Some(sales.as_str()));
    assert_eq!(user.security_profile_ids(), [agent.clone(), qa.clone()]);
    assert_eq!(user.hierarchy_group_id(), Some(kansai.as_str()));
    assert_eq!(user.username(), Some("m.chen"), "the rest is unchanged");

    // no HierarchyGroupId: the user leaves its group
    client
        .update_user_hierarchy()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(describe(&client, &id).await.hierarchy_group_id(), None);

    // errors: unknown names, counts, users
    let err = client
        .update_user_routing_profile()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(&id)
        .routing_profile_id("no-such-profile")
        .send()
        .await
        .unwrap_err();
    assert!(err
        .as_service_error()
        .unwrap()
        .is_resource_not_found_exception());
    let err = client
        .update_user_security_profiles()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(&id)
        .set_security_profile_ids(Some(vec![agent.clone(); 11]))
        .send()
        .await
        .unwrap_err();
    assert!(err
        .as_service_error()
        .unwrap()
        .is_invalid_parameter_exception());
    let err = client
        .update_user_security_profiles()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(&id)
        .security_profile_ids("no-such-profile")
        .send()
        .await
        .unwrap_err();
    assert!(err
        .as_service_error()
        .unwrap()
        .is_resource_not_found_exception());
    let err = client
        .update_user_hierarchy()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(&id)
        .hierarchy_group_id("no-such-group")
        .send()
        .await
        .unwrap_err();
    assert!(err
        .as_service_error()
        .unwrap()
        .is_resource_not_found_exception());
    let err = client
        .update_user_routing_profile()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id("no-such-user")
        .routing_profile_id(&sales)
        .send()
        .await
        .unwrap_err();
    assert!(err
        .as_service_error()
        .unwrap()
        .is_resource_not_found_exception());
    // a refused update changed nothing
    let user = describe(&client, &id).await;
    assert_eq!(user.security_profile_ids(), [agent, qa]);
}

#[tokio::test]
async fn identity_info_is_replaced_under_the_create_rules() {
    let server = LocalServer::start();
    let client = server.client();
    let id = id_of_user(&client, "a.novak").await;
    let update = |info: UserIdentityInfo| {
        client
            .update_user_identity_info()
            .instance_id(DEMO_INSTANCE_ID)
            .user_id(&id)
            .identity_info(info)
    };
    update(
        UserIdentityInfo::builder()
            .first_name("Anna")
            .last_name("Nováková")
            .email("anna.novakova@example.com")
            .mobile("+14255550199")
            .build(),
    )
    .send()
    .await
    .unwrap();
    let info = describe(&client, &id)
        .await
        .identity_info()
        .unwrap()
        .clone();
    assert_eq!(info.last_name(), Some("Nováková"));
    assert_eq!(info.email(), Some("anna.novakova@example.com"));
    assert_eq!(info.mobile(), Some("+14255550199"));
    assert_eq!(info.secondary_email(), None, "replaced, not merged");

    for bad in [
        UserIdentityInfo::builder().first_name("Anna").build(),
        UserIdentityInfo::builder()
            .first_name("Anna")
            .last_name("Novak")
            .email("not-an-address")
            .build(),
        UserIdentityInfo::builder()
            .first_name("Anna")
            .last_name("Novak")
            .mobile("0425 555 0199")
            .build(),
    ] {
        let err = update(bad).send().await.unwrap_err();
        assert!(
            err.as_service_error()
                .unwrap()
                .is_invalid_parameter_exception(),
            "{err:?}"
        );
    }
    assert_eq!(
        describe(&client, &id)
            .await
            .identity_info()
            .unwrap()
            .last_name(),
        Some("Nováková")
    );
}

#[tokio::test]
async fn a_directory_keeps_the_names_it_manages() {
    let server = LocalServer::builder()
        .seed(fixture("instances/existing-directory.toml"))
        .args(["--no-throttle"])
        .start();
    let client = server.client();
    let instance = client
        .describe_instance()
        .instance_id(DIRECTORY_INSTANCE_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(
        instance.instance().unwrap().identity_management_type(),
        Some(&DirectoryType::ExistingDirectory)
    );
    let rp = client
        .list_routing_profiles()
        .instance_id(DIRECTORY_INSTANCE_ID)
        .send()
        .await
        .unwrap()
        .routing_profile_summary_list()[0]
        .id()
        .unwrap()
        .to_string();
    let sp = client
        .list_security_profiles()
        .instance_id(DIRECTORY_INSTANCE_ID)
        .send()
        .await
        .unwrap()
        .security_profile_summary_list()[0]
        .id()
        .unwrap()
        .to_string();
    let created = client
        .create_user()
        .instance_id(DIRECTORY_INSTANCE_ID)
        .username("dir.user")
        .routing_profile_id(rp)
        .security_profile_ids(sp)
        .send()
        .await
        .unwrap();
    let id = created.user_id().unwrap();
    let err = client
        .update_user_identity_info()
        .instance_id(DIRECTORY_INSTANCE_ID)
        .user_id(id)
        .identity_info(UserIdentityInfo::builder().first_name("Dee").build())
        .send()
        .await
        .unwrap_err();
    let err = err.as_service_error().unwrap();
    assert!(err.is_invalid_request_exception(), "{err:?}");
    assert!(err.message().unwrap().contains("FirstName"));
    client
        .update_user_identity_info()
        .instance_id(DIRECTORY_INSTANCE_ID)
        .user_id(id)
        .identity_info(UserIdentityInfo::builder().mobile("+12065550142").build())
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn tags_on_a_users_arn() {
    let server = LocalServer::start();
    let client = server.client();
    let id = id_of_user(&client, "s.tanaka").await;
    let arn = user_arn(&id);
    client
        .tag_resource()
        .resource_arn(&arn)
        .tags("team", "sakura")
        .tags("language", "ja-JP")
        .send()
        .await
        .unwrap();
    client
        .untag_resource()
        .resource_arn(&arn)
        .tag_keys("team")
        .tag_keys("not-there")
        .send()
        .await
        .unwrap();
    let listed = client
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .unwrap();
    let tags = listed.tags().unwrap();
    assert_eq!(tags.len(), 1);
    assert_eq!(tags.get("language").map(String::as_str), Some("ja-JP"));
    assert_eq!(
        describe(&client, &id).await.tags().unwrap().len(),
        1,
        "the user's own tags"
    );

    // errors: another resource type, another account, a missing user, bad tags
    let queue =
        format!("arn:aws:connect:us-east-1:111122223333:instance/{DEMO_INSTANCE_ID}/queue/q1");
    let err = client
        .tag_resource()
        .resource_arn(&queue)
        .tags("a", "b")
        .send()
        .await
        .unwrap_err();
    let err = err.as_service_error().unwrap();
    assert!(err.is_invalid_parameter_exception());
    assert!(err.message().unwrap().contains("users only"), "{err:?}");
    let elsewhere = arn.replace("111122223333", "999999999999");
    let err = client
        .list_tags_for_resource()
        .resource_arn(&elsewhere)
        .send()
        .await
        .unwrap_err();
    assert!(err
        .as_service_error()
        .unwrap()
        .is_resource_not_found_exception());
    let err = client
        .untag_resource()
        .resource_arn(user_arn("no-such-user"))
        .tag_keys("a")
        .send()
        .await
        .unwrap_err();
    assert!(err
        .as_service_error()
        .unwrap()
        .is_resource_not_found_exception());
    let err = client
        .tag_resource()
        .resource_arn(&arn)
        .tags("aws:reserved", "x")
        .send()
        .await
        .unwrap_err();
    assert!(err
        .as_service_error()
        .unwrap()
        .is_invalid_parameter_exception());
    let too_many = client.tag_resource().resource_arn(&arn).set_tags(Some(
        (0..50)
            .map(|i| (format!("k{i}"), "v".to_string()))
            .collect(),
    ));
    let err = too_many.send().await.unwrap_err();
    assert!(
        err.as_service_error()
            .unwrap()
            .is_invalid_parameter_exception(),
        "51 tags with the one the user has"
    );
}

#[tokio::test]
async fn updates_share_the_quota_and_take_commit_then_fail_faults() {
    let throttled = LocalServer::builder()
        .args(["--rate", "0.01", "--burst", "2"])
        .start();
    let client = throttled.client();
    let voice = VoiceEnhancementConfig::builder()
        .channel(Channel::Voice)
        .voice_enhancement_mode(VoiceEnhancementMode::VoiceIsolation)
        .build()
        .unwrap();
    let mut codes = vec![];
    for _ in 0..3 {
        let result = client
            .update_user_config()
            .instance_id(DEMO_INSTANCE_ID)
            .user_id("any")
            .voice_enhancement_configs(voice.clone())
            .send()
            .await;
        codes.push(result.unwrap_err().code().unwrap_or_default().to_string());
    }
    assert_eq!(
        codes,
        [
            "ResourceNotFoundException",
            "ResourceNotFoundException",
            "ThrottlingException"
        ]
    );

    // committed, then answered 500: the change is there all the same
    let faulty = LocalServer::builder()
        .args([
            "--no-throttle",
            "--commit-then-fail-rate",
            "1",
            "--fault-seed",
            "3",
        ])
        .start();
    let client = faulty.client();
    let id = id_of_user(&client, "r.patel").await;
    let mut failed = 0;
    for tries in 0.. {
        match client
            .update_user_config()
            .instance_id(DEMO_INSTANCE_ID)
            .user_id(&id)
            .voice_enhancement_configs(voice.clone())
            .send()
            .await
        {
            Ok(_) => panic!("every successful write fails after its commit"),
            Err(err) if err.raw_response().is_some() => {
                assert_eq!(err.code(), Some("InternalServiceException"));
                failed += 1;
                break;
            }
            Err(_) if tries < 20 => continue, // the connection was dropped instead
            Err(err) => panic!("{err:?}"),
        }
    }
    assert_eq!(failed, 1);
    let user = describe(&client, &id).await;
    assert_eq!(
        user.voice_enhancement_configs()[0].voice_enhancement_mode(),
        &VoiceEnhancementMode::VoiceIsolation
    );
}

#[tokio::test]
async fn operations_not_implemented_answer_unknown_operation() {
    let server = LocalServer::start();
    let client = server.client();
    let err = client
        .create_instance()
        .identity_management_type(DirectoryType::Saml)
        .inbound_calls_enabled(true)
        .outbound_calls_enabled(true)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("UnknownOperationException"));
    let err = client
        .delete_instance()
        .instance_id(DEMO_INSTANCE_ID)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("UnknownOperationException"));
    let err = client
        .delete_user_hierarchy_group()
        .instance_id(DEMO_INSTANCE_ID)
        .hierarchy_group_id("g")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("UnknownOperationException"));
    let err = client
        .update_user_hierarchy_structure()
        .instance_id(DEMO_INSTANCE_ID)
        .hierarchy_structure(aws_sdk_connect::types::HierarchyStructureUpdate::builder().build())
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("UnknownOperationException"));
    assert_ne!(err.raw_response().unwrap().status().as_u16(), 405);
    assert_eq!(server.count("UnknownOperation", "404"), 4);
}
