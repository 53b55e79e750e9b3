//! What the identifiers in a request name: an instance by its ID or ARN,
//! and a user, routing profile, security profile or hierarchy group of it
//! by its ID or its ARN. The service takes an ARN wherever it takes the ID
//! (AWS's own CloudFormation provider for AWS::Connect::User sends ARNs
//! throughout); an ARN of another partition, region, account or instance,
//! or of another kind of resource, names nothing here:
//! ResourceNotFoundException.

use crate::connect::ApiError;
use crate::local::db::{Db, InstanceRow, NamedKind, UserRow};
use crate::local::ids;
use crate::local::service::not_found;

/// The instance a request names, by its ID or its ARN. The service takes
/// either wherever an instance ID goes: AWS's own CloudFormation provider
/// for AWS::Connect::User passes the instance ARN as `InstanceId`. An ARN
/// of another partition, region or account is not this instance.
pub(crate) fn instance(db: &Db<'_>, given: &str) -> Result<InstanceRow, ApiError> {
    let id = if ids::is_arn(given) {
        ids::instance_id_of_arn(given)
    } else {
        Some(given)
    };
    let row = match id {
        Some(id) => db.instance(id)?,
        None => None,
    };
    row.filter(|row| !ids::is_arn(given) || row.arn_base.instance() == given)
        .ok_or_else(|| not_found(format!("Instance {given} not found")))
}

/// The ID a request gives for a resource of the instance: itself, or the
/// ID in its ARN (`…:instance/ID/KIND/ID`) when that is an ARN of this
/// instance; an ARN of anything else names nothing here.
pub(crate) fn own_id<'a>(
    inst: &InstanceRow,
    kind: &str,
    what: &str,
    given: &'a str,
) -> Result<&'a str, ApiError> {
    if !ids::is_arn(given) {
        return Ok(given);
    }
    inst.arn_base.id_in(kind, given).ok_or_else(|| {
        not_found(format!(
            "{what} {given} not found in instance {}: it is not the ARN of one of its {kind} resources",
            inst.id
        ))
    })
}

/// A user ID or user ARN of the instance.
pub(crate) fn user_ref<'a>(inst: &InstanceRow, given: &'a str) -> Result<&'a str, ApiError> {
    own_id(inst, "agent", "User", given)
}

/// The user a request names, by ID or ARN.
pub(crate) fn user(db: &Db<'_>, inst: &InstanceRow, given: &str) -> Result<UserRow, ApiError> {
    let id = user_ref(inst, given)?;
    db.user(&inst.id, id)?
        .ok_or_else(|| user_not_found(&inst.id, given))
}

/// A routing profile, security profile or hierarchy group the request
/// names (by ID or ARN) exists in the instance: its ID, or
/// ResourceNotFoundException naming it.
pub(crate) fn must_exist(
    db: &Db<'_>,
    kind: NamedKind,
    inst: &InstanceRow,
    given: &str,
) -> Result<String, ApiError> {
    let instance_id = inst.id.as_str();
    let what = match kind {
        NamedKind::RoutingProfile => "Routing profile",
        NamedKind::SecurityProfile => "Security profile",
        NamedKind::HierarchyGroup => "Hierarchy group",
    };
    let id = own_id(inst, kind.arn_kind(), what, given)?;
    let (found, what) = match kind {
        NamedKind::RoutingProfile => (
            db.named(kind, instance_id, id)?.is_some(),
            "Routing profile",
        ),
        NamedKind::SecurityProfile => (
            db.named(kind, instance_id, id)?.is_some(),
            "Security profile",
        ),
        NamedKind::HierarchyGroup => (db.group(instance_id, id)?.is_some(), "Hierarchy group"),
    };
    if found {
        Ok(id.to_string())
    } else {
        Err(not_found(format!(
            "{what} {given} not found in instance {instance_id}"
        )))
    }
}

pub(crate) fn user_not_found(instance_id: &str, user_id: &str) -> ApiError {
    not_found(format!(
        "User {user_id} not found in instance {instance_id}"
    ))
}
