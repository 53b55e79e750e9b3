//! SDK errors reduced to [`ApiError`]: the service's error type and message
//! for an answer, `Transport` for a request that got no answer,
//! `Authentication` for one that never left because no credentials could be
//! loaded, and `CertificateRejected` for a TLS handshake that refused the
//! server's certificate — each in a line a user can act on, not the SDK's
//! whole chain.

use aws_sdk_connect::error::{ProvideErrorMetadata, SdkError};

use super::{ApiError, ApiErrorKind};

/// Reduces any SDK error to the service's error type and message. Requests
/// the service never answered (connection refused or dropped, timeouts) are
/// `Transport`; everything else keeps the SDK's full explanation.
pub(super) fn api_error<E>(err: SdkError<E, aws_smithy_runtime_api::http::Response>) -> ApiError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    use aws_smithy_types::error::display::DisplayErrorContext;
    match tls_failure(&err) {
        Some(tls) if about_the_certificate(tls) => {
            return ApiError::new(
                ApiErrorKind::Other,
                super::watch::CERTIFICATE_REJECTED,
                tls.to_string(),
            );
        }
        // What answered is not TLS (an `https://` URL of a plain HTTP
        // server): a transport failure, final when it is the run's first.
        Some(tls @ rustls::Error::InvalidMessage(rustls::InvalidMessage::InvalidContentType)) => {
            return ApiError::new(
                ApiErrorKind::Transport,
                super::watch::NOT_TLS,
                tls.to_string(),
            );
        }
        _ => {}
    }
    match &err {
        SdkError::ServiceError(service) => {
            let status = service.raw().status().as_u16();
            let code = service.err().code().unwrap_or("UnknownError").to_string();
            let message = service.err().message().unwrap_or("").to_string();
            ApiError {
                kind: kind_of(&code, status),
                code,
                message,
            }
        }
        _ if credentials_missing(&err) => ApiError::new(
            ApiErrorKind::Authentication,
            "NoCredentials",
            credentials_message(&err),
        ),
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_) => {
            let code = if refused(&err) {
                super::watch::CONNECTION_REFUSED
            } else {
                "NoAnswer"
            };
            ApiError::new(ApiErrorKind::Transport, code, transport_message(&err))
        }
        _ => ApiError::new(
            ApiErrorKind::Other,
            "ClientError",
            DisplayErrorContext(&err).to_string(),
        ),
    }
}

/// Whether the connection was refused: nothing listens at the address.
fn refused(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(err);
    while let Some(e) = cause {
        if e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::ConnectionRefused)
        {
            return true;
        }
        cause = e.source();
    }
    false
}

