//! `local serve` against the service model and the API reference, item by
//! item, through `aws-sdk-connect` (every answer also checked against the
//! model's shapes when the server stops): ARNs where the service takes
//! them, passwords with whitespace, names not in NFC, a DirectoryUserId on
//! SAML, SearchUsers' two filters together, the instance operations'
//! declared errors, tag values with `|`, and an `UNSIGNED-PAYLOAD` signature.

use crate::support;

use aws_sdk_connect::types::{
    ControlPlaneTagFilter, ControlPlaneUserAttributeFilter, PhoneType, TagCondition,
    UserIdentityInfo, UserPhoneConfig, UserSearchFilter,
};
use aws_sdk_connect::Client;
use support::local_server::{LocalServer, DEMO_INSTANCE_ID};
use support::sdk::{code_of, create, describe, id_of_routing_profile, id_of_security_profile};

/// The demo instance's ARN, as DescribeInstance gives it.
async fn instance_arn(client: &Client) -> String {
    let out = client
        .describe_instance()
        .instance_id(DEMO_INSTANCE_ID)
        .send()
        .await
        .unwrap();
    out.instance().unwrap().arn().unwrap().to_string()
}

/// (ID, ARN) of a routing profile, security profile or hierarchy group by
/// name, as the service lists them.
async fn routing_profile_arn(client: &Client, name: &str) -> (String, String) {
    let list = client
        .list_routing_profiles()
        .instance_id(DEMO_INSTANCE_ID)
        .send()
        .await
        .unwrap();
    let p = list
        .routing_profile_summary_list()
        .iter()
        .find(|p| p.name() == Some(name))
        .unwrap();
    (p.id().unwrap().into(), p.arn().unwrap().into())
}

async fn security_profile_arn(client: &Client, name: &str) -> (String, String) {
    let list = client
        .list_security_profiles()
        .instance_id(DEMO_INSTANCE_ID)
        .send()
        .await
        .unwrap();
    let p = list
        .security_profile_summary_list()
        .iter()
        .find(|p| p.name() == Some(name))
        .unwrap();
    (p.id().unwrap().into(), p.arn().unwrap().into())
}

async fn group_arn(client: &Client, name: &str) -> (String, String) {
    let list = client
        .list_user_hierarchy_groups()
        .instance_id(DEMO_INSTANCE_ID)
        .send()
        .await
        .unwrap();
    let g = list
        .user_hierarchy_group_summary_list()
        .iter()
        .find(|g| g.name() == Some(name))
        .unwrap();
    (g.id().unwrap().into(), g.arn().unwrap().into())
}

fn names(first: &str, last: &str) -> UserIdentityInfo {
    UserIdentityInfo::builder()
        .first_name(first)
        .last_name(last)
        .build()
}

