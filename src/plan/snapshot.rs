//! What the instance holds that the file refers to, gathered with as few
//! calls as the file allows.
//!
//! List calls use the largest page size; hierarchy paths are checked by
//! describing only the groups whose names the file uses; existing logins are
//! found by paging ListUsers or by one SearchUsers per login, whichever takes
//! fewer calls for the sizes at hand. Every call goes through the instance
//! API, so it is paced like the creates.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use futures::{stream, StreamExt, TryStreamExt};

use crate::connect::{
    ApiError, ConnectApi, ExistingUser, HierarchyGroup, InstanceInfo, NamedResource, UserSummary,
};
use crate::user::UserSpec;

/// ListUsers' largest page.
const LIST_USERS_PAGE: u64 = 1000;

/// The part of the instance an import needs.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub instance: InstanceInfo,
    pub routing_profiles: Vec<NamedResource>,
    pub security_profiles: Vec<NamedResource>,
    /// Every hierarchy group's summary (only listed when the file uses a hierarchy).
    pub hierarchy_groups: Vec<NamedResource>,
    /// Described groups, by ID: those whose names end a path in the file,
    /// and those existing users of the file belong to.
    pub described_groups: BTreeMap<String, HierarchyGroup>,
    /// The file's logins that already exist, by lower-cased login.
    pub existing: BTreeMap<String, ExistingUser>,
}

/// What of a file the snapshot reads about: its logins and the names its
/// hierarchy paths end in (collected user by user, so a large file's users
/// need not all be held at once).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Wanted {
    /// Lower-cased ([`UserSpec::login_key`]).
    pub logins: BTreeSet<String>,
    pub leaf_names: BTreeSet<String>,
}

impl Wanted {
    pub fn add(&mut self, user: &UserSpec) {
        self.logins.insert(user.login_key());
        if let Some(leaf) = user.hierarchy.last() {
            self.leaf_names.insert(leaf.clone());
        }
    }

    pub fn of<'a>(users: impl IntoIterator<Item = &'a UserSpec>) -> Wanted {
        let mut wanted = Wanted::default();
        users.into_iter().for_each(|user| wanted.add(user));
        wanted
    }
}

/// Gathers the snapshot for these users; `parallel` bounds concurrent describes.
pub async fn gather(
    api: Arc<dyn ConnectApi>,
    instance: InstanceInfo,
    wanted: &Wanted,
    parallel: usize,
) -> Result<Snapshot, ApiError> {
    let parallel = parallel.max(1);
    let routing_profiles = api.list_routing_profiles().await?;
    let security_profiles = api.list_security_profiles().await?;

    let leaf_names = &wanted.leaf_names;
    let hierarchy_groups = if leaf_names.is_empty() {
        Vec::new()
    } else {
        api.list_hierarchy_groups().await?
    };
    let leaf_groups: Vec<String> = hierarchy_groups
        .iter()
        .filter(|g| leaf_names.contains(g.name.as_str()))
        .map(|g| g.id.clone())
        .collect();
    let mut described_groups = describe_groups(&api, leaf_groups, parallel).await?;

    let found = find_existing(&api, &wanted.logins, parallel).await?;
    let existing: BTreeMap<String, ExistingUser> = stream::iter(found)
        .map(|summary| {
            let api = api.clone();
            async move { api.describe_user(&summary.id).await }
        })
        .buffer_unordered(parallel)
        .map_ok(|user| (user.fields.username.to_lowercase(), user))
        .try_collect()
        .await?;

    let missing_groups: BTreeSet<String> = existing
        .values()
        .filter_map(|u| u.fields.hierarchy_group_id.clone())
        .filter(|id| !described_groups.contains_key(id))
        .collect();
    described_groups
        .extend(describe_groups(&api, missing_groups.into_iter().collect(), parallel).await?);

    Ok(Snapshot {
        instance,
        routing_profiles,
        security_profiles,
        hierarchy_groups,
        described_groups,
        existing,
    })
}

async fn describe_groups(
    api: &Arc<dyn ConnectApi>,
    ids: Vec<String>,
    parallel: usize,
) -> Result<BTreeMap<String, HierarchyGroup>, ApiError> {
    stream::iter(ids)
        .map(|id| {
            let api = api.clone();
            async move { api.describe_hierarchy_group(&id).await }
        })
        .buffer_unordered(parallel)
        .map_ok(|group| (group.id.clone(), group))
        .try_collect()
        .await
}

/// The file's logins that exist on the instance.
pub async fn find_existing(
    api: &Arc<dyn ConnectApi>,
    logins: &BTreeSet<String>,
    parallel: usize,
) -> Result<Vec<UserSummary>, ApiError> {
    Ok(look_up(api, logins, parallel).await?.0)
}

/// [`find_existing`], and every user of the instance when looking the
/// logins up meant listing them all anyway.
pub async fn look_up(
    api: &Arc<dyn ConnectApi>,
    logins: &BTreeSet<String>,
    parallel: usize,
) -> Result<(Vec<UserSummary>, Option<Vec<UserSummary>>), ApiError> {
    if logins.is_empty() {
        return Ok((Vec::new(), None));
    }
    let by_search = logins.len() as u64;
    let by_listing = if by_search <= 1 {
        u64::MAX
    } else {
        api.count_users().await?.div_ceil(LIST_USERS_PAGE).max(1)
    };
    if by_listing <= by_search {
        let all = api.list_users().await?;
        let found = all
            .iter()
            .filter(|u| logins.contains(&u.username.to_lowercase()))
            .cloned()
            .collect();
        return Ok((found, Some(all)));
    }
    let found: Vec<Option<UserSummary>> = stream::iter(logins.iter().cloned())
        .map(|login| {
            let api = api.clone();
            async move { api.find_user(&login).await }
        })
        .buffer_unordered(parallel)
        .try_collect()
        .await?;
    Ok((found.into_iter().flatten().collect(), None))
}

#[cfg(test)]
#[path = "snapshot_tests.rs"]
mod tests;
