//! Submission: the planned changes, concurrently, each ending with exactly
//! one true outcome.
//!
//! A row's write is retried with patience (every attempt paced by the API
//! client). How it ended decides what the row can claim:
//! - success: the change's own outcome (`created`, `changed`);
//! - a final refusal: `failed` — unless an earlier attempt may have been
//!   committed, or the refusal is a conflict (the user exists), when a
//!   read of the server settles it;
//! - patience run out: a read settles it; if the read cannot be done
//!   either, the row is `unknown`.
//!
//! Refused credentials or permissions, and a full quota (such as users per
//! instance), stop the run: every further row would fail alike, so the rest
//! are `not_submitted`.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::watch;
use tokio::task::JoinSet;

use super::change::{Change, Doubt, Evidence, RowKey};
use super::outcome::{Outcome, RowOutcome};
use crate::connect::patience::{retry, Ending, Patience};
use crate::connect::{ApiError, ApiErrorKind, ConnectApi};

/// How submission runs.
#[derive(Debug, Clone, Copy)]
pub struct SubmitOptions {
    /// Writes in flight at once.
    pub concurrency: usize,
    /// How long each write is retried.
    pub patience: Patience,
}

impl Default for SubmitOptions {
    fn default() -> SubmitOptions {
        SubmitOptions {
            concurrency: 4,
            patience: Patience::default(),
        }
    }
}

/// Why submission stopped early, if it did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stopped {
    /// Ran to the end.
    No,
    /// Ctrl-C, SIGTERM, or an output that can no longer be written.
    Interrupted,
    /// Credentials or permissions were refused, or a quota is full: every
    /// further row would fail alike.
    Fatal(ApiError),
}

/// Whether an error stops the whole run.
pub fn stops_the_run(err: &ApiError) -> bool {
    matches!(
        err.kind,
        ApiErrorKind::AccessDenied | ApiErrorKind::Authentication | ApiErrorKind::LimitExceeded
    )
}

/// One row's end, and whether it stops the run.
struct Ended {
    outcome: Outcome,
    fatal: Option<ApiError>,
}

/// Submits every change. `stop` turning true means: send nothing new, let
/// the writes in flight finish. `record` sees each outcome as it happens
/// (report, progress); rows never sent end as `NotSubmitted`.
pub async fn submit<C: Change>(
    api: Arc<dyn ConnectApi>,
    changes: Vec<C>,
    options: SubmitOptions,
    mut stop: watch::Receiver<bool>,
    record: &mut dyn FnMut(&RowOutcome),
) -> (Vec<RowOutcome>, Stopped) {
    let mut queue = changes.into_iter().map(Arc::new);
    let mut in_flight = JoinSet::new();
    let mut rows: HashMap<tokio::task::Id, RowKey> = HashMap::new();
    let mut outcomes = Vec::new();
    let mut stopped = if *stop.borrow() {
        Stopped::Interrupted
    } else {
        Stopped::No
    };
    let mut listening = true;
    loop {
        while stopped == Stopped::No && in_flight.len() < options.concurrency.max(1) {
            let Some(change) = queue.next() else { break };
            let api = api.clone();
            let key = change.key().clone();
            let handle =
                in_flight.spawn(async move { carry_out(&*api, &*change, options.patience).await });
            rows.insert(handle.id(), key);
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
                let (id, ended) = match joined {
                    Ok((id, ended)) => (id, ended),
                    Err(err) => (err.id(), Ended {
                        outcome: Outcome::Unknown {
                            error_type: "InternalError".into(),
                            message: format!("the submission task ended abnormally ({err}); run again to settle this row"),
                        },
                        fatal: None,
                    }),
                };
                if let (Some(err), Stopped::No) = (ended.fatal, &stopped) {
                    stopped = Stopped::Fatal(err);
                }
                let key = rows.remove(&id).unwrap_or(RowKey { line: None, login: String::new() });
                let row = RowOutcome { line: key.line, user_login: key.login, outcome: ended.outcome };
                record(&row);
                outcomes.push(row);
            }
        }
    }
    let reason = match &stopped {
        Stopped::No => String::new(),
        Stopped::Interrupted => "interrupted before it was sent; run the same command again".into(),
        Stopped::Fatal(err) => format!("not sent: the run stopped after {}", err.code),
    };
    for change in queue {
        let row = not_sent(change.key(), &reason);
        record(&row);
        outcomes.push(row);
    }
    (outcomes, stopped)
}

