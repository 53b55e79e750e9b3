//! The JSON the service answers with, built from the domain types. Member
//! names are the service model's; absent values are left out, as the
//! service does.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::connect::{NamedResource, PhoneConfig, UserConfig};
use crate::local::db::InstanceRow;
use crate::local::service::{UserListing, UserRecord};
use crate::user::PhoneType;

/// Drops `null` members, which the service leaves out.
pub fn compact(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, compact(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(compact).collect()),
        other => other,
    }
}

pub fn named_json(resource: &NamedResource) -> Value {
    json!({ "Id": resource.id, "Arn": resource.arn, "Name": resource.name })
}

pub fn instance_json(row: &InstanceRow) -> Value {
    let base = &row.arn_base;
    let alias = row.alias.clone().unwrap_or_else(|| row.id.clone());
    compact(json!({
        "Id": row.id,
        "Arn": base.instance(),
        "IdentityManagementType": row.identity.api_name(),
        "InstanceAlias": row.alias,
        "CreatedTime": row.created_time,
        "ServiceRole": format!("arn:aws:iam::{}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect", base.account),
        "InstanceStatus": "ACTIVE",
        "InboundCallsEnabled": true,
        "OutboundCallsEnabled": true,
        "InstanceAccessUrl": format!("https://{alias}.my.connect.aws"),
    }))
}

fn region_of(arn: &str) -> &str {
    arn.split(':').nth(3).unwrap_or_default()
}

/// `PhoneConfig`. The service answers `DeskPhoneNumber` for every user, ""
/// when there is none (clients read it unconditionally). SearchUsers gives
/// the ACW timeout in milliseconds, DescribeUser in seconds.
fn phone_json(phone: Option<&PhoneConfig>, acw_unit: i64) -> Value {
    let Some(phone) = phone else {
        return Value::Null;
    };
    json!({
        "PhoneType": phone.phone_type.map(PhoneType::api_name),
        "AutoAccept": phone.auto_accept,
        "AfterContactWorkTimeLimit": phone.after_contact_work_time_limit.map(|s| i64::from(s) * acw_unit),
        "DeskPhoneNumber": phone.desk_phone_number.clone().unwrap_or_default(),
        "PersistentConnection": phone.persistent_connection,
    })
}

/// A list member, left out when empty.
fn list(items: Vec<Value>) -> Value {
    if items.is_empty() {
        Value::Null
    } else {
        Value::Array(items)
    }
}

