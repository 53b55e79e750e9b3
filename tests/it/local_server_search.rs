//! SearchUsers against `local serve` through `aws-sdk-connect`: the string
//! conditions the model documents (with their case handling), hierarchy
//! conditions with and without child groups, proficiency list conditions,
//! and the tag and user-attribute search filters — over the demo instance's
//! twelve users.
use crate::support;

use aws_sdk_connect::types::{
    Condition, ControlPlaneTagFilter, ControlPlaneUserAttributeFilter, HierarchyGroupCondition,
    HierarchyGroupMatchType, ListCondition, NumberComparisonType, NumberCondition,
    StringComparisonType, StringCondition, TagCondition, TargetListType, UserSearchCriteria,
    UserSearchFilter,
};
use aws_sdk_connect::Client;
use support::local_server::{LocalServer, DEMO_INSTANCE_ID};
use support::sdk::{id_of_group, id_of_routing_profile, id_of_security_profile, id_of_user};

fn string(field: &str, value: &str, comparison: StringComparisonType) -> UserSearchCriteria {
    UserSearchCriteria::builder()
        .string_condition(
            StringCondition::builder()
                .field_name(field)
                .value(value)
                .comparison_type(comparison)
                .build(),
        )
        .build()
}

fn group(id: &str, with_children: bool) -> HierarchyGroupCondition {
    let kind = if with_children {
        HierarchyGroupMatchType::WithChildGroups
    } else {
        HierarchyGroupMatchType::Exact
    };
    HierarchyGroupCondition::builder()
        .value(id)
        .hierarchy_group_match_type(kind)
        .build()
}

fn tag(key: &str, value: Option<&str>) -> TagCondition {
    TagCondition::builder()
        .tag_key(key)
        .set_tag_value(value.map(str::to_string))
        .build()
}

/// The logins SearchUsers finds, sorted.
async fn logins(
    client: &Client,
    criteria: Option<UserSearchCriteria>,
    filter: Option<UserSearchFilter>,
) -> Vec<String> {
    let out = client
        .search_users()
        .instance_id(DEMO_INSTANCE_ID)
        .set_search_criteria(criteria)
        .set_search_filter(filter)
        .max_results(500)
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.approximate_total_count(),
        Some(out.users().len() as i64)
    );
    let mut names: Vec<String> = out
        .users()
        .iter()
        .map(|u| u.username().unwrap().to_string())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn string_conditions_on_every_documented_field() {
    let server = LocalServer::start();
    let client = server.client();
    use StringComparisonType::*;
    let japan = id_of_routing_profile(&client, "Japan Support").await;
    let manager = id_of_security_profile(&client, "CallCenterManager").await;
    let chen = id_of_user(&client, "m.chen").await;
    let cases = [
        (string("Username", "H.YAMAMOTO", Exact), vec!["h.yamamoto"]),
        (string("FirstName", "ANN", StartsWith), vec!["a.novak"]),
        (string("LastName", "ow", Contains), vec!["e.kowalski"]),
        (
            string("RoutingProfileId", &japan, Exact),
            vec!["h.yamamoto", "k.suzuki", "s.tanaka"],
        ),
        (
            string("SecurityProfileId", &manager, Exact),
            vec!["h.yamamoto", "l.schmidt", "ops.lead"],
        ),
        // the model spells this field `resourceId`; any case is accepted
        (string("resourceId", &chen, Exact), vec!["m.chen"]),
        (string("ResourceId", &chen, Exact), vec!["m.chen"]),
        // IDs compare exactly
        (string("ResourceId", &chen.to_uppercase(), Exact), vec![]),
    ];
    for (criteria, expected) in cases {
        assert_eq!(
            logins(&client, Some(criteria.clone()), None).await,
            expected,
            "{criteria:?}"
        );
    }
    let err = client
        .search_users()
        .instance_id(DEMO_INSTANCE_ID)
        .search_criteria(string("Email", "x", Exact))
        .send()
        .await
        .unwrap_err();
    assert!(err
        .as_service_error()
        .unwrap()
        .is_invalid_parameter_exception());
}

