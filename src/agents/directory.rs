//! The instance's names for the IDs a user refers to: routing profiles,
//! security profiles and hierarchy groups (by their path from level one).
//! The lists are read once; hierarchy groups are described only when a
//! selected user or a `--hierarchy` path needs them.

use std::collections::BTreeMap;
use std::sync::Arc;

use futures::{stream, StreamExt, TryStreamExt};

use crate::connect::{ApiError, ConnectApi, HierarchyGroup, NamedResource};
use crate::plan::{hierarchy_miss, levels_of, path_of, unknown_name};

/// Names by ID.
#[derive(Debug, Clone)]
pub struct Directory {
    pub routing_profiles: Vec<NamedResource>,
    pub security_profiles: Vec<NamedResource>,
    /// Every group's summary; empty until a hierarchy is needed.
    pub hierarchy_groups: Vec<NamedResource>,
    /// Described groups, by ID.
    pub groups: BTreeMap<String, HierarchyGroup>,
}

/// A name the user gave that the instance does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct UnknownName(pub String);

impl Directory {
    /// Reads the routing and security profile lists (and the hierarchy
    /// group list when `hierarchy` is true).
    pub async fn read(api: &dyn ConnectApi, hierarchy: bool) -> Result<Directory, ApiError> {
        let routing_profiles = api.list_routing_profiles().await?;
        let security_profiles = api.list_security_profiles().await?;
        let hierarchy_groups = if hierarchy {
            api.list_hierarchy_groups().await?
        } else {
            Vec::new()
        };
        Ok(Directory {
            routing_profiles,
            security_profiles,
            hierarchy_groups,
            groups: BTreeMap::new(),
        })
    }

    /// The routing profile of this exact name.
    pub fn routing_profile_id(&self, name: &str) -> Result<String, UnknownName> {
        find(
            &self.routing_profiles,
            name,
            "routing profile",
            "--routing-profile",
        )
    }

    /// The security profile of this exact name.
    pub fn security_profile_id(&self, name: &str) -> Result<String, UnknownName> {
        find(
            &self.security_profiles,
            name,
            "security profile",
            "--security-profile",
        )
    }

    pub fn routing_profile_name(&self, id: &str) -> String {
        name_of(&self.routing_profiles, id)
    }

    pub fn security_profile_names(&self, ids: &[String]) -> Vec<String> {
        let mut names: Vec<String> = ids
            .iter()
            .map(|id| name_of(&self.security_profiles, id))
            .collect();
        names.sort();
        names
    }

    /// The path `A|B|C` of a described group; its ID when it was not described.
    /// The names of a group's levels, from level one.
    pub fn hierarchy_levels(&self, group_id: &str) -> Vec<String> {
        self.groups
            .get(group_id)
            .map_or_else(|| vec![group_id.to_string()], levels_of)
    }

    pub fn hierarchy_path(&self, group_id: &str) -> String {
        self.groups
            .get(group_id)
            .map(path_of)
            .unwrap_or_else(|| group_id.to_string())
    }

    /// Describes the groups not described yet, `parallel` at a time.
    pub async fn describe_groups(
        &mut self,
        api: &Arc<dyn ConnectApi>,
        ids: impl IntoIterator<Item = String>,
        parallel: usize,
    ) -> Result<(), ApiError> {
        let wanted: Vec<String> = ids
            .into_iter()
            .filter(|id| !self.groups.contains_key(id))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let described: Vec<HierarchyGroup> = stream::iter(wanted)
            .map(|id| {
                let api = api.clone();
                async move { api.describe_hierarchy_group(&id).await }
            })
            .buffer_unordered(parallel.max(1))
            .try_collect()
            .await?;
        for group in described {
            self.groups.insert(group.id.clone(), group);
        }
        Ok(())
    }

    /// The group at the end of a path from level one (`A|B|C`), given
    /// with `flag`: the groups named like its last level are described and
    /// their paths compared.
    pub async fn hierarchy_group_id(
        &mut self,
        api: &Arc<dyn ConnectApi>,
        path: &str,
        parallel: usize,
        flag: &str,
    ) -> Result<Result<String, UnknownName>, ApiError> {
        let levels: Vec<String> = path.split('|').map(|l| l.trim().to_string()).collect();
        let wanted = levels.join("|");
        let leaf = levels.last().cloned().unwrap_or_default();
        let candidates: Vec<String> = self
            .hierarchy_groups
            .iter()
            .filter(|g| g.name == leaf)
            .map(|g| g.id.clone())
            .collect();
        self.describe_groups(api, candidates.clone(), parallel)
            .await?;
        if let Some(id) = candidates
            .iter()
            .find(|id| self.hierarchy_path(id) == wanted)
        {
            return Ok(Ok(id.clone()));
        }
        let described: Vec<&HierarchyGroup> = candidates
            .iter()
            .filter_map(|id| self.groups.get(id))
            .collect();
        let why = hierarchy_miss(&levels, &described, &self.hierarchy_groups);
        Ok(Err(UnknownName(format!("{flag} {path:?}: {why}"))))
    }
}

/// The resource of this exact name in `list`, given with `flag`.
pub fn find(
    list: &[NamedResource],
    name: &str,
    what: &str,
    flag: &str,
) -> Result<String, UnknownName> {
    match list.iter().find(|r| r.name == name) {
        Some(found) => Ok(found.id.clone()),
        None => Err(UnknownName(format!(
            "{flag} {name:?}: {}",
            unknown_name(what, name, list)
        ))),
    }
}

fn name_of(list: &[NamedResource], id: &str) -> String {
    list.iter()
        .find(|r| r.id == id)
        .map(|r| r.name.clone())
        .unwrap_or_else(|| id.to_string())
}

impl Directory {
    /// Names for the IDs, for messages: the profiles' names and the paths
    /// of the groups described so far.
    pub fn namer(&self) -> crate::plan::compare::Namer {
        let mut namer = crate::plan::compare::Namer::new(
            self.routing_profiles.iter().chain(&self.security_profiles),
        );
        for (id, group) in &self.groups {
            namer.insert(id, crate::plan::path_of(group));
        }
        namer
    }
}
