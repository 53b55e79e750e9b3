//! What the SDK must not retry: LimitExceededException. The SDK counts it as
//! throttling, but for CreateUser it means a quota such as users per instance
//! is full, and every retry would wait out its backoff only to fail again.

use aws_smithy_runtime_api::client::interceptors::context::InterceptorContext;
use aws_smithy_runtime_api::client::retries::classifiers::{ClassifyRetry, RetryAction};

/// Forbids retrying an answer whose error type is LimitExceededException.
#[derive(Debug, Default)]
pub struct QuotaIsFinal;

impl ClassifyRetry for QuotaIsFinal {
    fn classify_retry(&self, ctx: &InterceptorContext) -> RetryAction {
        let limit_exceeded = ctx
            .response()
            .and_then(|response| response.headers().get("x-amzn-errortype"))
            .is_some_and(|kind| kind.starts_with("LimitExceededException"));
        if limit_exceeded {
            RetryAction::RetryForbidden
        } else {
            RetryAction::NoActionIndicated
        }
    }

    fn name(&self) -> &'static str {
        "LimitExceededExceptionIsFinal"
    }
}
