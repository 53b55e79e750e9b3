//! The selected users, read the way their number calls for: by SearchUsers
//! pages (500 users a call, every field but the e-mail addresses, mobile and
//! modification time), and with DescribeUser — one call a user — only
//! where an answer depends on the user as it is now or on what the search
//! does not show.
//!
//! SearchUsers is eventually consistent: a page may not yet show a change
//! made moments before (the service says propagation typically takes less
//! than a few seconds, in some cases several minutes). A [`Snapshot`]
//! therefore says how each of its users was read, so that what is built on
//! it can say what it knows: `agents list` closes with a line about it, and
//! `agents set` reads each user again right before it decides.
//!
//! Logins are looked up the cheaper way: paging the whole instance (one
//! call per 500 users) or one look-up and one DescribeUser per login.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use futures::{stream, StreamExt};

use super::login_file::SelectedLogin;
use super::select::{find_logins, Resolved};
use crate::connect::{ApiError, ApiErrorKind, ConnectApi, ExistingUser, UserQuery};

/// Users SearchUsers returns in one page.
const SEARCH_PAGE: u64 = 500;

/// What a snapshot is read for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Want {
    /// Every user as DescribeUser shows it now (`--consistent`), and with
    /// the e-mail addresses and mobile number the search does not show.
    pub current: bool,
}

/// What a reader is doing, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Paging through SearchUsers: users so far of about how many.
    Searching,
    /// DescribeUser one user at a time.
    Describing,
}

/// The selected users.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// Sorted by login (ignoring case), each user once.
    pub users: Vec<ExistingUser>,
    /// How many of them are as a SearchUsers page showed them (without
    /// e-mail addresses, mobile and modification time, and possibly not
    /// yet showing a change made moments before).
    pub searched: usize,
    /// How many of them were read with DescribeUser.
    pub described: usize,
    /// Logins a search page showed that DescribeUser no longer found
    /// (deleted since): left out.
    pub gone: Vec<String>,
}

/// Reads the users a resolved selection names. `progress` hears how far
/// each phase is.
pub async fn read(
    api: &Arc<dyn ConnectApi>,
    selection: &Resolved,
    want: Want,
    parallel: usize,
    progress: &(dyn Fn(Phase, usize, usize) + Sync),
) -> anyhow::Result<Snapshot> {
    let criteria = selection.query != UserQuery::default();
    let (mut searched, mut to_describe): (Vec<ExistingUser>, Vec<(String, String)>) =
        if selection.logins.is_empty() {
            (search(api, &selection.query, progress).await?, Vec::new())
        } else if criteria {
            // The criteria's users that have one of the logins; the logins
            // are looked up so that one the instance lacks is an error.
            let found = find_logins(api, &selection.logins, parallel).await?;
            let ids: BTreeSet<&str> = found.iter().map(|u| u.id.as_str()).collect();
            let users = search(api, &selection.query, progress).await?;
            let users = users
                .into_iter()
                .filter(|u| ids.contains(u.id.as_str()))
                .collect();
            (users, Vec::new())
        } else {
            by_logins(api, &selection.logins, parallel, progress).await?
        };
    if want.current {
        to_describe.extend(searched.drain(..).map(|u| (u.id, u.fields.username)));
    }
    let (described, gone) = describe(api, to_describe, parallel, progress).await?;
    let mut snapshot = Snapshot {
        searched: searched.len(),
        described: described.len(),
        users: searched.into_iter().chain(described).collect(),
        gone,
    };
    snapshot
        .users
        .sort_by_key(|u| u.fields.username.to_lowercase());
    snapshot.users.dedup_by(|a, b| a.id == b.id);
    Ok(snapshot)
}

/// Every page of SearchUsers for the query.
async fn search(
    api: &Arc<dyn ConnectApi>,
    query: &UserQuery,
    progress: &(dyn Fn(Phase, usize, usize) + Sync),
) -> anyhow::Result<Vec<ExistingUser>> {
    let mut users = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        pages += 1;
        let page = api
            .search_users(query, token.as_deref())
            .await
            .map_err(|err| {
                let context = format!(
                    "cannot read the instance's users: SearchUsers page {pages} failed{} ({} users \
                     read so far)",
                    retried(&err),
                    users.len()
                );
                anyhow::Error::new(err).context(context)
            })?;
        users.extend(page.users);
        let total = page.approximate_total.unwrap_or(0) as usize;
        progress(Phase::Searching, users.len(), total.max(users.len()));
        match page.next_token {
            Some(next) => token = Some(next),
            None => return Ok(users),
        }
    }
}

