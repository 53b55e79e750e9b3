//! SearchUsers bodies into filters: each criteria and filter form, and
//! what is refused.

use super::*;
use crate::local::search::ProficiencyTest;

fn filter(json: &str) -> Result<UserFilter, ApiError> {
    serde_json::from_str::<SearchUsersBody>(json)
        .map_err(crate::local::server::wire::serialization_error)?
        .filter()
}

#[test]
fn criteria_forms() {
    let exact = r#"{"StringCondition": {"FieldName": "Username", "Value": "A.Lee", "ComparisonType": "EXACT"}}"#;
    assert_eq!(
        filter(&format!(r#"{{"SearchCriteria": {exact}}}"#)).unwrap(),
        UserFilter::Condition {
            field: UserField::Username,
            comparison: Comparison::Exact,
            value: "A.Lee".into()
        }
    );
    let nested = format!(
        r#"{{"SearchCriteria": {{"OrConditions": [{exact}, {{"AndConditions": [{exact}]}}]}}}}"#
    );
    assert!(matches!(filter(&nested).unwrap(), UserFilter::Or(parts) if parts.len() == 2));
    let resource = r#"{"SearchCriteria": {"StringCondition": {"FieldName": "resourceId", "Value": "x", "ComparisonType": "EXACT"}}}"#;
    assert!(filter(resource).is_ok());
    let like = r#"{"SearchCriteria": {"StringCondition": {"FieldName": "Username", "Value": "x", "ComparisonType": "LIKE"}}}"#;
    let err = filter(like).unwrap_err();
    assert!(
        err.message.contains("ComparisonType 'LIKE' must be EXACT")
            && !err.message.contains("Some("),
        "{err:?}"
    );
    let email = r#"{"SearchCriteria": {"StringCondition": {"FieldName": "Email", "Value": "x", "ComparisonType": "EXACT"}}}"#;
    let err = filter(email).unwrap_err();
    assert!(
        err.message.contains("FieldName 'Email' must be") && !err.message.contains("Some("),
        "{err:?}"
    );
    let no_type =
        r#"{"SearchCriteria": {"StringCondition": {"FieldName": "Username", "Value": "x"}}}"#;
    let err = filter(no_type).unwrap_err();
    assert!(
        err.message
            .contains("ComparisonType is missing: it must be")
            && !err.message.contains("None"),
        "{err:?}"
    );
}

#[test]
fn proficiency_conditions_are_checked() {
    let ok = r#"{"SearchCriteria": {"ListCondition": {"TargetListType": "PROFICIENCIES", "Conditions": [
        {"StringCondition": {"FieldName": "name", "Value": "Language", "ComparisonType": "EXACT"}},
        {"NumberCondition": {"FieldName": "limit", "MinValue": 2, "ComparisonType": "GREATER_OR_EQUAL"}}]}}}"#;
    assert_eq!(
        filter(ok).unwrap(),
        UserFilter::Proficiency(vec![
            ProficiencyTest::Text {
                value_field: false,
                comparison: Comparison::Exact,
                text: "Language".into()
            },
            ProficiencyTest::Level {
                operator: ">=",
                min: Some(2),
                max: None
            }
        ])
    );
    let bad = r#"{"SearchCriteria": {"ListCondition": {"TargetListType": "SKILLS"}}}"#;
    let err = filter(bad).unwrap_err();
    assert!(
        err.message.contains("TargetListType 'SKILLS' must be"),
        "{err:?}"
    );
    let no_field = r#"{"SearchCriteria": {"ListCondition": {"TargetListType": "PROFICIENCIES", "Conditions": [
        {"NumberCondition": {"MinValue": 2, "ComparisonType": "GREATER"}}]}}}"#;
    let err = filter(no_field).unwrap_err();
    assert!(
        err.message
            .contains("NumberCondition.FieldName is missing: it must be limit"),
        "{err:?}"
    );
}

#[test]
fn search_filters() {
    let tags = r#"{"SearchFilter": {"TagFilter": {"OrConditions": [[{"TagKey": "team", "TagValue": "orca"}], [{"TagKey": "shift"}]]}}}"#;
    assert!(matches!(filter(tags).unwrap(), UserFilter::Or(any) if any.len() == 2));
    let group = r#"{"SearchFilter": {"UserAttributeFilter": {"HierarchyGroupCondition": {"Value": "g", "HierarchyGroupMatchType": "WITH_CHILD_GROUPS"}}}}"#;
    assert_eq!(
        filter(group).unwrap(),
        UserFilter::HierarchyGroup {
            group_id: "g".into(),
            with_child_groups: true
        }
    );
    let unknown = r#"{"SearchFilter": {"QueueFilter": {}}}"#;
    let err = filter(unknown).unwrap_err();
    assert!(err.message.contains("QueueFilter"), "{err:?}");
}

#[test]
fn tag_filter_and_attribute_filter_together_are_access_denied() {
    let both = r#"{"SearchFilter": {"TagFilter": {"TagCondition": {"TagKey": "team"}},
        "UserAttributeFilter": {"TagCondition": {"TagKey": "team"}}}}"#;
    let err = filter(both).unwrap_err();
    assert_eq!(err.code, "AccessDeniedException", "{err:?}");
    let two_fields = r#"{"SearchFilter": {"UserAttributeFilter": {"TagCondition": {"TagKey": "team"},
        "HierarchyGroupCondition": {"Value": "g"}}}}"#;
    let err = filter(two_fields).unwrap_err();
    assert!(
        err.code == "InvalidParameterException"
            && err
                .message
                .contains("got TagCondition and HierarchyGroupCondition"),
        "{err:?}"
    );
}
