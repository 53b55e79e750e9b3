//! `POST /_local/password-check`: whether a password is a user's, for tests
//! that prove generated passwords "log in". Local-only like `/_local/stats`:
//! a path the real API never uses, outside the gate (no quota, faults,
//! request log or `--record`), so the password in the body is never logged
//! or recorded. Unlike the stats it must be signed like an API request
//! (SigV4, service `connect`, the server's key pair): it answers whether a
//! guess is right, so on a server others can reach it would otherwise let
//! anyone try passwords. The body is `{"instance_id", "user_login",
//! "password"}`; the answer `{"result": "matches" | "differs" |
//! "no-password" | "no-user"}`.

use std::time::SystemTime;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::local::server::auth::{self, KeyPair};
use crate::local::server::wire::error_response;
use crate::local::service::Service;

/// What the endpoint needs: the store, and the key pair requests are signed with.
#[derive(Clone)]
pub struct PasswordCheck {
    pub service: Service,
    pub keys: KeyPair,
}

/// The request. No `Debug`: it holds a password.
#[derive(serde::Deserialize)]
struct Check {
    instance_id: String,
    user_login: String,
    password: String,
}

pub async fn handler(State(endpoint): State<PasswordCheck>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (
            StatusCode::BAD_REQUEST,
            "request body unreadable or over 64 KiB",
        )
            .into_response();
    };
    if let Err(err) = auth::verify(&parts, &body, &endpoint.keys, SystemTime::now()) {
        return error_response(&err);
    }
    let Ok(check) = serde_json::from_slice::<Check>(&body) else {
        return (
            StatusCode::BAD_REQUEST,
            Json(serde_json::json!({
                "message": "expected {\"instance_id\", \"user_login\", \"password\"}"
            })),
        )
            .into_response();
    };
    match endpoint.service.store().check_password(
        &check.instance_id,
        &check.user_login,
        &check.password,
    ) {
        Ok(result) => Json(serde_json::json!({ "result": result.name() })).into_response(),
        Err(err) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(serde_json::json!({ "message": format!("{err:#}") })),
        )
            .into_response(),
    }
}
