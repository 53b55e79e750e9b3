//! The routes that change an existing user: UpdateUserPhoneConfig,
//! UpdateUserConfig, UpdateUserRoutingProfile, UpdateUserSecurityProfiles,
//! UpdateUserHierarchy, UpdateUserIdentityInfo, the tag operations on a
//! user's ARN, and the user's proficiencies. Each unpacks its body (unknown
//! members refused), calls the service and answers an empty 200, or the
//! service's error.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::connect::ApiError;
use crate::local::db::Proficiency;
use crate::local::server::answers::tags_json;
use crate::local::server::routes::{
    answer, check_query, paging, parse_json, query_names, ListQuery,
};
use crate::local::server::wire::{self, error_response};
use crate::local::server::wire_config::UpdateUserConfigBody;
use crate::local::service::{invalid_parameter, Service};

type UserPath = Path<(String, String)>;

/// An operation without output: 200 with an empty body, or the error.
fn done(result: Result<(), ApiError>) -> Response {
    match result {
        Ok(()) => ().into_response(),
        Err(err) => error_response(&err),
    }
}

fn required<T>(value: Option<T>, member: &str) -> Result<T, ApiError> {
    value.ok_or_else(|| invalid_parameter(format!("{member} is required")))
}

pub async fn update_phone_config(
    State(svc): State<Service>,
    Path((instance_id, user_id)): UserPath,
    body: Bytes,
) -> Response {
    done((|| {
        let body: wire::UpdatePhoneConfigBody = parse_json(&body)?;
        let phone = required(body.phone_config, "PhoneConfig")?.into_domain()?;
        svc.update_user_phone_config(&instance_id, &user_id, &phone)
    })())
}

pub async fn update_user_config(
    State(svc): State<Service>,
    Path((instance_id, user_id)): UserPath,
    body: Bytes,
) -> Response {
    done((|| {
        let config = parse_json::<UpdateUserConfigBody>(&body)?.into_domain()?;
        svc.update_user_config(&instance_id, &user_id, &config)
    })())
}

pub async fn update_routing_profile(
    State(svc): State<Service>,
    Path((instance_id, user_id)): UserPath,
    body: Bytes,
) -> Response {
    done((|| {
        let body: wire::UpdateRoutingProfileBody = parse_json(&body)?;
        let id = required(body.routing_profile_id, "RoutingProfileId")?;
        svc.update_user_routing_profile(&instance_id, &user_id, &id)
    })())
}

pub async fn update_security_profiles(
    State(svc): State<Service>,
    Path((instance_id, user_id)): UserPath,
    body: Bytes,
) -> Response {
    done((|| {
        let body: wire::UpdateSecurityProfilesBody = parse_json(&body)?;
        let ids = required(body.security_profile_ids, "SecurityProfileIds")?;
        svc.update_user_security_profiles(&instance_id, &user_id, &ids)
    })())
}

pub async fn update_hierarchy(
    State(svc): State<Service>,
    Path((instance_id, user_id)): UserPath,
    body: Bytes,
) -> Response {
    done((|| {
        let body: wire::UpdateHierarchyBody = parse_json(&body)?;
        // `HierarchyGroupId` is optional in the model: left out, the user
        // leaves its group. An empty ID is taken the same way, as clients
        // that always send the member clear it with "" (the reference is
        // silent on both; no group has an empty ID).
        let group = body
            .hierarchy_group_id
            .as_deref()
            .filter(|id| !id.is_empty());
        svc.update_user_hierarchy(&instance_id, &user_id, group)
    })())
}

pub async fn update_identity_info(
    State(svc): State<Service>,
    Path((instance_id, user_id)): UserPath,
    body: Bytes,
) -> Response {
    done((|| {
        let body: wire::UpdateIdentityInfoBody = parse_json(&body)?;
        let info = required(body.identity_info, "IdentityInfo")?.into_domain();
        svc.update_user_identity_info(&instance_id, &user_id, &info)
    })())
}

pub async fn tag_resource(
    State(svc): State<Service>,
    Path(arn): Path<String>,
    body: Bytes,
) -> Response {
    done((|| {
        let body: wire::TagResourceBody = parse_json(&body)?;
        svc.tag_resource(&arn, &required(body.tags, "tags")?)
    })())
}

