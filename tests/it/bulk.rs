//! What every bulk command does the same way, because one run serves them
//! all (`commands/bulk.rs`): `import apply` and `agents set` refuse to run
//! without a way to confirm and refuse to record a dry run, before they
//! send a request; a dry run says what it would write and writes nothing;
//! a declined confirmation and an interrupt while the plan is made leave
//! the instance as it was. Each checked by reading the server.
use crate::support;

use std::time::Duration;

use support::agents::{agents, agents_server, AGENTS_INSTANCE_ID};
use support::apply::{fixture, import, on_a_terminal, run, BIN};
use support::local_server::{LocalServer, DEMO_INSTANCE_ID};
use support::process::{finish, signal, spawn, SIGTERM};

const FAST: [&str; 4] = ["--rate", "1000", "--burst", "100"];

/// `import apply` of the demo fixture (30 users) against `server`.
fn apply(dir: &std::path::Path, server: &LocalServer) -> std::process::Command {
    import(
        dir,
        server,
        DEMO_INSTANCE_ID,
        "apply",
        &fixture("valid/agents.csv"),
    )
}

/// `agents set --persistent-connection on --all` against `server`.
fn set_all(dir: &std::path::Path, server: &LocalServer) -> std::process::Command {
    let mut cmd = agents(dir, server, "set");
    cmd.args(["--persistent-connection", "on", "--all"]);
    cmd
}

/// Every request the server answered: none, when a command stopped before
/// it read the instance.
fn requests(server: &LocalServer) -> u64 {
    server.stats()["requests"].as_u64().unwrap()
}

#[test]
fn without_yes_and_without_a_terminal_nothing_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let demo = LocalServer::start();
    let refused = run(apply(dir.path(), &demo).args(FAST));
    assert_eq!(refused.code, Some(2), "{refused}");
    assert!(
        refused.stderr.contains(
            "there is no terminal to confirm on: pass --yes to create without asking, or --dry-run"
        ),
        "{refused}"
    );
    assert_eq!(requests(&demo), 0);

    let server = agents_server(&["--no-throttle"]);
    let refused = run(set_all(dir.path(), &server).args(FAST));
    assert_eq!(refused.code, Some(2), "{refused}");
    assert!(
        refused.stderr.contains(
            "there is no terminal to confirm on: pass --yes to change without asking, or --dry-run"
        ),
        "{refused}"
    );
    assert_eq!(requests(&server), 0);
}

#[test]
fn a_file_on_standard_input_leaves_no_terminal_to_confirm_on() {
    // Standard input is the terminal, and the file is read from it: the
    // answer to a question would be taken from the file.
    let dir = tempfile::tempdir().unwrap();
    let line = format!(
        "{BIN} import apply - --local {}",
        dir.path().join("demo.db").display()
    );
    let refused = on_a_terminal(dir.path(), &line, "");
    assert_eq!(refused.code, Some(2), "{refused}");
    assert!(
        refused
            .stdout
            .contains("there is no terminal to confirm on: pass --yes to create without asking"),
        "{refused}"
    );
}

#[test]
fn a_dry_run_refuses_the_files_that_would_record_it() {
    let dir = tempfile::tempdir().unwrap();
    let demo = LocalServer::start();
    let retry = dir.path().join("retry.csv");
    let refused = run(apply(dir.path(), &demo)
        .args(FAST)
        .arg("--dry-run")
        .arg("--failed-out")
        .arg(&retry));
    assert_eq!(refused.code, Some(2), "{refused}");
    assert!(
        refused
            .stderr
            .contains("--dry-run writes no --report or --failed-out: there is nothing to record"),
        "{refused}"
    );
    assert!(!retry.exists());
    assert_eq!(requests(&demo), 0);

    let server = agents_server(&["--no-throttle"]);
    let report = dir.path().join("report.csv");
    let refused = run(set_all(dir.path(), &server)
        .args(FAST)
        .arg("--dry-run")
        .arg("--report")
        .arg(&report));
    assert_eq!(refused.code, Some(2), "{refused}");
    assert!(
        refused
            .stderr
            .contains("--dry-run writes no --report: there is nothing to record"),
        "{refused}"
    );
    assert!(!report.exists());
    assert_eq!(requests(&server), 0);
}

#[test]
fn a_dry_run_says_what_it_would_write_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let demo = LocalServer::start();
    let passwords = dir.path().join("passwords.csv");
    let dry = run(apply(dir.path(), &demo)
        .args(FAST)
        .args(["--dry-run", "--generate-passwords"])
        .arg(&passwords));
    assert_eq!(dry.code, Some(0), "{dry}");
    assert!(
        dry.stderr.contains(&format!(
            "dry run: 30 users would be created in demo-contact-center ({DEMO_INSTANCE_ID}); \
             nothing was written"
        )),
        "{dry}"
    );
    assert!(
        dry.stderr.contains(&format!(
            "dry run: no password was generated; {} was not written",
            passwords.display()
        )),
        "{dry}"
    );
    assert!(!passwords.exists());
    assert_eq!(demo.count("CreateUser", "200"), 0);

    let server = agents_server(&["--no-throttle"]);
    let dry = run(set_all(dir.path(), &server)
        .args(FAST)
        .args(["--dry-run", "--format", "json"]));
    assert_eq!(dry.code, Some(0), "{dry}");
    let planned = dry.json()["planned_changes"].as_array().unwrap().len();
    assert!(planned > 0, "{dry}");
    assert!(
        dry.stderr.contains(&format!(
            "dry run: {planned} agents would be changed in agents-contact-center \
             ({AGENTS_INSTANCE_ID}); nothing was written"
        )),
        "{dry}"
    );
    assert_eq!(server.count("UpdateUserConfig", "200"), 0);
}

#[test]
fn agents_set_asks_on_a_terminal_and_no_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let server = agents_server(&["--no-throttle"]);
    let line = format!(
        "{BIN} agents set --persistent-connection on --all --instance-id {AGENTS_INSTANCE_ID} \
         --endpoint-url {} --region us-east-1 --rate 1000 --burst 100",
        server.endpoint()
    );
    let declined = on_a_terminal(dir.path(), &line, "n\n");
    assert_eq!(declined.code, Some(2), "{declined}");
    assert!(
        declined.stdout.contains(&format!(
            "agents in instance agents-contact-center ({AGENTS_INSTANCE_ID})? [y/N]"
        )),
        "{declined}"
    );
    assert!(
        declined.stdout.contains("nothing was changed"),
        "{declined}"
    );
    assert_eq!(server.count("UpdateUserConfig", "200"), 0);
}

#[test]
fn sigterm_while_agents_are_read_stops_before_anything_is_changed() {
    // 400 ms an answer at two requests a second: reading the agents takes
    // several seconds.
    let server = agents_server(&["--no-throttle", "--latency-ms", "400"]);
    let dir = tempfile::tempdir().unwrap();
    let child = spawn(set_all(dir.path(), &server).args(["--yes", "--rate", "2", "--burst", "1"]));
    std::thread::sleep(Duration::from_millis(1000));
    signal(&child, SIGTERM);
    let stopped = finish(child);
    assert_eq!(stopped.code, Some(130), "{stopped}");
    assert!(
        stopped
            .stderr
            .contains("interrupted before anything was sent; nothing was changed"),
        "{stopped}"
    );
    assert!(server.stats()["operations"]
        .get("UpdateUserConfig")
        .is_none());
}
