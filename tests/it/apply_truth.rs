//! `import apply` tells the truth about every row, checked by reading the
//! server back: under heavy faults (no false `failed`, no duplicate), when
//! the same file is applied twice at once (one `created` per user), and when
//! several jobs share one account's quota (every job finishes, every row
//! created).
use crate::support;

use std::process::Child;

use support::apply::{agents_file, import, report_rows, run, user_ids};
use support::local_server::{LocalServer, DEMO_INSTANCE_ID};
use support::process::{finish, spawn};

/// Every outcome in these reports agrees with the server: `created` and
/// `exists` name the one user with that login; nothing else claims a row.
fn assert_outcomes_match_the_server(server: &LocalServer, reports: &[&std::path::Path]) {
    let users = user_ids(server, DEMO_INSTANCE_ID);
    for report in reports {
        for row in report_rows(report) {
            let login = row["user_login"].as_str().unwrap();
            let ids = users.get(login).cloned().unwrap_or_default();
            match row["outcome"].as_str().unwrap() {
                "created" | "exists" => {
                    assert_eq!(ids, [row["user_id"].as_str().unwrap()], "{row}")
                }
                "failed" => assert!(ids.is_empty(), "false failure: {row} but {ids:?}"),
                other => panic!("{other} is not an outcome this run may have: {row}"),
            }
        }
    }
}

#[test]
fn heavy_faults_end_with_every_outcome_true() {
    let server = LocalServer::builder()
        .args(["--no-throttle", "--fault-seed", "11"])
        .args(["--fail-rate", "0.2", "--drop-rate", "0.1"])
        .args(["--commit-then-fail-rate", "0.2"])
        .start();
    let dir = tempfile::tempdir().unwrap();
    let file = agents_file(dir.path(), "agents.csv", "fault", 300);
    let report = dir.path().join("report.jsonl");
    let result = run(
        import(dir.path(), &server, DEMO_INSTANCE_ID, "apply", &file)
            .args(["--rate", "1000", "--burst", "100", "--concurrency", "8"])
            .args(["--yes", "--format", "json", "--report"])
            .arg(&report),
    );
    assert_eq!(result.code, Some(0), "{result}");
    // Created, or — where an attempt lost its answer — `exists`, saying this
    // run may have made the user: only a success answer proves a create.
    let (created, exists, failed, unsent) = result.summary();
    assert_eq!((created + exists, failed, unsent), (300, 0, 0), "{result}");
    for row in report_rows(&report) {
        if row["outcome"] == "exists" {
            assert!(row.get("reason").is_some(), "{row}");
        }
    }
    assert_outcomes_match_the_server(&server, &[&report]);
    let users = user_ids(&server, DEMO_INSTANCE_ID);
    assert_eq!(users.values().map(Vec::len).sum::<usize>(), 12 + 300);
    // The faults were really there.
    assert!(server.count("CreateUser", "500") > 30, "{}", server.stats());
    assert!(server.count("CreateUser", "409") > 10, "{}", server.stats());
}

#[test]
fn the_same_file_applied_twice_at_once_is_created_once() {
    let server = LocalServer::builder().args(["--no-throttle"]).start();
    let dir = tempfile::tempdir().unwrap();
    let file = agents_file(dir.path(), "agents.csv", "twice", 200);
    let reports = [dir.path().join("a.jsonl"), dir.path().join("b.jsonl")];
    let children: Vec<Child> = reports
        .iter()
        .map(|report| {
            spawn(
                import(dir.path(), &server, DEMO_INSTANCE_ID, "apply", &file)
                    .args(["--rate", "1000", "--burst", "100"])
                    .args(["--yes", "--format", "json", "--report"])
                    .arg(report),
            )
        })
        .collect();
    for child in children {
        let result = finish(child);
        assert_eq!(result.code, Some(0), "{result}");
    }
    let mut created = std::collections::BTreeMap::<String, usize>::new();
    for report in &reports {
        for row in report_rows(report) {
            let login = row["user_login"].as_str().unwrap().to_string();
            let outcome = row["outcome"].as_str().unwrap();
            assert!(outcome == "created" || outcome == "exists", "{row}");
            *created.entry(login).or_default() += usize::from(outcome == "created");
        }
    }
    assert_eq!(created.len(), 200);
    assert!(
        created.values().all(|n| *n == 1),
        "every user created by exactly one job: {created:?}"
    );
    assert_outcomes_match_the_server(&server, &[&reports[0], &reports[1]]);
}

#[test]
fn four_jobs_sharing_the_default_quota_all_finish() {
    // The service's default quota on both sides: 2 requests a second, burst 5.
    let server = LocalServer::builder().start();
    let dir = tempfile::tempdir().unwrap();
    let jobs: Vec<(std::path::PathBuf, Child)> = (0..4)
        .map(|job| {
            let file = agents_file(
                dir.path(),
                &format!("job{job}.csv"),
                &format!("job{job}"),
                30,
            );
            let report = dir.path().join(format!("job{job}.jsonl"));
            let child = spawn(
                import(dir.path(), &server, DEMO_INSTANCE_ID, "apply", &file)
                    .args(["--yes", "--format", "json", "--report"])
                    .arg(&report),
            );
            (report, child)
        })
        .collect();
    let mut reports = Vec::new();
    for (report, child) in jobs {
        let result = finish(child);
        assert_eq!(result.code, Some(0), "{result}");
        assert_eq!(result.summary(), (30, 0, 0, 0), "{result}");
        reports.push(report);
    }
    let refs: Vec<&std::path::Path> = reports.iter().map(|p| p.as_path()).collect();
    assert_outcomes_match_the_server(&server, &refs);
    // The quota was really shared: the server turned requests away.
    let throttled: u64 = [
        "CreateUser",
        "ListUsers",
        "SearchUsers",
        "ListRoutingProfiles",
    ]
    .iter()
    .map(|op| server.count(op, "429"))
    .sum();
    assert!(throttled > 0, "{}", server.stats());
}
