//! What one agent's turn has done so far, field by field, and the outcome
//! that amounts to. Pure: the turn ([`super::edit_turn`]) feeds it the
//! reads and the calls' answers.
//!
//! Each current read decides every field not settled yet, under the rule
//! of [`super::freshness`] — with one addition: a field whose call met an
//! answer that may mean it was made (a 5xx, a lost answer) is ours when a
//! read shows it as wanted, and is sent again when the read shows it as
//! before. A field someone else changed since the plan is left as it is,
//! and the others go ahead; so a user can end with some fields changed and
//! others not: `partial`, each field named.

use std::collections::{BTreeMap, BTreeSet};

use super::edit_calls::PlannedCall;
use super::fields::{describe, show, value_of, Field, FieldChange, Transition, Value};
use super::freshness::{recheck, Decision, Recheck};
use super::wanted::FieldDecisions;
use crate::connect::patience::may_have_committed;
use crate::connect::{ApiError, UserFields};
use crate::plan::compare::Namer;
use crate::run::engine::failed;
use crate::run::outcome::Outcome;

/// One turn's fields so far.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    /// Changed by this run (the call answered).
    pub written: BTreeMap<Field, Transition>,
    /// The call met an answer that may mean it was made.
    pub doubtful: BTreeMap<Field, Transition>,
    /// Found as wanted without a write of ours.
    pub already: BTreeSet<Field>,
    /// Left alone, for a reason (a desk phone).
    pub skipped: BTreeMap<Field, String>,
    /// Changed by someone else since the plan read the user: not
    /// overwritten. The change the field would need now.
    pub left: BTreeMap<Field, Transition>,
    /// Decided at the last read and not made yet: the call that failed,
    /// and those after it.
    pub pending: Vec<FieldChange>,
    /// The user no longer meets the selection (found before any write).
    pub not_selected: Option<String>,
    /// The phone at the last read, to explain a softphone-only field left alone.
    pub phone_now: Option<Value>,
}

/// What a current read decides for the fields not settled yet.
#[derive(Debug, Clone, Default)]
pub struct Reading {
    pub not_selected: Option<String>,
    /// To write now, in field order.
    pub write: Vec<FieldChange>,
    pub already: Vec<Field>,
    /// Doubtful fields the read shows as wanted: ours.
    pub ours: Vec<Field>,
    pub skipped: Vec<(Field, String)>,
    pub left: Vec<(Field, Transition)>,
    pub phone_now: Option<Value>,
}

impl Progress {
    /// Whether a write of this run may have changed the user.
    pub fn touched(&self) -> bool {
        !self.written.is_empty() || !self.doubtful.is_empty()
    }

    fn settled(&self, field: &Field) -> bool {
        self.written.contains_key(field)
            || self.already.contains(field)
            || self.skipped.contains_key(field)
            || self.left.contains_key(field)
    }

    /// Decides the unsettled fields from a read: `planned` is what the plan
    /// decided, `now` the same decision from the user as read, and
    /// `selected` whether the user still meets the selection.
    pub fn read(
        &self,
        planned: &FieldDecisions,
        now: FieldDecisions,
        selected: Result<(), String>,
        user: &UserFields,
    ) -> Reading {
        let mut reading = Reading {
            phone_now: Some(value_of(&Field::Phone, user)),
            ..Reading::default()
        };
        // Once this run may have written, the user may have left the
        // selection by our own change (a new routing profile).
        if let (Err(why), false) = (selected, self.touched()) {
            reading.not_selected = Some(why);
            return reading;
        }
        let fields: BTreeSet<&Field> = planned.keys().chain(now.keys()).collect();
        for field in fields {
            if self.settled(field) {
                continue;
            }
            let planned = planned.get(field).cloned().unwrap_or(Decision::Unchanged);
            let now = now.get(field).cloned().unwrap_or(Decision::Unchanged);
            if let Some(ours) = self.doubtful.get(field) {
                match now {
                    Decision::Unchanged => reading.ours.push(field.clone()),
                    Decision::Change(t) if t == *ours => reading.write.push(change(field, t)),
                    Decision::Change(t) => reading.left.push((field.clone(), t)),
                    Decision::Skipped(why) => reading.skipped.push((field.clone(), why)),
                }
                continue;
            }
            match recheck(&planned, now) {
                Recheck::Write(t) => reading.write.push(change(field, t)),
                Recheck::Unchanged => reading.already.push(field.clone()),
                Recheck::Skipped(why) => reading.skipped.push((field.clone(), why)),
                Recheck::ChangedMeanwhile { now, .. } => reading.left.push((field.clone(), now)),
            }
        }
        reading
    }

