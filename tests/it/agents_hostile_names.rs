//! Users whose names hold what a terminal acts on, or what the template
//! reads otherwise than the instance stores (`fixtures/instances/hostile-names.toml`):
//! nothing raw reaches a terminal (tables, plans, CSV, an export, error
//! messages), data written to a pipe stays the data, and an export applies
//! back to its source as `exists`.
use crate::support;

use support::apply::run;
use support::export::Instance;
use support::terminal::stdout_on_terminal;

const HOSTILE: Instance = Instance {
    id: "9c1d0e7f-1a2b-4c3d-8e9f-0a1b2c3d4e5f",
    region: "us-east-1",
    seed: "instances/hostile-names.toml",
};

const FAST: [&str; 4] = ["--rate", "1000", "--burst", "100"];

/// The characters of the seed's names that act on a terminal.
const ACTING: [char; 4] = ['\u{1b}', '\u{7}', '\u{8}', '\t'];

fn acts(text: &str) -> bool {
    text.contains(&ACTING[..])
}

#[test]
fn control_characters_reach_no_terminal_and_stay_in_the_data() {
    let server = HOSTILE.serve();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let on_terminal: [&[&str]; 5] = [
        &["agents", "list"],
        &["agents", "list", "--format", "csv"],
        &["agents", "export", "-o", "-"],
        &[
            "agents",
            "set",
            "--persistent-connection",
            "on",
            "--all",
            "--dry-run",
        ],
        &[
            "agents",
            "set",
            "--persistent-connection",
            "on",
            "--login",
            "esc.ann",
            "--login",
            "bs.bo",
            "--yes",
        ],
    ];
    for words in on_terminal {
        let mut cmd = HOSTILE.command(dir, &server, words);
        let (shown, stderr, code) = stdout_on_terminal(cmd.args(FAST));
        assert_eq!(code, Some(0), "{words:?}: {stderr}");
        assert!(!acts(&shown), "{words:?} shows raw controls:\n{shown:?}");
        assert!(!acts(&stderr), "{words:?}: {stderr:?}");
        // Shown escaped, as `{:?}` writes them.
        assert!(shown.contains("\\u{1b}[2J"), "{words:?}: {shown}");
    }
    // The export on a terminal says how to keep the data.
    let mut cmd = HOSTILE.command(dir, &server, &["agents", "export", "-o", "-"]);
    let (_, stderr, _) = stdout_on_terminal(cmd.args(FAST));
    assert!(stderr.contains("shown escaped"), "{stderr}");

    // To a pipe or a file, the data as it is.
    let csv = run(HOSTILE
        .command(dir, &server, &["agents", "list", "--format", "csv"])
        .args(FAST));
    assert!(csv.stdout.contains("\u{1b}[2J"), "{csv}");
    let json = run(HOSTILE
        .command(dir, &server, &["agents", "list", "--format", "json"])
        .args(FAST));
    assert!(!acts(&json.stdout), "JSON escapes them itself");
    assert_eq!(
        json.json()["agents"][1]["first_name"],
        "\u{1b}[2J",
        "{json}"
    );
    let exported = run(HOSTILE
        .command(dir, &server, &["agents", "export", "-o", "-"])
        .args(FAST));
    assert!(
        exported.stdout.contains("\u{1b}]0;pwned\u{7}"),
        "{exported}"
    );
    let file = dir.join("backup.csv");
    let exported = run(&mut HOSTILE.export(dir, &server, "backup.csv", &FAST));
    assert_eq!(exported.code, Some(0), "{exported}");
    assert!(std::fs::read_to_string(&file)
        .unwrap()
        .contains("Bo\u{8}\u{8}\u{8}Xx"));
    // Its own check names the control characters, escaped.
    assert!(!acts(&exported.stderr), "{:?}", exported.stderr);
    assert!(exported.stderr.contains("control"), "{exported}");

    // An error message quoting a value does not carry it raw either.
    let error = run(HOSTILE
        .command(dir, &server, &["agents", "list", "--login", "x\u{1b}[2J"])
        .args(FAST));
    assert_eq!(error.code, Some(2), "{error}");
    assert!(
        !acts(&error.stderr) && error.stderr.contains("\\u{1b}[2J"),
        "{error}"
    );
}

#[test]
fn names_stored_with_spaces_around_them_apply_back_to_their_source_as_exists() {
    let server = HOSTILE.serve();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let backup = dir.join("backup.csv");
    let exported = run(HOSTILE
        .export(dir, &server, "backup.csv", &FAST)
        .args(["--login", "pad.cy", "--login", "tab.di"]));
    assert_eq!(exported.code, Some(0), "{exported}");
    // The cells hold the names as stored; the export says a copy elsewhere
    // would get them trimmed.
    let text = std::fs::read_to_string(&backup).unwrap();
    assert!(
        text.contains(" Cy,Oda ,") && text.contains("\tDi"),
        "{text:?}"
    );
    assert!(
        exported
            .stderr
            .contains("2 users have a first or last name with spaces")
            && exported.stderr.contains("pad.cy, tab.di"),
        "{exported}"
    );

    let passwords = dir.join("passwords.csv");
    let applied = run(HOSTILE
        .apply(dir, &server, &backup, &FAST)
        .arg("--generate-passwords")
        .arg(&passwords));
    assert_eq!(applied.code, Some(0), "{applied}");
    assert_eq!(applied.summary(), (0, 2, 0, 0), "{applied}");
    assert_eq!(server.count("CreateUser", "200"), 0);
}
