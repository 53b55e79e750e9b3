//! One agent's turn in `agents set` and `agents edit`: read the agent
//! (DescribeUser), decide every field again from what it holds now, and
//! make the changes that still stand right after that read — the fewest
//! calls, in a fixed order ([`super::edit_calls`]) — or say why not.
//!
//! An agent the plan leaves alone is only read, to confirm it. An agent
//! the plan changes is read before each attempt, so a retry (after a
//! throttle, a 5xx, a lost answer) re-decides from what the agent holds
//! then: a field this run already changed is kept as done, a field whose
//! call may have been made counts as ours when the read shows it as
//! wanted. A final refusal or a doubtful end is settled field by field
//! ([`super::edit_progress`]): `changed`, `partial`, `unchanged`,
//! `skipped`, `failed` or `unknown`, each naming its fields.

use std::sync::{Arc, Mutex};

use super::edit_calls::{calls, operations};
use super::edit_progress::{Progress, Who};
use super::fields::FieldChange;
use super::freshness::Decision;
use super::roster::Agent;
use super::select::Criteria;
use super::wanted::{FieldDecisions, WantedFields};
use crate::connect::patience::{retry, Ending, Patience};
use crate::connect::{ApiError, ApiErrorKind, ConnectApi, ExistingUser, UserRef};
use crate::identity::Identity;
use crate::plan::compare::Namer;
use crate::run::change::{Change, Evidence, RowKey};
use crate::run::engine::stops_the_run;
use crate::run::outcome::Outcome;

/// What every turn of one run shares.
pub struct Context {
    /// The selection's criteria, which an agent must still meet.
    pub criteria: Criteria,
    /// Names for IDs, for messages.
    pub namer: Namer,
    /// The instance's identity type (what an identity update may carry).
    pub identity: Identity,
    /// How long a read before a change is retried.
    pub patience: Patience,
}

/// One agent's turn.
pub struct EditTurn {
    key: RowKey,
    pub agent: Agent,
    user: UserRef,
    /// What the plan decided, field by field.
    pub planned: FieldDecisions,
    wanted: Arc<WantedFields>,
    context: Arc<Context>,
    progress: Mutex<Progress>,
}

impl EditTurn {
    pub fn new(
        agent: Agent,
        planned: FieldDecisions,
        wanted: Arc<WantedFields>,
        context: Arc<Context>,
    ) -> EditTurn {
        EditTurn {
            key: RowKey {
                line: None,
                login: agent.login().to_string(),
            },
            user: UserRef {
                id: agent.user.id.clone(),
                arn: agent.user.arn.clone(),
            },
            agent,
            planned,
            wanted,
            context,
            progress: Mutex::new(Progress::default()),
        }
    }

    /// Numbers the row with the line of the file that names the agent.
    pub fn at_line(&mut self, line: Option<u64>) {
        self.key.line = line;
    }

    fn who(&self) -> Who<'_> {
        Who {
            user_id: &self.user.id,
            user_arn: &self.user.arn,
            seen: &self.agent.user.fields,
            namer: &self.context.namer,
        }
    }

    fn progress(&self) -> std::sync::MutexGuard<'_, Progress> {
        self.progress
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The planned changes not made yet, to reserve pacing slots for.
    fn open_changes(&self, progress: &Progress) -> Vec<FieldChange> {
        self.planned
            .iter()
            .filter(|(field, _)| !progress.written.contains_key(*field))
            .filter_map(|(field, decision)| match decision {
                Decision::Change(t) => Some(FieldChange {
                    field: field.clone(),
                    before: t.before.clone(),
                    after: t.after.clone(),
                }),
                _ => None,
            })
            .collect()
    }

    /// The fields decided from `user` as read, given the progress so far.
    fn reading(&self, user: &ExistingUser, progress: &Progress) -> super::edit_progress::Reading {
        let now = self.wanted.decide(&user.fields);
        let selected = self.context.criteria.check(&user.fields);
        progress.read(&self.planned, now, selected, &user.fields)
    }

    /// A read before the row's outcome that could not be made.
    fn unread(&self, err: &ApiError, gave_up: bool) -> Outcome {
        let progress = self.progress().clone();
        if progress.touched() {
            // Something was written: what is certain, and what is not.
            if !progress.doubtful.is_empty() {
                return self.who().unknown(&progress, err, err);
            }
            return self.who().outcome(&progress, Some(err));
        }
        if err.kind == ApiErrorKind::ResourceNotFound {
            return Outcome::Failed {
                error_type: err.code.clone(),
                message: format!(
                    "the user no longer exists (deleted after the plan read it): {}; nothing was \
                     written",
                    err.message
                ),
            };
        }
        let retried = if gave_up {
            " after retrying until --patience (or --max-attempts) ran out"
        } else {
            ""
        };
        Outcome::NotSubmitted {
            reason: format!(
                "not sent: reading the user (DescribeUser) before its turn met {} ({}){retried}; \
                 nothing was written to it: run the same command again",
                err.code, err.message
            ),
        }
    }
}

