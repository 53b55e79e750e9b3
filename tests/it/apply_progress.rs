//! What a run says about its pace: the progress line shows the rate the run
//! achieves (bounded by the quota's pacer where one applies; `--local` has
//! none), and a dry run says how long the real run would take at the quota.
use crate::support;

use std::process::{Command, Stdio};

use support::apply::{agents_file, command, fixture, import, run, BIN};
use support::local_server::{LocalServer, DEMO_INSTANCE_ID};

/// Every `(rate, ETA)` a progress line showed: `(1523/s, ETA 2 seconds)`.
fn rates_and_etas(screen: &str) -> Vec<(f64, String)> {
    screen
        .split('(')
        .filter_map(|part| {
            let (rate, rest) = part.split_once("/s, ETA ")?;
            let (eta, _) = rest.split_once(')')?;
            Some((rate.trim().parse().ok()?, eta.to_string()))
        })
        .collect()
}

#[test]
fn a_local_run_shows_the_rate_it_achieves_not_the_quota() {
    let dir = tempfile::tempdir().unwrap();
    // Enough rows to outlast the first half second, when no rate is shown yet.
    let file = agents_file(dir.path(), "many.csv", "rate", 3000);
    let line = format!(
        "stty cols 160 rows 40; {BIN} import apply {} --local {} --yes",
        file.display(),
        dir.path().join("store.sqlite").display()
    );
    let output = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .current_dir(dir.path())
        .env_remove("CONNECT_INSTANCE_ID")
        .stdin(Stdio::null())
        .output()
        .expect("util-linux `script` runs the binary on a pseudo-terminal");
    let screen = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{screen}");
    let shown = rates_and_etas(&screen);
    assert!(!shown.is_empty(), "no progress line drawn: {screen}");
    // The in-process store creates hundreds of users a second; the quota's
    // 2 a second (and its ETA of minutes) would be wrong.
    for (rate, eta) in &shown {
        assert!(*rate > 2.0, "{rate}/s, ETA {eta}: {screen}");
        assert!(
            !eta.contains("hour") && !eta.contains("minute"),
            "{rate}/s, ETA {eta}"
        );
    }
}

#[test]
fn a_dry_run_says_how_long_the_real_run_takes_at_the_quota() {
    let dir = tempfile::tempdir().unwrap();
    let server = LocalServer::builder().args(["--no-throttle"]).start();
    let dry = run(import(
        dir.path(),
        &server,
        DEMO_INSTANCE_ID,
        "apply",
        &fixture("valid/agents.csv"),
    )
    .args(["--dry-run", "--rate", "2", "--burst", "5"]));
    assert_eq!(dry.code, Some(0), "{dry}");
    // 30 creates at 1.96 a second, the first 5 at once: about 13 s, after
    // the checks.
    assert!(
        dry.stderr
            .contains("dry run: the real run would take about 1"),
        "{dry}"
    );
    assert!(
        dry.stderr
            .contains("30 CreateUser requests at 1.96 a second (--rate, burst 5)"),
        "{dry}"
    );
    assert_eq!(server.count("CreateUser", "200"), 0, "{dry}");

    // In-process, no quota applies: no estimate at the quota.
    let local = run(command(dir.path()).args([
        "import",
        "apply",
        fixture("valid/agents.csv").to_str().unwrap(),
        "--local",
        dir.path().join("s.sqlite").to_str().unwrap(),
        "--dry-run",
    ]));
    assert_eq!(local.code, Some(0), "{local}");
    assert!(!local.stderr.contains("would take"), "{local}");
}
