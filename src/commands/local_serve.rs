//! `connect-users local serve`: run the local instance over HTTP.
//!
//! Prints the endpoint URL as the first line on stdout (so scripts and
//! tests can read the port picked for `--addr 127.0.0.1:0`), then one line
//! per request on stderr, until SIGINT or SIGTERM.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;

use crate::connect::pacers::Quota;
use crate::exit::Exit;
use crate::local::seed::Seed;
use crate::local::server::faults::{FaultConfig, Latency, DEFAULT_BURST, DEFAULT_RATE};
use crate::local::server::{RequestLog, Server, ServerConfig, DEFAULT_READ_TIMEOUT};
use crate::local::service::Service;
use crate::local::store::{SeedOutcome, Store};

/// Serve a local instance over the real Amazon Connect wire protocol.
///
/// Reference: `connect-users guide local-serve` (starting it, flags, request log,
/// the seed format), `connect-users guide local-api` (what each operation answers).
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  connect-users local serve --db demo.sqlite --demo
  connect-users local serve --db ci.sqlite --seed fixtures/demo-instance.toml --addr 127.0.0.1:0
  connect-users local serve --db t.sqlite --demo --rate 50 --burst 5 --fail-rate 0.05 --fault-seed 7

Clients sign with the local-only key pair test/test (any region), e.g.
  AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws connect list-instances --region us-east-1 --endpoint-url http://127.0.0.1:8765
Counts by operation and status: GET /_local/stats (no signature needed).")]
pub struct Args {
    /// SQLite database holding the instances; created if missing, kept across restarts.
    #[arg(
        long,
        value_name = "PATH",
        default_value = "connect-users-local.sqlite"
    )]
    pub db: PathBuf,
    /// Load an instance from a seed file (TOML, or JSON if it ends in .json) unless the database already has it. Repeatable.
    #[arg(long, value_name = "FILE")]
    pub seed: Vec<PathBuf>,
    /// Load the built-in demo instance (`demo-contact-center`) unless the database already has it. A database that holds no instance gets it too when no --seed is given.
    #[arg(long)]
    pub demo: bool,
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8765")]
    pub addr: SocketAddr,
    /// Access key requests must be signed with (a local-only value, not an AWS key).
    #[arg(
        long,
        value_name = "KEY",
        default_value = "test",
        help_heading = "Authentication"
    )]
    pub access_key: String,
    /// Secret key requests must be signed with (a local-only value, not an AWS key).
    #[arg(
        long,
        value_name = "KEY",
        default_value = "test",
        help_heading = "Authentication"
    )]
    pub secret_key: String,
    /// Requests a second of the quota of the user and list operations.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_RATE, help_heading = "Quotas")]
    pub rate: f64,
    /// Burst of the quota: requests allowed at once after a quiet spell.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_BURST, help_heading = "Quotas")]
    pub burst: u32,
    /// No quota: never answer ThrottlingException.
    #[arg(long, help_heading = "Quotas")]
    pub no_throttle: bool,
    /// A bucket of --rate/--burst per operation, as Service Quotas lists
    /// them, or one shared by every operation.
    #[arg(long, value_enum, value_name = "HOW", default_value_t = Quota::PerOperation, help_heading = "Quotas")]
    pub quota: Quota,
    /// SearchUsers answers from the users as they were N milliseconds ago,
    /// as the service's search trails its writes; every other operation
    /// sees them as they are [default: 0].
    #[arg(long, value_name = "N", help_heading = "Eventual consistency")]
    pub search_lag_ms: Option<u64>,
    /// Users per instance: CreateUser past it answers LimitExceededException
    /// (the service's default quota is 500) [default: no limit].
    #[arg(long, value_name = "N", help_heading = "Quotas")]
    pub max_users: Option<usize>,
    #[command(flatten)]
    pub faults: Box<FaultArgs>,
    /// Close a connection whose request (headers, then body) has not fully
    /// arrived this many milliseconds after it was opened or last answered,
    /// idle keep-alive connections included (at least 100).
    #[arg(
        long,
        value_name = "MS",
        default_value_t = DEFAULT_READ_TIMEOUT.as_millis() as u64,
        value_parser = clap::value_parser!(u64).range(100..)
    )]
    pub read_timeout_ms: u64,
    /// No request log on stderr.
    #[arg(long, short)]
    pub quiet: bool,
    /// Write every answer (operation, status, error type, body) to this
    /// file as JSON Lines: for debugging a client; the tests check each
    /// recorded answer against the service model.
    #[arg(long, value_name = "PATH", hide = true)]
    pub record: Option<PathBuf>,
}

