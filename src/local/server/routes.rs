//! The operations' routes: method and path as in the service model, each
//! handler unpacking the request, calling the shared service, and writing
//! the service's answer.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};

use axum::{Json, Router};
use serde_json::{json, Value};

use crate::connect::{ApiError, ApiErrorKind};
use crate::local::db::NamedKind;
use crate::local::server::criteria::SearchUsersBody;
use crate::local::server::updates;
use crate::local::server::wire::{self, error_response, serialization_error};
use crate::local::server::{answers, config_routes};
use crate::local::service::{invalid_parameter, Service};

type Answer = Result<Value, ApiError>;
pub(crate) type ListQuery = Query<HashMap<String, String>>;

pub fn router(service: Service) -> Router {
    Router::new()
        .route("/instance", get(list_instances))
        .route("/instance/{instance_id}", get(describe_instance))
        .route("/users-summary/{instance_id}", get(list_users))
        .route("/users/{instance_id}", put(create_user))
        .route(
            "/users/{instance_id}/{user_id}",
            get(describe_user).delete(delete_user),
        )
        .route(
            "/users/{instance_id}/{user_id}/phone-config",
            post(updates::update_phone_config),
        )
        .route(
            "/users/{instance_id}/{user_id}/config",
            post(updates::update_user_config),
        )
        .route(
            "/users/{instance_id}/{user_id}/routing-profile",
            post(updates::update_routing_profile),
        )
        .route(
            "/users/{instance_id}/{user_id}/security-profiles",
            post(updates::update_security_profiles),
        )
        .route(
            "/users/{instance_id}/{user_id}/hierarchy",
            post(updates::update_hierarchy),
        )
        .route(
            "/users/{instance_id}/{user_id}/identity-info",
            post(updates::update_identity_info),
        )
        .route(
            "/users/{instance_id}/{user_id}/proficiencies",
            get(updates::list_proficiencies).post(updates::update_proficiencies),
        )
        .route(
            "/users/{instance_id}/{user_id}/associate-proficiencies",
            post(updates::associate_proficiencies),
        )
        .route(
            "/users/{instance_id}/{user_id}/disassociate-proficiencies",
            post(updates::disassociate_proficiencies),
        )
        .route(
            "/tags/{resource_arn}",
            get(updates::list_tags)
                .post(updates::tag_resource)
                .delete(updates::untag_resource),
        )
        .route("/search-users", post(search_users))
        .route(
            "/routing-profiles-summary/{instance_id}",
            get(list_routing_profiles),
        )
        .route(
            "/security-profiles-summary/{instance_id}",
            get(list_security_profiles),
        )
        .route(
            "/user-hierarchy-groups-summary/{instance_id}",
            get(list_hierarchy_groups),
        )
        .route(
            "/user-hierarchy-groups/{instance_id}/{group_id}",
            get(describe_hierarchy_group),
        )
        .route(
            "/user-hierarchy-structure/{instance_id}",
            get(describe_hierarchy_structure),
        )
        .route(
            "/routing-profiles/{instance_id}/{routing_profile_id}",
            get(config_routes::describe_routing_profile),
        )
        .route(
            "/security-profiles/{instance_id}/{security_profile_id}",
            get(config_routes::describe_security_profile),
        )
        .route(
            "/search-routing-profiles",
            post(config_routes::search_routing_profiles),
        )
        .route(
            "/search-security-profiles",
            post(config_routes::search_security_profiles),
        )
        .route(
            "/search-user-hierarchy-groups",
            post(config_routes::search_hierarchy_groups),
        )
        .route(
            "/agent-status/{instance_id}",
            get(config_routes::list_agent_statuses),
        )
        .fallback(unknown_operation)
        .method_not_allowed_fallback(unknown_operation)
        .with_state(service)
}

/// A method and path of no operation the local instance implements
/// (CreateInstance, DeleteUserHierarchyGroup, …): UnknownOperationException,
/// as the service answers an operation it does not know.
async fn unknown_operation() -> Response {
    let err = ApiError::new(
        ApiErrorKind::InvalidRequest,
        "UnknownOperationException",
        "No operation matches this method and path",
    );
    let mut response = error_response(&err);
    *response.status_mut() = axum::http::StatusCode::NOT_FOUND;
    response
}

