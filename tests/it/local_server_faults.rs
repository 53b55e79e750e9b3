//! `local serve` quotas and fault injection, as a client sees them through
//! `aws-sdk-connect`: ThrottlingException from the shared token bucket,
//! injected 500s, dropped connections, commits whose answer is lost,
//! latency, and a fault seed that replays the same faults.

use crate::support;

use std::time::{Duration, Instant};

use aws_sdk_connect::error::SdkError;
use aws_sdk_connect::Client;
use support::local_server::{LocalServer, DEMO_INSTANCE_ID};

/// IDs of `Basic Routing Profile` and `Agent`, read from the seeded store
/// (not through the server, so no request is spent or faulted).
async fn profile_ids(server: &LocalServer) -> (String, String) {
    use connect_users::connect::ConnectApi;
    let api = connect_users::local::api::LocalApi::open(server.db_path(), Some(DEMO_INSTANCE_ID))
        .unwrap();
    let rp = api
        .list_routing_profiles()
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.name == "Basic Routing Profile")
        .unwrap();
    let sp = api
        .list_security_profiles()
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.name == "Agent")
        .unwrap();
    (rp.id, sp.id)
}

/// A CreateUser of `username` with these profiles, its user ID.
async fn create(
    client: &Client,
    ids: &(String, String),
    username: &str,
) -> Result<String, SdkError<aws_sdk_connect::operation::create_user::CreateUserError>> {
    support::sdk::create(client, username, &ids.0, &ids.1)
        .send()
        .await
        .map(|out| out.user_id().unwrap_or_default().to_string())
}

fn users_named(server: &LocalServer, name: &str) -> usize {
    let store = connect_users::local::store::Store::open(server.db_path()).unwrap();
    store.count_users_named(DEMO_INSTANCE_ID, name).unwrap()
}

