//! `local serve` driven through `aws-sdk-connect`: every operation, the
//! service's error types as the SDK sees them, signatures, concurrency,
//! persistence across a restart, the stats endpoint and the request log.

mod support;

use aws_sdk_connect::error::ProvideErrorMetadata;
use aws_sdk_connect::types::{PhoneType, StringComparisonType, StringCondition, UserIdentityInfo, UserPhoneConfig, UserSearchCriteria};
use aws_sdk_connect::Client;
use support::local_server::{LocalServer, DEMO_INSTANCE_ID};

async fn id_of_routing_profile(client: &Client, name: &str) -> String {
    let list = client.list_routing_profiles().instance_id(DEMO_INSTANCE_ID).send().await.unwrap();
    let rp = list.routing_profile_summary_list().iter().find(|p| p.name() == Some(name)).expect(name);
    rp.id().unwrap().to_string()
}

async fn id_of_security_profile(client: &Client, name: &str) -> String {
    let list = client.list_security_profiles().instance_id(DEMO_INSTANCE_ID).send().await.unwrap();
    let sp = list.security_profile_summary_list().iter().find(|p| p.name() == Some(name)).expect(name);
    sp.id().unwrap().to_string()
}

fn create(client: &Client, username: &str, rp: &str, sp: &str) -> aws_sdk_connect::operation::create_user::builders::CreateUserFluentBuilder {
    client
        .create_user()
        .instance_id(DEMO_INSTANCE_ID)
        .username(username)
        .password("Str0ngPassw0rd")
        .identity_info(UserIdentityInfo::builder().first_name("Test").last_name("User").email(format!("{username}@example.com")).build())
        .phone_config(UserPhoneConfig::builder().phone_type(PhoneType::SoftPhone).auto_accept(true).after_contact_work_time_limit(30).build())
        .routing_profile_id(rp)
        .security_profile_ids(sp)
}

