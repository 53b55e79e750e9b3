//! [`LocalApi`]: the instance API of one local instance, in-process — no
//! HTTP, no credentials — for `--local`. It calls the same
//! [`Service`](crate::local::service::Service) as the HTTP server, so its
//! checks and error kinds are the server's.

use std::path::Path;
use std::sync::Arc;

use anyhow::{bail, Context};

use crate::connect::{
    ApiError, ConnectApi, CreatedUser, ExistingUser, HierarchyGroup, InstanceInfo, NamedResource,
    NewUser, SearchPage, UserConfig, UserQuery, UserRef, UserSummary, UserUpdate,
};
use crate::local::db::NamedKind;
use crate::local::seed::Seed;
use crate::local::service::{Comparison, Page, Service, UserField, UserFilter};
use crate::local::store::Store;

/// One instance of a local store.
#[derive(Clone)]
pub struct LocalApi {
    service: Service,
    instance_id: String,
}

impl LocalApi {
    /// Opens the store at `db_path` and binds to `instance_id`, or to the
    /// only instance when none is named.
    pub fn open(db_path: &Path, instance_id: Option<&str>) -> anyhow::Result<LocalApi> {
        let store = Arc::new(Store::open(db_path)?);
        let ids = store.instance_ids()?;
        let instance_id = match instance_id {
            Some(id) if ids.iter().any(|known| known == id) => id.to_string(),
            Some(id) => bail!(
                "instance {id} is not in {} (it holds: {})",
                db_path.display(),
                list(&ids)
            ),
            None => match ids.as_slice() {
                [only] => only.clone(),
                [] => bail!(
                    "{} holds no instance; load one with `local serve --seed FILE`",
                    db_path.display()
                ),
                _ => bail!(
                    "{} holds several instances ({}); name one",
                    db_path.display(),
                    list(&ids)
                ),
            },
        };
        Ok(LocalApi::with_store(store, &instance_id))
    }

    /// Opens the store at `db_path`, loading the embedded demo instance on
    /// first use, and binds to the demo instance.
    pub fn open_demo(db_path: &Path) -> anyhow::Result<LocalApi> {
        let store = Arc::new(Store::open(db_path)?);
        let seed = Seed::demo();
        store
            .load_seed(&seed)
            .context("loading the demo instance")?;
        Ok(LocalApi::with_store(store, &seed.id))
    }

    /// `--local DB`: the store's only instance, or the demo instance when
    /// the store holds none yet (seeded on this first use).
    pub fn open_local(db_path: &Path) -> anyhow::Result<LocalApi> {
        if Store::open(db_path)?.instance_ids()?.is_empty() {
            LocalApi::open_demo(db_path)
        } else {
            LocalApi::open(db_path, None)
        }
    }

    /// Binds to an instance of a store that is already open.
    pub fn with_store(store: Arc<Store>, instance_id: &str) -> LocalApi {
        LocalApi {
            service: Service::new(store),
            instance_id: instance_id.to_string(),
        }
    }

    pub fn instance_id(&self) -> &str {
        &self.instance_id
    }

    pub fn store(&self) -> &Arc<Store> {
        self.service.store()
    }

    /// Follows every page of a list operation.
    fn all_pages<T>(
        mut page: impl FnMut(Option<&str>) -> Result<Page<T>, ApiError>,
    ) -> Result<Vec<T>, ApiError> {
        let mut items = vec![];
        let mut token: Option<String> = None;
        loop {
            let p = page(token.as_deref())?;
            items.extend(p.items);
            match p.next_token {
                Some(next) => token = Some(next),
                None => return Ok(items),
            }
        }
    }

    fn list_named(&self, kind: NamedKind) -> Result<Vec<NamedResource>, ApiError> {
        LocalApi::all_pages(|token| {
            self.service
                .list_named(kind, &self.instance_id, Some(1000), token)
        })
    }
}

/// The store's filter for a query: every condition given, together.
fn query_filter(query: &UserQuery) -> UserFilter {
    let exact = |field, value: &String| UserFilter::Condition {
        field,
        comparison: Comparison::Exact,
        value: value.clone(),
    };
    let mut parts = Vec::new();
    if let Some(id) = &query.routing_profile_id {
        parts.push(exact(UserField::RoutingProfileId, id));
    }
    if let Some(id) = &query.security_profile_id {
        parts.push(exact(UserField::SecurityProfileId, id));
    }
    if let Some(id) = &query.hierarchy_group_id {
        parts.push(UserFilter::HierarchyGroup {
            group_id: id.clone(),
            with_child_groups: true,
        });
    }
    if parts.is_empty() {
        UserFilter::All
    } else {
        UserFilter::And(parts)
    }
}

