//! The SQL behind the store: one method per query, over a connection or an
//! open transaction. Callers hold the store's lock, so a sequence of calls
//! inside [`crate::local::store::Store::write`] is one atomic transaction.

use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::connect::{IdentityInfo, PhoneConfig, UserFields, UserSummary};
use crate::identity::Identity;
use crate::local::ids::ArnBase;
use crate::local::service::{Comparison, UserField, UserFilter};
use crate::user::PhoneType;

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
    UNIQUE (instance_id, id),
    UNIQUE (instance_id, username_key)
);
";

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

/// A user row: everything DescribeUser returns, without ARNs.
#[derive(Debug, Clone, PartialEq)]
pub struct UserRow {
    pub id: String,
    pub fields: UserFields,
    pub directory_user_id: Option<String>,
    pub modified_time: f64,
}

pub struct Db<'a> {
    pub(crate) conn: &'a Connection,
}

type Sql<T> = rusqlite::Result<T>;

const USER_COLUMNS: &str = "seq, id, username, first_name, last_name, email, secondary_email, mobile, phone_type, \
     auto_accept, acw_timeout, desk_phone_number, persistent_connection, routing_profile_id, security_profile_ids, \
     hierarchy_group_id, directory_user_id, tags, modified_time";

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
        let rows = stmt.query_map(params![after, limit as i64], |r| Ok((r.get(6)?, instance_row(r)?)))?;
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
    pub fn named_page(&self, kind: NamedKind, instance_id: &str, after: i64, limit: usize) -> Sql<Vec<(i64, String, String)>> {
        let sql = format!(
            "SELECT seq, id, name FROM {} WHERE instance_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
            kind.table()
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![instance_id, after, limit as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect()
    }

    /// The name of a resource, if it exists in the instance.
    pub fn named(&self, kind: NamedKind, instance_id: &str, id: &str) -> Sql<Option<String>> {
        let sql = format!("SELECT name FROM {} WHERE instance_id = ?1 AND id = ?2", kind.table());
        self.conn.prepare_cached(&sql)?.query_row([instance_id, id], |r| r.get(0)).optional()
    }

    pub fn insert_profile(&self, kind: NamedKind, instance_id: &str, id: &str, name: &str) -> Sql<()> {
        let sql = format!("INSERT INTO {} (instance_id, id, name) VALUES (?1, ?2, ?3)", kind.table());
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
        let mut stmt =
            self.conn.prepare_cached("SELECT id, name FROM hierarchy_levels WHERE instance_id = ?1 ORDER BY level")?;
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

    /// Inserts a user; a taken name fails with a UNIQUE constraint error.
    pub fn insert_user(&self, instance_id: &str, user: &UserRow) -> Sql<()> {
        let f = &user.fields;
        let info = &f.identity_info;
        let phone = &f.phone_config;
        let profiles = serde_json::to_string(&f.security_profile_ids).unwrap_or_else(|_| "[]".to_string());
        let tags = serde_json::to_string(&f.tags).unwrap_or_else(|_| "{}".to_string());
        self.conn
            .prepare_cached(
                "INSERT INTO users (instance_id, id, username, username_key, first_name, last_name, email,
                 secondary_email, mobile, phone_type, auto_accept, acw_timeout, desk_phone_number,
                 persistent_connection, routing_profile_id, security_profile_ids, hierarchy_group_id,
                 directory_user_id, tags, modified_time)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
            )?
            .execute(params![
                instance_id,
                user.id,
                f.username,
                username_key(&f.username),
                info.first_name,
                info.last_name,
                info.email,
                info.secondary_email,
                info.mobile,
                phone.phone_type.api_name(),
                phone.auto_accept,
                phone.after_contact_work_time_limit,
                phone.desk_phone_number,
                phone.persistent_connection,
                f.routing_profile_id,
                profiles,
                f.hierarchy_group_id,
                user.directory_user_id,
                tags,
                user.modified_time,
            ])?;
        Ok(())
    }

    pub fn user(&self, instance_id: &str, id: &str) -> Sql<Option<UserRow>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE instance_id = ?1 AND id = ?2");
        self.conn.prepare_cached(&sql)?.query_row([instance_id, id], |r| user_row(r).map(|(_, u)| u)).optional()
    }

    pub fn users_page(&self, instance_id: &str, after: i64, limit: usize) -> Sql<Vec<(i64, UserSummary, f64)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, id, username, modified_time FROM users WHERE instance_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
        )?;
        let rows = stmt.query_map(params![instance_id, after, limit as i64], |r| {
            let id: String = r.get(1)?;
            Ok((r.get(0)?, UserSummary { arn: String::new(), id, username: r.get(2)? }, r.get(3)?))
        })?;
        rows.collect()
    }

    /// One page of the users matching `filter`, and how many match in all.
    pub fn search_users(&self, instance_id: &str, filter: &UserFilter, after: i64, limit: usize) -> Sql<(Vec<(i64, UserRow)>, i64)> {
        let mut args: Vec<String> = vec![instance_id.to_string()];
        let cond = filter_sql(filter, &mut args);
        let count_sql = format!("SELECT count(*) FROM users WHERE instance_id = ?1 AND ({cond})");
        let total: i64 = self.conn.prepare_cached(&count_sql)?.query_row(rusqlite::params_from_iter(&args), |r| r.get(0))?;
        let n = args.len();
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM users WHERE instance_id = ?1 AND ({cond}) AND seq > ?{} ORDER BY seq LIMIT ?{}",
            n + 1,
            n + 2
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut values: Vec<rusqlite::types::Value> = args.into_iter().map(Into::into).collect();
        values.push(after.into());
        values.push((limit as i64).into());
        let rows = stmt.query_map(rusqlite::params_from_iter(values), user_row)?;
        Ok((rows.collect::<Sql<Vec<_>>>()?, total))
    }

    /// How many users of the instance have this login, ignoring case.
    pub fn count_users_named(&self, instance_id: &str, username: &str) -> Sql<usize> {
        self.conn
            .prepare_cached("SELECT count(*) FROM users WHERE instance_id = ?1 AND username_key = ?2")?
            .query_row([instance_id, &username_key(username)], |r| r.get::<_, i64>(0))
            .map(|n| n as usize)
    }

    pub fn user_count(&self, instance_id: &str) -> Sql<usize> {
        self.conn
            .prepare_cached("SELECT count(*) FROM users WHERE instance_id = ?1")?
            .query_row([instance_id], |r| r.get::<_, i64>(0))
            .map(|n| n as usize)
    }

    /// Deletes a user; false if there was none.
    pub fn delete_user(&self, instance_id: &str, id: &str) -> Sql<bool> {
        Ok(self.conn.execute("DELETE FROM users WHERE instance_id = ?1 AND id = ?2", [instance_id, id])? > 0)
    }

    /// Replaces a user's phone settings; false if there is no such user.
    pub fn update_phone_config(&self, instance_id: &str, id: &str, phone: &PhoneConfig, now: f64) -> Sql<bool> {
        let changed = self.conn.execute(
            "UPDATE users SET phone_type = ?3, auto_accept = ?4, acw_timeout = ?5, desk_phone_number = ?6,
             persistent_connection = ?7, modified_time = ?8 WHERE instance_id = ?1 AND id = ?2",
            params![
                instance_id,
                id,
                phone.phone_type.api_name(),
                phone.auto_accept,
                phone.after_contact_work_time_limit,
                phone.desk_phone_number,
                phone.persistent_connection,
                now
            ],
        )?;
        Ok(changed > 0)
    }
}

