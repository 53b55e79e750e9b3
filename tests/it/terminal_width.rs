//! A terminal width of 0 (`COLUMNS=0`, or a pseudo-terminal reporting 0
//! columns as some CI runners' do) is no width at all: tables are drawn
//! whole, not squeezed to a letter per column.
use crate::support;

use support::apply::{command, fixture, on_a_terminal, run, BIN};

/// The heading every table below has, whole on one line.
const LOGIN_HEADING: &str = "user login";

#[test]
fn columns_zero_draws_the_review_whole() {
    let dir = tempfile::tempdir().unwrap();
    let file = fixture("valid/agents.csv");
    let validate = |columns: Option<&str>| {
        let mut cmd = command(dir.path());
        cmd.args(["import", "validate"]).arg(&file);
        if let Some(columns) = columns {
            cmd.env("COLUMNS", columns);
        }
        run(&mut cmd)
    };
    let piped = validate(None);
    assert!(piped.stdout.contains(LOGIN_HEADING), "{piped}");
    for columns in ["0", "3"] {
        let zero = validate(Some(columns));
        assert_eq!(zero.code, Some(0), "{zero}");
        assert_eq!(zero.stdout, piped.stdout, "COLUMNS={columns}");
    }
}

#[test]
fn a_terminal_of_zero_columns_draws_tables_whole() {
    let dir = tempfile::tempdir().unwrap();
    let file = fixture("valid/agents.csv");
    let validate = format!("stty cols 0; {BIN} import validate {}", file.display());
    let store = dir.path().join("store.sqlite");
    let list = format!("stty cols 0; {BIN} agents list --local {}", store.display());
    for line in [validate, list] {
        let seen = on_a_terminal(dir.path(), &line, "");
        assert_eq!(seen.code, Some(0), "{line}: {seen}");
        assert!(seen.stdout.contains(LOGIN_HEADING), "{line}: {seen}");
    }
}
