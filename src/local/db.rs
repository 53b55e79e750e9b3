//! The SQL behind the store: one method per query, over a connection or an
//! open transaction. Callers hold the store's lock, so a sequence of calls
//! inside [`crate::local::store::Store::write`] is one atomic transaction.

use rusqlite::{params, Connection, OptionalExtension, Row};

mod proficiencies;
mod users;

pub use proficiencies::Proficiency;
pub use users::{username_key, UserRow};

use crate::identity::Identity;
use crate::local::ids::ArnBase;

/// The schema; every statement is idempotent.
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS instances (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    alias TEXT,
    identity TEXT NOT NULL,
    region TEXT NOT NULL,
    account TEXT NOT NULL,
    created_time REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS routing_profiles (
    seq INTEGER PRIMARY KEY,
    instance_id TEXT NOT NULL REFERENCES instances(id),
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    UNIQUE (instance_id, id)
);
CREATE TABLE IF NOT EXISTS security_profiles (
    seq INTEGER PRIMARY KEY,
    instance_id TEXT NOT NULL REFERENCES instances(id),
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    UNIQUE (instance_id, id)
);
CREATE TABLE IF NOT EXISTS hierarchy_levels (
    instance_id TEXT NOT NULL REFERENCES instances(id),
    level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (instance_id, level)
);
CREATE TABLE IF NOT EXISTS hierarchy_groups (
    seq INTEGER PRIMARY KEY,
    instance_id TEXT NOT NULL REFERENCES instances(id),
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    level INTEGER NOT NULL,
    parent_id TEXT,
    UNIQUE (instance_id, id)
);
CREATE TABLE IF NOT EXISTS users (
    seq INTEGER PRIMARY KEY,
    instance_id TEXT NOT NULL REFERENCES instances(id),
    id TEXT NOT NULL,
    username TEXT NOT NULL,
    -- the login, lower-cased: the service's names are unique ignoring case
    username_key TEXT NOT NULL,
    first_name TEXT,
    last_name TEXT,
    email TEXT,
    secondary_email TEXT,
    mobile TEXT,
    phone_type TEXT NOT NULL,
    auto_accept INTEGER NOT NULL,
    acw_timeout INTEGER NOT NULL,
    desk_phone_number TEXT,
    persistent_connection INTEGER,
    routing_profile_id TEXT NOT NULL,
    security_profile_ids TEXT NOT NULL, -- JSON array
    hierarchy_group_id TEXT,
    directory_user_id TEXT,
    tags TEXT NOT NULL, -- JSON object
    modified_time REAL NOT NULL,
    -- the per-channel settings (JSON, see local::settings); the phone_type …
    -- persistent_connection columns hold their VOICE view. NULL in a row
    -- written before schema version 1: then those columns are the settings.
    settings TEXT,
    UNIQUE (instance_id, id),
    UNIQUE (instance_id, username_key)
);
-- connect-managed users' passwords as salted digests (see local::passwords);
-- a table of its own, so a database of an older build gains it in place
CREATE TABLE IF NOT EXISTS user_passwords (
    instance_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    salt BLOB NOT NULL,
    hash BLOB NOT NULL,
    PRIMARY KEY (instance_id, user_id)
);
-- the values of each predefined attribute (the names and values a user
-- proficiency may take), and users' proficiencies: tables of their own too
CREATE TABLE IF NOT EXISTS predefined_attributes (
    instance_id TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (instance_id, name, value)
);
CREATE TABLE IF NOT EXISTS user_proficiencies (
    seq INTEGER PRIMARY KEY,
    instance_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    level REAL NOT NULL,
    UNIQUE (instance_id, user_id, name, value)
);
";

/// The schema version this build writes (`PRAGMA user_version`): 0 had no
/// `users.settings` column.
pub const SCHEMA_VERSION: i64 = 1;

/// Brings a database to [`SCHEMA_VERSION`] in place; refuses one written by a
/// newer build, whose columns this one would not keep.
pub fn upgrade(conn: &Connection) -> anyhow::Result<()> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        anyhow::bail!(
            "the database has schema version {version}, written by a newer connect-users; \
             this build reads versions up to {SCHEMA_VERSION}: use that newer build, or another --db"
        );
    }
    let has_settings: bool = conn.query_row(
        "SELECT count(*) FROM pragma_table_info('users') WHERE name = 'settings'",
        [],
        |r| r.get::<_, i64>(0).map(|n| n > 0),
    )?;
    if !has_settings {
        conn.execute_batch("ALTER TABLE users ADD COLUMN settings TEXT")?;
    }
    if version < SCHEMA_VERSION {
        conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    }
    Ok(())
}

/// An instance row.
#[derive(Debug, Clone, PartialEq)]
pub struct InstanceRow {
    pub id: String,
    pub alias: Option<String>,
    pub identity: Identity,
    pub arn_base: ArnBase,
    pub created_time: f64,
}

/// The lists of named resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamedKind {
    RoutingProfile,
    SecurityProfile,
    HierarchyGroup,
}

