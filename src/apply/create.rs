//! The change `import apply` makes for each new user: CreateUser, settled
//! by reading the user back when its answers leave doubt.
//!
//! CreateUser has no client token, so an attempt whose answer is lost (a
//! dropped connection, a 5xx after the commit) may still have created the
//! user, and a retry then meets DuplicateResourceException. Only a success
//! answer proves that this run created a user: after a lost answer, the
//! user read back with the row's data may be this run's or that of another
//! job creating the same user at the same moment (the same file run twice
//! at once), and nothing the service returns tells them apart — no marker
//! can be carried without leaving something on the user or needing more
//! permissions (tags need `connect:TagResource` and stay). So reading the
//! user back decides:
//! - the row's data, and no attempt of ours may have been committed (or the
//!   user was last modified before our first attempt, a second of clock
//!   difference allowed) → `exists`: someone else's;
//! - the row's data, and an attempt of ours may have made it → `exists`
//!   with the reason that this run may have created it but cannot claim it
//!   (its generated password is then `not proven`), never `created`;
//! - other data → `failed` with the differences; no user → `failed` with
//!   the error the create met.

use std::sync::{Arc, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::connect::{ApiError, ApiErrorKind, ConnectApi, ExistingUser};
use crate::plan::compare::{compare_stated, Namer};
use crate::plan::PlannedCreate;
use crate::run::change::{Change, Doubt, Evidence, RowKey};
use crate::run::engine::failed;
use crate::run::outcome::Outcome;

/// How far the service's clock may be behind ours when a user's
/// `LastModifiedTime` is compared with the time of our first attempt.
const CLOCK_MARGIN_MS: i64 = 1_000;

/// One planned create.
pub struct CreateUser {
    key: RowKey,
    planned: Box<PlannedCreate>,
    namer: Arc<Namer>,
    /// When the first attempt was sent, in milliseconds since the epoch.
    first_attempt: OnceLock<i64>,
}

impl CreateUser {
    pub fn new(planned: Box<PlannedCreate>, namer: Arc<Namer>) -> CreateUser {
        CreateUser {
            key: RowKey {
                line: Some(planned.line),
                login: planned.login.clone(),
            },
            planned,
            namer,
            first_attempt: OnceLock::new(),
        }
    }
}

fn now_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

#[async_trait::async_trait]
impl Change for CreateUser {
    fn key(&self) -> &RowKey {
        &self.key
    }

    async fn send(&self, api: &dyn ConnectApi) -> Result<Outcome, ApiError> {
        self.first_attempt.get_or_init(now_millis);
        let created = api.create_user(&self.planned.user).await?;
        Ok(Outcome::Created {
            user_id: created.id,
            user_arn: created.arn,
        })
    }

    fn conflicts(&self, err: &ApiError) -> bool {
        err.kind == ApiErrorKind::DuplicateResource
    }

    async fn settle(&self, api: &dyn ConnectApi, evidence: &Evidence) -> Result<Outcome, ApiError> {
        let Some(existing) = read_back(api, &self.planned.login).await? else {
            return Ok(match &evidence.doubt {
                Doubt::Conflict(err) => Outcome::Unknown {
                    error_type: err.code.clone(),
                    message: format!(
                        "the service says a user named {:?} exists, but it cannot be read back \
                         yet; run the same file again to settle this row",
                        self.planned.login
                    ),
                },
                Doubt::Refused(err) | Doubt::GaveUp(err) => {
                    let mut outcome = failed(err);
                    if let Outcome::Failed { message, .. } = &mut outcome {
                        message.push_str("; the user does not exist (read back), run again");
                    }
                    outcome
                }
            });
        };
        // Ours only if an attempt may have been committed, and not if the
        // user was there before our first attempt left.
        let ours = evidence.ours_may_have_committed
            && !matches!(
                (existing.last_modified, self.first_attempt.get()),
                (Some(modified), Some(&first)) if modified < first - CLOCK_MARGIN_MS
            );
        Ok(judge(
            &self.planned,
            &existing,
            &self.namer,
            ours.then_some(evidence.doubt.error()),
        ))
    }
}

/// The user with this login, described, if it exists. The search index may
/// not show a user created seconds ago, so a miss falls back to listing.
async fn read_back(api: &dyn ConnectApi, login: &str) -> Result<Option<ExistingUser>, ApiError> {
    let found = match api.find_user(login).await? {
        Some(summary) => Some(summary),
        None => {
            let wanted = login.to_lowercase();
            api.list_users()
                .await?
                .into_iter()
                .find(|u| u.username.to_lowercase() == wanted)
        }
    };
    match found {
        Some(summary) => api.describe_user(&summary.id).await.map(Some),
        None => Ok(None),
    }
}

/// A user with the row's login exists: is it the row's, and may it be
/// ours? `lost`: the error of an attempt of ours that may have made it.
fn judge(
    planned: &PlannedCreate,
    existing: &ExistingUser,
    namer: &Namer,
    lost: Option<&ApiError>,
) -> Outcome {
    // Judged as the plan judges a user that existed before the run.
    let diffs = compare_stated(
        &planned.user.fields,
        &planned.stated,
        &existing.fields,
        namer,
    );
    if diffs.is_empty() {
        return Outcome::Exists {
            user_id: existing.id.clone(),
            user_arn: existing.arn.clone(),
            unproven: lost.map(|err| {
                format!(
                    "an attempt of this run lost its answer ({}), and the user now exists with the \
                     row's data: this run may have created it, or another job at the same moment \
                     (CreateUser takes no client token, so nothing shows which); if this run \
                     generated its password, it is marked `not proven` in the passwords file: \
                     reset the user's password",
                    err.code
                )
            }),
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
