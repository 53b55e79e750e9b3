//! On a terminal, `import apply` asks before creating anything. The test
//! gives the binary a real pseudo-terminal with util-linux `script`.
use crate::support;

use support::apply::{fixture, on_a_terminal, Run, BIN};

/// Runs `import apply FILE --local DB` on a pseudo-terminal and answers `answer`.
fn apply_on_a_terminal(dir: &std::path::Path, answer: &str) -> Run {
    let line = format!(
        "{BIN} import apply {} --local {} --format json",
        fixture("valid/agents.csv").display(),
        dir.join("demo.db").display()
    );
    on_a_terminal(dir, &line, answer)
}

#[test]
fn asks_before_creating_and_no_means_nothing_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let declined = apply_on_a_terminal(dir.path(), "n\n");
    assert_eq!(declined.code, Some(2), "{declined}");
    assert!(
        declined.stdout.contains(
            "Create 30 users in instance demo-contact-center (1f3c2b9a-5d4e-4c6b-9a7f-2e8d0c1b3a45)? [y/N]"
        ),
        "{declined}"
    );
    assert!(
        declined.stdout.contains("nothing was created"),
        "{declined}"
    );

    let accepted = apply_on_a_terminal(dir.path(), "y\n");
    assert_eq!(accepted.code, Some(0), "{accepted}");
    assert!(accepted.stdout.contains(r#""created": 30"#), "{accepted}");
}

/// What a person at a terminal sees against an instance that takes a
/// moment to answer: a spinner while the file is checked, a progress bar
/// with the rate, an ETA and the counts, then the files named at the end.
#[test]
fn a_terminal_shows_the_checks_the_progress_and_where_the_outcomes_went() {
    let dir = tempfile::tempdir().unwrap();
    let server = support::local_server::LocalServer::builder()
        .args(["--latency-ms", "300", "--rate", "10", "--burst", "5"])
        .start();
    let report = dir.path().join("run.csv");
    let line = format!(
        "stty cols 160 rows 40; {BIN} import apply {} --instance-id {} --endpoint-url {} \
         --region us-east-1 --rate 10 --burst 5 --report {}",
        fixture("valid/agents.csv").display(),
        support::local_server::DEMO_INSTANCE_ID,
        server.endpoint(),
        report.display()
    );
    let seen = on_a_terminal(dir.path(), &line, "y\n");
    assert_eq!(seen.code, Some(0), "{seen}");
    let screen = &seen.stdout;
    assert!(
        screen.contains("checking ") && screen.contains("against the instance"),
        "{seen}"
    );
    assert!(screen.contains("/s, ETA "), "{seen}");
    assert!(screen.contains(" created"), "{seen}");
    assert!(
        screen.contains(&format!("report: {}", report.display())),
        "{seen}"
    );
    assert_eq!(server.count("CreateUser", "200"), 30, "{seen}");
    let file = std::fs::read_to_string(fixture("valid/agents.csv")).unwrap();
    let password = file.lines().nth(1).unwrap().split(',').nth(6).unwrap();
    assert!(!password.is_empty() && !screen.contains(password), "{seen}");
}
