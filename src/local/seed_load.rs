//! Loading a [`Seed`] into the store: the instance row, its routing and
//! security profiles, its hierarchy, then its users, whose profile and
//! group names are resolved to the IDs just written and whose fields pass
//! the same checks as CreateUser's. The caller runs it in one transaction,
//! so a seed with any error leaves nothing behind.

use std::collections::{BTreeMap, HashSet};

use anyhow::{bail, Context};

use crate::connect::{
    Channel, IdentityInfo, PhoneConfig, UserConfig, UserFields, VoiceEnhancementConfig,
};
use crate::local::db::{username_key, Db, GroupRow, InstanceRow, NamedKind, UserRow};
use crate::local::ids::{derived_uuid, ArnBase};
use crate::local::rules;
use crate::local::seed::{HierarchySeed, NamedSeed, Seed, UserSeed};
use crate::local::store::now_epoch;

/// IDs by name (profiles) or by path (hierarchy groups, `A|B|C`).
type IdsByName = BTreeMap<String, String>;

/// The names a seed's users refer to, with the IDs they were given.
struct SeedNames {
    routing: IdsByName,
    security: IdsByName,
    levels: usize,
    groups: IdsByName,
}

/// Writes the whole seed; the caller's transaction makes it all or nothing.
pub(crate) fn load(db: &Db<'_>, seed: &Seed) -> anyhow::Result<()> {
    let iid = seed.id.as_str();
    if iid.is_empty() {
        bail!("the instance `id` must not be empty");
    }
    db.insert_instance(&InstanceRow {
        id: iid.to_string(),
        alias: seed.alias.clone(),
        identity: seed.identity,
        arn_base: ArnBase {
            region: seed.region.clone(),
            account: seed.account.clone(),
            instance_id: iid.to_string(),
        },
        created_time: now_epoch().floor(),
    })?;
    let mut names = SeedNames {
        routing: insert_profiles(db, iid, NamedKind::RoutingProfile, &seed.routing_profiles)?,
        security: insert_profiles(db, iid, NamedKind::SecurityProfile, &seed.security_profiles)?,
        levels: seed.hierarchy.levels.len(),
        groups: insert_hierarchy(db, iid, &seed.hierarchy)?,
    };
    insert_attributes(db, iid, &seed.predefined_attributes)?;
    insert_users(db, seed, &mut names)
}

/// Inserts the predefined attributes' values: names and values of 1 to 100
/// characters (the model's `PredefinedAttributeName` and
/// `PredefinedAttributeStringValue`), each value once.
fn insert_attributes(
    db: &Db<'_>,
    iid: &str,
    attributes: &BTreeMap<String, Vec<String>>,
) -> anyhow::Result<()> {
    for (name, values) in attributes {
        let fits = |text: &str| (1..=100).contains(&text.chars().count());
        if !fits(name) {
            bail!("predefined attribute '{name}': a name has 1 to 100 characters");
        }
        if values.is_empty() {
            bail!("predefined attribute '{name}' has no values");
        }
        let mut seen = HashSet::new();
        for value in values {
            if !fits(value) || !seen.insert(value) {
                bail!(
                    "predefined attribute '{name}': value '{value}' is empty, over 100 characters or listed twice"
                );
            }
            db.insert_attribute_value(iid, name, value)?;
        }
    }
    Ok(())
}

/// Inserts routing or security profiles; returns their IDs by name.
fn insert_profiles(
    db: &Db<'_>,
    iid: &str,
    kind: NamedKind,
    list: &[NamedSeed],
) -> anyhow::Result<IdsByName> {
    let mut ids = BTreeMap::new();
    for entry in list {
        let id = entry
            .id()
            .map(str::to_string)
            .unwrap_or_else(|| derived_uuid(&[iid, kind.arn_kind(), entry.name()]));
        if ids.insert(entry.name().to_string(), id.clone()).is_some() {
            bail!("{} '{}' is listed twice", kind.arn_kind(), entry.name());
        }
        db.insert_profile(kind, iid, &id, entry.name())?;
    }
    Ok(ids)
}

/// Inserts the levels and the groups of every listed path; returns the
/// groups' IDs by path.
fn insert_hierarchy(
    db: &Db<'_>,
    iid: &str,
    hierarchy: &HierarchySeed,
) -> anyhow::Result<IdsByName> {
    let levels = &hierarchy.levels;
    if levels.len() > 5 {
        bail!(
            "the hierarchy has {} levels; at most 5 are accepted",
            levels.len()
        );
    }
    for (i, name) in levels.iter().enumerate() {
        db.insert_level(
            iid,
            i as u8 + 1,
            &derived_uuid(&[iid, "agent-group-level", name]),
            name,
        )?;
    }
    let mut groups = BTreeMap::new();
    for path in &hierarchy.groups {
        ensure_group_path(db, iid, levels.len(), path, &mut groups)?;
    }
    Ok(groups)
}

