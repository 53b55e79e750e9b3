//! `local serve` driven through `aws-sdk-connect`: every operation,
//! persistence across a restart, the stats endpoint and the request log.
//! Errors, signatures and concurrency are in `local_server_errors.rs`.
use crate::support;

use aws_sdk_connect::types::{
    PhoneType, StringComparisonType, StringCondition, UserPhoneConfig, UserSearchCriteria,
};
use support::local_server::{LocalServer, DEMO_INSTANCE_ID};
use support::sdk::{create, describe, id_of_routing_profile, id_of_security_profile};

#[tokio::test]
async fn instance_and_configuration_operations() {
    let server = LocalServer::start();
    let client = server.client();

    let instances = client.list_instances().send().await.unwrap();
    let summary = &instances.instance_summary_list()[0];
    assert_eq!(summary.id(), Some(DEMO_INSTANCE_ID));
    assert_eq!(summary.instance_alias(), Some("demo-contact-center"));

    let described = client
        .describe_instance()
        .instance_id(DEMO_INSTANCE_ID)
        .send()
        .await
        .unwrap();
    let instance = described.instance().unwrap();
    assert_eq!(
        instance.identity_management_type().map(|t| t.as_str()),
        Some("CONNECT_MANAGED")
    );
    assert_eq!(
        instance.arn(),
        Some(
            format!("arn:aws:connect:us-east-1:111122223333:instance/{DEMO_INSTANCE_ID}").as_str()
        )
    );

    let rps = client
        .list_routing_profiles()
        .instance_id(DEMO_INSTANCE_ID)
        .send()
        .await
        .unwrap();
    let names: Vec<_> = rps
        .routing_profile_summary_list()
        .iter()
        .filter_map(|p| p.name())
        .collect();
    assert_eq!(
        names,
        [
            "Basic Routing Profile",
            "Sales Inbound",
            "Support Tier 1",
            "Support Tier 2",
            "Japan Support"
        ]
    );
    let sps = client
        .list_security_profiles()
        .instance_id(DEMO_INSTANCE_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(sps.security_profile_summary_list().len(), 4);

    let structure = client
        .describe_user_hierarchy_structure()
        .instance_id(DEMO_INSTANCE_ID)
        .send()
        .await
        .unwrap();
    let structure = structure.hierarchy_structure().unwrap();
    assert_eq!(structure.level_one().and_then(|l| l.name()), Some("Region"));
    assert_eq!(structure.level_three().and_then(|l| l.name()), Some("Team"));
    assert!(structure.level_four().is_none());

    let groups = client
        .list_user_hierarchy_groups()
        .instance_id(DEMO_INSTANCE_ID)
        .send()
        .await
        .unwrap();
    let groups = groups.user_hierarchy_group_summary_list();
    // 2 regions, 4 sites, 6 teams
    assert_eq!(groups.len(), 12);
    let kansai = groups
        .iter()
        .find(|g| g.name() == Some("Team Kansai"))
        .unwrap();
    let group = client
        .describe_user_hierarchy_group()
        .instance_id(DEMO_INSTANCE_ID)
        .hierarchy_group_id(kansai.id().unwrap())
        .send()
        .await
        .unwrap();
    let group = group.hierarchy_group().unwrap();
    let path = group.hierarchy_path().unwrap();
    let names = [path.level_one(), path.level_two(), path.level_three()]
        .map(|l| l.and_then(|g| g.name()).unwrap_or_default());
    assert_eq!(names, ["Japan", "Osaka", "Team Kansai"]);
    assert_eq!(
        group.level_id(),
        structure.level_three().and_then(|l| l.id())
    );
}

#[tokio::test]
async fn user_lifecycle() {
    let server = LocalServer::start();
    let client = server.client();
    let rp = id_of_routing_profile(&client, "Support Tier 1").await;
    let sp = id_of_security_profile(&client, "Agent").await;

    let created = create(&client, "new.agent", &rp, &sp)
        .tags("team", "orca")
        .send()
        .await
        .unwrap();
    let user_id = created.user_id().unwrap().to_string();
    assert!(created
        .user_arn()
        .unwrap()
        .ends_with(&format!("/agent/{user_id}")));

    let user = describe(&client, &user_id).await;
    assert_eq!(user.username(), Some("new.agent"));
    assert_eq!(
        user.identity_info().and_then(|i| i.email()),
        Some("new.agent@example.com")
    );
    assert_eq!(user.routing_profile_id(), Some(rp.as_str()));
    assert_eq!(user.security_profile_ids(), std::slice::from_ref(&sp));
    assert_eq!(
        user.phone_config()
            .map(|p| p.after_contact_work_time_limit()),
        Some(30)
    );
    assert_eq!(
        user.tags().and_then(|t| t.get("team")).map(String::as_str),
        Some("orca")
    );

    // SearchUsers, Username EXACT, ignoring case
    let criteria = UserSearchCriteria::builder()
        .string_condition(
            StringCondition::builder()
                .field_name("Username")
                .value("NEW.AGENT")
                .comparison_type(StringComparisonType::Exact)
                .build(),
        )
        .build();
    let found = client
        .search_users()
        .instance_id(DEMO_INSTANCE_ID)
        .search_criteria(criteria.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(found.users().len(), 1);
    assert_eq!(found.approximate_total_count(), Some(1));
    assert_eq!(found.users()[0].id(), Some(user_id.as_str()));
    assert_eq!(
        found.users()[0]
            .identity_info()
            .and_then(|i| i.first_name()),
        Some("Test")
    );

    // inside OrConditions too
    let nested = UserSearchCriteria::builder()
        .or_conditions(criteria.clone())
        .build();
    let found = client
        .search_users()
        .instance_id(DEMO_INSTANCE_ID)
        .search_criteria(nested)
        .send()
        .await
        .unwrap();
    assert_eq!(found.users().len(), 1);

    client
        .update_user_phone_config()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(&user_id)
        .phone_config(
            UserPhoneConfig::builder()
                .phone_type(PhoneType::DeskPhone)
                .desk_phone_number("+12065550199")
                .build(),
        )
        .send()
        .await
        .unwrap();
    let user = describe(&client, &user_id).await;
    let phone = user.phone_config().unwrap();
    assert_eq!(phone.phone_type(), &PhoneType::DeskPhone);
    assert_eq!(phone.desk_phone_number(), Some("+12065550199"));

    let listed = client
        .list_users()
        .instance_id(DEMO_INSTANCE_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.user_summary_list().len(), 13);

    client
        .delete_user()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(&user_id)
        .send()
        .await
        .unwrap();
    let gone = client
        .describe_user()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(&user_id)
        .send()
        .await
        .unwrap_err();
    assert!(gone
        .as_service_error()
        .unwrap()
        .is_resource_not_found_exception());
    let found = client
        .search_users()
        .instance_id(DEMO_INSTANCE_ID)
        .search_criteria(criteria)
        .send()
        .await
        .unwrap();
    assert!(found.users().is_empty());
}

#[tokio::test]
async fn a_restart_keeps_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kept.sqlite");
    let server = LocalServer::builder()
        .db(&db)
        .args(["--no-throttle"])
        .start();
    let client = server.client();
    let rp = id_of_routing_profile(&client, "Support Tier 2").await;
    let sp = id_of_security_profile(&client, "QualityAnalyst").await;
    let created = create(&client, "kept.agent", &rp, &sp)
        .send()
        .await
        .unwrap();
    let status = server.terminate();
    assert!(
        status.success(),
        "local serve should exit cleanly on SIGTERM: {status:?}"
    );

    // the same seed again is skipped, not duplicated
    let server = LocalServer::builder()
        .db(&db)
        .args(["--no-throttle"])
        .start();
    let client = server.client();
    let user = describe(&client, created.user_id().unwrap()).await;
    assert_eq!(user.username(), Some("kept.agent"));
    let users = client
        .list_users()
        .instance_id(DEMO_INSTANCE_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(users.user_summary_list().len(), 13);
    assert!(
        server.log().contains("not loaded again"),
        "{}",
        server.log()
    );
}

#[tokio::test]
async fn stats_and_request_log() {
    let server = LocalServer::start();
    let client = server.client();
    client
        .describe_instance()
        .instance_id(DEMO_INSTANCE_ID)
        .send()
        .await
        .unwrap();
    client
        .list_users()
        .instance_id(DEMO_INSTANCE_ID)
        .send()
        .await
        .unwrap();
    let _ = client
        .describe_user()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id("missing")
        .send()
        .await;

    let stats = server.stats();
    assert_eq!(stats["requests"], 3);
    assert_eq!(stats["operations"]["DescribeInstance"]["200"], 1);
    assert_eq!(stats["operations"]["ListUsers"]["200"], 1);
    assert_eq!(stats["operations"]["DescribeUser"]["404"], 1);

    let log = server.log();
    assert!(
        log.lines().any(
            |l| l.starts_with(&format!("GET /users-summary/{DEMO_INSTANCE_ID} 200 "))
                && l.ends_with("ListUsers")
        ),
        "{log}"
    );
    assert!(
        log.contains(&format!("GET /users/{DEMO_INSTANCE_ID}/missing 404 ")),
        "{log}"
    );
}
