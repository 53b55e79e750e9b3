//! `import validate` and `template fetch` as a user runs them: the real
//! binary on the fixtures, with exit code, stdout and stderr pinned case by
//! case in `tests/cmd/` (regenerate with `TRYCMD=overwrite cargo test`),
//! plus the behaviours a case file cannot express: large and generated
//! inputs, a closed pipe, and that no password ever reaches the output.

use std::io::{Read, Write};
use std::process::{Command, Stdio};

use assert_cmd::cargo::CommandCargoExt;

#[test]
fn cli_cases() {
    trycmd::TestCases::new()
        .case("tests/cmd/validate-*.toml")
        .case("tests/cmd/template-*.toml")
        .case("tests/cmd/apply-*.toml");
}

const HEADER: &str = "first name,last name,user login,password,routing profile name,\
    security_profile_name_1|security_profile_name_2,phone type (soft/desk),phone number\n";

fn connect_users() -> Command {
    let mut command = Command::cargo_bin("connect-users").expect("binary");
    command.env_remove("COLUMNS");
    command
}

/// A connect-managed file of `rows` agents; the rows in `bad` get an invalid login.
fn agents_file(dir: &tempfile::TempDir, rows: usize, bad: &[usize]) -> std::path::PathBuf {
    let mut text = String::from(HEADER);
    for i in 0..rows {
        let login = if bad.contains(&i) {
            format!("agent {i}")
        } else {
            format!("agent{i}")
        };
        text.push_str(&format!(
            "Agent,Number{i},{login},Welcome{i}Aa,Sales Inbound,Agent,soft,\n"
        ));
    }
    let path = dir.path().join("agents.csv");
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn a_long_file_shows_rows_with_findings_and_says_how_many_ok_rows_it_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let path = agents_file(&dir, 200, &[150]);
    let out = connect_users()
        .args(["import", "validate"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("│ 152  ┆ agent 150"), "{stdout}");
    assert!(!stdout.contains("agent149 "), "{stdout}");
    assert!(
        stdout.contains("199 ok rows not shown; --all shows every row"),
        "{stdout}"
    );
    assert!(
        stdout.contains(": 200 rows, 200 users, 0 warnings, 1 error"),
        "{stdout}"
    );

    let out = connect_users()
        .args(["import", "validate", "--all"])
        .arg(&path)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().filter(|l| l.starts_with("│ ")).count(), 201);
}

#[test]
fn a_50_mb_cell_is_one_bounded_finding() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.csv");
    let mut file = std::fs::File::create(&path).unwrap();
    file.write_all(HEADER.as_bytes()).unwrap();
    file.write_all(b"\"").unwrap();
    file.write_all(&vec![b'x'; 50 * 1024 * 1024]).unwrap();
    file.write_all(b"\",Yamada,t.yamada,Welcome1Aa,Sales Inbound,Agent,soft,\n")
        .unwrap();
    drop(file);
    let out = connect_users()
        .args(["import", "validate"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.len() < 4096,
        "output is bounded: {} bytes",
        stdout.len()
    );
    assert!(stdout.contains("(52428800 characters)\": is 52428800 characters long; at most 255 [first-name-too-long]"), "{stdout}");
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = agents_file(&dir, 3000, &[]);
    let mut child = connect_users()
        .args(["import", "validate", "--all"])
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 100];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert_eq!(stderr, "");
}

#[test]
fn no_output_format_ever_shows_a_password() {
    for format in ["table", "json", "github"] {
        for file in [
            "fixtures/valid/agents.csv",
            "fixtures/invalid/field-errors.csv",
        ] {
            let out = connect_users()
                .args(["import", "validate", "--all", "--format", format, file])
                .output()
                .unwrap();
            let all = [out.stdout, out.stderr].concat();
            let text = String::from_utf8_lossy(&all);
            assert!(!text.contains("Welcome2025"), "{format} {file}: {text}");
            assert!(
                !text.contains("Sh0rt") && !text.contains("welcome2025"),
                "{format} {file}"
            );
        }
    }
}

#[test]
fn every_command_has_help_with_an_example() {
    for args in [
        &["template", "fetch", "--help"][..],
        &["import", "validate", "--help"][..],
    ] {
        let out = connect_users().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(stdout.contains("Examples:\n  connect-users "), "{stdout}");
    }
}

/// The examples of a command's `--help`, each split into its arguments
/// (without the leading `connect-users`).
fn help_examples(args: &[&str]) -> Vec<Vec<String>> {
    let out = connect_users().args(args).arg("--help").output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    let examples = help
        .split("Examples:\n")
        .nth(1)
        .expect("an Examples section");
    examples
        .lines()
        .map_while(|line| line.strip_prefix("  connect-users "))
        .map(|line| line.split_whitespace().map(str::to_owned).collect())
        .collect()
}

#[test]
fn every_example_of_import_validate_help_runs_as_shown() {
    let examples = help_examples(&["import", "validate"]);
    assert!(examples.len() >= 4, "{examples:?}");
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy("fixtures/valid/agents.csv", dir.path().join("agents.csv")).unwrap();
    for example in &examples {
        let out = connect_users()
            .current_dir(dir.path())
            .env_remove("CONNECT_INSTANCE_ID")
            .args(example)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        // 0 or 1 is a verdict on the file; 2 would be a usage or I/O error.
        // The one line allowed on stderr says where `--local` made its store.
        let unexpected: Vec<&str> = stderr
            .lines()
            .filter(|line| !line.starts_with("connect-users: created the local store "))
            .collect();
        assert!(
            matches!(out.status.code(), Some(0 | 1)) && unexpected.is_empty(),
            "{example:?}: exit {:?}\n{stderr}{stdout}",
            out.status.code()
        );
        if example.iter().any(|a| a == "--local") {
            // Checked against the local demo instance: the plan's actions show.
            assert_eq!(out.status.code(), Some(0), "{example:?}\n{stdout}");
            assert!(
                stdout.contains("┆ create ") || stdout.contains("┆ exists "),
                "{stdout}"
            );
        }
    }
    assert!(
        examples.iter().any(|e| e.iter().any(|a| a == "--local")),
        "{examples:?}"
    );
}
