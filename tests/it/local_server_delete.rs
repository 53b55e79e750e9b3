//! DeleteUser against `local serve`, as the service answers it: the user and
//! its tags are gone for every later call (DescribeUser, ListUsers,
//! SearchUsers, the tag operations, a second delete), its login is free
//! again, it may be named by ARN, and the injected faults treat it like any
//! other write. Also the tool's own `ConnectApi::delete_user` over the SDK.

use crate::support;

use std::sync::Arc;

use aws_sdk_connect::types::{
    ControlPlaneTagFilter, StringComparisonType, StringCondition, TagCondition, UserSearchCriteria,
    UserSearchFilter,
};
use aws_sdk_connect::Client;
use connect_users::connect::pacers::{Pacers, Quota};
use connect_users::connect::patience::Patience;
use connect_users::connect::sdk::SdkApi;
use connect_users::connect::{ApiErrorKind, ConnectApi};
use connect_users::local::api::LocalApi;
use support::local_server::{LocalServer, DEMO_INSTANCE_ID};
use support::sdk::{code_of, create, id_of_routing_profile, id_of_security_profile, id_of_user};

async fn new_agent(client: &Client, login: &str) -> (String, String) {
    let rp = id_of_routing_profile(client, "Basic Routing Profile").await;
    let sp = id_of_security_profile(client, "Agent").await;
    let out = create(client, login, &rp, &sp)
        .tags("team", "leavers")
        .send()
        .await
        .unwrap();
    (
        out.user_id().unwrap().to_string(),
        out.user_arn().unwrap().to_string(),
    )
}

async fn logins_found(
    client: &Client,
    criteria: Option<UserSearchCriteria>,
    filter: Option<UserSearchFilter>,
) -> Vec<String> {
    let out = client
        .search_users()
        .instance_id(DEMO_INSTANCE_ID)
        .set_search_criteria(criteria)
        .set_search_filter(filter)
        .send()
        .await
        .unwrap();
    out.users()
        .iter()
        .map(|u| u.username().unwrap().to_string())
        .collect()
}

fn login_is(login: &str) -> UserSearchCriteria {
    UserSearchCriteria::builder()
        .string_condition(
            StringCondition::builder()
                .field_name("Username")
                .value(login)
                .comparison_type(StringComparisonType::Exact)
                .build(),
        )
        .build()
}

fn tagged_leavers() -> UserSearchFilter {
    UserSearchFilter::builder()
        .tag_filter(
            ControlPlaneTagFilter::builder()
                .tag_condition(
                    TagCondition::builder()
                        .tag_key("team")
                        .tag_value("leavers")
                        .build(),
                )
                .build(),
        )
        .build()
}