    /// Records a read's decisions and the answers of the calls sent after
    /// it (in their order); the error that stopped the calls, if one did.
    pub fn answered(
        &mut self,
        reading: Reading,
        calls: &[PlannedCall],
        answers: &[Result<(), ApiError>],
    ) -> Option<ApiError> {
        self.phone_now = reading.phone_now;
        if let Some(why) = reading.not_selected {
            self.not_selected = Some(why);
            return None;
        }
        self.already.extend(reading.already);
        self.skipped.extend(reading.skipped);
        self.left.extend(reading.left);
        for field in reading.ours {
            if let Some(t) = self.doubtful.remove(&field) {
                self.written.insert(field, t);
            }
        }
        self.pending.clear();
        for (at, call) in calls.iter().enumerate() {
            match answers.get(at) {
                Some(Ok(())) => {
                    for c in &call.changes {
                        self.doubtful.remove(&c.field);
                        self.written.insert(c.field.clone(), transition(c));
                    }
                }
                Some(Err(err)) => {
                    if may_have_committed(err) {
                        for c in &call.changes {
                            self.doubtful.insert(c.field.clone(), transition(c));
                        }
                    }
                    self.pending = calls[at..]
                        .iter()
                        .flat_map(|call| call.changes.iter().cloned())
                        .collect();
                    return Some(err.clone());
                }
                None => {}
            }
        }
        None
    }

    /// Settles the unsettled fields from a read made after the calls ended
    /// in doubt: a field as wanted is ours if our call may have made it
    /// (else already so), one as it was is not changed, one otherwise is
    /// someone else's.
    pub fn read_back(&mut self, user: &UserFields) {
        let open: Vec<FieldChange> = self
            .pending
            .iter()
            .cloned()
            .chain(self.doubtful.iter().map(|(f, t)| change(f, t.clone())))
            .collect();
        self.phone_now = Some(value_of(&Field::Phone, user));
        let mut not_made = Vec::new();
        for c in open {
            if self.settled(&c.field) {
                continue;
            }
            let now = value_of(&c.field, user);
            let ours = self.doubtful.remove(&c.field);
            if now == c.after {
                match ours {
                    Some(t) => drop(self.written.insert(c.field, t)),
                    None => drop(self.already.insert(c.field)),
                }
            } else if now == c.before {
                if !not_made.contains(&c) {
                    not_made.push(c);
                }
            } else {
                let t = Transition {
                    before: now,
                    after: c.after.clone(),
                };
                self.left.insert(c.field, t);
            }
        }
        self.pending = not_made;
    }
}

fn change(field: &Field, t: Transition) -> FieldChange {
    FieldChange {
        field: field.clone(),
        before: t.before,
        after: t.after,
    }
}

fn transition(c: &FieldChange) -> Transition {
    Transition {
        before: c.before.clone(),
        after: c.after.clone(),
    }
}

/// The user whose outcome it is, as the plan saw it.
pub struct Who<'a> {
    pub user_id: &'a str,
    pub user_arn: &'a str,
    /// The fields the plan read.
    pub seen: &'a UserFields,
    pub namer: &'a Namer,
}

