//! SigV4 verification: like AWS, every request must be signed for service
//! `connect` with the configured key pair.
//!
//! The signature is recomputed with the `aws-sigv4` crate over the headers
//! the client says it signed, at the client's `x-amz-date`, and compared
//! with the one it sent. Requests whose date is more than 15 minutes from
//! now are rejected as the service does.

use std::time::{Duration, SystemTime};

use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_smithy_runtime_api::client::identity::Identity;

use crate::connect::{ApiError, ApiErrorKind};

/// How far a request's `x-amz-date` may be from the server's clock.
pub const MAX_CLOCK_SKEW: Duration = Duration::from_secs(15 * 60);

/// The key pair requests must be signed with.
#[derive(Clone)]
pub struct KeyPair {
    pub access_key: String,
    identity: Identity,
}

impl KeyPair {
    pub fn new(access_key: &str, secret_key: &str) -> KeyPair {
        let creds = aws_credential_types::Credentials::new(
            access_key,
            secret_key,
            None,
            None,
            "local-serve",
        );
        KeyPair {
            access_key: access_key.to_string(),
            identity: creds.into(),
        }
    }
}

fn denied(code: &str, message: impl Into<String>) -> ApiError {
    ApiError::new(ApiErrorKind::Authentication, code, message)
}

/// The parts of an `Authorization: AWS4-HMAC-SHA256 ...` header.
struct Authorization<'a> {
    access_key: &'a str,
    date: &'a str,
    region: &'a str,
    service: &'a str,
    signed_headers: Vec<&'a str>,
    signature: &'a str,
}

fn parse_authorization(value: &str) -> Option<Authorization<'_>> {
    let rest = value.strip_prefix("AWS4-HMAC-SHA256")?.trim_start();
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (key, val) = part.trim().split_once('=')?;
        match key {
            "Credential" => credential = Some(val),
            "SignedHeaders" => signed = Some(val),
            "Signature" => signature = Some(val),
            _ => return None,
        }
    }
    let scope: Vec<&str> = credential?.split('/').collect();
    let [access_key, date, region, service, "aws4_request"] = scope.as_slice() else {
        return None;
    };
    Some(Authorization {
        access_key,
        date,
        region,
        service,
        signed_headers: signed?.split(';').collect(),
        signature: signature?,
    })
}

fn parse_amz_date(value: &str) -> Option<SystemTime> {
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    let parsed = time::PrimitiveDateTime::parse(value, &format).ok()?;
    Some(parsed.assume_utc().into())
}

/// Checks a request's signature; `Err` is the 403 to answer.
pub fn verify(
    parts: &http::request::Parts,
    body: &[u8],
    keys: &KeyPair,
    now: SystemTime,
) -> Result<(), ApiError> {
    let Some(header) = parts.headers.get(http::header::AUTHORIZATION) else {
        return Err(denied(
            "MissingAuthenticationTokenException",
            "Missing Authentication Token",
        ));
    };
    let auth = header
        .to_str()
        .ok()
        .and_then(parse_authorization)
        .ok_or_else(|| {
            denied(
                "IncompleteSignatureException",
                "The Authorization header is not a valid AWS4-HMAC-SHA256 signature",
            )
        })?;
    if auth.access_key != keys.access_key {
        return Err(denied(
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
        ));
    }
    if auth.service != "connect" {
        return Err(denied(
            "InvalidSignatureException",
            format!(
                "Credential should be scoped to correct service: 'connect', not '{}'.",
                auth.service
            ),
        ));
    }
    let amz_date = parts
        .headers
        .get("x-amz-date")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            denied(
                "IncompleteSignatureException",
                "Authorization header requires the x-amz-date header",
            )
        })?;
    let time = parse_amz_date(amz_date)
        .filter(|_| amz_date.starts_with(auth.date))
        .ok_or_else(|| {
            denied(
                "IncompleteSignatureException",
                format!("x-amz-date '{amz_date}' does not match the credential scope"),
            )
        })?;
    let skew = now
        .duration_since(time)
        .or_else(|e| Ok::<_, ()>(e.duration()))
        .unwrap_or_default();
    if skew > MAX_CLOCK_SKEW {
        return Err(denied(
            "InvalidSignatureException",
            format!(
                "Signature expired: {amz_date} is more than 15 minutes from the server's time."
            ),
        ));
    }

    // Only the headers the client signed take part, so unsigned headers
    // added on the way (user-agent, proxies) cannot break the check.
    let mut headers: Vec<(&str, &str)> = vec![];
    for name in &auth.signed_headers {
        if *name == "x-amz-date" {
            continue; // the signer writes it from `time`
        }
        let mut values = parts.headers.get_all(*name).iter().peekable();
        if values.peek().is_none() {
            return Err(mismatch());
        }
        for value in values {
            headers.push((name, value.to_str().map_err(|_| mismatch())?));
        }
    }
    // The payload hash is always the body's own: `UNSIGNED-PAYLOAD` is an
    // Amazon S3 option (and Smithy's `@unsignedPayload`, which no Connect
    // operation has), so a request signed with it does not verify here, as
    // it would not at the service, and no body goes unchecked.
    let body = SignableBody::Bytes(body);
    let uri = parts.uri.to_string();
    let request = SignableRequest::new(
        parts.method.as_str(),
        uri.as_str(),
        headers.into_iter(),
        body,
    )
    .map_err(|_| mismatch())?;
    let mut settings = SigningSettings::default();
    settings.excluded_headers = None;
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&keys.identity)
        .region(auth.region)
        .name("connect")
        .time(time)
        .settings(settings)
        .build()
        .map_err(|_| mismatch())?
        .into();
    let expected = sign(request, &params).map_err(|_| mismatch())?;
    if constant_time_eq(expected.signature().as_bytes(), auth.signature.as_bytes()) {
        Ok(())
    } else {
        Err(mismatch())
    }
}

