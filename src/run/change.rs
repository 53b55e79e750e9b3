//! A change: one row's write to the instance, as the batch runner sees it.
//! Each bulk operation (create a user, switch an agent's settings) supplies
//! its write and how to settle it by reading the server back; pacing,
//! patience, doubt, interrupts and accounting are the runner's.

use crate::connect::{ApiError, ConnectApi};

use super::outcome::Outcome;

/// What identifies a row in reports: its line in the input file (when the
/// rows came from one) and the user's login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowKey {
    pub line: Option<u64>,
    pub login: String,
}

/// Why a row's write is being settled by a read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Doubt {
    /// The service refused the write because of what it holds (the user
    /// exists, or changed under us): the read says whose state it is.
    Conflict(ApiError),
    /// The service refused the write finally after an earlier attempt of
    /// ours may have been committed.
    Refused(ApiError),
    /// Every attempt met a retryable answer until the patience ran out.
    GaveUp(ApiError),
}

impl Doubt {
    /// The error that left the row in doubt.
    pub fn error(&self) -> &ApiError {
        match self {
            Doubt::Conflict(err) | Doubt::Refused(err) | Doubt::GaveUp(err) => err,
        }
    }
}

/// What the runner knows when it asks a change to settle itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub doubt: Doubt,
    /// An attempt of ours met a 5xx or lost its answer: it may have been
    /// committed, so a state matching the plan may be our own work.
    pub ours_may_have_committed: bool,
}

/// One row's write.
#[async_trait::async_trait]
pub trait Change: Send + Sync + 'static {
    fn key(&self) -> &RowKey;

    /// Runs once, before the first attempt: `Some` settles the row without
    /// a write (it is already as wanted, or someone else changed it). Not
    /// part of the retried write, so a retry after an attempt of ours that
    /// may have been committed never mistakes our own change for another's.
    /// `Err`: the check could not be done; nothing is sent.
    async fn precheck(&self, _api: &dyn ConnectApi) -> Result<Option<Outcome>, ApiError> {
        Ok(None)
    }

    /// One attempt of the write; its outcome when it succeeds.
    async fn send(&self, api: &dyn ConnectApi) -> Result<Outcome, ApiError>;

    /// Whether a final refusal means the server holds a state that only a
    /// read can interpret (CreateUser: DuplicateResourceException).
    fn conflicts(&self, err: &ApiError) -> bool;

    /// The outcome of a final refusal that leaves no doubt (no attempt may
    /// have been committed, and it is no conflict): `failed`, unless the
    /// change knows that earlier calls of its own were made (a user
    /// changed in several calls is then partly done).
    fn refused(&self, err: &ApiError) -> Outcome {
        super::engine::failed(err)
    }

    /// Reads the server and says what it holds for this row. `Err` when the
    /// read itself could not be done: the row's state is then unknown.
    async fn settle(&self, api: &dyn ConnectApi, evidence: &Evidence) -> Result<Outcome, ApiError>;
}