/// The calls AWS's CloudFormation provider for AWS::Connect::User makes,
/// with ARNs wherever it has them: CreateUser, DescribeUser and the five
/// updates. The user keeps the IDs; an ARN of another region, account or
/// instance names nothing.
#[tokio::test]
async fn arns_of_the_instance_are_taken_where_ids_are() {
    let server = LocalServer::start();
    let client = server.client();
    let instance = instance_arn(&client).await;
    let (rp_id, rp_arn) = routing_profile_arn(&client, "Sales Inbound").await;
    let (sp_id, sp_arn) = security_profile_arn(&client, "Agent").await;
    let (group_id, group) = group_arn(&client, "Team Orca").await;

    let created = client
        .create_user()
        .instance_id(&instance)
        .username("cfn.user")
        .password("Str0ngPassw0rd")
        .identity_info(names("Cloud", "Formation"))
        .phone_config(
            UserPhoneConfig::builder()
                .phone_type(PhoneType::SoftPhone)
                .build(),
        )
        .routing_profile_id(&rp_arn)
        .security_profile_ids(&sp_arn)
        .hierarchy_group_id(&group)
        .send()
        .await
        .expect("CreateUser with ARNs");
    let user_arn = created.user_arn().unwrap().to_string();
    let user = client
        .describe_user()
        .instance_id(&instance)
        .user_id(&user_arn)
        .send()
        .await
        .expect("DescribeUser with ARNs");
    let user = user.user().unwrap();
    assert_eq!(user.routing_profile_id(), Some(rp_id.as_str()));
    assert_eq!(user.security_profile_ids(), std::slice::from_ref(&sp_id));
    assert_eq!(user.hierarchy_group_id(), Some(group_id.as_str()));

    let (rp2_id, rp2_arn) = routing_profile_arn(&client, "Support Tier 1").await;
    let (sp2_id, sp2_arn) = security_profile_arn(&client, "QualityAnalyst").await;
    let (group2_id, group2) = group_arn(&client, "Team Kansai").await;
    client
        .update_user_identity_info()
        .instance_id(&instance)
        .user_id(&user_arn)
        .identity_info(names("Cloud", "Provider"))
        .send()
        .await
        .expect("UpdateUserIdentityInfo");
    client
        .update_user_phone_config()
        .instance_id(&instance)
        .user_id(&user_arn)
        .phone_config(
            UserPhoneConfig::builder()
                .phone_type(PhoneType::SoftPhone)
                .auto_accept(true)
                .build(),
        )
        .send()
        .await
        .expect("UpdateUserPhoneConfig");
    client
        .update_user_routing_profile()
        .instance_id(&instance)
        .user_id(&user_arn)
        .routing_profile_id(&rp2_arn)
        .send()
        .await
        .expect("UpdateUserRoutingProfile");
    client
        .update_user_hierarchy()
        .instance_id(&instance)
        .user_id(&user_arn)
        .hierarchy_group_id(&group2)
        .send()
        .await
        .expect("UpdateUserHierarchy");
    client
        .update_user_security_profiles()
        .instance_id(&instance)
        .user_id(&user_arn)
        .security_profile_ids(&sp2_arn)
        .security_profile_ids(&sp_id)
        .send()
        .await
        .expect("UpdateUserSecurityProfiles");
    let user = describe(&client, created.user_id().unwrap()).await;
    assert_eq!(user.identity_info().unwrap().last_name(), Some("Provider"));
    assert!(user.phone_config().unwrap().auto_accept());
    assert_eq!(user.routing_profile_id(), Some(rp2_id.as_str()));
    assert_eq!(user.hierarchy_group_id(), Some(group2_id.as_str()));
    assert_eq!(user.security_profile_ids(), [sp2_id, sp_id.clone()]);

    // The reads take the instance ARN too.
    let listed = client
        .list_users()
        .instance_id(&instance)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.user_summary_list().len(), 13);
    let found = client
        .search_users()
        .instance_id(&instance)
        .send()
        .await
        .unwrap();
    assert_eq!(found.approximate_total_count(), Some(13));
    let described = client
        .describe_user_hierarchy_group()
        .instance_id(&instance)
        .hierarchy_group_id(&group)
        .send()
        .await
        .unwrap();
    assert_eq!(
        described.hierarchy_group().unwrap().id(),
        Some(group_id.as_str())
    );

    // Another region, account, instance or kind of resource: not found.
    let region = rp_arn.replace(":us-east-1:", ":eu-west-2:");
    let account = instance.replace(":111122223333:", ":444455556666:");
    let other_instance = sp_arn.replace(DEMO_INSTANCE_ID, "00000000-0000-4000-8000-000000000000");
    let call = client
        .update_user_routing_profile()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(&user_arn)
        .routing_profile_id(&region);
    assert_eq!(code_of(call.send()).await, "ResourceNotFoundException");
    let call = client.list_users().instance_id(&account);
    assert_eq!(code_of(call.send()).await, "ResourceNotFoundException");
    let call = client
        .update_user_security_profiles()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(&user_arn)
        .security_profile_ids(&other_instance);
    assert_eq!(code_of(call.send()).await, "ResourceNotFoundException");
    let call = client
        .update_user_hierarchy()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(&user_arn)
        .hierarchy_group_id(&rp_arn);
    assert_eq!(code_of(call.send()).await, "ResourceNotFoundException");
    let call = client
        .describe_user()
        .instance_id(&user_arn)
        .user_id(&user_arn);
    assert_eq!(code_of(call.send()).await, "ResourceNotFoundException");
    // A profile by ID and by ARN is one profile listed twice.
    let call = client
        .update_user_security_profiles()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(&user_arn)
        .security_profile_ids(&sp_arn)
        .security_profile_ids(&sp_id);
    assert_eq!(code_of(call.send()).await, "InvalidParameterException");
}