/// `--fault-seed`, `--latency-ms` and the fault rates.
#[derive(Debug, clap::Args)]
pub struct FaultArgs {
    /// Seed of the fault generator, so a run's faults can be replayed.
    #[arg(long, value_name = "N", help_heading = "Fault injection")]
    pub fault_seed: Option<u64>,
    /// Delay added to every API request: N or A-B milliseconds.
    #[arg(long, value_name = "MS", help_heading = "Fault injection")]
    pub latency_ms: Option<Latency>,
    /// Share of API requests answered 500 InternalServiceException, untouched (0 to 1).
    #[arg(
        long,
        value_name = "P",
        default_value_t = 0.0,
        help_heading = "Fault injection"
    )]
    pub fail_rate: f64,
    /// Share of API requests whose connection is closed without an answer, untouched (0 to 1).
    #[arg(
        long,
        value_name = "P",
        default_value_t = 0.0,
        help_heading = "Fault injection"
    )]
    pub drop_rate: f64,
    /// Share of successful writes (CreateUser, …) answered with a 500 or a dropped connection after they were committed (0 to 1).
    #[arg(
        long,
        value_name = "P",
        default_value_t = 0.0,
        help_heading = "Fault injection"
    )]
    pub commit_then_fail_rate: f64,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let store = Arc::new(Store::open(&args.db)?);
    let mut seeds: Vec<(String, Seed)> = vec![];
    if args.demo {
        seeds.push(("the demo instance".to_string(), Seed::demo()));
    }
    for path in &args.seed {
        seeds.push((path.display().to_string(), Seed::from_file(path)?));
    }
    for (source, seed) in &seeds {
        let outcome = store
            .load_seed(seed)
            .with_context(|| format!("loading {source} into {}", args.db.display()))?;
        if outcome == SeedOutcome::AlreadyPresent {
            eprintln!(
                "instance {} is already in {}; {source} not loaded again",
                seed.id,
                args.db.display()
            );
        }
    }
    if seeds.is_empty() && store.instance_ids()?.is_empty() {
        // An empty store answers every call with ResourceNotFound: serve the
        // demo instance instead, as `--local` does on first use, and say so.
        let demo = Seed::demo();
        store
            .load_seed(&demo)
            .with_context(|| format!("loading the demo instance into {}", args.db.display()))?;
        eprintln!(
            "{} held no instance: loaded the demo instance {} ({}); --seed FILE loads your own",
            args.db.display(),
            demo.alias.as_deref().unwrap_or("demo-contact-center"),
            demo.id
        );
    }

    let log: Option<RequestLog> = if args.quiet {
        None
    } else {
        Some(Arc::new(|entry| eprintln!("{entry}")))
    };
    let config = ServerConfig {
        addr: args.addr,
        access_key: args.access_key,
        secret_key: args.secret_key,
        throttle: (!args.no_throttle).then_some((args.rate, args.burst)),
        quota: args.quota,
        faults: FaultConfig {
            seed: args.faults.fault_seed,
            latency: args.faults.latency_ms,
            fail_rate: args.faults.fail_rate,
            drop_rate: args.faults.drop_rate,
            commit_then_fail_rate: args.faults.commit_then_fail_rate,
        },
        log,
        record: args.record,
        read_timeout: Duration::from_millis(args.read_timeout_ms),
    };
    let default_keys = config.access_key == "test" && config.secret_key == "test";
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(async move {
        let mut service = Service::new(store).with_max_users(args.max_users);
        if let Some(lag) = args.search_lag_ms.filter(|&lag| lag > 0) {
            service = service.with_search_lag(lag)?;
        }
        let server = Server::bind(config, service).await?;
        if !server.local_addr().ip().is_loopback() {
            eprintln!("{}", exposure_warning(server.local_addr(), default_keys));
        }
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "http://{}", server.local_addr())?;
        stdout.flush()?;
        drop(stdout);
        server.run(shutdown_signal()).await;
        eprintln!("stopped: every answered request is committed");
        Ok(Exit::Success)
    })
}

/// What listening beyond loopback means: the API is as open as its key
/// pair, and the stats endpoint has none.
fn exposure_warning(addr: SocketAddr, default_keys: bool) -> String {
    let keys = if default_keys {
        "the default key pair test/test, which anyone can guess: set --access-key and --secret-key"
    } else {
        "the key pair given with --access-key and --secret-key"
    };
    format!(
        "warning: listening on {addr}, reachable from other machines. Anyone who can reach it can \
         read and change this instance's users with {keys}; GET /_local/stats answers without a \
         signature. Listen on 127.0.0.1 unless other machines must reach it."
    )
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    eprintln!("shutting down: finishing requests in flight");
}
