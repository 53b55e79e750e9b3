//! On a terminal, `import apply` asks before creating anything. The test
//! gives the binary a real pseudo-terminal with util-linux `script`.
mod support;

use std::io::Write;
use std::process::{Command, Stdio};

use support::apply::{fixture, Run, BIN};

/// Runs `import apply FILE --local DB` on a pseudo-terminal and answers `answer`.
fn apply_on_a_terminal(dir: &std::path::Path, answer: &str) -> Run {
    let line = format!(
        "{BIN} import apply {} --local {} --format json",
        fixture("valid/agents.csv").display(),
        dir.join("demo.db").display()
    );
    let mut child = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .current_dir(dir)
        .env_remove("CONNECT_INSTANCE_ID")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("util-linux `script` runs the binary on a pseudo-terminal");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(answer.as_bytes())
        .unwrap();
    Run::of(child.wait_with_output().unwrap())
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
