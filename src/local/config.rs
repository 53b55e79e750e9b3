//! The instance's configuration as an administrator reads it around an
//! import: DescribeRoutingProfile, DescribeSecurityProfile,
//! SearchRoutingProfiles, SearchSecurityProfiles, SearchUserHierarchyGroups
//! and ListAgentStatuses.
//!
//! The local instance keeps a profile's ID and name only (no description,
//! queues, media concurrency or tags), so those members are left out of
//! the answers, a search condition on them matches nothing, and so does a
//! tag condition. Its agent statuses are the two every instance starts
//! with, Available (ROUTABLE) and Offline (OFFLINE), with IDs derived from
//! the instance.

use crate::connect::{ApiError, HierarchyGroup, NamedResource};
use crate::local::db::{InstanceRow, NamedKind};
use crate::local::ids::derived_uuid;
use crate::local::paging::{page_size, paginate, parse_token, Page};
use crate::local::search::Comparison;
use crate::local::service::{instance, must_exist, Service};

/// The page-size limits of the operations here: (largest, default).
pub mod limits {
    pub const SEARCH_ROUTING_PROFILES: (i32, i32) = (500, 100);
    pub const SEARCH_SECURITY_PROFILES: (i32, i32) = (100, 100);
    pub const SEARCH_HIERARCHY_GROUPS: (i32, i32) = (100, 100);
    pub const AGENT_STATUSES: (i32, i32) = (1000, 100);
}

/// A routing or security profile as Describe* and Search* answer it.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileRecord {
    pub profile: NamedResource,
    pub instance_id: String,
    /// Users whose routing profile this is (routing profiles only).
    pub users: Option<usize>,
    /// The instance's creation: profiles come with the instance's seed.
    pub modified_time: f64,
    pub region: String,
}

/// A hierarchy group as SearchUserHierarchyGroups answers it.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupRecord {
    pub group: HierarchyGroup,
    pub modified_time: f64,
    pub region: String,
}

/// The fields a Search* `StringCondition` may name, for resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceField {
    Name,
    ResourceId,
    /// A hierarchy group's parent group.
    ParentId,
    /// A hierarchy group's level.
    LevelId,
    /// Fields the local instance does not keep (a routing profile's
    /// description and queues): a condition on them matches nothing.
    Unkept,
}

/// The criteria and filter of a resource search, as one tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceFilter {
    All,
    Nothing,
    Condition {
        field: ResourceField,
        comparison: Comparison,
        value: String,
    },
    And(Vec<ResourceFilter>),
    Or(Vec<ResourceFilter>),
}

/// What a resource search tests.
struct Candidate<'a> {
    id: &'a str,
    name: &'a str,
    parent_id: Option<&'a str>,
    level_id: Option<&'a str>,
}

impl ResourceFilter {
    fn matches(&self, candidate: &Candidate<'_>) -> bool {
        match self {
            ResourceFilter::All => true,
            ResourceFilter::Nothing => false,
            ResourceFilter::And(parts) => parts.iter().all(|p| p.matches(candidate)),
            ResourceFilter::Or(parts) => {
                parts.is_empty() || parts.iter().any(|p| p.matches(candidate))
            }
            ResourceFilter::Condition {
                field,
                comparison,
                value,
            } => {
                // Names ignore case, as SearchUsers' do; IDs are exact.
                let (text, value) = match field {
                    ResourceField::Name => (candidate.name.to_lowercase(), value.to_lowercase()),
                    ResourceField::ResourceId => (candidate.id.to_string(), value.clone()),
                    ResourceField::ParentId => match candidate.parent_id {
                        Some(id) => (id.to_string(), value.clone()),
                        None => return false,
                    },
                    ResourceField::LevelId => match candidate.level_id {
                        Some(id) => (id.to_string(), value.clone()),
                        None => return false,
                    },
                    ResourceField::Unkept => return false,
                };
                match comparison {
                    Comparison::Exact => text == value,
                    Comparison::StartsWith => text.starts_with(&value),
                    Comparison::Contains => text.contains(&value),
                }
            }
        }
    }
}

/// The agent statuses every instance has: (name, type).
const AGENT_STATUSES: [(&str, &str); 2] = [("Available", "ROUTABLE"), ("Offline", "OFFLINE")];

/// An agent status as ListAgentStatuses answers it.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentStatus {
    pub status: NamedResource,
    pub kind: &'static str,
    pub modified_time: f64,
    pub region: String,
}

impl Service {
    /// DescribeRoutingProfile and DescribeSecurityProfile (by ID or ARN).
    pub fn describe_profile(
        &self,
        kind: NamedKind,
        instance_id: &str,
        profile_id: &str,
    ) -> Result<ProfileRecord, ApiError> {
        self.store().read(|db| {
            let inst = instance(db, instance_id)?;
            let id = must_exist(db, kind, &inst, profile_id)?;
            let name = db.named(kind, &inst.id, &id)?.unwrap_or_default();
            profile_record(db, &inst, kind, id, name)
        })
    }

