//! `local serve`: the local instance over the real Amazon Connect wire
//! protocol (REST-JSON, SigV4), for any instance in the store.
//!
//! Every API request passes one gate before its handler: SigV4 check (403),
//! the quota (429 ThrottlingException; a bucket per operation, or one
//! shared), then the injected
//! faults; each is counted for `GET /_local/stats` and logged. The stats
//! path, like `POST /_local/password-check`, is one the real API never
//! uses; the stats need no signature, the password check does.

pub mod answers;
pub mod auth;
pub mod config_routes;
mod config_search;
pub mod conn;
pub mod criteria;
pub mod faults;
mod list_condition;
pub mod operations;
pub mod password_check;
pub mod quota;
pub mod record;
pub mod routes;
mod serve;
pub mod stats;
pub mod updates;
pub mod wire;
pub mod wire_config;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use anyhow::Context;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};

use crate::connect::{ApiError, ApiErrorKind};
use crate::local::ids::random_uuid;
use crate::local::service::Service;
use auth::KeyPair;
use conn::{ConnHandle, DroppableListener};
use faults::{FaultConfig, Faults};
use quota::Quotas;
use record::Recorder;
use stats::{LogEntry, Outcome, Stats};
use wire::error_response;

/// Where request log entries go (the command writes them to stderr).
pub type RequestLog = Arc<dyn Fn(&LogEntry) + Send + Sync>;

/// Largest request body accepted.
const MAX_BODY: usize = 1 << 20;

/// How the server runs.
#[derive(Clone)]
pub struct ServerConfig {
    pub addr: SocketAddr,
    pub access_key: String,
    pub secret_key: String,
    /// Requests a second and burst of the quota; `None` = no quota.
    pub throttle: Option<(f64, u32)>,
    /// One bucket per operation, or one shared.
    pub quota: crate::connect::pacers::Quota,
    pub faults: FaultConfig,
    pub log: Option<RequestLog>,
    /// `--record`: where to write every answer (JSON Lines).
    pub record: Option<PathBuf>,
    /// How long a connection may take to send a request's headers (from
    /// accept, or from its last answer) and then its body.
    pub read_timeout: Duration,
}

/// The default of [`ServerConfig::read_timeout`]: far more than any client
/// needs on a local network, and short enough that idle sockets cannot
/// pile up to the open-file limit for long.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// What every API request passes through.
struct Gate {
    keys: KeyPair,
    throttle: Option<Quotas>,
    faults: Faults,
    stats: Arc<Stats>,
    log: Option<RequestLog>,
    recorder: Option<Recorder>,
    read_timeout: Duration,
}

/// A bound server, ready to run.
pub struct Server {
    listener: DroppableListener,
    app: Router,
    local_addr: SocketAddr,
    stats: Arc<Stats>,
    read_timeout: Duration,
}

