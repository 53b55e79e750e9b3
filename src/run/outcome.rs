//! How each row of a run ended. An outcome is a claim about the server:
//! `created`, `exists`, `changed`, `partial`, `unchanged` and `failed` say
//! what the instance holds; `unknown` says the tool could not find out (running the
//! same command again settles it); `skipped` and `not_submitted` say
//! nothing was sent. `removed` and `absent` (`agents remove`) both say the
//! user is not on the instance: this run deleted it, or it was not there.

use serde::Serialize;

/// The end of one row: every row of a run gets exactly one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// This run created the user (its CreateUser succeeded, or an attempt
    /// whose answer was lost did, which reading the user back proved).
    Created { user_id: String, user_arn: String },
    /// The user exists with the row's data, and this run cannot claim it:
    /// it was there before, or someone else made it meanwhile — or an
    /// attempt of this run whose answer was lost may have made it, which
    /// nothing can prove (CreateUser takes no client token): then
    /// `unproven` says so.
    Exists {
        user_id: String,
        user_arn: String,
        /// Why this run may have created the user without being able to
        /// claim it; `None` when this run certainly did not.
        #[serde(rename = "reason", skip_serializing_if = "Option::is_none")]
        unproven: Option<String>,
    },
    /// The user's settings were changed as planned (`agents set`).
    Changed {
        user_id: String,
        user_arn: String,
        change: String,
    },
    /// Some of the user's planned changes were made and others were not
    /// (a call failed, or someone else changed a field meanwhile): which
    /// are which is said field by field. Running the same command again
    /// finishes it.
    Partial {
        user_id: String,
        user_arn: String,
        /// The fields changed, `field: before → after; …`.
        changed: String,
        /// The fields not changed, each with why.
        not_changed: String,
        /// The service's error type that stopped a call, or
        /// `ChangedMeanwhile`.
        error_type: String,
        message: String,
    },
    /// The user already had the planned settings: nothing was sent.
    Unchanged { user_id: String, user_arn: String },
    /// The plan leaves this user alone, for the reason given.
    Skipped { reason: String },
    /// The service refused the row with a final answer, or a successful
    /// read confirmed that the write did not happen.
    Failed { error_type: String, message: String },
    /// The write may or may not have happened: every attempt and the read
    /// that should settle it met retryable answers until the patience ran out.
    Unknown { error_type: String, message: String },
    /// Never sent: the run was interrupted or stopped first.
    NotSubmitted { reason: String },
    /// The user is gone: this run's DeleteUser was answered with success,
    /// or an attempt of ours lost its answer and a read found the user gone.
    Removed { user_id: String, user_arn: String },
    /// No such user: a login the instance does not have, or a user someone
    /// else deleted before this run's delete reached it.
    Absent { reason: String },
}

impl Outcome {
    pub fn name(&self) -> &'static str {
        match self {
            Outcome::Created { .. } => "created",
            Outcome::Exists { .. } => "exists",
            Outcome::Changed { .. } => "changed",
            Outcome::Partial { .. } => "partial",
            Outcome::Unchanged { .. } => "unchanged",
            Outcome::Skipped { .. } => "skipped",
            Outcome::Failed { .. } => "failed",
            Outcome::Unknown { .. } => "unknown",
            Outcome::NotSubmitted { .. } => "not_submitted",
            Outcome::Removed { .. } => "removed",
            Outcome::Absent { .. } => "absent",
        }
    }

    /// Whether the row needs another run: partly done, failed, unknown,
    /// or never sent.
    pub fn needs_rerun(&self) -> bool {
        matches!(
            self,
            Outcome::Partial { .. }
                | Outcome::Failed { .. }
                | Outcome::Unknown { .. }
                | Outcome::NotSubmitted { .. }
        )
    }

    /// The service's error type and message of a failed or unknown row,
    /// or the reason of a row that was not sent or was skipped.
    pub fn explanation(&self) -> (&str, &str) {
        match self {
            Outcome::Failed {
                error_type,
                message,
            }
            | Outcome::Unknown {
                error_type,
                message,
            }
            | Outcome::Partial {
                error_type,
                message,
                ..
            } => (error_type, message),
            Outcome::NotSubmitted { reason }
            | Outcome::Skipped { reason }
            | Outcome::Absent { reason } => ("", reason),
            Outcome::Exists {
                unproven: Some(reason),
                ..
            } => ("", reason),
            Outcome::Changed { change, .. } => ("", change),
            _ => ("", ""),
        }
    }

    /// The user's ID and ARN, where the outcome names the user.
    pub fn user(&self) -> (&str, &str) {
        match self {
            Outcome::Created { user_id, user_arn }
            | Outcome::Exists {
                user_id, user_arn, ..
            } => (user_id, user_arn),
            Outcome::Changed {
                user_id, user_arn, ..
            }
            | Outcome::Partial {
                user_id, user_arn, ..
            }
            | Outcome::Unchanged { user_id, user_arn }
            | Outcome::Removed { user_id, user_arn } => (user_id, user_arn),
            _ => ("", ""),
        }
    }
}

/// One row's outcome, with the line and login that identify it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowOutcome {
    /// The row's line in the input file, when the rows came from one.
    pub line: Option<u64>,
    pub user_login: String,
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// Counts by outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub created: usize,
    pub exists: usize,
    pub changed: usize,
    pub partial: usize,
    pub unchanged: usize,
    pub skipped: usize,
    pub failed: usize,
    pub unknown: usize,
    pub not_submitted: usize,
    pub removed: usize,
    pub absent: usize,
}

impl Tally {
    pub fn add(&mut self, outcome: &Outcome) {
        let count = match outcome {
            Outcome::Created { .. } => &mut self.created,
            Outcome::Exists { .. } => &mut self.exists,
            Outcome::Changed { .. } => &mut self.changed,
            Outcome::Partial { .. } => &mut self.partial,
            Outcome::Unchanged { .. } => &mut self.unchanged,
            Outcome::Skipped { .. } => &mut self.skipped,
            Outcome::Failed { .. } => &mut self.failed,
            Outcome::Unknown { .. } => &mut self.unknown,
            Outcome::NotSubmitted { .. } => &mut self.not_submitted,
            Outcome::Removed { .. } => &mut self.removed,
            Outcome::Absent { .. } => &mut self.absent,
        };
        *count += 1;
    }

    pub fn of<'a>(rows: impl IntoIterator<Item = &'a RowOutcome>) -> Tally {
        let mut tally = Tally::default();
        for row in rows {
            tally.add(&row.outcome);
        }
        tally
    }

    pub fn total(&self) -> usize {
        self.created
            + self.exists
            + self.changed
            + self.partial
            + self.unchanged
            + self.skipped
            + self.failed
            + self.unknown
            + self.not_submitted
            + self.removed
            + self.absent
    }

    /// Rows the run wrote to: created, changed, partly changed or removed.
    pub fn written(&self) -> usize {
        self.created + self.changed + self.partial + self.removed
    }
}
