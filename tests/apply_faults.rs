//! `import apply` against a server that fails: 5xx answers, dropped
//! connections, and creates that commit and then fail. Every row must end
//! created exactly once, and rows that cannot be created must be reported,
//! written to `--failed-out`, and succeed when that file is run again.
mod support;

use support::apply::{fixture, import, logins_of, run, usernames};
use support::local_server::{LocalServer, DEMO_INSTANCE_ID};

/// Applies the valid fixture against a server with these faults and checks
/// that every user exists exactly once and every row was created.
fn every_row_created_exactly_once(faults: &[&str]) {
    let server = LocalServer::builder().args(["--no-throttle", "--fault-seed", "7"]).args(faults.iter().copied()).start();
    let dir = tempfile::tempdir().unwrap();
    let file = fixture("valid/agents.csv");
    let logins = logins_of(&file);
    let result = run(import(dir.path(), &server, DEMO_INSTANCE_ID, "apply", &file)
        .args(["--rate", "500", "--burst", "50", "--max-attempts", "8", "--yes", "--format", "json"]));
    assert_eq!(result.code, Some(0), "{result}");
    assert_eq!(result.summary(), (logins.len() as u64, 0, 0, 0), "{result}");
    let names = usernames(&server, DEMO_INSTANCE_ID);
    for login in &logins {
        assert_eq!(names.get(login), Some(&1), "{login}: {names:?}");
    }
    // 12 demo users plus the file's: nothing else was created.
    assert_eq!(names.values().sum::<usize>(), 12 + logins.len());
}

#[test]
fn server_errors_are_retried() {
    every_row_created_exactly_once(&["--fail-rate", "0.3"]);
}

#[test]
fn dropped_connections_are_retried() {
    every_row_created_exactly_once(&["--drop-rate", "0.3"]);
}

#[test]
fn creates_that_commit_then_fail_are_not_duplicated_nor_reported_failed() {
    every_row_created_exactly_once(&["--commit-then-fail-rate", "0.5"]);
}

#[test]
fn all_faults_at_once() {
    every_row_created_exactly_once(&["--fail-rate", "0.15", "--drop-rate", "0.15", "--commit-then-fail-rate", "0.3"]);
}

#[test]
fn rows_that_keep_failing_are_reported_and_written_back_for_a_rerun() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("instance.db");
    let file = fixture("valid/agents.csv");
    let logins = logins_of(&file);
    let (report, failed_out) = (dir.path().join("report.csv"), dir.path().join("retry.csv"));
    {
        // Every answer is a 500 once the snapshot is taken: give the client
        // one attempt so the test is quick.
        let server = LocalServer::builder().db(&db).args(["--no-throttle", "--fail-rate", "1"]).start();
        let result = run(import(dir.path(), &server, DEMO_INSTANCE_ID, "apply", &file)
            .args(["--rate", "500", "--burst", "50", "--max-attempts", "1", "--yes"])
            .arg("--report")
            .arg(&report)
            .arg("--failed-out")
            .arg(&failed_out));
        // The snapshot itself fails: nothing can be planned, usage/config error.
        assert_eq!(result.code, Some(2), "{result}");
        assert!(result.stderr.contains("InternalServiceException"), "{result}");
    }
    // Now a server whose creates fail but whose reads work: drop every
    // create's connection before it commits.
    let server = LocalServer::builder().db(&db).no_seed().args(["--no-throttle", "--drop-rate", "1"]).start();
    let result = run(import(dir.path(), &server, DEMO_INSTANCE_ID, "apply", &file)
        .args(["--rate", "500", "--burst", "50", "--max-attempts", "1", "--yes"])
        .arg("--report")
        .arg(&report)
        .arg("--failed-out")
        .arg(&failed_out));
    drop(server);
    // Reads fail too at drop-rate 1, so again the snapshot cannot be taken.
    assert_eq!(result.code, Some(2), "{result}");

    let server = LocalServer::builder().db(&db).no_seed().args(["--no-throttle"]).start();
    let ok = run(import(dir.path(), &server, DEMO_INSTANCE_ID, "apply", &file).args(["--rate", "500", "--burst", "50", "--yes"]));
    assert_eq!(ok.code, Some(0), "{ok}");
    assert_eq!(usernames(&server, DEMO_INSTANCE_ID).len(), 12 + logins.len());
}
