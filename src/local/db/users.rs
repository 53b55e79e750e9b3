//! The user queries: insert, read, page, search, count, delete, update.

use rusqlite::{params, OptionalExtension, Row};

use super::{Db, Sql};
use crate::connect::{IdentityInfo, PhoneConfig, UserFields, UserSummary};
use crate::local::service::{Comparison, UserField, UserFilter};
use crate::user::PhoneType;

/// A user row: everything DescribeUser returns, without ARNs.
#[derive(Debug, Clone, PartialEq)]
pub struct UserRow {
    pub id: String,
    pub fields: UserFields,
    pub directory_user_id: Option<String>,
    pub modified_time: f64,
}

const USER_COLUMNS: &str = "seq, id, username, first_name, last_name, email, secondary_email, mobile, phone_type, \
     auto_accept, acw_timeout, desk_phone_number, persistent_connection, routing_profile_id, security_profile_ids, \
     hierarchy_group_id, directory_user_id, tags, modified_time";

impl Db<'_> {
    /// Inserts a user; a taken name fails with a UNIQUE constraint error.
    pub fn insert_user(&self, instance_id: &str, user: &UserRow) -> Sql<()> {
        let f = &user.fields;
        let info = &f.identity_info;
        let phone = &f.phone_config;
        let profiles =
            serde_json::to_string(&f.security_profile_ids).unwrap_or_else(|_| "[]".to_string());
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
                },
                r.get(3)?,
            ))
        })?;
        rows.collect()
    }

    /// One page of the users matching `filter`, and how many match in all.
    pub fn search_users(
        &self,
        instance_id: &str,
        filter: &UserFilter,
        after: i64,
        limit: usize,
    ) -> Sql<(Vec<(i64, UserRow)>, i64)> {
        let mut args: Vec<String> = vec![instance_id.to_string()];
        let cond = filter_sql(filter, &mut args);
        let count_sql = format!("SELECT count(*) FROM users WHERE instance_id = ?1 AND ({cond})");
        let total: i64 = self
            .conn
            .prepare_cached(&count_sql)?
            .query_row(rusqlite::params_from_iter(&args), |r| r.get(0))?;
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
            .prepare_cached(
                "SELECT count(*) FROM users WHERE instance_id = ?1 AND username_key = ?2",
            )?
            .query_row([instance_id, &username_key(username)], |r| {
                r.get::<_, i64>(0)
            })
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

    /// Replaces a user's phone settings; false if there is no such user.
    pub fn update_phone_config(
        &self,
        instance_id: &str,
        id: &str,
        phone: &PhoneConfig,
        now: f64,
    ) -> Sql<bool> {
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
        UserFilter::And(parts) => parts
            .iter()
            .map(|p| format!("({})", filter_sql(p, args)))
            .collect::<Vec<_>>()
            .join(" AND "),
        UserFilter::Or(parts) => parts
            .iter()
            .map(|p| format!("({})", filter_sql(p, args)))
            .collect::<Vec<_>>()
            .join(" OR "),
        UserFilter::Condition {
            field,
            comparison,
            value,
        } => {
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
    let user = UserRow {
        id: r.get(1)?,
        fields,
        directory_user_id: r.get(16)?,
        modified_time: r.get(18)?,
    };
    Ok((r.get(0)?, user))
}
