//! `template fetch` and `import validate` with an instance configured: the
//! instance's identity type decides the template and the rules, and the file
//! is checked against what the instance holds — with read calls only.
use crate::support;

use support::apply::{
    command, fixture, import, run, saml_server, write_template, SAML_INSTANCE_ID,
};
use support::local_server::{LocalServer, DEMO_INSTANCE_ID};

fn no_write_calls(server: &LocalServer) {
    let operations = server.stats()["operations"].clone();
    for operation in operations.as_object().unwrap().keys() {
        assert!(
            operation.starts_with("Describe")
                || operation.starts_with("List")
                || operation == "SearchUsers",
            "write call {operation}"
        );
    }
}

#[test]
fn template_fetch_follows_the_instance_identity_type() {
    let server = saml_server();
    let dir = tempfile::tempdir().unwrap();
    let result = run(command(dir.path())
        .args([
            "template",
            "fetch",
            "--no-bom",
            "--instance-id",
            SAML_INSTANCE_ID,
        ])
        .args(["--endpoint-url", server.endpoint(), "--region", "us-east-1"]));
    assert_eq!(result.code, Some(0), "{result}");
    let saml = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/saml.csv"))
        .unwrap();
    assert_eq!(result.stdout, saml);
    assert!(!result.stdout.contains("password") && !result.stdout.contains("email address"));
    assert_eq!(server.count("DescribeInstance", "200"), 1);

    let contradiction = run(command(dir.path())
        .args([
            "template",
            "fetch",
            "--identity",
            "connect-managed",
            "--instance-id",
            SAML_INSTANCE_ID,
        ])
        .args(["--endpoint-url", server.endpoint(), "--region", "us-east-1"]));
    assert_eq!(contradiction.code, Some(2), "{contradiction}");
    assert!(
        contradiction
            .stderr
            .contains("identity management type is saml"),
        "{contradiction}"
    );
}

#[test]
fn validate_against_the_instance_plans_each_user() {
    let server = LocalServer::start();
    let dir = tempfile::tempdir().unwrap();
    let file = write_template(
        dir.path(),
        "agents.csv",
        &[
            "Sakura,Tanaka,s.tanaka@example.com,,+819012340001,s.tanaka,Passw0rd-s,Japan Support,Agent,\
             Japan|Tokyo|Team Sakura,soft,,yes,30,yes,,language|ja",
            "Nora,Vale,nora@example.com,,,nora.vale,Passw0rd-n,Sales Inbound,Agent,,soft,,no,0,no,,",
        ],
    );
    let result = run(
        import(dir.path(), &server, DEMO_INSTANCE_ID, "validate", &file).args(["--format", "json"]),
    );
    assert_eq!(result.code, Some(0), "{result}");
    let users = result.json()["users"].clone();
    assert_eq!(users[0]["action"], "exists", "{users}");
    assert_eq!(users[1]["action"], "create", "{users}");

    // The review table shows the action.
    let table = run(&mut import(
        dir.path(),
        &server,
        DEMO_INSTANCE_ID,
        "validate",
        &file,
    ));
    assert_eq!(table.code, Some(0), "{table}");
    assert!(
        table.stdout.contains("exists") && table.stdout.contains("create"),
        "{table}"
    );
    no_write_calls(&server);
}

#[test]
fn validate_against_the_instance_reports_unknown_names_with_lines() {
    let server = LocalServer::start();
    let dir = tempfile::tempdir().unwrap();
    let file = write_template(
        dir.path(),
        "agents.csv",
        &["Nora,Vale,nora@example.com,,,nora.vale,Passw0rd-n,Sales Inbound,QualityAnalist,,soft,,no,0,no,,"],
    );
    let result = run(
        import(dir.path(), &server, DEMO_INSTANCE_ID, "validate", &file)
            .args(["--format", "github"]),
    );
    assert_eq!(result.code, Some(1), "{result}");
    let annotation = result
        .stdout
        .lines()
        .find(|l| l.starts_with("::error "))
        .unwrap_or_default();
    assert!(annotation.contains("line=2"), "{result}");
    assert!(
        annotation.contains(r#"did you mean "QualityAnalyst""#),
        "{result}"
    );
    no_write_calls(&server);
}

#[test]
fn the_instance_identity_type_decides_the_rules() {
    // A connect-managed file against a SAML instance: passwords and e-mail
    // addresses are refused there, said once for the whole file.
    let server = saml_server();
    let dir = tempfile::tempdir().unwrap();
    let result = run(import(
        dir.path(),
        &server,
        SAML_INSTANCE_ID,
        "validate",
        &fixture("valid/agents.csv"),
    )
    .args(["--format", "json"]));
    assert_eq!(result.code, Some(1), "{result}");
    assert_eq!(result.json()["identity"], "SAML");
    let codes: Vec<String> = result.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(codes, ["identity-mismatch"], "{result}");
    let message = result.json()["findings"][0]["message"].clone();
    assert!(
        message
            .as_str()
            .unwrap()
            .contains("fill its `email address` and `password` columns"),
        "{message}"
    );
}
