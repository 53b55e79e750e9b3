//! The edge to an Amazon Connect instance.
//!
//! [`ConnectApi`] is the handful of operations an import needs, bound to one
//! instance. Two implementations sit behind it: [`sdk`] talks to the real
//! service (or `local serve`) through `aws-sdk-connect`, and
//! `crate::local::api` calls the local store in-process (`--local`).
//! The rest of the program never sees which one it has.

pub mod config;
pub mod instances;
pub mod pace;
pub mod pacers;
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
    for `agents set` and `agents edit` also the update each change needs: \
    connect:UpdateUserRoutingProfile, connect:UpdateUserSecurityProfiles, \
    connect:UpdateUserHierarchy, connect:UpdateUserIdentityInfo, connect:UpdateUserConfig, \
    connect:TagResource, connect:UntagResource; for `agents remove` also connect:DeleteUser";

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
    /// SearchUsers: one page (up to 500 users) of the users the query
    /// selects, with every field the search shows (see [`SearchPage`]);
    /// `next_token` from the page before, `None` for the first.
    async fn search_users(
        &self,
        query: &UserQuery,
        next_token: Option<&str>,
    ) -> Result<SearchPage, ApiError>;
    /// DescribeUser.
    async fn describe_user(&self, user_id: &str) -> Result<ExistingUser, ApiError>;
    /// CreateUser.
    async fn create_user(&self, user: &NewUser) -> Result<CreatedUser, ApiError>;
    /// UpdateUserConfig: sets the entries `config` lists, per channel, and
    /// leaves every other setting of the user as it is.
    async fn update_user_config(&self, user_id: &str, config: &UserConfig) -> Result<(), ApiError>;
    /// DeleteUser: the user and its tags. Not idempotent at the service: a
    /// second delete of the same ID is ResourceNotFoundException, so a
    /// caller that retries after a doubtful answer reads that as "gone".
    async fn delete_user(&self, user_id: &str) -> Result<(), ApiError>;

    /// One call that changes one part of an existing user (see
    /// [`UserUpdate`]). An implementation that cannot make a kind of
    /// update refuses it; this default makes only UpdateUserConfig.
    async fn update_user(&self, user: &UserRef, update: &UserUpdate) -> Result<(), ApiError> {
        match update {
            UserUpdate::Config(config) => self.update_user_config(&user.id, config).await,
            other => Err(ApiError::new(
                ApiErrorKind::Other,
                "Unsupported",
                format!("this instance API does not make {}", other.operation()),
            )),
        }
    }

    /// A freshness check and the updates that depend on it: DescribeUser,
    /// then the updates `decide` returns for the user as that read shows
    /// it, in their order, until one fails. One attempt of each: `Err` is
    /// the read's error (nothing was sent); the updates' answers are in the
    /// result. `operations` are the operations `decide` may ask for. The
    /// service has no conditional update, so what keeps a change made by
    /// someone else from being overwritten is how little time lies between
    /// the read and the updates: the SDK client takes the pacing slots of
    /// them all before it sends the read, so only round trips separate
    /// them. This default sends them one after the other.
    async fn read_then_update(
        &self,
        user: &UserRef,
        operations: &[&'static str],
        decide: &(dyn for<'u> Fn(&'u ExistingUser) -> Vec<UserUpdate> + Send + Sync),
    ) -> Result<ReadThenUpdates, ApiError> {
        let _ = operations;
        let read = self.describe_user(&user.id).await?;
        let mut sent = Vec::new();
        for update in decide(&read) {
            let answer = self.update_user(user, &update).await;
            let failed = answer.is_err();
            sent.push(answer);
            if failed {
                break;
            }
        }
        Ok(ReadThenUpdates { user: read, sent })
    }

    /// The freshness check of a delete: DescribeUser, then — when `delete`
    /// says yes for the user as that read shows it — DeleteUser, with the
    /// pacing as [`ConnectApi::read_then_update`]'s. One attempt of
    /// each: `Err` is the read's error (nothing was sent; a user already
    /// gone is ResourceNotFoundException); the delete's answer is in the
    /// result.
    async fn read_then_delete(
        &self,
        user_id: &str,
        delete: &(dyn for<'u> Fn(&'u ExistingUser) -> bool + Send + Sync),
    ) -> Result<ReadThenWrite, ApiError> {
        let user = self.describe_user(user_id).await?;
        let write = match delete(&user) {
            true => Some(self.delete_user(user_id).await),
            false => None,
        };
        Ok(ReadThenWrite { user, write })
    }

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
