//! `import apply` against a server that fails: 5xx answers, dropped
//! connections, and creates that commit and then fail. Every user must be
//! created exactly once, every row claimed as `created` only on a success
//! answer, and rows that cannot be created must be reported, written to
//! `--failed-out`, and succeed when that file is run again.
use crate::support;

use support::apply::{fixture, import, logins_of, run, usernames};
use support::local_server::{LocalServer, DEMO_INSTANCE_ID};

/// Applies the valid fixture against a server with these faults and checks
/// that every user exists exactly once, and every row is `created` — or,
/// where an attempt lost its answer and a retry found the user, `exists`
/// with the reason that this run may have made it: nothing else created
/// these users, but nothing the service returns proves whose create it was.
fn every_row_created_exactly_once(faults: &[&str]) {
    let server = LocalServer::builder()
        .args(["--no-throttle", "--fault-seed", "7"])
        .args(faults.iter().copied())
        .start();
    let dir = tempfile::tempdir().unwrap();
    let file = fixture("valid/agents.csv");
    let logins = logins_of(&file);
    let result = run(
        import(dir.path(), &server, DEMO_INSTANCE_ID, "apply", &file).args([
            "--rate",
            "500",
            "--burst",
            "50",
            "--max-attempts",
            "8",
            "--yes",
            "--format",
            "json",
        ]),
    );
    assert_eq!(result.code, Some(0), "{result}");
    let (created, exists, failed, unsent) = result.summary();
    assert_eq!(
        (created + exists, failed, unsent),
        (logins.len() as u64, 0, 0),
        "{result}"
    );
    let json = result.json();
    for row in json["apply"]["outcomes"].as_array().unwrap() {
        if row["outcome"] == "exists" {
            let reason = row["reason"].as_str().unwrap_or_default();
            assert!(reason.contains("may have created it"), "{row}");
        }
    }
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
    every_row_created_exactly_once(&[
        "--fail-rate",
        "0.15",
        "--drop-rate",
        "0.15",
        "--commit-then-fail-rate",
        "0.3",
    ]);
}

#[test]
fn rows_that_fail_are_reported_and_written_back_for_a_rerun() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("instance.db");
    let file = fixture("valid/agents.csv");
    let logins = logins_of(&file);
    let (report, failed_out) = (dir.path().join("report.csv"), dir.path().join("retry.csv"));
    // A users-per-instance quota of 20: the 12 demo users leave room for 8.
    let server = LocalServer::builder()
        .db(&db)
        .args(["--no-throttle", "--max-users", "20"])
        .start();
    let result = run(
        import(dir.path(), &server, DEMO_INSTANCE_ID, "apply", &file)
            .args([
                "--rate",
                "500",
                "--burst",
                "50",
                "--concurrency",
                "1",
                "--yes",
                "--format",
                "json",
            ])
            .arg("--report")
            .arg(&report)
            .arg("--failed-out")
            .arg(&failed_out),
    );
    assert_eq!(result.code, Some(3), "{result}");
    let left = logins.len() as u64 - 8;
    // A full quota stops the run: the first refused row fails, the rest are
    // not sent (every further create would fail the same way).
    assert_eq!(result.summary(), (8, 0, 1, left - 1), "{result}");
    // A full quota is final: one attempt, no retries with backoff.
    assert_eq!(server.count("CreateUser", "429"), 1);
    assert!(
        result.stderr.contains("LimitExceededException")
            && result.stderr.contains("users per instance"),
        "{result}"
    );
    assert!(
        result.stderr.contains(&format!(
            "rows to run again: {} ({left} rows)",
            failed_out.display()
        )),
        "{result}"
    );
    assert!(
        result
            .stderr
            .contains(&format!("report: {} (", report.display())),
        "{result}"
    );

    let report_text = std::fs::read_to_string(&report).unwrap();
    assert_eq!(
        report_text
            .lines()
            .filter(|l| l.contains(",failed,,,LimitExceededException,"))
            .count(),
        1
    );
    assert_eq!(
        report_text
            .lines()
            .filter(|l| l.contains(",not_submitted,"))
            .count() as u64,
        left - 1
    );
    assert_eq!(
        report_text
            .lines()
            .filter(|l| l.contains(",created,"))
            .count(),
        8
    );

    // The failed rows, in the template format: the same header, the same cells.
    let retry = std::fs::read_to_string(&failed_out).unwrap();
    let original = std::fs::read_to_string(&file).unwrap();
    assert_eq!(retry.lines().next(), original.lines().next(), "same header");
    let mut retry_logins = logins_of(&failed_out);
    let mut expected = logins[8..].to_vec();
    retry_logins.sort();
    expected.sort();
    assert_eq!(retry_logins, expected);
    drop(server);

    // With the quota raised, the written-back file runs as it is.
    let server = LocalServer::builder()
        .db(&db)
        .no_seed()
        .args(["--no-throttle"])
        .start();
    let rest = run(
        import(dir.path(), &server, DEMO_INSTANCE_ID, "apply", &failed_out).args([
            "--rate", "500", "--burst", "50", "--yes", "--format", "json",
        ]),
    );
    assert_eq!(rest.code, Some(0), "{rest}");
    assert_eq!(rest.summary(), (left, 0, 0, 0), "{rest}");
    assert_eq!(
        usernames(&server, DEMO_INSTANCE_ID).len(),
        12 + logins.len()
    );
}

