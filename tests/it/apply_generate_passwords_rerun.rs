//! Generated passwords across stops and re-runs: a run killed outright
//! (SIGKILL) mid-way never leaves a user whose password is not in the
//! file, and the rows to run again keep their empty password cells, so
//! running them with `--generate-passwords` again gives those users fresh
//! passwords of their own.
use crate::support;

use std::process::Stdio;

use support::apply::{
    agents_without_passwords, check_password, created_rows, generated_passwords, import, run,
    usernames, Run,
};
use support::local_server::{demo_seed, LocalServer, DEMO_INSTANCE_ID};
use support::process::{poll_until, signal, SIGKILL};

#[test]
fn a_killed_run_keeps_every_password_it_used() {
    // About 4 creates a second against 100 ms answers: 30 users take ~8 s.
    let server = LocalServer::builder()
        .args(["--no-throttle", "--latency-ms", "100"])
        .start();
    let dir = tempfile::tempdir().unwrap();
    let file = agents_without_passwords(dir.path(), "agents.csv", "kl", 30, &[]);
    let (passwords, report) = (dir.path().join("passwords.csv"), dir.path().join("r.csv"));
    let mut child = import(dir.path(), &server, DEMO_INSTANCE_ID, "apply", &file)
        .args(["--rate", "4", "--burst", "1", "--concurrency", "2", "--yes"])
        .arg("--generate-passwords")
        .arg(&passwords)
        .arg("--report")
        .arg(&report)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting import apply");
    let started = poll_until(|| created_rows(&report) >= 2);
    signal(&child, SIGKILL);
    let status = child.wait().unwrap();
    assert!(
        started,
        "the run never created 2 users ({status}); report:\n{}",
        std::fs::read_to_string(&report).unwrap_or_default()
    );

    let on_server: Vec<String> = usernames(&server, DEMO_INSTANCE_ID)
        .into_keys()
        .filter(|login| login.starts_with("kl."))
        .collect();
    assert!(
        on_server.len() >= 2 && on_server.len() < 30,
        "stopped mid-run: {on_server:?}"
    );
    let generated = generated_passwords(&passwords);
    for login in &on_server {
        let row = generated
            .iter()
            .find(|g| &g.login == login)
            .unwrap_or_else(|| panic!("{login} exists but its password is not in the file"));
        assert_eq!(
            check_password(&server, DEMO_INSTANCE_ID, login, &row.password),
            "matches",
            "{login}"
        );
    }
    // The file says, per row, what the run had found out when it was killed:
    // never `valid` for a password that does not log in.
    for row in &generated {
        match row.status.as_str() {
            "valid" => assert_eq!(
                check_password(&server, DEMO_INSTANCE_ID, &row.login, &row.password),
                "matches",
                "{row:?}"
            ),
            "pending" => {}
            other => panic!("{other}: {row:?}"),
        }
    }
    assert!(
        generated.iter().any(|g| g.status == "pending"),
        "{generated:?}"
    );
}

#[test]
fn rows_to_run_again_get_fresh_passwords_of_their_own() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("local.sqlite");
    let seeded = std::fs::read_to_string(demo_seed())
        .unwrap()
        .matches("[[users]]")
        .count();
    let file = agents_without_passwords(dir.path(), "agents.csv", "rr", 4, &[]);
    let (first, retry) = (dir.path().join("first.csv"), dir.path().join("retry.csv"));
    {
        // Room for two more users: the third create meets a full quota,
        // which stops the run.
        let max_users = (seeded + 2).to_string();
        let server = LocalServer::builder()
            .db(&db)
            .args(["--no-throttle", "--max-users", &max_users])
            .start();
        let out = run(
            import(dir.path(), &server, DEMO_INSTANCE_ID, "apply", &file)
                .args([
                    "--concurrency",
                    "1",
                    "--rate",
                    "500",
                    "--burst",
                    "50",
                    "--yes",
                ])
                .arg("--generate-passwords")
                .arg(&first)
                .arg("--failed-out")
                .arg(&retry),
        );
        assert_eq!(out.code, Some(3), "{out}");
        assert_eq!(generated_passwords(&first).len(), 4, "written up front");
    }
    let retry_rows = std::fs::read_to_string(&retry).unwrap();
    assert!(
        retry_rows.contains("rr.2,,Basic Routing Profile")
            && retry_rows.contains("rr.3,,Basic Routing Profile"),
        "the rows to run again keep their empty password cells:\n{retry_rows}"
    );

    let server = LocalServer::builder()
        .no_seed()
        .db(&db)
        .args(["--no-throttle"])
        .start();
    let second = dir.path().join("second.csv");
    let out: Run = run(
        import(dir.path(), &server, DEMO_INSTANCE_ID, "apply", &retry)
            .args([
                "--rate", "500", "--burst", "50", "--yes", "--format", "json",
            ])
            .arg("--generate-passwords")
            .arg(&second),
    );
    assert_eq!(out.code, Some(0), "{out}");
    assert_eq!(out.summary(), (2, 0, 0, 0), "{out}");

    let first = generated_passwords(&first);
    let second = generated_passwords(&second);
    let logins: Vec<&str> = second.iter().map(|g| g.login.as_str()).collect();
    assert_eq!(logins, ["rr.2", "rr.3"]);
    let check =
        |login: &str, password: &str| check_password(&server, DEMO_INSTANCE_ID, login, password);
    for row in &first {
        let (expected, status) = if ["rr.0", "rr.1"].contains(&row.login.as_str()) {
            ("matches", "valid")
        } else {
            // Refused by the full quota, or never sent: not this user's.
            ("differs", "not used")
        };
        assert_eq!(check(&row.login, &row.password), expected, "{row:?}");
        assert_eq!(row.status, status, "{row:?}");
    }
    for row in &second {
        assert_eq!(check(&row.login, &row.password), "matches", "{row:?}");
        assert_eq!(row.status, "valid", "{row:?}");
    }
}