pub(crate) fn answer(result: Answer) -> Response {
    match result {
        Ok(body) => Json(body).into_response(),
        Err(err) => error_response(&err),
    }
}

/// Refuses a query parameter the operation does not take, naming it and
/// the ones the operation takes: nothing in a request is silently dropped.
pub(crate) fn check_query<'q>(
    names: impl IntoIterator<Item = &'q str>,
    operation: &str,
    allowed: &[&str],
) -> Result<(), ApiError> {
    match names.into_iter().find(|name| !allowed.contains(name)) {
        None => Ok(()),
        Some(name) => {
            let takes = if allowed.is_empty() {
                "none".to_string()
            } else {
                allowed.join(", ")
            };
            Err(invalid_parameter(format!(
                "the query parameter {name} is not one {operation} takes ({takes})"
            )))
        }
    }
}

pub(crate) fn query_names(query: &HashMap<String, String>) -> impl Iterator<Item = &str> {
    query.keys().map(String::as_str)
}

/// `maxResults` and `nextToken` from the query string, and nothing else.
pub(crate) fn paging<'q>(
    query: &'q HashMap<String, String>,
    operation: &str,
) -> Result<(Option<i32>, Option<&'q str>), ApiError> {
    check_query(query_names(query), operation, &["maxResults", "nextToken"])?;
    let max = match query.get("maxResults") {
        None => None,
        Some(text) => Some(
            text.parse::<i32>()
                .map_err(|_| invalid_parameter(format!("maxResults '{text}' is not a number")))?,
        ),
    };
    Ok((max, query.get("nextToken").map(String::as_str)))
}

fn with_token(mut body: Value, token: Option<String>) -> Value {
    if let (Some(token), Some(map)) = (token, body.as_object_mut()) {
        map.insert("NextToken".to_string(), Value::String(token));
    }
    body
}

pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, ApiError> {
    let text: &[u8] = if body.is_empty() { b"{}" } else { body };
    serde_json::from_slice(text).map_err(serialization_error)
}

async fn list_instances(State(svc): State<Service>, Query(q): ListQuery) -> Response {
    answer(
        (|| {
            let (max, token) = paging(&q, "ListInstances")?;
            let page = svc.list_instances(max, token)?;
            let list: Vec<Value> = page.items.iter().map(answers::instance_json).collect();
            Ok(with_token(
                json!({ "InstanceSummaryList": list }),
                page.next_token,
            ))
        })()
        .map_err(instance_operation_error),
    )
}

/// ListInstances and DescribeInstance declare no InvalidParameterException
/// (ListInstances: InvalidRequest and InternalService; DescribeInstance:
/// those and ResourceNotFound), so a client generated from the model could
/// not match one: a bad parameter of theirs is InvalidRequestException.
fn instance_operation_error(err: ApiError) -> ApiError {
    if err.kind == ApiErrorKind::InvalidParameter {
        ApiError::new(
            ApiErrorKind::InvalidRequest,
            "InvalidRequestException",
            err.message,
        )
    } else {
        err
    }
}

async fn describe_instance(
    State(svc): State<Service>,
    Path(instance_id): Path<String>,
    Query(q): ListQuery,
) -> Response {
    answer(
        check_query(query_names(&q), "DescribeInstance", &[])
            .and_then(|()| svc.describe_instance(&instance_id))
            .map(|row| json!({ "Instance": answers::instance_json(&row) }))
            .map_err(instance_operation_error),
    )
}

async fn list_users(
    State(svc): State<Service>,
    Path(instance_id): Path<String>,
    Query(q): ListQuery,
) -> Response {
    answer((|| {
        let (max, token) = paging(&q, "ListUsers")?;
        let page = svc.list_users(&instance_id, max, token)?;
        let list: Vec<Value> = page.items.iter().map(answers::user_summary_json).collect();
        Ok(with_token(
            json!({ "UserSummaryList": list }),
            page.next_token,
        ))
    })())
}

async fn create_user(
    State(svc): State<Service>,
    Path(instance_id): Path<String>,
    body: Bytes,
) -> Response {
    answer((|| {
        let user = parse_json::<wire::CreateUserBody>(&body)?.into_domain()?;
        let created = svc.create_user(&instance_id, &user)?;
        Ok(json!({ "UserId": created.id, "UserArn": created.arn }))
    })())
}

