//! The wire shapes: request bodies into the domain types, domain types into
//! the JSON the service answers with, and errors into status, the
//! `x-amzn-errortype` header and a JSON message. Member names are the
//! service model's, as in the `aws-sdk-connect` crate's serializers.

use std::collections::BTreeMap;

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use crate::connect::{ApiError, ApiErrorKind, IdentityInfo, NewUser, PhoneConfig, UserFields};
use crate::local::rules;
use crate::local::server::wire_config::{
    phone_type, AfterContactWorkWire, AutoAcceptWire, ConfigWire, PersistentConnectionWire,
    PhoneNumberWire, VoiceEnhancementWire,
};
use crate::local::service::invalid_parameter;
use crate::secret::Secret;

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

/// A malformed body, as the service's front end reports it; a member the
/// local instance does not know is InvalidParameterException naming it, so
/// that nothing a client sends is silently dropped.
pub fn serialization_error(err: serde_json::Error) -> ApiError {
    let text = err.to_string();
    if let Some(rest) = text.strip_prefix("unknown field `") {
        let member = rest.split('`').next().unwrap_or_default();
        return invalid_parameter(format!(
            "the request member {member} is not one the local instance implements for this \
             operation ({text})"
        ));
    }
    ApiError::new(
        ApiErrorKind::InvalidRequest,
        "SerializationException",
        format!("the request body is not valid JSON for this operation: {err}"),
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct IdentityInfoWire {
    first_name: Option<String>,
    last_name: Option<String>,
    email: Option<String>,
    secondary_email: Option<String>,
    mobile: Option<String>,
}

impl IdentityInfoWire {
    pub fn into_domain(self) -> IdentityInfo {
        IdentityInfo {
            first_name: self.first_name,
            last_name: self.last_name,
            email: self.email,
            secondary_email: self.secondary_email,
            mobile: self.mobile,
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PhoneConfigWire {
    phone_type: Option<String>,
    auto_accept: Option<bool>,
    after_contact_work_time_limit: Option<i32>,
    desk_phone_number: Option<String>,
    persistent_connection: Option<bool>,
}

impl PhoneConfigWire {
    pub fn into_domain(self) -> Result<PhoneConfig, ApiError> {
        Ok(PhoneConfig {
            phone_type: self
                .phone_type
                .map(|name| phone_type(&name, "PhoneConfig.PhoneType"))
                .transpose()?,
            auto_accept: self.auto_accept,
            after_contact_work_time_limit: self.after_contact_work_time_limit,
            desk_phone_number: self.desk_phone_number,
            persistent_connection: self.persistent_connection,
        })
    }
}

/// The CreateUser body. No `Debug`: it holds the password.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
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
    auto_accept_configs: Option<Vec<AutoAcceptWire>>,
    after_contact_work_configs: Option<Vec<AfterContactWorkWire>>,
    phone_number_configs: Option<Vec<PhoneNumberWire>>,
    persistent_connection_configs: Option<Vec<PersistentConnectionWire>>,
    voice_enhancement_configs: Option<Vec<VoiceEnhancementWire>>,
}

impl CreateUserBody {
    pub fn into_domain(self) -> Result<NewUser, ApiError> {
        let required = |member: &str| invalid_parameter(format!("{member} is required"));
        let username = self.username.ok_or_else(|| required("Username"))?;
        let info = self.identity_info.map(IdentityInfoWire::into_domain);
        let phone_config = self
            .phone_config
            .map(PhoneConfigWire::into_domain)
            .transpose()?;
        let config = ConfigWire {
            auto_accept: self.auto_accept_configs,
            after_contact_work: self.after_contact_work_configs,
            phone_number: self.phone_number_configs,
            persistent_connection: self.persistent_connection_configs,
            voice_enhancement: self.voice_enhancement_configs,
        }
        .into_domain()?;
        if let Some(tags) = &self.tags {
            rules::check_tags_given("Tags", tags).map_err(invalid_parameter)?;
        }
        let tags = self.tags.unwrap_or_default();
        Ok(NewUser {
            fields: UserFields {
                username,
                identity_info: info.unwrap_or_default(),
                phone_config,
                config,
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
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct UpdatePhoneConfigBody {
    pub phone_config: Option<PhoneConfigWire>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct UpdateRoutingProfileBody {
    pub routing_profile_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct UpdateSecurityProfilesBody {
    pub security_profile_ids: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct UpdateHierarchyBody {
    pub hierarchy_group_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct UpdateIdentityInfoBody {
    pub identity_info: Option<IdentityInfoWire>,
}

/// TagResource's body (its member is lower-case in the model).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagResourceBody {
    pub tags: Option<BTreeMap<String, String>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_members_are_named() {
        let err =
            serde_json::from_str::<UpdateHierarchyBody>(r#"{"HierarchyGroupId":"g","Level":2}"#)
                .map_err(serialization_error)
                .err()
                .unwrap();
        assert_eq!(err.code, "InvalidParameterException");
        assert!(err.message.contains("Level"), "{}", err.message);
        let err = serde_json::from_str::<UpdateHierarchyBody>("{")
            .map_err(serialization_error)
            .err()
            .unwrap();
        assert_eq!(err.code, "SerializationException");
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
