//! The users `agents remove` selects, each read whole with DescribeUser —
//! the backup needs the e-mail addresses and mobile number that a
//! SearchUsers page leaves out, as `agents export` does — and the logins
//! that name no user, which are `absent`, not an error: a leavers list
//! often names people someone already removed.
//!
//! Selectors combine as for the other `agents` commands. With logins, the
//! logins are looked up (a search per login, or the ListUsers pages when
//! fewer); a login the search does not show is looked for in ListUsers
//! before it is called absent, since the search can lag a user created
//! moments ago. A login whose user the other selectors leave out is said
//! so, not silently dropped.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use anyhow::Context;

use super::login_file::SelectedLogin;
use super::roster::{self, Agent};
use super::select::{self, Criteria, Selection};
use super::snapshot::{self, Phase, Want};
use crate::connect::{ConnectApi, UserSummary};

/// A login that names no user of the instance, with the closest logins
/// when the instance was listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbsentLogin {
    pub login: SelectedLogin,
    /// `; did you mean "…"?`, or empty.
    pub closest: String,
}

/// What a removal selects.
#[derive(Debug, Clone)]
pub struct Selected {
    /// The users the selection names, as DescribeUser showed them, sorted
    /// by login.
    pub agents: Vec<Agent>,
    /// Logins no user has.
    pub absent: Vec<AbsentLogin>,
    /// Users named by login that the other selectors leave out, with why.
    pub outside: Vec<(Agent, String)>,
    /// Users the search showed that were gone, or had left the selection,
    /// when DescribeUser read them: left out.
    pub left_out: Vec<String>,
    /// The selection's criteria, which each user must still meet when it
    /// is deleted.
    pub criteria: Criteria,
    /// The IDs of the security profiles named Admin (see [`super::remove::is_admin`]).
    pub admin_profiles: BTreeSet<String>,
}

/// Reads what `selection` names. `progress` hears how far each phase is.
pub async fn read(
    api: &Arc<dyn ConnectApi>,
    selection: &Selection,
    parallel: usize,
    progress: &(dyn Fn(Phase, usize, usize) + Sync),
) -> anyhow::Result<Selected> {
    let (resolved, mut directory) = select::resolve(api, selection, parallel).await?;
    let (users, absent, mut left_out) = if resolved.logins.is_empty() {
        let want = Want { current: true };
        let read = snapshot::read(api, &resolved, want, parallel, progress).await?;
        (read.users, Vec::new(), read.gone)
    } else {
        let (found, mut absent) = look_up(api, &resolved.logins, parallel).await?;
        let (mut users, gone) =
            snapshot::describe(api, snapshot::pairs(found), parallel, progress).await?;
        users.sort_by_key(|u| u.fields.username.to_lowercase());
        // Deleted between the look-up and the read: no such user either.
        let gone: BTreeSet<String> = gone.iter().map(|l| l.to_lowercase()).collect();
        absent.extend(
            first_of_each(&resolved.logins)
                .filter(|l| gone.contains(&l.login.to_lowercase()))
                .map(|login| AbsentLogin {
                    login: login.clone(),
                    closest: String::new(),
                }),
        );
        (users, absent, Vec::new())
    };
    let agents = roster::name(api, users, &mut directory, parallel).await?;
    let criteria = Criteria {
        query: resolved.query.clone(),
        groups: directory.groups.clone(),
    };
    let mut selected = Vec::new();
    let mut outside = Vec::new();
    for agent in agents {
        match criteria.check(&agent.user.fields) {
            Ok(()) => selected.push(agent),
            // Named by login: said so. Found by the criteria' search: it
            // left them since, and is left out like a user the search no
            // longer shows.
            Err(why) if !resolved.logins.is_empty() => outside.push((agent, why)),
            Err(_) => left_out.push(agent.login().to_string()),
        }
    }
    let admin_profiles = directory
        .security_profiles
        .iter()
        .filter(|p| super::remove::is_admin(&p.name))
        .map(|p| p.id.clone())
        .collect();
    Ok(Selected {
        agents: selected,
        absent,
        outside,
        left_out,
        criteria,
        admin_profiles,
    })
}

/// Each login once (ignoring case), at its first mention.
fn first_of_each(logins: &[SelectedLogin]) -> impl Iterator<Item = &SelectedLogin> {
    let mut seen = BTreeSet::new();
    logins
        .iter()
        .filter(move |l| seen.insert(l.login.to_lowercase()))
}

/// The users with these logins, and the logins no user has.
async fn look_up(
    api: &Arc<dyn ConnectApi>,
    logins: &[SelectedLogin],
    parallel: usize,
) -> anyhow::Result<(Vec<UserSummary>, Vec<AbsentLogin>)> {
    let wanted: BTreeSet<String> = logins.iter().map(|l| l.login.to_lowercase()).collect();
    let (mut found, listed) = crate::plan::snapshot::look_up(api, &wanted, parallel)
        .await
        .context("cannot look the logins up")?;
    let key = |u: &UserSummary| u.username.to_lowercase();
    let missing = |found: &[UserSummary]| -> BTreeSet<String> {
        let have: BTreeSet<String> = found.iter().map(key).collect();
        wanted.difference(&have).cloned().collect()
    };
    let mut everyone = listed;
    if !missing(&found).is_empty() && everyone.is_none() {
        // ListUsers shows a user the search may not show yet.
        let all = api
            .list_users()
            .await
            .context("cannot list the instance's users")?;
        let late = missing(&found);
        found.extend(all.iter().filter(|u| late.contains(&key(u))).cloned());
        everyone = Some(all);
    }
    let missing = missing(&found);
    let everyone = everyone.unwrap_or_default();
    let absent = first_of_each(logins)
        .filter(|l| missing.contains(&l.login.to_lowercase()))
        .map(|login| AbsentLogin {
            // A value that may be a password gets no "did you mean" either.
            closest: match login.shown() {
                true => {
                    crate::plan::closest(&login.login, everyone.iter().map(|u| u.username.as_str()))
                }
                false => String::new(),
            },
            login: login.clone(),
        })
        .collect();
    let mut by_id = BTreeMap::new();
    for user in found {
        by_id.insert(user.id.clone(), user);
    }
    Ok((by_id.into_values().collect(), absent))
}
