//! The operations of the local instance, with the service's server-side
//! checks and error types. The HTTP server and the in-process
//! [`crate::local::api::LocalApi`] both call these, so they behave alike.
//!
//! Each operation is one short locked section of the store; every write is
//! one transaction, and a taken user name is caught by the store's unique
//! index on the lower-cased login inside that transaction, so concurrent
//! creates of one name cannot both win.

use std::sync::Arc;

use crate::connect::{
    ApiError, ApiErrorKind, CreatedUser, ExistingUser, HierarchyGroup, NamedResource, NewUser,
    PhoneConfig, UserSummary,
};
use crate::local::db::{Db, InstanceRow, NamedKind, UserRow};
use crate::local::ids::random_uuid;
pub use crate::local::paging::Page;
use crate::local::paging::{page_limits, page_size, paginate, parse_token};
pub(crate) use crate::local::refs::{instance, must_exist, user, user_not_found, user_ref};
use crate::local::rules;
pub use crate::local::search::{Comparison, UserField, UserFilter};
use crate::local::store::{now_epoch, Store};

/// A user as DescribeUser and SearchUsers return it.
#[derive(Debug, Clone, PartialEq)]
pub struct UserRecord {
    pub user: ExistingUser,
    pub directory_user_id: Option<String>,
    pub modified_time: f64,
}

/// An entry of ListUsers.
#[derive(Debug, Clone, PartialEq)]
pub struct UserListing {
    pub summary: UserSummary,
    pub modified_time: f64,
}

impl From<rusqlite::Error> for ApiError {
    /// A store failure is the service's internal error, never a client one.
    fn from(err: rusqlite::Error) -> ApiError {
        ApiError::new(
            ApiErrorKind::InternalService,
            "InternalServiceException",
            format!("store error: {err}"),
        )
    }
}

pub fn invalid_parameter(message: impl Into<String>) -> ApiError {
    ApiError::new(
        ApiErrorKind::InvalidParameter,
        "InvalidParameterException",
        message,
    )
}

pub fn invalid_request(message: impl Into<String>) -> ApiError {
    ApiError::new(
        ApiErrorKind::InvalidRequest,
        "InvalidRequestException",
        message,
    )
}

pub fn not_found(message: impl Into<String>) -> ApiError {
    ApiError::new(
        ApiErrorKind::ResourceNotFound,
        "ResourceNotFoundException",
        message,
    )
}

/// The operations over one store, for any of its instances.
#[derive(Clone)]
pub struct Service {
    store: Arc<Store>,
    /// The users-per-instance quota, when enforced (the service's default
    /// is 500, adjustable per account).
    max_users: Option<usize>,
    /// `--search-lag-ms`: how old the view SearchUsers answers from is.
    search_lag_ms: Option<u64>,
}

impl Service {
    pub fn new(store: Arc<Store>) -> Service {
        Service {
            store,
            max_users: None,
            search_lag_ms: None,
        }
    }

    /// Makes SearchUsers answer from the users as they were `lag_ms`
    /// milliseconds ago (see [`crate::local::search_lag`]).
    pub fn with_search_lag(mut self, lag_ms: u64) -> anyhow::Result<Service> {
        self.store.enable_search_lag()?;
        self.search_lag_ms = Some(lag_ms);
        Ok(self)
    }

    /// Enforces a users-per-instance quota: CreateUser past it answers
    /// LimitExceededException, as the service does.
    pub fn with_max_users(mut self, max_users: Option<usize>) -> Service {
        self.max_users = max_users;
        self
    }

    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    pub fn list_instances(
        &self,
        max: Option<i32>,
        token: Option<&str>,
    ) -> Result<Page<InstanceRow>, ApiError> {
        let (limit, after) = (page_size(max, page_limits::INSTANCES)?, parse_token(token)?);
        let rows = self.store.read(|db| db.instances(after, limit + 1))?;
        Ok(paginate(rows, limit))
    }

    pub fn describe_instance(&self, instance_id: &str) -> Result<InstanceRow, ApiError> {
        self.store.read(|db| instance(db, instance_id))
    }