impl NamedKind {
    fn table(self) -> &'static str {
        match self {
            NamedKind::RoutingProfile => "routing_profiles",
            NamedKind::SecurityProfile => "security_profiles",
            NamedKind::HierarchyGroup => "hierarchy_groups",
        }
    }

    /// The resource type in the ARN.
    pub fn arn_kind(self) -> &'static str {
        match self {
            NamedKind::RoutingProfile => "routing-profile",
            NamedKind::SecurityProfile => "security-profile",
            NamedKind::HierarchyGroup => "agent-group",
        }
    }
}

/// A hierarchy group row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRow {
    pub id: String,
    pub name: String,
    pub level: u8,
    pub parent_id: Option<String>,
}

pub struct Db<'a> {
    pub(crate) conn: &'a Connection,
}

pub(crate) type Sql<T> = rusqlite::Result<T>;

impl Db<'_> {
    pub fn instance(&self, id: &str) -> Sql<Option<InstanceRow>> {
        self.conn
            .prepare_cached("SELECT id, alias, identity, region, account, created_time FROM instances WHERE id = ?1")?
            .query_row([id], instance_row)
            .optional()
    }

    pub fn instances(&self, after: i64, limit: usize) -> Sql<Vec<(i64, InstanceRow)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, alias, identity, region, account, created_time, seq FROM instances
             WHERE seq > ?1 ORDER BY seq LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![after, limit as i64], |r| {
            Ok((r.get(6)?, instance_row(r)?))
        })?;
        rows.collect()
    }

    pub fn insert_instance(&self, row: &InstanceRow) -> Sql<()> {
        self.conn.execute(
            "INSERT INTO instances (id, alias, identity, region, account, created_time) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                row.id,
                row.alias,
                row.identity.api_name(),
                row.arn_base.region,
                row.arn_base.account,
                row.created_time
            ],
        )?;
        Ok(())
    }

    /// One page of a named list, in creation order, after the row `after`.
    pub fn named_page(
        &self,
        kind: NamedKind,
        instance_id: &str,
        after: i64,
        limit: usize,
    ) -> Sql<Vec<(i64, String, String)>> {
        let sql = format!(
            "SELECT seq, id, name FROM {} WHERE instance_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
            kind.table()
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![instance_id, after, limit as i64], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
        rows.collect()
    }

    /// The name of a resource, if it exists in the instance.
    pub fn named(&self, kind: NamedKind, instance_id: &str, id: &str) -> Sql<Option<String>> {
        let sql = format!(
            "SELECT name FROM {} WHERE instance_id = ?1 AND id = ?2",
            kind.table()
        );
        self.conn
            .prepare_cached(&sql)?
            .query_row([instance_id, id], |r| r.get(0))
            .optional()
    }

    pub fn insert_profile(
        &self,
        kind: NamedKind,
        instance_id: &str,
        id: &str,
        name: &str,
    ) -> Sql<()> {
        let sql = format!(
            "INSERT INTO {} (instance_id, id, name) VALUES (?1, ?2, ?3)",
            kind.table()
        );
        self.conn.execute(&sql, [instance_id, id, name])?;
        Ok(())
    }

    pub fn insert_level(&self, instance_id: &str, level: u8, id: &str, name: &str) -> Sql<()> {
        self.conn.execute(
            "INSERT INTO hierarchy_levels (instance_id, level, id, name) VALUES (?1, ?2, ?3, ?4)",
            params![instance_id, level, id, name],
        )?;
        Ok(())
    }

    /// The hierarchy levels from level one down: (id, name).
    pub fn levels(&self, instance_id: &str) -> Sql<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name FROM hierarchy_levels WHERE instance_id = ?1 ORDER BY level",
        )?;
        let rows = stmt.query_map([instance_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect()
    }

    pub fn insert_group(&self, instance_id: &str, group: &GroupRow) -> Sql<()> {
        self.conn.execute(
            "INSERT INTO hierarchy_groups (instance_id, id, name, level, parent_id) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![instance_id, group.id, group.name, group.level, group.parent_id],
        )?;
        Ok(())
    }

    pub fn group(&self, instance_id: &str, id: &str) -> Sql<Option<GroupRow>> {
        self.conn
            .prepare_cached("SELECT id, name, level, parent_id FROM hierarchy_groups WHERE instance_id = ?1 AND id = ?2")?
            .query_row([instance_id, id], |r| {
                Ok(GroupRow { id: r.get(0)?, name: r.get(1)?, level: r.get(2)?, parent_id: r.get(3)? })
            })
            .optional()
    }
}

fn instance_row(r: &Row<'_>) -> Sql<InstanceRow> {
    let id: String = r.get(0)?;
    let identity: String = r.get(2)?;
    Ok(InstanceRow {
        alias: r.get(1)?,
        identity: Identity::from_api_name(&identity).unwrap_or(Identity::ConnectManaged),
        arn_base: ArnBase {
            region: r.get(3)?,
            account: r.get(4)?,
            instance_id: id.clone(),
        },
        created_time: r.get(5)?,
        id,
    })
}