#[async_trait::async_trait]
impl Change for EditTurn {
    fn key(&self) -> &RowKey {
        &self.key
    }

    /// An agent the plan leaves alone is confirmed by a current read, and
    /// never written; one it changes is read with each attempt (`send`).
    async fn precheck(&self, api: &dyn ConnectApi) -> Result<Option<Outcome>, ApiError> {
        if super::wanted::changes(&self.planned) {
            return Ok(None);
        }
        match api.describe_user(&self.user.id).await {
            Ok(user) => {
                let mut progress = self.progress().clone();
                let reading = self.reading(&user, &progress);
                // Recheck never asks to write a field the plan left alone:
                // such a field is someone else's change.
                debug_assert!(reading.write.is_empty());
                progress.answered(reading, &[], &[]);
                Ok(Some(self.who().outcome(&progress, None)))
            }
            Err(err) => Ok(Some(self.unread(&err, true))),
        }
    }

    async fn send(&self, api: &dyn ConnectApi) -> Result<Outcome, ApiError> {
        let before = self.progress().clone();
        let reserve = operations(&self.open_changes(&before));
        let identity = self.context.identity;
        let decide = |user: &ExistingUser| {
            let reading = self.reading(user, &before);
            calls(&reading.write, user, identity)
                .into_iter()
                .map(|call| call.update)
                .collect()
        };
        let read = retry(self.context.patience, || {
            api.read_then_update(&self.user, &reserve, &decide)
        })
        .await;
        let done = match read.ending {
            Ending::Done(done) => done,
            Ending::Refused(err) if stops_the_run(&err) => return Err(err),
            Ending::Refused(err) => return Ok(self.unread(&err, false)),
            Ending::GaveUp(err) => return Ok(self.unread(&err, true)),
        };
        let reading = self.reading(&done.user, &before);
        let made = calls(&reading.write, &done.user, identity);
        let mut progress = self.progress();
        match progress.answered(reading, &made, &done.sent) {
            Some(err) => Err(err),
            None => Ok(self.who().outcome(&progress, None)),
        }
    }

    fn conflicts(&self, _: &ApiError) -> bool {
        false
    }

    /// A final refusal of one of the calls: the calls before it were made.
    fn refused(&self, err: &ApiError) -> Outcome {
        self.who().outcome(&self.progress(), Some(err))
    }

    async fn settle(&self, api: &dyn ConnectApi, evidence: &Evidence) -> Result<Outcome, ApiError> {
        let doubt = evidence.doubt.error();
        match api.describe_user(&self.user.id).await {
            Ok(user) => {
                let mut progress = self.progress();
                progress.read_back(&user.fields);
                let mut outcome = self.who().outcome(&progress, Some(doubt));
                if let Outcome::Failed { message, .. } = &mut outcome {
                    message.push_str("; the user is unchanged (read back), run again");
                }
                Ok(outcome)
            }
            Err(read) => {
                let progress = self.progress();
                if progress.written.is_empty() {
                    return Err(read);
                }
                Ok(self.who().unknown(&progress, doubt, &read))
            }
        }
    }
}

#[cfg(test)]
#[path = "edit_turn_tests.rs"]
mod tests;
