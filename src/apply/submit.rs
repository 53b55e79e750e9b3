//! Submission: the planned creates, concurrently, each ending with exactly
//! one outcome.
//!
//! CreateUser has no client token, so an attempt whose answer is lost (a
//! dropped connection, a 5xx after the commit) may still have created the
//! user, and a retry then meets DuplicateResourceException. Both cases are
//! settled by reading the user back: identical to the plan → created;
//! different → failed, with the difference. Pacing and the per-request
//! retries live in the API client; this module bounds the rounds of
//! create-then-verify per row and keeps every row accounted for.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::watch;
use tokio::task::JoinSet;

use super::outcome::{Outcome, RowOutcome};
use crate::connect::{ApiError, ApiErrorKind, ConnectApi, ExistingUser};
use crate::plan::compare::{compare, Namer};
use crate::plan::PlannedCreate;

/// How submission runs.
#[derive(Debug, Clone, Copy)]
pub struct SubmitOptions {
    /// Creates in flight at once.
    pub concurrency: usize,
    /// Rounds of create-then-verify per row before it is given up (each
    /// round is itself several attempts inside the API client).
    pub rounds: u32,
}

impl Default for SubmitOptions {
    fn default() -> SubmitOptions {
        SubmitOptions {
            concurrency: 4,
            rounds: 2,
        }
    }
}

/// Why submission stopped early, if it did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stopped {
    /// Ran to the end.
    No,
    /// Ctrl-C or SIGTERM.
    Interrupted,
    /// Credentials or permissions were refused: every further row would fail alike.
    Fatal(ApiError),
}

/// Submits every planned create. `stop` turning true means: send nothing
/// new, let in-flight requests finish. `record` sees each outcome as it
/// happens (report, progress); rows never sent end as `NotSubmitted`.
pub async fn submit(
    api: Arc<dyn ConnectApi>,
    creates: Vec<PlannedCreate>,
    namer: Arc<Namer>,
    options: SubmitOptions,
    mut stop: watch::Receiver<bool>,
    record: &mut dyn FnMut(&RowOutcome) -> anyhow::Result<()>,
) -> anyhow::Result<(Vec<RowOutcome>, Stopped)> {
    let mut queue = creates.into_iter();
    let mut in_flight = JoinSet::new();
    let mut rows: HashMap<tokio::task::Id, (u64, String)> = HashMap::new();
    let mut outcomes = Vec::new();
    let mut stopped = if *stop.borrow() {
        Stopped::Interrupted
    } else {
        Stopped::No
    };
    let mut listening = true;
    loop {
        while stopped == Stopped::No && in_flight.len() < options.concurrency.max(1) {
            let Some(planned) = queue.next() else { break };
            let (api, namer) = (api.clone(), namer.clone());
            let row = (planned.line, planned.login.clone());
            let handle = in_flight
                .spawn(async move { create_one(&*api, &planned, &namer, options.rounds).await });
            rows.insert(handle.id(), row);
        }
        if in_flight.is_empty() {
            break;
        }
        tokio::select! {
            biased;
            changed = stop.changed(), if stopped == Stopped::No && listening => {
                // A closed channel means no more stop requests can come.
                listening = changed.is_ok();
                if listening && *stop.borrow() {
                    stopped = Stopped::Interrupted;
                }
            }
            Some(joined) = in_flight.join_next_with_id() => {
                let (id, outcome) = match joined {
                    Ok((id, Ok(outcome))) => (id, outcome),
                    Ok((id, Err(err))) => {
                        if matches!(err.kind, ApiErrorKind::AccessDenied | ApiErrorKind::Authentication) {
                            stopped = Stopped::Fatal(err.clone());
                        }
                        (id, failed(&err))
                    }
                    Err(err) => (err.id(), Outcome::Failed {
                        error_type: "InternalError".into(),
                        message: format!("the submission task ended abnormally: {err}"),
                    }),
                };
                let (line, user_login) = rows.remove(&id).unwrap_or_default();
                let row = RowOutcome { line, user_login, outcome };
                record(&row)?;
                outcomes.push(row);
            }
        }
    }
    let reason = match &stopped {
        Stopped::No => None,
        Stopped::Interrupted => {
            Some("interrupted before it was sent; run the same file again".to_string())
        }
        Stopped::Fatal(err) => Some(format!("not sent after {}: {}", err.code, err.message)),
    };
    for planned in queue {
        let row = RowOutcome {
            line: planned.line,
            user_login: planned.login,
            outcome: Outcome::NotSubmitted {
                reason: reason.clone().unwrap_or_default(),
            },
        };
        record(&row)?;
        outcomes.push(row);
    }
    outcomes.sort_by_key(|row| row.line);
    Ok((outcomes, stopped))
}

