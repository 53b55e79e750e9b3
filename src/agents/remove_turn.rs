//! One user's turn in `agents remove`: read the user (DescribeUser) and
//! delete it right after that read only if it is still what the plan read
//! and the backup holds — so the backup never restores anything but what
//! was deleted, and nobody given Admin, moved out of the selection or
//! otherwise changed since the review is deleted unseen.
//!
//! DeleteUser is not idempotent: after an attempt whose answer was lost
//! (a 5xx, a dropped connection), a retry meets ResourceNotFoundException
//! if that attempt was carried out. Every attempt therefore starts with
//! the read, which settles it: the user gone after an attempt of ours may
//! have been carried out is `removed`; gone before any such attempt, it
//! was someone else's delete: `absent`; still there, the delete is tried
//! again (if the user is still as read).

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::roster::Agent;
use super::select::Criteria;
use crate::connect::patience::{may_have_committed, retry, Ending, Patience};
use crate::connect::{ApiError, ApiErrorKind, ConnectApi, EffectiveSettings, ExistingUser};
use crate::connect::{UserConfig, UserFields};
use crate::run::change::{Change, Evidence, RowKey};
use crate::run::engine::{failed, stops_the_run};
use crate::run::outcome::Outcome;

/// What a current read of a planned user says about its delete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Still as planned: delete it.
    Delete,
    /// No longer selected: left alone (`skipped`), for this reason.
    Skip(String),
    /// Changed since the plan read it: left alone and reported (`failed`).
    Keep(String),
}

/// The rule: a user is deleted only if it still meets the selection's
/// criteria, holds no Admin profile it did not hold when the plan allowed
/// it (`including_admins`), and differs in nothing the plan read.
pub fn verdict(
    planned: &ExistingUser,
    now: &ExistingUser,
    criteria: &Criteria,
    admin_profiles: &BTreeSet<String>,
    including_admins: bool,
) -> Verdict {
    if let Err(why) = criteria.check(&now.fields) {
        return Verdict::Skip(format!(
            "no longer selected: {why} (changed since the plan read it); not removed"
        ));
    }
    let admin = |user: &ExistingUser| {
        user.fields
            .security_profile_ids
            .iter()
            .any(|id| admin_profiles.contains(id))
    };
    if !including_admins && admin(now) {
        return Verdict::Keep(format!(
            "it holds the security profile {} now (given since the plan read it); not removed: \
             administrators are removed only with --including-admins",
            super::remove::ADMIN
        ));
    }
    let changed = differences(&planned.fields, &now.fields);
    if changed.is_empty() {
        return Verdict::Delete;
    }
    Verdict::Keep(format!(
        "someone changed it since the plan read it and the backup was written ({}); not removed: \
         run the same command again to review it, and back it up, as it is now",
        changed.join(", ")
    ))
}

/// What differs between two reads of a user, by what the review and the
/// backup call it; empty when nothing does. Lists are compared as sets
/// (their order carries no meaning), settings as the service means them
/// (either form).
pub fn differences(before: &UserFields, now: &UserFields) -> Vec<&'static str> {
    let mut changed = Vec::new();
    if before.username != now.username {
        changed.push("user login");
    }
    if before.identity_info != now.identity_info {
        changed.push("name, e-mail or mobile");
    }
    if before.routing_profile_id != now.routing_profile_id {
        changed.push("routing profile");
    }
    let sorted = |ids: &[String]| ids.iter().cloned().collect::<BTreeSet<String>>();
    if sorted(&before.security_profile_ids) != sorted(&now.security_profile_ids) {
        changed.push("security profiles");
    }
    if before.hierarchy_group_id != now.hierarchy_group_id {
        changed.push("hierarchy");
    }
    let settings = |f: &UserFields| EffectiveSettings::of(f).with_defaults();
    if settings(before) != settings(now) || lists(&before.config) != lists(&now.config) {
        changed.push("phone settings");
    }
    if before.tags != now.tags {
        changed.push("tags");
    }
    changed
}

/// The per-channel lists as sets of entries.
fn lists(config: &UserConfig) -> [BTreeSet<String>; 5] {
    fn set<T: std::fmt::Debug>(entries: &[T]) -> BTreeSet<String> {
        entries.iter().map(|e| format!("{e:?}")).collect()
    }
    [
        set(&config.auto_accept),
        set(&config.after_contact_work),
        set(&config.phone_number),
        set(&config.persistent_connection),
        set(&config.voice_enhancement),
    ]
}

/// One user's turn: read it again, then delete it if it is still as planned.
pub struct RemovalTurn {
    key: RowKey,
    /// The user as the plan read it, which the backup holds.
    pub agent: Agent,
    criteria: Arc<Criteria>,
    admin_profiles: Arc<BTreeSet<String>>,
    including_admins: bool,
    /// How long the read before the delete is retried.
    patience: Patience,
    /// An attempt of the delete met a 5xx or lost its answer: it may have
    /// been carried out, so a user found gone may be this run's doing.
    may_have_removed: AtomicBool,
}

