//! The plan: what an import will do with each user of a validated file,
//! given a [`Snapshot`] of the instance. Pure: no I/O.
//!
//! Names resolve to IDs by exact match (values are case-sensitive, as in the
//! console); a miss is an error with the closest existing names. A login that
//! exists is `exists` when every field the file sets matches, and an error
//! otherwise, because the template path never edits an existing user.

pub mod compare;
pub mod shape;
pub mod snapshot;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use compare::{FieldDiff, Namer};
pub use snapshot::{gather, Snapshot};

use crate::connect::{
    ExistingUser, HierarchyGroup, IdentityInfo, NamedResource, NewUser, UserFields,
};
use crate::finding::{Finding, Severity};
use crate::user::{Action, UserSpec};
use crate::validate::Validation;

pub const ROUTING_PROFILE: &str = "routing profile name";
pub const SECURITY_PROFILES: &str = "security_profile_name_1|security_profile_name_2";
pub const HIERARCHY: &str = "user_hierarchy_1|user_hierarchy_2";
pub const USER_LOGIN: &str = "user login";

/// A user the import will create.
#[derive(Debug, Clone)]
pub struct PlannedCreate {
    pub line: u64,
    pub login: String,
    pub user: NewUser,
    /// The settings the row states (a column the file lacks states none),
    /// which a user found under its login must match to be this row's.
    pub stated: crate::connect::EffectiveSettings,
}

/// A user of the file that already exists, identical.
#[derive(Debug, Clone)]
pub struct PlannedExists {
    pub line: u64,
    pub login: String,
    pub user: ExistingUser,
}

/// Everything the import will do.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Boxed: each create is built once and moved, never copied, into the
    /// change that sends it (a large file has many, each some 600 bytes).
    pub creates: Vec<Box<PlannedCreate>>,
    pub exists: Vec<PlannedExists>,
    /// Names for the instance's IDs, for messages.
    pub namer: Namer,
}

/// Checks the validated users against the snapshot: pushes a finding for
/// every problem, sets each user's action, and returns the plan. The plan is
/// only meant to be carried out when the validation has no errors.
pub fn plan(validation: &mut Validation, snapshot: &Snapshot) -> Plan {
    let resolver = Resolver::new(snapshot);
    let mut plan = Plan {
        creates: Vec::new(),
        exists: Vec::new(),
        namer: resolver.namer.clone(),
    };
    let mut findings = Vec::new();
    let mut actions = Vec::new();
    for (index, entry) in validation.users.iter().enumerate() {
        // Each user is built from its row, planned, and let go: a large
        // file's users are never all held at once.
        let Some(spec) = validation.spec(entry) else {
            continue;
        };
        let spec = &spec;
        let Some(fields) = resolver.resolve(spec, &mut findings) else {
            continue;
        };
        let stated = shape::stated_settings(spec);
        match snapshot.existing.get(&spec.login_key()) {
            Some(existing) => {
                let diffs =
                    compare::compare_stated(&fields, &stated, &existing.fields, &resolver.namer);
                if diffs.is_empty() {
                    actions.push((index, Action::Exists));
                    plan.exists.push(PlannedExists {
                        line: spec.line,
                        login: spec.login.clone(),
                        user: existing.clone(),
                    });
                } else {
                    findings.push(existing_differs(spec, &existing.fields.username, &diffs));
                }
            }
            None => {
                actions.push((index, Action::Create));
                let user = NewUser {
                    fields,
                    password: spec.password.clone(),
                    directory_user_id: None,
                };
                plan.creates.push(Box::new(PlannedCreate {
                    line: spec.line,
                    login: spec.login.clone(),
                    user,
                    stated,
                }));
            }
        }
    }
    for (index, action) in actions {
        validation.users[index].action = Some(action);
    }
    for finding in findings {
        validation.push(finding);
    }
    plan
}

/// What the snapshot of a file must read: its valid users' logins and
/// hierarchy leaves, each user built from its row and let go.
pub fn wanted(validation: &Validation) -> snapshot::Wanted {
    let mut wanted = snapshot::Wanted::default();
    for entry in &validation.users {
        if let Some(spec) = validation.spec(entry) {
            wanted.add(&spec);
        }
    }
    wanted
}

