//! Naming the instance: an ARN is accepted wherever an ID is, and an
//! instance that is not found is explained — the region asked, and the
//! instances these credentials see there (ListInstances).
use crate::support;

use support::apply::{command, fixture, run};
use support::local_server::{LocalServer, DEMO_INSTANCE_ID};

fn validate(dir: &std::path::Path, server: &LocalServer, instance: &str) -> support::apply::Run {
    run(command(dir).args([
        "import",
        "validate",
        fixture("valid/agents.csv").to_str().unwrap(),
        "--instance-id",
        instance,
        "--endpoint-url",
        server.endpoint(),
        "--region",
        "us-east-1",
    ]))
}

#[test]
fn an_instance_arn_is_accepted_as_the_id() {
    let dir = tempfile::tempdir().unwrap();
    let server = LocalServer::builder().args(["--no-throttle"]).start();
    let arn = format!("arn:aws:connect:us-east-1:123456789012:instance/{DEMO_INSTANCE_ID}");
    let by_arn = validate(dir.path(), &server, &arn);
    assert_eq!(by_arn.code, Some(0), "{by_arn}");
    // The same through the environment, which takes the region from it.
    let env = run(command(dir.path())
        .args([
            "import",
            "validate",
            fixture("valid/agents.csv").to_str().unwrap(),
            "--endpoint-url",
            server.endpoint(),
        ])
        .env("CONNECT_INSTANCE_ID", &arn));
    assert_eq!(env.code, Some(0), "{env}");
}

#[test]
fn a_wrong_id_names_the_region_and_the_instances_there() {
    let dir = tempfile::tempdir().unwrap();
    let server = LocalServer::builder().args(["--no-throttle"]).start();
    let wrong = validate(dir.path(), &server, "1f3c2b9a-0000-4c6b-9a7f-2e8d0c1b3a45");
    assert_eq!(wrong.code, Some(2), "{wrong}");
    assert!(
        wrong.stderr.contains(
            "instance \"1f3c2b9a-0000-4c6b-9a7f-2e8d0c1b3a45\" was not found in region us-east-1 \
             of this account; these credentials see 1 instance there: demo-contact-center \
             (1f3c2b9a-5d4e-4c6b-9a7f-2e8d0c1b3a45)"
        ),
        "{wrong}"
    );
    assert!(
        wrong.stderr.contains("ResourceNotFoundException"),
        "{wrong}"
    );

    let alias = validate(dir.path(), &server, "demo-contact-center");
    assert_eq!(alias.code, Some(2), "{alias}");
    assert!(
        alias.stderr.contains(&format!(
            "\"demo-contact-center\" is the alias of instance {DEMO_INSTANCE_ID}; pass its ID: \
             --instance-id {DEMO_INSTANCE_ID}"
        )),
        "{alias}"
    );
}
