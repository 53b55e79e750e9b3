//! `import validate --generate-passwords`: a CI job validates a file whose
//! connect-managed password cells are empty (an export, say) as `import
//! apply --generate-passwords` will take it — offline and against an
//! instance — while a filled cell still follows every password rule, rows
//! with empty cells are reviewed and checked for duplicates like any other,
//! and a password shifted out of its cell is still never shown.
use crate::support;

use support::apply::{command, import, run, write_2024_template};
use support::local_server::{LocalServer, DEMO_INSTANCE_ID};

const EMPTY_A: &str = "Ann,Lee,ann@example.com,,,vg.ann,,Sales Inbound,Agent,,soft,,no,30,no,";
const EMPTY_B: &str = "Bo,Kim,bo@example.com,,,vg.bo,,Sales Inbound,Agent,,soft,,no,30,no,";

fn validate(dir: &std::path::Path, file: &std::path::Path, extra: &[&str]) -> support::apply::Run {
    run(command(dir)
        .args(["import", "validate"])
        .arg(file)
        .args(extra))
}

#[test]
fn empty_password_cells_are_accepted_only_with_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_2024_template(dir.path(), "agents.csv", &[EMPTY_A, EMPTY_B]);

    let refused = validate(dir.path(), &file, &["--format", "github"]);
    assert_eq!(refused.code, Some(1), "{refused}");
    assert_eq!(
        refused.stdout.matches("password-required").count(),
        2,
        "{refused}"
    );

    let accepted = validate(dir.path(), &file, &["--generate-passwords", "--all"]);
    assert_eq!(accepted.code, Some(0), "{accepted}");
    // The rows are reviewed: their cells are shown, the password as one
    // the run will generate.
    assert!(
        accepted.stdout.contains("vg.ann")
            && accepted.stdout.contains("generated")
            && !accepted.stdout.contains("unset"),
        "{accepted}"
    );
    assert!(!accepted.stdout.contains("cells not shown"), "{accepted}");

    let json = validate(
        dir.path(),
        &file,
        &["--generate-passwords", "--format", "json"],
    )
    .json();
    assert_eq!(json["summary"]["valid"], true);
    assert_eq!(json["users"][0]["login"], "vg.ann");
    assert_eq!(json["users"][0]["fields"]["password_set"], false);
}

#[test]
fn a_filled_password_still_follows_the_rules() {
    let dir = tempfile::tempdir().unwrap();
    let weak = EMPTY_B.replace(",vg.bo,,", ",vg.bo,weakpassword,");
    let file = write_2024_template(dir.path(), "agents.csv", &[EMPTY_A, &weak]);
    let out = validate(
        dir.path(),
        &file,
        &["--generate-passwords", "--format", "github"],
    );
    assert_eq!(out.code, Some(1), "{out}");
    assert!(
        out.stdout.contains("line=3") && out.stdout.contains("password-weak"),
        "{out}"
    );
    assert!(!out.stdout.contains("line=2"), "{out}");
    assert!(!format!("{out}").contains("weakpassword"), "{out}");
}

#[test]
fn rows_with_empty_passwords_are_checked_for_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let same_login = EMPTY_B.replace(",vg.bo,", ",vg.ann,");
    let file = write_2024_template(dir.path(), "agents.csv", &[EMPTY_A, &same_login]);
    let out = validate(
        dir.path(),
        &file,
        &["--generate-passwords", "--format", "github"],
    );
    assert_eq!(out.code, Some(1), "{out}");
    assert_eq!(
        out.stdout.matches("duplicate-user-conflict").count(),
        2,
        "{out}"
    );
}

#[test]
fn a_password_shifted_out_of_an_empty_cell_is_not_shown() {
    let dir = tempfile::tempdir().unwrap();
    // Meant: first name `Ann,Marie,` (unquoted), no last name or e-mail,
    // secondary e-mail vg.sec@example.com, no mobile, login vg.sx, password
    // Qz8rTy5uWp, then the routing and security profile cells left out. Read
    // under the header, the empty mobile sits under the password and the
    // password under the security profiles, and every cell passes its rule.
    let shifted = "Ann,Marie,,,,vg.sec@example.com,,vg.sx,Qz8rTy5uWp,,soft,,no,30,no,";
    let file = write_2024_template(dir.path(), "agents.csv", &[EMPTY_A, shifted]);
    for mode in [
        &["--all"][..],
        &["--format", "json"][..],
        &["--format", "github"][..],
    ] {
        let mut args = vec!["--generate-passwords"];
        args.extend_from_slice(mode);
        let out = validate(dir.path(), &file, &args);
        assert!(!format!("{out}").contains("Qz8rTy5uWp"), "{mode:?}: {out}");
    }
}

#[test]
fn a_row_with_an_empty_password_and_a_mistake_shows_the_mistake() {
    let dir = tempfile::tempdir().unwrap();
    let typo = EMPTY_B.replace(",no,30,", ",maybe,30,");
    // The same mistake with a password shifted into the security profiles
    // (as in the test above) still shows nothing of the row.
    let shifted = "Ann,Marie,,,,vg.sec@example.com,,vg.sx,Qz8rTy5uWp,,soft,,maybe,30,no,";
    let file = write_2024_template(dir.path(), "agents.csv", &[&typo, shifted]);
    let out = validate(dir.path(), &file, &["--generate-passwords", "--all"]);
    assert_eq!(out.code, Some(1), "{out}");
    assert!(out.stdout.contains("vg.bo"), "{out}");
    assert!(
        out.stdout
            .contains("agents.csv:2: soft phone auto accept (yes/no) \"maybe\""),
        "{out}"
    );
    assert_eq!(out.stdout.matches("cells not shown").count(), 1, "{out}");
    assert!(!format!("{out}").contains("Qz8rTy5uWp"), "{out}");
}

#[test]
fn the_flag_works_against_an_instance_too() {
    let server = LocalServer::start();
    let dir = tempfile::tempdir().unwrap();
    let file = write_2024_template(dir.path(), "agents.csv", &[EMPTY_A, EMPTY_B]);
    let out = run(
        import(dir.path(), &server, DEMO_INSTANCE_ID, "validate", &file).args([
            "--generate-passwords",
            "--format",
            "json",
        ]),
    );
    assert_eq!(out.code, Some(0), "{out}");
    assert_eq!(out.json()["users"][1]["action"], "create");
    let out = run(&mut import(
        dir.path(),
        &server,
        DEMO_INSTANCE_ID,
        "validate",
        &file,
    ));
    assert_eq!(out.code, Some(1), "{out}");
    assert_eq!(server.count("CreateUser", "200"), 0);
}
