//! `agents list|set|export --file` and `agents edit FILE` read a file that may hold passwords (a
//! filled template): no password of it reaches any output, whatever commas
//! and quotes do to its rows. Generated files (`support::ragged_files`:
//! unquoted commas, cells left out, shifted cells — also over an empty cell
//! under `password` —, stray and unclosed quotes; passwords strong or weak)
//! are given to the real binary against one `local serve`.
use crate::support;

use std::cell::Cell;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use support::agents::{agents, agents_server};
use support::apply::{leaked, run, Run, CONNECT_MANAGED_HEADER};
use support::local_server::LocalServer;
use support::ragged_files::{self, ragged_files, Mistake};

const FAST: [&str; 4] = ["--rate", "1000", "--burst", "100"];

/// `agents list`, `agents set --dry-run` and `agents export` with `--file`;
/// `agents edit FILE --dry-run`.
fn every_command(server: &LocalServer, dir: &std::path::Path, file: &std::path::Path) -> Vec<Run> {
    let mut runs = file_commands(server, dir, file);
    runs.push(edit(server, dir, file, "table"));
    runs
}

/// `agents edit FILE --dry-run`: the file is validated as the template.
fn edit(server: &LocalServer, dir: &std::path::Path, file: &std::path::Path, format: &str) -> Run {
    run(agents(dir, server, "edit")
        .arg(file)
        .args(["--yes", "--dry-run", "--format", format])
        .args(FAST))
}

/// The commands that take `--file`.
fn file_commands(server: &LocalServer, dir: &std::path::Path, file: &std::path::Path) -> Vec<Run> {
    let out = dir.join("export.csv");
    let _ = std::fs::remove_file(&out);
    vec![
        run(agents(dir, server, "list")
            .arg("--file")
            .arg(file)
            .args(FAST)),
        run(agents(dir, server, "set")
            .args(["--persistent-connection", "on", "--yes", "--dry-run"])
            .arg("--file")
            .arg(file)
            .args(FAST)),
        run(agents(dir, server, "export")
            .arg("-o")
            .arg(&out)
            .arg("--file")
            .arg(file)
            .args(FAST)),
    ]
}

#[test]
fn a_login_from_a_file_is_never_printed_where_it_may_be_a_password() {
    let server = agents_server(&["--no-throttle"]);
    let dir = tempfile::tempdir().unwrap();
    let header = CONNECT_MANAGED_HEADER;
    let row = |cells: &str| {
        format!("{header}\nAva,Reyes,,,,sales.ava,Good2password,Sales Inbound,Agent,,soft,,no,30,no,\n{cells}\n")
    };
    let cases = [
        // A cell missing before `password`: the password sits under `user login`.
        row("Bo,Ito,,,b.ito,Zq9Leak0201,Sales Inbound,Agent,,soft,,no,30,no,"),
        // The same width, the password under `user login`, an empty cell under `password`.
        row("Bo,Ito,,,,Zq9Leak0201,,Sales,Inbound,Agent,soft,,no,30,no,"),
        // The same width, the password under `user login`, a name under `password`.
        row("Bo,Ito,,,,Zq9Leak0201,Sales Inbound,Agent,,soft,,no,30,no,x,"),
    ];
    for (i, text) in cases.iter().enumerate() {
        let file = dir.path().join(format!("ragged{i}.csv"));
        std::fs::write(&file, text).unwrap();
        for out in every_command(&server, dir.path(), &file) {
            // `agents edit` validates its file as the template: exit 1.
            assert!(matches!(out.code, Some(1 | 2)), "{out}");
            let all = format!("{}{}", out.stdout, out.stderr);
            assert!(!all.contains("Zq9Leak0201"), "case {i}: {out}");
            // The row is named by its file and line instead.
            let place = [
                format!("ragged{i}.csv: the row on line 3 "),
                format!("ragged{i}.csv:3: "),
            ];
            assert!(place.iter().any(|p| all.contains(p.as_str())), "{out}");
        }
    }
    // A login that may be shown still is, with its file and line.
    let file = dir.path().join("unknown.csv");
    std::fs::write(
        &file,
        format!("{header}\nAva,Reyes,,,,sales.avaa,Good2password,Sales Inbound,Agent,,soft,,no,30,no,\n"),
    )
    .unwrap();
    let out = run(agents(dir.path(), &server, "list")
        .arg("--file")
        .arg(&file)
        .args(FAST));
    assert_eq!(out.code, Some(2), "{out}");
    assert!(
        out.stderr
            .contains("unknown.csv:2: user login \"sales.avaa\": no user has this login")
            && out.stderr.contains("did you mean \"sales.ava\""),
        "{out}"
    );
}