/// The users with these logins: from the pages of the whole instance when
/// that takes fewer calls than a look-up and a DescribeUser per login,
/// else looked up and described (`(id, login)` pairs to describe).
async fn by_logins(
    api: &Arc<dyn ConnectApi>,
    logins: &[SelectedLogin],
    parallel: usize,
    progress: &(dyn Fn(Phase, usize, usize) + Sync),
) -> anyhow::Result<(Vec<ExistingUser>, Vec<(String, String)>)> {
    let wanted: BTreeSet<String> = logins.iter().map(|l| l.login.to_lowercase()).collect();
    let pages = if wanted.len() > 1 {
        let total = api.count_users().await.map_err(|err| {
            let context = format!(
                "cannot count the instance's users (SearchUsers){}",
                retried(&err)
            );
            anyhow::Error::new(err).context(context)
        })?;
        total.div_ceil(SEARCH_PAGE).max(1)
    } else {
        u64::MAX
    };
    // A look-up costs at most one call a login, and each found user a
    // DescribeUser.
    if pages < 2 * wanted.len() as u64 {
        let found: Vec<ExistingUser> = search(api, &UserQuery::default(), progress)
            .await?
            .into_iter()
            .filter(|u| wanted.contains(&u.fields.username.to_lowercase()))
            .collect();
        let seen: BTreeSet<String> = found
            .iter()
            .map(|u| u.fields.username.to_lowercase())
            .collect();
        // A login the pages do not show may be a user created moments ago:
        // looked up (an error if the instance has no such user) and read.
        let missing: Vec<SelectedLogin> = logins
            .iter()
            .filter(|l| !seen.contains(&l.login.to_lowercase()))
            .cloned()
            .collect();
        let late = if missing.is_empty() {
            Vec::new()
        } else {
            find_logins(api, &missing, parallel).await?
        };
        return Ok((found, pairs(late)));
    }
    let found = find_logins(api, logins, parallel).await?;
    Ok((Vec::new(), pairs(found)))
}

pub(super) fn pairs(users: Vec<crate::connect::UserSummary>) -> Vec<(String, String)> {
    users.into_iter().map(|u| (u.id, u.username)).collect()
}

/// DescribeUser for each `(id, login)`, `parallel` at a time; users no
/// longer there are returned by login.
pub(super) async fn describe(
    api: &Arc<dyn ConnectApi>,
    users: Vec<(String, String)>,
    parallel: usize,
    progress: &(dyn Fn(Phase, usize, usize) + Sync),
) -> anyhow::Result<(Vec<ExistingUser>, Vec<String>)> {
    let total = users.len();
    let done = AtomicUsize::new(0);
    let answers: Vec<(String, Result<ExistingUser, ApiError>)> = stream::iter(users)
        .map(|(id, login)| {
            let (api, done) = (api.clone(), &done);
            async move {
                let user = api.describe_user(&id).await;
                progress(
                    Phase::Describing,
                    done.fetch_add(1, Ordering::Relaxed) + 1,
                    total,
                );
                (login, user)
            }
        })
        .buffered(parallel.max(1))
        .collect()
        .await;
    let mut described = Vec::new();
    let mut gone = Vec::new();
    for (login, answer) in answers {
        match answer {
            Ok(user) => described.push(user),
            Err(err) if err.kind == ApiErrorKind::ResourceNotFound => gone.push(login),
            Err(err) => {
                let context = format!("cannot read user {login} (DescribeUser){}", retried(&err));
                return Err(anyhow::Error::new(err).context(context));
            }
        }
    }
    Ok((described, gone))
}

/// How a read that failed was retried, for its message.
fn retried(err: &ApiError) -> &'static str {
    if crate::connect::patience::retryable(err) {
        " after retrying until --patience (or --max-attempts) ran out"
    } else {
        ""
    }
}
