//! The operations that change an existing user, as an administrator uses
//! them after an import: UpdateUserConfig, UpdateUserRoutingProfile,
//! UpdateUserSecurityProfiles, UpdateUserHierarchy, UpdateUserIdentityInfo,
//! and the user's tags (TagResource, UntagResource, ListTagsForResource).
//!
//! Each is one transaction: the user is read, checked, changed and written
//! back, or nothing changes. The local instance tags users only; any other
//! ARN is refused with a message saying so.

use std::collections::BTreeMap;

use crate::connect::{ApiError, IdentityInfo, UserConfig};
use crate::identity::Identity;
use crate::local::db::NamedKind;
use crate::local::rules;
use crate::local::service::{invalid_parameter, invalid_request, must_exist, not_found, Service};

impl Service {
    /// UpdateUserConfig: sets the listed entries, channel by channel.
    pub fn update_user_config(
        &self,
        instance_id: &str,
        user_id: &str,
        config: &UserConfig,
    ) -> Result<(), ApiError> {
        if config.is_empty() {
            return Err(invalid_parameter(
                "UpdateUserConfig needs at least one of AutoAcceptConfigs, AfterContactWorkConfigs, \
                 PhoneNumberConfigs, PersistentConnectionConfigs and VoiceEnhancementConfigs",
            ));
        }
        rules::check_config(config).map_err(invalid_parameter)?;
        self.update_user(instance_id, user_id, |_, _, row| {
            row.settings.apply_config(config);
            Ok(())
        })
    }

    /// UpdateUserRoutingProfile.
    pub fn update_user_routing_profile(
        &self,
        instance_id: &str,
        user_id: &str,
        routing_profile_id: &str,
    ) -> Result<(), ApiError> {
        self.update_user(instance_id, user_id, |db, inst, row| {
            row.routing_profile_id =
                must_exist(db, NamedKind::RoutingProfile, inst, routing_profile_id)?;
            Ok(())
        })
    }

    /// UpdateUserSecurityProfiles: replaces the user's security profiles.
    pub fn update_user_security_profiles(
        &self,
        instance_id: &str,
        user_id: &str,
        security_profile_ids: &[String],
    ) -> Result<(), ApiError> {
        rules::check_security_profile_ids(security_profile_ids).map_err(invalid_parameter)?;
        self.update_user(instance_id, user_id, |db, inst, row| {
            let ids = security_profile_ids
                .iter()
                .map(|id| must_exist(db, NamedKind::SecurityProfile, inst, id))
                .collect::<Result<Vec<_>, _>>()?;
            // An ID and its ARN are the same profile listed twice.
            rules::check_security_profile_ids(&ids).map_err(invalid_parameter)?;
            row.security_profile_ids = ids;
            Ok(())
        })
    }

    /// UpdateUserHierarchy: assigns a group, or none when `group_id` is `None`.
    pub fn update_user_hierarchy(
        &self,
        instance_id: &str,
        user_id: &str,
        group_id: Option<&str>,
    ) -> Result<(), ApiError> {
        self.update_user(instance_id, user_id, |db, inst, row| {
            row.hierarchy_group_id = group_id
                .map(|group| must_exist(db, NamedKind::HierarchyGroup, inst, group))
                .transpose()?;
            Ok(())
        })
    }

    /// UpdateUserIdentityInfo: replaces the user's identity information
    /// with the one given, under CreateUser's rules. On an
    /// EXISTING_DIRECTORY instance the directory owns first name, last name
    /// and e-mail: setting them is refused, and they are kept.
    pub fn update_user_identity_info(
        &self,
        instance_id: &str,
        user_id: &str,
        info: &IdentityInfo,
    ) -> Result<(), ApiError> {
        self.update_user(instance_id, user_id, |_, inst, row| {
            let identity = inst.identity;
            let mut next = info.clone();
            if identity == Identity::ExistingDirectory {
                if let Some(member) = [
                    ("FirstName", &info.first_name),
                    ("LastName", &info.last_name),
                    ("Email", &info.email),
                ]
                .iter()
                .find_map(|(member, value)| value.is_some().then_some(member))
                {
                    return Err(invalid_request(format!(
                        "IdentityInfo.{member} cannot be updated on an EXISTING_DIRECTORY instance: the directory manages it"
                    )));
                }
                next.first_name = row.identity_info.first_name.clone();
                next.last_name = row.identity_info.last_name.clone();
                next.email = row.identity_info.email.clone();
            }
            rules::check_identity_info(identity, &next).map_err(invalid_parameter)?;
            row.identity_info = next;
            Ok(())
        })
    }

