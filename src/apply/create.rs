//! The change `import apply` makes for each new user: CreateUser, settled
//! by reading the user back when its answers leave doubt.
//!
//! CreateUser has no client token, so an attempt whose answer is lost (a
//! dropped connection, a 5xx after the commit) may still have created the
//! user, and a retry then meets DuplicateResourceException. Reading the
//! user back decides: the row's data and an attempt of ours that may have
//! been committed → `created`; the row's data and no such attempt →
//! `exists` (someone else made the user meanwhile, e.g. the same file run
//! twice at once); other data → `failed` with the differences; no user →
//! `failed` with the error the create met.

use std::sync::Arc;

use crate::connect::{ApiError, ApiErrorKind, ConnectApi, ExistingUser};
use crate::plan::compare::{compare_stated, Namer};
use crate::plan::PlannedCreate;
use crate::run::change::{Change, Doubt, Evidence, RowKey};
use crate::run::engine::failed;
use crate::run::outcome::Outcome;

/// One planned create.
pub struct CreateUser {
    key: RowKey,
    planned: Box<PlannedCreate>,
    namer: Arc<Namer>,
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
        }
    }
}

#[async_trait::async_trait]
impl Change for CreateUser {
    fn key(&self) -> &RowKey {
        &self.key
    }

    async fn send(&self, api: &dyn ConnectApi) -> Result<Outcome, ApiError> {
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
        Ok(judge(
            &self.planned,
            &existing,
            &self.namer,
            evidence.ours_may_have_committed,
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

/// A user with the row's login exists: whose, and is it the row's?
fn judge(planned: &PlannedCreate, existing: &ExistingUser, namer: &Namer, ours: bool) -> Outcome {
    // Judged as the plan judges a user that existed before the run.
    let diffs = compare_stated(
        &planned.user.fields,
        &planned.stated,
        &existing.fields,
        namer,
    );
    if diffs.is_empty() {
        let (user_id, user_arn) = (existing.id.clone(), existing.arn.clone());
        return if ours {
            Outcome::Created { user_id, user_arn }
        } else {
            Outcome::Exists { user_id, user_arn }
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