/// Inserts the seed's existing users, each checked like a CreateUser.
fn insert_users(db: &Db<'_>, seed: &Seed, names: &mut SeedNames) -> anyhow::Result<()> {
    let iid = seed.id.as_str();
    let mut logins = HashSet::new();
    for user in &seed.users {
        let context = || format!("user '{}'", user.username);
        if !logins.insert(username_key(&user.username)) {
            bail!(
                "user '{}' is listed twice (logins are compared ignoring case)",
                user.username
            );
        }
        let fields = user_fields(db, iid, user, names).with_context(context)?;
        rules::check_user_fields(seed.identity, &fields)
            .map_err(anyhow::Error::msg)
            .with_context(context)?;
        let id = user
            .id
            .clone()
            .unwrap_or_else(|| derived_uuid(&[iid, "agent", &username_key(&user.username)]));
        let row = UserRow::new(id, fields, user.directory_user_id.clone());
        db.insert_user(iid, &row).with_context(context)?;
    }
    Ok(())
}

/// A seed user's fields, its names resolved to IDs (a hierarchy path not
/// listed under `[hierarchy]` is created along the way).
fn user_fields(
    db: &Db<'_>,
    iid: &str,
    user: &UserSeed,
    names: &mut SeedNames,
) -> anyhow::Result<UserFields> {
    let find = |map: &IdsByName, what: &str, name: &str| {
        map.get(name)
            .cloned()
            .with_context(|| format!("{what} '{name}' is not in the seed"))
    };
    let routing_profile_id = find(&names.routing, "routing profile", &user.routing_profile)?;
    let security_profile_ids = user
        .security_profiles
        .iter()
        .map(|name| find(&names.security, "security profile", name))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let hierarchy_group_id = match &user.hierarchy {
        Some(path) => Some(ensure_group_path(
            db,
            iid,
            names.levels,
            path,
            &mut names.groups,
        )?),
        None => None,
    };
    Ok(UserFields {
        username: user.username.clone(),
        identity_info: IdentityInfo {
            first_name: user.first_name.clone(),
            last_name: user.last_name.clone(),
            email: user.email.clone(),
            secondary_email: user.secondary_email.clone(),
            mobile: user.mobile.clone(),
        },
        phone_config: Some(PhoneConfig {
            phone_type: Some(user.phone_type),
            auto_accept: Some(user.auto_accept),
            after_contact_work_time_limit: Some(user.acw_timeout),
            desk_phone_number: user.desk_phone_number.clone(),
            persistent_connection: user.persistent_connection,
        }),
        config: UserConfig {
            voice_enhancement: user
                .voice_enhancement
                .map(|mode| VoiceEnhancementConfig {
                    channel: Channel::Voice,
                    mode,
                })
                .into_iter()
                .collect(),
            ..UserConfig::default()
        },
        security_profile_ids,
        routing_profile_id,
        hierarchy_group_id,
        tags: user.tags.clone(),
    })
}

/// Creates the groups along `path` (`A|B|C`) that do not exist yet; returns
/// the ID of the last one.
fn ensure_group_path(
    db: &Db<'_>,
    iid: &str,
    level_count: usize,
    path: &str,
    groups: &mut BTreeMap<String, String>,
) -> anyhow::Result<String> {
    let names: Vec<&str> = path.split('|').map(str::trim).collect();
    if names.iter().any(|n| n.is_empty()) {
        bail!("hierarchy path '{path}' has an empty group name");
    }
    if names.len() > level_count {
        bail!(
            "hierarchy path '{path}' has {} groups but the hierarchy has {level_count} levels",
            names.len()
        );
    }
    let mut parent: Option<String> = None;
    for depth in 1..=names.len() {
        let prefix = names[..depth].join("|");
        let id = match groups.get(&prefix) {
            Some(id) => id.clone(),
            None => {
                let id = derived_uuid(&[iid, "agent-group", &prefix]);
                let row = GroupRow {
                    id: id.clone(),
                    name: names[depth - 1].to_string(),
                    level: depth as u8,
                    parent_id: parent.clone(),
                };
                db.insert_group(iid, &row)?;
                groups.insert(prefix, id.clone());
                id
            }
        };
        parent = Some(id);
    }
    Ok(parent.unwrap_or_default())
}
