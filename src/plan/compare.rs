//! Field-by-field comparison of a planned user with one on the instance.
//!
//! Used twice: when validation finds the login already taken (identical →
//! `exists`, different → an error, since the template path never edits an
//! existing user), and when a create answers DuplicateResourceException
//! (identical → an earlier attempt succeeded; different → the row fails).
//! Only what the file sets is compared: an optional column left empty says
//! nothing about the user. Passwords cannot be read back and are not compared.

use std::collections::{BTreeMap, BTreeSet};

use crate::connect::{NamedResource, UserFields};

/// One field that differs: the template column, the instance's value and the file's.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldDiff {
    pub column: &'static str,
    pub instance: String,
    pub file: String,
}

impl std::fmt::Display for FieldDiff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {:?} (instance) → {:?} (file)",
            self.column, self.instance, self.file
        )
    }
}

/// Names for IDs, so differences read as the file reads.
#[derive(Debug, Clone, Default)]
pub struct Namer {
    names: BTreeMap<String, String>,
}

impl Namer {
    pub fn new<'a>(resources: impl IntoIterator<Item = &'a NamedResource>) -> Namer {
        Namer {
            names: resources
                .into_iter()
                .map(|r| (r.id.clone(), r.name.clone()))
                .collect(),
        }
    }

    /// Names an ID (or, for hierarchy groups, gives its path).
    pub fn insert(&mut self, id: &str, name: String) {
        self.names.insert(id.to_string(), name);
    }

    pub fn name(&self, id: &str) -> String {
        self.names
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }
}

/// The differences between what the file would create and what exists.
pub fn compare(planned: &UserFields, actual: &UserFields, namer: &Namer) -> Vec<FieldDiff> {
    let mut diffs = Vec::new();
    let mut check = |column: &'static str, file: Option<String>, instance: Option<String>| {
        if let Some(file) = file {
            let instance = instance.unwrap_or_default();
            if file != instance {
                diffs.push(FieldDiff {
                    column,
                    instance,
                    file,
                });
            }
        }
    };
    let (p, a) = (&planned.identity_info, &actual.identity_info);
    check("first name", p.first_name.clone(), a.first_name.clone());
    check("last name", p.last_name.clone(), a.last_name.clone());
    check("email address", p.email.clone(), a.email.clone());
    check(
        "secondary email",
        p.secondary_email.clone(),
        a.secondary_email.clone(),
    );
    check("mobile", p.mobile.clone(), a.mobile.clone());
    check(
        "routing profile name",
        Some(namer.name(&planned.routing_profile_id)),
        Some(namer.name(&actual.routing_profile_id)),
    );
    let profiles = |ids: &[String]| {
        let set: BTreeSet<String> = ids.iter().map(|id| namer.name(id)).collect();
        set.into_iter().collect::<Vec<_>>().join("|")
    };
    check(
        "security_profile_name_1|security_profile_name_2",
        Some(profiles(&planned.security_profile_ids)),
        Some(profiles(&actual.security_profile_ids)),
    );
    check(
        "user_hierarchy_1|user_hierarchy_2",
        planned
            .hierarchy_group_id
            .as_deref()
            .map(|id| namer.name(id)),
        actual
            .hierarchy_group_id
            .as_deref()
            .map(|id| namer.name(id)),
    );
    let (pp, ap) = (&planned.phone_config, &actual.phone_config);
    check(
        "phone type (soft/desk)",
        Some(pp.phone_type.template_name().into()),
        Some(ap.phone_type.template_name().into()),
    );
    check(
        "phone number",
        pp.desk_phone_number.clone(),
        ap.desk_phone_number.clone(),
    );
    check(
        "soft phone auto accept (yes/no)",
        Some(yes_no(pp.auto_accept)),
        Some(yes_no(ap.auto_accept)),
    );
    check(
        "ACW timeout (seconds)",
        Some(pp.after_contact_work_time_limit.to_string()),
        Some(ap.after_contact_work_time_limit.to_string()),
    );
    check(
        "persistent connection (yes/no)",
        Some(yes_no(pp.persistent_connection.unwrap_or(false))),
        Some(yes_no(ap.persistent_connection.unwrap_or(false))),
    );
    if !planned.tags.is_empty() {
        check("tags", Some(tags(&planned.tags)), Some(tags(&actual.tags)));
    }
    diffs
}

fn yes_no(value: bool) -> String {
    if value { "yes" } else { "no" }.to_string()
}

fn tags(tags: &BTreeMap<String, String>) -> String {
    tags.iter()
        .map(|(k, v)| format!("{k}|{v}"))
        .collect::<Vec<_>>()
        .join("||")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connect::{IdentityInfo, PhoneConfig};
    use crate::user::PhoneType;

    fn fields() -> UserFields {
        UserFields {
            username: "aiko.sato".into(),
            identity_info: IdentityInfo {
                first_name: Some("Aiko".into()),
                last_name: Some("Sato".into()),
                email: Some("aiko@example.com".into()),
                ..Default::default()
            },
            phone_config: PhoneConfig {
                phone_type: PhoneType::SoftPhone,
                auto_accept: true,
                after_contact_work_time_limit: 30,
                desk_phone_number: None,
                persistent_connection: Some(true),
            },
            security_profile_ids: vec!["sp-agent".into(), "sp-qa".into()],
            routing_profile_id: "rp-basic".into(),
            hierarchy_group_id: None,
            tags: BTreeMap::new(),
        }
    }

    fn namer() -> Namer {
        let mut n = Namer::default();
        n.insert("rp-basic", "Basic Routing Profile".into());
        n.insert("rp-sales", "Sales Inbound".into());
        n.insert("sp-agent", "Agent".into());
        n.insert("sp-qa", "QualityAnalyst".into());
        n
    }

    #[test]
    fn identical_users_have_no_differences() {
        let mut reordered = fields();
        reordered.security_profile_ids.reverse();
        assert!(compare(&fields(), &reordered, &namer()).is_empty());
    }

    #[test]
    fn differences_are_named_by_column_and_name() {
        let mut actual = fields();
        actual.routing_profile_id = "rp-sales".into();
        actual.phone_config.persistent_connection = None;
        let diffs = compare(&fields(), &actual, &namer());
        assert_eq!(
            diffs,
            vec![
                FieldDiff {
                    column: "routing profile name",
                    instance: "Sales Inbound".into(),
                    file: "Basic Routing Profile".into()
                },
                FieldDiff {
                    column: "persistent connection (yes/no)",
                    instance: "no".into(),
                    file: "yes".into()
                },
            ]
        );
    }

    #[test]
    fn what_the_file_leaves_empty_is_not_compared() {
        let mut planned = fields();
        planned.identity_info.email = None;
        let mut actual = fields();
        actual.identity_info.email = Some("other@example.com".into());
        actual.hierarchy_group_id = Some("g1".into());
        actual.tags.insert("team".into(), "a".into());
        assert!(compare(&planned, &actual, &namer()).is_empty());
        planned.tags.insert("team".into(), "b".into());
        assert_eq!(compare(&planned, &actual, &namer()).len(), 1);
    }
}
