//! The model-shape check itself: it catches each kind of drift it exists
//! for, so that its silence over the other tests' answers means something.
//! (Every `LocalServer` of the suite runs it over all its answers.)
use crate::support;

use support::model::Model;

#[test]
fn the_check_finds_each_kind_of_drift() {
    use serde_json::json;
    let model = Model::load();
    let good = json!({"User": {"Id": "u", "PhoneConfig": {"PhoneType": "SOFT_PHONE"},
        "VoiceEnhancementConfigs": [{"Channel": "VOICE", "VoiceEnhancementMode": "NONE"}]}});
    assert_eq!(
        model.check_output("DescribeUser", &good),
        Vec::<String>::new()
    );
    let cases = [
        (
            json!({"User": {"Id": "u", "Nickname": "x"}}),
            "unknown member Nickname",
        ),
        (
            json!({"User": {"PhoneConfig": {"PhoneType": "CELL_PHONE"}}}),
            "is not one of",
        ),
        (json!({"User": {"Tags": {}}}), "fewer than 1"),
        (
            json!({"User": {"PhoneConfig": {"AutoAccept": "yes"}}}),
            "expected a boolean",
        ),
        (
            json!({"User": {"PersistentConnectionConfigs": [{"Channel": "VOICE"}]}}),
            "required member PersistentConnection",
        ),
        (
            json!({"User": {"PhoneConfig": {"AfterContactWorkTimeLimit": 3_000_000_000_i64}}}),
            "32-bit",
        ),
    ];
    for (body, expected) in cases {
        let problems = model.check_output("DescribeUser", &body);
        assert!(
            problems.iter().any(|p| p.contains(expected)),
            "{expected}: {problems:?}"
        );
    }
    let undeclared = model.check_recorded(&json!({"operation": "DescribeUser", "status": 409,
        "error_type": "DuplicateResourceException", "body": {"message": "x"}}));
    assert!(!undeclared.is_empty());
    let wrong_status = model.check_recorded(&json!({"operation": "CreateUser", "status": 400,
        "error_type": "DuplicateResourceException", "body": {"message": "x"}}));
    assert!(!wrong_status.is_empty());
    let no_output = model.check_recorded(&json!({"operation": "UpdateUserConfig", "status": 200,
        "error_type": null, "body": {"Ok": true}}));
    assert!(!no_output.is_empty());
}
