//! One agent's turn in `agents set`: read the agent (DescribeUser), decide
//! again under the rule of [`super::freshness`], and send the planned
//! UpdateUserConfig right after that read only if it still stands — or say
//! why not. Each attempt reads before it writes, until an attempt may have
//! been carried out (a 5xx, a lost answer): a read then could show the
//! run's own change, so further attempts write without one, and a doubtful
//! end is settled by reading the user back.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::freshness::{recheck, Decision, Recheck};
use super::roster::Agent;
use super::select::Criteria;
use super::set::{decide, describe_change, Voice, VoiceChange, WantedSettings};
use crate::connect::patience::{may_have_committed, retry, Ending, Patience};
use crate::connect::{ApiError, ApiErrorKind, ConnectApi, EffectiveSettings, ExistingUser};
use crate::run::change::{Change, Doubt, Evidence, RowKey};
use crate::run::engine::{failed, stops_the_run};
use crate::run::outcome::Outcome;
use crate::user::PhoneType;

/// Decides for a user as a read shows it: left alone if it no longer
/// meets the selection's criteria.
fn decide_user(
    user: &ExistingUser,
    wanted: &WantedSettings,
    criteria: &Criteria,
) -> Decision<VoiceChange> {
    if let Err(why) = criteria.check(&user.fields) {
        return Decision::Skipped(format!(
            "no longer selected: {why} (changed since the plan read it)"
        ));
    }
    decide(&EffectiveSettings::of(&user.fields).with_defaults(), wanted)
}

/// One agent's turn: read it again, then change it if the plan's change
/// still stands, or say why not.
pub struct AgentTurn {
    key: RowKey,
    pub agent: Agent,
    pub planned: Decision<VoiceChange>,
    wanted: WantedSettings,
    criteria: Arc<Criteria>,
    /// How long the read before the change is retried.
    patience: Patience,
    /// An attempt of the write met a 5xx or lost its answer: it may have
    /// been carried out, so a read would no longer show the state before
    /// it, and further attempts are sent without one.
    may_have_written: AtomicBool,
}

impl AgentTurn {
    pub fn new(
        agent: Agent,
        planned: Decision<VoiceChange>,
        wanted: WantedSettings,
        criteria: Arc<Criteria>,
        patience: Patience,
    ) -> AgentTurn {
        AgentTurn {
            key: RowKey {
                line: None,
                login: agent.login().to_string(),
            },
            agent,
            planned,
            wanted,
            criteria,
            patience,
            may_have_written: AtomicBool::new(false),
        }
    }

    /// Numbers the row with the line of the file that selected the agent.
    pub fn at_line(&mut self, line: Option<u64>) {
        self.key.line = line;
    }

    fn user_id(&self) -> &str {
        &self.agent.user.id
    }

    fn changed(&self, change: &VoiceChange) -> Outcome {
        Outcome::Changed {
            user_id: self.user_id().to_string(),
            user_arn: self.agent.user.arn.clone(),
            change: change.describe(),
        }
    }

    /// The outcome of a read that ends the row without a write.
    fn without_write(&self, user: &ExistingUser) -> Option<Outcome> {
        match recheck(
            &self.planned,
            decide_user(user, &self.wanted, &self.criteria),
        ) {
            Recheck::Write(_) => None,
            Recheck::Unchanged => Some(Outcome::Unchanged {
                user_id: self.user_id().to_string(),
                user_arn: self.agent.user.arn.clone(),
            }),
            Recheck::Skipped(reason) => Some(Outcome::Skipped { reason }),
            Recheck::ChangedMeanwhile { now, .. } => Some(self.changed_meanwhile(user, &now)),
        }
    }

    /// Someone else changed the user since the plan read it, to something
    /// the plan did not expect: reported, not overwritten.
    fn changed_meanwhile(&self, user: &ExistingUser, now: &VoiceChange) -> Outcome {
        let seen = Voice::of_settings(&self.agent.settings);
        let was_desk = self.agent.phone_type() == PhoneType::DeskPhone;
        let is_desk = EffectiveSettings::of(&user.fields).phone_type == Some(PhoneType::DeskPhone);
        let what = if was_desk && !is_desk && seen == now.before {
            "desk phone → softphone".to_string()
        } else {
            describe_change(seen, now.before)
        };
        Outcome::Failed {
            error_type: "ChangedMeanwhile".into(),
            message: format!(
                "someone else changed this user since the plan read it ({what}); it was not \
                 overwritten: run the same command again to plan from what it holds now"
            ),
        }
    }

