//! Reading agents by pages: what it costs (10,000 users in a few calls),
//! that a SearchUsers page carries every field a DescribeUser does but the
//! three the search's model leaves out (ACW milliseconds included), and
//! the quota `local serve` imitates: a bucket per operation, or one.
use std::sync::Arc;

use connect_users::connect::pacers::{Pacers, Quota};
use connect_users::connect::patience::Patience;
use connect_users::connect::sdk::SdkApi;
use connect_users::connect::{ConnectApi, UserQuery};

use crate::support;
use support::agents::{agents, AGENTS_INSTANCE_ID};
use support::apply::{fixture, run};
use support::local_server::{LocalServer, DEMO_INSTANCE_ID};

/// An instance of `n` agents over two teams; a tenth of them desk phones.
fn instance_of(n: usize) -> String {
    let mut text = format!(
        "id = \"{AGENTS_INSTANCE_ID}\"\nidentity = \"CONNECT_MANAGED\"\n\
         routing_profiles = [\"Basic Routing Profile\"]\nsecurity_profiles = [\"Agent\"]\n\n\
         [hierarchy]\nlevels = [\"Site\", \"Team\"]\ngroups = [\"Seattle|Orca\", \"Seattle|Rainier\"]\n"
    );
    for i in 0..n {
        let team = if i % 2 == 0 { "Orca" } else { "Rainier" };
        let phone = if i % 10 == 0 {
            "DESK_PHONE\"\ndesk_phone_number = \"+12065550100"
        } else {
            "SOFT_PHONE"
        };
        text.push_str(&format!(
            "\n[[users]]\nusername = \"agent.{i:05}\"\nfirst_name = \"Agent\"\nlast_name = \"N{i}\"\n\
             routing_profile = \"Basic Routing Profile\"\nsecurity_profiles = [\"Agent\"]\n\
             hierarchy = \"Seattle|{team}\"\nphone_type = \"{phone}\"\nacw_timeout = 30\n\
             persistent_connection = {}\n",
            i % 3 == 0
        ));
    }
    text
}

#[test]
fn ten_thousand_users_are_listed_in_at_most_30_calls() {
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("big.toml");
    std::fs::write(&seed, instance_of(10_000)).unwrap();
    let server = LocalServer::builder()
        .seed(&seed)
        .args(["--no-throttle"])
        .start();
    let result = run(agents(dir.path(), &server, "list")
        .args(["--rate", "1000", "--burst", "100"])
        .args(["--format", "csv"]));
    assert_eq!(result.code, Some(0), "{}", result.stderr);
    assert_eq!(
        result.stdout.lines().count(),
        10_001,
        "a header and every agent"
    );
    let stats = server.stats();
    let calls = stats["requests"].as_u64().unwrap();
    assert!(calls <= 30, "{calls} calls: {stats}");
    assert_eq!(server.count("SearchUsers", "200"), 20, "{stats}");
    assert_eq!(server.count("DescribeUser", "200"), 0, "{stats}");
}

/// Every user of two instances (one setting every field, one with varied
/// phone settings), as a search page and as DescribeUser shows it: the same
/// but for the e-mail addresses, mobile and modification time.
#[tokio::test]
async fn a_search_page_carries_every_field_a_describe_does() {
    for (seed, instance) in [
        (
            "instances/every-field.toml",
            "7a9b8f5e-bda4-4c2b-a0e5-8e4b6a7b9ba1",
        ),
        ("instances/agents.toml", AGENTS_INSTANCE_ID),
    ] {
        let server = LocalServer::builder()
            .seed(fixture(seed))
            .args(["--no-throttle"])
            .start();
        let api = SdkApi::new(
            server.client(),
            instance,
            Arc::new(Pacers::new(Quota::PerOperation, 1000.0, 100).unwrap()),
            Patience::default(),
        );
        let page = api.search_users(&UserQuery::default(), None).await.unwrap();
        assert!(page.next_token.is_none());
        assert_eq!(page.approximate_total, Some(page.users.len() as u64));
        for searched in page.users {
            let mut described = api.describe_user(&searched.id).await.unwrap();
            assert!(described.last_modified.is_some());
            described.last_modified = None;
            let info = &mut described.fields.identity_info;
            (info.email, info.secondary_email, info.mobile) = (None, None, None);
            assert_eq!(searched, described, "{}", searched.fields.username);
        }
    }
}

#[tokio::test]
async fn local_serve_has_a_quota_per_operation_or_one_shared() {
    for (quota, expected) in [
        ("per-operation", [true, true, false, true]),
        ("shared", [true, true, false, false]),
    ] {
        let server = LocalServer::builder()
            .args(["--rate", "0.01", "--burst", "2", "--quota", quota])
            .start();
        let client = server.client();
        let mut admitted = Vec::new();
        for _ in 0..3 {
            let answer = client
                .list_security_profiles()
                .instance_id(DEMO_INSTANCE_ID)
                .send()
                .await;
            admitted.push(answer.is_ok());
        }
        let answer = client
            .list_routing_profiles()
            .instance_id(DEMO_INSTANCE_ID)
            .send()
            .await;
        admitted.push(answer.is_ok());
        assert_eq!(admitted, expected, "--quota {quota}: {}", server.stats());
    }
}