/// The TLS error a request failed with, if that is what failed. rustls's
/// error sits inside `io::Error`s (two, from the SDK's client), whose
/// `source()` skips what they wrap, so each is opened in turn.
fn tls_failure<'e>(err: &'e (dyn std::error::Error + 'static)) -> Option<&'e rustls::Error> {
    let mut cause = Some(err);
    while let Some(e) = cause {
        let mut wrapped = Some(e);
        while let Some(w) = wrapped {
            if let Some(tls) = w.downcast_ref::<rustls::Error>() {
                return Some(tls);
            }
            wrapped = w
                .downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
                .map(|inner| inner as &(dyn std::error::Error + 'static));
        }
        cause = e.source();
    }
    None
}

/// Whether the TLS handshake refused the server's certificate: no retry
/// changes the certificate or the trusted roots.
fn about_the_certificate(err: &rustls::Error) -> bool {
    matches!(
        err,
        rustls::Error::InvalidCertificate(_)
            | rustls::Error::NoCertificatesPresented
            | rustls::Error::UnsupportedNameType
            | rustls::Error::InvalidCertRevocationList(_)
    )
}

/// Whether the request never left because no credentials could be loaded
/// (none configured, or an unknown profile).
fn credentials_missing(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(err);
    while let Some(e) = cause {
        if e.is::<aws_credential_types::provider::error::CredentialsError>() {
            return true;
        }
        cause = e.source();
    }
    false
}

/// A credentials failure in one line: the profile that does not exist when
/// that is the cause, else which sources were tried — not the SDK's whole
/// report (a line per provider).
fn credentials_message(err: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = Some(err);
    let mut text = String::new();
    while let Some(e) = cause {
        if e.is::<aws_credential_types::provider::error::CredentialsError>() {
            text = e.to_string();
            if let Some(source) = e.source() {
                text = format!("{text}: {source}");
            }
            break;
        }
        cause = e.source();
    }
    summarize_credentials(&text)
}

fn summarize_credentials(text: &str) -> String {
    let missing_profile = text.lines().find_map(|line| {
        let rest = line.split("profile `").nth(1)?;
        let (name, tail) = rest.split_once('`')?;
        tail.contains("was not defined").then(|| name.to_string())
    });
    match missing_profile {
        Some(name) => format!("the profile `{name}` is not defined in the AWS config files"),
        None if text.contains("Attempted:") => "no credentials in the environment, the AWS config \
            and credentials files, web identity, or container or instance metadata"
            .to_string(),
        None => text.lines().next().unwrap_or_default().to_string(),
    }
}

/// A request that got no answer: the innermost cause (connection refused,
/// timed out, …), not the SDK's whole chain.
fn transport_message(err: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = Some(err);
    let mut innermost = err.to_string();
    while let Some(e) = cause {
        innermost = e.to_string();
        cause = e.source();
    }
    let text = match err.source() {
        Some(_) => format!("{err}: {innermost}"),
        None => innermost,
    };
    text.chars().take(300).collect()
}

/// The error kind of a service error type, with the HTTP status as fallback.
pub fn kind_of(code: &str, status: u16) -> ApiErrorKind {
    match code {
        "DuplicateResourceException" => ApiErrorKind::DuplicateResource,
        "ResourceNotFoundException" => ApiErrorKind::ResourceNotFound,
        "InvalidParameterException" => ApiErrorKind::InvalidParameter,
        "InvalidRequestException" => ApiErrorKind::InvalidRequest,
        "ThrottlingException" | "TooManyRequestsException" => ApiErrorKind::Throttling,
        "LimitExceededException" => ApiErrorKind::LimitExceeded,
        "AccessDeniedException" => ApiErrorKind::AccessDenied,
        "InternalServiceException" => ApiErrorKind::InternalService,
        "UnrecognizedClientException"
        | "InvalidSignatureException"
        | "IncompleteSignatureException"
        | "MissingAuthenticationTokenException"
        | "SignatureDoesNotMatch"
        | "ExpiredTokenException"
        | "InvalidClientTokenId" => ApiErrorKind::Authentication,
        _ => match status {
            401 | 403 => ApiErrorKind::Authentication,
            429 => ApiErrorKind::Throttling,
            500..=599 => ApiErrorKind::InternalService,
            _ => ApiErrorKind::Other,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::{api_error, summarize_credentials};
    use crate::connect::ApiErrorKind;
    use aws_sdk_connect::operation::describe_user::DescribeUserError;
    use aws_smithy_runtime_api::client::result::{ConnectorError, SdkError};

    /// A dispatch failure as the SDK's HTTP client reports one: `inner`
    /// in an `io::Error` (tokio-rustls's) in another (hyper-rustls's).
    fn dispatch_failure(
        inner: impl std::error::Error + Send + Sync + 'static,
    ) -> SdkError<DescribeUserError, aws_smithy_runtime_api::http::Response> {
        let tls = std::io::Error::new(std::io::ErrorKind::InvalidData, inner);
        let io = std::io::Error::other(tls);
        SdkError::dispatch_failure(ConnectorError::io(Box::new(io)))
    }

    #[test]
    fn a_rejected_certificate_is_final_and_says_why() {
        let err = api_error(dispatch_failure(rustls::Error::InvalidCertificate(
            rustls::CertificateError::UnknownIssuer,
        )));
        assert_eq!(err.kind, ApiErrorKind::Other);
        assert_eq!(err.code, crate::connect::watch::CERTIFICATE_REJECTED);
        assert_eq!(err.message, "invalid peer certificate: UnknownIssuer");
        assert!(!crate::connect::patience::retryable(&err));
        // Other TLS failures, and plain I/O errors, stay transport errors.
        let err = api_error(dispatch_failure(rustls::Error::DecryptError));
        assert_eq!(err.kind, ApiErrorKind::Transport);
        let err = api_error(dispatch_failure(std::io::Error::from(
            std::io::ErrorKind::ConnectionReset,
        )));
        assert_eq!(err.kind, ApiErrorKind::Transport);
    }

    #[test]
    fn an_answer_that_is_not_tls_is_named_so() {
        let err = api_error(dispatch_failure(rustls::Error::InvalidMessage(
            rustls::InvalidMessage::InvalidContentType,
        )));
        assert_eq!(err.kind, ApiErrorKind::Transport);
        assert_eq!(err.code, crate::connect::watch::NOT_TLS);
    }

    #[test]
    fn credentials_failures_read_in_one_line() {
        let chain = "the credential provider was not enabled: no credentials found in chain. Attempted:\n  \
            Environment: the credential provider was not enabled: environment variable not set\n  \
            Profile: the credential provider was not enabled: profile `ops` was not defined: could not find source profile ops";
        assert_eq!(
            summarize_credentials(chain),
            "the profile `ops` is not defined in the AWS config files"
        );
        let chain = chain.replace("profile `ops` was not defined", "no profiles");
        assert!(summarize_credentials(&chain).starts_with("no credentials in the environment"));
    }
}
