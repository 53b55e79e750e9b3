//! When the instance is not found: which region was asked, and which
//! instances these credentials do see there (ListInstances), so that a
//! mistyped ID, an alias given as an ID, or the wrong region is obvious.

use super::{ApiError, ApiErrorKind, ConnectApi};

/// An entry of ListInstances.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceSummary {
    pub id: String,
    pub arn: String,
    pub alias: Option<String>,
}

/// At most this many instances are named in a message.
const NAMED: usize = 10;

/// What to do about a DescribeInstance that met ResourceNotFound for
/// `instance_id`; `None` for any other error.
pub async fn not_found_help(
    api: &dyn ConnectApi,
    instance_id: &str,
    err: &ApiError,
) -> Option<String> {
    if err.kind != ApiErrorKind::ResourceNotFound {
        return None;
    }
    let region = api.region().map_or_else(
        || "the configured region".to_string(),
        |r| format!("region {r}"),
    );
    Some(help(instance_id, &region, api.list_instances().await))
}

/// The message, from what ListInstances answered.
pub fn help(
    instance_id: &str,
    region: &str,
    listed: Result<Vec<InstanceSummary>, ApiError>,
) -> String {
    let asked = format!("instance {instance_id:?} was not found in {region} of this account");
    let instances = match listed {
        Err(err) => {
            return format!(
                "{asked}: check the ID (or pass the instance's ARN, which names its region), \
                 and --region; the instances could not be listed ({}: {})",
                err.code, err.message
            )
        }
        Ok(instances) => instances,
    };
    if instances.is_empty() {
        return format!(
            "{asked}, where these credentials see no instance at all: check --region (or \
             AWS_REGION, or the profile's region), or pass the instance's ARN, which names its region"
        );
    }
    if let Some(named) = instances.iter().find(|i| {
        i.alias
            .as_deref()
            .is_some_and(|a| a.eq_ignore_ascii_case(instance_id))
    }) {
        return format!(
            "{asked}: {instance_id:?} is the alias of instance {}; pass its ID: --instance-id {}",
            named.id, named.id
        );
    }
    let mut list: Vec<String> = instances
        .iter()
        .take(NAMED)
        .map(|i| match &i.alias {
            Some(alias) => format!("{alias} ({})", i.id),
            None => i.id.clone(),
        })
        .collect();
    if instances.len() > NAMED {
        list.push(format!("and {} more", instances.len() - NAMED));
    }
    format!(
        "{asked}; these credentials see {} there: {}; pass the ID (or ARN) of one of them, or \
         check --region",
        match instances.len() {
            1 => "1 instance".to_string(),
            n => format!("{n} instances"),
        },
        list.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> InstanceSummary {
        InstanceSummary {
            id: "1f3c2b9a".into(),
            arn: "arn:aws:connect:us-east-1:1:instance/1f3c2b9a".into(),
            alias: Some("demo-contact-center".into()),
        }
    }

    #[test]
    fn a_miss_names_the_region_and_the_instances_seen_there() {
        let text = help("1f3c2b9b", "region us-east-1", Ok(vec![demo()]));
        assert_eq!(
            text,
            "instance \"1f3c2b9b\" was not found in region us-east-1 of this account; these \
             credentials see 1 instance there: demo-contact-center (1f3c2b9a); pass the ID (or \
             ARN) of one of them, or check --region"
        );
    }

    #[test]
    fn an_alias_is_told_to_be_one() {
        let text = help("Demo-Contact-Center", "region us-east-1", Ok(vec![demo()]));
        assert!(
            text.ends_with(
                "is the alias of instance 1f3c2b9a; pass its ID: --instance-id 1f3c2b9a"
            ),
            "{text}"
        );
    }

    #[test]
    fn no_instance_or_no_listing_points_at_the_region() {
        let text = help("x", "region eu-west-2", Ok(vec![]));
        assert!(
            text.contains("see no instance at all: check --region"),
            "{text}"
        );
        let denied = ApiError::new(ApiErrorKind::AccessDenied, "AccessDeniedException", "no");
        let text = help("x", "region eu-west-2", Err(denied));
        assert!(text.contains("region eu-west-2"), "{text}");
        assert!(text.ends_with("(AccessDeniedException: no)"), "{text}");
    }
}
