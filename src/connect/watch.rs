//! Watching the endpoint's answers, so that a user learns within seconds
//! that it does not answer — which URL, what error, and that requests are
//! being retried — instead of a silent wait for the whole patience.
//!
//! Every attempt of the SDK client passes through [`Watch::attempt`]. An
//! attempt that fails without an answer (or with a 5xx), or that has waited
//! [`SLOW`] for one, starts a *streak* of trouble; the user is told once it
//! has lasted a moment, again every [`REPEAT_EVERY`] in plain output, and
//! when answers come back. A streak of throttling is not trouble: the
//! pacer deals with it.
//!
//! One case is not retried at all: the very first attempt of a run refused
//! outright (connection refused) means nothing listens at that address — a
//! mistyped `--endpoint-url`, a `local serve` not started — and waiting ten
//! minutes for it helps nobody. Any later refusal is an instance that
//! stopped answering, and is waited for like any other failure. Nor is a
//! server certificate the TLS handshake rejects, at any attempt: no retry
//! makes it trusted.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use super::patience::Patience;
use super::{ApiError, ApiErrorKind};

/// An attempt that has waited this long for an answer is trouble.
pub const SLOW: Duration = Duration::from_secs(3);
/// A streak of failures is told once it has lasted this long (a single
/// blip that the next attempt fixes is not worth a line).
const TOLD_AFTER: Duration = Duration::from_millis(800);
/// Plain output repeats the notice this often while the trouble lasts.
pub const REPEAT_EVERY: Duration = Duration::from_secs(30);

/// The error code [`crate::connect::sdk`] gives a connection refused.
pub const CONNECTION_REFUSED: &str = "ConnectionRefused";
/// The code of the first request refused outright: not retried.
pub const NOTHING_LISTENS: &str = "NothingListens";
/// The error code [`crate::connect::sdk`] gives an answer that is not TLS
/// to an `https://` request: final when it is the run's first.
pub const NOT_TLS: &str = "NotTls";
/// The error code [`crate::connect::sdk`] gives a server certificate the
/// TLS handshake rejected: not retried.
pub const CERTIFICATE_REJECTED: &str = "CertificateRejected";

/// What the user is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// Requests fail or wait, and are being retried.
    Failing {
        endpoint: String,
        /// The last failure, or that an answer is late.
        cause: String,
        /// How long the trouble has lasted.
        lasted: Duration,
        patience: Patience,
    },
    /// The endpoint answers again.
    Answering { endpoint: String, after: Duration },
}

impl Notice {
    /// The line shown.
    pub fn text(&self) -> String {
        match self {
            Notice::Failing {
                endpoint,
                cause,
                lasted,
                patience,
            } => {
                let bound = match patience.max_attempts {
                    Some(n) => format!("{n} attempts (--max-attempts)"),
                    None => format!("{} (--patience)", seconds(patience.budget)),
                };
                format!(
                    "{endpoint} is not answering: {cause}; retrying each request for up to \
                     {bound} ({} so far), Ctrl-C to stop",
                    seconds(*lasted)
                )
            }
            Notice::Answering { endpoint, after } => {
                format!("{endpoint} answers again, after {}", seconds(*after))
            }
        }
    }
}

/// `45s`, `10m`, `1h30m`: as `--patience` is written.
fn seconds(duration: Duration) -> String {
    let s = duration.as_secs();
    match (s / 3600, s % 3600 / 60, s % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, 0) => format!("{m}m"),
        (0, m, s) => format!("{m}m{s}s"),
        (h, 0, _) => format!("{h}h"),
        (h, m, _) => format!("{h}h{m}m"),
    }
}

/// Where notices go (the terminal, in the program).
pub type Notify = Box<dyn Fn(&Notice) + Send + Sync>;

/// The answers of one connection's endpoint.
pub struct Watch {
    endpoint: String,
    patience: Patience,
    /// No attempt has been made yet: the next one is the run's first.
    first: AtomicBool,
    trouble: Mutex<Trouble>,
    notify: Notify,
}

#[derive(Debug, Default)]
struct Trouble {
    /// When the current streak started.
    since: Option<Instant>,
    /// When the user was last told of it.
    told: Option<Instant>,
}

impl Watch {
    /// `endpoint`: the URL as messages show it.
    pub fn new(endpoint: impl Into<String>, patience: Patience, notify: Notify) -> Watch {
        Watch {
            endpoint: endpoint.into(),
            patience,
            first: AtomicBool::new(true),
            trouble: Mutex::new(Trouble::default()),
            notify,
        }
    }

    /// One attempt: `send`, watched. A first request refused outright comes
    /// back as a final error ([`NOTHING_LISTENS`]) naming the URL.
    pub async fn attempt<T>(
        &self,
        send: impl Future<Output = Result<T, ApiError>>,
    ) -> Result<T, ApiError> {
        let started = Instant::now();
        let first = self.first.swap(false, Ordering::SeqCst);
        let mut send = std::pin::pin!(send);
        let result = tokio::select! {
            result = &mut send => result,
            _ = tokio::time::sleep(SLOW) => {
                self.trouble(&format!("no answer after {}", seconds(SLOW)), started, true);
                send.await
            }
        };
        self.observe(result, first)
    }