    /// ListRoutingProfiles, ListSecurityProfiles, ListUserHierarchyGroups.
    pub fn list_named(
        &self,
        kind: NamedKind,
        instance_id: &str,
        max: Option<i32>,
        token: Option<&str>,
    ) -> Result<Page<NamedResource>, ApiError> {
        let (limit, after) = (page_size(max, page_limits::NAMED)?, parse_token(token)?);
        self.store.read(|db| {
            let inst = instance(db, instance_id)?;
            let base = inst.arn_base;
            let rows = db.named_page(kind, &inst.id, after, limit + 1)?;
            let rows = rows
                .into_iter()
                .map(|(seq, id, name)| {
                    (
                        seq,
                        NamedResource {
                            arn: base.resource(kind.arn_kind(), &id),
                            id,
                            name,
                        },
                    )
                })
                .collect();
            Ok(paginate(rows, limit))
        })
    }

    pub fn describe_hierarchy_group(
        &self,
        instance_id: &str,
        group_id: &str,
    ) -> Result<HierarchyGroup, ApiError> {
        self.store.read(|db| {
            let inst = instance(db, instance_id)?;
            let group_id = must_exist(db, NamedKind::HierarchyGroup, &inst, group_id)?;
            let (instance_id, base) = (inst.id.as_str(), inst.arn_base.clone());
            let missing = || {
                not_found(format!(
                    "Hierarchy group {group_id} not found in instance {instance_id}"
                ))
            };
            let group = db.group(instance_id, &group_id)?.ok_or_else(missing)?;
            let levels = db.levels(instance_id)?;
            let level_id = levels
                .get(usize::from(group.level).saturating_sub(1))
                .map(|(id, _)| id.clone())
                .unwrap_or_default();
            let mut path = vec![];
            let mut cursor = Some(group.clone());
            while let Some(g) = cursor {
                path.push(NamedResource {
                    arn: base.resource("agent-group", &g.id),
                    id: g.id.clone(),
                    name: g.name.clone(),
                });
                cursor = match &g.parent_id {
                    Some(parent) if path.len() < 5 => db.group(instance_id, parent)?,
                    _ => None,
                };
            }
            path.reverse();
            Ok(HierarchyGroup {
                id: group.id,
                name: group.name,
                level_id,
                path,
            })
        })
    }

    /// DescribeUserHierarchyStructure: the levels from level one down.
    pub fn hierarchy_structure(&self, instance_id: &str) -> Result<Vec<NamedResource>, ApiError> {
        self.store.read(|db| {
            let inst = instance(db, instance_id)?;
            let base = inst.arn_base;
            let levels = db.levels(&inst.id)?;
            Ok(levels
                .into_iter()
                .map(|(id, name)| NamedResource {
                    arn: base.resource("agent-group-level", &id),
                    id,
                    name,
                })
                .collect())
        })
    }

    pub fn list_users(
        &self,
        instance_id: &str,
        max: Option<i32>,
        token: Option<&str>,
    ) -> Result<Page<UserListing>, ApiError> {
        let (limit, after) = (page_size(max, page_limits::USERS)?, parse_token(token)?);
        self.store.read(|db| {
            let inst = instance(db, instance_id)?;
            let base = inst.arn_base;
            let rows = db.users_page(&inst.id, after, limit + 1)?;
            let rows = rows
                .into_iter()
                .map(|(seq, mut summary, modified_time)| {
                    summary.arn = base.user(&summary.id);
                    (
                        seq,
                        UserListing {
                            summary,
                            modified_time,
                        },
                    )
                })
                .collect();
            Ok(paginate(rows, limit))
        })
    }

    /// SearchUsers: one page of the matching users and the total count.
    pub fn search_users(
        &self,
        instance_id: &str,
        filter: &UserFilter,
        max: Option<i32>,
        token: Option<&str>,
    ) -> Result<(Page<UserRecord>, i64), ApiError> {
        let (limit, after) = (
            page_size(max, page_limits::SEARCH_USERS)?,
            parse_token(token)?,
        );
        self.store.read(|db| {
            let inst = instance(db, instance_id)?;
            let (rows, total) =
                db.search_users(&inst.id, filter, after, limit + 1, self.search_lag_ms)?;
            let rows = rows
                .into_iter()
                .map(|(seq, row)| (seq, record(&inst, row)))
                .collect();
            Ok((paginate(rows, limit), total))
        })
    }

    pub fn describe_user(&self, instance_id: &str, user_id: &str) -> Result<UserRecord, ApiError> {
        self.store.read(|db| {
            let inst = instance(db, instance_id)?;
            let row = user(db, &inst, user_id)?;
            Ok(record(&inst, row))
        })
    }