impl RemovalTurn {
    pub fn new(
        agent: Agent,
        line: Option<u64>,
        criteria: Arc<Criteria>,
        admin_profiles: Arc<BTreeSet<String>>,
        including_admins: bool,
        patience: Patience,
    ) -> RemovalTurn {
        RemovalTurn {
            key: RowKey {
                line,
                login: agent.login().to_string(),
            },
            agent,
            criteria,
            admin_profiles,
            including_admins,
            patience,
            may_have_removed: AtomicBool::new(false),
        }
    }

    fn user_id(&self) -> &str {
        &self.agent.user.id
    }

    fn verdict(&self, now: &ExistingUser) -> Verdict {
        verdict(
            &self.agent.user,
            now,
            &self.criteria,
            &self.admin_profiles,
            self.including_admins,
        )
    }

    fn removed(&self) -> Outcome {
        Outcome::Removed {
            user_id: self.user_id().to_string(),
            user_arn: self.agent.user.arn.clone(),
        }
    }

    /// The user is gone: this run's doing if an attempt of ours may have
    /// been carried out, else someone else's.
    fn gone(&self, ours_may_have: bool) -> Outcome {
        if ours_may_have || self.may_have_removed.load(Ordering::SeqCst) {
            return self.removed();
        }
        Outcome::Absent {
            reason: format!(
                "the user (ID {}) was deleted by someone else after the plan read it; this run \
                 deleted nothing",
                self.user_id()
            ),
        }
    }

    /// A read that shows the user and calls for no delete.
    fn kept(&self, now: &ExistingUser) -> Outcome {
        match self.verdict(now) {
            Verdict::Skip(reason) => Outcome::Skipped { reason },
            Verdict::Keep(message) => Outcome::Failed {
                error_type: "ChangedMeanwhile".into(),
                message,
            },
            // The rule never asks for a delete it did not send.
            Verdict::Delete => Outcome::NotSubmitted {
                reason: "not sent: run the same command again".into(),
            },
        }
    }

    /// The read before the delete could not be made.
    fn unread(&self, err: &ApiError, gave_up: bool) -> Outcome {
        let retried = if gave_up {
            " after retrying until --patience (or --max-attempts) ran out"
        } else {
            ""
        };
        if self.may_have_removed.load(Ordering::SeqCst) {
            return Outcome::Unknown {
                error_type: err.code.clone(),
                message: format!(
                    "an attempt of this run to delete the user lost its answer, and reading it \
                     back (DescribeUser) met {} ({}){retried}: it may or may not be removed; run \
                     the same command again to settle it",
                    err.code, err.message
                ),
            };
        }
        Outcome::NotSubmitted {
            reason: format!(
                "not sent: reading the user (DescribeUser) before its delete met {} ({}){retried}; \
                 nothing was deleted: run the same command again",
                err.code, err.message
            ),
        }
    }
}

#[async_trait::async_trait]
impl Change for RemovalTurn {
    fn key(&self) -> &RowKey {
        &self.key
    }

    async fn send(&self, api: &dyn ConnectApi) -> Result<Outcome, ApiError> {
        let delete = |now: &ExistingUser| self.verdict(now) == Verdict::Delete;
        let read = retry(self.patience, || {
            api.read_then_delete(self.user_id(), &delete)
        })
        .await;
        let done = match read.ending {
            Ending::Done(done) => done,
            Ending::Refused(err) if err.kind == ApiErrorKind::ResourceNotFound => {
                return Ok(self.gone(false))
            }
            Ending::Refused(err) if stops_the_run(&err) => return Err(err),
            Ending::Refused(err) => return Ok(self.unread(&err, false)),
            Ending::GaveUp(err) => return Ok(self.unread(&err, true)),
        };
        match done.write {
            None => Ok(self.kept(&done.user)),
            Some(Ok(())) => Ok(self.removed()),
            // Deleted between the read and the delete.
            Some(Err(err)) if err.kind == ApiErrorKind::ResourceNotFound => Ok(self.gone(false)),
            Some(Err(err)) => {
                if may_have_committed(&err) {
                    self.may_have_removed.store(true, Ordering::SeqCst);
                }
                Err(err)
            }
        }
    }

    fn conflicts(&self, _: &ApiError) -> bool {
        false
    }

    /// After a delete that ended in doubt: the user gone is `removed` when
    /// an attempt of ours may have done it (else `absent`), still there is
    /// `failed` (the delete did not happen).
    async fn settle(&self, api: &dyn ConnectApi, evidence: &Evidence) -> Result<Outcome, ApiError> {
        match api.describe_user(self.user_id()).await {
            Err(err) if err.kind == ApiErrorKind::ResourceNotFound => {
                Ok(self.gone(evidence.ours_may_have_committed))
            }
            Err(err) => Err(err),
            Ok(_) => {
                let mut outcome = failed(evidence.doubt.error());
                if let Outcome::Failed { message, .. } = &mut outcome {
                    message.push_str("; the user is still there (read back): run again");
                }
                Ok(outcome)
            }
        }
    }
}

#[cfg(test)]
#[path = "remove_turn_tests.rs"]
mod tests;
