//! `agents edit FILE`: a filled template — typically an `agents export`
//! edited in a spreadsheet — as the wanted state of the users it names.
//! Pure: from a validated file and the instance's names to each row's
//! [`WantedFields`].
//!
//! Every column the file has says what the user is to hold, an empty cell
//! included (no secondary e-mail, no hierarchy, no tags); a column the file
//! lacks leaves that part of the user alone, and the password column is
//! never used. The columns mean what they mean to `import`: names for IDs,
//! the hierarchy as a path from level one, auto-accept as the VOICE
//! channel's, the ACW timeout as every channel's, persistent connection and
//! audio enhancement as the softphone's (a desk phone's are left alone, as
//! the template ignores them there). The `tags` cell is the user's tags as
//! a cell can hold them: a tag it cannot hold (`aws:` keys, `|` or
//! surrounding spaces, an empty value) is left alone, any other tag the
//! cell lacks is removed.

use std::collections::{BTreeMap, BTreeSet};

use super::directory::Directory;
use super::fields::Field;
use super::wanted::{DeskPhones, SecurityProfiles, Tags, WantedFields};
use crate::connect::{Channel, HierarchyGroup};
use crate::finding::Finding;
use crate::plan::{hierarchy_miss, path_of, unknown_name};
use crate::template::Column;
use crate::user::UserSpec;
use crate::validate::Validation;

/// One valid row of the file: its user and what it wants the user to hold.
#[derive(Debug, Clone)]
pub struct FileUser {
    pub line: u64,
    pub login: String,
    /// Whether messages may show the row's login (its cells line up and
    /// it cannot be hiding a password).
    pub shown: bool,
    pub wanted: WantedFields,
}

/// The columns a template has for identity members, and their fields.
const IDENTITY: [(Column, Field); 5] = [
    (Column::FirstName, Field::FirstName),
    (Column::LastName, Field::LastName),
    (Column::Email, Field::Email),
    (Column::SecondaryEmail, Field::SecondaryEmail),
    (Column::Mobile, Field::Mobile),
];

/// The identity columns whose values the search does not show (it shows
/// first and last name only): a file with one of them needs each user read
/// with DescribeUser to compare.
pub fn needs_described_users(validation: &Validation) -> bool {
    [Column::Email, Column::SecondaryEmail, Column::Mobile]
        .into_iter()
        .any(|c| validation.has_column(c) && c.accepts_values(validation.identity))
}

/// The names the file's hierarchy paths end in: the groups to describe.
pub fn leaf_names(validation: &Validation) -> BTreeSet<String> {
    if !validation.has_column(Column::Hierarchy) {
        return BTreeSet::new();
    }
    validation
        .users
        .iter()
        .filter_map(|entry| validation.spec(entry))
        .filter_map(|spec| spec.hierarchy.last().cloned())
        .collect()
}

