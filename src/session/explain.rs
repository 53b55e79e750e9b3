//! What an API error means to a user: the error with a hint of what to do
//! about it (credentials, IAM actions, quotas, the instance, the endpoint).

use crate::connect::config::InstanceTarget;
use crate::connect::{ApiError, ApiErrorKind, IAM_HINT};

/// What to do when no credentials were found.
const NO_CREDENTIALS: &str = "no AWS credentials were found (or the --profile does not exist): \
    pass --profile NAME for a profile in ~/.aws/config, set AWS_ACCESS_KEY_ID and \
    AWS_SECRET_ACCESS_KEY (with AWS_SESSION_TOKEN for temporary ones), run `aws sso login` \
    for an SSO profile, or run where an IAM role is attached";

/// An API error as a message that says what to do about it.
pub fn explain(err: ApiError, target: &InstanceTarget) -> anyhow::Error {
    match hint(&err, target) {
        Some(hint) => anyhow::Error::new(err).context(hint),
        None => anyhow::Error::new(err),
    }
}

/// An error whose causes include an API error, with what to do about that.
pub fn explain_any(err: anyhow::Error, target: &InstanceTarget) -> anyhow::Error {
    let hint = err
        .chain()
        .find_map(|cause| cause.downcast_ref::<ApiError>())
        .and_then(|api| hint(api, target));
    match hint {
        Some(hint) => err.context(hint),
        None => err,
    }
}

/// What to do about an API error, when the error alone does not say.
fn hint(err: &ApiError, target: &InstanceTarget) -> Option<String> {
    let hint = match err.kind {
        ApiErrorKind::AccessDenied => IAM_HINT.to_string(),
        ApiErrorKind::Authentication if err.code == "NoCredentials" => NO_CREDENTIALS.to_string(),
        ApiErrorKind::Authentication => {
            "the service refused the AWS credentials: check the profile, environment, SSO session \
            or role, and that they belong to the instance's account"
                .to_string()
        }
        ApiErrorKind::LimitExceeded => "a quota of the instance is full — for CreateUser, the \
            users per instance (500 by default): raise it in Service Quotas or remove users, \
            then run the same command again"
            .to_string(),
        ApiErrorKind::ResourceNotFound => format!(
            "check that {} exists in this account and Region",
            target.describe()
        ),
        ApiErrorKind::Transport => format!(
            "no answer from the endpoint of {} after retrying until --patience (or --max-attempts) ran out",
            target.describe()
        ),
        _ => return None,
    };
    Some(hint)
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_denied_names_the_iam_actions() {
        let target = InstanceTarget::Local { db: "x.db".into() };
        let err = ApiError::new(
            ApiErrorKind::AccessDenied,
            "AccessDeniedException",
            "not authorized",
        );
        let text = format!("{:#}", explain(err, &target));
        assert!(
            text.contains("connect:CreateUser") && text.contains("connect:DescribeUser"),
            "{text}"
        );
        assert!(
            text.ends_with("AccessDeniedException: not authorized"),
            "{text}"
        );
    }
}