    fn observe<T>(&self, result: Result<T, ApiError>, first: bool) -> Result<T, ApiError> {
        let err = match result {
            Err(err) if err.code == CERTIFICATE_REJECTED => {
                return Err(self.certificate_rejected(&err))
            }
            Err(err)
                if matches!(
                    err.kind,
                    ApiErrorKind::Transport | ApiErrorKind::InternalService
                ) =>
            {
                err
            }
            answered => {
                self.answering();
                return answered;
            }
        };
        if err.code == CONNECTION_REFUSED && first {
            return Err(self.nothing_listens(&err));
        }
        if err.code == NOT_TLS && first {
            return Err(self.not_tls(&err));
        }
        self.trouble(&cause(&err), Instant::now(), false);
        Err(err)
    }

    fn nothing_listens(&self, err: &ApiError) -> ApiError {
        ApiError::new(
            ApiErrorKind::Other,
            NOTHING_LISTENS,
            format!(
                "nothing listens at {}: the first request of the run was refused ({}); check \
                 the endpoint (--endpoint-url, AWS_ENDPOINT_URL_CONNECT or the endpoint-url \
                 setting), or start the server there, e.g. `connect-users local serve`",
                self.endpoint,
                err.message.rsplit(": ").next().unwrap_or(&err.message)
            ),
        )
    }

    /// The message of a rejected certificate: the URL, the reason, and the
    /// places rustls-native-certs (the SDK's TLS roots) reads CAs from.
    fn not_tls(&self, err: &ApiError) -> ApiError {
        ApiError::new(
            ApiErrorKind::Other,
            NOT_TLS,
            format!(
                "{} does not answer in TLS ({}), so no request was sent: if it is a plain HTTP \
                 server (such as `connect-users local serve`), write its URL with http://",
                self.endpoint, err.message
            ),
        )
    }

    fn certificate_rejected(&self, err: &ApiError) -> ApiError {
        ApiError::new(
            ApiErrorKind::Other,
            CERTIFICATE_REJECTED,
            format!(
                "the TLS certificate of {} was rejected ({}), so no request was sent; if the \
                 endpoint is right, its CA must be trusted: install the system's CA \
                 certificates (e.g. the ca-certificates package), or set SSL_CERT_FILE to a \
                 PEM file of CA certificates (or SSL_CERT_DIR to a directory of them), which \
                 then replaces the system's",
                self.endpoint, err.message
            ),
        )
    }

    /// Trouble that began at `began`; `waited`: an attempt has waited
    /// [`SLOW`] already, which is worth telling at once.
    fn trouble(&self, cause: &str, began: Instant, waited: bool) {
        let now = Instant::now();
        let notice = {
            let mut t = self.lock();
            let since = *t.since.get_or_insert(began);
            let due = match t.told {
                None => waited || now.duration_since(since) >= TOLD_AFTER,
                Some(told) => now.duration_since(told) >= REPEAT_EVERY,
            };
            if !due {
                return;
            }
            t.told = Some(now);
            Notice::Failing {
                endpoint: self.endpoint.clone(),
                cause: cause.to_string(),
                lasted: now.duration_since(since),
                patience: self.patience,
            }
        };
        (self.notify)(&notice);
    }

