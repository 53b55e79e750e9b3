//! The JSON the service answers with, built from the domain types. Member
//! names are the service model's; absent values are left out, as the
//! service does.

use serde_json::{json, Value};

use crate::connect::{NamedResource, PhoneConfig};
use crate::local::db::InstanceRow;
use crate::local::service::{UserListing, UserRecord};

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

fn phone_json(phone: &PhoneConfig) -> Value {
    json!({
        "PhoneType": phone.phone_type.api_name(),
        "AutoAccept": phone.auto_accept,
        "AfterContactWorkTimeLimit": phone.after_contact_work_time_limit,
        "DeskPhoneNumber": phone.desk_phone_number,
        "PersistentConnection": phone.persistent_connection,
    })
}

/// DescribeUser's `User`.
pub fn user_json(record: &UserRecord) -> Value {
    let user = &record.user;
    let f = &user.fields;
    let info = &f.identity_info;
    compact(json!({
        "Id": user.id,
        "Arn": user.arn,
        "Username": f.username,
        "IdentityInfo": {
            "FirstName": info.first_name,
            "LastName": info.last_name,
            "Email": info.email,
            "SecondaryEmail": info.secondary_email,
            "Mobile": info.mobile,
        },
        "PhoneConfig": phone_json(&f.phone_config),
        "DirectoryUserId": record.directory_user_id,
        "SecurityProfileIds": f.security_profile_ids,
        "RoutingProfileId": f.routing_profile_id,
        "HierarchyGroupId": f.hierarchy_group_id,
        "Tags": f.tags,
        "LastModifiedTime": record.modified_time,
        "LastModifiedRegion": region_of(&user.arn),
    }))
}

/// SearchUsers' `UserSearchSummary` (its `IdentityInfo` is the lite form).
pub fn user_search_json(record: &UserRecord) -> Value {
    let user = &record.user;
    let f = &user.fields;
    compact(json!({
        "Id": user.id,
        "Arn": user.arn,
        "Username": f.username,
        "IdentityInfo": { "FirstName": f.identity_info.first_name, "LastName": f.identity_info.last_name },
        "PhoneConfig": phone_json(&f.phone_config),
        "DirectoryUserId": record.directory_user_id,
        "SecurityProfileIds": f.security_profile_ids,
        "RoutingProfileId": f.routing_profile_id,
        "HierarchyGroupId": f.hierarchy_group_id,
        "Tags": f.tags,
    }))
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