/// `DELETE /tags/{resourceArn}?tagKeys=a&tagKeys=b`.
pub async fn untag_resource(
    State(svc): State<Service>,
    Path(arn): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    done((|| {
        check_query(
            query.iter().map(|(name, _)| name.as_str()),
            "UntagResource",
            &["tagKeys"],
        )?;
        let keys: Vec<String> = query.into_iter().map(|(_, value)| value).collect();
        svc.untag_resource(&arn, &keys)
    })())
}

/// A proficiency as the request names it. Disassociate sends no `Level`.
#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ProficiencyWire {
    attribute_name: Option<String>,
    attribute_value: Option<String>,
    level: Option<f64>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ProficienciesBody {
    user_proficiencies: Option<Vec<ProficiencyWire>>,
}

impl ProficienciesBody {
    /// The proficiencies; `level_required` unless disassociating.
    fn into_domain(self, level_required: bool) -> Result<Vec<Proficiency>, ApiError> {
        required(self.user_proficiencies, "UserProficiencies")?
            .into_iter()
            .map(|p| {
                let level =
                    match (p.level, level_required) {
                        (Some(level), true) => level,
                        (None, true) => {
                            return Err(invalid_parameter("UserProficiency.Level is required"))
                        }
                        (Some(_), false) => return Err(invalid_parameter(
                            "the request member Level is not one UserProficiencyDisassociate has",
                        )),
                        (None, false) => 0.0,
                    };
                Ok(Proficiency {
                    name: required(p.attribute_name, "UserProficiency.AttributeName")?,
                    value: required(p.attribute_value, "UserProficiency.AttributeValue")?,
                    level,
                })
            })
            .collect()
    }
}

pub async fn associate_proficiencies(
    State(svc): State<Service>,
    Path((instance_id, user_id)): UserPath,
    body: Bytes,
) -> Response {
    done((|| {
        let list = parse_json::<ProficienciesBody>(&body)?.into_domain(true)?;
        svc.associate_user_proficiencies(&instance_id, &user_id, &list)
    })())
}

pub async fn update_proficiencies(
    State(svc): State<Service>,
    Path((instance_id, user_id)): UserPath,
    body: Bytes,
) -> Response {
    done((|| {
        let list = parse_json::<ProficienciesBody>(&body)?.into_domain(true)?;
        svc.update_user_proficiencies(&instance_id, &user_id, &list)
    })())
}

pub async fn disassociate_proficiencies(
    State(svc): State<Service>,
    Path((instance_id, user_id)): UserPath,
    body: Bytes,
) -> Response {
    done((|| {
        let list = parse_json::<ProficienciesBody>(&body)?.into_domain(false)?;
        svc.disassociate_user_proficiencies(&instance_id, &user_id, &list)
    })())
}

/// `GET /users/{InstanceId}/{UserId}/proficiencies?maxResults=&nextToken=`.
pub async fn list_proficiencies(
    State(svc): State<Service>,
    Path((instance_id, user_id)): UserPath,
    Query(q): ListQuery,
) -> Response {
    answer((|| {
        let (max, token) = paging(&q, "ListUserProficiencies")?;
        let listed = svc.list_user_proficiencies(&instance_id, &user_id, max, token)?;
        let list: Vec<_> = listed
            .page
            .items
            .iter()
            .map(
                |p| json!({ "AttributeName": p.name, "AttributeValue": p.value, "Level": p.level }),
            )
            .collect();
        let mut body = json!({
            "UserProficiencyList": list,
            "LastModifiedTime": listed.modified_time,
            "LastModifiedRegion": listed.region,
        });
        if let Some(token) = listed.page.next_token {
            body["NextToken"] = json!(token);
        }
        Ok(body)
    })())
}

pub async fn list_tags(
    State(svc): State<Service>,
    Path(arn): Path<String>,
    Query(q): ListQuery,
) -> Response {
    answer(
        check_query(query_names(&q), "ListTagsForResource", &[])
            .and_then(|()| svc.list_tags(&arn))
            .map(|tags| super::answers::compact(json!({ "tags": tags_json(&tags) }))),
    )
}
