//! `template fetch` writes files: with a BOM unless `--no-bom`, never over
//! an existing file unless `--force`, and what it writes is a template the
//! validator accepts once rows are added.

use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;

fn connect_users() -> Command {
    Command::cargo_bin("connect-users").expect("binary")
}

#[test]
fn writes_the_template_with_a_bom() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("agents.csv");
    let out = connect_users()
        .args(["template", "fetch", "-o"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("wrote the connect-managed template to"),
        "{stderr}"
    );
    assert!(stderr.ends_with("(17 columns)\n"), "{stderr}");
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBFfirst name,last name,email address,"));
    assert!(bytes.ends_with(b",persistent connection (yes/no),audio enhancement,tags\r\n"));
}

#[test]
fn no_bom_omits_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("agents.csv");
    let status = connect_users()
        .args([
            "template",
            "fetch",
            "--no-bom",
            "--identity",
            "saml",
            "--output",
        ])
        .arg(&path)
        .output()
        .unwrap();
    assert!(status.status.success());
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"first name,last name,secondary email,"));
}

#[test]
fn never_overwrites_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("agents.csv");
    std::fs::write(&path, "my filled rows\n").unwrap();
    let out = connect_users()
        .args(["template", "fetch", "-o"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.starts_with("connect-users: error: "), "{stderr}");
    assert!(
        stderr.contains("already exists; --force overwrites it"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "my filled rows\n");

    let status = connect_users()
        .args(["template", "fetch", "--force", "-o"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(status.status.success());
    assert!(std::fs::read(&path)
        .unwrap()
        .starts_with(b"\xEF\xBB\xBFfirst name,"));
}

#[test]
fn an_unwritable_path_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no-such-dir").join("agents.csv");
    let out = connect_users()
        .args(["template", "fetch", "-o"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("cannot create"));
}

#[test]
fn a_fetched_template_validates_once_rows_are_added() {
    for (identity, row) in [
        ("connect-managed", "Taro,Yamada,taro@example.jp,,,t.yamada,Welcome2025a,Japan Support,Agent,Japan|Tokyo|Team Sakura,soft,,yes,30,yes,isolate voice,team|sakura\r\n"),
        ("saml", "Taro,Yamada,,,t.yamada@example.jp,Japan Support,Agent,,desk,+81355500119,no,30,no,,\r\n"),
        ("existing-directory", "t.yamada,Japan Support,Agent,,soft,,,,,,\r\n"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("agents.csv");
        let fetched = connect_users().args(["template", "fetch", "--identity", identity, "-o"]).arg(&path).output().unwrap();
        assert!(fetched.status.success());

        let empty = connect_users().args(["import", "validate", "--identity", identity]).arg(&path).output().unwrap();
        assert_eq!(empty.status.code(), Some(1), "a template without rows has no users");
        assert!(String::from_utf8(empty.stdout).unwrap().contains("[no-users]"));

        let mut bytes = std::fs::read(&path).unwrap();
        bytes.extend_from_slice(row.as_bytes());
        std::fs::write(&path, bytes).unwrap();
        let filled = connect_users().args(["import", "validate", "--identity", identity]).arg(&path).output().unwrap();
        let stdout = String::from_utf8(filled.stdout).unwrap();
        assert_eq!(filled.status.code(), Some(0), "{identity}: {stdout}");
        assert!(stdout.contains("1 row, 1 user, 0 warnings, 0 errors"), "{stdout}");
    }
}