#[test]
fn a_closed_stdout_does_not_hide_failed_rows() {
    let server = LocalServer::builder()
        .args(["--no-throttle", "--max-users", "20"])
        .start();
    let dir = tempfile::tempdir().unwrap();
    let mut child = import(
        dir.path(),
        &server,
        DEMO_INSTANCE_ID,
        "apply",
        &fixture("valid/agents.csv"),
    )
    .args([
        "--rate",
        "500",
        "--burst",
        "50",
        "--max-attempts",
        "1",
        "--yes",
    ])
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::null())
    .spawn()
    .unwrap();
    // The reader goes away at once, as `| head -0` would.
    drop(child.stdout.take());
    assert_eq!(child.wait().unwrap().code(), Some(3));
}

#[test]
fn a_bad_failed_out_path_is_found_before_anything_is_created() {
    let server = LocalServer::start();
    let dir = tempfile::tempdir().unwrap();
    let result = run(import(
        dir.path(),
        &server,
        DEMO_INSTANCE_ID,
        "apply",
        &fixture("valid/agents.csv"),
    )
    .args(["--rate", "500", "--burst", "50", "--yes"])
    .arg("--failed-out")
    .arg(dir.path().join("no-such-dir/retry.csv")));
    assert_eq!(result.code, Some(2), "{result}");
    assert!(result.stderr.contains("no-such-dir/retry.csv"), "{result}");
    assert_eq!(server.count("CreateUser", "200"), 0);
}

#[cfg(unix)]
#[test]
fn the_file_of_rows_to_rerun_is_private_even_when_it_existed() {
    use std::os::unix::fs::PermissionsExt;
    let server = LocalServer::builder()
        .args(["--no-throttle", "--max-users", "20"])
        .start();
    let dir = tempfile::tempdir().unwrap();
    let retry = dir.path().join("retry.csv");
    std::fs::write(&retry, "old").unwrap();
    std::fs::set_permissions(&retry, std::fs::Permissions::from_mode(0o644)).unwrap();
    let result = run(import(
        dir.path(),
        &server,
        DEMO_INSTANCE_ID,
        "apply",
        &fixture("valid/agents.csv"),
    )
    .args([
        "--rate",
        "500",
        "--burst",
        "50",
        "--max-attempts",
        "1",
        "--yes",
    ])
    .arg("--failed-out")
    .arg(&retry));
    assert_eq!(result.code, Some(3), "{result}");
    let mode = std::fs::metadata(&retry).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}