    /// A read before the row's outcome that could not be made: nothing was
    /// written to the user.
    fn unread(&self, err: &ApiError, gave_up: bool) -> Outcome {
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

/// A read that called for a write this row does not send (the rule never
/// asks that of it): said as it is.
fn not_written() -> Outcome {
    Outcome::NotSubmitted {
        reason: "not sent: the user as read now needs a change this run did not plan; run the \
                 same command again"
            .into(),
    }
}

#[async_trait::async_trait]
impl Change for AgentTurn {
    fn key(&self) -> &RowKey {
        &self.key
    }

    /// An agent the plan leaves alone is confirmed by a current read; one
    /// it changes is read with its first write attempt (see `send`).
    async fn precheck(&self, api: &dyn ConnectApi) -> Result<Option<Outcome>, ApiError> {
        if matches!(self.planned, Decision::Change(_)) {
            return Ok(None);
        }
        match api.describe_user(self.user_id()).await {
            // A user the plan leaves alone is never written.
            Ok(user) => Ok(Some(self.without_write(&user).unwrap_or_else(not_written))),
            Err(err) => Ok(Some(self.unread(&err, true))),
        }
    }

    async fn send(&self, api: &dyn ConnectApi) -> Result<Outcome, ApiError> {
        let Decision::Change(change) = &self.planned else {
            unreachable!("only planned changes are sent");
        };
        if self.may_have_written.load(Ordering::SeqCst) {
            // The read cleared this write before an attempt that may have
            // been carried out; reading now could show our own change.
            api.update_user_config(self.user_id(), &change.config())
                .await?;
            return Ok(self.changed(change));
        }
        // Each attempt reads the user right before it writes, while no
        // attempt may have changed it yet.
        let decide = |user: &ExistingUser| match recheck(
            &self.planned,
            decide_user(user, &self.wanted, &self.criteria),
        ) {
            Recheck::Write(change) => Some(change.config()),
            _ => None,
        };
        let read = retry(self.patience, || {
            api.read_then_update_config(self.user_id(), &decide)
        })
        .await;
        let done = match read.ending {
            Ending::Done(done) => done,
            Ending::Refused(err) if stops_the_run(&err) => return Err(err),
            Ending::Refused(err) => return Ok(self.unread(&err, false)),
            Ending::GaveUp(err) => return Ok(self.unread(&err, true)),
        };
        match done.write {
            None => Ok(self.without_write(&done.user).unwrap_or_else(not_written)),
            Some(Ok(())) => Ok(self.changed(change)),
            Some(Err(err)) => {
                if may_have_committed(&err) {
                    self.may_have_written.store(true, Ordering::SeqCst);
                }
                Err(err)
            }
        }
    }

    fn conflicts(&self, _: &ApiError) -> bool {
        false
    }

    async fn settle(&self, api: &dyn ConnectApi, evidence: &Evidence) -> Result<Outcome, ApiError> {
        let Decision::Change(change) = &self.planned else {
            unreachable!("only planned changes are sent");
        };
        let now = Voice::of_user(&api.describe_user(self.user_id()).await?);
        Ok(if now == change.after {
            if evidence.ours_may_have_committed {
                self.changed(change)
            } else {
                Outcome::Unchanged {
                    user_id: self.user_id().to_string(),
                    user_arn: self.agent.user.arn.clone(),
                }
            }
        } else if now == change.before {
            let mut outcome = failed(evidence.doubt.error());
            if let (Outcome::Failed { message, .. }, Doubt::GaveUp(_) | Doubt::Refused(_)) =
                (&mut outcome, &evidence.doubt)
            {
                message.push_str("; the setting is unchanged (read back), run again");
            }
            outcome
        } else {
            Outcome::Failed {
                error_type: "ChangedMeanwhile".into(),
                message: format!(
                    "someone else changed this user meanwhile ({}); it was not overwritten: run \
                     the same command again to plan from what it holds now",
                    describe_change(change.before, now)
                ),
            }
        })
    }
}

#[cfg(test)]
#[path = "set_turn_tests.rs"]
mod tests;
