//! The online check shared by `import validate` (with an instance) and
//! `import apply`: open the instance, learn its identity type, validate the
//! file by that type's rules, take a snapshot of what the file refers to,
//! and plan each user; and reading the agents a selection names.

use std::sync::Arc;

use anyhow::Context;

use crate::agents::roster::Agent;
use crate::agents::select::Selection;
use crate::connect::config::{self, InstanceArgs, InstanceTarget};
use crate::connect::pace::{Pacer, DEFAULT_BURST, DEFAULT_RATE};
use crate::connect::patience::{self, Patience};
use crate::connect::{ApiError, ApiErrorKind, ConnectApi, InstanceInfo, IAM_HINT};
use crate::identity::Identity;
use crate::plan::{self, Plan};
use crate::terminal::Counter;
use crate::validate::{self, ValidateOptions, Validation};

/// How the client paces and retries, after precedence (flag, then settings
/// file, then default).
#[derive(Debug, Clone, Copy)]
pub struct Pacing {
    pub rate: f64,
    pub burst: u32,
    pub concurrency: usize,
    /// How long each request is retried.
    pub patience: Patience,
}

/// Flag values for [`Pacing`]; `None` defers to the settings file.
#[derive(Debug, Clone, Copy, Default)]
pub struct PacingFlags {
    pub rate: Option<f64>,
    pub burst: Option<u32>,
    pub concurrency: Option<usize>,
    pub max_attempts: Option<u32>,
    pub patience: Option<std::time::Duration>,
}

/// Creates in flight at once, by default.
pub const DEFAULT_CONCURRENCY: usize = 4;

/// A resolved instance, ready for calls.
pub struct Connection {
    pub target: InstanceTarget,
    pub api: Arc<dyn ConnectApi>,
    pub pacing: Pacing,
    /// The pacer every request of this connection waits for.
    pub pacer: Arc<Pacer>,
}

/// The file checked against the instance.
pub struct Checked {
    pub instance: InstanceInfo,
    pub validation: Validation,
    pub plan: Plan,
}

/// A multi-threaded runtime for the commands that talk to an instance.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// Resolves flags, environment and settings file. `Ok(None)`: no instance named.
pub fn resolve(
    args: &InstanceArgs,
    flags: PacingFlags,
) -> anyhow::Result<Option<(InstanceTarget, Pacing)>> {
    let file = config::load_config_file(args.config.as_deref())?;
    let env_id = std::env::var(config::INSTANCE_ENV).ok();
    let Some(target) = config::resolve(args, env_id, &file)? else {
        return Ok(None);
    };
    let pacing = Pacing {
        rate: flags.rate.or(file.rate).unwrap_or(DEFAULT_RATE),
        burst: flags.burst.or(file.burst).unwrap_or(DEFAULT_BURST),
        concurrency: flags
            .concurrency
            .or(file.concurrency)
            .unwrap_or(DEFAULT_CONCURRENCY)
            .max(1),
        patience: Patience {
            budget: match (flags.patience, &file.patience) {
                (Some(budget), _) => budget,
                (None, Some(text)) => patience::parse_duration(text)
                    .map_err(|err| anyhow::anyhow!("invalid settings file: patience {err}"))?,
                (None, None) => patience::DEFAULT_PATIENCE,
            },
            max_attempts: flags.max_attempts.or(file.max_attempts).map(|n| n.max(1)),
        },
    };
    Ok(Some((target, pacing)))
}

/// Opens the instance API with a pacer for these settings.
pub async fn connect(target: InstanceTarget, pacing: Pacing) -> anyhow::Result<Connection> {
    let pacer = Arc::new(Pacer::new(pacing.rate, pacing.burst)?);
    let api = crate::connect::open::open(&target, pacer.clone(), pacing.patience).await?;
    Ok(Connection {
        target,
        api,
        pacing,
        pacer,
    })
}

/// DescribeInstance, with an error a user can act on (an instance not
/// found names the region and the instances seen there).
pub async fn describe(connection: &Connection) -> anyhow::Result<InstanceInfo> {
    let err = match connection.api.describe_instance().await {
        Ok(instance) => return Ok(instance),
        Err(err) => err,
    };
    let id = match &connection.target {
        InstanceTarget::Aws { instance_id, .. } => instance_id.as_str(),
        InstanceTarget::Local { .. } => "",
    };
    let err = match crate::connect::instances::not_found_help(&*connection.api, id, &err).await {
        Some(help) => anyhow::Error::new(err).context(help),
        None => explain(err, &connection.target),
    };
    Err(err.context("cannot describe the instance"))
}