    fn answering(&self) {
        let notice = {
            let mut t = self.lock();
            let (Some(since), Some(_)) = (t.since, t.told) else {
                t.since = None;
                return;
            };
            *t = Trouble::default();
            Notice::Answering {
                endpoint: self.endpoint.clone(),
                after: since.elapsed(),
            }
        };
        (self.notify)(&notice);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Trouble> {
        self.trouble.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A failure in a few words: `connection refused`, `InternalServiceException: …`.
fn cause(err: &ApiError) -> String {
    match err.kind {
        ApiErrorKind::Transport => err
            .message
            .rsplit(": ")
            .next()
            .unwrap_or(&err.message)
            .to_string(),
        _ => format!("{}: {}", err.code, err.message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn watch() -> (Watch, Arc<Mutex<Vec<Notice>>>) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = seen.clone();
        let watch = Watch::new(
            "http://127.0.0.1:9",
            Patience::default(),
            Box::new(move |n: &Notice| sink.lock().unwrap().push(n.clone())),
        );
        (watch, seen)
    }

    fn refused() -> ApiError {
        ApiError::new(
            ApiErrorKind::Transport,
            CONNECTION_REFUSED,
            "dispatch failure: io error: Connection refused (os error 111)",
        )
    }

    #[tokio::test(start_paused = true)]
    async fn a_first_request_refused_outright_is_final() {
        let (watch, seen) = watch();
        let err = watch.attempt(async { Err::<(), _>(refused()) }).await;
        let err = err.unwrap_err();
        assert_eq!(err.code, NOTHING_LISTENS);
        assert!(!super::super::patience::retryable(&err));
        assert!(
            err.message.starts_with(
                "nothing listens at http://127.0.0.1:9: the first request of the run was \
                 refused (Connection refused (os error 111))"
            ),
            "{}",
            err.message
        );
        assert!(seen.lock().unwrap().is_empty());
    }

    #[tokio::test(start_paused = true)]
    async fn a_rejected_certificate_is_final_and_names_the_url() {
        let (watch, seen) = watch();
        let _ = watch.attempt(async { Ok::<_, ApiError>(()) }).await;
        let rejected = ApiError::new(
            ApiErrorKind::Other,
            CERTIFICATE_REJECTED,
            "invalid peer certificate: UnknownIssuer",
        );
        let err = watch.attempt(async { Err::<(), _>(rejected) }).await;
        let err = err.unwrap_err();
        assert!(!super::super::patience::retryable(&err));
        assert!(
            err.message.starts_with(
                "the TLS certificate of http://127.0.0.1:9 was rejected (invalid peer \
                 certificate: UnknownIssuer)"
            ),
            "{}",
            err.message
        );
        assert!(err.message.contains("SSL_CERT_FILE"), "{}", err.message);
        assert!(seen.lock().unwrap().is_empty());
    }

    #[tokio::test(start_paused = true)]
    async fn an_answer_that_is_not_tls_is_final_first_and_retried_later() {
        let not_tls = || {
            ApiError::new(
                ApiErrorKind::Transport,
                NOT_TLS,
                "received corrupt message of type InvalidContentType",
            )
        };
        let (first, _) = watch();
        let err = first.attempt(async { Err::<(), _>(not_tls()) }).await;
        let err = err.unwrap_err();
        assert!(!super::super::patience::retryable(&err));
        assert!(
            err.message.contains("does not answer in TLS")
                && err.message.contains("write its URL with http://"),
            "{}",
            err.message
        );
        // Mid-run (after an answer) it is a transport failure: retried.
        let (later, _) = watch();
        let _ = later.attempt(async { Ok::<_, ApiError>(()) }).await;
        let err = later.attempt(async { Err::<(), _>(not_tls()) }).await;
        assert!(super::super::patience::retryable(&err.unwrap_err()));
    }

    #[tokio::test(start_paused = true)]
    async fn after_the_first_attempt_a_refusal_is_waited_for_and_told() {
        let (watch, seen) = watch();
        // Any answer to the first attempt, a service error too.
        let not_found = ApiError::new(ApiErrorKind::ResourceNotFound, "ResourceNotFound", "x");
        let _ = watch.attempt(async { Err::<(), _>(not_found) }).await;
        // The instance stops answering: retried (Transport), told once the
        // streak has lasted a moment, not at the first blip.
        let err = watch.attempt(async { Err::<(), _>(refused()) }).await;
        assert_eq!(err.unwrap_err().kind, ApiErrorKind::Transport);
        assert!(seen.lock().unwrap().is_empty());
        tokio::time::advance(Duration::from_secs(1)).await;
        let _ = watch.attempt(async { Err::<(), _>(refused()) }).await;
        tokio::time::advance(Duration::from_secs(5)).await;
        let _ = watch.attempt(async { Err::<(), _>(refused()) }).await;
        let _ = watch.attempt(async { Ok::<_, ApiError>(()) }).await;
        let seen = seen.lock().unwrap();
        let texts: Vec<String> = seen.iter().map(Notice::text).collect();
        assert_eq!(texts.len(), 2, "{texts:?}");
        assert_eq!(
            texts[0],
            "http://127.0.0.1:9 is not answering: Connection refused (os error 111); retrying \
             each request for up to 10m (--patience) (1s so far), Ctrl-C to stop"
        );
        assert_eq!(texts[1], "http://127.0.0.1:9 answers again, after 6s");
    }

    #[tokio::test(start_paused = true)]
    async fn an_answer_that_does_not_come_is_told_within_seconds() {
        let (watch, seen) = watch();
        let started = Instant::now();
        let answer = async {
            tokio::time::sleep(Duration::from_secs(20)).await;
            Ok::<_, ApiError>(7)
        };
        let watched = watch.attempt(answer);
        assert_eq!(watched.await, Ok(7));
        assert_eq!(started.elapsed(), Duration::from_secs(20));
        let seen = seen.lock().unwrap();
        assert!(
            matches!(&seen[0], Notice::Failing { cause, lasted, .. }
                if cause == "no answer after 3s" && *lasted == Duration::from_secs(3)),
            "{seen:?}"
        );
        assert!(matches!(seen[1], Notice::Answering { .. }), "{seen:?}");
    }

    #[test]
    fn durations_read_as_patience_is_written() {
        assert_eq!(seconds(Duration::from_secs(45)), "45s");
        assert_eq!(seconds(Duration::from_secs(600)), "10m");
        assert_eq!(seconds(Duration::from_secs(90)), "1m30s");
        assert_eq!(seconds(Duration::from_secs(5400)), "1h30m");
    }
}
