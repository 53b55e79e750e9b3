//! `--format github` on a CI log: whatever a file or the service says,
//! stdout holds only workflow commands and the summary line — no raw
//! control character (ESC sequences would act on the log viewer), and no
//! line break that could start a workflow command of its own.
use crate::support;

use support::apply::{command, fixture, run};
use support::local_server::LocalServer;

/// What would act on a log viewer if written raw.
fn raw_controls(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| c != '\n' && c.is_control())
        .collect()
}

#[test]
fn a_file_name_and_values_with_escapes_stay_inside_their_annotations() {
    let dir = tempfile::tempdir().unwrap();
    let name = "agents\u{1b}[1m\n::error::injected.csv";
    let file = dir.path().join(name);
    std::fs::write(
        &file,
        "first name,last name,user login,password,routing profile name,\
         security_profile_name_1|security_profile_name_2,phone type (soft/desk),phone number\n\
         \"Ann\u{1b}[2J\r\nX\",Lee,ann\u{1b}]0;t\u{7}lee,,Basic,Agent,soft,\n",
    )
    .unwrap();
    let validated = run(command(dir.path())
        .args(["import", "validate", "--format", "github"])
        .arg(&file));
    assert_eq!(validated.code, Some(1), "{validated}");
    let out = &validated.stdout;
    assert_eq!(raw_controls(out), Vec::<char>::new(), "{out:?}");
    let shown_name = "agents\\u{1b}[1m\\n::error::injected.csv";
    let (mut annotations, mut others) = (0, Vec::new());
    for line in out.lines() {
        if line.starts_with("::") {
            annotations += 1;
        } else {
            others.push(line);
        }
    }
    assert!(annotations >= 2, "{out}");
    assert_eq!(others.len(), 1, "{out}");
    let summary = format!("{}/{shown_name}: 1 row", dir.path().display());
    assert!(others[0].starts_with(&summary), "{out}");
    assert!(!out.contains("\n::error::injected"), "{out}");
}

#[test]
fn a_service_message_with_escapes_is_escaped_in_the_annotation() {
    let dir = tempfile::tempdir().unwrap();
    let server = LocalServer::start();
    // local serve quotes the instance ID it did not find, as the service does.
    let instance = "x\u{1b}[31mred\nline2";
    let validated = run(command(dir.path())
        .args(["import", "validate", "--format", "github"])
        .arg(fixture("valid/agents.csv"))
        .args(["--instance-id", instance])
        .args(["--endpoint-url", server.endpoint(), "--region", "us-east-1"]));
    assert_eq!(validated.code, Some(2), "{validated}");
    let out = &validated.stdout;
    assert_eq!(raw_controls(out), Vec::<char>::new(), "{out:?}");
    assert!(
        out.contains("ResourceNotFoundException: Instance x\\u{1b}[31mred%0Aline2 not found"),
        "{out}"
    );
    assert!(out.lines().all(|line| line.starts_with("::")), "{out}");
}
