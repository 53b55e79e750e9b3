//! The online check shared by `import validate` (with an instance) and
//! `import apply`: learn the instance's identity type, validate the file by
//! that type's rules, take a snapshot of what the file refers to, and plan
//! each user.

use anyhow::Context;

use crate::connect::InstanceInfo;
use crate::identity::Identity;
use crate::plan::{self, Plan};
use crate::validate::{self, ValidateOptions, Validation};

use super::explain::explain;
use super::{describe, instance_label, Connection};

/// The file checked against the instance.
pub struct Checked {
    pub instance: InstanceInfo,
    pub validation: Validation,
    pub plan: Plan,
}

/// Validates the file by the instance's rules, then plans it against a snapshot.
pub async fn check(
    connection: &Connection,
    file: &str,
    mut options: ValidateOptions,
    requested: Option<Identity>,
) -> anyhow::Result<Checked> {
    let instance = describe(connection).await?;
    options.identity = identity_of(&instance, requested)?;
    options.identity_from = validate::IdentityFrom::Instance;
    let mut validation = validate::validate_file(file, &options)?;
    let snapshot = plan::gather(
        connection.api.clone(),
        instance.clone(),
        &plan::wanted(&validation),
        connection.pacing.concurrency,
    )
    .await
    .map_err(|err| explain(err, &connection.target))
    .context("cannot read the instance's configuration")?;
    let plan = plan::plan(&mut validation, &snapshot);
    Ok(Checked {
        instance,
        validation,
        plan,
    })
}

/// The instance's identity type; `--identity`, when given, must agree.
pub fn identity_of(
    instance: &InstanceInfo,
    requested: Option<Identity>,
) -> anyhow::Result<Identity> {
    match requested {
        Some(asked) if asked != instance.identity => anyhow::bail!(
            "--identity {asked} contradicts instance {}, whose identity management type is {}; \
             leave --identity out when an instance is configured",
            instance_label(instance),
            instance.identity
        ),
        _ => Ok(instance.identity),
    }
}