fn mismatch() -> ApiError {
    denied(
        "InvalidSignatureException",
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
    )
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Signs a request the way a client does, with the same crate.
    fn signed(secret: &str, at: SystemTime, body: &'static [u8]) -> http::request::Parts {
        signed_with(secret, at, SignableBody::Bytes(body))
    }

    fn signed_with(secret: &str, at: SystemTime, body: SignableBody<'_>) -> http::request::Parts {
        let keys = KeyPair::new("test", secret);
        let date = time::OffsetDateTime::from(at)
            .format(time::macros::format_description!(
                "[year][month][day]T[hour][minute][second]Z"
            ))
            .unwrap();
        let headers = [
            ("host", "127.0.0.1:9"),
            ("content-type", "application/json"),
        ];
        let req = SignableRequest::new("PUT", "/users/i-1", headers.into_iter(), body).unwrap();
        let params = aws_sigv4::sign::v4::SigningParams::builder()
            .identity(&keys.identity)
            .region("us-east-1")
            .name("connect")
            .time(at)
            .settings(SigningSettings::default())
            .build()
            .unwrap()
            .into();
        let (instructions, _) = sign(req, &params).unwrap().into_parts();
        let mut request = http::Request::builder().method("PUT").uri("/users/i-1");
        for (name, value) in headers {
            request = request.header(name, value);
        }
        let mut request = request.body(()).unwrap();
        instructions.apply_to_request_http1x(&mut request);
        assert!(
            request
                .headers()
                .get("x-amz-date")
                .unwrap()
                .to_str()
                .unwrap()
                == date
        );
        request.into_parts().0
    }

    #[test]
    fn accepts_a_good_signature_and_rejects_others() {
        let now = SystemTime::now();
        let keys = KeyPair::new("test", "test");
        let parts = signed("test", now, b"{}");
        assert_eq!(verify(&parts, b"{}", &keys, now), Ok(()));
        let err = verify(&parts, b"{\"x\":1}", &keys, now).unwrap_err();
        assert_eq!(err.code, "InvalidSignatureException");
        let err = verify(&signed("wrong", now, b"{}"), b"{}", &keys, now).unwrap_err();
        assert_eq!(err.code, "InvalidSignatureException");
        let late = now + Duration::from_secs(16 * 60);
        assert!(verify(&parts, b"{}", &keys, late)
            .unwrap_err()
            .message
            .contains("expired"));
        let (unsigned, _) = http::Request::get("/instance")
            .body(())
            .unwrap()
            .into_parts();
        assert_eq!(
            verify(&unsigned, b"", &keys, now).unwrap_err().code,
            "MissingAuthenticationTokenException"
        );
        let unsigned = signed_with("test", now, SignableBody::UnsignedPayload);
        assert_eq!(
            verify(&unsigned, b"{}", &keys, now).unwrap_err().code,
            "InvalidSignatureException"
        );
        let other = KeyPair::new("other", "test");
        assert_eq!(
            verify(&parts, b"{}", &other, now).unwrap_err().code,
            "UnrecognizedClientException"
        );
    }
}