/// The selected users as agents (`agents list`, `set` and `export`), with a
/// count on a terminal once reading them takes a while.
pub async fn read_agents(
    connection: &Connection,
    selection: &Selection,
    interactive: bool,
) -> anyhow::Result<Vec<Agent>> {
    let counter = Counter::new("describing", interactive);
    crate::agents::read_agents(
        &connection.api,
        selection,
        connection.pacing.concurrency,
        &|done, total| counter.tick(done, total),
    )
    .await
    .map_err(|err| explain_any(err, &connection.target))
}

/// Validates the file by the instance's rules, then plans it against a snapshot.
pub async fn check(
    connection: &Connection,
    file: &str,
    mut options: ValidateOptions,
    requested: Option<Identity>,
) -> anyhow::Result<Checked> {
    let instance = describe(connection).await?;
    options.identity = identity_of(&instance, requested)?;
    options.identity_from = validate::IdentityFrom::Instance;
    let mut validation = validate::validate_file(file, &options)?;
    let snapshot = plan::gather(
        connection.api.clone(),
        instance.clone(),
        &plan::wanted(&validation),
        connection.pacing.concurrency,
    )
    .await
    .map_err(|err| explain(err, &connection.target))
    .context("cannot read the instance's configuration")?;
    let plan = plan::plan(&mut validation, &snapshot);
    Ok(Checked {
        instance,
        validation,
        plan,
    })
}

/// What to do when no credentials were found.
const NO_CREDENTIALS: &str = "no AWS credentials were found (or the --profile does not exist): \
    pass --profile NAME for a profile in ~/.aws/config, set AWS_ACCESS_KEY_ID and \
    AWS_SECRET_ACCESS_KEY (with AWS_SESSION_TOKEN for temporary ones), run `aws sso login` \
    for an SSO profile, or run where an IAM role is attached";

/// An API error as a message that says what to do about it.
pub fn explain(err: ApiError, target: &InstanceTarget) -> anyhow::Error {
    match hint(&err, target) {
        Some(hint) => anyhow::Error::new(err).context(hint),
        None => anyhow::Error::new(err),
    }
}

/// An error whose causes include an API error, with what to do about that.
pub fn explain_any(err: anyhow::Error, target: &InstanceTarget) -> anyhow::Error {
    let hint = err
        .chain()
        .find_map(|cause| cause.downcast_ref::<ApiError>())
        .and_then(|api| hint(api, target));
    match hint {
        Some(hint) => err.context(hint),
        None => err,
    }
}

/// What to do about an API error, when the error alone does not say.
fn hint(err: &ApiError, target: &InstanceTarget) -> Option<String> {
    let hint = match err.kind {
        ApiErrorKind::AccessDenied => IAM_HINT.to_string(),
        ApiErrorKind::Authentication if err.code == "NoCredentials" => NO_CREDENTIALS.to_string(),
        ApiErrorKind::Authentication => {
            "the service refused the AWS credentials: check the profile, environment, SSO session \
            or role, and that they belong to the instance's account"
                .to_string()
        }
        ApiErrorKind::LimitExceeded => "a quota of the instance is full — for CreateUser, the \
            users per instance (500 by default): raise it in Service Quotas or remove users, \
            then run the same command again"
            .to_string(),
        ApiErrorKind::ResourceNotFound => format!(
            "check that {} exists in this account and Region",
            target.describe()
        ),
        ApiErrorKind::Transport => format!(
            "no answer from the endpoint of {} after retrying until --patience (or --max-attempts) ran out",
            target.describe()
        ),
        _ => return None,
    };
    Some(hint)
}

/// The instance's identity type; `--identity`, when given, must agree.
pub fn identity_of(
    instance: &InstanceInfo,
    requested: Option<Identity>,
) -> anyhow::Result<Identity> {
    match requested {
        Some(asked) if asked != instance.identity => anyhow::bail!(
            "--identity {asked} contradicts instance {}, whose identity management type is {}; \
             leave --identity out when an instance is configured",
            instance_label(instance),
            instance.identity
        ),
        _ => Ok(instance.identity),
    }
}

/// The instance's display name: `alias (id)`.
pub fn instance_label(instance: &InstanceInfo) -> String {
    match &instance.alias {
        Some(alias) => format!("{alias} ({})", instance.id),
        None => instance.id.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_denied_names_the_iam_actions() {
        let target = InstanceTarget::Local { db: "x.db".into() };
        let err = ApiError::new(
            ApiErrorKind::AccessDenied,
            "AccessDeniedException",
            "not authorized",
        );
        let text = format!("{:#}", explain(err, &target));
        assert!(
            text.contains("connect:CreateUser") && text.contains("connect:DescribeUser"),
            "{text}"
        );
        assert!(
            text.ends_with("AccessDeniedException: not authorized"),
            "{text}"
        );
    }
}
