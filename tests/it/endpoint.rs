//! An endpoint that does not answer: nothing listening at the first
//! request stops the run at once, naming the URL; an instance that stops
//! answering mid-run is waited for, and the user is told within seconds
//! what is failing, that it is retried, and when it answers again.
use crate::support;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use support::apply::{command, fixture, usernames, BIN};
use support::local_server::DEMO_INSTANCE_ID;

/// A port nothing listens on (bound, then let go).
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[test]
fn nothing_listening_at_the_first_request_stops_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("http://127.0.0.1:{}", free_port());
    let started = Instant::now();
    let output = command(dir.path())
        .args([
            "import",
            "validate",
            fixture("valid/agents.csv").to_str().unwrap(),
            "--instance-id",
            DEMO_INSTANCE_ID,
            "--endpoint-url",
            &url,
            "--region",
            "us-east-1",
            // import validate takes the pacing flags too.
            "--patience",
            "5m",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    // Not the ten minutes of the default patience.
    assert!(started.elapsed() < Duration::from_secs(10), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "nothing listens at {url}: the first request of the run was refused"
        )),
        "{stderr}"
    );
}

/// `local serve` on a given port, with the store at `db`.
fn serve(db: &std::path::Path, port: u16) -> Child {
    let child = Command::new(BIN)
        .args(["local", "serve", "--demo", "--no-throttle", "--quiet"])
        .arg("--db")
        .arg(db)
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // It is ready once it accepts connections.
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "local serve did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    child
}

#[test]
fn an_instance_that_stops_answering_mid_run_is_waited_for_and_said() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("instance.sqlite");
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}");
    let mut first = serve(&db, port);
    let apply = command(dir.path())
        .args([
            "import",
            "apply",
            fixture("valid/agents.csv").to_str().unwrap(),
            "--instance-id",
            DEMO_INSTANCE_ID,
            "--endpoint-url",
            &url,
            "--region",
            "us-east-1",
            "--yes",
            "--rate",
            "8",
            "--burst",
            "1",
            "--patience",
            "60s",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Some users are created, then the instance goes away for a while.
    std::thread::sleep(Duration::from_millis(1500));
    first.kill().unwrap();
    first.wait().unwrap();
    std::thread::sleep(Duration::from_secs(4));
    let mut second = serve(&db, port);
    let output = apply.wait_with_output().unwrap();
    second.kill().unwrap();
    second.wait().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!("connect-users: {url} is not answering: ")),
        "{stderr}"
    );
    assert!(
        stderr.contains("retrying each request for up to 1m (--patience)"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("connect-users: {url} answers again, after ")),
        "{stderr}"
    );
    // Every row was created exactly once, however the outage fell.
    let server = support::local_server::LocalServer::builder()
        .db(&db)
        .no_seed()
        .args(["--no-throttle"])
        .start();
    let users = usernames(&server, DEMO_INSTANCE_ID);
    let file = fixture("valid/agents.csv");
    for login in support::apply::logins_of(&file) {
        assert_eq!(users.get(&login), Some(&1), "{login}: {stderr}");
    }
}