#[tokio::test]
async fn instance_and_configuration_operations() {
    let server = LocalServer::start();
    let client = server.client();

    let instances = client.list_instances().send().await.unwrap();
    let summary = &instances.instance_summary_list()[0];
    assert_eq!(summary.id(), Some(DEMO_INSTANCE_ID));
    assert_eq!(summary.instance_alias(), Some("demo-contact-center"));

    let described = client.describe_instance().instance_id(DEMO_INSTANCE_ID).send().await.unwrap();
    let instance = described.instance().unwrap();
    assert_eq!(instance.identity_management_type().map(|t| t.as_str()), Some("CONNECT_MANAGED"));
    assert_eq!(instance.arn(), Some(format!("arn:aws:connect:us-east-1:111122223333:instance/{DEMO_INSTANCE_ID}").as_str()));

    let rps = client.list_routing_profiles().instance_id(DEMO_INSTANCE_ID).send().await.unwrap();
    let names: Vec<_> = rps.routing_profile_summary_list().iter().filter_map(|p| p.name()).collect();
    assert_eq!(names, ["Basic Routing Profile", "Sales Inbound", "Support Tier 1", "Support Tier 2", "Japan Support"]);
    let sps = client.list_security_profiles().instance_id(DEMO_INSTANCE_ID).send().await.unwrap();
    assert_eq!(sps.security_profile_summary_list().len(), 4);

    let structure = client.describe_user_hierarchy_structure().instance_id(DEMO_INSTANCE_ID).send().await.unwrap();
    let structure = structure.hierarchy_structure().unwrap();
    assert_eq!(structure.level_one().and_then(|l| l.name()), Some("Region"));
    assert_eq!(structure.level_three().and_then(|l| l.name()), Some("Team"));
    assert!(structure.level_four().is_none());

    let groups = client.list_user_hierarchy_groups().instance_id(DEMO_INSTANCE_ID).send().await.unwrap();
    let groups = groups.user_hierarchy_group_summary_list();
    // 2 regions, 4 sites, 6 teams
    assert_eq!(groups.len(), 12);
    let kansai = groups.iter().find(|g| g.name() == Some("Team Kansai")).unwrap();
    let group = client
        .describe_user_hierarchy_group()
        .instance_id(DEMO_INSTANCE_ID)
        .hierarchy_group_id(kansai.id().unwrap())
        .send()
        .await
        .unwrap();
    let group = group.hierarchy_group().unwrap();
    let path = group.hierarchy_path().unwrap();
    let names = [path.level_one(), path.level_two(), path.level_three()].map(|l| l.and_then(|g| g.name()).unwrap_or_default());
    assert_eq!(names, ["Japan", "Osaka", "Team Kansai"]);
    assert_eq!(group.level_id(), structure.level_three().and_then(|l| l.id()));
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
    assert!(created.user_arn().unwrap().ends_with(&format!("/agent/{user_id}")));

    let user = client.describe_user().instance_id(DEMO_INSTANCE_ID).user_id(&user_id).send().await.unwrap();
    let user = user.user().unwrap();
    assert_eq!(user.username(), Some("new.agent"));
    assert_eq!(user.identity_info().and_then(|i| i.email()), Some("new.agent@example.com"));
    assert_eq!(user.routing_profile_id(), Some(rp.as_str()));
    assert_eq!(user.security_profile_ids(), [sp.clone()]);
    assert_eq!(user.phone_config().map(|p| p.after_contact_work_time_limit()), Some(30));
    assert_eq!(user.tags().and_then(|t| t.get("team")).map(String::as_str), Some("orca"));

    // SearchUsers, Username EXACT, ignoring case
    let criteria = UserSearchCriteria::builder()
        .string_condition(
            StringCondition::builder().field_name("Username").value("NEW.AGENT").comparison_type(StringComparisonType::Exact).build(),
        )
        .build();
    let found = client.search_users().instance_id(DEMO_INSTANCE_ID).search_criteria(criteria.clone()).send().await.unwrap();
    assert_eq!(found.users().len(), 1);
    assert_eq!(found.approximate_total_count(), Some(1));
    assert_eq!(found.users()[0].id(), Some(user_id.as_str()));
    assert_eq!(found.users()[0].identity_info().and_then(|i| i.first_name()), Some("Test"));

    // inside OrConditions too
    let nested = UserSearchCriteria::builder().or_conditions(criteria.clone()).build();
    let found = client.search_users().instance_id(DEMO_INSTANCE_ID).search_criteria(nested).send().await.unwrap();
    assert_eq!(found.users().len(), 1);

    client
        .update_user_phone_config()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(&user_id)
        .phone_config(UserPhoneConfig::builder().phone_type(PhoneType::DeskPhone).desk_phone_number("+12065550199").build())
        .send()
        .await
        .unwrap();
    let user = client.describe_user().instance_id(DEMO_INSTANCE_ID).user_id(&user_id).send().await.unwrap();
    let phone = user.user().unwrap().phone_config().unwrap();
    assert_eq!(phone.phone_type(), &PhoneType::DeskPhone);
    assert_eq!(phone.desk_phone_number(), Some("+12065550199"));

    let listed = client.list_users().instance_id(DEMO_INSTANCE_ID).send().await.unwrap();
    assert_eq!(listed.user_summary_list().len(), 13);

    client.delete_user().instance_id(DEMO_INSTANCE_ID).user_id(&user_id).send().await.unwrap();
    let gone = client.describe_user().instance_id(DEMO_INSTANCE_ID).user_id(&user_id).send().await.unwrap_err();
    assert!(gone.as_service_error().unwrap().is_resource_not_found_exception());
    let found = client.search_users().instance_id(DEMO_INSTANCE_ID).search_criteria(criteria).send().await.unwrap();
    assert!(found.users().is_empty());
}

