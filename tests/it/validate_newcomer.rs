//! What a newcomer's file is told when it is checked against an instance
//! (`local serve` over HTTP on 127.0.0.1, through the real binary): a
//! hierarchy path written with `/`, a file from another identity type's
//! template, and a row with one cell too many in `import apply`'s review.
use crate::support;

use support::apply::{command, import, run, saml_server, write_2024_template, SAML_INSTANCE_ID};
use support::local_server::{LocalServer, DEMO_INSTANCE_ID};

#[test]
fn a_hierarchy_path_written_with_slashes_is_shown_rewritten_with_bars() {
    let server = LocalServer::builder().args(["--no-throttle"]).start();
    let dir = tempfile::tempdir().unwrap();
    let file = write_2024_template(
        dir.path(),
        "agents.csv",
        &[
            "Nora,Vale,nora@example.com,,,nora.vale,Passw0rd-n,Sales Inbound,Agent,\
             North America/Seattle/Team Orca,soft,,no,0,no,",
            "Ian,Hale,ian@example.com,,,ian.hale,Passw0rd-i,Sales Inbound,Agent,\
             North America|Seattle/Team Nowhere,soft,,no,0,no,",
        ],
    );
    let result = run(&mut import(
        dir.path(),
        &server,
        DEMO_INSTANCE_ID,
        "validate",
        &file,
    ));
    assert_eq!(result.code, Some(1), "{result}");
    assert!(
        result.stdout.contains(
            "agents.csv:2: user_hierarchy_1|user_hierarchy_2 \"North America/Seattle/Team Orca\": \
             no hierarchy group is named \"North America/Seattle/Team Orca\" in this instance; \
             the levels of a hierarchy path are separated by |, not /: write \
             \"North America|Seattle|Team Orca\" (the instance has a group named \"Team Orca\") \
             [unknown-hierarchy-group]"
        ),
        "{result}"
    );
    // A slash within a level of a path with bars; no such group: the
    // rewrite alone.
    assert!(
        result.stdout.contains(
            "the levels of a hierarchy path are separated by |, not /: write \
             \"North America|Seattle|Team Nowhere\" [unknown-hierarchy-group]"
        ),
        "{result}"
    );

    // Written as the message says, the path resolves.
    let fixed = write_2024_template(
        dir.path(),
        "fixed.csv",
        &[
            "Nora,Vale,nora@example.com,,,nora.vale,Passw0rd-n,Sales Inbound,Agent,\
           North America|Seattle|Team Orca,soft,,no,0,no,",
        ],
    );
    let result = run(&mut import(
        dir.path(),
        &server,
        DEMO_INSTANCE_ID,
        "validate",
        &fixed,
    ));
    assert_eq!(result.code, Some(0), "{result}");
}

#[test]
fn a_connect_managed_file_on_a_saml_instance_is_told_so_once() {
    let server = saml_server();
    let dir = tempfile::tempdir().unwrap();
    let file = write_2024_template(
        dir.path(),
        "agents.csv",
        &[
            "Nora,Vale,nora@example.com,,,nora.vale,Passw0rd-n,Sales Inbound,Agent,,soft,,no,0,no,",
            "Ian,Hale,ian@example.com,,,ian.hale,Passw0rd-i,Sales Inbound,Agent,,soft,,no,0,no,",
            "Eve,Hale,eve@example.com,,,eve.hale,Passw0rd-e,Sales Inbound,Agent,,soft,,no,0,no,",
        ],
    );
    let result = run(&mut import(
        dir.path(),
        &server,
        SAML_INSTANCE_ID,
        "validate",
        &file,
    ));
    assert_eq!(result.code, Some(1), "{result}");
    let findings: Vec<&str> = result
        .stdout
        .lines()
        .filter(|l| l.starts_with("error:"))
        .collect();
    assert_eq!(findings.len(), 1, "{result}");
    assert!(
        findings[0].contains(
            "the header is the connect-managed template's, and 3 rows fill its `email address` \
             and `password` columns (lines 2, 3, 4), which a SAML file leaves empty; the \
             instance's identity management type is SAML: empty those cells, or fill in the SAML \
             template"
        ),
        "{result}"
    );
    assert!(
        !result.stdout.contains("--identity connect-managed"),
        "{result}"
    );
    assert!(!result.stdout.contains("Passw0rd"), "{result}");
}

#[test]
fn import_apply_shows_nothing_of_a_row_with_a_cell_too_many() {
    let dir = tempfile::tempdir().unwrap();
    // "Vale, Jr." unquoted: every cell after it moves one column right, the
    // password under the routing profile.
    let file = write_2024_template(
        dir.path(),
        "agents.csv",
        &[
            "Nora,Vale, Jr.,nora@example.com,,,nora.vale,Zq7-Secret-Nv,Sales Inbound,Agent,,soft,,no,0,no,",
            "Ian,Hale,ian@example.com,,,ian.hale,Zq7-Secret-Ih,Sales Inbound,Agent,,soft,,no,0,no,",
        ],
    );
    let db = dir.path().join("demo.db");
    for format in ["table", "json", "github"] {
        let result = run(command(dir.path())
            .args(["import", "apply"])
            .arg(&file)
            .arg("--local")
            .arg(&db)
            .args(["--dry-run", "--format", format]));
        assert_eq!(result.code, Some(1), "{format}: {result}");
        let all = format!("{}{}", result.stdout, result.stderr);
        assert!(!all.contains("Zq7-Secret"), "{format}: {result}");
        assert!(
            all.contains("has 17 cells but the header has 16"),
            "{format}: {result}"
        );
        if format == "json" {
            let users = result.json()["users"].clone();
            assert_eq!(users[0]["line"], 2, "{users}");
            assert_eq!(users[0]["login"], serde_json::Value::Null, "{users}");
            assert_eq!(users[0]["fields"], serde_json::Value::Null, "{users}");
            assert_eq!(users[1]["login"], "ian.hale", "{users}");
        }
    }
}