impl Server {
    /// Binds the address; port 0 picks a free port (see [`Server::local_addr`]).
    pub async fn bind(config: ServerConfig, service: Service) -> anyhow::Result<Server> {
        config.faults.validate()?;
        let throttle = config
            .throttle
            .map(|(rate, burst)| Quotas::new(config.quota, rate, burst))
            .transpose()?;
        let stats = Arc::new(Stats::default());
        let keys = KeyPair::new(&config.access_key, &config.secret_key);
        let gate = Arc::new(Gate {
            keys: keys.clone(),
            throttle,
            faults: Faults::new(config.faults.clone()),
            stats: stats.clone(),
            log: config.log.clone(),
            recorder: config.record.as_deref().map(Recorder::create).transpose()?,
            read_timeout: config.read_timeout,
        });
        let app = routes::router(service.clone())
            .layer(axum::middleware::from_fn_with_state(gate, gate_layer))
            .route(
                "/_local/stats",
                get(stats_handler).with_state(stats.clone()),
            )
            .route(
                "/_local/password-check",
                post(password_check::handler)
                    .with_state(password_check::PasswordCheck { service, keys }),
            );
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .with_context(|| format!("binding {}", config.addr))?;
        let local_addr = listener.local_addr()?;
        Ok(Server {
            listener: DroppableListener(listener),
            app,
            local_addr,
            stats,
            read_timeout: config.read_timeout,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    pub fn stats(&self) -> Arc<Stats> {
        self.stats.clone()
    }

    /// Serves until `shutdown` completes, then stops accepting, lets the
    /// requests in flight finish, and returns.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) {
        serve::serve(self.listener, self.app, self.read_timeout, shutdown).await;
    }
}

async fn stats_handler(State(stats): State<Arc<Stats>>) -> Json<serde_json::Value> {
    Json(stats.snapshot())
}

async fn gate_layer(State(gate): State<Arc<Gate>>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().to_string();
    let path = req.uri().path().to_string();
    let operation = operations::operation(req.method(), &path);
    let conn = req
        .extensions()
        .get::<ConnectInfo<ConnHandle>>()
        .map(|info| info.0.clone());
    let (mut response, outcome) = gate.process(operation, conn, req, next).await;
    if let Ok(id) = HeaderValue::from_str(&random_uuid()) {
        response.headers_mut().insert("x-amzn-requestid", id);
    }
    if let (Some(recorder), Outcome::Status(_)) = (&gate.recorder, outcome) {
        response = recorder.record(operation, response).await;
    }
    gate.finish(operation, &method, &path, outcome, start);
    response
}

impl Gate {
    fn finish(
        &self,
        operation: &'static str,
        method: &str,
        path: &str,
        outcome: Outcome,
        start: Instant,
    ) {
        self.stats.record(operation, outcome);
        if let Some(log) = &self.log {
            log(&LogEntry {
                method: method.to_string(),
                path: path.to_string(),
                operation,
                outcome,
                latency: start.elapsed(),
            });
        }
    }

    async fn process(
        &self,
        operation: &'static str,
        conn: Option<ConnHandle>,
        req: Request,
        next: Next,
    ) -> (Response, Outcome) {
        let refuse = |err: ApiError| {
            let response = error_response(&err);
            let status = response.status().as_u16();
            (response, Outcome::Status(status))
        };
        let dropped = |conn: Option<ConnHandle>| {
            if let Some(conn) = conn {
                conn.drop_connection();
            }
            (
                StatusCode::INTERNAL_SERVER_ERROR.into_response(),
                Outcome::Dropped,
            )
        };

        let (parts, body) = req.into_parts();
        // A body that stalls holds the connection like half-sent headers:
        // closed, unanswered, once the read timeout has passed.
        let body =
            match tokio::time::timeout(self.read_timeout, axum::body::to_bytes(body, MAX_BODY))
                .await
            {
                Err(_) => return dropped(conn),
                Ok(Err(_)) => {
                    return refuse(ApiError::new(
                        ApiErrorKind::InvalidRequest,
                        "SerializationException",
                        "request body unreadable or over 1 MiB",
                    ))
                }
                Ok(Ok(body)) => body,
            };
        if let Err(err) = auth::verify(&parts, &body, &self.keys, SystemTime::now()) {
            return refuse(err);
        }
        if operations::is_throttled(operation)
            && self.throttle.as_ref().is_some_and(|t| !t.admit(operation))
        {
            return refuse(ApiError::new(
                ApiErrorKind::Throttling,
                "ThrottlingException",
                "Rate exceeded",
            ));
        }
        let draw = self.faults.draw();
        if !draw.latency.is_zero() {
            tokio::time::sleep(draw.latency).await;
        }
        if draw.fail {
            return refuse(wire::internal_error("Injected failure (--fail-rate)"));
        }
        if draw.drop {
            return dropped(conn);
        }
        let response = next.run(Request::from_parts(parts, Body::from(body))).await;
        match draw.commit_then_fail {
            Some(drop) if operations::is_write(operation) && response.status().is_success() => {
                if drop {
                    dropped(conn)
                } else {
                    refuse(wire::internal_error(
                        "Injected failure after commit (--commit-then-fail-rate)",
                    ))
                }
            }
            _ => {
                let status = response.status().as_u16();
                (response, Outcome::Status(status))
            }
        }
    }
}
