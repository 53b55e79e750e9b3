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
use crate::connect::{ConnectApi, UserQuery, UserSummary};
use crate::plan::closest;
use crate::template::Column;

/// The selectors of an `agents` command.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub routing_profile: Option<String>,
    pub security_profile: Option<String>,
    /// A hierarchy path from level one, `A|B|C`: the group and every group below it.
    pub hierarchy: Option<String>,
    /// Logins (`--login`, and the `user login` column of `--file`).
    /// No selector at all means every user.
    pub logins: Vec<String>,
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
    logins: &[String],
    parallel: usize,
) -> anyhow::Result<Vec<UserSummary>> {
    let wanted: BTreeSet<String> = logins.iter().map(|l| l.to_lowercase()).collect();
    let (found, listed) = crate::plan::snapshot::look_up(api, &wanted, parallel)
        .await
        .context("cannot look the logins up")?;
    let by_key: BTreeMap<String, &UserSummary> = found
        .iter()
        .map(|u| (u.username.to_lowercase(), u))
        .collect();
    let missing: Vec<&String> = logins
        .iter()
        .filter(|l| !by_key.contains_key(&l.to_lowercase()))
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
            format!(
                "--login {login:?}: no user has this login{}",
                closest(login, everyone.iter().map(|u| u.username.as_str()))
            )
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

/// The logins of a CSV file's `user login` column (any spelling the
/// template has used), in file order, empty cells skipped.
pub fn logins_from_csv(name: &str, bytes: &[u8]) -> anyhow::Result<Vec<String>> {
    let decoded = crate::input::decode::decode(bytes, None);
    let text = decoded.text.trim_start_matches('\u{feff}');
    let delimiter = crate::input::rows::delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .with_context(|| format!("cannot read the header of {name}"))?
        .clone();
    let column = header
        .iter()
        .position(|h| Column::from_header(h) == Some(Column::Login))
        .with_context(|| {
            format!(
                "{name} has no `user login` column; its header is: {}",
                header.iter().collect::<Vec<_>>().join(",")
            )
        })?;
    let mut logins = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.with_context(|| format!("cannot read {name}, row {}", i + 2))?;
        if let Some(login) = record.get(column).map(str::trim).filter(|l| !l.is_empty()) {
            logins.push(login.to_string());
        }
    }
    anyhow::ensure!(
        !logins.is_empty(),
        "{name} has no logins in its `user login` column"
    );
    Ok(logins)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_come_from_the_login_column_in_any_template_spelling() {
        let file =
            "\u{feff}first name,User Login,password\nA,a.lee,Secret1a\n,,\nB, b.kim ,Secret2b\n";
        assert_eq!(
            logins_from_csv("f.csv", file.as_bytes()).unwrap(),
            ["a.lee", "b.kim"]
        );
        let err = logins_from_csv("f.csv", b"name,mail\nA,a@example.com\n").unwrap_err();
        assert!(err.to_string().contains("no `user login` column"), "{err}");
        let err = logins_from_csv("f.csv", b"user login\n\n").unwrap_err();
        assert!(err.to_string().contains("no logins"), "{err}");
    }
}