#[tokio::test]
async fn typed_errors() {
    let server = LocalServer::start();
    let client = server.client();
    let rp = id_of_routing_profile(&client, "Basic Routing Profile").await;
    let sp = id_of_security_profile(&client, "Agent").await;

    // a demo login in other case: taken
    let err = create(&client, "S.Tanaka", &rp, &sp).send().await.unwrap_err();
    let service = err.as_service_error().unwrap();
    assert!(service.is_duplicate_resource_exception(), "{service:?}");
    assert_eq!(err.raw_response().unwrap().status().as_u16(), 409);
    assert!(service.message().unwrap().contains("S.Tanaka"));

    let err = create(&client, "x1", "no-such-rp", &sp).send().await.unwrap_err();
    assert!(err.as_service_error().unwrap().is_resource_not_found_exception());
    let err = create(&client, "x2", &rp, "no-such-sp").send().await.unwrap_err();
    assert!(err.as_service_error().unwrap().is_resource_not_found_exception());
    let err = create(&client, "x3", &rp, &sp).hierarchy_group_id("no-such-group").send().await.unwrap_err();
    assert!(err.as_service_error().unwrap().is_resource_not_found_exception());
    let err = client.list_users().instance_id("no-such-instance").send().await.unwrap_err();
    assert!(err.as_service_error().unwrap().is_resource_not_found_exception());

    // server-side field checks
    let too_long = create(&client, "a.name.longer.than.20", &rp, &sp).send().await.unwrap_err();
    assert!(too_long.as_service_error().unwrap().is_invalid_parameter_exception());
    let weak = create(&client, "weak.pw", &rp, &sp).password("password").send().await.unwrap_err();
    let weak = weak.as_service_error().unwrap();
    assert!(weak.is_invalid_parameter_exception());
    assert!(!weak.message().unwrap_or_default().contains("password\""));
    let desk = create(&client, "desk.nonumber", &rp, &sp)
        .phone_config(UserPhoneConfig::builder().phone_type(PhoneType::DeskPhone).build())
        .send()
        .await
        .unwrap_err();
    assert!(desk.as_service_error().unwrap().is_invalid_parameter_exception());
    let page = client.list_users().instance_id(DEMO_INSTANCE_ID).max_results(1001).send().await.unwrap_err();
    assert!(page.as_service_error().unwrap().is_invalid_parameter_exception());

    assert_eq!(server.count("CreateUser", "409"), 1);
    assert_eq!(server.count("CreateUser", "404"), 3);
    assert_eq!(server.count("CreateUser", "400"), 3);
}

#[tokio::test]
async fn saml_instance_rules() {
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("saml.json");
    std::fs::write(
        &seed,
        r#"{"id": "saml-1", "identity": "SAML", "routing_profiles": ["RP"], "security_profiles": ["Agent"]}"#,
    )
    .unwrap();
    let server = LocalServer::builder().seed(&seed).args(["--no-throttle"]).start();
    let client = server.client();
    let rp = client.list_routing_profiles().instance_id("saml-1").send().await.unwrap().routing_profile_summary_list()[0].id().unwrap().to_string();
    let sp = client.list_security_profiles().instance_id("saml-1").send().await.unwrap().security_profile_summary_list()[0].id().unwrap().to_string();
    let base = || client.create_user().instance_id("saml-1").routing_profile_id(&rp).security_profile_ids(&sp);

    let long_login = "first.last.with.a.long.name@example.com";
    base().username(long_login).send().await.unwrap();
    let err = base().username("pw.sent").password("Str0ngPassw0rd").send().await.unwrap_err();
    assert!(err.as_service_error().unwrap().is_invalid_parameter_exception());
    let err = base().username("user@example").send().await.unwrap_err();
    assert!(err.as_service_error().unwrap().is_invalid_parameter_exception());
}

#[tokio::test]
async fn unsigned_and_wrongly_signed_requests_get_403() {
    let server = LocalServer::start();

    let unsigned = server.raw_request("GET", "/instance", &[], "");
    assert_eq!(unsigned.status, 403);
    assert_eq!(unsigned.header("x-amzn-errortype"), Some("MissingAuthenticationTokenException"));
    assert!(unsigned.body.contains("\"message\""));

    let forged = server.raw_request(
        "GET",
        "/instance",
        &[
            ("x-amz-date", "20240101T000000Z"),
            ("authorization", "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/connect/aws4_request, SignedHeaders=host;x-amz-date, Signature=00"),
        ],
        "",
    );
    assert_eq!(forged.status, 403);

    let wrong_secret = aws_sdk_connect::Client::from_conf(server.sdk_config_with_keys("test", "not-the-secret").build());
    let err = wrong_secret.list_users().instance_id(DEMO_INSTANCE_ID).send().await.unwrap_err();
    assert_eq!(err.raw_response().unwrap().status().as_u16(), 403);
    assert_eq!(err.code(), Some("InvalidSignatureException"));

    let wrong_key = aws_sdk_connect::Client::from_conf(server.sdk_config_with_keys("AKIDEXAMPLE", "test").build());
    let err = wrong_key.describe_instance().instance_id(DEMO_INSTANCE_ID).send().await.unwrap_err();
    assert_eq!(err.code(), Some("UnrecognizedClientException"));

    // and nothing was created or listed
    assert_eq!(server.count("ListUsers", "200"), 0);
    assert_eq!(server.count("ListUsers", "403"), 1);
}