#[tokio::test]
async fn hierarchy_conditions_with_and_without_child_groups() {
    let server = LocalServer::start();
    let client = server.client();
    let seattle = id_of_group(&client, "Seattle").await;
    let orca = id_of_group(&client, "Team Orca").await;
    let exact = UserSearchCriteria::builder()
        .hierarchy_group_condition(group(&orca, false))
        .build();
    assert_eq!(
        logins(&client, Some(exact), None).await,
        ["e.kowalski", "m.chen", "ops.lead"]
    );
    let site_only = UserSearchCriteria::builder()
        .hierarchy_group_condition(group(&seattle, false))
        .build();
    assert!(logins(&client, Some(site_only), None).await.is_empty());
    let below = UserSearchCriteria::builder()
        .hierarchy_group_condition(group(&seattle, true))
        .build();
    assert_eq!(
        logins(&client, Some(below), None).await,
        ["a.novak", "e.kowalski", "l.schmidt", "m.chen", "ops.lead"]
    );
    // combined with a string condition
    let both = UserSearchCriteria::builder()
        .and_conditions(
            UserSearchCriteria::builder()
                .hierarchy_group_condition(group(&seattle, true))
                .build(),
        )
        .and_conditions(string("Username", "m.", StringComparisonType::StartsWith))
        .build();
    assert_eq!(logins(&client, Some(both), None).await, ["m.chen"]);
}

#[tokio::test]
async fn proficiency_conditions_match_no_user_without_proficiencies() {
    let server = LocalServer::start();
    let client = server.client();
    let list = ListCondition::builder()
        .target_list_type(TargetListType::Proficiencies)
        .conditions(
            Condition::builder()
                .string_condition(
                    StringCondition::builder()
                        .field_name("name")
                        .value("Language")
                        .comparison_type(StringComparisonType::Exact)
                        .build(),
                )
                .build(),
        )
        .conditions(
            Condition::builder()
                .number_condition(
                    NumberCondition::builder()
                        .field_name("limit")
                        .min_value(3)
                        .comparison_type(NumberComparisonType::GreaterOrEqual)
                        .build(),
                )
                .build(),
        )
        .build();
    let criteria = UserSearchCriteria::builder().list_condition(list).build();
    assert!(logins(&client, Some(criteria), None).await.is_empty());
    let bad = ListCondition::builder()
        .target_list_type(TargetListType::Proficiencies)
        .conditions(
            Condition::builder()
                .number_condition(NumberCondition::builder().field_name("level").build())
                .build(),
        )
        .build();
    let err = client
        .search_users()
        .instance_id(DEMO_INSTANCE_ID)
        .search_criteria(UserSearchCriteria::builder().list_condition(bad).build())
        .send()
        .await
        .unwrap_err();
    assert!(err
        .as_service_error()
        .unwrap()
        .is_invalid_parameter_exception());
}

#[tokio::test]
async fn tag_and_attribute_filters() {
    let server = LocalServer::start();
    let client = server.client();
    let osaka = id_of_group(&client, "Osaka").await;
    let japanese = UserSearchFilter::builder()
        .tag_filter(
            ControlPlaneTagFilter::builder()
                .tag_condition(tag("language", Some("ja")))
                .build(),
        )
        .build();
    assert_eq!(
        logins(&client, None, Some(japanese)).await,
        ["h.yamamoto", "k.suzuki", "s.tanaka"]
    );
    // (role = supervisor) OR (shift present)
    let either = UserSearchFilter::builder()
        .tag_filter(
            ControlPlaneTagFilter::builder()
                .or_conditions(vec![tag("role", Some("supervisor"))])
                .or_conditions(vec![tag("shift", None)])
                .build(),
        )
        .build();
    assert_eq!(
        logins(&client, None, Some(either)).await,
        ["a.novak", "e.kowalski", "h.yamamoto", "l.schmidt"]
    );
    // a tag AND a hierarchy below Osaka
    let attributes = UserSearchFilter::builder()
        .user_attribute_filter(
            ControlPlaneUserAttributeFilter::builder()
                .and_condition(
                    aws_sdk_connect::types::AttributeAndCondition::builder()
                        .tag_conditions(tag("language", Some("ja")))
                        .hierarchy_group_condition(group(&osaka, true))
                        .build(),
                )
                .build(),
        )
        .build();
    let criteria = string("Username", "yamamoto", StringComparisonType::Contains);
    assert_eq!(
        logins(&client, Some(criteria), Some(attributes.clone())).await,
        ["h.yamamoto"]
    );
    let other = string("Username", "tanaka", StringComparisonType::Contains);
    assert!(logins(&client, Some(other), Some(attributes))
        .await
        .is_empty());
}