/// A row that was never sent, and why.
pub(super) fn not_sent(key: &RowKey, reason: &str) -> RowOutcome {
    RowOutcome {
        line: key.line,
        user_login: key.login.clone(),
        outcome: Outcome::NotSubmitted {
            reason: reason.to_owned(),
        },
    }
}

/// One row: the write with patience, then, where its answers leave doubt,
/// a read that settles it.
async fn carry_out(api: &dyn ConnectApi, change: &dyn Change, patience: Patience) -> Ended {
    match change.precheck(api).await {
        Ok(None) => {}
        Ok(Some(outcome)) => return Ended::plain(outcome),
        // A final answer (the user was deleted: ResourceNotFound) will not
        // change on a re-run: the row failed, and nothing was sent.
        Err(err) if !crate::connect::patience::retryable(&err) => {
            let fatal = stops_the_run(&err).then(|| err.clone());
            let mut outcome = failed(&err);
            if let Outcome::Failed { message, .. } = &mut outcome {
                message.push_str(match err.kind {
                    ApiErrorKind::ResourceNotFound => {
                        "; the user no longer exists (deleted since the plan read it): nothing was sent"
                    }
                    _ => "; met when checking the user before the write: nothing was sent",
                });
            }
            return Ended { outcome, fatal };
        }
        Err(err) => {
            return Ended::plain(Outcome::NotSubmitted {
                reason: format!(
                    "not sent: checking the user first met {} ({}); run the same command again",
                    err.code, err.message
                ),
            })
        }
    }
    let attempts = retry(patience, || change.send(api)).await;
    let doubtful = attempts.doubtful;
    let doubt = match attempts.ending {
        Ending::Done(outcome) => return Ended::plain(outcome),
        Ending::Refused(err) if change.conflicts(&err) => Doubt::Conflict(err),
        Ending::Refused(err) if doubtful => Doubt::Refused(err),
        Ending::Refused(err) => {
            let fatal = stops_the_run(&err).then(|| err.clone());
            return Ended {
                outcome: change.refused(&err),
                fatal,
            };
        }
        Ending::GaveUp(err) => Doubt::GaveUp(err),
    };
    let fatal = stops_the_run(doubt.error()).then(|| doubt.error().clone());
    let evidence = Evidence {
        doubt,
        ours_may_have_committed: doubtful,
    };
    let outcome = match change.settle(api, &evidence).await {
        Ok(outcome) => outcome,
        Err(read) => unknown(&evidence.doubt, &read),
    };
    Ended { outcome, fatal }
}

impl Ended {
    fn plain(outcome: Outcome) -> Ended {
        Ended {
            outcome,
            fatal: None,
        }
    }
}

/// A final refusal, as the row's outcome.
pub fn failed(err: &ApiError) -> Outcome {
    let message = match err.kind {
        ApiErrorKind::AccessDenied => format!("{}; {}", err.message, crate::connect::IAM_HINT),
        _ => err.message.clone(),
    };
    Outcome::Failed {
        error_type: err.code.clone(),
        message,
    }
}

/// A row whose write and settling read both stayed without an answer.
fn unknown(doubt: &Doubt, read: &ApiError) -> Outcome {
    let err = doubt.error();
    Outcome::Unknown {
        error_type: err.code.clone(),
        message: format!(
            "the write met {} ({}) and reading the user back met {} ({}): it may or may not \
             have been done; run the same command again to settle it",
            err.code, err.message, read.code, read.message
        ),
    }
}

#[cfg(test)]
#[path = "engine_tests.rs"]
mod tests;
