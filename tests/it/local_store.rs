//! `--local`, as a newcomer first types it: the file given as its value,
//! a directory, a file that is no store, a missing input file, and where
//! the store it creates is (the same default file as `local serve`).
use crate::support;

use support::apply::{command, fixture, run};

#[test]
fn the_default_store_is_local_serves_and_its_creation_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let file = fixture("valid/agents.csv");
    let first =
        run(command(dir.path()).args(["import", "validate", file.to_str().unwrap(), "--local"]));
    assert_eq!(first.code, Some(0), "{first}");
    let store = dir.path().join("connect-users-local.sqlite");
    assert!(store.is_file(), "{first}");
    assert!(
        first.stderr.contains(
            "created the local store connect-users-local.sqlite with the demo instance; \
             `connect-users local serve --db connect-users-local.sqlite` serves the same instance"
        ),
        "{first}"
    );
    // Said once: the second run finds the store.
    let again =
        run(command(dir.path()).args(["import", "validate", file.to_str().unwrap(), "--local"]));
    assert_eq!(again.code, Some(0), "{again}");
    assert!(!again.stderr.contains("created"), "{again}");
}

#[test]
fn a_missing_input_file_creates_no_store() {
    let dir = tempfile::tempdir().unwrap();
    for extra in [&[][..], &["--yes"][..]] {
        let subcommand = if extra.is_empty() {
            "validate"
        } else {
            "apply"
        };
        let missing = run(command(dir.path())
            .args(["import", subcommand, "missing.csv", "--local", "e.db"])
            .args(extra));
        assert_eq!(missing.code, Some(2), "{missing}");
        assert!(
            missing.stderr.contains("cannot read missing.csv"),
            "{missing}"
        );
        assert!(!dir.path().join("e.db").exists(), "{missing}");
    }
}

#[test]
fn a_file_that_is_no_store_is_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.db");
    std::fs::write(&notes, "not a database\n").unwrap();
    let refused = run(command(dir.path()).args([
        "import",
        "validate",
        fixture("valid/agents.csv").to_str().unwrap(),
        "--local",
        "notes.db",
    ]));
    assert_eq!(refused.code, Some(2), "{refused}");
    assert!(
        refused
            .stderr
            .contains("notes.db exists and is not a local store"),
        "{refused}"
    );
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "not a database\n");
    // The settings file's `local` is checked the same way.
    std::fs::write(
        dir.path().join("connect-users.toml"),
        "local = \"notes.db\"\n",
    )
    .unwrap();
    let from_file = run(command(dir.path()).args([
        "import",
        "validate",
        fixture("valid/agents.csv").to_str().unwrap(),
    ]));
    assert_eq!(from_file.code, Some(2), "{from_file}");
    assert!(
        from_file
            .stderr
            .contains("notes.db exists and is not a local store"),
        "{from_file}"
    );
}