    /// TagResource on a user's ARN: adds or replaces the given tags.
    pub fn tag_resource(
        &self,
        resource_arn: &str,
        tags: &BTreeMap<String, String>,
    ) -> Result<(), ApiError> {
        rules::check_tags_given("tags", tags).map_err(invalid_parameter)?;
        let (instance_id, user_id) = user_of_arn(resource_arn)?;
        self.check_arn(&instance_id, &user_id, resource_arn)?;
        self.update_user(&instance_id, &user_id, |_, _, row| {
            let mut next = row.tags.clone();
            next.extend(tags.iter().map(|(k, v)| (k.clone(), v.clone())));
            if next.len() > rules::MAX_TAGS {
                let already = row.tags.len();
                return Err(invalid_parameter(format!(
                    "a user holds at most {} tags: this one has {already} already and the request \
                     adds {} new keys, {} in all",
                    rules::MAX_TAGS,
                    next.len() - already,
                    next.len()
                )));
            }
            rules::check_tags(&next).map_err(invalid_parameter)?;
            row.tags = next;
            Ok(())
        })
    }

    /// UntagResource on a user's ARN: removes the keys it has.
    pub fn untag_resource(&self, resource_arn: &str, keys: &[String]) -> Result<(), ApiError> {
        if !(1..=rules::MAX_TAGS).contains(&keys.len()) {
            return Err(invalid_parameter(format!(
                "tagKeys must hold 1 to {} keys, got {}",
                rules::MAX_TAGS,
                keys.len()
            )));
        }
        let (instance_id, user_id) = user_of_arn(resource_arn)?;
        self.check_arn(&instance_id, &user_id, resource_arn)?;
        self.update_user(&instance_id, &user_id, |_, _, row| {
            for key in keys {
                row.tags.remove(key);
            }
            Ok(())
        })
    }

    /// ListTagsForResource on a user's ARN.
    pub fn list_tags(&self, resource_arn: &str) -> Result<BTreeMap<String, String>, ApiError> {
        let (instance_id, user_id) = user_of_arn(resource_arn)?;
        self.check_arn(&instance_id, &user_id, resource_arn)?;
        Ok(self.describe_user(&instance_id, &user_id)?.user.fields.tags)
    }

    /// The ARN names the instance's own region and account.
    fn check_arn(&self, instance_id: &str, user_id: &str, arn: &str) -> Result<(), ApiError> {
        let known = self.describe_instance(instance_id)?.arn_base.user(user_id);
        if known == arn {
            Ok(())
        } else {
            Err(not_found(format!(
                "{arn} is not a resource of this account and region (the user's ARN is {known})"
            )))
        }
    }
}

/// `arn:aws:connect:REGION:ACCOUNT:instance/INSTANCE/agent/USER` → (instance, user).
pub fn user_of_arn(arn: &str) -> Result<(String, String), ApiError> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let resource = match parts.as_slice() {
        ["arn", _, "connect", _, _, resource] => *resource,
        _ => {
            return Err(invalid_parameter(format!(
                "resourceArn '{arn}' is not an Amazon Connect ARN"
            )))
        }
    };
    match resource.split('/').collect::<Vec<_>>().as_slice() {
        ["instance", instance, "agent", user] if !instance.is_empty() && !user.is_empty() => {
            Ok((instance.to_string(), user.to_string()))
        }
        _ => Err(invalid_parameter(format!(
            "resourceArn '{arn}': the local instance tags users only (…:instance/ID/agent/USER_ID)"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_arns() {
        assert_eq!(
            user_of_arn("arn:aws:connect:us-east-1:111122223333:instance/i/agent/u").unwrap(),
            ("i".to_string(), "u".to_string())
        );
        let queue = user_of_arn("arn:aws:connect:us-east-1:1:instance/i/queue/q").unwrap_err();
        assert!(queue.message.contains("tags users only"), "{queue:?}");
        assert!(user_of_arn("arn:aws:s3:::bucket").is_err());
    }
}