/// Each valid row's wanted fields, the names resolved against `directory`
/// (whose groups named like the paths' last levels are described); a
/// finding on the row for each name the instance lacks, and the row left
/// out.
pub fn wanted(validation: &mut Validation, directory: &Directory) -> Vec<FileUser> {
    let has: BTreeSet<Column> = Column::ALL
        .into_iter()
        .filter(|c| validation.has_column(*c))
        .collect();
    let identity = validation.identity;
    let mut users = Vec::new();
    let mut findings = Vec::new();
    for entry in &validation.users {
        let Some(spec) = validation.spec(entry) else {
            continue;
        };
        let before = findings.len();
        let mut wanted = WantedFields {
            desk_phones: DeskPhones::Ignore,
            ..WantedFields::default()
        };
        for (column, field) in IDENTITY {
            if has.contains(&column) && column.accepts_values(identity) {
                wanted.identity.insert(field, text(&spec, column));
            }
        }
        if has.contains(&Column::RoutingProfile) {
            let found = directory
                .routing_profiles
                .iter()
                .find(|p| p.name == spec.routing_profile);
            match found {
                Some(profile) => wanted.routing_profile = Some(profile.id.clone()),
                None => findings.push(unknown(
                    &spec,
                    Column::RoutingProfile,
                    &spec.routing_profile,
                    unknown_name(
                        "routing profile",
                        &spec.routing_profile,
                        &directory.routing_profiles,
                    ),
                )),
            }
        }
        if has.contains(&Column::SecurityProfiles) {
            let mut ids = BTreeSet::new();
            for name in &spec.security_profiles {
                match directory.security_profiles.iter().find(|p| &p.name == name) {
                    Some(profile) => drop(ids.insert(profile.id.clone())),
                    None => findings.push(unknown(
                        &spec,
                        Column::SecurityProfiles,
                        name,
                        unknown_name("security profile", name, &directory.security_profiles),
                    )),
                }
            }
            wanted.security_profiles = Some(SecurityProfiles::Exactly(ids));
        }
        if has.contains(&Column::Hierarchy) {
            match hierarchy(&spec, directory) {
                Ok(group) => wanted.hierarchy = Some(group),
                Err(finding) => findings.push(finding),
            }
        }
        if has.contains(&Column::PhoneType) {
            wanted.phone = Some((spec.phone_type, spec.phone_number.clone()));
        }
        if let Some(on) = spec.auto_accept {
            wanted.auto_accept.insert(Channel::Voice, on);
        }
        if let Some(seconds) = spec.acw_timeout {
            let seconds = i32::try_from(seconds).unwrap_or(i32::MAX);
            wanted.acw = Channel::ALL.into_iter().map(|c| (c, seconds)).collect();
        }
        wanted.persistent_connection = spec.persistent_connection;
        wanted.audio_enhancement = spec.audio_enhancement;
        if has.contains(&Column::Tags) {
            wanted.tags = Tags {
                set: spec.tags.clone(),
                remove: BTreeSet::new(),
                only_these: true,
            };
        }
        if findings.len() == before {
            users.push(FileUser {
                line: spec.line,
                login: spec.login.clone(),
                shown: entry.shape.cells_shown(),
                wanted,
            });
        }
    }
    for finding in findings {
        validation.push(finding);
    }
    users
}

/// An identity cell's value; empty is none.
fn text(spec: &UserSpec, column: Column) -> Option<String> {
    match column {
        Column::FirstName => spec.first_name.clone(),
        Column::LastName => spec.last_name.clone(),
        Column::Email => spec.email.clone(),
        Column::SecondaryEmail => spec.secondary_email.clone(),
        Column::Mobile => spec.mobile.clone(),
        _ => None,
    }
}

/// The group at the end of the row's path (none for an empty cell).
fn hierarchy(spec: &UserSpec, directory: &Directory) -> Result<Option<String>, Finding> {
    let Some(leaf) = spec.hierarchy.last() else {
        return Ok(None);
    };
    let wanted = spec.hierarchy.join("|");
    let candidates: Vec<&HierarchyGroup> = directory
        .groups
        .values()
        .filter(|g| &g.name == leaf)
        .collect();
    if let Some(group) = candidates.iter().find(|g| path_of(g) == wanted) {
        return Ok(Some(group.id.clone()));
    }
    let why = hierarchy_miss(&spec.hierarchy, &candidates, &directory.hierarchy_groups);
    Err(Finding::error(
        Some(spec.line),
        Some(Column::Hierarchy.header()),
        Some(&wanted),
        "unknown-hierarchy-group",
        why,
    ))
}

fn unknown(spec: &UserSpec, column: Column, name: &str, message: String) -> Finding {
    let what = match column {
        Column::RoutingProfile => "unknown-routing-profile",
        _ => "unknown-security-profile",
    };
    Finding::error(
        Some(spec.line),
        Some(column.header()),
        Some(name),
        what,
        message,
    )
}

/// The groups of the directory named like `leaves`, to describe before
/// [`wanted`] resolves the paths.
pub fn leaf_groups(directory: &Directory, leaves: &BTreeSet<String>) -> Vec<String> {
    directory
        .hierarchy_groups
        .iter()
        .filter(|g| leaves.contains(&g.name))
        .map(|g| g.id.clone())
        .collect()
}

/// The file's rows by lower-cased login: which line names each user.
pub fn lines(users: &[FileUser]) -> BTreeMap<String, u64> {
    users
        .iter()
        .map(|u| (u.login.to_lowercase(), u.line))
        .collect()
}

#[cfg(test)]
#[path = "edit_file_tests.rs"]
mod tests;
