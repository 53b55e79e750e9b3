//! Which existing users a command acts on: by routing profile, security
//! profile, hierarchy group (and everything under it), login, or every user.
//! Selectors combine: a user must match each one given. Names are exact; an
//! unknown one is an error that names the closest ones.
//!
//! Selecting resolves names to IDs; [`super::snapshot`] reads the users.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use anyhow::Context;

use super::directory::Directory;
use super::login_file::SelectedLogin;
use crate::connect::{ConnectApi, HierarchyGroup, UserFields, UserQuery, UserSummary};
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
    /// The line of each login read from `--file` (lower-cased, its first
    /// mention), to number the rows of a run; empty without `--file`.
    pub fn file_lines(&self) -> std::collections::BTreeMap<String, u64> {
        let mut lines = std::collections::BTreeMap::new();
        for login in &self.logins {
            if let super::login_file::Origin::File { line, .. } = login.origin {
                lines.entry(login.login.to_lowercase()).or_insert(line);
            }
        }
        lines
    }

    /// Whether any selector narrows the users down.
    pub fn narrows(&self) -> bool {
        self.routing_profile.is_some()
            || self.security_profile.is_some()
            || self.hierarchy.is_some()
            || !self.logins.is_empty()
    }
}

/// A selection resolved against the instance: the search criteria its
/// names make, and its logins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resolved {
    /// The routing profile, security profile and hierarchy group, by ID;
    /// empty when the selection names none of them.
    pub query: UserQuery,
    /// Logins, as given (compared ignoring case), with where each came from.
    pub logins: Vec<SelectedLogin>,
}

/// A selection's criteria, with what it takes to test a user against
/// them as a read shows the user now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Criteria {
    pub query: UserQuery,
    /// The hierarchy groups described so far, by ID.
    pub groups: BTreeMap<String, HierarchyGroup>,
}

impl Criteria {
    /// Whether the user still meets the criteria; `Err` says which it no
    /// longer meets. A group is under the criterion's when its path passes
    /// through it; a group not described cannot be told, and counts as
    /// outside: the user is left alone rather than guessed at.
    pub fn check(&self, user: &UserFields) -> Result<(), String> {
        still_selects(&self.query, user, &self.groups)
    }
}

fn still_selects(
    query: &UserQuery,
    user: &UserFields,
    groups: &BTreeMap<String, HierarchyGroup>,
) -> Result<(), String> {
    if let Some(id) = &query.routing_profile_id {
        if user.routing_profile_id != *id {
            return Err("its routing profile is another one now".into());
        }
    }
    if let Some(id) = &query.security_profile_id {
        if !user.security_profile_ids.contains(id) {
            return Err("it no longer has the security profile".into());
        }
    }
    if let Some(id) = &query.hierarchy_group_id {
        let under = user.hierarchy_group_id.as_ref().is_some_and(|group| {
            group == id
                || groups
                    .get(group)
                    .is_some_and(|g| g.path.iter().any(|level| level.id == *id))
        });
        if !under {
            return Err("it is in another hierarchy group now".into());
        }
    }
    Ok(())
}

/// Resolves a selection's names to IDs. The directory is read (and the
/// selector's hierarchy group described) on the way; an unknown name is an
/// error naming the closest ones.
pub async fn resolve(
    api: &Arc<dyn ConnectApi>,
    selection: &Selection,
    parallel: usize,
) -> anyhow::Result<(Resolved, Directory)> {
    let directory = read_directory(api, selection.hierarchy.is_some()).await?;
    resolve_in(api, directory, selection, parallel).await
}

/// The instance's routing profiles, security profiles (and hierarchy
/// groups, when `hierarchy`), as a selection reads them.
pub async fn read_directory(
    api: &Arc<dyn ConnectApi>,
    hierarchy: bool,
) -> anyhow::Result<Directory> {
    Directory::read(&**api, hierarchy)
        .await
        .context("cannot read the instance's routing profiles, security profiles and hierarchy")
}

/// [`resolve`] with the directory already read (its hierarchy groups
/// listed when the selection names a hierarchy).
pub async fn resolve_in(
    api: &Arc<dyn ConnectApi>,
    mut directory: Directory,
    selection: &Selection,
    parallel: usize,
) -> anyhow::Result<(Resolved, Directory)> {
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
                    .hierarchy_group_id(api, path, parallel, "--hierarchy")
                    .await
                    .context("cannot read the instance's hierarchy")??,
            ),
            None => None,
        },
    };
    let resolved = Resolved {
        query,
        logins: selection.logins.clone(),
    };
    Ok((resolved, directory))
}

/// The users with these logins (any case); an error naming the logins the
/// instance does not have, with the closest existing ones.
pub async fn find_logins(
    api: &Arc<dyn ConnectApi>,
    logins: &[SelectedLogin],
    parallel: usize,
) -> anyhow::Result<Vec<UserSummary>> {
    let wanted: BTreeSet<String> = logins.iter().map(|l| l.login.to_lowercase()).collect();
    let (found, listed) = crate::plan::snapshot::look_up(api, &wanted, parallel)
        .await
        .context("cannot look the logins up")?;
    let missing = |found: &[UserSummary]| -> Vec<&SelectedLogin> {
        let by_key: BTreeSet<String> = found.iter().map(|u| u.username.to_lowercase()).collect();
        logins
            .iter()
            .filter(|l| !by_key.contains(&l.login.to_lowercase()))
            .collect()
    };
    if missing(&found).is_empty() {
        return Ok(found);
    }
    // Listed once at most: for the closest logins, and because a look-up
    // by SearchUsers may not show a user created moments ago yet, which
    // ListUsers does.
    let everyone = match listed {
        Some(everyone) => everyone,
        None => api
            .list_users()
            .await
            .context("cannot list the instance's users")?,
    };
    let late: BTreeSet<String> = missing(&found)
        .iter()
        .map(|l| l.login.to_lowercase())
        .collect();
    let mut found = found;
    found.extend(
        everyone
            .iter()
            .filter(|u| late.contains(&u.username.to_lowercase()))
            .cloned(),
    );
    let missing = missing(&found);
    if missing.is_empty() {
        return Ok(found);
    }
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
    Err(MissingLogins(format!(
        "{} of the selected logins {} of this instance:\n{}{tail}",
        missing.len(),
        match missing.len() {
            1 => "is not a user",
            _ => "are not users",
        },
        lines.join("\n")
    ))
    .into())
}

/// Selected logins the instance does not have: the message names each.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct MissingLogins(pub String);
