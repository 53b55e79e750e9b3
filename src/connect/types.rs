//! Plain data for the instance API, independent of any client.

use std::collections::BTreeMap;
use std::fmt;

use crate::identity::Identity;
use crate::secret::Secret;
use crate::user::{PhoneType, VoiceEnhancementMode};

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
    /// `LastModifiedTime` in milliseconds since the epoch, where the
    /// operation gives it (ListUsers does, SearchUsers does not).
    pub last_modified: Option<i64>,
}

/// One page of SearchUsers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchPage {
    /// The users as the search shows them (`UserSearchSummary`): every
    /// field DescribeUser answers but three — `identity_info` holds only the
    /// first and last name (the search's `IdentityInfo` is the lite form:
    /// no e-mail addresses, no mobile), and `last_modified` is `None`. ACW
    /// timeouts are in seconds, as everywhere in this crate (the service
    /// answers the search's `PhoneConfig` one in milliseconds). The search
    /// is eventually consistent: a page may not show changes made moments
    /// before it was asked for.
    pub users: Vec<ExistingUser>,
    pub next_token: Option<String>,
    /// `ApproximateTotalCount`: how many users the query selects in all.
    pub approximate_total: Option<u64>,
}

/// A current read of a user and the updates decided from it
/// ([`crate::connect::ConnectApi::read_then_update`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadThenUpdates {
    /// The user as the read showed it.
    pub user: ExistingUser,
    /// The answers of the updates sent, in their order: every one but the
    /// last succeeded (the first failure ends the sending); empty when the
    /// user, as read, needed none.
    pub sent: Vec<Result<(), ApiError>>,
}

/// A current read of a user and the delete decided from it
/// ([`crate::connect::ConnectApi::read_then_delete`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadThenWrite {
    /// The user as the read showed it.
    pub user: ExistingUser,
    /// The delete's answer; `None` when the user, as read, was not to go.
    pub write: Option<Result<(), ApiError>>,
}

/// The user an update is about: its ID, and its ARN (the tag operations
/// name the user by it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRef {
    pub id: String,
    pub arn: String,
}

/// One call that changes one part of an existing user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserUpdate {
    /// UpdateUserRoutingProfile.
    RoutingProfile(String),
    /// UpdateUserSecurityProfiles: the whole list.
    SecurityProfiles(Vec<String>),
    /// UpdateUserHierarchy: a group, or none (the member left out).
    Hierarchy(Option<String>),
    /// UpdateUserIdentityInfo: the whole identity, as it is to be.
    IdentityInfo(IdentityInfo),
    /// UpdateUserConfig: the per-channel entries listed.
    Config(UserConfig),
    /// TagResource on the user's ARN: adds or replaces these tags.
    Tag(BTreeMap<String, String>),
    /// UntagResource on the user's ARN: removes these keys.
    Untag(Vec<String>),
}

impl UserUpdate {
    /// The API operation that carries it.
    pub fn operation(&self) -> &'static str {
        match self {
            UserUpdate::RoutingProfile(_) => "UpdateUserRoutingProfile",
            UserUpdate::SecurityProfiles(_) => "UpdateUserSecurityProfiles",
            UserUpdate::Hierarchy(_) => "UpdateUserHierarchy",
            UserUpdate::IdentityInfo(_) => "UpdateUserIdentityInfo",
            UserUpdate::Config(_) => "UpdateUserConfig",
            UserUpdate::Tag(_) => "TagResource",
            UserUpdate::Untag(_) => "UntagResource",
        }
    }
}

/// Which users a SearchUsers selects: every condition given must hold; no
/// condition selects every user.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserQuery {
    pub routing_profile_id: Option<String>,
    /// Users with this security profile among theirs.
    pub security_profile_id: Option<String>,
    /// Users of this hierarchy group or of any group below it.
    pub hierarchy_group_id: Option<String>,
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

