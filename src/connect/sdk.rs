//! [`ConnectApi`] over `aws-sdk-connect`: the real service, or `local serve`
//! through `--endpoint-url`.
//!
//! Every attempt waits for its operation's [`Pacer`] first (list pages
//! too; see [`Pacers`] for when operations share one). The SDK does not retry (see `crate::session::open`): reads are retried here with patience
//! (`read`), and a write is one attempt per call, retried by the batch
//! runner, which knows whether an earlier attempt may have been committed.
//! Errors are reduced to [`ApiError`] by their service error type, which is
//! what the runner and the plan branch on.

use std::future::Future;
use std::sync::Arc;

use aws_sdk_connect::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_connect::types as sdk;
use aws_sdk_connect::Client;

use super::pacers::Pacers;
use super::patience::{retry, Patience};
use super::sdk_error::api_error;
use super::sdk_map;
use super::watch::Watch;
use super::*;
use crate::identity::Identity;

#[path = "sdk_fresh.rs"]
mod fresh;

/// Largest page sizes the service allows.
const LIST_PAGE: i32 = 1000;
const SEARCH_PAGE: i32 = 500;

/// Every page of a List* operation at the largest page size, each summary
/// mapped by `$item`.
macro_rules! list_all {
    ($api:expr, $name:literal, $operation:ident, $list:ident, |$s:ident| $item:expr) => {
        $api.all_pages(|token| async move {
            let out = $api
                .read($name, || {
                    $api.client
                        .$operation()
                        .instance_id(&$api.instance_id)
                        .max_results(LIST_PAGE)
                        .set_next_token(token.clone())
                        .send()
                })
                .await?;
            let items = out.$list().iter().map(|$s| $item).collect();
            Ok((items, out.next_token().map(str::to_string)))
        })
        .await
    };
}

/// The SDK client bound to one instance.
pub struct SdkApi {
    client: Client,
    instance_id: String,
    pacers: Arc<Pacers>,
    patience: Patience,
    /// Tells the user when the endpoint stops answering (see `watch.rs`).
    watch: Option<Arc<Watch>>,
}

impl SdkApi {
    /// `patience` is how long reads are retried; writes are attempted once
    /// per call (the batch runner retries them, knowing what a doubtful
    /// answer means for each).
    pub fn new(
        client: Client,
        instance_id: impl Into<String>,
        pacers: Arc<Pacers>,
        patience: Patience,
    ) -> SdkApi {
        SdkApi {
            client,
            instance_id: instance_id.into(),
            pacers,
            patience,
            watch: None,
        }
    }

    /// Every attempt watched: the user is told when the endpoint does not
    /// answer, and a first request refused outright is final.
    pub fn watched(mut self, watch: Arc<Watch>) -> SdkApi {
        self.watch = Some(watch);
        self
    }

    /// One attempt of `operation`: waits for its pacer, sends, and tells
    /// the pacer whether the answer was throttled.
    async fn attempt<T, E, Fut>(
        &self,
        operation: &'static str,
        send: impl FnOnce() -> Fut,
    ) -> Result<T, ApiError>
    where
        Fut: Future<Output = Result<T, SdkError<E, aws_smithy_runtime_api::http::Response>>>,
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let pacer = self.pacers.of(operation);
        let sent = pacer.acquire().await;
        self.sent_at(&pacer, sent, send()).await
    }

    /// An attempt's answer, watched (see `watch.rs`) and told to the pacer
    /// it was paced by: whether it was throttled.
    async fn sent_at<T, E>(
        &self,
        pacer: &super::pace::Pacer,
        sent: std::time::Instant,
        answer: impl Future<Output = Result<T, SdkError<E, aws_smithy_runtime_api::http::Response>>>,
    ) -> Result<T, ApiError>
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let answer = async { answer.await.map_err(api_error) };
        let result = match &self.watch {
            Some(watch) => watch.attempt(answer).await,
            None => answer.await,
        };
        let throttled = matches!(&result, Err(e) if e.kind == ApiErrorKind::Throttling);
        pacer.answered(sent, throttled);
        result
    }

    /// A read: attempts until one succeeds, the service answers finally, or
    /// the patience runs out. Reads change nothing, so doubt does not matter.
    async fn read<T, E, Fut>(
        &self,
        operation: &'static str,
        send: impl Fn() -> Fut,
    ) -> Result<T, ApiError>
    where
        Fut: Future<Output = Result<T, SdkError<E, aws_smithy_runtime_api::http::Response>>>,
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        retry(self.patience, || self.attempt(operation, &send))
            .await
            .into_result()
    }

    /// DescribeUser's answer as the domain's user.
    fn described(
        out: &aws_sdk_connect::operation::describe_user::DescribeUserOutput,
        user_id: &str,
    ) -> Result<ExistingUser, ApiError> {
        let user = out.user().ok_or_else(|| missing("User"))?;
        Ok(ExistingUser {
            id: user.id().unwrap_or(user_id).to_string(),
            arn: user.arn().unwrap_or_default().to_string(),
            fields: sdk_map::user_fields(user),
            last_modified: millis(user.last_modified_time()),
        })
    }

    fn describe_request(
        &self,
        user_id: &str,
    ) -> aws_sdk_connect::operation::describe_user::builders::DescribeUserFluentBuilder {
        self.client
            .describe_user()
            .instance_id(&self.instance_id)
            .user_id(user_id)
    }

    fn update_config_request(
        &self,
        user_id: &str,
        lists: sdk_map::ConfigLists,
    ) -> aws_sdk_connect::operation::update_user_config::builders::UpdateUserConfigFluentBuilder
    {
        self.client
            .update_user_config()
            .instance_id(&self.instance_id)
            .user_id(user_id)
            .set_auto_accept_configs(lists.auto_accept)
            .set_after_contact_work_configs(lists.after_contact_work)
            .set_phone_number_configs(lists.phone_number)
            .set_persistent_connection_configs(lists.persistent_connection)
            .set_voice_enhancement_configs(lists.voice_enhancement)
    }

    /// Collects every page of a List* call, pacing each request.
    async fn all_pages<T, F, Fut>(&self, mut page: F) -> Result<Vec<T>, ApiError>
    where
        F: FnMut(Option<String>) -> Fut,
        Fut: Future<Output = Result<(Vec<T>, Option<String>), ApiError>>,
    {
        let mut all = Vec::new();
        let mut token = None;
        loop {
            let (items, next) = page(token).await?;
            all.extend(items);
            token = next;
            if token.is_none() {
                return Ok(all);
            }
        }
    }
}

