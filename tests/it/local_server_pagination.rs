//! Pagination across 2,500 users: ListUsers and SearchUsers pages of the
//! service's sizes, followed by hand and by the SDK's own paginators.

use crate::support;

use std::collections::HashSet;
use std::fmt::Write;

use aws_sdk_connect::types::{StringComparisonType, StringCondition, UserSearchCriteria};
use support::local_server::LocalServer;

const INSTANCE: &str = "0b7e9c1d-0000-4000-8000-000000002500";

/// A seed with 2,490 users (created through the seed, which is fast in a
/// debug build); the test creates the last 10 through the API.
fn big_seed(dir: &std::path::Path) -> std::path::PathBuf {
    let mut toml = format!(
        "id = \"{INSTANCE}\"\nidentity = \"SAML\"\nrouting_profiles = [\"Basic Routing Profile\"]\nsecurity_profiles = [\"Agent\"]\n"
    );
    for i in 0..2490 {
        write!(
            toml,
            "\n[[users]]\nusername = \"agent.{i:04}\"\nfirst_name = \"Agent\"\nlast_name = \"N{i}\"\nrouting_profile = \"Basic Routing Profile\"\nsecurity_profiles = [\"Agent\"]\n"
        )
        .unwrap();
    }
    let path = dir.join("big.toml");
    std::fs::write(&path, toml).unwrap();
    path
}

#[tokio::test]
async fn pages_across_2500_users() {
    let dir = tempfile::tempdir().unwrap();
    let server = LocalServer::builder()
        .seed(big_seed(dir.path()))
        .args(["--no-throttle"])
        .start();
    let client = server.client();
    let (rp, sp) = support::sdk::first_profiles(&client, INSTANCE).await;
    for i in 2490..2500 {
        client
            .create_user()
            .instance_id(INSTANCE)
            .username(format!("agent.{i:04}"))
            .identity_info(
                aws_sdk_connect::types::UserIdentityInfo::builder()
                    .first_name("Agent")
                    .last_name(format!("{i:04}"))
                    .build(),
            )
            .routing_profile_id(&rp)
            .security_profile_ids(&sp)
            .send()
            .await
            .unwrap();
    }

    // ListUsers by hand, pages of 1,000
    let mut sizes = vec![];
    let mut ids = HashSet::new();
    let mut token: Option<String> = None;
    loop {
        let page = client
            .list_users()
            .instance_id(INSTANCE)
            .max_results(1000)
            .set_next_token(token.clone())
            .send()
            .await
            .unwrap();
        sizes.push(page.user_summary_list().len());
        ids.extend(
            page.user_summary_list()
                .iter()
                .map(|u| u.id().unwrap().to_string()),
        );
        match page.next_token() {
            Some(next) => token = Some(next.to_string()),
            None => break,
        }
    }
    assert_eq!(sizes, [1000, 1000, 500]);
    assert_eq!(ids.len(), 2500);

    // the SDK's paginator, default page size (100)
    let pages: Vec<_> = client
        .list_users()
        .instance_id(INSTANCE)
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert_eq!(pages.len(), 25);
    let names: HashSet<String> = pages
        .iter()
        .flat_map(|p| p.user_summary_list())
        .map(|u| u.username().unwrap().to_string())
        .collect();
    assert_eq!(names.len(), 2500);
    assert!(names.contains("agent.0000") && names.contains("agent.2499"));

    // SearchUsers without criteria, pages of 500
    let pages: Vec<_> = client
        .search_users()
        .instance_id(INSTANCE)
        .max_results(500)
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert_eq!(
        pages.iter().map(|p| p.users().len()).collect::<Vec<_>>(),
        [500, 500, 500, 500, 500]
    );
    assert_eq!(pages[0].approximate_total_count(), Some(2500));

    // SearchUsers STARTS_WITH, 100 matches over pages of 30
    let criteria = UserSearchCriteria::builder()
        .string_condition(
            StringCondition::builder()
                .field_name("Username")
                .value("AGENT.24")
                .comparison_type(StringComparisonType::StartsWith)
                .build(),
        )
        .build();
    let pages: Vec<_> = client
        .search_users()
        .instance_id(INSTANCE)
        .search_criteria(criteria)
        .max_results(30)
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert_eq!(pages.iter().map(|p| p.users().len()).sum::<usize>(), 100);
    assert_eq!(pages.len(), 4);
}

#[tokio::test]
async fn page_sizes_outside_the_limits_are_rejected() {
    let server = LocalServer::start();
    let client = server.client();
    let id = support::local_server::DEMO_INSTANCE_ID;
    for (size, ok) in [(0, false), (1, true), (1000, true), (1001, false)] {
        let result = client
            .list_users()
            .instance_id(id)
            .max_results(size)
            .send()
            .await;
        assert_eq!(result.is_ok(), ok, "ListUsers maxResults {size}");
    }
    let err = client
        .search_users()
        .instance_id(id)
        .max_results(501)
        .send()
        .await
        .unwrap_err();
    assert!(err.into_service_error().is_invalid_parameter_exception());
    let err = client
        .list_users()
        .instance_id(id)
        .next_token("not-a-token")
        .send()
        .await
        .unwrap_err();
    assert!(err.into_service_error().is_invalid_parameter_exception());
    // a single user per page still walks every demo user
    let pages: Vec<_> = client
        .list_users()
        .instance_id(id)
        .max_results(1)
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert_eq!(pages.len(), 12);
}
