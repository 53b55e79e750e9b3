//! No password of a file ever reaches the output, whatever its commas and
//! quotes do to the rows: generated files with ragged rows, shifted cells,
//! stray and unclosed quotes (`support::ragged_files`) are validated by
//! the real binary in every format, and — many more of them — by the
//! library's renderers end to end.
use crate::support;

use std::process::Command;

use connect_users::identity::Identity;
use connect_users::output::{github, json, review};
use connect_users::validate::{validate_bytes, Retain, ValidateOptions};
use proptest::prelude::*;
use support::apply::BIN;
use support::ragged_files::{build, cells, ragged_files, row_text, Mistake, RowPlan};

/// The passwords (of at least 3 characters: shorter texts occur anywhere)
/// that `output` shows.
fn leaked<'p>(output: &str, passwords: &'p [String]) -> Vec<&'p str> {
    passwords
        .iter()
        .map(String::as_str)
        .filter(|p| p.chars().count() >= 3 && output.contains(p))
        .collect()
}

fn identities() -> impl Strategy<Value = Identity> {
    prop_oneof![
        4 => Just(Identity::ConnectManaged),
        1 => Just(Identity::Saml),
        1 => Just(Identity::ExistingDirectory),
    ]
}

/// `import validate` as a user runs it, in one output mode.
fn validate(
    file: &std::path::Path,
    identity: Identity,
    mode: &[&str],
    columns: Option<&str>,
) -> String {
    let mut command = Command::new(BIN);
    command
        .args(["import", "validate", "--identity", identity.cli_name()])
        .args(mode)
        .arg(file)
        .env_remove("CONNECT_INSTANCE_ID")
        .env_remove("COLUMNS");
    if let Some(columns) = columns {
        command.env("COLUMNS", columns);
    }
    let out = command.output().expect("running connect-users");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn the_binary_prints_no_password_in_any_format(
        (bytes, passwords) in ragged_files(),
        identity in identities(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("agents.csv");
        std::fs::write(&file, &bytes).unwrap();
        for (mode, columns) in [
            (&["--all"][..], None),
            (&["--all"][..], Some("90")),
            (&["--format", "json"][..], None),
            (&["--format", "github"][..], None),
        ] {
            let output = validate(&file, identity, mode, columns);
            let leaked = leaked(&output, &passwords);
            prop_assert!(leaked.is_empty(), "{mode:?} {columns:?} shows {leaked:?}:\n{output}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn no_renderer_shows_a_password(
        (bytes, passwords) in ragged_files(),
        identity in identities(),
        retain in prop_oneof![Just(Retain::All), Just(Retain::Review)],
    ) {
        let opts = ValidateOptions { identity, retain, ..ValidateOptions::default() };
        let v = validate_bytes("agents.csv", &bytes, &opts);
        let mut written = Vec::new();
        json::write(&v, &mut written).unwrap();
        let outputs = [
            review::render(&v, &review::ReviewOptions { all: true, width: None }),
            review::render(&v, &review::ReviewOptions { all: false, width: Some(70) }),
            String::from_utf8(written).unwrap(),
            github::render(&v),
            format!("{v:?}"),
        ];
        for output in outputs {
            let leaked = leaked(&output, &passwords);
            prop_assert!(leaked.is_empty(), "shows {leaked:?}:\n{output}");
        }
    }
}

/// The generator makes what it says: each mistake changes the row's width
/// as intended, and a careful row reads back as its cells.
#[test]
fn the_generated_mistakes_are_the_intended_ones() {
    let row = RowPlan {
        first_name: "Liam",
        last_name: "Foster, Jr.",
        login_suffix: "x".to_owned(),
        password: "Zqab,c\"d7Xy".to_owned(),
        persistent: true,
        hierarchy: true,
        mistake: Mistake::None,
    };
    let cells = cells("", 1, &row);
    // The rows are written for the header: a careful row lines up with it.
    assert_eq!(
        support::ragged_files::HEADER.split(',').count(),
        cells.len()
    );
    let width = |text: &str| {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        reader.records().next().unwrap().unwrap().len()
    };
    let careful = row_text(&cells, &Mistake::None);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(careful.as_bytes());
    let read: Vec<String> = reader
        .records()
        .next()
        .unwrap()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(read, cells);
    assert_eq!(width(&row_text(&cells, &Mistake::CommaIn(7))), 17);
    assert_eq!(width(&row_text(&cells, &Mistake::Dropped(3))), 15);
    assert_eq!(width(&row_text(&cells, &Mistake::TrailingComma)), 17);
    assert_eq!(
        width(&row_text(
            &cells,
            &Mistake::Shifted {
                comma_in: 2,
                dropped: 9
            }
        )),
        16
    );
    assert!(row_text(&cells, &Mistake::OpenQuote(0)).starts_with("\"Liam,"));
    // A shift over an empty neighbour: the right width, an empty password
    // cell, the password under `user login` (cells moved left) or under
    // `routing profile name` (moved right).
    let read = |text: String| -> Vec<String> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes());
        let record = reader.records().next().unwrap().unwrap();
        record.iter().map(str::to_owned).collect()
    };
    let left = read(row_text(
        &cells,
        &Mistake::ShiftedOverEmpty {
            comma_in: 9,
            dropped: 2,
        },
    ));
    assert_eq!((left.len(), left[6].as_str()), (16, ""));
    assert_eq!(left[5], row.password);
    let right = read(row_text(
        &cells,
        &Mistake::ShiftedOverEmpty {
            comma_in: 2,
            dropped: 9,
        },
    ));
    assert_eq!((right.len(), right[6].as_str()), (16, ""));
    assert_eq!(right[7], row.password);
    let (bytes, passwords) = build(&[row.clone(), row], true, true);
    assert!(bytes.starts_with("\u{feff}first name,".as_bytes()));
    assert_eq!(passwords, ["Zqab,c\"d7Xy", "Zqab,c\"d7Xy"]);
}
