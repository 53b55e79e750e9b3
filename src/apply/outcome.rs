//! How each row of an import ended.

use serde::Serialize;

/// The end of one row: every row of a run gets exactly one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// CreateUser succeeded (or an earlier attempt of this run did, which a
    /// DuplicateResourceException and an identical user proved).
    Created { user_id: String, user_arn: String },
    /// The user existed before the run, identical: nothing to do.
    Exists { user_id: String, user_arn: String },
    /// The row could not be created; `error_type` is the service's error type.
    Failed { error_type: String, message: String },
    /// Never sent: the run was interrupted or stopped by a fatal error first.
    NotSubmitted { reason: String },
}

impl Outcome {
    pub fn name(&self) -> &'static str {
        match self {
            Outcome::Created { .. } => "created",
            Outcome::Exists { .. } => "exists",
            Outcome::Failed { .. } => "failed",
            Outcome::NotSubmitted { .. } => "not_submitted",
        }
    }

    /// Whether the row needs another run (failed or never sent).
    pub fn needs_rerun(&self) -> bool {
        matches!(self, Outcome::Failed { .. } | Outcome::NotSubmitted { .. })
    }
}

/// One row's outcome, with the line and login that identify it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowOutcome {
    pub line: u64,
    pub user_login: String,
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// Counts by outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub created: usize,
    pub exists: usize,
    pub failed: usize,
    pub not_submitted: usize,
}

impl Tally {
    pub fn add(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::Created { .. } => self.created += 1,
            Outcome::Exists { .. } => self.exists += 1,
            Outcome::Failed { .. } => self.failed += 1,
            Outcome::NotSubmitted { .. } => self.not_submitted += 1,
        }
    }

    pub fn of<'a>(rows: impl IntoIterator<Item = &'a RowOutcome>) -> Tally {
        let mut tally = Tally::default();
        for row in rows {
            tally.add(&row.outcome);
        }
        tally
    }

    pub fn total(&self) -> usize {
        self.created + self.exists + self.failed + self.not_submitted
    }
}