impl Who<'_> {
    fn changes(&self, fields: &BTreeMap<Field, Transition>) -> Vec<FieldChange> {
        fields.iter().map(|(f, t)| change(f, t.clone())).collect()
    }

    /// `persistent connection: on → off`: what someone else changed of the
    /// fields left alone since the plan read the user (the phone too, when
    /// a softphone-only setting is left because of it).
    fn changed_since_plan(&self, progress: &Progress) -> String {
        let mut since = Vec::new();
        for (field, now) in &progress.left {
            let seen = value_of(field, self.seen);
            if seen != now.before {
                since.push(FieldChange {
                    field: field.clone(),
                    before: seen,
                    after: now.before.clone(),
                });
            }
        }
        let seen_phone = value_of(&Field::Phone, self.seen);
        if let Some(phone) = progress.phone_now.as_ref().filter(|p| **p != seen_phone) {
            if progress.left.keys().any(Field::softphone_only) {
                since.push(FieldChange {
                    field: Field::Phone,
                    before: seen_phone,
                    after: phone.clone(),
                });
            }
        }
        since.sort_by(|a, b| a.field.cmp(&b.field));
        if since.is_empty() {
            let now: Vec<String> = progress
                .left
                .iter()
                .map(|(f, t)| format!("{} is {} now", f.name(), show(f, &t.before, self.namer)))
                .collect();
            return now.join("; ");
        }
        describe(&since, self.namer)
    }

    /// The outcome of the turn so far. `failure` is the error that stopped
    /// the calls (their fields are not changed), if one did.
    pub fn outcome(&self, progress: &Progress, failure: Option<&ApiError>) -> Outcome {
        let (user_id, user_arn) = (self.user_id.to_string(), self.user_arn.to_string());
        if let Some(why) = &progress.not_selected {
            return Outcome::Skipped {
                reason: format!("no longer selected: {why} (changed since the plan read it)"),
            };
        }
        let changed = self.changes(&progress.written);
        let mut not_changed: Vec<String> = Vec::new();
        if !progress.left.is_empty() {
            not_changed.push(format!(
                "{} (someone else changed it since the plan read it: {}; not overwritten)",
                names(progress.left.keys()),
                self.changed_since_plan(progress)
            ));
        }
        if let Some(err) = failure.filter(|_| !progress.pending.is_empty()) {
            not_changed.push(format!(
                "{} ({}: {})",
                describe(&progress.pending, self.namer),
                err.code,
                err.message
            ));
        }
        if not_changed.is_empty() {
            if !changed.is_empty() {
                let mut change = describe(&changed, self.namer);
                change.push_str(&left_alone(progress.skipped.iter()));
                return Outcome::Changed {
                    user_id,
                    user_arn,
                    change,
                };
            }
            if !progress.skipped.is_empty() {
                let reasons: BTreeSet<&String> = progress.skipped.values().collect();
                let reasons: Vec<&str> = reasons.into_iter().map(String::as_str).collect();
                return Outcome::Skipped {
                    reason: reasons.join("; "),
                };
            }
            return Outcome::Unchanged { user_id, user_arn };
        }
        let error_type = match failure {
            Some(err) => err.code.clone(),
            None => "ChangedMeanwhile".to_string(),
        };
        if !changed.is_empty() {
            let (changed, not_changed) = (describe(&changed, self.namer), not_changed.join("; "));
            return Outcome::Partial {
                message: format!(
                    "changed: {changed}; not changed: {not_changed}; run the same command again to \
                     finish"
                ),
                user_id,
                user_arn,
                changed,
                not_changed,
                error_type,
            };
        }
        match failure {
            Some(err) => {
                let mut outcome = failed(err);
                if let (Outcome::Failed { message, .. }, false) =
                    (&mut outcome, progress.left.is_empty())
                {
                    message.push_str(&format!(
                        "; also {}",
                        not_changed.first().expect("a field left alone")
                    ));
                }
                outcome
            }
            None => Outcome::Failed {
                error_type,
                message: format!(
                    "someone else changed this user since the plan read it ({}); it was not \
                     overwritten: run the same command again to plan from what it holds now",
                    self.changed_since_plan(progress)
                ),
            },
        }
    }

    /// The outcome when the calls ended in doubt and reading the user back
    /// failed too: what is certain, and what may or may not have been made.
    pub fn unknown(&self, progress: &Progress, doubt: &ApiError, read: &ApiError) -> Outcome {
        let open: Vec<FieldChange> = progress
            .doubtful
            .iter()
            .map(|(f, t)| change(f, t.clone()))
            .chain(progress.pending.iter().cloned())
            .collect();
        let mut message = format!(
            "the update met {} ({}) and reading the user back met {} ({}): {} may or may not \
             have been made",
            doubt.code,
            doubt.message,
            read.code,
            read.message,
            describe(&open, self.namer)
        );
        if !progress.written.is_empty() {
            message.push_str(&format!(
                "; changed: {}",
                describe(&self.changes(&progress.written), self.namer)
            ));
        }
        message.push_str("; run the same command again to settle it");
        Outcome::Unknown {
            error_type: doubt.code.clone(),
            message,
        }
    }
}

/// `; persistent connection left alone (desk phone)`: the fields skipped
/// beside a change, each with the short form of its reason.
pub fn left_alone<'f>(skipped: impl Iterator<Item = (&'f Field, &'f String)>) -> String {
    skipped
        .map(|(field, why)| {
            let short = why.split(':').next().unwrap_or(why);
            format!("; {} left alone ({short})", field.name())
        })
        .collect()
}

fn names<'f>(fields: impl Iterator<Item = &'f Field>) -> String {
    fields.map(Field::name).collect::<Vec<_>>().join(", ")
}