#[tokio::test]
async fn the_token_bucket_throttles_user_and_list_calls() {
    // one token every 100 s, one bucket for every operation: only the
    // burst of 5 gets through
    let server = LocalServer::builder()
        .args(["--rate", "0.01", "--burst", "5", "--quota", "shared"])
        .start();
    let client = server.client();
    let mut throttled = 0;
    for i in 0..8 {
        let result = if i % 2 == 0 {
            client
                .list_users()
                .instance_id(DEMO_INSTANCE_ID)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| e.into_service_error().is_throttling_exception())
        } else {
            client
                .list_routing_profiles()
                .instance_id(DEMO_INSTANCE_ID)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| e.into_service_error().is_throttling_exception())
        };
        match result {
            Ok(()) => {}
            Err(true) => throttled += 1,
            Err(false) => panic!("an error other than ThrottlingException"),
        }
    }
    assert_eq!(throttled, 3);
    assert_eq!(
        server.count("ListUsers", "429") + server.count("ListRoutingProfiles", "429"),
        3
    );
    // the instance calls have their own quota
    for _ in 0..3 {
        client
            .describe_instance()
            .instance_id(DEMO_INSTANCE_ID)
            .send()
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn the_sdk_retries_past_throttling() {
    // with the SDK's standard retries and a bucket that refills, a paced
    // client gets through
    let server = LocalServer::builder()
        .args(["--rate", "20", "--burst", "2"])
        .start();
    let retrying = server.sdk_config().retry_config(
        aws_sdk_connect::config::retry::RetryConfig::standard().with_max_attempts(10),
    );
    let client = Client::from_conf(retrying.build());
    for _ in 0..6 {
        client
            .list_security_profiles()
            .instance_id(DEMO_INSTANCE_ID)
            .send()
            .await
            .unwrap();
    }
    assert_eq!(server.count("ListSecurityProfiles", "200"), 6);
}

#[tokio::test]
async fn fail_rate_answers_internal_service_exception_and_changes_nothing() {
    let server = LocalServer::builder()
        .args(["--no-throttle", "--fail-rate", "1"])
        .start();
    let ids = profile_ids(&server).await;
    let client = server.client();
    let err = create(&client, &ids, "never.created").await.unwrap_err();
    assert!(
        err.as_service_error()
            .unwrap()
            .is_internal_service_exception(),
        "{err:?}"
    );
    let err = client
        .list_users()
        .instance_id(DEMO_INSTANCE_ID)
        .send()
        .await
        .unwrap_err();
    assert!(err.into_service_error().is_internal_service_exception());
    assert_eq!(users_named(&server, "never.created"), 0);
    assert_eq!(server.count("CreateUser", "500"), 1);
}

#[tokio::test]
async fn drop_rate_closes_the_connection_unanswered_and_changes_nothing() {
    let server = LocalServer::builder()
        .args(["--no-throttle", "--drop-rate", "1"])
        .start();
    let ids = profile_ids(&server).await;
    let client = server.client();
    let err = create(&client, &ids, "never.created").await.unwrap_err();
    assert!(
        err.as_service_error().is_none(),
        "a dropped connection is not a service answer: {err:?}"
    );
    assert!(err.raw_response().is_none(), "{err:?}");
    assert_eq!(users_named(&server, "never.created"), 0);
    assert_eq!(server.count("CreateUser", "dropped"), 1);
    assert!(server.log().contains(" dropped "), "{}", server.log());
}

#[tokio::test]
async fn commit_then_fail_creates_the_user_but_loses_the_answer() {
    let server = LocalServer::builder()
        .args([
            "--no-throttle",
            "--commit-then-fail-rate",
            "1",
            "--fault-seed",
            "11",
        ])
        .start();
    let ids = profile_ids(&server).await;
    let client = server.client();
    for i in 0..6 {
        let name = format!("ctf.{i}");
        let err = create(&client, &ids, &name).await.unwrap_err();
        match err.as_service_error() {
            Some(service) => assert!(service.is_internal_service_exception(), "{err:?}"),
            None => assert!(err.raw_response().is_none(), "{err:?}"),
        }
        assert_eq!(
            users_named(&server, &name),
            1,
            "the user is committed despite the error"
        );
        // the naive retry now meets the committed user
        let retry = create(&client, &ids, &name).await.unwrap_err();
        assert!(
            retry
                .as_service_error()
                .is_some_and(|e| e.is_duplicate_resource_exception()),
            "{retry:?}"
        );
    }
    // both ways of losing the answer occur (seeded, so always the same mix)
    assert!(
        server.count("CreateUser", "500") > 0 && server.count("CreateUser", "dropped") > 0,
        "{}",
        server.stats()
    );
    // reads are never failed by this mode
    client
        .list_users()
        .instance_id(DEMO_INSTANCE_ID)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn latency_delays_each_request() {
    let server = LocalServer::builder()
        .args(["--no-throttle", "--latency-ms", "150-200"])
        .start();
    let client = server.client();
    let start = Instant::now();
    client
        .list_users()
        .instance_id(DEMO_INSTANCE_ID)
        .send()
        .await
        .unwrap();
    client
        .describe_instance()
        .instance_id(DEMO_INSTANCE_ID)
        .send()
        .await
        .unwrap();
    assert!(start.elapsed() >= Duration::from_millis(300));
}

/// The outcome of 30 sequential ListUsers calls: true for a 500.
async fn failure_pattern(seed: &str) -> Vec<bool> {
    let server = LocalServer::builder()
        .args(["--no-throttle", "--fail-rate", "0.5", "--fault-seed", seed])
        .start();
    let client = server.client();
    let mut pattern = vec![];
    for _ in 0..30 {
        pattern.push(
            client
                .list_users()
                .instance_id(DEMO_INSTANCE_ID)
                .send()
                .await
                .is_err(),
        );
    }
    pattern
}

#[tokio::test]
async fn a_fault_seed_replays_the_same_faults() {
    let first = failure_pattern("42").await;
    assert_eq!(first, failure_pattern("42").await);
    assert!(first.contains(&true) && first.contains(&false), "{first:?}");
    assert_ne!(first, failure_pattern("43").await);
}
