//! Turns an [`InstanceTarget`] into a ready [`ConnectApi`].

use std::sync::Arc;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};

use crate::connect::config::InstanceTarget;
use crate::connect::pace::Pacer;
use crate::connect::pacers::Pacers;
use crate::connect::patience::Patience;
use crate::connect::sdk::SdkApi;
use crate::connect::watch::Watch;
use crate::connect::ConnectApi;

/// One attempt may take this long before it counts as timed out (and is
/// retried like a dropped connection).
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(20);

/// How long one attempt may take: [`ATTEMPT_TIMEOUT`], or the whole
/// patience when that is shorter (`--patience 5s` must not wait 20 s for
/// one answer), but at least a second.
pub fn attempt_timeout(patience: &Patience) -> Duration {
    ATTEMPT_TIMEOUT.min(patience.budget.max(Duration::from_secs(1)))
}

/// The pacer requests of `operation` to `target` wait for: none for `--local`, whose
/// in-process store has no quota (its API never waits for a pacer), so a
/// progress display shows the rate the store achieves, not the quota's.
pub fn quota_pacer(
    target: &InstanceTarget,
    pacers: &Pacers,
    operation: &'static str,
) -> Option<Arc<Pacer>> {
    match target {
        InstanceTarget::Aws { .. } => Some(pacers.of(operation)),
        InstanceTarget::Local { .. } => None,
    }
}

/// Opens the instance API. For AWS this loads the standard credential and
/// region chain; no request is sent yet.
pub async fn open(
    target: &InstanceTarget,
    pacers: Arc<Pacers>,
    patience: Patience,
) -> anyhow::Result<Arc<dyn ConnectApi>> {
    match target {
        InstanceTarget::Aws {
            instance_id,
            region,
            profile,
            endpoint_url,
        } => {
            let mut loader = aws_config::defaults(BehaviorVersion::latest());
            if let Some(profile) = profile {
                loader = loader.profile_name(profile);
            }
            if let Some(region) = region {
                loader = loader.region(Region::new(region.clone()));
            }
            if let Some(url) = endpoint_url {
                loader = loader.endpoint_url(url);
            }
            let shared = loader.load().await;
            anyhow::ensure!(
                shared.region().is_some(),
                "no AWS Region configured: pass --region, use --instance-arn, set AWS_REGION, \
                 or set region in the AWS profile"
            );
            // The SDK sends each attempt; retries are ours (`patience`), so
            // that every attempt is paced, a shared quota slows us down
            // instead of exhausting a retry budget, and the batch runner
            // knows which attempts of a write left it in doubt.
            let config = aws_sdk_connect::config::Builder::from(&shared)
                .retry_config(RetryConfig::disabled())
                .timeout_config(
                    TimeoutConfig::builder()
                        .operation_attempt_timeout(attempt_timeout(&patience))
                        .build(),
                )
                .build();
            let endpoint = endpoint_shown(endpoint_url.as_deref(), &shared);
            let client = aws_sdk_connect::Client::from_conf(config);
            let watch = Watch::new(endpoint, patience, crate::terminal::notice::to_stderr());
            Ok(Arc::new(
                SdkApi::new(client, instance_id.clone(), pacers, patience).watched(Arc::new(watch)),
            ))
        }
        InstanceTarget::Local { db } => {
            // The settings file's `local` comes here unchecked by the parser.
            super::config::check_local_store(db).map_err(anyhow::Error::msg)?;
            let new = !db.exists();
            let api = crate::local::api::LocalApi::open_local(db)?;
            if new {
                eprintln!(
                    "connect-users: created the local store {} with the demo instance; \
                     `connect-users local serve --db {}` serves the same instance",
                    db.display(),
                    db.display()
                );
            }
            Ok(Arc::new(api))
        }
    }
}

/// The endpoint as messages name it: the URL given, else the service's
/// regional endpoint (the SDK's default).
fn endpoint_shown(endpoint_url: Option<&str>, shared: &aws_config::SdkConfig) -> String {
    match (endpoint_url.or(shared.endpoint_url()), shared.region()) {
        (Some(url), _) => url.to_string(),
        (None, Some(region)) => format!("https://connect.{region}.amazonaws.com"),
        (None, None) => "the Amazon Connect endpoint".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_attempt_never_outlasts_the_patience() {
        let patience = |secs| Patience {
            budget: Duration::from_secs(secs),
            max_attempts: None,
        };
        assert_eq!(attempt_timeout(&patience(600)), ATTEMPT_TIMEOUT);
        assert_eq!(attempt_timeout(&patience(5)), Duration::from_secs(5));
        assert_eq!(attempt_timeout(&patience(0)), Duration::from_secs(1));
    }
}