async fn describe_user(
    State(svc): State<Service>,
    Path((instance_id, user_id)): Path<(String, String)>,
    Query(q): ListQuery,
) -> Response {
    answer(
        check_query(query_names(&q), "DescribeUser", &[])
            .and_then(|()| svc.describe_user(&instance_id, &user_id))
            .map(|r| json!({ "User": answers::user_json(&r) })),
    )
}

async fn delete_user(
    State(svc): State<Service>,
    Path((instance_id, user_id)): Path<(String, String)>,
    Query(q): ListQuery,
) -> Response {
    match check_query(query_names(&q), "DeleteUser", &[])
        .and_then(|()| svc.delete_user(&instance_id, &user_id))
    {
        Ok(()) => ().into_response(),
        Err(err) => error_response(&err),
    }
}

async fn search_users(State(svc): State<Service>, body: Bytes) -> Response {
    answer((|| {
        let body: SearchUsersBody = parse_json(&body)?;
        let filter = body.filter()?;
        let instance_id = body
            .instance_id
            .ok_or_else(|| invalid_parameter("InstanceId is required"))?;
        let (page, total) = svc.search_users(
            &instance_id,
            &filter,
            body.max_results,
            body.next_token.as_deref(),
        )?;
        let users: Vec<Value> = page.items.iter().map(answers::user_search_json).collect();
        Ok(with_token(
            json!({ "Users": users, "ApproximateTotalCount": total }),
            page.next_token,
        ))
    })())
}

fn list_named(
    svc: &Service,
    (kind, operation, member): (NamedKind, &str, &str),
    instance_id: &str,
    q: &HashMap<String, String>,
) -> Response {
    answer((|| {
        let (max, token) = paging(q, operation)?;
        let page = svc.list_named(kind, instance_id, max, token)?;
        let list: Vec<Value> = page.items.iter().map(answers::named_json).collect();
        Ok(with_token(json!({ member: list }), page.next_token))
    })())
}

async fn list_routing_profiles(
    State(svc): State<Service>,
    Path(id): Path<String>,
    Query(q): ListQuery,
) -> Response {
    list_named(
        &svc,
        (
            NamedKind::RoutingProfile,
            "ListRoutingProfiles",
            "RoutingProfileSummaryList",
        ),
        &id,
        &q,
    )
}

async fn list_security_profiles(
    State(svc): State<Service>,
    Path(id): Path<String>,
    Query(q): ListQuery,
) -> Response {
    list_named(
        &svc,
        (
            NamedKind::SecurityProfile,
            "ListSecurityProfiles",
            "SecurityProfileSummaryList",
        ),
        &id,
        &q,
    )
}

async fn list_hierarchy_groups(
    State(svc): State<Service>,
    Path(id): Path<String>,
    Query(q): ListQuery,
) -> Response {
    list_named(
        &svc,
        (
            NamedKind::HierarchyGroup,
            "ListUserHierarchyGroups",
            "UserHierarchyGroupSummaryList",
        ),
        &id,
        &q,
    )
}

async fn describe_hierarchy_group(
    State(svc): State<Service>,
    Path((instance_id, group_id)): Path<(String, String)>,
    Query(q): ListQuery,
) -> Response {
    answer((|| {
        check_query(query_names(&q), "DescribeUserHierarchyGroup", &[])?;
        let group = svc.describe_hierarchy_group(&instance_id, &group_id)?;
        // Groups come with the instance's seed: modified when it was created.
        let inst = svc.describe_instance(&instance_id)?;
        let region = &inst.arn_base.region;
        let group = config_routes::hierarchy_group_json(&group, inst.created_time, region);
        Ok(json!({ "HierarchyGroup": group }))
    })())
}

async fn describe_hierarchy_structure(
    State(svc): State<Service>,
    Path(instance_id): Path<String>,
    Query(q): ListQuery,
) -> Response {
    answer(
        check_query(query_names(&q), "DescribeUserHierarchyStructure", &[])
            .and_then(|()| svc.hierarchy_structure(&instance_id))
            .map(|levels| json!({ "HierarchyStructure": answers::levels_json(&levels) })),
    )
}
