//! `local serve` errors as `aws-sdk-connect` sees them: the service's typed
//! exceptions and server-side checks, rejected signatures, and concurrent
//! creates of one name.
use crate::support;

use aws_sdk_connect::error::ProvideErrorMetadata;
use aws_sdk_connect::types::{PhoneType, UserIdentityInfo, UserPhoneConfig};
use support::local_server::{LocalServer, DEMO_INSTANCE_ID};
use support::sdk::{code_of, create, id_of_routing_profile, id_of_security_profile};

#[tokio::test]
async fn typed_errors() {
    let server = LocalServer::start();
    let client = server.client();
    let rp = id_of_routing_profile(&client, "Basic Routing Profile").await;
    let sp = id_of_security_profile(&client, "Agent").await;

    // a demo login in other case: taken
    let err = create(&client, "S.Tanaka", &rp, &sp)
        .send()
        .await
        .unwrap_err();
    let service = err.as_service_error().unwrap();
    assert!(service.is_duplicate_resource_exception(), "{service:?}");
    assert_eq!(err.raw_response().unwrap().status().as_u16(), 409);
    assert!(service.message().unwrap().contains("S.Tanaka"));

    assert_eq!(
        code_of(create(&client, "x1", "no-such-rp", &sp).send()).await,
        "ResourceNotFoundException"
    );
    assert_eq!(
        code_of(create(&client, "x2", &rp, "no-such-sp").send()).await,
        "ResourceNotFoundException"
    );
    assert_eq!(
        code_of(
            create(&client, "x3", &rp, &sp)
                .hierarchy_group_id("no-such-group")
                .send()
        )
        .await,
        "ResourceNotFoundException"
    );
    assert_eq!(
        code_of(client.list_users().instance_id("no-such-instance").send()).await,
        "ResourceNotFoundException"
    );

    // server-side field checks
    let too_long = create(&client, "a.name.longer.than.20", &rp, &sp)
        .send()
        .await
        .unwrap_err();
    assert!(too_long
        .as_service_error()
        .unwrap()
        .is_invalid_parameter_exception());
    let weak = create(&client, "weak.pw", &rp, &sp)
        .password("password")
        .send()
        .await
        .unwrap_err();
    let weak = weak.as_service_error().unwrap();
    assert!(weak.is_invalid_parameter_exception());
    assert!(!weak.message().unwrap_or_default().contains("password\""));
    let desk = create(&client, "desk.nonumber", &rp, &sp)
        .phone_config(
            UserPhoneConfig::builder()
                .phone_type(PhoneType::DeskPhone)
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert!(desk
        .as_service_error()
        .unwrap()
        .is_invalid_parameter_exception());
    let page = client
        .list_users()
        .instance_id(DEMO_INSTANCE_ID)
        .max_results(1001)
        .send()
        .await
        .unwrap_err();
    assert!(page
        .as_service_error()
        .unwrap()
        .is_invalid_parameter_exception());

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
    let server = LocalServer::builder()
        .seed(&seed)
        .args(["--no-throttle"])
        .start();
    let client = server.client();
    let (rp, sp) = support::sdk::first_profiles(&client, "saml-1").await;
    let named = |first: Option<&str>, last: Option<&str>| {
        UserIdentityInfo::builder()
            .set_first_name(first.map(str::to_string))
            .set_last_name(last.map(str::to_string))
            .build()
    };
    let base = || {
        client
            .create_user()
            .instance_id("saml-1")
            .identity_info(named(Some("Ann"), Some("Lee")))
            .routing_profile_id(&rp)
            .security_profile_ids(&sp)
    };

    let long_login = "first.last.with.a.long.name@example.com";
    base().username(long_login).send().await.unwrap();
    // The CreateUser reference: first and last name are required for SAML too.
    for (first, last, missing) in [
        (None, Some("Lee"), "FirstName"),
        (Some("Ann"), None, "LastName"),
        (Some("Ann"), Some(""), "LastName"),
    ] {
        let err = base()
            .username("no.name")
            .identity_info(named(first, last))
            .send()
            .await
            .unwrap_err();
        let err = err.as_service_error().unwrap();
        assert!(err.is_invalid_parameter_exception(), "{err:?}");
        assert!(err.message().unwrap().contains(missing), "{err:?}");
    }
    assert_eq!(
        code_of(
            base()
                .username("no.identity")
                .set_identity_info(None)
                .send()
        )
        .await,
        "InvalidParameterException"
    );
    // an e-mail address stays refused on SAML (see rules::check_new_user)
    assert_eq!(
        code_of(
            base()
                .username("with.email")
                .identity_info(
                    UserIdentityInfo::builder()
                        .first_name("Ann")
                        .last_name("Lee")
                        .email("ann@example.com")
                        .build(),
                )
                .send()
        )
        .await,
        "InvalidParameterException"
    );
    assert_eq!(
        code_of(base().username("pw.sent").password("Str0ngPassw0rd").send()).await,
        "InvalidParameterException"
    );
    let err = base().username("user@example").send().await.unwrap_err();
    assert!(err
        .as_service_error()
        .unwrap()
        .is_invalid_parameter_exception());
}

#[tokio::test]
async fn unsigned_and_wrongly_signed_requests_get_403() {
    let server = LocalServer::start();

    let unsigned = server.raw_request("GET", "/instance", &[], "");
    assert_eq!(unsigned.status, 403);
    assert_eq!(
        unsigned.header("x-amzn-errortype"),
        Some("MissingAuthenticationTokenException")
    );
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

    let wrong_secret = aws_sdk_connect::Client::from_conf(
        server
            .sdk_config_with_keys("test", "not-the-secret")
            .build(),
    );
    let err = wrong_secret
        .list_users()
        .instance_id(DEMO_INSTANCE_ID)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.raw_response().unwrap().status().as_u16(), 403);
    assert_eq!(err.code(), Some("InvalidSignatureException"));

    let wrong_key = aws_sdk_connect::Client::from_conf(
        server.sdk_config_with_keys("AKIDEXAMPLE", "test").build(),
    );
    let err = wrong_key
        .describe_instance()
        .instance_id(DEMO_INSTANCE_ID)
        .send()
        .await
        .unwrap_err();
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
        let name = if i % 2 == 0 {
            "race.agent".to_string()
        } else {
            "Race.Agent".to_string()
        };
        let request = create(&client, &name, &rp, &sp);
        tasks.push(tokio::spawn(async move { request.send().await }));
    }
    let mut won = 0;
    let mut duplicate = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => won += 1,
            Err(err)
                if err
                    .as_service_error()
                    .is_some_and(|e| e.is_duplicate_resource_exception()) =>
            {
                duplicate += 1
            }
            Err(err) => panic!("unexpected error {err:?}"),
        }
    }
    assert_eq!((won, duplicate), (1, 19));
    let store = connect_users::local::store::Store::open(server.db_path()).unwrap();
    assert_eq!(
        store
            .count_users_named(DEMO_INSTANCE_ID, "RACE.AGENT")
            .unwrap(),
        1
    );
}
