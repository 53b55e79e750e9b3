//! The user queries: insert, read, page, search, count, delete, update.

use std::collections::BTreeMap;

use rusqlite::{params, OptionalExtension, Row};

use super::{Db, Sql};
use crate::connect::{Channel, IdentityInfo, UserFields, UserSummary};
use crate::local::search::{filter_sql, UserFilter};
use crate::local::settings::StoredSettings;
use crate::user::PhoneType;

/// A user row: everything DescribeUser returns, without ARNs.
#[derive(Debug, Clone, PartialEq)]
pub struct UserRow {
    pub id: String,
    pub username: String,
    pub identity_info: IdentityInfo,
    pub settings: StoredSettings,
    pub security_profile_ids: Vec<String>,
    pub routing_profile_id: String,
    pub hierarchy_group_id: Option<String>,
    pub tags: BTreeMap<String, String>,
    pub directory_user_id: Option<String>,
    pub modified_time: f64,
}

impl UserRow {
    /// A new user's row, as CreateUser and a seed's users store it: the
    /// settings from `PhoneConfig` and the per-channel lists, modified now.
    pub fn new(id: String, fields: UserFields, directory_user_id: Option<String>) -> UserRow {
        UserRow {
            id,
            settings: StoredSettings::created(fields.phone_config.as_ref(), &fields.config),
            username: fields.username,
            identity_info: fields.identity_info,
            security_profile_ids: fields.security_profile_ids,
            routing_profile_id: fields.routing_profile_id,
            hierarchy_group_id: fields.hierarchy_group_id,
            tags: fields.tags,
            directory_user_id,
            modified_time: crate::local::store::now_epoch(),
        }
    }

    /// The user's fields as the service answers them: `PhoneConfig` and
    /// every per-channel list, from the same stored settings.
    pub fn fields(&self) -> UserFields {
        UserFields {
            username: self.username.clone(),
            identity_info: self.identity_info.clone(),
            phone_config: Some(self.settings.phone_config()),
            config: self.settings.config(),
            security_profile_ids: self.security_profile_ids.clone(),
            routing_profile_id: self.routing_profile_id.clone(),
            hierarchy_group_id: self.hierarchy_group_id.clone(),
            tags: self.tags.clone(),
        }
    }
}

const USER_COLUMNS: &str = "seq, id, username, first_name, last_name, email, secondary_email, mobile, phone_type, \
     auto_accept, acw_timeout, desk_phone_number, persistent_connection, routing_profile_id, security_profile_ids, \
     hierarchy_group_id, directory_user_id, tags, modified_time, settings";

/// The values of the columns every write sets, `?3` to `?19` after the
/// instance and user IDs.
fn row_values(user: &UserRow) -> Vec<rusqlite::types::Value> {
    use rusqlite::types::Value;
    let info = &user.identity_info;
    let s = &user.settings;
    let voice = s.channel(Channel::Voice);
    let text = |v: &Option<String>| v.clone().map_or(Value::Null, Value::Text);
    vec![
        Value::Text(user.username.clone()),
        Value::Text(username_key(&user.username)),
        text(&info.first_name),
        text(&info.last_name),
        text(&info.email),
        text(&info.secondary_email),
        text(&info.mobile),
        Value::Text(s.phone_type.api_name().to_string()),
        Value::Integer(voice.auto_accept.into()),
        Value::Integer(voice.acw_seconds.into()),
        text(&s.desk_phone_number),
        Value::Integer(s.persistent_connection.into()),
        Value::Text(user.routing_profile_id.clone()),
        Value::Text(
            serde_json::to_string(&user.security_profile_ids).unwrap_or_else(|_| "[]".into()),
        ),
        text(&user.hierarchy_group_id),
        text(&user.directory_user_id),
        Value::Text(serde_json::to_string(&user.tags).unwrap_or_else(|_| "{}".into())),
        Value::Real(user.modified_time),
        Value::Text(serde_json::to_string(s).unwrap_or_default()),
    ]
}

