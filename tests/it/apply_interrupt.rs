//! `import apply` stopped part-way: killed outright (SIGKILL) or interrupted
//! (SIGINT, SIGTERM). The report records what happened before the stop, and
//! running the same file again finishes the job with no duplicate.
use crate::support;

use std::process::Child;
use std::time::Duration;

use support::apply::{created_rows, fixture, import, logins_of, report_rows, run, usernames};
use support::local_server::{LocalServer, DEMO_INSTANCE_ID};
use support::process::{finish, poll_until, signal, spawn, Signal, SIGINT, SIGKILL, SIGTERM};

/// A server slow enough (100 ms a request, 4 creates a second from the
/// client) that a run of the 30-user fixture takes about 8 seconds.
fn slow_server() -> LocalServer {
    LocalServer::builder()
        .args(["--no-throttle", "--latency-ms", "100"])
        .start()
}

const SLOW_CLIENT: [&str; 6] = ["--rate", "4", "--burst", "1", "--concurrency", "2"];

/// Starts `import apply` with a report, and waits until the report shows at
/// least two created rows (so the stop lands mid-run, not before it).
fn start_apply(dir: &std::path::Path, server: &LocalServer, report: &std::path::Path) -> Child {
    let child = spawn(
        import(
            dir,
            server,
            DEMO_INSTANCE_ID,
            "apply",
            &fixture("valid/agents.csv"),
        )
        .args(SLOW_CLIENT)
        .args(["--yes", "--format", "json"])
        .arg("--report")
        .arg(report)
        .arg("--failed-out")
        .arg(dir.join("retry.csv")),
    );
    if !poll_until(|| created_rows(report) >= 2) {
        signal(&child, SIGKILL);
        let text = std::fs::read_to_string(report).unwrap_or_default();
        panic!(
            "the run never created a user; report:\n{text}\n{}",
            finish(child)
        );
    }
    child
}

/// Rows of a CSV report as (line, login, outcome).
fn recorded(path: &std::path::Path) -> Vec<(String, String, String)> {
    let cell = |row: &serde_json::Value, name: &str| row[name].as_str().unwrap().to_string();
    report_rows(path)
        .iter()
        .map(|row| {
            (
                cell(row, "line"),
                cell(row, "user_login"),
                cell(row, "outcome"),
            )
        })
        .collect()
}

#[test]
fn a_killed_run_is_finished_by_running_it_again() {
    let server = slow_server();
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.csv");
    let mut child = start_apply(dir.path(), &server, &report);
    signal(&child, SIGKILL);
    child.wait().unwrap();

    let recorded = recorded(&report);
    let logins = logins_of(&fixture("valid/agents.csv"));
    assert!(
        !recorded.is_empty() && recorded.len() < logins.len(),
        "{recorded:?}"
    );
    let names = usernames(&server, DEMO_INSTANCE_ID);
    for (_, login, outcome) in &recorded {
        assert_eq!(outcome, "created");
        assert_eq!(
            names.get(login),
            Some(&1),
            "{login} recorded as created is on the instance"
        );
    }

    let rerun = run(import(
        dir.path(),
        &server,
        DEMO_INSTANCE_ID,
        "apply",
        &fixture("valid/agents.csv"),
    )
    .args([
        "--rate", "100", "--burst", "10", "--yes", "--format", "json",
    ]));
    assert_eq!(rerun.code, Some(0), "{rerun}");
    let (created, exists, failed, not_submitted) = rerun.summary();
    assert_eq!((failed, not_submitted), (0, 0), "{rerun}");
    assert_eq!(created + exists, logins.len() as u64);
    assert!(exists as usize >= recorded.len(), "{rerun}");

    let names = usernames(&server, DEMO_INSTANCE_ID);
    assert_eq!(
        names.values().sum::<usize>(),
        12 + logins.len(),
        "{names:?}"
    );
    assert!(logins.iter().all(|l| names.get(l) == Some(&1)), "{names:?}");
}

fn interrupted_run_stops_cleanly(sig: Signal) {
    let server = slow_server();
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.csv");
    let child = start_apply(dir.path(), &server, &report);
    signal(&child, sig);
    let result = finish(child);
    assert_eq!(result.code, Some(130), "{result}");
    assert!(result.stderr.contains("interrupted"), "{result}");

    // Every row has an outcome: in the JSON and in the report.
    let logins = logins_of(&fixture("valid/agents.csv"));
    let (created, exists, failed, not_submitted) = result.summary();
    assert_eq!(
        created + exists + failed + not_submitted,
        logins.len() as u64,
        "{result}"
    );
    assert!(not_submitted > 0 && created > 0, "{result}");
    let recorded = recorded(&report);
    assert_eq!(recorded.len(), logins.len(), "{recorded:?}");
    assert_eq!(
        recorded.iter().filter(|r| r.2 == "not_submitted").count() as u64,
        not_submitted
    );

    // The rows not sent are written back in the template format; running that
    // file finishes the job.
    let retry = dir.path().join("retry.csv");
    assert_eq!(logins_of(&retry).len() as u64, not_submitted + failed);
    let rest = run(
        import(dir.path(), &server, DEMO_INSTANCE_ID, "apply", &retry).args([
            "--rate", "100", "--burst", "10", "--yes", "--format", "json",
        ]),
    );
    assert_eq!(rest.code, Some(0), "{rest}");
    assert_eq!(rest.summary().0, not_submitted + failed, "{rest}");
    let names = usernames(&server, DEMO_INSTANCE_ID);
    assert_eq!(
        names.values().sum::<usize>(),
        12 + logins.len(),
        "{names:?}"
    );
}

#[test]
fn ctrl_c_sends_nothing_new_and_records_every_row() {
    interrupted_run_stops_cleanly(SIGINT);
}

#[test]
fn sigterm_sends_nothing_new_and_records_every_row() {
    interrupted_run_stops_cleanly(SIGTERM);
}

#[test]
fn sigterm_during_the_checks_stops_before_anything_is_created() {
    // 400 ms a request: the checks before the first create take seconds.
    let server = LocalServer::builder()
        .args(["--no-throttle", "--latency-ms", "400"])
        .start();
    let dir = tempfile::tempdir().unwrap();
    let child = spawn(
        import(
            dir.path(),
            &server,
            DEMO_INSTANCE_ID,
            "apply",
            &fixture("valid/agents.csv"),
        )
        .args(["--rate", "100", "--burst", "10", "--yes"])
        .arg("--report")
        .arg(dir.path().join("run.csv")),
    );
    std::thread::sleep(Duration::from_millis(1000));
    signal(&child, SIGTERM);
    let result = finish(child);
    assert_eq!(result.code, Some(130), "{result}");
    assert!(result.stderr.contains("nothing was created"), "{result}");
    assert!(server.stats()["operations"].get("CreateUser").is_none());
    // A CI step that expects the report learns why it is missing.
    assert!(
        result.stderr.contains(&format!(
            "--report {} was not written: the run stopped before its rows were planned",
            dir.path().join("run.csv").display()
        )),
        "{result}"
    );
    assert!(!dir.path().join("run.csv").exists());
}
