//! The persistent store: one SQLite database holding any number of
//! instances, with one transaction per write.
//!
//! SQLite runs in WAL mode with `synchronous = NORMAL`: a commit is durable
//! once the call returns as far as a crash or kill of this process goes (the
//! WAL is in the operating system's hands), and a torn write is rolled back
//! on the next open, so a user is never half-created. Only a power cut can
//! lose the last commits, which is the right trade for a local test
//! instance that must take thousands of writes a second.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use anyhow::{bail, Context};
use rusqlite::Connection;

use crate::connect::{
    Channel, IdentityInfo, PhoneConfig, UserConfig, UserFields, VoiceEnhancementConfig,
};
use crate::local::db::{username_key, Db, GroupRow, InstanceRow, NamedKind, UserRow};
use crate::local::ids::{derived_uuid, ArnBase};
use crate::local::rules;
use crate::local::seed::{NamedSeed, Seed};
use crate::local::settings::StoredSettings;

/// What loading a seed did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedOutcome {
    /// The instance was new and is now in the store.
    Loaded,
    /// The store already held an instance with this ID; nothing changed.
    AlreadyPresent,
}

/// The store. Cheap to share behind an `Arc`; every call takes its lock for
/// the length of one query or one transaction.
pub struct Store {
    conn: Mutex<Connection>,
}

impl Store {
    /// Opens (creating if need be) the database at `path`.
    pub fn open(path: &Path) -> anyhow::Result<Store> {
        let conn = Connection::open(path)
            .with_context(|| format!("opening database {}", path.display()))?;
        Store::init(conn).with_context(|| format!("preparing database {}", path.display()))
    }

    /// A store that lives only in memory (unit tests).
    pub fn open_in_memory() -> anyhow::Result<Store> {
        Store::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> anyhow::Result<Store> {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(crate::local::db::SCHEMA)?;
        crate::local::db::upgrade(&conn)?;
        conn.set_prepared_statement_cache_capacity(64);
        Ok(Store {
            conn: Mutex::new(conn),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a transaction open (it
        // rolls back on drop), so the connection is still good to use.
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs queries outside a transaction.
    pub(crate) fn read<T, E: From<rusqlite::Error>>(
        &self,
        f: impl FnOnce(&Db<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let conn = self.lock();
        f(&Db { conn: &conn })
    }

    /// Runs `f` in one transaction: committed if it returns `Ok`, rolled
    /// back otherwise.
    pub(crate) fn write<T, E: From<rusqlite::Error>>(
        &self,
        f: impl FnOnce(&Db<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let value = f(&Db { conn: &tx })?;
        tx.commit()?;
        Ok(value)
    }

    /// Starts keeping the versions of user rows that `--search-lag-ms`
    /// searches (see [`crate::local::search_lag`]).
    pub fn enable_search_lag(&self) -> anyhow::Result<()> {
        crate::local::search_lag::enable(&self.lock()).context("preparing --search-lag-ms")
    }

    /// The IDs of every instance, oldest first.
    pub fn instance_ids(&self) -> anyhow::Result<Vec<String>> {
        let rows = self.read(|db| db.instances(0, usize::MAX >> 1))?;
        Ok(rows.into_iter().map(|(_, row)| row.id).collect())
    }

    /// How many users of the instance have this login, ignoring case.
    pub fn count_users_named(&self, instance_id: &str, username: &str) -> anyhow::Result<usize> {
        Ok(self.read(|db| db.count_users_named(instance_id, username))?)
    }

    /// How many users the instance has.
    pub fn user_count(&self, instance_id: &str) -> anyhow::Result<usize> {
        Ok(self.read(|db| db.user_count(instance_id))?)
    }

    /// Loads a seed in one transaction, unless its instance is already there.
    pub fn load_seed(&self, seed: &Seed) -> anyhow::Result<SeedOutcome> {
        self.write(|db| {
            if db.instance(&seed.id)?.is_some() {
                return Ok(SeedOutcome::AlreadyPresent);
            }
            load(db, seed)?;
            Ok(SeedOutcome::Loaded)
        })
    }
}

/// A timestamp of the store in whole milliseconds, as a client reads the
/// service's epoch-seconds form (`LastModifiedTime`).
pub fn epoch_millis(seconds: f64) -> i64 {
    aws_smithy_types::DateTime::from_secs_f64(seconds)
        .to_millis()
        .unwrap_or(0)
}

/// Seconds since the Unix epoch, the service's timestamp form.
pub fn now_epoch() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

fn load(db: &Db<'_>, seed: &Seed) -> anyhow::Result<()> {
    let iid = seed.id.as_str();
    if iid.is_empty() {
        bail!("the instance `id` must not be empty");
    }
    let arn_base = ArnBase {
        region: seed.region.clone(),
        account: seed.account.clone(),
        instance_id: iid.to_string(),
    };
    db.insert_instance(&InstanceRow {
        id: iid.to_string(),
        alias: seed.alias.clone(),
        identity: seed.identity,
        arn_base,
        created_time: now_epoch().floor(),
    })?;

    let routing = insert_profiles(db, iid, NamedKind::RoutingProfile, &seed.routing_profiles)?;
    let security = insert_profiles(db, iid, NamedKind::SecurityProfile, &seed.security_profiles)?;

    let levels = &seed.hierarchy.levels;
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
    let mut groups: BTreeMap<String, String> = BTreeMap::new();
    for path in &seed.hierarchy.groups {
        ensure_group_path(db, iid, levels.len(), path, &mut groups)?;
    }

    let mut logins = HashSet::new();
    for user in &seed.users {
        let context = || format!("user '{}'", user.username);
        if !logins.insert(username_key(&user.username)) {
            bail!(
                "user '{}' is listed twice (logins are compared ignoring case)",
                user.username
            );
        }
        let find = |map: &BTreeMap<String, String>, what: &str, name: &str| {
            map.get(name)
                .cloned()
                .with_context(|| format!("{what} '{name}' is not in the seed"))
        };
        let routing_profile_id =
            find(&routing, "routing profile", &user.routing_profile).with_context(context)?;
        let security_profile_ids = user
            .security_profiles
            .iter()
            .map(|name| find(&security, "security profile", name))
            .collect::<anyhow::Result<Vec<_>>>()
            .with_context(context)?;
        let hierarchy_group_id = match &user.hierarchy {
            Some(path) => Some(
                ensure_group_path(db, iid, levels.len(), path, &mut groups)
                    .with_context(context)?,
            ),
            None => None,
        };
        let fields = UserFields {
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
        };
        rules::check_user_fields(seed.identity, &fields)
            .map_err(anyhow::Error::msg)
            .with_context(context)?;
        let id = user
            .id
            .clone()
            .unwrap_or_else(|| derived_uuid(&[iid, "agent", &username_key(&user.username)]));
        let row = UserRow {
            id,
            settings: StoredSettings::created(fields.phone_config.as_ref(), &fields.config),
            username: fields.username,
            identity_info: fields.identity_info,
            security_profile_ids: fields.security_profile_ids,
            routing_profile_id: fields.routing_profile_id,
            hierarchy_group_id: fields.hierarchy_group_id,
            tags: fields.tags,
            directory_user_id: user.directory_user_id.clone(),
            modified_time: now_epoch(),
        };
        db.insert_user(iid, &row).with_context(context)?;
    }
    Ok(())
}

/// Inserts routing or security profiles; returns their IDs by name.
fn insert_profiles(
    db: &Db<'_>,
    iid: &str,
    kind: NamedKind,
    list: &[NamedSeed],
) -> anyhow::Result<BTreeMap<String, String>> {
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
