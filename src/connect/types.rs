//! Plain data for the instance API, independent of any client.

use std::collections::BTreeMap;
use std::fmt;

use crate::identity::Identity;
use crate::secret::Secret;
use crate::user::PhoneType;

/// DescribeInstance, the parts an import uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceInfo {
    pub id: String,
    pub arn: String,
    pub alias: Option<String>,
    pub identity: Identity,
}

/// An entry of a List* summary: routing profile, security profile, hierarchy group, …
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedResource {
    pub id: String,
    pub arn: String,
    pub name: String,
}

/// DescribeUserHierarchyGroup: the group and its path from level one down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HierarchyGroup {
    pub id: String,
    pub name: String,
    pub level_id: String,
    /// The groups of levels one to five, ending with this group itself.
    pub path: Vec<NamedResource>,
}

/// An entry of ListUsers / SearchUsers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserSummary {
    pub id: String,
    pub arn: String,
    pub username: String,
}

/// `IdentityInfo` of a user.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdentityInfo {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub secondary_email: Option<String>,
    pub mobile: Option<String>,
}

/// `PhoneConfig` of a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneConfig {
    pub phone_type: PhoneType,
    pub auto_accept: bool,
    pub after_contact_work_time_limit: i32,
    pub desk_phone_number: Option<String>,
    pub persistent_connection: Option<bool>,
}

/// The fields a user has on the instance and a CreateUser sets, by ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserFields {
    pub username: String,
    pub identity_info: IdentityInfo,
    pub phone_config: PhoneConfig,
    pub security_profile_ids: Vec<String>,
    pub routing_profile_id: String,
    pub hierarchy_group_id: Option<String>,
    pub tags: BTreeMap<String, String>,
}

/// A CreateUser request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub fields: UserFields,
    pub password: Option<Secret>,
    pub directory_user_id: Option<String>,
}

/// DescribeUser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingUser {
    pub id: String,
    pub arn: String,
    pub fields: UserFields,
}

/// CreateUser's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedUser {
    pub id: String,
    pub arn: String,
}

/// The error types of the service that the import branches on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiErrorKind {
    DuplicateResource,
    ResourceNotFound,
    InvalidParameter,
    InvalidRequest,
    Throttling,
    LimitExceeded,
    AccessDenied,
    InternalService,
    /// No answer: connection refused or dropped, timeout.
    Transport,
    /// Missing or rejected credentials or signature.
    Authentication,
    Other,
}

/// An error from the instance API, with the service's type name and message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ApiError {
    pub kind: ApiErrorKind,
    /// The service's error type, e.g. `DuplicateResourceException`.
    pub code: String,
    pub message: String,
}

impl ApiError {
    pub fn new(
        kind: ApiErrorKind,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> ApiError {
        ApiError {
            kind,
            code: code.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ApiErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}