#[async_trait::async_trait]
impl ConnectApi for SdkApi {
    async fn describe_instance(&self) -> Result<InstanceInfo, ApiError> {
        let out = self
            .read("DescribeInstance", || {
                self.client
                    .describe_instance()
                    .instance_id(&self.instance_id)
                    .send()
            })
            .await?;
        let instance = out.instance().ok_or_else(|| missing("Instance"))?;
        let type_name = instance
            .identity_management_type()
            .map(|t| t.as_str())
            .unwrap_or("");
        let identity = Identity::from_api_name(type_name).ok_or_else(|| {
            ApiError::new(
                ApiErrorKind::Other,
                "UnknownIdentityManagementType",
                format!("the instance's identity management type {type_name:?} is not one this tool knows"),
            )
        })?;
        Ok(InstanceInfo {
            id: instance.id().unwrap_or(&self.instance_id).to_string(),
            arn: instance.arn().unwrap_or_default().to_string(),
            alias: instance.instance_alias().map(str::to_string),
            identity,
        })
    }

    async fn list_routing_profiles(&self) -> Result<Vec<NamedResource>, ApiError> {
        list_all!(
            self,
            "ListRoutingProfiles",
            list_routing_profiles,
            routing_profile_summary_list,
            |s| named(s.id(), s.arn(), s.name())
        )
    }

    async fn list_security_profiles(&self) -> Result<Vec<NamedResource>, ApiError> {
        list_all!(
            self,
            "ListSecurityProfiles",
            list_security_profiles,
            security_profile_summary_list,
            |s| named(s.id(), s.arn(), s.name())
        )
    }

    async fn list_hierarchy_groups(&self) -> Result<Vec<NamedResource>, ApiError> {
        list_all!(
            self,
            "ListUserHierarchyGroups",
            list_user_hierarchy_groups,
            user_hierarchy_group_summary_list,
            |s| named(s.id(), s.arn(), s.name())
        )
    }

    async fn describe_hierarchy_group(&self, group_id: &str) -> Result<HierarchyGroup, ApiError> {
        let out = self
            .read("DescribeUserHierarchyGroup", || {
                self.client
                    .describe_user_hierarchy_group()
                    .instance_id(&self.instance_id)
                    .hierarchy_group_id(group_id)
                    .send()
            })
            .await?;
        let group = out
            .hierarchy_group()
            .ok_or_else(|| missing("HierarchyGroup"))?;
        let path = group
            .hierarchy_path()
            .map(|p| {
                [
                    p.level_one(),
                    p.level_two(),
                    p.level_three(),
                    p.level_four(),
                    p.level_five(),
                ]
                .into_iter()
                .flatten()
                .map(|g| named(g.id(), g.arn(), g.name()))
                .collect()
            })
            .unwrap_or_default();
        Ok(HierarchyGroup {
            id: group.id().unwrap_or(group_id).to_string(),
            name: group.name().unwrap_or_default().to_string(),
            level_id: group.level_id().unwrap_or_default().to_string(),
            path,
        })
    }