impl Db<'_> {
    /// Inserts a user; a taken name fails with a UNIQUE constraint error.
    pub fn insert_user(&self, instance_id: &str, user: &UserRow) -> Sql<()> {
        let mut values: Vec<rusqlite::types::Value> =
            vec![instance_id.to_string().into(), user.id.clone().into()];
        values.extend(row_values(user));
        self.conn
            .prepare_cached(
                "INSERT INTO users (instance_id, id, username, username_key, first_name, last_name, email,
                 secondary_email, mobile, phone_type, auto_accept, acw_timeout, desk_phone_number,
                 persistent_connection, routing_profile_id, security_profile_ids, hierarchy_group_id,
                 directory_user_id, tags, modified_time, settings)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
            )?
            .execute(rusqlite::params_from_iter(values))?;
        Ok(())
    }

    /// Rewrites a user's row (same ID and login); false if there is no such user.
    pub fn update_user(&self, instance_id: &str, user: &UserRow) -> Sql<bool> {
        let mut values: Vec<rusqlite::types::Value> =
            vec![instance_id.to_string().into(), user.id.clone().into()];
        values.extend(row_values(user));
        let changed = self
            .conn
            .prepare_cached(
                "UPDATE users SET username = ?3, username_key = ?4, first_name = ?5, last_name = ?6,
                 email = ?7, secondary_email = ?8, mobile = ?9, phone_type = ?10, auto_accept = ?11,
                 acw_timeout = ?12, desk_phone_number = ?13, persistent_connection = ?14,
                 routing_profile_id = ?15, security_profile_ids = ?16, hierarchy_group_id = ?17,
                 directory_user_id = ?18, tags = ?19, modified_time = ?20, settings = ?21
                 WHERE instance_id = ?1 AND id = ?2",
            )?
            .execute(rusqlite::params_from_iter(values))?;
        Ok(changed > 0)
    }

    pub fn user(&self, instance_id: &str, id: &str) -> Sql<Option<UserRow>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE instance_id = ?1 AND id = ?2");
        self.conn
            .prepare_cached(&sql)?
            .query_row([instance_id, id], |r| user_row(r).map(|(_, u)| u))
            .optional()
    }

    pub fn users_page(
        &self,
        instance_id: &str,
        after: i64,
        limit: usize,
    ) -> Sql<Vec<(i64, UserSummary, f64)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, id, username, modified_time FROM users WHERE instance_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
        )?;
        let rows = stmt.query_map(params![instance_id, after, limit as i64], |r| {
            let id: String = r.get(1)?;
            Ok((
                r.get(0)?,
                UserSummary {
                    arn: String::new(),
                    id,
                    username: r.get(2)?,
                    last_modified: Some(crate::local::store::epoch_millis(r.get(3)?)),
                },
                r.get(3)?,
            ))
        })?;
        rows.collect()
    }

    /// One page of the users matching `filter`, and how many match in all;
    /// with `lag_ms`, of the users as they were that long ago.
    pub fn search_users(
        &self,
        instance_id: &str,
        filter: &UserFilter,
        after: i64,
        limit: usize,
        lag_ms: Option<u64>,
    ) -> Sql<(Vec<(i64, UserRow)>, i64)> {
        let mut args: Vec<String> = vec![instance_id.to_string()];
        let cond = filter_sql(filter, &mut args);
        let view = lag_ms
            .map(crate::local::search_lag::view)
            .unwrap_or_default();
        let count_sql =
            format!("{view}SELECT count(*) FROM users WHERE instance_id = ?1 AND ({cond})");
        let total: i64 = self
            .conn
            .prepare_cached(&count_sql)?
            .query_row(rusqlite::params_from_iter(&args), |r| r.get(0))?;
        let n = args.len();
        let sql = format!(
            "{view}SELECT {USER_COLUMNS} FROM users WHERE instance_id = ?1 AND ({cond}) AND seq > ?{} ORDER BY seq LIMIT ?{}",
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
            .prepare_cached(
                "SELECT count(*) FROM users WHERE instance_id = ?1 AND username_key = ?2",
            )?
            .query_row([instance_id, &username_key(username)], |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| n as usize)
    }

    /// How many users of the instance have this routing profile.
    pub fn users_with_routing_profile(&self, instance_id: &str, id: &str) -> Sql<usize> {
        self.conn
            .prepare_cached(
                "SELECT count(*) FROM users WHERE instance_id = ?1 AND routing_profile_id = ?2",
            )?
            .query_row([instance_id, id], |r| r.get::<_, i64>(0))
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
        Ok(self.conn.execute(
            "DELETE FROM users WHERE instance_id = ?1 AND id = ?2",
            [instance_id, id],
        )? > 0)
    }
}

/// The key user names are unique by.
pub fn username_key(username: &str) -> String {
    username.to_lowercase()
}

fn user_row(r: &Row<'_>) -> Sql<(i64, UserRow)> {
    let profiles: String = r.get(14)?;
    let tags: String = r.get(17)?;
    let settings: Option<String> = r.get(19)?;
    let settings = match settings.and_then(|json| serde_json::from_str(&json).ok()) {
        Some(settings) => settings,
        None => {
            let phone_type: String = r.get(8)?;
            StoredSettings::from_phone_columns(
                PhoneType::from_api_name(&phone_type).unwrap_or(PhoneType::SoftPhone),
                r.get(9)?,
                r.get(10)?,
                r.get(11)?,
                r.get(12)?,
            )
        }
    };
    let user = UserRow {
        id: r.get(1)?,
        username: r.get(2)?,
        identity_info: IdentityInfo {
            first_name: r.get(3)?,
            last_name: r.get(4)?,
            email: r.get(5)?,
            secondary_email: r.get(6)?,
            mobile: r.get(7)?,
        },
        settings,
        routing_profile_id: r.get(13)?,
        security_profile_ids: serde_json::from_str(&profiles).unwrap_or_default(),
        hierarchy_group_id: r.get(15)?,
        directory_user_id: r.get(16)?,
        tags: serde_json::from_str(&tags).unwrap_or_default(),
        modified_time: r.get(18)?,
    };
    Ok((r.get(0)?, user))
}
