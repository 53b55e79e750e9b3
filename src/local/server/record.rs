//! `local serve --record PATH`: every answer the server gives, as JSON Lines
//! of `{"operation", "status", "error_type", "body"}` — for debugging a
//! client, and for the tests, which check each recorded answer against the
//! service model. Each line is written and flushed before the answer goes
//! out, so a killed server leaves a complete record.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Mutex;

use anyhow::Context;
use axum::body::{to_bytes, Body};
use axum::response::Response;
use serde_json::{json, Value};

/// The record file.
pub struct Recorder {
    out: Mutex<BufWriter<File>>,
}

impl Recorder {
    /// Creates (or truncates) the file.
    pub fn create(path: &Path) -> anyhow::Result<Recorder> {
        let file = File::create(path)
            .with_context(|| format!("creating the record file {}", path.display()))?;
        Ok(Recorder {
            out: Mutex::new(BufWriter::new(file)),
        })
    }

    /// Records an answer and gives it back unchanged.
    pub async fn record(&self, operation: &str, response: Response) -> Response {
        let (parts, body) = response.into_parts();
        let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
        let body_json = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        let error_type = parts
            .headers
            .get("x-amzn-errortype")
            .and_then(|v| v.to_str().ok());
        let line = json!({
            "operation": operation,
            "status": parts.status.as_u16(),
            "error_type": error_type,
            "body": body_json,
        });
        {
            let mut out = self.out.lock().unwrap_or_else(|p| p.into_inner());
            // A full disk must not take the server down: the record is a
            // debugging aid, the answer is what matters.
            let _ = writeln!(out, "{line}").and_then(|()| out.flush());
        }
        Response::from_parts(parts, Body::from(bytes))
    }
}