    async fn list_users(&self) -> Result<Vec<UserSummary>, ApiError> {
        list_all!(
            self,
            "ListUsers",
            list_users,
            user_summary_list,
            |s| listed(s)
        )
    }

    async fn search_users(
        &self,
        query: &UserQuery,
        next_token: Option<&str>,
    ) -> Result<SearchPage, ApiError> {
        let criteria = search_criteria(query);
        let out = self
            .read("SearchUsers", || {
                self.client
                    .search_users()
                    .instance_id(&self.instance_id)
                    .max_results(SEARCH_PAGE)
                    .set_search_criteria(criteria.clone())
                    .set_next_token(next_token.map(str::to_string))
                    .send()
            })
            .await?;
        let users = out
            .users()
            .iter()
            .map(|u| ExistingUser {
                id: u.id().unwrap_or_default().to_string(),
                arn: u.arn().unwrap_or_default().to_string(),
                fields: sdk_map::searched_fields(u),
                last_modified: None,
            })
            .collect();
        Ok(SearchPage {
            users,
            next_token: out.next_token().map(str::to_string),
            approximate_total: out.approximate_total_count().map(|n| n.max(0) as u64),
        })
    }

    async fn count_users(&self) -> Result<u64, ApiError> {
        let out = self
            .read("SearchUsers", || {
                self.client
                    .search_users()
                    .instance_id(&self.instance_id)
                    .max_results(1)
                    .send()
            })
            .await?;
        Ok(out.approximate_total_count().unwrap_or(0).max(0) as u64)
    }

    async fn find_user(&self, username: &str) -> Result<Option<UserSummary>, ApiError> {
        let criteria = sdk::UserSearchCriteria::builder()
            .string_condition(
                sdk::StringCondition::builder()
                    .field_name("Username")
                    .value(username)
                    .comparison_type(sdk::StringComparisonType::Exact)
                    .build(),
            )
            .build();
        let out = self
            .read("SearchUsers", || {
                self.client
                    .search_users()
                    .instance_id(&self.instance_id)
                    .max_results(SEARCH_PAGE)
                    .search_criteria(criteria.clone())
                    .send()
            })
            .await?;
        let wanted = username.to_lowercase();
        Ok(out
            .users()
            .iter()
            .find(|u| u.username().is_some_and(|n| n.to_lowercase() == wanted))
            .map(|u| summary(u.id(), u.arn(), u.username())))
    }

    async fn describe_user(&self, user_id: &str) -> Result<ExistingUser, ApiError> {
        let out = self
            .read("DescribeUser", || self.describe_request(user_id).send())
            .await?;
        SdkApi::described(&out, user_id)
    }

    async fn create_user(&self, user: &NewUser) -> Result<CreatedUser, ApiError> {
        let f = &user.fields;
        let info = &f.identity_info;
        let has_identity = info.first_name.is_some()
            || info.last_name.is_some()
            || info.email.is_some()
            || info.secondary_email.is_some()
            || info.mobile.is_some();
        let identity_info = has_identity.then(|| {
            sdk::UserIdentityInfo::builder()
                .set_first_name(info.first_name.clone())
                .set_last_name(info.last_name.clone())
                .set_email(info.email.clone())
                .set_secondary_email(info.secondary_email.clone())
                .set_mobile(info.mobile.clone())
                .build()
        });
        let phone_config = f.phone_config.as_ref().map(sdk_map::phone_config);
        let lists = sdk_map::config_lists(&f.config)?;
        let tags = (!f.tags.is_empty()).then(|| f.tags.clone().into_iter().collect());
        let out = self
            .attempt("CreateUser", || {
                self.client
                    .create_user()
                    .instance_id(&self.instance_id)
                    .username(&f.username)
                    .set_password(user.password.as_ref().map(|p| p.expose().to_string()))
                    .set_identity_info(identity_info)
                    .set_phone_config(phone_config)
                    .set_auto_accept_configs(lists.auto_accept)
                    .set_after_contact_work_configs(lists.after_contact_work)
                    .set_phone_number_configs(lists.phone_number)
                    .set_persistent_connection_configs(lists.persistent_connection)
                    .set_voice_enhancement_configs(lists.voice_enhancement)
                    .set_directory_user_id(user.directory_user_id.clone())
                    .set_security_profile_ids(Some(f.security_profile_ids.clone()))
                    .routing_profile_id(&f.routing_profile_id)
                    .set_hierarchy_group_id(f.hierarchy_group_id.clone())
                    .set_tags(tags)
                    .send()
            })
            .await?;
        Ok(CreatedUser {
            id: out.user_id().unwrap_or_default().to_string(),
            arn: out.user_arn().unwrap_or_default().to_string(),
        })
    }

