//! The configuration reads an administrator's scripts make around an
//! import, through `aws-sdk-connect` against `local serve` (answers checked
//! against the model's shapes): DescribeRoutingProfile,
//! DescribeSecurityProfile, SearchRoutingProfiles, SearchSecurityProfiles,
//! SearchUserHierarchyGroups and ListAgentStatuses.

use crate::support;

use aws_sdk_connect::types::{
    AgentStatusType, CommonAttributeAndCondition, ControlPlaneAttributeFilter,
    ControlPlaneTagFilter, RoutingProfileSearchCriteria, RoutingProfileSearchFilter,
    SecurityProfileSearchCriteria, StringComparisonType, StringCondition, TagCondition,
    UserHierarchyGroupSearchCriteria, UserHierarchyGroupSearchFilter,
};
use support::local_server::{LocalServer, DEMO_INSTANCE_ID};
use support::sdk::{code_of, id_of_group, id_of_routing_profile, id_of_security_profile};

fn condition(field: &str, value: &str, comparison: StringComparisonType) -> StringCondition {
    StringCondition::builder()
        .field_name(field)
        .value(value)
        .comparison_type(comparison)
        .build()
}

#[tokio::test]
async fn describe_profiles_by_id_and_arn() {
    let server = LocalServer::start();
    let client = server.client();
    let id = id_of_routing_profile(&client, "Japan Support").await;
    let out = client
        .describe_routing_profile()
        .instance_id(DEMO_INSTANCE_ID)
        .routing_profile_id(&id)
        .send()
        .await
        .expect("DescribeRoutingProfile");
    let profile = out.routing_profile().unwrap();
    assert_eq!(profile.name(), Some("Japan Support"));
    assert_eq!(profile.routing_profile_id(), Some(id.as_str()));
    assert_eq!(profile.instance_id(), Some(DEMO_INSTANCE_ID));
    assert_eq!(profile.last_modified_region(), Some("us-east-1"));
    // the demo's Japanese agents
    assert_eq!(profile.number_of_associated_users(), Some(3));
    let arn = profile.routing_profile_arn().unwrap().to_string();
    let by_arn = client
        .describe_routing_profile()
        .instance_id(DEMO_INSTANCE_ID)
        .routing_profile_id(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(by_arn.routing_profile(), Some(profile));

    let sp = id_of_security_profile(&client, "QualityAnalyst").await;
    let out = client
        .describe_security_profile()
        .instance_id(DEMO_INSTANCE_ID)
        .security_profile_id(&sp)
        .send()
        .await
        .expect("DescribeSecurityProfile");
    let profile = out.security_profile().unwrap();
    assert_eq!(profile.security_profile_name(), Some("QualityAnalyst"));
    assert_eq!(profile.organization_resource_id(), Some(DEMO_INSTANCE_ID));
    assert!(profile
        .arn()
        .unwrap()
        .ends_with(&format!("/security-profile/{sp}")));

    let unknown = client
        .describe_routing_profile()
        .instance_id(DEMO_INSTANCE_ID)
        .routing_profile_id(&sp);
    assert_eq!(code_of(unknown.send()).await, "ResourceNotFoundException");
    let unknown = client
        .describe_security_profile()
        .instance_id("00000000-0000-4000-8000-000000000000")
        .security_profile_id(&sp);
    assert_eq!(code_of(unknown.send()).await, "ResourceNotFoundException");
}

#[tokio::test]
async fn search_routing_and_security_profiles() {
    let server = LocalServer::start();
    let client = server.client();
    let support = RoutingProfileSearchCriteria::builder()
        .string_condition(condition("name", "support", StringComparisonType::Contains))
        .build();
    let out = client
        .search_routing_profiles()
        .instance_id(DEMO_INSTANCE_ID)
        .search_criteria(support.clone())
        .send()
        .await
        .expect("SearchRoutingProfiles");
    let names: Vec<_> = out
        .routing_profiles()
        .iter()
        .filter_map(|p| p.name())
        .collect();
    assert_eq!(names, ["Support Tier 1", "Support Tier 2", "Japan Support"]);
    assert_eq!(out.approximate_total_count(), Some(3));
    assert!(
        out.routing_profiles()[0].last_modified_time().is_none(),
        "not populated by Search"
    );

    // one a page, every page, the total each time
    let mut token = None;
    let mut paged = vec![];
    loop {
        let out = client
            .search_routing_profiles()
            .instance_id(DEMO_INSTANCE_ID)
            .search_criteria(support.clone())
            .max_results(1)
            .set_next_token(token)
            .send()
            .await
            .unwrap();
        assert_eq!(out.approximate_total_count(), Some(3));
        paged.extend(
            out.routing_profiles()
                .iter()
                .filter_map(|p| p.name().map(str::to_string)),
        );
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(paged, names);

    // the local profiles have no description and no tags: nothing matches
    let description = RoutingProfileSearchCriteria::builder()
        .string_condition(condition(
            "description",
            "x",
            StringComparisonType::Contains,
        ))
        .build();
    let tagged = RoutingProfileSearchFilter::builder()
        .tag_filter(
            ControlPlaneTagFilter::builder()
                .tag_condition(TagCondition::builder().tag_key("team").build())
                .build(),
        )
        .build();
    for (criteria, filter) in [(Some(description), None), (None, Some(tagged))] {
        let out = client
            .search_routing_profiles()
            .instance_id(DEMO_INSTANCE_ID)
            .set_search_criteria(criteria)
            .set_search_filter(filter)
            .send()
            .await
            .unwrap();
        assert_eq!(out.approximate_total_count(), Some(0));
    }
    let bad_field = client
        .search_routing_profiles()
        .instance_id(DEMO_INSTANCE_ID)
        .search_criteria(
            RoutingProfileSearchCriteria::builder()
                .string_condition(condition("queue", "x", StringComparisonType::Exact))
                .build(),
        );
    assert_eq!(code_of(bad_field.send()).await, "InvalidParameterException");

    let admin = SecurityProfileSearchCriteria::builder()
        .or_conditions(
            SecurityProfileSearchCriteria::builder()
                .string_condition(condition("name", "admin", StringComparisonType::Exact))
                .build(),
        )
        .or_conditions(
            SecurityProfileSearchCriteria::builder()
                .string_condition(condition(
                    "Name",
                    "Quality",
                    StringComparisonType::StartsWith,
                ))
                .build(),
        )
        .build();
    let out = client
        .search_security_profiles()
        .instance_id(DEMO_INSTANCE_ID)
        .search_criteria(admin)
        .send()
        .await
        .expect("SearchSecurityProfiles");
    let names: Vec<_> = out
        .security_profiles()
        .iter()
        .filter_map(|p| p.security_profile_name())
        .collect();
    assert_eq!(names, ["Admin", "QualityAnalyst"]);
    let all = client
        .search_security_profiles()
        .instance_id(DEMO_INSTANCE_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(all.approximate_total_count(), Some(4));
    let too_many = client
        .search_security_profiles()
        .instance_id(DEMO_INSTANCE_ID)
        .max_results(101);
    assert_eq!(code_of(too_many.send()).await, "InvalidParameterException");
}

#[tokio::test]
async fn search_hierarchy_groups_by_name_parent_and_level() {
    let server = LocalServer::start();
    let client = server.client();
    let tokyo = id_of_group(&client, "Tokyo").await;
    let children = UserHierarchyGroupSearchCriteria::builder()
        .string_condition(condition("parentId", &tokyo, StringComparisonType::Exact))
        .build();
    let out = client
        .search_user_hierarchy_groups()
        .instance_id(DEMO_INSTANCE_ID)
        .search_criteria(children)
        .send()
        .await
        .expect("SearchUserHierarchyGroups");
    let groups = out.user_hierarchy_groups();
    let names: Vec<_> = groups.iter().filter_map(|g| g.name()).collect();
    assert_eq!(names, ["Team Sakura", "Team Fuji"]);
    let path = groups[0].hierarchy_path().unwrap();
    assert_eq!(path.level_one().unwrap().name(), Some("Japan"));
    assert_eq!(path.level_two().unwrap().id(), Some(tokyo.as_str()));
    assert_eq!(path.level_three().unwrap().name(), Some("Team Sakura"));

    // the groups on the teams' level whose name starts "team o", in any case
    let level = groups[0].level_id().unwrap().to_string();
    let criteria = UserHierarchyGroupSearchCriteria::builder()
        .and_conditions(
            UserHierarchyGroupSearchCriteria::builder()
                .string_condition(condition("levelId", &level, StringComparisonType::Exact))
                .build(),
        )
        .and_conditions(
            UserHierarchyGroupSearchCriteria::builder()
                .string_condition(condition(
                    "name",
                    "team o",
                    StringComparisonType::StartsWith,
                ))
                .build(),
        )
        .build();
    let out = client
        .search_user_hierarchy_groups()
        .instance_id(DEMO_INSTANCE_ID)
        .search_criteria(criteria)
        .send()
        .await
        .unwrap();
    let names: Vec<_> = out
        .user_hierarchy_groups()
        .iter()
        .filter_map(|g| g.name())
        .collect();
    assert_eq!(names, ["Team Orca"]);

    let tagged = UserHierarchyGroupSearchFilter::builder()
        .attribute_filter(
            ControlPlaneAttributeFilter::builder()
                .and_condition(
                    CommonAttributeAndCondition::builder()
                        .tag_conditions(TagCondition::builder().tag_key("site").build())
                        .build(),
                )
                .build(),
        )
        .build();
    let out = client
        .search_user_hierarchy_groups()
        .instance_id(DEMO_INSTANCE_ID)
        .search_filter(tagged)
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.approximate_total_count(),
        Some(0),
        "the local groups have no tags"
    );
    let all = client
        .search_user_hierarchy_groups()
        .instance_id(DEMO_INSTANCE_ID)
        .send()
        .await
        .unwrap();
    // 2 regions, 4 sites, 6 teams
    assert_eq!(all.approximate_total_count(), Some(12));
}

#[tokio::test]
async fn list_agent_statuses_of_every_instance() {
    let server = LocalServer::start();
    let client = server.client();
    let out = client
        .list_agent_statuses()
        .instance_id(DEMO_INSTANCE_ID)
        .send()
        .await
        .expect("ListAgentStatuses");
    let statuses: Vec<_> = out
        .agent_status_summary_list()
        .iter()
        .map(|s| (s.name().unwrap(), s.r#type().unwrap().clone()))
        .collect();
    assert_eq!(
        statuses,
        [
            ("Available", AgentStatusType::Routable),
            ("Offline", AgentStatusType::Offline)
        ]
    );
    let offline = client
        .list_agent_statuses()
        .instance_id(DEMO_INSTANCE_ID)
        .agent_status_types(AgentStatusType::Offline)
        .send()
        .await
        .unwrap();
    assert_eq!(offline.agent_status_summary_list().len(), 1);
    let custom = client
        .list_agent_statuses()
        .instance_id(DEMO_INSTANCE_ID)
        .agent_status_types(AgentStatusType::Custom)
        .send()
        .await
        .unwrap();
    assert!(custom.agent_status_summary_list().is_empty());
    let first = client
        .list_agent_statuses()
        .instance_id(DEMO_INSTANCE_ID)
        .max_results(1)
        .send()
        .await
        .unwrap();
    let second = client
        .list_agent_statuses()
        .instance_id(DEMO_INSTANCE_ID)
        .max_results(1)
        .next_token(first.next_token().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        second.agent_status_summary_list()[0].name(),
        Some("Offline")
    );
    assert!(second.next_token().is_none());
    let unknown = client
        .list_agent_statuses()
        .instance_id("00000000-0000-4000-8000-000000000000");
    assert_eq!(code_of(unknown.send()).await, "ResourceNotFoundException");
}
