//! The operations an administrator uses after an import, against `local
//! serve` through `aws-sdk-connect`: UpdateUserRoutingProfile,
//! UpdateUserSecurityProfiles, UpdateUserHierarchy and
//! UpdateUserIdentityInfo, with their errors. Tags, the quota and faults are
//! in `local_server_tags.rs`.
use crate::support;

use aws_sdk_connect::error::ProvideErrorMetadata;
use aws_sdk_connect::types::{DirectoryType, UserIdentityInfo};
use support::apply::{fixture, DIRECTORY_INSTANCE_ID};
use support::local_server::{LocalServer, DEMO_INSTANCE_ID};
use support::sdk::{
    code_of, describe, id_of_group, id_of_routing_profile, id_of_security_profile, id_of_user,
};

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
    // an empty HierarchyGroupId clears it too (it names no group)
    client
        .update_user_hierarchy()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(&id)
        .hierarchy_group_id(&kansai)
        .send()
        .await
        .unwrap();
    client
        .update_user_hierarchy()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(&id)
        .hierarchy_group_id("")
        .send()
        .await
        .unwrap();
    assert_eq!(describe(&client, &id).await.hierarchy_group_id(), None);

    // errors: unknown names, counts, users
    assert_eq!(
        code_of(
            client
                .update_user_routing_profile()
                .instance_id(DEMO_INSTANCE_ID)
                .user_id(&id)
                .routing_profile_id("no-such-profile")
                .send()
        )
        .await,
        "ResourceNotFoundException"
    );
    assert_eq!(
        code_of(
            client
                .update_user_security_profiles()
                .instance_id(DEMO_INSTANCE_ID)
                .user_id(&id)
                .set_security_profile_ids(Some(vec![agent.clone(); 11]))
                .send()
        )
        .await,
        "InvalidParameterException"
    );
    // a security profile listed twice: refused by UpdateUserSecurityProfiles
    // and by CreateUser alike
    let err = client
        .update_user_security_profiles()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(&id)
        .security_profile_ids(&agent)
        .security_profile_ids(&agent)
        .send()
        .await
        .unwrap_err();
    assert!(err
        .as_service_error()
        .unwrap()
        .is_invalid_parameter_exception());
    assert!(
        err.message().unwrap_or_default().contains("more than once"),
        "{err:?}"
    );
    let err = support::sdk::create(&client, "dup.profiles", &sales, &agent)
        .security_profile_ids(&agent)
        .send()
        .await
        .unwrap_err();
    assert!(err
        .as_service_error()
        .unwrap()
        .is_invalid_parameter_exception());
    assert!(
        err.message().unwrap_or_default().contains("more than once"),
        "{err:?}"
    );
    assert_eq!(
        code_of(
            client
                .update_user_security_profiles()
                .instance_id(DEMO_INSTANCE_ID)
                .user_id(&id)
                .security_profile_ids("no-such-profile")
                .send()
        )
        .await,
        "ResourceNotFoundException"
    );
    assert_eq!(
        code_of(
            client
                .update_user_hierarchy()
                .instance_id(DEMO_INSTANCE_ID)
                .user_id(&id)
                .hierarchy_group_id("no-such-group")
                .send()
        )
        .await,
        "ResourceNotFoundException"
    );
    assert_eq!(
        code_of(
            client
                .update_user_routing_profile()
                .instance_id(DEMO_INSTANCE_ID)
                .user_id("no-such-user")
                .routing_profile_id(&sales)
                .send()
        )
        .await,
        "ResourceNotFoundException"
    );
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
    let (rp, sp) = support::sdk::first_profiles(&client, DIRECTORY_INSTANCE_ID).await;
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
