//! Two `import apply` runs of one file at once, against a server that drops
//! connections and answers failures after committing: each user is created
//! once, and no run claims a user it cannot prove it created. Both reports
//! are checked against the server, and both passwords files against
//! `POST /_local/password-check`: a password listed as `valid` logs in, one
//! listed as `not used` does not.
use crate::support;

use std::collections::BTreeMap;
use std::process::{Child, Stdio};

use support::apply::{
    agents_without_passwords, check_password, generated_passwords, import, report_rows, user_ids,
    Run,
};
use support::local_server::{LocalServer, DEMO_INSTANCE_ID};

const USERS: usize = 80;

fn spawn(cmd: &mut std::process::Command) -> Child {
    cmd.stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting connect-users")
}

#[test]
fn two_runs_at_once_under_faults_claim_each_user_at_most_once() {
    let server = LocalServer::builder()
        .args([
            "--no-throttle",
            "--fault-seed",
            "19",
            "--latency-ms",
            "2-20",
        ])
        .args(["--drop-rate", "0.15", "--commit-then-fail-rate", "0.3"])
        .start();
    let dir = tempfile::tempdir().unwrap();
    let file = agents_without_passwords(dir.path(), "agents.csv", "tw", USERS, &[]);
    let runs: Vec<(std::path::PathBuf, std::path::PathBuf)> = ["a", "b"]
        .iter()
        .map(|name| {
            (
                dir.path().join(format!("{name}.jsonl")),
                dir.path().join(format!("{name}-passwords.csv")),
            )
        })
        .collect();
    let children: Vec<Child> = runs
        .iter()
        .map(|(report, passwords)| {
            spawn(
                import(dir.path(), &server, DEMO_INSTANCE_ID, "apply", &file)
                    .args(["--rate", "1000", "--burst", "100", "--concurrency", "4"])
                    .args(["--yes", "--format", "json", "--report"])
                    .arg(report)
                    .arg("--generate-passwords")
                    .arg(passwords),
            )
        })
        .collect();
    for child in children {
        let result = Run::of(child.wait_with_output().unwrap());
        assert_eq!(result.code, Some(0), "{result}");
    }

    let users = user_ids(&server, DEMO_INSTANCE_ID);
    let mut claims: BTreeMap<String, usize> = BTreeMap::new();
    // How many of the two files hold a password that logs in, per user.
    let mut working: BTreeMap<String, usize> = BTreeMap::new();
    let mut unproven = 0;
    for (report, passwords) in &runs {
        let rows = report_rows(report);
        assert_eq!(rows.len(), USERS);
        let outcomes: BTreeMap<String, serde_json::Value> = rows
            .into_iter()
            .map(|row| (row["user_login"].as_str().unwrap().to_string(), row))
            .collect();
        for (login, row) in &outcomes {
            // Every user exists once, and the row names it.
            let ids = users.get(login).cloned().unwrap_or_default();
            assert_eq!(ids, [row["user_id"].as_str().unwrap()], "{row}");
            match row["outcome"].as_str().unwrap() {
                "created" => *claims.entry(login.clone()).or_default() += 1,
                "exists" => unproven += usize::from(row.get("reason").is_some()),
                other => panic!("{other}: {row}"),
            }
        }
        let statuses: BTreeMap<String, usize> =
            generated_passwords(passwords)
                .into_iter()
                .fold(BTreeMap::new(), |mut n, g| {
                    *n.entry(g.status).or_default() += 1;
                    n
                });
        let count = |outcome: &str, reason: bool| {
            outcomes
                .values()
                .filter(|r| r["outcome"] == outcome && r.get("reason").is_some() == reason)
                .count()
        };
        eprintln!(
            "{}: created {}, exists {} (with a reason: {}); passwords {statuses:?}",
            report.display(),
            count("created", false),
            count("exists", false) + count("exists", true),
            count("exists", true),
        );
        for generated in generated_passwords(passwords) {
            let logs_in = check_password(
                &server,
                DEMO_INSTANCE_ID,
                &generated.login,
                &generated.password,
            );
            let outcome = &outcomes[&generated.login];
            *working.entry(generated.login.clone()).or_default() +=
                usize::from(logs_in == "matches");
            match generated.status.as_str() {
                "valid" => {
                    assert_eq!(logs_in, "matches", "{generated:?} {outcome}");
                    assert_eq!(outcome["outcome"], "created", "{generated:?}");
                }
                "not used" => assert_eq!(logs_in, "differs", "{generated:?} {outcome}"),
                "not proven" => assert!(outcome.get("reason").is_some(), "{outcome}"),
                other => panic!("{other}: {generated:?}"),
            }
        }
    }
    // One of the two runs' creates made each user, with its password.
    assert_eq!(working.len(), USERS);
    assert!(working.values().all(|n| *n == 1), "{working:?}");
    let twice: Vec<&String> = claims
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(l, _)| l)
        .collect();
    assert!(twice.is_empty(), "created by both runs: {twice:?}");
    assert_eq!(
        users.keys().filter(|l| l.starts_with("tw.")).count(),
        USERS,
        "every user made once"
    );
    // The faults were there, and left doubt that only a proof could settle.
    assert!(
        server.count("CreateUser", "dropped") > 0,
        "{}",
        server.stats()
    );
    assert!(
        unproven > 0,
        "no row was left in doubt: the test proved nothing"
    );
}