fn existing_differs(spec: &UserSpec, instance_login: &str, diffs: &[FieldDiff]) -> Finding {
    let list: Vec<String> = diffs.iter().map(ToString::to_string).collect();
    error(
        spec.line,
        USER_LOGIN,
        &spec.login,
        "existing-user-differs",
        format!(
            "user {instance_login:?} already exists with different information, and the template \
             never edits an existing user: {}. Make the row match the instance, remove it, or \
             change the user in the admin website",
            list.join("; ")
        ),
    )
}

fn error(line: u64, column: &str, value: &str, code: &str, message: String) -> Finding {
    Finding {
        severity: Severity::Error,
        line: Some(line),
        column: Some(column.to_string()),
        value: Some(value.to_string()),
        code: code.to_string(),
        message,
    }
}

/// Name → ID lookups over the snapshot.
struct Resolver<'a> {
    routing: BTreeMap<&'a str, &'a str>,
    security: BTreeMap<&'a str, &'a str>,
    snapshot: &'a Snapshot,
    namer: Namer,
}

impl<'a> Resolver<'a> {
    fn new(snapshot: &'a Snapshot) -> Resolver<'a> {
        let by_name = |list: &'a [NamedResource]| {
            list.iter()
                .map(|r| (r.name.as_str(), r.id.as_str()))
                .collect()
        };
        let mut namer = Namer::new(
            snapshot
                .routing_profiles
                .iter()
                .chain(&snapshot.security_profiles),
        );
        for group in snapshot.described_groups.values() {
            namer.insert(&group.id, path_of(group));
        }
        Resolver {
            routing: by_name(&snapshot.routing_profiles),
            security: by_name(&snapshot.security_profiles),
            snapshot,
            namer,
        }
    }

    /// The user's fields by ID, or `None` after pushing a finding per name
    /// that does not resolve.
    fn resolve(&self, spec: &UserSpec, findings: &mut Vec<Finding>) -> Option<UserFields> {
        let before = findings.len();
        let routing = self.routing.get(spec.routing_profile.as_str()).copied();
        if routing.is_none() {
            findings.push(unknown(
                spec,
                ROUTING_PROFILE,
                &spec.routing_profile,
                "routing profile",
                &self.snapshot.routing_profiles,
            ));
        }
        let mut security = Vec::new();
        for name in &spec.security_profiles {
            match self.security.get(name.as_str()) {
                Some(id) => security.push(id.to_string()),
                None => findings.push(unknown(
                    spec,
                    SECURITY_PROFILES,
                    name,
                    "security profile",
                    &self.snapshot.security_profiles,
                )),
            }
        }
        let group = if spec.hierarchy.is_empty() {
            None
        } else {
            self.resolve_hierarchy(spec, findings)
        };
        if findings.len() > before {
            return None;
        }
        let (phone_config, config) = shape::request_settings(spec);
        Some(UserFields {
            username: spec.login.clone(),
            identity_info: IdentityInfo {
                first_name: spec.first_name.clone(),
                last_name: spec.last_name.clone(),
                email: spec.email.clone(),
                secondary_email: spec.secondary_email.clone(),
                mobile: spec.mobile.clone(),
            },
            phone_config,
            config,
            security_profile_ids: security,
            routing_profile_id: routing?.to_string(),
            hierarchy_group_id: group,
            tags: spec.tags.clone(),
        })
    }

    /// The ID of the group at the end of the user's path, checking every level.
    fn resolve_hierarchy(&self, spec: &UserSpec, findings: &mut Vec<Finding>) -> Option<String> {
        let wanted = spec.hierarchy.join("|");
        let leaf = spec.hierarchy.last()?;
        let candidates: Vec<&HierarchyGroup> = self
            .snapshot
            .described_groups
            .values()
            .filter(|g| &g.name == leaf)
            .collect();
        if let Some(group) = candidates.iter().find(|g| path_of(g) == wanted) {
            return Some(group.id.clone());
        }
        let message = hierarchy_miss(
            &spec.hierarchy,
            &candidates,
            &self.snapshot.hierarchy_groups,
        );
        findings.push(error(
            spec.line,
            HIERARCHY,
            &wanted,
            "unknown-hierarchy-group",
            message,
        ));
        None
    }
}