    /// CreateUser: the checks, the lookups and the insert in one transaction.
    pub fn create_user(&self, instance_id: &str, user: &NewUser) -> Result<CreatedUser, ApiError> {
        self.store.write(|db| {
            let inst = instance(db, instance_id)?;
            let instance_id = inst.id.as_str();
            rules::check_new_user(inst.identity, user).map_err(invalid_parameter)?;
            rules::check_settings_conflicts(user.fields.phone_config.as_ref(), &user.fields.config)
                .map_err(invalid_request)?;
            // Profiles and the group may be named by ARN; the user keeps their IDs.
            let mut fields = user.fields.clone();
            fields.routing_profile_id =
                must_exist(db, NamedKind::RoutingProfile, &inst, &fields.routing_profile_id)?;
            for sp in &mut fields.security_profile_ids {
                *sp = must_exist(db, NamedKind::SecurityProfile, &inst, sp)?;
            }
            rules::check_security_profile_ids(&fields.security_profile_ids)
                .map_err(invalid_parameter)?;
            if let Some(group) = &mut fields.hierarchy_group_id {
                *group = must_exist(db, NamedKind::HierarchyGroup, &inst, group)?;
            }
            if let Some(max) = self.max_users {
                if db.user_count(instance_id)? >= max {
                    return Err(ApiError::new(
                        ApiErrorKind::LimitExceeded,
                        "LimitExceededException",
                        format!("The allowed limit for the resource has been exceeded: instance {instance_id} holds its quota of {max} users"),
                    ));
                }
            }
            let id = random_uuid();
            let username = fields.username.clone();
            let row = UserRow::new(id.clone(), fields, user.directory_user_id.clone());
            match db.insert_user(instance_id, &row) {
                Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ConstraintViolation => {
                    Err(ApiError::new(
                        ApiErrorKind::DuplicateResource,
                        "DuplicateResourceException",
                        format!("A user with the username '{username}' already exists in instance {instance_id}"),
                    ))
                }
                Err(e) => Err(e.into()),
                Ok(()) => {
                    if let Some(password) = &user.password {
                        db.set_password(instance_id, &id, password)?;
                    }
                    Ok(CreatedUser { arn: inst.arn_base.user(&id), id })
                }
            }
        })
    }

    /// DeleteUser: the user, its tags (they live on its row), its
    /// proficiencies and its password digest go in one transaction. A second delete of the same
    /// ID, and every later call naming it, is ResourceNotFoundException.
    pub fn delete_user(&self, instance_id: &str, user_id: &str) -> Result<(), ApiError> {
        self.store.write(|db| {
            let inst = instance(db, instance_id)?;
            let user_id = user_ref(&inst, user_id)?;
            if db.delete_user(&inst.id, user_id)? {
                db.delete_password(&inst.id, user_id)?;
                db.delete_proficiencies(&inst.id, user_id)?;
                Ok(())
            } else {
                Err(user_not_found(&inst.id, user_id))
            }
        })
    }

    /// UpdateUserPhoneConfig: replaces the phone settings (see
    /// [`StoredSettings::apply_phone_config`]).
    pub fn update_user_phone_config(
        &self,
        instance_id: &str,
        user_id: &str,
        phone: &PhoneConfig,
    ) -> Result<(), ApiError> {
        rules::check_phone_config(phone).map_err(invalid_parameter)?;
        self.update_user(instance_id, user_id, |_, _, row| {
            row.settings.apply_phone_config(phone);
            Ok(())
        })
    }

    /// Reads a user, lets `change` edit it (or refuse), and writes it back,
    /// in one transaction. The instance and the user may be named by ID or
    /// ARN; `change` sees the instance they resolved to.
    pub(crate) fn update_user(
        &self,
        instance_id: &str,
        user_id: &str,
        change: impl FnOnce(&Db<'_>, &InstanceRow, &mut UserRow) -> Result<(), ApiError>,
    ) -> Result<(), ApiError> {
        self.store.write(|db| {
            let inst = instance(db, instance_id)?;
            let mut row = user(db, &inst, user_id)?;
            change(db, &inst, &mut row)?;
            row.modified_time = now_epoch();
            db.update_user(&inst.id, &row)?;
            Ok(())
        })
    }
}

fn record(inst: &InstanceRow, row: UserRow) -> UserRecord {
    UserRecord {
        user: ExistingUser {
            arn: inst.arn_base.user(&row.id),
            fields: row.fields(),
            id: row.id,
            last_modified: Some(crate::local::store::epoch_millis(row.modified_time)),
        },
        directory_user_id: row.directory_user_id,
        modified_time: row.modified_time,
    }
}
