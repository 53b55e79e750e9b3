//! The edge to an Amazon Connect instance.
//!
//! [`ConnectApi`] is the handful of operations an import needs, bound to one
//! instance. Two implementations sit behind it: [`sdk`] talks to the real
//! service (or `local serve`) through `aws-sdk-connect`, and
//! `crate::local::api` calls the local store in-process (`--local`).
//! The rest of the program never sees which one it has.

pub mod config;
pub mod instances;
pub mod open;
pub mod pace;
pub mod patience;
pub mod sdk;
mod sdk_error;
mod sdk_map;
pub mod settings;
pub mod types;
pub mod watch;

pub use settings::EffectiveSettings;
pub use types::*;

/// What an AccessDeniedException means: the IAM actions the commands need.
pub const IAM_HINT: &str = "connect-users needs these IAM actions on the instance: connect:DescribeInstance, \
    connect:ListUsers, connect:SearchUsers, connect:DescribeUser, connect:ListRoutingProfiles, \
    connect:ListSecurityProfiles, connect:ListUserHierarchyGroups, connect:DescribeUserHierarchyGroup; \
    to import also connect:CreateUser, and connect:TagResource when the file sets tags; \
    for `agents set` also connect:UpdateUserConfig";

/// The user API of one instance. Every method is one logical operation;
/// list methods return every page.
#[async_trait::async_trait]
pub trait ConnectApi: Send + Sync {
    /// DescribeInstance.
    async fn describe_instance(&self) -> Result<InstanceInfo, ApiError>;
    /// ListRoutingProfiles, all pages.
    async fn list_routing_profiles(&self) -> Result<Vec<NamedResource>, ApiError>;
    /// ListSecurityProfiles, all pages.
    async fn list_security_profiles(&self) -> Result<Vec<NamedResource>, ApiError>;
    /// ListUserHierarchyGroups, all pages.
    async fn list_hierarchy_groups(&self) -> Result<Vec<NamedResource>, ApiError>;
    /// DescribeUserHierarchyGroup.
    async fn describe_hierarchy_group(&self, group_id: &str) -> Result<HierarchyGroup, ApiError>;
    /// ListUsers, all pages.
    async fn list_users(&self) -> Result<Vec<UserSummary>, ApiError>;
    /// How many users the instance holds (SearchUsers' approximate total
    /// count, one call): lets the plan choose between paging ListUsers and
    /// searching login by login.
    async fn count_users(&self) -> Result<u64, ApiError>;
    /// SearchUsers with `Username` EXACT: the user with this login, if any
    /// (the service compares user names case-insensitively).
    async fn find_user(&self, username: &str) -> Result<Option<UserSummary>, ApiError>;
    /// SearchUsers, all pages: the users the query selects.
    async fn search_users(&self, query: &UserQuery) -> Result<Vec<UserSummary>, ApiError>;
    /// DescribeUser.
    async fn describe_user(&self, user_id: &str) -> Result<ExistingUser, ApiError>;
    /// CreateUser.
    async fn create_user(&self, user: &NewUser) -> Result<CreatedUser, ApiError>;
    /// UpdateUserConfig: sets the entries `config` lists, per channel, and
    /// leaves every other setting of the user as it is.
    async fn update_user_config(&self, user_id: &str, config: &UserConfig) -> Result<(), ApiError>;
    /// ListInstances, all pages: the instances these credentials see in
    /// the region (to explain an instance that is not found). Only a
    /// client of the service answers it.
    async fn list_instances(&self) -> Result<Vec<instances::InstanceSummary>, ApiError> {
        Err(ApiError::new(
            ApiErrorKind::Other,
            "Unsupported",
            "this instance API does not list instances",
        ))
    }
    /// The region requests go to, where there is one.
    fn region(&self) -> Option<String> {
        None
    }
}
