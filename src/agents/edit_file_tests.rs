//! A file's rows as wanted fields: the columns it has, names resolved, the
//! password never used, an unknown name a finding on its row.

use super::*;
use crate::connect::NamedResource;
use crate::identity::Identity;
use crate::validate::{validate_bytes, Purpose, ValidateOptions};

fn named(id: &str, name: &str) -> NamedResource {
    NamedResource {
        id: id.into(),
        arn: format!("arn:{id}"),
        name: name.into(),
    }
}

fn directory() -> Directory {
    let orca = HierarchyGroup {
        id: "g-orca".into(),
        name: "Team Orca".into(),
        level_id: "3".into(),
        path: vec![
            named("g-na", "North America"),
            named("g-sea", "Seattle"),
            named("g-orca", "Team Orca"),
        ],
    };
    Directory {
        routing_profiles: vec![
            named("rp-sales", "Sales Inbound"),
            named("rp-t1", "Support Tier 1"),
        ],
        security_profiles: vec![named("sp-agent", "Agent"), named("sp-qa", "QualityAnalyst")],
        hierarchy_groups: vec![named("g-orca", "Team Orca")],
        groups: [("g-orca".to_string(), orca)].into(),
    }
}

fn validation(text: &str, identity: Identity) -> Validation {
    let options = ValidateOptions {
        identity,
        purpose: Purpose::Edit,
        ..ValidateOptions::default()
    };
    validate_bytes("edit.csv", text.as_bytes(), &options)
}

#[test]
fn every_column_the_file_has_is_wanted_and_no_other() {
    let text = "user login,routing profile name,tags\n\
                ava,Support Tier 1,\n\
                ben,Sales Inbound,team|sales\n";
    let mut v = validation(text, Identity::Saml);
    assert!(!v.has_errors(), "{:?}", v.findings);
    let users = wanted(&mut v, &directory());
    assert_eq!(users.len(), 2);
    let ava = &users[0].wanted;
    assert_eq!(ava.routing_profile.as_deref(), Some("rp-t1"));
    assert!(
        ava.tags.only_these && ava.tags.set.is_empty(),
        "an empty cell: no tags"
    );
    assert_eq!(ava.security_profiles, None, "no column: left alone");
    assert_eq!(ava.hierarchy, None);
    assert!(ava.identity.is_empty() && ava.phone.is_none() && ava.acw.is_empty());
    assert_eq!(ava.persistent_connection, None);
    assert_eq!(users[1].wanted.tags.set["team"], "sales");
    assert_eq!(users[1].line, 3);
}

#[test]
fn a_full_row_wants_every_field_its_identity_type_takes() {
    let text = "first name,last name,email address,secondary email,mobile,user login,password,\
                routing profile name,security_profile_name_1|security_profile_name_2,\
                user_hierarchy_1|user_hierarchy_2,phone type (soft/desk),phone number,\
                soft phone auto accept (yes/no),ACW timeout (seconds),persistent connection (yes/no),\
                audio enhancement,tags\n\
                Ava,Brooks,ava@example.com,,,ava,weak,Sales Inbound,Agent|QualityAnalyst,\
                North America|Seattle|Team Orca,soft,,yes,45,yes,none,\n";
    let mut v = validation(text, Identity::ConnectManaged);
    assert!(
        !v.has_errors(),
        "the password is not used: {:?}",
        v.findings
    );
    let users = wanted(&mut v, &directory());
    let w = &users[0].wanted;
    assert_eq!(w.identity.len(), 5);
    assert_eq!(
        w.identity[&Field::Email].as_deref(),
        Some("ava@example.com")
    );
    assert_eq!(w.identity[&Field::Mobile], None);
    assert_eq!(w.hierarchy, Some(Some("g-orca".into())));
    assert_eq!(
        w.security_profiles,
        Some(SecurityProfiles::Exactly(
            ["sp-agent".to_string(), "sp-qa".to_string()].into()
        ))
    );
    assert_eq!(w.acw.len(), 4, "the template's ACW is every channel's");
    assert!(w.auto_accept[&Channel::Voice]);
    assert_eq!(w.desk_phones, DeskPhones::Ignore);
    assert!(needs_described_users(&v));
    assert_eq!(leaf_names(&v), ["Team Orca".to_string()].into());
}

#[test]
fn an_unknown_name_is_a_finding_on_its_row_and_the_row_is_left_out() {
    let text = "user login,routing profile name,user_hierarchy_1|user_hierarchy_2\n\
                ava,Sales Inbnd,\n\
                ben,Sales Inbound,North America|Team Orca\n\
                cy,Sales Inbound,\n";
    let mut v = validation(text, Identity::Saml);
    let users = wanted(&mut v, &directory());
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].login, "cy");
    assert_eq!(
        users[0].wanted.hierarchy,
        Some(None),
        "an empty cell: no group"
    );
    assert!(v.has_errors());
    let lines: Vec<Option<u64>> = v.findings.iter().map(|f| f.line).collect();
    assert_eq!(lines, [Some(2), Some(3)]);
    assert!(v.findings[0]
        .message
        .contains("did you mean \"Sales Inbound\""));
    assert!(v.findings[1]
        .message
        .contains("North America|Seattle|Team Orca"));
    assert!(!needs_described_users(&v));
}

#[test]
fn only_the_login_column_is_required() {
    let mut v = validation("routing profile name\nSales Inbound\n", Identity::Saml);
    assert!(v.has_errors());
    assert!(v.findings.iter().any(|f| f.code == "missing-column"));
    assert!(wanted(&mut v, &directory()).is_empty());
}
