//! The wire shapes: request bodies into the domain types, domain types into
//! the JSON the service answers with, and errors into status, the
//! `x-amzn-errortype` header and a JSON message. Member names are the
//! service model's, as in the `aws-sdk-connect` crate's serializers.

use std::collections::BTreeMap;

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::connect::{ApiError, ApiErrorKind, IdentityInfo, NewUser, PhoneConfig, UserFields};
use crate::local::service::{invalid_parameter, Comparison, UserField, UserFilter};
use crate::secret::Secret;
use crate::user::PhoneType;

/// The HTTP status the service uses for an error kind.
pub fn status_of(kind: ApiErrorKind) -> StatusCode {
    match kind {
        ApiErrorKind::DuplicateResource => StatusCode::CONFLICT,
        ApiErrorKind::ResourceNotFound => StatusCode::NOT_FOUND,
        ApiErrorKind::InvalidParameter | ApiErrorKind::InvalidRequest => StatusCode::BAD_REQUEST,
        ApiErrorKind::Throttling | ApiErrorKind::LimitExceeded => StatusCode::TOO_MANY_REQUESTS,
        ApiErrorKind::AccessDenied | ApiErrorKind::Authentication => StatusCode::FORBIDDEN,
        ApiErrorKind::InternalService | ApiErrorKind::Transport | ApiErrorKind::Other => {
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

/// An error answer: status, `x-amzn-errortype`, `{"message": …}`.
pub fn error_response(err: &ApiError) -> Response {
    // Both spellings of the message member are in use across AWS services;
    // clients read either.
    let body = json!({ "message": err.message, "Message": err.message });
    let mut response = (status_of(err.kind), axum::Json(body)).into_response();
    if let Ok(value) = HeaderValue::from_str(&err.code) {
        response.headers_mut().insert("x-amzn-errortype", value);
    }
    response
}

pub fn internal_error(message: &str) -> ApiError {
    ApiError::new(
        ApiErrorKind::InternalService,
        "InternalServiceException",
        message,
    )
}

/// A malformed body, as the service's front end reports it.
pub fn serialization_error(err: serde_json::Error) -> ApiError {
    ApiError::new(
        ApiErrorKind::InvalidRequest,
        "SerializationException",
        format!("the request body is not valid JSON for this operation: {err}"),
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct IdentityInfoWire {
    first_name: Option<String>,
    last_name: Option<String>,
    email: Option<String>,
    secondary_email: Option<String>,
    mobile: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PhoneConfigWire {
    phone_type: Option<String>,
    auto_accept: Option<bool>,
    after_contact_work_time_limit: Option<i32>,
    desk_phone_number: Option<String>,
    persistent_connection: Option<bool>,
}

impl PhoneConfigWire {
    pub fn into_domain(self) -> Result<PhoneConfig, ApiError> {
        let phone_type = match self.phone_type.as_deref() {
            None => PhoneType::SoftPhone,
            Some(name) => PhoneType::from_api_name(name).ok_or_else(|| {
                invalid_parameter(format!(
                    "PhoneConfig.PhoneType '{name}' must be SOFT_PHONE or DESK_PHONE"
                ))
            })?,
        };
        Ok(PhoneConfig {
            phone_type,
            auto_accept: self.auto_accept.unwrap_or(false),
            after_contact_work_time_limit: self.after_contact_work_time_limit.unwrap_or(0),
            desk_phone_number: self.desk_phone_number,
            persistent_connection: self.persistent_connection,
        })
    }
}

/// The CreateUser body. No `Debug`: it holds the password.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateUserBody {
    username: Option<String>,
    password: Option<String>,
    identity_info: Option<IdentityInfoWire>,
    phone_config: Option<PhoneConfigWire>,
    directory_user_id: Option<String>,
    security_profile_ids: Option<Vec<String>>,
    routing_profile_id: Option<String>,
    hierarchy_group_id: Option<String>,
    tags: Option<BTreeMap<String, String>>,
}

impl CreateUserBody {
    pub fn into_domain(self) -> Result<NewUser, ApiError> {
        let required = |member: &str| invalid_parameter(format!("{member} is required"));
        let username = self.username.ok_or_else(|| required("Username"))?;
        let info = self.identity_info.map(|i| IdentityInfo {
            first_name: i.first_name,
            last_name: i.last_name,
            email: i.email,
            secondary_email: i.secondary_email,
            mobile: i.mobile,
        });
        let phone_config = match self.phone_config {
            Some(p) => p.into_domain()?,
            None => PhoneConfigWire {
                phone_type: None,
                auto_accept: None,
                after_contact_work_time_limit: None,
                desk_phone_number: None,
                persistent_connection: None,
            }
            .into_domain()?,
        };
        let tags = match self.tags {
            Some(tags) if tags.is_empty() => {
                return Err(invalid_parameter(
                    "Tags must hold 1 to 50 tags when present",
                ))
            }
            Some(tags) => tags,
            None => BTreeMap::new(),
        };
        Ok(NewUser {
            fields: UserFields {
                username,
                identity_info: info.unwrap_or_default(),
                phone_config,
                security_profile_ids: self
                    .security_profile_ids
                    .ok_or_else(|| required("SecurityProfileIds"))?,
                routing_profile_id: self
                    .routing_profile_id
                    .ok_or_else(|| required("RoutingProfileId"))?,
                hierarchy_group_id: self.hierarchy_group_id,
                tags,
            },
            password: self.password.map(Secret::new),
            directory_user_id: self.directory_user_id,
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdatePhoneConfigBody {
    pub phone_config: Option<PhoneConfigWire>,
}

/// The SearchUsers body.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SearchUsersBody {
    pub instance_id: Option<String>,
    pub max_results: Option<i32>,
    pub next_token: Option<String>,
    pub search_criteria: Option<Value>,
    pub search_filter: Option<Value>,
}

/// `SearchCriteria` into a filter. Several members of one object must all hold.
pub fn parse_criteria(criteria: &Value) -> Result<UserFilter, ApiError> {
    let Some(object) = criteria.as_object() else {
        return Err(invalid_parameter("SearchCriteria must be an object"));
    };
    let mut parts = vec![];
    for (key, value) in object {
        let list = |v: &Value| -> Result<Vec<UserFilter>, ApiError> {
            v.as_array()
                .ok_or_else(|| invalid_parameter(format!("SearchCriteria.{key} must be a list")))?
                .iter()
                .map(parse_criteria)
                .collect()
        };
        match key.as_str() {
            "AndConditions" => parts.push(UserFilter::And(list(value)?)),
            "OrConditions" => parts.push(UserFilter::Or(list(value)?)),
            "StringCondition" => parts.push(parse_string_condition(value)?),
            other => {
                return Err(invalid_parameter(format!(
                    "SearchCriteria.{other} is not supported by the local instance (StringCondition, AndConditions and OrConditions are)"
                )))
            }
        }
    }
    Ok(match parts.len() {
        0 => UserFilter::All,
        1 => parts.remove(0),
        _ => UserFilter::And(parts),
    })
}

fn parse_string_condition(value: &Value) -> Result<UserFilter, ApiError> {
    let text = |member: &str| value.get(member).and_then(Value::as_str);
    let field = match text("FieldName").map(str::to_ascii_lowercase).as_deref() {
        Some("username") => UserField::Username,
        Some("firstname") => UserField::FirstName,
        Some("lastname") => UserField::LastName,
        Some("resourceid") => UserField::ResourceId,
        other => {
            return Err(invalid_parameter(format!(
                "StringCondition.FieldName {other:?} is not supported: Username, FirstName, LastName or ResourceId"
            )))
        }
    };
    let comparison = match text("ComparisonType") {
        Some("EXACT") => Comparison::Exact,
        Some("STARTS_WITH") => Comparison::StartsWith,
        Some("CONTAINS") => Comparison::Contains,
        other => {
            return Err(invalid_parameter(format!(
                "StringCondition.ComparisonType {other:?} must be EXACT, STARTS_WITH or CONTAINS"
            )))
        }
    };
    let value =
        text("Value").ok_or_else(|| invalid_parameter("StringCondition.Value is required"))?;
    Ok(UserFilter::Condition {
        field,
        comparison,
        value: value.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn criteria_forms() {
        let exact = json!({"StringCondition": {"FieldName": "Username", "Value": "A.Lee", "ComparisonType": "EXACT"}});
        assert_eq!(
            parse_criteria(&exact).unwrap(),
            UserFilter::Condition {
                field: UserField::Username,
                comparison: Comparison::Exact,
                value: "A.Lee".into()
            }
        );
        let nested = json!({"OrConditions": [exact.clone(), {"AndConditions": [exact]}]});
        assert!(
            matches!(parse_criteria(&nested).unwrap(), UserFilter::Or(parts) if parts.len() == 2)
        );
        assert!(parse_criteria(&json!({"ListCondition": {}})).is_err());
        assert!(parse_criteria(&json!({"StringCondition": {"FieldName": "Username", "Value": "x", "ComparisonType": "LIKE"}})).is_err());
    }

    #[test]
    fn errors_carry_type_and_message() {
        let resp = error_response(&ApiError::new(
            ApiErrorKind::DuplicateResource,
            "DuplicateResourceException",
            "taken",
        ));
        assert_eq!(resp.status(), StatusCode::CONFLICT);
        assert_eq!(
            resp.headers()["x-amzn-errortype"],
            "DuplicateResourceException"
        );
    }
}