    async fn list_instances(&self) -> Result<Vec<instances::InstanceSummary>, ApiError> {
        self.all_pages(|token| async move {
            let out = self
                .read("ListInstances", || {
                    self.client
                        .list_instances()
                        .max_results(10)
                        .set_next_token(token.clone())
                        .send()
                })
                .await?;
            let items = out
                .instance_summary_list()
                .iter()
                .map(|i| instances::InstanceSummary {
                    id: i.id().unwrap_or_default().to_string(),
                    arn: i.arn().unwrap_or_default().to_string(),
                    alias: i.instance_alias().map(str::to_string),
                })
                .collect();
            Ok((items, out.next_token().map(str::to_string)))
        })
        .await
    }

    fn region(&self) -> Option<String> {
        self.client.config().region().map(ToString::to_string)
    }

    async fn update_user_config(&self, user_id: &str, config: &UserConfig) -> Result<(), ApiError> {
        let lists = sdk_map::config_lists(config)?;
        self.attempt("UpdateUserConfig", || {
            self.update_config_request(user_id, lists).send()
        })
        .await?;
        Ok(())
    }

    async fn delete_user(&self, user_id: &str) -> Result<(), ApiError> {
        self.attempt("DeleteUser", || {
            self.client
                .delete_user()
                .instance_id(&self.instance_id)
                .user_id(user_id)
                .send()
        })
        .await?;
        Ok(())
    }

    async fn read_then_delete(
        &self,
        user_id: &str,
        delete: &(dyn for<'u> Fn(&'u ExistingUser) -> bool + Send + Sync),
    ) -> Result<ReadThenWrite, ApiError> {
        self.fresh_delete(user_id, delete).await
    }

    async fn update_user(&self, user: &UserRef, update: &UserUpdate) -> Result<(), ApiError> {
        let pacer = self.pacers.of(update.operation());
        let slot = pacer.acquire().await;
        self.send_update(user, update, &pacer, slot).await
    }

    async fn read_then_update(
        &self,
        user: &UserRef,
        operations: &[&'static str],
        decide: &(dyn for<'u> Fn(&'u ExistingUser) -> Vec<UserUpdate> + Send + Sync),
    ) -> Result<ReadThenUpdates, ApiError> {
        self.fresh_updates(user, operations, decide).await
    }
}

fn named(id: Option<&str>, arn: Option<&str>, name: Option<&str>) -> NamedResource {
    NamedResource {
        id: id.unwrap_or_default().to_string(),
        arn: arn.unwrap_or_default().to_string(),
        name: name.unwrap_or_default().to_string(),
    }
}

fn summary(id: Option<&str>, arn: Option<&str>, username: Option<&str>) -> UserSummary {
    UserSummary {
        id: id.unwrap_or_default().to_string(),
        arn: arn.unwrap_or_default().to_string(),
        username: username.unwrap_or_default().to_string(),
        last_modified: None,
    }
}

/// SearchUsers' criteria for a query: every condition in one AND; none
/// when the query has none.
fn search_criteria(query: &UserQuery) -> Option<sdk::UserSearchCriteria> {
    let string = |field: &str, value: &str| {
        sdk::UserSearchCriteria::builder()
            .string_condition(
                sdk::StringCondition::builder()
                    .field_name(field)
                    .value(value)
                    .comparison_type(sdk::StringComparisonType::Exact)
                    .build(),
            )
            .build()
    };
    let mut conditions = Vec::new();
    if let Some(id) = &query.routing_profile_id {
        conditions.push(string("RoutingProfileId", id));
    }
    if let Some(id) = &query.security_profile_id {
        conditions.push(string("SecurityProfileId", id));
    }
    if let Some(id) = &query.hierarchy_group_id {
        conditions.push(
            sdk::UserSearchCriteria::builder()
                .hierarchy_group_condition(
                    sdk::HierarchyGroupCondition::builder()
                        .value(id)
                        .hierarchy_group_match_type(sdk::HierarchyGroupMatchType::WithChildGroups)
                        .build(),
                )
                .build(),
        );
    }
    match conditions.len() {
        0 => None,
        1 => conditions.pop(),
        _ => Some(
            sdk::UserSearchCriteria::builder()
                .set_and_conditions(Some(conditions))
                .build(),
        ),
    }
}

/// A ListUsers entry, with its last modification.
fn listed(s: &sdk::UserSummary) -> UserSummary {
    UserSummary {
        last_modified: millis(s.last_modified_time()),
        ..summary(s.id(), s.arn(), s.username())
    }
}

fn millis(time: Option<&aws_smithy_types::DateTime>) -> Option<i64> {
    time.and_then(|t| t.to_millis().ok())
}

fn missing(member: &str) -> ApiError {
    ApiError::new(
        ApiErrorKind::Other,
        "InvalidResponse",
        format!("the answer has no {member}"),
    )
}