/// The five per-channel lists, by member name.
fn config_json(config: &UserConfig) -> [(&'static str, Value); 5] {
    let limit = |seconds: i32| json!({ "AfterContactWorkTimeLimit": seconds });
    [
        (
            "AutoAcceptConfigs",
            list(
                config
                    .auto_accept
                    .iter()
                    .map(|c| {
                        json!({
                            "Channel": c.channel.api_name(),
                            "AutoAccept": c.auto_accept,
                            "AgentFirstCallbackAutoAccept": c.agent_first_callback_auto_accept,
                        })
                    })
                    .collect(),
            ),
        ),
        (
            "AfterContactWorkConfigs",
            list(
                config
                    .after_contact_work
                    .iter()
                    .map(|c| {
                        json!({
                            "Channel": c.channel.api_name(),
                            "AfterContactWorkConfig": limit(c.time_limit),
                            "AgentFirstCallbackAfterContactWorkConfig":
                                c.agent_first_callback_time_limit.map(limit),
                        })
                    })
                    .collect(),
            ),
        ),
        (
            "PhoneNumberConfigs",
            list(
                config
                    .phone_number
                    .iter()
                    .map(|c| {
                        json!({
                            "Channel": c.channel.api_name(),
                            "PhoneType": c.phone_type.api_name(),
                            "PhoneNumber": c.phone_number,
                        })
                    })
                    .collect(),
            ),
        ),
        (
            "PersistentConnectionConfigs",
            list(
                config
                    .persistent_connection
                    .iter()
                    .map(|c| {
                        json!({
                            "Channel": c.channel.api_name(),
                            "PersistentConnection": c.persistent_connection,
                        })
                    })
                    .collect(),
            ),
        ),
        (
            "VoiceEnhancementConfigs",
            list(
                config
                    .voice_enhancement
                    .iter()
                    .map(|c| {
                        json!({
                            "Channel": c.channel.api_name(),
                            "VoiceEnhancementMode": c.mode.api_name(),
                        })
                    })
                    .collect(),
            ),
        ),
    ]
}

/// A tag map, left out when empty (the model's `TagMap` holds 1 to 50).
pub fn tags_json(tags: &BTreeMap<String, String>) -> Value {
    if tags.is_empty() {
        Value::Null
    } else {
        json!(tags)
    }
}

/// The members DescribeUser's `User` and SearchUsers' `UserSearchSummary` share.
fn user_members(record: &UserRecord, acw_unit: i64) -> Map<String, Value> {
    let user = &record.user;
    let f = &user.fields;
    let mut members = Map::new();
    for (key, value) in [
        ("Id", json!(user.id)),
        ("Arn", json!(user.arn)),
        ("Username", json!(f.username)),
        ("PhoneConfig", phone_json(f.phone_config.as_ref(), acw_unit)),
        ("DirectoryUserId", json!(record.directory_user_id)),
        ("SecurityProfileIds", json!(f.security_profile_ids)),
        ("RoutingProfileId", json!(f.routing_profile_id)),
        ("HierarchyGroupId", json!(f.hierarchy_group_id)),
        ("Tags", tags_json(&f.tags)),
    ]
    .into_iter()
    .chain(config_json(&f.config))
    {
        members.insert(key.to_string(), value);
    }
    members
}

/// DescribeUser's `User`.
pub fn user_json(record: &UserRecord) -> Value {
    let info = &record.user.fields.identity_info;
    let mut members = user_members(record, 1);
    members.insert(
        "IdentityInfo".into(),
        json!({
            "FirstName": info.first_name,
            "LastName": info.last_name,
            "Email": info.email,
            "SecondaryEmail": info.secondary_email,
            "Mobile": info.mobile,
        }),
    );
    members.insert("LastModifiedTime".into(), json!(record.modified_time));
    members.insert(
        "LastModifiedRegion".into(),
        json!(region_of(&record.user.arn)),
    );
    compact(Value::Object(members))
}

/// SearchUsers' `UserSearchSummary` (its `IdentityInfo` is the lite form;
/// its `PhoneConfig.AfterContactWorkTimeLimit` is in milliseconds).
pub fn user_search_json(record: &UserRecord) -> Value {
    let info = &record.user.fields.identity_info;
    let mut members = user_members(record, 1000);
    members.insert(
        "IdentityInfo".into(),
        json!({ "FirstName": info.first_name, "LastName": info.last_name }),
    );
    compact(Value::Object(members))
}

/// ListUsers' `UserSummary`.
pub fn user_summary_json(listing: &UserListing) -> Value {
    let s = &listing.summary;
    json!({
        "Id": s.id,
        "Arn": s.arn,
        "Username": s.username,
        "LastModifiedTime": listing.modified_time,
        "LastModifiedRegion": region_of(&s.arn),
    })
}

/// `LevelOne` … `LevelFive` keys of a hierarchy path or structure.
pub fn levels_json(levels: &[NamedResource]) -> Value {
    const NAMES: [&str; 5] = [
        "LevelOne",
        "LevelTwo",
        "LevelThree",
        "LevelFour",
        "LevelFive",
    ];
    Value::Object(
        NAMES
            .iter()
            .zip(levels)
            .map(|(name, level)| (name.to_string(), named_json(level)))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_drops_nulls() {
        assert_eq!(
            compact(json!({"a": null, "b": {"c": null, "d": 1}})),
            json!({"b": {"d": 1}})
        );
    }
}