#[tokio::test]
async fn passwords_with_whitespace_are_refused() {
    let server = LocalServer::start();
    let client = server.client();
    let rp = id_of_routing_profile(&client, "Basic Routing Profile").await;
    let sp = id_of_security_profile(&client, "Agent").await;
    for (i, password) in ["Passw0rd X", "Passw0rd\tX", " Passw0rdX"]
        .iter()
        .enumerate()
    {
        let call = create(&client, &format!("spaced.{i}"), &rp, &sp).password(*password);
        assert_eq!(
            code_of(call.send()).await,
            "InvalidParameterException",
            "{password:?}"
        );
    }
    create(&client, "unspaced", &rp, &sp)
        .password("Passw0rd!X")
        .send()
        .await
        .expect("a password without whitespace");
}

#[tokio::test]
async fn names_not_in_nfc_are_refused() {
    let server = LocalServer::start();
    let client = server.client();
    let rp = id_of_routing_profile(&client, "Basic Routing Profile").await;
    let sp = id_of_security_profile(&client, "Agent").await;
    let decomposed =
        create(&client, "nfc.user", &rp, &sp).identity_info(names("Jose\u{301}", "Lee"));
    assert_eq!(
        code_of(decomposed.send()).await,
        "InvalidParameterException"
    );
    let created = create(&client, "nfc.user", &rp, &sp)
        .identity_info(names("José", "ガ"))
        .send()
        .await
        .expect("NFC names");
    let id = created.user_id().unwrap();
    let update = client
        .update_user_identity_info()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(id)
        .identity_info(names("José", "\u{30ab}\u{3099}"));
    assert_eq!(code_of(update.send()).await, "InvalidParameterException");
    let info = describe(&client, id).await.identity_info().unwrap().clone();
    assert_eq!(
        (info.first_name(), info.last_name()),
        (Some("José"), Some("ガ")),
        "stored as sent, and unchanged by the refused update"
    );
}

#[tokio::test]
async fn a_directory_user_id_on_a_saml_instance_is_refused() {
    const SAML_INSTANCE: &str = "2b4d3c0a-6e5f-4d7c-8b90-3f9e1d2c4b56";
    let seed =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/instances/saml.toml");
    let server = LocalServer::builder()
        .seed(seed)
        .args(["--no-throttle"])
        .start();
    let client = server.client();
    let (rp, sp) = support::sdk::first_profiles(&client, SAML_INSTANCE).await;
    let saml_user = |login: &str| {
        client
            .create_user()
            .instance_id(SAML_INSTANCE)
            .username(login)
            .identity_info(names("Sam", "Lee"))
            .phone_config(
                UserPhoneConfig::builder()
                    .phone_type(PhoneType::SoftPhone)
                    .build(),
            )
            .routing_profile_id(&rp)
            .security_profile_ids(&sp)
    };
    let call = saml_user("with.directory.id").directory_user_id("d-1234567890");
    assert_eq!(code_of(call.send()).await, "InvalidParameterException");
    saml_user("without.directory.id")
        .send()
        .await
        .expect("the same user without DirectoryUserId");
}

#[tokio::test]
async fn search_users_with_tag_and_attribute_filters_is_access_denied() {
    let server = LocalServer::start();
    let client = server.client();
    let tag = TagCondition::builder()
        .tag_key("language")
        .tag_value("ja")
        .build();
    let both = UserSearchFilter::builder()
        .tag_filter(
            ControlPlaneTagFilter::builder()
                .tag_condition(tag.clone())
                .build(),
        )
        .user_attribute_filter(
            ControlPlaneUserAttributeFilter::builder()
                .tag_condition(tag.clone())
                .build(),
        )
        .build();
    let call = client
        .search_users()
        .instance_id(DEMO_INSTANCE_ID)
        .search_filter(both);
    assert_eq!(code_of(call.send()).await, "AccessDeniedException");
    let one = UserSearchFilter::builder()
        .user_attribute_filter(
            ControlPlaneUserAttributeFilter::builder()
                .tag_condition(tag)
                .build(),
        )
        .build();
    let found = client
        .search_users()
        .instance_id(DEMO_INSTANCE_ID)
        .search_filter(one)
        .send()
        .await
        .expect("one filter");
    assert_eq!(found.users().len(), 3);
}