#[test]
fn agents_commands_with_a_file_show_no_password_of_it() {
    let server = agents_server(&["--no-throttle"]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("agents.csv");
    let mut runner = TestRunner::new(Config {
        cases: 60,
        failure_persistence: None,
        ..Config::default()
    });
    let (refused_lines, unknown_logins) = (Cell::new(0), Cell::new(0));
    let result = runner.run(&ragged_files(), |(bytes, passwords)| {
        std::fs::write(&file, &bytes).unwrap();
        for out in file_commands(&server, dir.path(), &file) {
            prop_assert!(matches!(out.code, Some(0 | 2)), "{out}");
            let shown = leaked(&format!("{}{}", out.stdout, out.stderr), &passwords);
            prop_assert!(shown.is_empty(), "shows {shown:?}:\n{out}");
            if out.stderr.contains("not line up with the header") {
                refused_lines.set(refused_lines.get() + 1);
            }
            if out.stderr.contains("no user has this login") {
                unknown_logins.set(unknown_logins.get() + 1);
            }
        }
        Ok(())
    });
    if let Err(err) = result {
        panic!("{err}");
    }
    // Both ways a file's rows are refused were met.
    let (refused, unknown) = (refused_lines.get(), unknown_logins.get());
    eprintln!("runs refusing misaligned rows: {refused}; naming unknown logins: {unknown}");
    assert!(refused > 0 && unknown > 0, "{refused} {unknown}");
}

/// `agents edit FILE` validates its file as the template (the password
/// column unused): nothing of a password reaches its output, in any format.
/// An empty password cell is what an export holds, so there, as under
/// `import apply --generate-passwords`, a weak password shifted into
/// another cell reads as the value it replaced (the validator's documented
/// limit): shifts over an empty cell carry strong passwords here (no
/// weak ones, none with a space).
#[test]
fn agents_edit_shows_no_password_of_its_file() {
    let server = agents_server(&["--no-throttle"]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("agents.csv");
    let row = ragged_files::row_plan(ragged_files::password(), 6).prop_map(|mut row| {
        if matches!(row.mistake, Mistake::ShiftedOverEmpty { .. }) {
            // Strong: no space either (a password has none).
            row.password = format!("Zq{}7Xy", &row.password[2..]).replace(' ', "");
        }
        row
    });
    let files = (prop::collection::vec(row, 1..12), any::<bool>())
        .prop_map(|(rows, crlf)| ragged_files::build(&rows, crlf, false));
    let mut runner = TestRunner::new(Config {
        cases: 40,
        failure_persistence: None,
        ..Config::default()
    });
    let formats = Cell::new(0usize);
    let result = runner.run(&files, |(bytes, passwords)| {
        std::fs::write(&file, &bytes).unwrap();
        let format = ["table", "json", "github"][formats.get() % 3];
        formats.set(formats.get() + 1);
        let out = edit(&server, dir.path(), &file, format);
        prop_assert!(matches!(out.code, Some(0..=2)), "{out}");
        let shown = leaked(&format!("{}{}", out.stdout, out.stderr), &passwords);
        prop_assert!(shown.is_empty(), "shows {shown:?}:\n{out}");
        Ok(())
    });
    if let Err(err) = result {
        panic!("{err}");
    }
}