    /// SearchRoutingProfiles and SearchSecurityProfiles: one page of the
    /// matching profiles, in creation order, and how many match in all.
    pub fn search_profiles(
        &self,
        kind: NamedKind,
        instance_id: &str,
        filter: &ResourceFilter,
        max: Option<i32>,
        token: Option<&str>,
    ) -> Result<(Page<ProfileRecord>, i64), ApiError> {
        let limits = match kind {
            NamedKind::RoutingProfile => limits::SEARCH_ROUTING_PROFILES,
            _ => limits::SEARCH_SECURITY_PROFILES,
        };
        let (limit, after) = (page_size(max, limits)?, parse_token(token)?);
        self.store().read(|db| {
            let inst = instance(db, instance_id)?;
            let mut matching = vec![];
            for (seq, id, name) in db.named_page(kind, &inst.id, 0, usize::MAX >> 1)? {
                let candidate = Candidate {
                    id: &id,
                    name: &name,
                    parent_id: None,
                    level_id: None,
                };
                if filter.matches(&candidate) {
                    matching.push((seq, id, name));
                }
            }
            let total = matching.len() as i64;
            let mut page = vec![];
            for (seq, id, name) in matching.into_iter().filter(|(seq, ..)| *seq > after) {
                if page.len() > limit {
                    break;
                }
                page.push((seq, profile_record(db, &inst, kind, id, name)?));
            }
            Ok((paginate(page, limit), total))
        })
    }

    /// SearchUserHierarchyGroups: one page of the matching groups, each
    /// with its path, and how many match in all.
    pub fn search_hierarchy_groups(
        &self,
        instance_id: &str,
        filter: &ResourceFilter,
        max: Option<i32>,
        token: Option<&str>,
    ) -> Result<(Page<GroupRecord>, i64), ApiError> {
        let (limit, after) = (
            page_size(max, limits::SEARCH_HIERARCHY_GROUPS)?,
            parse_token(token)?,
        );
        let inst = self.describe_instance(instance_id)?;
        let rows = self
            .store()
            .read(|db| db.named_page(NamedKind::HierarchyGroup, &inst.id, 0, usize::MAX >> 1))?;
        let mut matching = vec![];
        for (seq, id, _) in rows {
            let group = self.describe_hierarchy_group(&inst.id, &id)?;
            let parent = group.path.len().checked_sub(2).map(|i| &group.path[i]);
            let candidate = Candidate {
                id: &group.id,
                name: &group.name,
                parent_id: parent.map(|p| p.id.as_str()),
                level_id: Some(&group.level_id),
            };
            if filter.matches(&candidate) {
                matching.push((seq, group));
            }
        }
        let total = matching.len() as i64;
        let page = matching
            .into_iter()
            .filter(|(seq, _)| *seq > after)
            .take(limit + 1)
            .map(|(seq, group)| {
                let record = GroupRecord {
                    group,
                    modified_time: inst.created_time,
                    region: inst.arn_base.region.clone(),
                };
                (seq, record)
            })
            .collect();
        Ok((paginate(page, limit), total))
    }

    /// ListAgentStatuses, of the given types (all when none is given).
    pub fn list_agent_statuses(
        &self,
        instance_id: &str,
        types: &[String],
        max: Option<i32>,
        token: Option<&str>,
    ) -> Result<Page<AgentStatus>, ApiError> {
        let (limit, after) = (page_size(max, limits::AGENT_STATUSES)?, parse_token(token)?);
        let inst = self.describe_instance(instance_id)?;
        let rows = AGENT_STATUSES
            .iter()
            .zip(1_i64..)
            .filter(|((_, kind), seq)| {
                *seq > after && (types.is_empty() || types.iter().any(|t| t == kind))
            })
            .take(limit + 1)
            .map(|((name, kind), seq)| {
                let id = derived_uuid(&[&inst.id, "agent-state", name]);
                let status = AgentStatus {
                    status: NamedResource {
                        arn: inst.arn_base.resource("agent-state", &id),
                        id,
                        name: name.to_string(),
                    },
                    kind,
                    modified_time: inst.created_time,
                    region: inst.arn_base.region.clone(),
                };
                (seq, status)
            })
            .collect();
        Ok(paginate(rows, limit))
    }
}

fn profile_record(
    db: &crate::local::db::Db<'_>,
    inst: &InstanceRow,
    kind: NamedKind,
    id: String,
    name: String,
) -> Result<ProfileRecord, ApiError> {
    let users = match kind {
        NamedKind::RoutingProfile => Some(db.users_with_routing_profile(&inst.id, &id)?),
        _ => None,
    };
    Ok(ProfileRecord {
        profile: NamedResource {
            arn: inst.arn_base.resource(kind.arn_kind(), &id),
            id,
            name,
        },
        instance_id: inst.id.clone(),
        users,
        modified_time: inst.created_time,
        region: inst.arn_base.region.clone(),
    })
}
