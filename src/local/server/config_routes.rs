//! The routes of the configuration reads (see [`crate::local::config`]):
//! DescribeRoutingProfile, DescribeSecurityProfile, SearchRoutingProfiles,
//! SearchSecurityProfiles, SearchUserHierarchyGroups and ListAgentStatuses,
//! their request bodies (unknown members refused by name) and answers.
//!
//! The search bodies are read by [`super::config_search`].

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde_json::{json, Value};

use crate::connect::HierarchyGroup;
use crate::local::config::{AgentStatus, ProfileRecord};
use crate::local::db::NamedKind;
use crate::local::server::answers::{compact, levels_json};
use crate::local::server::config_search::{
    AttributeSearchFilterWire, SearchBody, TagSearchFilterWire,
};
use crate::local::server::routes::{answer, check_query, parse_json, query_names};
use crate::local::service::{invalid_parameter, Service};

pub async fn describe_routing_profile(
    State(svc): State<Service>,
    Path((instance_id, id)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    answer(
        check_query(query_names(&q), "DescribeRoutingProfile", &[])
            .and_then(|()| svc.describe_profile(NamedKind::RoutingProfile, &instance_id, &id))
            .map(|record| json!({ "RoutingProfile": routing_profile_json(&record, true) })),
    )
}

pub async fn describe_security_profile(
    State(svc): State<Service>,
    Path((instance_id, id)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    answer(
        check_query(query_names(&q), "DescribeSecurityProfile", &[])
            .and_then(|()| svc.describe_profile(NamedKind::SecurityProfile, &instance_id, &id))
            .map(|record| json!({ "SecurityProfile": security_profile_json(&record, true) })),
    )
}

pub async fn search_routing_profiles(State(svc): State<Service>, body: Bytes) -> Response {
    answer((|| {
        let body: SearchBody<TagSearchFilterWire> = parse_json(&body)?;
        const FIELDS: &[&str] = &["name", "description", "associatedQueueIds", "resourceID"];
        let filter = body.filter(FIELDS)?;
        let (page, total) = svc.search_profiles(
            NamedKind::RoutingProfile,
            &body.instance_id()?,
            &filter,
            body.max_results,
            body.next_token.as_deref(),
        )?;
        // "SearchRoutingProfiles does not populate LastModifiedRegion,
        // LastModifiedTime, …" (the operation's documentation).
        let list: Vec<Value> = page
            .items
            .iter()
            .map(|r| routing_profile_json(r, false))
            .collect();
        Ok(searched(
            json!({ "RoutingProfiles": list }),
            page.next_token,
            total,
        ))
    })())
}

pub async fn search_security_profiles(State(svc): State<Service>, body: Bytes) -> Response {
    answer((|| {
        let body: SearchBody<TagSearchFilterWire> = parse_json(&body)?;
        let filter = body.filter(&["name"])?;
        let (page, total) = svc.search_profiles(
            NamedKind::SecurityProfile,
            &body.instance_id()?,
            &filter,
            body.max_results,
            body.next_token.as_deref(),
        )?;
        let list: Vec<Value> = page
            .items
            .iter()
            .map(|r| security_profile_json(r, false))
            .collect();
        Ok(searched(
            json!({ "SecurityProfiles": list }),
            page.next_token,
            total,
        ))
    })())
}

pub async fn search_hierarchy_groups(State(svc): State<Service>, body: Bytes) -> Response {
    answer((|| {
        let body: SearchBody<AttributeSearchFilterWire> = parse_json(&body)?;
        let filter = body.filter(&["name", "parentId", "levelId", "resourceID"])?;
        let (page, total) = svc.search_hierarchy_groups(
            &body.instance_id()?,
            &filter,
            body.max_results,
            body.next_token.as_deref(),
        )?;
        let list: Vec<Value> = page
            .items
            .iter()
            .map(|r| hierarchy_group_json(&r.group, r.modified_time, &r.region))
            .collect();
        Ok(searched(
            json!({ "UserHierarchyGroups": list }),
            page.next_token,
            total,
        ))
    })())
}

/// `GET /agent-status/{InstanceId}?AgentStatusTypes=…&maxResults=&nextToken=`.
pub async fn list_agent_statuses(
    State(svc): State<Service>,
    Path(instance_id): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    answer((|| {
        check_query(
            query.iter().map(|(name, _)| name.as_str()),
            "ListAgentStatuses",
            &["maxResults", "nextToken", "AgentStatusTypes"],
        )?;
        let one = |name: &str| {
            query
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        let max = one("maxResults")
            .map(|text| {
                text.parse::<i32>()
                    .map_err(|_| invalid_parameter(format!("maxResults '{text}' is not a number")))
            })
            .transpose()?;
        let types: Vec<String> = query
            .iter()
            .filter(|(name, _)| name == "AgentStatusTypes")
            .map(|(_, value)| value.clone())
            .collect();
        if let Some(bad) = types
            .iter()
            .find(|t| !["ROUTABLE", "CUSTOM", "OFFLINE"].contains(&t.as_str()))
        {
            return Err(invalid_parameter(format!(
                "AgentStatusTypes '{bad}' must be ROUTABLE, CUSTOM or OFFLINE"
            )));
        }
        if types.len() > 3 {
            return Err(invalid_parameter("AgentStatusTypes holds at most 3 types"));
        }
        let page = svc.list_agent_statuses(&instance_id, &types, max, one("nextToken"))?;
        let list: Vec<Value> = page.items.iter().map(agent_status_json).collect();
        let mut body = json!({ "AgentStatusSummaryList": list });
        if let Some(token) = page.next_token {
            body["NextToken"] = json!(token);
        }
        Ok(body)
    })())
}

/// A search answer: its list, the next token and the total count.
fn searched(mut body: Value, token: Option<String>, total: i64) -> Value {
    if let Some(token) = token {
        body["NextToken"] = json!(token);
    }
    body["ApproximateTotalCount"] = json!(total);
    body
}

fn routing_profile_json(record: &ProfileRecord, described: bool) -> Value {
    let p = &record.profile;
    let mut body = json!({
        "InstanceId": record.instance_id,
        "Name": p.name,
        "RoutingProfileArn": p.arn,
        "RoutingProfileId": p.id,
        "NumberOfAssociatedUsers": record.users,
    });
    if described {
        body["LastModifiedTime"] = json!(record.modified_time);
        body["LastModifiedRegion"] = json!(record.region);
    }
    compact(body)
}

fn security_profile_json(record: &ProfileRecord, described: bool) -> Value {
    let p = &record.profile;
    let mut body = json!({
        "Id": p.id,
        "OrganizationResourceId": record.instance_id,
        "Arn": p.arn,
        "SecurityProfileName": p.name,
    });
    if described {
        body["LastModifiedTime"] = json!(record.modified_time);
        body["LastModifiedRegion"] = json!(record.region);
    }
    body
}

/// A `HierarchyGroup`, as DescribeUserHierarchyGroup and
/// SearchUserHierarchyGroups answer it.
pub fn hierarchy_group_json(group: &HierarchyGroup, modified_time: f64, region: &str) -> Value {
    let arn = group.path.last().map(|g| g.arn.clone()).unwrap_or_default();
    json!({
        "Id": group.id,
        "Arn": arn,
        "Name": group.name,
        "LevelId": group.level_id,
        "HierarchyPath": levels_json(&group.path),
        "LastModifiedTime": modified_time,
        "LastModifiedRegion": region,
    })
}

fn agent_status_json(status: &AgentStatus) -> Value {
    json!({
        "Id": status.status.id,
        "Arn": status.status.arn,
        "Name": status.status.name,
        "Type": status.kind,
        "LastModifiedTime": status.modified_time,
        "LastModifiedRegion": status.region,
    })
}
