//! Whether a user changed since the plan read it. ListUsers gives every
//! user's `LastModifiedTime`, a thousand users a call, so one listing
//! (refreshed every ten seconds while the run lasts: one call per 1,000
//! users, about 5% of the default quota) tells which users someone else
//! changed after they were described; only those are read again. A change
//! made less than ten seconds before a user's update can still go unseen.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Mutex;

use crate::connect::{ApiError, ConnectApi, ExistingUser};

/// How old the listing may get before it is read again.
const REFRESH: Duration = Duration::from_secs(10);

/// What a user looks like now, against the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Now {
    /// Not modified since the plan read it.
    AsPlanned,
    /// Modified since: read again.
    Changed(Box<ExistingUser>),
}

/// Users' modification times by ID, and when they were read.
type Listing = (Instant, HashMap<String, Option<i64>>);

/// A shared, periodically refreshed listing of modification times.
pub struct Freshness {
    api: Arc<dyn ConnectApi>,
    listing: Mutex<Option<Listing>>,
}

impl Freshness {
    pub fn new(api: Arc<dyn ConnectApi>) -> Freshness {
        Freshness {
            api,
            listing: Mutex::new(None),
        }
    }

    /// Whether `planned` (as the plan described it) was modified since.
    pub async fn check(&self, planned: &ExistingUser) -> Result<Now, ApiError> {
        let modified = match planned.last_modified {
            Some(then) => self.last_modified(&planned.id).await? != Some(then),
            // Without a time to compare, read the user again.
            None => true,
        };
        if !modified {
            return Ok(Now::AsPlanned);
        }
        let now = self.api.describe_user(&planned.id).await?;
        Ok(Now::Changed(Box::new(now)))
    }

    async fn last_modified(&self, user_id: &str) -> Result<Option<i64>, ApiError> {
        let mut listing = self.listing.lock().await;
        let stale = listing
            .as_ref()
            .is_none_or(|(read, _)| read.elapsed() >= REFRESH);
        if stale {
            let users = self.api.list_users().await?;
            let times = users.into_iter().map(|u| (u.id, u.last_modified)).collect();
            *listing = Some((Instant::now(), times));
        }
        Ok(listing
            .as_ref()
            .and_then(|(_, times)| times.get(user_id).copied().flatten()))
    }
}