/// The contact channels of the per-channel settings (`Channel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    Voice,
    Chat,
    Task,
    Email,
}

impl Channel {
    pub const ALL: [Channel; 4] = [Channel::Voice, Channel::Chat, Channel::Task, Channel::Email];

    pub fn api_name(self) -> &'static str {
        match self {
            Channel::Voice => "VOICE",
            Channel::Chat => "CHAT",
            Channel::Task => "TASK",
            Channel::Email => "EMAIL",
        }
    }

    pub fn from_api_name(name: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.api_name() == name)
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.api_name())
    }
}

/// `PhoneConfig` of a user: the legacy, channel-less form of the phone
/// settings. No member is required by the service model, and each one
/// conflicts with its own per-channel list, so each is optional here.
///
/// Meaning, as the service defines it: `AfterContactWorkTimeLimit` applies
/// to every channel; `AutoAccept`, `PhoneType`/`DeskPhoneNumber` and
/// `PersistentConnection` are the VOICE channel's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PhoneConfig {
    pub phone_type: Option<PhoneType>,
    pub auto_accept: Option<bool>,
    /// Seconds (in SearchUsers' answers the service gives milliseconds).
    pub after_contact_work_time_limit: Option<i32>,
    pub desk_phone_number: Option<String>,
    pub persistent_connection: Option<bool>,
}

/// An entry of `AutoAcceptConfigs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoAcceptConfig {
    pub channel: Channel,
    pub auto_accept: bool,
    /// VOICE only.
    pub agent_first_callback_auto_accept: Option<bool>,
}

/// An entry of `AfterContactWorkConfigs` (`AfterContactWorkConfigPerChannel`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AfterContactWorkConfig {
    pub channel: Channel,
    /// `AfterContactWorkConfig.AfterContactWorkTimeLimit`: seconds, 0 = no limit.
    pub time_limit: i32,
    /// `AgentFirstCallbackAfterContactWorkConfig`, VOICE only.
    pub agent_first_callback_time_limit: Option<i32>,
}

/// An entry of `PhoneNumberConfigs` (VOICE only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumberConfig {
    pub channel: Channel,
    pub phone_type: PhoneType,
    pub phone_number: Option<String>,
}

/// An entry of `PersistentConnectionConfigs` (VOICE only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersistentConnectionConfig {
    pub channel: Channel,
    pub persistent_connection: bool,
}

/// An entry of `VoiceEnhancementConfigs` (VOICE only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoiceEnhancementConfig {
    pub channel: Channel,
    pub mode: VoiceEnhancementMode,
}

/// The five per-channel lists, as CreateUser and UpdateUserConfig take them
/// and DescribeUser returns them. An empty list is one the request leaves
/// out (the model gives an empty list no other meaning).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserConfig {
    pub auto_accept: Vec<AutoAcceptConfig>,
    pub after_contact_work: Vec<AfterContactWorkConfig>,
    pub phone_number: Vec<PhoneNumberConfig>,
    pub persistent_connection: Vec<PersistentConnectionConfig>,
    pub voice_enhancement: Vec<VoiceEnhancementConfig>,
}

impl UserConfig {
    pub fn is_empty(&self) -> bool {
        self.auto_accept.is_empty()
            && self.after_contact_work.is_empty()
            && self.phone_number.is_empty()
            && self.persistent_connection.is_empty()
            && self.voice_enhancement.is_empty()
    }
}

/// The fields a user has on the instance and a CreateUser sets, by ID.
/// The default is a user with nothing set: tests fill in what they need.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserFields {
    pub username: String,
    pub identity_info: IdentityInfo,
    /// The legacy phone settings; see [`crate::connect::settings`] for how
    /// they combine with the per-channel lists.
    pub phone_config: Option<PhoneConfig>,
    /// The per-channel settings.
    pub config: UserConfig,
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
    /// `LastModifiedTime` in milliseconds since the epoch, when answered.
    pub last_modified: Option<i64>,
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