#[tokio::test]
async fn twenty_concurrent_creates_of_one_name_one_wins() {
    let server = LocalServer::start();
    let client = server.client();
    let rp = id_of_routing_profile(&client, "Sales Inbound").await;
    let sp = id_of_security_profile(&client, "Agent").await;

    let mut tasks = vec![];
    for i in 0..20 {
        // the same login in different cases
        let name = if i % 2 == 0 { "race.agent".to_string() } else { "Race.Agent".to_string() };
        let request = create(&client, &name, &rp, &sp);
        tasks.push(tokio::spawn(async move { request.send().await }));
    }
    let mut won = 0;
    let mut duplicate = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => won += 1,
            Err(err) if err.as_service_error().is_some_and(|e| e.is_duplicate_resource_exception()) => duplicate += 1,
            Err(err) => panic!("unexpected error {err:?}"),
        }
    }
    assert_eq!((won, duplicate), (1, 19));
    let store = connect_users::local::store::Store::open(server.db_path()).unwrap();
    assert_eq!(store.count_users_named(DEMO_INSTANCE_ID, "RACE.AGENT").unwrap(), 1);
}

#[tokio::test]
async fn a_restart_keeps_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kept.sqlite");
    let server = LocalServer::builder().db(&db).args(["--no-throttle"]).start();
    let client = server.client();
    let rp = id_of_routing_profile(&client, "Support Tier 2").await;
    let sp = id_of_security_profile(&client, "QualityAnalyst").await;
    let created = create(&client, "kept.agent", &rp, &sp).send().await.unwrap();
    let status = server.terminate();
    assert!(status.success(), "local serve should exit cleanly on SIGTERM: {status:?}");

    // the same seed again is skipped, not duplicated
    let server = LocalServer::builder().db(&db).args(["--no-throttle"]).start();
    let client = server.client();
    let user = client.describe_user().instance_id(DEMO_INSTANCE_ID).user_id(created.user_id().unwrap()).send().await.unwrap();
    assert_eq!(user.user().unwrap().username(), Some("kept.agent"));
    let users = client.list_users().instance_id(DEMO_INSTANCE_ID).send().await.unwrap();
    assert_eq!(users.user_summary_list().len(), 13);
    assert!(server.log().contains("not loaded again"), "{}", server.log());
}

#[tokio::test]
async fn stats_and_request_log() {
    let server = LocalServer::start();
    let client = server.client();
    client.describe_instance().instance_id(DEMO_INSTANCE_ID).send().await.unwrap();
    client.list_users().instance_id(DEMO_INSTANCE_ID).send().await.unwrap();
    let _ = client.describe_user().instance_id(DEMO_INSTANCE_ID).user_id("missing").send().await;

    let stats = server.stats();
    assert_eq!(stats["requests"], 3);
    assert_eq!(stats["operations"]["DescribeInstance"]["200"], 1);
    assert_eq!(stats["operations"]["ListUsers"]["200"], 1);
    assert_eq!(stats["operations"]["DescribeUser"]["404"], 1);

    let log = server.log();
    assert!(log.lines().any(|l| l.starts_with(&format!("GET /users-summary/{DEMO_INSTANCE_ID} 200 ")) && l.ends_with("ListUsers")), "{log}");
    assert!(log.contains(&format!("GET /users/{DEMO_INSTANCE_ID}/missing 404 ")), "{log}");
}