/// The key user names are unique by.
pub fn username_key(username: &str) -> String {
    username.to_lowercase()
}

fn filter_sql(filter: &UserFilter, args: &mut Vec<String>) -> String {
    match filter {
        UserFilter::All => "1".to_string(),
        UserFilter::And(parts) | UserFilter::Or(parts) if parts.is_empty() => "1".to_string(),
        UserFilter::And(parts) => parts.iter().map(|p| format!("({})", filter_sql(p, args))).collect::<Vec<_>>().join(" AND "),
        UserFilter::Or(parts) => parts.iter().map(|p| format!("({})", filter_sql(p, args))).collect::<Vec<_>>().join(" OR "),
        UserFilter::Condition { field, comparison, value } => {
            let (column, value) = match field {
                UserField::Username => ("username_key", username_key(value)),
                UserField::FirstName => ("lower(first_name)", value.to_ascii_lowercase()),
                UserField::LastName => ("lower(last_name)", value.to_ascii_lowercase()),
                UserField::ResourceId => ("id", value.clone()),
            };
            args.push(value);
            let p = args.len();
            match comparison {
                Comparison::Exact => format!("{column} = ?{p}"),
                Comparison::StartsWith => format!("instr({column}, ?{p}) = 1"),
                Comparison::Contains => format!("instr({column}, ?{p}) > 0"),
            }
        }
    }
}

fn instance_row(r: &Row<'_>) -> Sql<InstanceRow> {
    let id: String = r.get(0)?;
    let identity: String = r.get(2)?;
    Ok(InstanceRow {
        alias: r.get(1)?,
        identity: Identity::from_api_name(&identity).unwrap_or(Identity::ConnectManaged),
        arn_base: ArnBase { region: r.get(3)?, account: r.get(4)?, instance_id: id.clone() },
        created_time: r.get(5)?,
        id,
    })
}

fn user_row(r: &Row<'_>) -> Sql<(i64, UserRow)> {
    let phone_type: String = r.get(8)?;
    let profiles: String = r.get(14)?;
    let tags: String = r.get(17)?;
    let fields = UserFields {
        username: r.get(2)?,
        identity_info: IdentityInfo {
            first_name: r.get(3)?,
            last_name: r.get(4)?,
            email: r.get(5)?,
            secondary_email: r.get(6)?,
            mobile: r.get(7)?,
        },
        phone_config: PhoneConfig {
            phone_type: PhoneType::from_api_name(&phone_type).unwrap_or(PhoneType::SoftPhone),
            auto_accept: r.get(9)?,
            after_contact_work_time_limit: r.get(10)?,
            desk_phone_number: r.get(11)?,
            persistent_connection: r.get(12)?,
        },
        routing_profile_id: r.get(13)?,
        security_profile_ids: serde_json::from_str(&profiles).unwrap_or_default(),
        hierarchy_group_id: r.get(15)?,
        tags: serde_json::from_str(&tags).unwrap_or_default(),
    };
    let user = UserRow { id: r.get(1)?, fields, directory_user_id: r.get(16)?, modified_time: r.get(18)? };
    Ok((r.get(0)?, user))
}