/// One row: create, and where the answer leaves doubt, read the user back.
/// `Err` is the error the row failed with.
async fn create_one(
    api: &dyn ConnectApi,
    planned: &PlannedCreate,
    namer: &Namer,
    rounds: u32,
) -> Result<Outcome, ApiError> {
    let mut last_error = None;
    for _ in 0..rounds.max(1) {
        let err = match api.create_user(&planned.user).await {
            Ok(created) => {
                return Ok(Outcome::Created {
                    user_id: created.id,
                    user_arn: created.arn,
                })
            }
            Err(err) => err,
        };
        match err.kind {
            ApiErrorKind::DuplicateResource => {
                return match read_back_taken(api, &planned.login).await? {
                    Some(existing) => Ok(judge(planned, &existing, namer)),
                    None => Err(err),
                };
            }
            // The request may have been committed before the answer was lost.
            ApiErrorKind::Transport | ApiErrorKind::InternalService | ApiErrorKind::Throttling => {
                match read_back(api, &planned.login).await {
                    Ok(Some(existing)) => return Ok(judge(planned, &existing, namer)),
                    Ok(None) => last_error = Some(err),
                    Err(lookup) => last_error = Some(lookup),
                }
            }
            _ => return Err(err),
        }
    }
    Err(last_error
        .unwrap_or_else(|| ApiError::new(ApiErrorKind::Other, "Unknown", "no attempt was made")))
}

/// The user with this login, described, if it exists.
async fn read_back(api: &dyn ConnectApi, login: &str) -> Result<Option<ExistingUser>, ApiError> {
    match api.find_user(login).await? {
        Some(summary) => api.describe_user(&summary.id).await.map(Some),
        None => Ok(None),
    }
}

/// After DuplicateResourceException the user exists, but the search index
/// may not show a user created seconds ago: fall back to listing.
async fn read_back_taken(
    api: &dyn ConnectApi,
    login: &str,
) -> Result<Option<ExistingUser>, ApiError> {
    if let Some(user) = read_back(api, login).await? {
        return Ok(Some(user));
    }
    let wanted = login.to_lowercase();
    match api
        .list_users()
        .await?
        .into_iter()
        .find(|u| u.username.to_lowercase() == wanted)
    {
        Some(summary) => api.describe_user(&summary.id).await.map(Some),
        None => Ok(None),
    }
}

/// A user with the row's login exists: ours if identical, otherwise a conflict.
fn judge(planned: &PlannedCreate, existing: &ExistingUser, namer: &Namer) -> Outcome {
    let diffs = compare(&planned.user.fields, &existing.fields, namer);
    if diffs.is_empty() {
        return Outcome::Created {
            user_id: existing.id.clone(),
            user_arn: existing.arn.clone(),
        };
    }
    let list: Vec<String> = diffs.iter().map(ToString::to_string).collect();
    Outcome::Failed {
        error_type: "DuplicateResourceException".into(),
        message: format!(
            "a different user named {:?} appeared on the instance during the run: {}",
            existing.fields.username,
            list.join("; ")
        ),
    }
}

fn failed(err: &ApiError) -> Outcome {
    let message = match err.kind {
        ApiErrorKind::AccessDenied => format!("{}; {}", err.message, crate::connect::IAM_HINT),
        _ => err.message.clone(),
    };
    Outcome::Failed {
        error_type: err.code.clone(),
        message,
    }
}

#[cfg(test)]
#[path = "submit_tests.rs"]
mod tests;