/// ListInstances declares InvalidRequestException and
/// InternalServiceException only, DescribeInstance those and
/// ResourceNotFoundException: a bad parameter is answered so a client
/// generated from the model can match it.
#[tokio::test]
async fn the_instance_operations_answer_only_errors_they_declare() {
    let server = LocalServer::start();
    let client = server.client();
    let too_many = client
        .list_instances()
        .max_results(11)
        .send()
        .await
        .unwrap_err();
    assert!(
        too_many.into_service_error().is_invalid_request_exception(),
        "MaxResults 11"
    );
    let token = client
        .list_instances()
        .next_token("not-a-token")
        .send()
        .await
        .unwrap_err();
    assert!(token.into_service_error().is_invalid_request_exception());
    let unknown = client
        .describe_instance()
        .instance_id("00000000-0000-4000-8000-000000000000")
        .send()
        .await
        .unwrap_err();
    assert!(unknown
        .into_service_error()
        .is_resource_not_found_exception());
    let query = server.signed_request(
        ("test", "test"),
        "GET",
        &format!("/instance/{DEMO_INSTANCE_ID}?verbose=1"),
        &[],
        "",
    );
    assert_eq!(
        (query.status, query.header("x-amzn-errortype")),
        (400, Some("InvalidRequestException")),
        "{query:?}"
    );
}

#[tokio::test]
async fn tag_values_may_hold_a_pipe_keys_may_not() {
    let server = LocalServer::start();
    let client = server.client();
    let rp = id_of_routing_profile(&client, "Basic Routing Profile").await;
    let sp = id_of_security_profile(&client, "Agent").await;
    let created = create(&client, "piped.tags", &rp, &sp)
        .tags("skills", "en|ja")
        .send()
        .await
        .expect("a tag value with |");
    client
        .tag_resource()
        .resource_arn(created.user_arn().unwrap())
        .tags("shifts", "early|late")
        .send()
        .await
        .expect("TagResource with |");
    let user = describe(&client, created.user_id().unwrap()).await;
    let tags = user.tags().unwrap();
    assert_eq!(tags["skills"], "en|ja");
    assert_eq!(tags["shifts"], "early|late");
    let key = client
        .tag_resource()
        .resource_arn(created.user_arn().unwrap())
        .tags("a|b", "x");
    assert_eq!(code_of(key.send()).await, "InvalidParameterException");
}

/// `UNSIGNED-PAYLOAD` is an Amazon S3 signing option; the Connect model
/// has no operation with an unsigned payload, so the signature is checked
/// over the body's own hash and such a request does not verify.
#[tokio::test]
async fn an_unsigned_payload_signature_is_refused() {
    let server = LocalServer::start();
    let client = server.client();
    let rp = id_of_routing_profile(&client, "Basic Routing Profile").await;
    let sp = id_of_security_profile(&client, "Agent").await;
    let body = serde_json::json!({
        "Username": "unsigned.body",
        "Password": "Str0ngPassw0rd",
        "IdentityInfo": {"FirstName": "Un", "LastName": "Signed"},
        "PhoneConfig": {"PhoneType": "SOFT_PHONE"},
        "RoutingProfileId": rp,
        "SecurityProfileIds": [sp],
    })
    .to_string();
    let path = format!("/users/{DEMO_INSTANCE_ID}");
    let json = [("content-type", "application/json")];
    let unsigned = server.signed_request_with(("test", "test"), "PUT", &path, &json, &body, true);
    assert_eq!(
        (unsigned.status, unsigned.header("x-amzn-errortype")),
        (403, Some("InvalidSignatureException")),
        "{unsigned:?}"
    );
    assert_eq!(server.count("CreateUser", "200"), 0);
    let signed = server.signed_request(("test", "test"), "PUT", &path, &json, &body);
    assert_eq!(
        signed.status, 200,
        "the same request, signed over its body: {signed:?}"
    );
}