#[tokio::test]
async fn a_deleted_user_and_its_tags_are_gone_for_every_later_call() {
    let server = LocalServer::start();
    let client = server.client();
    let (id, arn) = new_agent(&client, "leaving.agent").await;
    assert_eq!(
        logins_found(&client, None, Some(tagged_leavers())).await,
        ["leaving.agent"]
    );

    client
        .delete_user()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(&id)
        .send()
        .await
        .expect("DeleteUser");

    let describe = client
        .describe_user()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(&id);
    assert_eq!(code_of(describe.send()).await, "ResourceNotFoundException");
    let again = client
        .delete_user()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(&id);
    assert_eq!(code_of(again.send()).await, "ResourceNotFoundException");
    let tags = client.list_tags_for_resource().resource_arn(&arn);
    assert_eq!(code_of(tags.send()).await, "ResourceNotFoundException");
    let tag = client.tag_resource().resource_arn(&arn).tags("k", "v");
    assert_eq!(code_of(tag.send()).await, "ResourceNotFoundException");
    let rp = id_of_routing_profile(&client, "Sales Inbound").await;
    let update = client
        .update_user_routing_profile()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(&id)
        .routing_profile_id(rp);
    assert_eq!(code_of(update.send()).await, "ResourceNotFoundException");

    let listed = client
        .list_users()
        .instance_id(DEMO_INSTANCE_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(
        listed.user_summary_list().len(),
        12,
        "the demo's users only"
    );
    assert!(listed
        .user_summary_list()
        .iter()
        .all(|u| u.id() != Some(id.as_str())));
    assert!(logins_found(&client, Some(login_is("leaving.agent")), None)
        .await
        .is_empty());
    assert!(
        logins_found(&client, None, Some(tagged_leavers()))
            .await
            .is_empty(),
        "the user's tags went with it"
    );
    let count = client
        .search_users()
        .instance_id(DEMO_INSTANCE_ID)
        .send()
        .await
        .unwrap()
        .approximate_total_count();
    assert_eq!(count, Some(12));

    // The login is free again; the new user is another user, without the old tags.
    let (new_id, _) = new_agent(&client, "Leaving.Agent").await;
    assert_ne!(new_id, id);
    assert_eq!(server.count("DeleteUser", "200"), 1);
    assert_eq!(server.count("DeleteUser", "404"), 1);
}

#[tokio::test]
async fn delete_user_takes_arns_of_the_instance_only() {
    let server = LocalServer::start();
    let client = server.client();
    let (id, arn) = new_agent(&client, "arn.leaver").await;
    let instance_arn = arn.split("/agent/").next().unwrap().to_string();

    let elsewhere = arn.replace(":us-east-1:", ":eu-west-2:");
    let wrong_region = client
        .delete_user()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(&elsewhere);
    assert_eq!(
        code_of(wrong_region.send()).await,
        "ResourceNotFoundException"
    );
    let other_instance = client
        .delete_user()
        .instance_id(instance_arn.replace(DEMO_INSTANCE_ID, "00000000-0000-4000-8000-000000000000"))
        .user_id(&id);
    assert_eq!(
        code_of(other_instance.send()).await,
        "ResourceNotFoundException"
    );
    let routing_profile_arn = format!("{instance_arn}/routing-profile/{id}");
    let wrong_kind = client
        .delete_user()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(routing_profile_arn);
    assert_eq!(
        code_of(wrong_kind.send()).await,
        "ResourceNotFoundException"
    );
    assert_eq!(id_of_user(&client, "arn.leaver").await, id, "still there");

    client
        .delete_user()
        .instance_id(&instance_arn)
        .user_id(&arn)
        .send()
        .await
        .expect("DeleteUser by ARNs");
    let describe = client
        .describe_user()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(&id);
    assert_eq!(code_of(describe.send()).await, "ResourceNotFoundException");
}

/// The tool's `ConnectApi::delete_user` over `aws-sdk-connect`, and the
/// in-process one over the same database: one attempt per call (the batch
/// runner owns retries), ResourceNotFound for a user already gone.
#[tokio::test]
async fn the_tool_deletes_through_the_sdk_and_in_process() {
    let server = LocalServer::start();
    let client = server.client();
    let api = SdkApi::new(
        server.client(),
        DEMO_INSTANCE_ID,
        Arc::new(Pacers::new(Quota::PerOperation, 1000.0, 100).unwrap()),
        Patience::default(),
    );
    let (id, _) = new_agent(&client, "sdk.leaver").await;
    api.delete_user(&id).await.expect("delete_user");
    assert_eq!(
        api.describe_user(&id).await.unwrap_err().kind,
        ApiErrorKind::ResourceNotFound
    );
    assert_eq!(
        api.delete_user(&id).await.unwrap_err().kind,
        ApiErrorKind::ResourceNotFound
    );
    assert_eq!(
        server.count("DeleteUser", "200") + server.count("DeleteUser", "404"),
        2
    );

    let (id, _) = new_agent(&client, "local.leaver").await;
    let local = LocalApi::open(server.db_path(), Some(DEMO_INSTANCE_ID)).unwrap();
    local
        .delete_user(&id)
        .await
        .expect("in-process delete_user");
    assert_eq!(
        local.delete_user(&id).await.unwrap_err().kind,
        ApiErrorKind::ResourceNotFound
    );
    let describe = client
        .describe_user()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(&id);
    assert_eq!(code_of(describe.send()).await, "ResourceNotFoundException");
}

/// Whether the demo user `login` is still in the server's database, read
/// in-process (no request spent on a faulty server).
async fn still_there(server: &LocalServer, login: &str) -> bool {
    let api = LocalApi::open(server.db_path(), Some(DEMO_INSTANCE_ID)).unwrap();
    api.find_user(login).await.unwrap().is_some()
}

async fn demo_user_id(server: &LocalServer, login: &str) -> String {
    let api = LocalApi::open(server.db_path(), Some(DEMO_INSTANCE_ID)).unwrap();
    api.find_user(login).await.unwrap().unwrap().id
}

#[tokio::test]
async fn faults_apply_to_delete_user_like_any_write() {
    // --fail-rate: a 500 and nothing done
    let server = LocalServer::builder()
        .args(["--no-throttle", "--fail-rate", "1"])
        .start();
    let id = demo_user_id(&server, "s.tanaka").await;
    let client = server.client();
    let call = client
        .delete_user()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(&id);
    assert_eq!(code_of(call.send()).await, "InternalServiceException");
    assert!(still_there(&server, "s.tanaka").await);
    drop(server);

    // --drop-rate: no answer, nothing done
    let server = LocalServer::builder()
        .args(["--no-throttle", "--drop-rate", "1"])
        .start();
    let client = server.client();
    let err = client
        .delete_user()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(&id)
        .send()
        .await
        .unwrap_err();
    assert!(
        err.raw_response().is_none(),
        "dropped, not answered: {err:?}"
    );
    assert!(still_there(&server, "s.tanaka").await);
    assert_eq!(server.count("DeleteUser", "dropped"), 1);
    drop(server);

    // --commit-then-fail-rate: deleted, and the answer lost (a 500 or a
    // dropped connection); the retry a client makes then finds no user
    let server = LocalServer::builder()
        .args([
            "--no-throttle",
            "--commit-then-fail-rate",
            "1",
            "--fault-seed",
            "3",
        ])
        .start();
    let client = server.client();
    for login in ["s.tanaka", "k.suzuki", "h.yamamoto", "a.novak"] {
        let id = demo_user_id(&server, login).await;
        let err = client
            .delete_user()
            .instance_id(DEMO_INSTANCE_ID)
            .user_id(&id)
            .send()
            .await
            .unwrap_err();
        let answered = err.raw_response().map(|r| r.status().as_u16());
        assert!(matches!(answered, None | Some(500)), "{login}: {err:?}");
        assert!(!still_there(&server, login).await, "{login} was committed");
        let retry = client
            .delete_user()
            .instance_id(DEMO_INSTANCE_ID)
            .user_id(&id);
        assert_eq!(code_of(retry.send()).await, "ResourceNotFoundException");
    }
    assert_eq!(
        server.count("DeleteUser", "500") + server.count("DeleteUser", "dropped"),
        4
    );
}
