//! `import apply` stopped part-way: killed outright (SIGKILL) or interrupted
//! (SIGINT, SIGTERM). The report records what happened before the stop, and
//! running the same file again finishes the job with no duplicate.
use crate::support;

use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use support::apply::{fixture, import, logins_of, run, usernames, Run};
use support::local_server::{LocalServer, DEMO_INSTANCE_ID};

/// A server slow enough (100 ms a request, 4 creates a second from the
/// client) that a run of the 30-user fixture takes about 8 seconds.
fn slow_server() -> LocalServer {
    LocalServer::builder()
        .args(["--no-throttle", "--latency-ms", "100"])
        .start()
}

const SLOW_CLIENT: [&str; 6] = ["--rate", "4", "--burst", "1", "--concurrency", "2"];

/// Starts `import apply` with a report, and waits until the report shows at
/// least one created row (so the stop lands mid-run, not before it).
// The child is returned running; every caller waits for it.
#[allow(clippy::zombie_processes)]
fn start_apply(dir: &std::path::Path, server: &LocalServer, report: &std::path::Path) -> Child {
    let mut child = import(
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
    .arg(dir.join("retry.csv"))
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .expect("starting import apply");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let text = std::fs::read_to_string(report).unwrap_or_default();
        if text.lines().filter(|l| l.contains(",created,")).count() >= 2 {
            return child;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let output = child.wait_with_output().expect("waiting for import apply");
            panic!(
                "the run never created a user; report:\n{text}\n{}",
                Run::of(output)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn signal(child: &Child, signal: libc::c_int) {
    // SAFETY: kill(2) on our own child's pid has no memory effects.
    unsafe {
        libc::kill(child.id() as libc::pid_t, signal);
    }
}

/// Rows of a CSV report as (line, login, outcome).
fn report_rows(path: &std::path::Path) -> Vec<(String, String, String)> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .unwrap();
    reader
        .records()
        .filter_map(Result::ok)
        .filter(|r| r.len() == 7)
        .map(|r| (r[0].to_string(), r[1].to_string(), r[2].to_string()))
        .collect()
}

#[test]
fn a_killed_run_is_finished_by_running_it_again() {
    let server = slow_server();
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.csv");
    let mut child = start_apply(dir.path(), &server, &report);
    signal(&child, libc::SIGKILL);
    child.wait().unwrap();

    let recorded = report_rows(&report);
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

fn interrupted_run_stops_cleanly(sig: libc::c_int) {
    let server = slow_server();
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.csv");
    let child = start_apply(dir.path(), &server, &report);
    signal(&child, sig);
    let result = Run::of(child.wait_with_output().unwrap());
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
    let recorded = report_rows(&report);
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
    interrupted_run_stops_cleanly(libc::SIGINT);
}

#[test]
fn sigterm_sends_nothing_new_and_records_every_row() {
    interrupted_run_stops_cleanly(libc::SIGTERM);
}

#[test]
fn sigterm_during_the_checks_stops_before_anything_is_created() {
    // 400 ms a request: the checks before the first create take seconds.
    let server = LocalServer::builder()
        .args(["--no-throttle", "--latency-ms", "400"])
        .start();
    let dir = tempfile::tempdir().unwrap();
    let child = import(
        dir.path(),
        &server,
        DEMO_INSTANCE_ID,
        "apply",
        &fixture("valid/agents.csv"),
    )
    .args(["--rate", "100", "--burst", "10", "--yes"])
    .arg("--report")
    .arg(dir.path().join("run.csv"))
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .expect("starting import apply");
    std::thread::sleep(Duration::from_millis(1000));
    signal(&child, libc::SIGTERM);
    let result = Run::of(child.wait_with_output().unwrap());
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
