//! Counts by operation and outcome for `GET /_local/stats`, and the request
//! log entry.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// How a request ended: an HTTP status, or a connection closed unanswered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Status(u16),
    Dropped,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Status(code) => write!(f, "{code}"),
            Outcome::Dropped => f.write_str("dropped"),
        }
    }
}

/// The counters.
#[derive(Debug, Default)]
pub struct Stats {
    requests: AtomicU64,
    operations: Mutex<BTreeMap<&'static str, BTreeMap<String, u64>>>,
}

impl Stats {
    pub fn record(&self, operation: &'static str, outcome: Outcome) {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let mut ops = self.operations.lock().unwrap_or_else(|p| p.into_inner());
        *ops.entry(operation)
            .or_default()
            .entry(outcome.to_string())
            .or_default() += 1;
    }

    /// `{"requests": N, "operations": {"CreateUser": {"200": 3, "dropped": 1}}}`.
    pub fn snapshot(&self) -> serde_json::Value {
        let ops = self.operations.lock().unwrap_or_else(|p| p.into_inner());
        serde_json::json!({
            "requests": self.requests.load(Ordering::Relaxed),
            "operations": *ops,
        })
    }
}

/// One line of the request log.
#[derive(Debug, Clone)]
pub struct LogEntry {
    pub method: String,
    pub path: String,
    pub operation: &'static str,
    pub outcome: Outcome,
    pub latency: Duration,
}

impl fmt::Display for LogEntry {
    /// `PUT /users/… 200 1.3ms CreateUser`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.latency.as_secs_f64() * 1000.0;
        write!(
            f,
            "{} {} {} {ms:.1}ms {}",
            self.method, self.path, self.outcome, self.operation
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_shape() {
        let stats = Stats::default();
        stats.record("CreateUser", Outcome::Status(200));
        stats.record("CreateUser", Outcome::Status(200));
        stats.record("CreateUser", Outcome::Dropped);
        assert_eq!(
            stats.snapshot(),
            serde_json::json!({"requests": 3, "operations": {"CreateUser": {"200": 2, "dropped": 1}}})
        );
    }
}
