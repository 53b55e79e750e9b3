//! `POST /_local/password-check`: whether a password is a user's, for tests
//! that prove generated passwords "log in". Local-only like `/_local/stats`:
//! a path the real API never uses, outside the gate (no signature, quota,
//! faults, request log or `--record`), so the password in the body is never
//! logged or recorded. The body is `{"instance_id", "user_login",
//! "password"}`; the answer `{"result": "matches" | "differs" |
//! "no-password" | "no-user"}`.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::local::service::Service;

/// The request. No `Debug`: it holds a password.
#[derive(serde::Deserialize)]
struct Check {
    instance_id: String,
    user_login: String,
    password: String,
}

pub async fn handler(State(service): State<Service>, body: Bytes) -> Response {
    let Ok(check) = serde_json::from_slice::<Check>(&body) else {
        return (
            StatusCode::BAD_REQUEST,
            Json(serde_json::json!({
                "message": "expected {\"instance_id\", \"user_login\", \"password\"}"
            })),
        )
            .into_response();
    };
    match service
        .store()
        .check_password(&check.instance_id, &check.user_login, &check.password)
    {
        Ok(result) => Json(serde_json::json!({ "result": result.name() })).into_response(),
        Err(err) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(serde_json::json!({ "message": format!("{err:#}") })),
        )
            .into_response(),
    }
}
