//! Unit tests of resolving the instance: precedence, ARNs, the local store.

use super::*;

fn args() -> InstanceArgs {
    InstanceArgs::default()
}

#[test]
fn nothing_configured_is_none() {
    assert_eq!(
        resolve(&args(), None, &ConfigFile::default()).unwrap(),
        None
    );
}

#[test]
fn flag_beats_environment_beats_file() {
    let file = ConfigFile {
        instance_id: Some("from-file".into()),
        ..Default::default()
    };
    let id = |t: Option<InstanceTarget>| match t {
        Some(InstanceTarget::Aws { instance_id, .. }) => instance_id,
        other => panic!("{other:?}"),
    };
    assert_eq!(id(resolve(&args(), None, &file).unwrap()), "from-file");
    assert_eq!(
        id(resolve(&args(), Some("from-env".into()), &file).unwrap()),
        "from-env"
    );
    let flag = InstanceArgs {
        instance_id: Some("from-flag".into()),
        ..args()
    };
    assert_eq!(
        id(resolve(&flag, Some("from-env".into()), &file).unwrap()),
        "from-flag"
    );
}

#[test]
fn arn_gives_id_and_region() {
    let a = InstanceArgs {
        instance_arn: Some("arn:aws:connect:eu-west-2:123456789012:instance/abc-123".into()),
        ..args()
    };
    match resolve(&a, None, &ConfigFile::default()).unwrap() {
        Some(InstanceTarget::Aws {
            instance_id,
            region,
            ..
        }) => {
            assert_eq!(instance_id, "abc-123");
            assert_eq!(region.as_deref(), Some("eu-west-2"));
        }
        other => panic!("{other:?}"),
    }
    let contradiction = InstanceArgs {
        region: Some("us-east-1".into()),
        ..a.clone()
    };
    assert!(resolve(&contradiction, None, &ConfigFile::default()).is_err());
    assert!(parse_instance_arn("arn:aws:s3:::bucket").is_err());
    assert!(parse_instance_arn("arn:aws:connect:us-east-1:1:instance/").is_err());
}

#[test]
fn an_arn_is_accepted_wherever_an_id_is() {
    let arn = "arn:aws:connect:eu-west-2:123456789012:instance/abc-123";
    let target = |t: Option<InstanceTarget>| match t {
        Some(InstanceTarget::Aws {
            instance_id,
            region,
            ..
        }) => (instance_id, region),
        other => panic!("{other:?}"),
    };
    let expected = ("abc-123".to_string(), Some("eu-west-2".to_string()));
    let flag = InstanceArgs {
        instance_id: Some(arn.into()),
        ..args()
    };
    assert_eq!(
        target(resolve(&flag, None, &ConfigFile::default()).unwrap()),
        expected
    );
    assert_eq!(
        target(resolve(&args(), Some(arn.into()), &ConfigFile::default()).unwrap()),
        expected
    );
    let file = ConfigFile {
        instance_id: Some(arn.into()),
        ..Default::default()
    };
    assert_eq!(target(resolve(&args(), None, &file).unwrap()), expected);
    // The region flag must agree, as with --instance-arn.
    let contradiction = InstanceArgs {
        region: Some("us-east-1".into()),
        ..flag
    };
    assert!(resolve(&contradiction, None, &ConfigFile::default()).is_err());
    let bad = InstanceArgs {
        instance_id: Some("arn:aws:s3:::bucket".into()),
        ..args()
    };
    let err = resolve(&bad, None, &ConfigFile::default()).unwrap_err();
    assert!(err.to_string().contains("is not an instance ARN"), "{err}");
}

#[test]
fn local_from_flag_or_file() {
    let a = InstanceArgs {
        local: Some("x.db".into()),
        ..args()
    };
    assert_eq!(
        resolve(&a, Some("env".into()), &ConfigFile::default()).unwrap(),
        Some(InstanceTarget::Local { db: "x.db".into() })
    );
    let file = ConfigFile {
        local: Some("f.db".into()),
        ..Default::default()
    };
    assert_eq!(
        resolve(&args(), None, &file).unwrap(),
        Some(InstanceTarget::Local { db: "f.db".into() })
    );
    let both = ConfigFile {
        local: Some("f.db".into()),
        instance_id: Some("i".into()),
        ..Default::default()
    };
    assert!(resolve(&args(), None, &both).is_err());
}

#[test]
fn settings_file_rejects_unknown_keys() {
    assert!(toml::from_str::<ConfigFile>("instance_idd = \"x\"").is_err());
    let f: ConfigFile = toml::from_str("instance-id = \"x\"\nrate = 1.5\n").unwrap();
    assert_eq!(f.rate, Some(1.5));
}
