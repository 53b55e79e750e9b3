//! Tags on a user's ARN (TagResource, UntagResource, ListTagsForResource)
//! against `local serve` through `aws-sdk-connect`; the update operations
//! under the shared quota and commit-then-fail faults; and operations the
//! server does not implement answering UnknownOperationException.
use crate::support;

use aws_sdk_connect::error::ProvideErrorMetadata;
use aws_sdk_connect::types::{
    Channel, DirectoryType, VoiceEnhancementConfig, VoiceEnhancementMode,
};
use support::local_server::{LocalServer, DEMO_INSTANCE_ID};
use support::sdk::{code_of, describe, id_of_user};

fn user_arn(user_id: &str) -> String {
    format!("arn:aws:connect:us-east-1:111122223333:instance/{DEMO_INSTANCE_ID}/agent/{user_id}")
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
    assert_eq!(
        code_of(
            client
                .list_tags_for_resource()
                .resource_arn(&elsewhere)
                .send()
        )
        .await,
        "ResourceNotFoundException"
    );
    assert_eq!(
        code_of(
            client
                .untag_resource()
                .resource_arn(user_arn("no-such-user"))
                .tag_keys("a")
                .send()
        )
        .await,
        "ResourceNotFoundException"
    );
    assert_eq!(
        code_of(
            client
                .tag_resource()
                .resource_arn(&arn)
                .tags("aws:reserved", "x")
                .send()
        )
        .await,
        "InvalidParameterException"
    );
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
    assert!(
        err.message()
            .unwrap_or_default()
            .contains("has 1 already and the request adds 50 new keys, 51 in all"),
        "{err:?}"
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