/// Why no group has this path (levels from level one): the leaf is
/// unknown (with the closest names), or written with `/` for `|` (with the
/// path rewritten), or exists at other paths (`candidates`, the groups
/// named like the leaf, each listed).
pub(crate) fn hierarchy_miss(
    levels: &[String],
    candidates: &[&HierarchyGroup],
    groups: &[NamedResource],
) -> String {
    let leaf = levels.last().map_or("", String::as_str);
    let slashed = if candidates.is_empty() {
        slash_path(levels)
    } else {
        None
    };
    if let Some(rewritten) = slashed {
        // `technical support/IT/Eastern`: one name to us, a path to them.
        let known = rewritten
            .last()
            .is_some_and(|leaf| groups.iter().any(|g| &g.name == leaf));
        format!(
            "no hierarchy group is named {leaf:?} in this instance; the levels of a hierarchy \
             path are separated by |, not /: write {:?}{}",
            rewritten.join("|"),
            if known {
                format!(
                    " (the instance has a group named {:?})",
                    rewritten[rewritten.len() - 1]
                )
            } else {
                String::new()
            }
        )
    } else if candidates.is_empty() {
        let closest = closest(leaf, groups.iter().map(|g| g.name.as_str()));
        format!("no hierarchy group is named {leaf:?} in this instance{closest}; names are case-sensitive")
    } else {
        let paths: Vec<String> = candidates
            .iter()
            .map(|g| format!("{:?}", path_of(g)))
            .collect();
        format!(
            "the group {leaf:?} exists, but at {}; write the whole path from level one down, separated by |",
            paths.join(" or ")
        )
    }
}

/// A path whose levels are written with `/` (`technical support/IT/Eastern`),
/// rewritten with `|`; `None` when no level has a `/`, or the rewrite has an
/// empty level (`a//b`, `/x`): a name with a stray slash, not a path.
fn slash_path(path: &[String]) -> Option<Vec<&str>> {
    if !path.iter().any(|level| level.contains('/')) {
        return None;
    }
    let levels: Vec<&str> = path
        .iter()
        .flat_map(|level| level.split('/'))
        .map(str::trim)
        .collect();
    (levels.len() > 1 && levels.iter().all(|level| !level.is_empty())).then_some(levels)
}

/// `Planet|Continent|…`: the names from level one down.
pub fn path_of(group: &HierarchyGroup) -> String {
    levels_of(group).join("|")
}

/// The names of a group's levels from level one (its own name when the
/// service gave no path), each as the service holds it — a name may itself
/// contain `|`.
pub fn levels_of(group: &HierarchyGroup) -> Vec<String> {
    if group.path.is_empty() {
        return vec![group.name.clone()];
    }
    group.path.iter().map(|g| g.name.clone()).collect()
}

fn unknown(
    spec: &UserSpec,
    column: &str,
    name: &str,
    what: &str,
    existing: &[NamedResource],
) -> Finding {
    error(
        spec.line,
        column,
        name,
        &format!("unknown-{}", what.replace(' ', "-")),
        unknown_name(what, name, existing),
    )
}

/// `no routing profile is named "x" in this instance; did you mean …`, or,
/// when no name is close, the instance's names (a few of them at most).
pub(crate) fn unknown_name(what: &str, name: &str, existing: &[NamedResource]) -> String {
    let mut hint = closest(name, existing.iter().map(|r| r.name.as_str()));
    if hint.is_empty() && !existing.is_empty() {
        const SHOWN: usize = 8;
        let mut names: Vec<String> = existing.iter().map(|r| format!("{:?}", r.name)).collect();
        names.sort();
        let more = names.len().saturating_sub(SHOWN);
        names.truncate(SHOWN);
        let more = match more {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        hint = format!("; it has {}{more}", names.join(", "));
    }
    format!("no {what} is named {name:?} in this instance{hint}; names are case-sensitive")
}

/// `; did you mean "A" or "B"?` for the up to three closest names, or nothing.
pub fn closest<'n>(name: &str, names: impl Iterator<Item = &'n str>) -> String {
    let wanted = name.to_lowercase();
    let mut scored: Vec<(f64, &str)> = names
        .map(|n| (strsim::jaro_winkler(&wanted, &n.to_lowercase()), n))
        .filter(|(score, _)| *score >= 0.7)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    let picks: Vec<String> = scored
        .iter()
        .take(3)
        .map(|(_, n)| format!("{n:?}"))
        .collect();
    if picks.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", picks.join(" or "))
    }
}
