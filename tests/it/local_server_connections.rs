//! `local serve` does not let idle or slow clients hold its connections: a
//! connection that sends nothing, or half a request, is closed after the
//! read timeout, so even more of them than the server has file descriptors
//! for cannot keep a real client out for longer than a few timeouts.

use crate::support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use support::local_server::{LocalServer, DEMO_INSTANCE_ID};

/// Open-file limit for the server: about 16 descriptors go to the runtime,
/// the database, its WAL and the logs, which leaves room for some 24
/// connections, fewer than the idle ones the test opens.
const OPEN_FILES: u64 = 40;
const IDLE_CONNECTIONS: usize = 60;

/// Connections that never finish a request: half send nothing, half stop
/// in the middle of their headers.
fn open_idle_connections(server: &LocalServer) -> Vec<TcpStream> {
    let addr = server.endpoint().trim_start_matches("http://");
    (0..IDLE_CONNECTIONS)
        .map(|i| {
            let mut socket = TcpStream::connect(addr).expect("the kernel queues the connection");
            if i % 2 == 1 {
                socket
                    .write_all(b"GET /users-summary/x HTTP/1.1\r\nhost: 127.0.0.1\r\nx-amz-da")
                    .unwrap();
            }
            socket
        })
        .collect()
}

async fn list_users_within(server: &LocalServer, limit: Duration) -> bool {
    let client = server.client();
    let call = client.list_users().instance_id(DEMO_INSTANCE_ID).send();
    match tokio::time::timeout(limit, call).await {
        Err(_) => false,
        Ok(answer) => {
            answer.expect("ListUsers");
            true
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn idle_connections_beyond_the_open_file_limit_are_closed_and_a_client_gets_through() {
    let server = LocalServer::builder()
        .args(["--no-throttle", "--read-timeout-ms", "300"])
        .open_file_limit(OPEN_FILES)
        .start();
    let mut idle = open_idle_connections(&server);
    assert!(
        list_users_within(&server, Duration::from_secs(60)).await,
        "ListUsers was not answered while idle connections held the server"
    );
    // Each idle connection was closed by the server (an end of stream, after
    // a 408 answer for the half-sent ones), not left open.
    for (i, socket) in idle.iter_mut().enumerate() {
        socket
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let mut answer = Vec::new();
        match socket.read_to_end(&mut answer) {
            Ok(_) => {}
            Err(err) if err.kind() == std::io::ErrorKind::ConnectionReset => {}
            Err(err) => panic!("idle connection {i} still open: {err}"),
        }
        let answer = String::from_utf8_lossy(&answer);
        assert!(
            answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
            "{answer}"
        );
    }
    assert!(list_users_within(&server, Duration::from_secs(10)).await);
}

/// The control: with a read timeout longer than the test, the same idle
/// connections do lock a client out, so the test above proves the timeout.
#[tokio::test(flavor = "multi_thread")]
async fn without_a_short_timeout_the_same_idle_connections_lock_a_client_out() {
    let server = LocalServer::builder()
        .args(["--no-throttle", "--read-timeout-ms", "600000"])
        .open_file_limit(OPEN_FILES)
        .start();
    let _idle = open_idle_connections(&server);
    assert!(
        !list_users_within(&server, Duration::from_secs(3)).await,
        "the open-file limit did not bite: the test above would prove nothing"
    );
}

/// Listening beyond loopback warns on stderr that the instance is reachable
/// from other machines and only as closed as its key pair. (The test binds
/// 0.0.0.0 with a random secret key for the moment it takes, and sends
/// nothing there.)
#[test]
fn listening_beyond_loopback_warns_and_loopback_does_not() {
    use std::io::BufRead;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let secret = format!("s{}", std::process::id());
    let first_lines = |addr: &str, keys: &[&str]| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_connect-users"))
            .args([
                "local", "serve", "--demo", "--quiet", "--addr", addr, "--db",
            ])
            .arg(dir.path().join("w.sqlite"))
            .args(keys)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut endpoint = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut endpoint)
            .unwrap();
        // Stop it, then read all it said on stderr.
        let _ = child.kill();
        let output = child.wait_with_output().unwrap();
        (
            endpoint,
            String::from_utf8_lossy(&output.stderr).to_string(),
        )
    };
    let (endpoint, stderr) = first_lines("0.0.0.0:0", &["--secret-key", &secret]);
    assert!(endpoint.starts_with("http://0.0.0.0:"), "{endpoint}");
    assert!(
        stderr.contains("reachable from other machines")
            && stderr.contains("--access-key and --secret-key")
            && stderr.contains("/_local/stats answers without a signature"),
        "{stderr}"
    );
    assert!(!stderr.contains("test/test"), "keys were given: {stderr}");
    let (_, quiet) = first_lines("127.0.0.1:0", &[]);
    assert!(!quiet.contains("warning"), "{quiet}");
}

/// A store that holds no instance (a new file, no `--seed`) would answer
/// every call with ResourceNotFound: `local serve` loads the demo instance
/// then, as `--local` does on first use, and says so; a store that has an
/// instance is served as it is.
#[tokio::test]
async fn a_new_store_without_a_seed_serves_the_demo_instance_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fresh.sqlite");
    let server = LocalServer::builder()
        .no_seed()
        .db(&db)
        .args(["--no-throttle"])
        .start();
    let described = server
        .client()
        .describe_instance()
        .instance_id(DEMO_INSTANCE_ID)
        .send()
        .await
        .expect("the demo instance is served");
    assert_eq!(
        described.instance().and_then(|i| i.instance_alias()),
        Some("demo-contact-center")
    );
    let log = server.log();
    assert!(
        log.contains("held no instance: loaded the demo instance demo-contact-center"),
        "{log}"
    );
    drop(server);
    // Started again on the same store: nothing is loaded, nothing said.
    let again = LocalServer::builder()
        .no_seed()
        .db(&db)
        .args(["--no-throttle"])
        .start();
    assert!(!again.log().contains("held no instance"), "{}", again.log());
}