fn list(ids: &[String]) -> String {
    if ids.is_empty() {
        "none".to_string()
    } else {
        ids.join(", ")
    }
}

#[async_trait::async_trait]
impl ConnectApi for LocalApi {
    async fn describe_instance(&self) -> Result<InstanceInfo, ApiError> {
        let row = self.service.describe_instance(&self.instance_id)?;
        Ok(InstanceInfo {
            arn: row.arn_base.instance(),
            id: row.id,
            alias: row.alias,
            identity: row.identity,
        })
    }

    async fn list_routing_profiles(&self) -> Result<Vec<NamedResource>, ApiError> {
        self.list_named(NamedKind::RoutingProfile)
    }

    async fn list_security_profiles(&self) -> Result<Vec<NamedResource>, ApiError> {
        self.list_named(NamedKind::SecurityProfile)
    }

    async fn list_hierarchy_groups(&self) -> Result<Vec<NamedResource>, ApiError> {
        self.list_named(NamedKind::HierarchyGroup)
    }

    async fn describe_hierarchy_group(&self, group_id: &str) -> Result<HierarchyGroup, ApiError> {
        self.service
            .describe_hierarchy_group(&self.instance_id, group_id)
    }

    async fn list_users(&self) -> Result<Vec<UserSummary>, ApiError> {
        let users = LocalApi::all_pages(|token| {
            self.service
                .list_users(&self.instance_id, Some(1000), token)
        })?;
        Ok(users.into_iter().map(|u| u.summary).collect())
    }

    async fn search_users(
        &self,
        query: &UserQuery,
        next_token: Option<&str>,
    ) -> Result<SearchPage, ApiError> {
        let (page, total) = self.service.search_users(
            &self.instance_id,
            &query_filter(query),
            Some(500),
            next_token,
        )?;
        // What the search shows of each user: the names of its identity,
        // no modification time.
        let users = page
            .items
            .into_iter()
            .map(|record| {
                let mut user = record.user;
                let info = &mut user.fields.identity_info;
                (info.email, info.secondary_email, info.mobile) = (None, None, None);
                user.last_modified = None;
                user
            })
            .collect();
        Ok(SearchPage {
            users,
            next_token: page.next_token,
            approximate_total: Some(total.max(0) as u64),
        })
    }

    async fn count_users(&self) -> Result<u64, ApiError> {
        let (_, total) =
            self.service
                .search_users(&self.instance_id, &UserFilter::All, Some(1), None)?;
        Ok(total.max(0) as u64)
    }

    async fn find_user(&self, username: &str) -> Result<Option<UserSummary>, ApiError> {
        let filter = UserFilter::Condition {
            field: UserField::Username,
            comparison: Comparison::Exact,
            value: username.to_string(),
        };
        let (page, _) = self
            .service
            .search_users(&self.instance_id, &filter, Some(1), None)?;
        Ok(page.items.into_iter().next().map(|r| UserSummary {
            id: r.user.id,
            arn: r.user.arn,
            username: r.user.fields.username,
            last_modified: None,
        }))
    }

    async fn describe_user(&self, user_id: &str) -> Result<ExistingUser, ApiError> {
        Ok(self.service.describe_user(&self.instance_id, user_id)?.user)
    }

    async fn create_user(&self, user: &NewUser) -> Result<CreatedUser, ApiError> {
        self.service.create_user(&self.instance_id, user)
    }

    async fn update_user_config(&self, user_id: &str, config: &UserConfig) -> Result<(), ApiError> {
        self.service
            .update_user_config(&self.instance_id, user_id, config)
    }

    async fn delete_user(&self, user_id: &str) -> Result<(), ApiError> {
        self.service.delete_user(&self.instance_id, user_id)
    }

    async fn update_user(&self, user: &UserRef, update: &UserUpdate) -> Result<(), ApiError> {
        let (service, instance, id) = (&self.service, self.instance_id.as_str(), user.id.as_str());
        match update {
            UserUpdate::RoutingProfile(profile) => {
                service.update_user_routing_profile(instance, id, profile)
            }
            UserUpdate::SecurityProfiles(profiles) => {
                service.update_user_security_profiles(instance, id, profiles)
            }
            UserUpdate::Hierarchy(group) => {
                service.update_user_hierarchy(instance, id, group.as_deref())
            }
            UserUpdate::IdentityInfo(info) => service.update_user_identity_info(instance, id, info),
            UserUpdate::Config(config) => service.update_user_config(instance, id, config),
            UserUpdate::Tag(tags) => service.tag_resource(&user.arn, tags),
            UserUpdate::Untag(keys) => service.untag_resource(&user.arn, keys),
        }
    }
}
