//! The session with an instance: resolve which instance a command means
//! (flags, environment, settings file), how to pace and retry its
//! requests, and open its API ([`open`]); what an API error means to a
//! user ([`explain`]); the online check of a file ([`check`]); and reading
//! the agents a selection names ([`agents`]).

pub mod agents;
pub mod check;
pub mod explain;
pub mod open;

use std::sync::Arc;

use anyhow::Context;

use crate::connect::config::{self, InstanceArgs, InstanceTarget, NO_INSTANCE};
use crate::connect::pace::{Pacer, DEFAULT_BURST, DEFAULT_RATE};
use crate::connect::pacers::{Pacers, Quota};
use crate::connect::patience::{self, Patience};
use crate::connect::{ConnectApi, InstanceInfo};

pub use agents::{read_agents, read_agents_in, read_removal};
pub use check::{check, identity_of, Checked};
pub use explain::{explain, explain_any};

/// How the client paces and retries, after precedence (flag, then settings
/// file, then default).
#[derive(Debug, Clone, Copy)]
pub struct Pacing {
    pub rate: f64,
    pub burst: u32,
    /// One bucket per operation, or one for all.
    pub quota: Quota,
    pub concurrency: usize,
    /// How long each request is retried.
    pub patience: Patience,
}

/// Flag values for [`Pacing`]; `None` defers to the settings file.
#[derive(Debug, Clone, Copy, Default)]
pub struct PacingFlags {
    pub rate: Option<f64>,
    pub burst: Option<u32>,
    pub quota: Option<Quota>,
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
    /// The pacers the requests of this connection wait for.
    pub pacers: Arc<Pacers>,
}

impl Connection {
    /// The pacer of one operation, e.g. `CreateUser`.
    pub fn pacer(&self, operation: &'static str) -> Arc<Pacer> {
        self.pacers.of(operation)
    }

    /// The pacer of one operation where a quota applies (none for
    /// `--local`): what a progress display and a dry run's estimate follow.
    pub fn quota_pacer(&self, operation: &'static str) -> Option<Arc<Pacer>> {
        open::quota_pacer(&self.target, &self.pacers, operation)
    }
}

/// A multi-threaded runtime for the commands that talk to an instance.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// An instance a command names, and how to pace and retry its requests:
/// resolved from flags, environment and settings file, not opened yet.
pub struct Session {
    pub target: InstanceTarget,
    pub pacing: Pacing,
}

/// Resolves flags, environment and settings file. `Ok(None)`: no instance named.
pub fn resolve(args: &InstanceArgs, flags: PacingFlags) -> anyhow::Result<Option<Session>> {
    let file = config::load_config_file(args.config.as_deref())?;
    let env_id = std::env::var(config::INSTANCE_ENV).ok();
    let Some(target) = config::resolve(args, env_id, &file)? else {
        return Ok(None);
    };
    let pacing = Pacing {
        rate: flags.rate.or(file.rate).unwrap_or(DEFAULT_RATE),
        burst: flags.burst.or(file.burst).unwrap_or(DEFAULT_BURST),
        quota: flags.quota.or(file.quota).unwrap_or_default(),
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
    Ok(Some(Session { target, pacing }))
}

/// The instance of a command that needs one: [`resolve`]'s, or an error
/// listing the ways to name one.
pub fn required(args: &InstanceArgs, flags: PacingFlags) -> anyhow::Result<Session> {
    resolve(args, flags)?.ok_or_else(|| anyhow::anyhow!(NO_INSTANCE))
}

impl Session {
    /// Opens the instance API with pacers for these settings.
    pub async fn connect(self) -> anyhow::Result<Connection> {
        let pacers = Arc::new(Pacers::new(
            self.pacing.quota,
            self.pacing.rate,
            self.pacing.burst,
        )?);
        let api = open::open(&self.target, pacers.clone(), self.pacing.patience).await?;
        Ok(Connection {
            target: self.target,
            api,
            pacing: self.pacing,
            pacers,
        })
    }

    /// Opens the instance and runs `work` with it on a runtime of its own:
    /// the whole online part of a command that reads.
    pub fn run<T>(
        self,
        work: impl AsyncFnOnce(&Connection) -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        runtime()?.block_on(async move {
            let connection = self.connect().await?;
            work(&connection).await
        })
    }
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

/// The instance's display name: `alias (id)`.
pub fn instance_label(instance: &InstanceInfo) -> String {
    match &instance.alias {
        Some(alias) => format!("{alias} ({})", instance.id),
        None => instance.id.clone(),
    }
}
