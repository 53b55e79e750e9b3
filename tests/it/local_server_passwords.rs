//! `local serve` keeps what a test needs to prove a password logs in: users
//! created through the real SDK with a password answer `matches` for it and
//! `differs` for any other at `POST /_local/password-check`; users without
//! one (the seed's) say so. The password's text is in neither the database
//! file nor the request log, and the check itself is not logged.
use crate::support;

use support::apply::{check_password, leaked};
use support::local_server::{LocalServer, DEMO_INSTANCE_ID};
use support::sdk::{create, id_of_routing_profile, id_of_security_profile};

#[tokio::test(flavor = "multi_thread")]
async fn a_created_users_password_is_checked_and_never_kept_as_text() {
    let server = LocalServer::start();
    let client = server.client();
    let rp = id_of_routing_profile(&client, "Basic Routing Profile").await;
    let sp = id_of_security_profile(&client, "Agent").await;
    let password = "Kx7mQ2vRt9LpWz4N";
    let created = create(&client, "pw.check", &rp, &sp)
        .password(password)
        .send()
        .await
        .expect("CreateUser");
    // The server refuses a password that breaks the policy.
    let weak = create(&client, "pw.weak", &rp, &sp)
        .password("alllowercase1")
        .send()
        .await;
    assert!(weak.is_err());

    let results = tokio::task::block_in_place(|| {
        [
            check_password(&server, DEMO_INSTANCE_ID, "pw.check", password),
            check_password(&server, DEMO_INSTANCE_ID, "PW.Check", password),
            check_password(&server, DEMO_INSTANCE_ID, "pw.check", "Kx7mQ2vRt9LpWz4n"),
            check_password(&server, DEMO_INSTANCE_ID, "pw.weak", "alllowercase1"),
            check_password(&server, DEMO_INSTANCE_ID, "nobody.here", password),
        ]
    });
    assert_eq!(
        results,
        ["matches", "matches", "differs", "no-user", "no-user"]
    );

    let log = server.log();
    assert!(log.contains("CreateUser"), "the request log is on:\n{log}");
    assert!(!log.contains("password-check"), "{log}");
    let secrets = vec![password.to_string()];
    assert_eq!(leaked(&log, &secrets), Vec::<&str>::new());
    let db = std::fs::read(server.db_path()).unwrap();
    let wal = std::fs::read(server.db_path().with_extension("sqlite-wal")).unwrap_or_default();
    for bytes in [db, wal] {
        assert_eq!(
            leaked(&String::from_utf8_lossy(&bytes), &secrets),
            Vec::<&str>::new()
        );
    }

    // A deleted user's password goes with it.
    client
        .delete_user()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(created.user_id().unwrap())
        .send()
        .await
        .expect("DeleteUser");
    let after = tokio::task::block_in_place(|| {
        check_password(&server, DEMO_INSTANCE_ID, "pw.check", password)
    });
    assert_eq!(after, "no-user");
}

/// The check answers whether a guess is right, so it is signed like an API
/// request: without a signature, or with another key pair, it says nothing.
#[test]
fn the_check_needs_the_servers_signature() {
    let server = LocalServer::start();
    let body = format!(
        "{{\"instance_id\": \"{DEMO_INSTANCE_ID}\", \"user_login\": \"s.tanaka\", \"password\": \"Guess1234\"}}"
    );
    let json = [("content-type", "application/json")];
    let unsigned = server.raw_request("POST", "/_local/password-check", &json, &body);
    assert_eq!(unsigned.status, 403, "{unsigned:?}");
    assert_eq!(
        unsigned.header("x-amzn-errortype"),
        Some("MissingAuthenticationTokenException")
    );
    assert!(!unsigned.body.contains("result"), "{unsigned:?}");
    let other = server.signed_request(
        ("test", "guess"),
        "POST",
        "/_local/password-check",
        &json,
        &body,
    );
    assert_eq!(other.status, 403, "{other:?}");
    assert_eq!(
        other.header("x-amzn-errortype"),
        Some("InvalidSignatureException")
    );
    let signed = server.signed_request(
        ("test", "test"),
        "POST",
        "/_local/password-check",
        &json,
        &body,
    );
    assert_eq!(signed.status, 200, "{signed:?}");
    assert!(signed.body.contains("no-password"), "{signed:?}");
}

#[test]
fn a_seed_user_has_no_password_and_a_bad_request_is_refused() {
    let server = LocalServer::start();
    let seeded = support::apply::usernames(&server, DEMO_INSTANCE_ID)
        .into_keys()
        .next()
        .expect("the demo seed has users");
    assert_eq!(
        check_password(&server, DEMO_INSTANCE_ID, &seeded, "Anything1x"),
        "no-password"
    );
    let response = server.signed_request(
        ("test", "test"),
        "POST",
        "/_local/password-check",
        &[("content-type", "application/json")],
        "{\"user_login\": \"x\"}",
    );
    assert_eq!(response.status, 400, "{response:?}");
    assert_eq!(
        server
            .raw_request("GET", "/_local/password-check", &[], "")
            .status,
        405
    );
}
