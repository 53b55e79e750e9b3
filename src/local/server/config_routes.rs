//! The routes of the configuration reads (see [`crate::local::config`]):
//! DescribeRoutingProfile, DescribeSecurityProfile, SearchRoutingProfiles,
//! SearchSecurityProfiles, SearchUserHierarchyGroups and ListAgentStatuses,
//! their request bodies (unknown members refused by name) and answers.
//!
//! Search criteria take the `FieldName`s each operation's model documents:
//! routing profiles `name`, `description`, `associatedQueueIds`,
//! `resourceID`; security profiles `name`; hierarchy groups `name`,
//! `parentId`, `levelId`, `resourceID` (in any case, as SearchUsers').

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::connect::{ApiError, HierarchyGroup};
use crate::local::config::{AgentStatus, ProfileRecord, ResourceField, ResourceFilter};
use crate::local::db::NamedKind;
use crate::local::search::Comparison;
use crate::local::server::answers::{compact, levels_json};
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

/// A Search* body for resources; `F` is the operation's `SearchFilter`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct SearchBody<F> {
    instance_id: Option<String>,
    max_results: Option<i32>,
    next_token: Option<String>,
    search_criteria: Option<CriteriaWire>,
    search_filter: Option<F>,
}

impl<F: SearchFilterWire> SearchBody<F> {
    fn instance_id(&self) -> Result<String, ApiError> {
        self.instance_id
            .clone()
            .ok_or_else(|| invalid_parameter("InstanceId is required"))
    }

    /// The criteria and the filter together; `fields` are the criteria's
    /// field names the operation documents.
    fn filter(&self, fields: &[&str]) -> Result<ResourceFilter, ApiError> {
        let mut parts = vec![];
        if let Some(criteria) = &self.search_criteria {
            parts.push(criteria.filter(fields)?);
        }
        if let Some(filter) = &self.search_filter {
            parts.push(filter.filter()?);
        }
        Ok(ResourceFilter::And(parts))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct CriteriaWire {
    or_conditions: Option<Vec<CriteriaWire>>,
    and_conditions: Option<Vec<CriteriaWire>>,
    string_condition: Option<StringConditionWire>,
}

impl CriteriaWire {
    fn filter(&self, fields: &[&str]) -> Result<ResourceFilter, ApiError> {
        let list = |items: &[CriteriaWire]| {
            items
                .iter()
                .map(|c| c.filter(fields))
                .collect::<Result<Vec<_>, _>>()
        };
        let mut parts = vec![];
        if let Some(items) = &self.or_conditions {
            parts.push(ResourceFilter::Or(list(items)?));
        }
        if let Some(items) = &self.and_conditions {
            parts.push(ResourceFilter::And(list(items)?));
        }
        if let Some(condition) = &self.string_condition {
            parts.push(condition.filter(fields)?);
        }
        Ok(ResourceFilter::And(parts))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct StringConditionWire {
    field_name: Option<String>,
    value: Option<String>,
    comparison_type: Option<String>,
}

impl StringConditionWire {
    fn filter(&self, fields: &[&str]) -> Result<ResourceFilter, ApiError> {
        let named = self.field_name.as_deref().unwrap_or_default();
        let Some(known) = fields.iter().find(|f| f.eq_ignore_ascii_case(named)) else {
            return Err(invalid_parameter(format!(
                "StringCondition.FieldName '{named}' must be one of {}",
                fields.join(", ")
            )));
        };
        let field = match *known {
            "name" => ResourceField::Name,
            "resourceID" => ResourceField::ResourceId,
            "parentId" => ResourceField::ParentId,
            "levelId" => ResourceField::LevelId,
            _ => ResourceField::Unkept,
        };
        let comparison = match self.comparison_type.as_deref() {
            Some("EXACT") => Comparison::Exact,
            Some("STARTS_WITH") => Comparison::StartsWith,
            Some("CONTAINS") => Comparison::Contains,
            other => {
                return Err(invalid_parameter(format!(
                    "StringCondition.ComparisonType {} must be EXACT, STARTS_WITH or CONTAINS",
                    other.map_or("is missing: it".to_string(), |v| format!("'{v}'"))
                )))
            }
        };
        let value = self
            .value
            .clone()
            .ok_or_else(|| invalid_parameter("StringCondition.Value is required"))?;
        Ok(ResourceFilter::Condition {
            field,
            comparison,
            value,
        })
    }
}

/// An operation's `SearchFilter` into a filter.
trait SearchFilterWire {
    fn filter(&self) -> Result<ResourceFilter, ApiError>;
}

/// A `TagCondition`: the local instance's profiles and groups carry no
/// tags, so it matches nothing.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct TagConditionWire {
    #[serde(rename = "TagKey")]
    _key: Option<String>,
    #[serde(rename = "TagValue")]
    _value: Option<String>,
}

fn tags_all(conditions: &[TagConditionWire]) -> ResourceFilter {
    ResourceFilter::And(conditions.iter().map(|_| ResourceFilter::Nothing).collect())
}

/// SearchRoutingProfiles' and SearchSecurityProfiles' `SearchFilter`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct TagSearchFilterWire {
    tag_filter: Option<TagFilterWire>,
}

/// `ControlPlaneTagFilter`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct TagFilterWire {
    or_conditions: Option<Vec<Vec<TagConditionWire>>>,
    and_conditions: Option<Vec<TagConditionWire>>,
    tag_condition: Option<TagConditionWire>,
}

impl SearchFilterWire for TagSearchFilterWire {
    fn filter(&self) -> Result<ResourceFilter, ApiError> {
        let Some(tags) = &self.tag_filter else {
            return Ok(ResourceFilter::All);
        };
        let mut parts = vec![];
        if let Some(any) = &tags.or_conditions {
            parts.push(ResourceFilter::Or(
                any.iter().map(|all| tags_all(all)).collect(),
            ));
        }
        if let Some(all) = &tags.and_conditions {
            parts.push(tags_all(all));
        }
        if tags.tag_condition.is_some() {
            parts.push(ResourceFilter::Nothing);
        }
        Ok(ResourceFilter::And(parts))
    }
}

/// SearchUserHierarchyGroups' `SearchFilter`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct AttributeSearchFilterWire {
    attribute_filter: Option<AttributeFilterWire>,
}

/// `ControlPlaneAttributeFilter`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct AttributeFilterWire {
    or_conditions: Option<Vec<CommonAndWire>>,
    and_condition: Option<CommonAndWire>,
    tag_condition: Option<TagConditionWire>,
}

/// `CommonAttributeAndCondition`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct CommonAndWire {
    tag_conditions: Option<Vec<TagConditionWire>>,
}

impl SearchFilterWire for AttributeSearchFilterWire {
    fn filter(&self) -> Result<ResourceFilter, ApiError> {
        let Some(attributes) = &self.attribute_filter else {
            return Ok(ResourceFilter::All);
        };
        let all = |and: &CommonAndWire| tags_all(and.tag_conditions.as_deref().unwrap_or_default());
        let mut parts = vec![];
        if let Some(any) = &attributes.or_conditions {
            parts.push(ResourceFilter::Or(any.iter().map(all).collect()));
        }
        if let Some(and) = &attributes.and_condition {
            parts.push(all(and));
        }
        if attributes.tag_condition.is_some() {
            parts.push(ResourceFilter::Nothing);
        }
        Ok(ResourceFilter::And(parts))
    }
}
