//! Which existing users a command acts on: by routing profile, security
//! profile, hierarchy group (and everything under it), login, or every user.
//! Selectors combine: a user must match each one given. Names are exact; an
//! unknown one is an error that names the closest ones.
//!
//! Calls grow with what is selected: SearchUsers by routing profile,
//! security profile or hierarchy group (one call per 500 users found), and
//! logins looked up one SearchUsers each or by paging ListUsers, whichever
//! takes fewer calls.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use anyhow::Context;

use super::directory::Directory;
use super::login_file::SelectedLogin;
use crate::connect::{ConnectApi, UserQuery, UserSummary};
use crate::plan::closest;

/// The selectors of an `agents` command.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub routing_profile: Option<String>,
    pub security_profile: Option<String>,
    /// A hierarchy path from level one, `A|B|C`: the group and every group below it.
    pub hierarchy: Option<String>,
    /// Logins (`--login`, and the `user login` column of `--file`).
    /// No selector at all means every user.
    pub logins: Vec<SelectedLogin>,
}

impl Selection {
    /// Whether any selector narrows the users down.
    pub fn narrows(&self) -> bool {
        self.routing_profile.is_some()
            || self.security_profile.is_some()
            || self.hierarchy.is_some()
            || !self.logins.is_empty()
    }
}

/// The users a selection names, sorted by login. The directory is read
/// (and the selector's hierarchy group described) on the way.
pub async fn select(
    api: &Arc<dyn ConnectApi>,
    selection: &Selection,
    parallel: usize,
) -> anyhow::Result<(Vec<UserSummary>, Directory)> {
    let mut directory = Directory::read(&**api, selection.hierarchy.is_some())
        .await
        .context("cannot read the instance's routing profiles, security profiles and hierarchy")?;
    let query = UserQuery {
        routing_profile_id: selection
            .routing_profile
            .as_deref()
            .map(|name| directory.routing_profile_id(name))
            .transpose()?,
        security_profile_id: selection
            .security_profile
            .as_deref()
            .map(|name| directory.security_profile_id(name))
            .transpose()?,
        hierarchy_group_id: match &selection.hierarchy {
            Some(path) => Some(
                directory
                    .hierarchy_group_id(api, path, parallel)
                    .await
                    .context("cannot read the instance's hierarchy")??,
            ),
            None => None,
        },
    };
    let searched = if query != UserQuery::default() {
        Some(
            api.search_users(&query)
                .await
                .context("cannot search the instance's users")?,
        )
    } else {
        None
    };
    let named = if selection.logins.is_empty() {
        None
    } else {
        Some(find_logins(api, &selection.logins, parallel).await?)
    };
    let mut users = match (searched, named) {
        (Some(searched), Some(named)) => {
            let ids: BTreeSet<&str> = named.iter().map(|u| u.id.as_str()).collect();
            searched
                .into_iter()
                .filter(|u| ids.contains(u.id.as_str()))
                .collect()
        }
        (Some(users), None) | (None, Some(users)) => users,
        (None, None) => api
            .list_users()
            .await
            .context("cannot list the instance's users")?,
    };
    users.sort_by_key(|u| u.username.to_lowercase());
    users.dedup_by(|a, b| a.id == b.id);
    Ok((users, directory))
}

/// The users with these logins (any case); an error naming the logins the
/// instance does not have, with the closest existing ones.
async fn find_logins(
    api: &Arc<dyn ConnectApi>,
    logins: &[SelectedLogin],
    parallel: usize,
) -> anyhow::Result<Vec<UserSummary>> {
    let wanted: BTreeSet<String> = logins.iter().map(|l| l.login.to_lowercase()).collect();
    let (found, listed) = crate::plan::snapshot::look_up(api, &wanted, parallel)
        .await
        .context("cannot look the logins up")?;
    let by_key: BTreeMap<String, &UserSummary> = found
        .iter()
        .map(|u| (u.username.to_lowercase(), u))
        .collect();
    let missing: Vec<&SelectedLogin> = logins
        .iter()
        .filter(|l| !by_key.contains_key(&l.login.to_lowercase()))
        .collect();
    if missing.is_empty() {
        return Ok(found);
    }
    // For the closest logins; listed once at most.
    let everyone = match listed {
        Some(everyone) => everyone,
        None => api
            .list_users()
            .await
            .context("cannot list the instance's users")?,
    };
    let lines: Vec<String> = missing
        .iter()
        .take(10)
        .map(|login| {
            // A value that may be a password gets no "did you mean" either.
            let closest = match login.shown() {
                true => closest(&login.login, everyone.iter().map(|u| u.username.as_str())),
                false => String::new(),
            };
            format!("{}: no user has this login{closest}", login.describe())
        })
        .collect();
    let more = missing.len().saturating_sub(10);
    let tail = if more > 0 {
        format!("\n… and {more} more logins")
    } else {
        String::new()
    };
    anyhow::bail!(
        "{} of the selected logins are not users of this instance:\n{}{tail}",
        missing.len(),
        lines.join("\n")
    )
}
