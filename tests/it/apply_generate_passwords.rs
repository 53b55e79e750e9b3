//! `import apply --generate-passwords PATH` through the real binary against
//! `local serve`: each empty password cell gets a password that the server
//! accepts (it refuses weak ones) and that logs in (the server's password
//! check), written to a new owner-only file and nowhere else; an existing
//! file is kept unless `--force`; a dry run writes nothing; an instance
//! whose users have no password refuses the flag; and without the flag an
//! empty password cell is still an error.
use crate::support;

use connect_users::validate::mask::is_password_shaped;
use support::apply::{
    agents_without_passwords, check_password, fixture, generated_passwords, import, leaked, mode,
    run, saml_server, usernames, write_template, Run, SAML_INSTANCE_ID,
};
use support::local_server::{LocalServer, DEMO_INSTANCE_ID};

const FAST: [&str; 4] = ["--rate", "500", "--burst", "50"];

/// Everything a run showed or wrote but the passwords file and the rows to
/// run again: its stdout and stderr, its report, and the server's log and
/// recorded answers.
fn every_other_output(run: &Run, report: &std::path::Path, server: &LocalServer) -> String {
    format!(
        "{}\n{}\n{}\n{}\n{}",
        run.stdout,
        run.stderr,
        std::fs::read_to_string(report).unwrap_or_default(),
        server.log(),
        serde_json::to_string(&server.record()).unwrap()
    )
}

#[test]
fn generated_passwords_log_in_and_appear_only_in_their_file() {
    let server = LocalServer::start();
    let dir = tempfile::tempdir().unwrap();
    for (format, report_name, prefix) in [
        ("table", "report.csv", "gt"),
        ("json", "report.jsonl", "gj"),
        ("github", "report.csv", "gg"),
    ] {
        let run_dir = dir.path().join(format);
        std::fs::create_dir(&run_dir).unwrap();
        // Rows 1 and 4 bring their own passwords; the others are empty.
        let file = agents_without_passwords(&run_dir, "agents.csv", prefix, 6, &[1, 4]);
        let (passwords, report, retry) = (
            run_dir.join("passwords.csv"),
            run_dir.join(report_name),
            run_dir.join("retry.csv"),
        );
        let out = run(import(&run_dir, &server, DEMO_INSTANCE_ID, "apply", &file)
            .args(FAST)
            .args(["--yes", "--format", format])
            .arg("--generate-passwords")
            .arg(&passwords)
            .arg("--report")
            .arg(&report)
            .arg("--failed-out")
            .arg(&retry));
        assert_eq!(out.code, Some(0), "{out}");
        assert_eq!(mode(&passwords), 0o600);

        let generated = generated_passwords(&passwords);
        let expected: Vec<(String, u64)> = [0, 2, 3, 5]
            .iter()
            .map(|i| (format!("{prefix}.{i}"), *i as u64 + 2))
            .collect();
        let got: Vec<(String, u64)> = generated
            .iter()
            .map(|g| (g.login.clone(), g.line))
            .collect();
        assert_eq!(got, expected, "one row per empty password cell");
        let secrets: Vec<String> = generated.iter().map(|g| g.password.clone()).collect();
        for row in &generated {
            assert!(is_password_shaped(&row.password), "{row:?}");
            assert_eq!(row.status, "valid", "{row:?}");
            assert_eq!(
                check_password(&server, DEMO_INSTANCE_ID, &row.login, &row.password),
                "matches",
                "{row:?}"
            );
            // The check can fail: another user's password does not log in.
            let other = secrets.iter().find(|s| **s != row.password).unwrap();
            assert_eq!(
                check_password(&server, DEMO_INSTANCE_ID, &row.login, other),
                "differs"
            );
        }
        let mut distinct = secrets.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), secrets.len(), "every password is fresh");
        // A filled cell is used as it is.
        for i in [1, 4] {
            assert_eq!(
                check_password(
                    &server,
                    DEMO_INSTANCE_ID,
                    &format!("{prefix}.{i}"),
                    &format!("Welcome-{i}Ab")
                ),
                "matches"
            );
        }
        let names = usernames(&server, DEMO_INSTANCE_ID);
        assert!((0..6).all(|i| names.get(&format!("{prefix}.{i}")) == Some(&1)));

        let elsewhere = every_other_output(&out, &report, &server);
        assert!(
            std::fs::read_to_string(&report)
                .unwrap()
                .contains("created"),
            "the report was written"
        );
        assert_eq!(leaked(&elsewhere, &secrets), Vec::<&str>::new(), "{out}");
        let filled = vec!["Welcome-1Ab".to_string(), "Welcome-4Ab".to_string()];
        assert_eq!(leaked(&elsewhere, &filled), Vec::<&str>::new(), "{out}");
        let retry_text = std::fs::read_to_string(&retry).unwrap();
        assert_eq!(leaked(&retry_text, &secrets), Vec::<&str>::new());
        assert!(
            out.stderr
                .contains(&format!("generated passwords: {}", passwords.display())),
            "{out}"
        );
    }
}

#[test]
fn an_existing_passwords_file_is_kept_unless_forced() {
    let server = LocalServer::start();
    let dir = tempfile::tempdir().unwrap();
    let file = agents_without_passwords(dir.path(), "agents.csv", "kf", 2, &[]);
    let passwords = dir.path().join("passwords.csv");
    std::fs::write(
        &passwords,
        "user login,password,line\r\nearlier,Kept2passwordX,2\r\n",
    )
    .unwrap();
    std::fs::set_permissions(
        &passwords,
        std::os::unix::fs::PermissionsExt::from_mode(0o644),
    )
    .unwrap();
    let apply = |extra: &[&str]| {
        run(
            import(dir.path(), &server, DEMO_INSTANCE_ID, "apply", &file)
                .args(FAST)
                .arg("--yes")
                .arg("--generate-passwords")
                .arg(&passwords)
                .args(extra),
        )
    };

    let refused = apply(&[]);
    assert_eq!(refused.code, Some(2), "{refused}");
    assert!(
        refused.stderr.contains("passwords.csv already exists")
            && refused.stderr.contains("--force"),
        "{refused}"
    );
    assert!(!usernames(&server, DEMO_INSTANCE_ID).contains_key("kf.0"));
    assert!(std::fs::read_to_string(&passwords)
        .unwrap()
        .contains("Kept2passwordX"));

    let forced = apply(&["--force"]);
    assert_eq!(forced.code, Some(0), "{forced}");
    assert_eq!(mode(&passwords), 0o600, "a replaced file is owner-only too");
    let generated = generated_passwords(&passwords);
    assert_eq!(generated.len(), 2);
    for row in &generated {
        assert_eq!(
            check_password(&server, DEMO_INSTANCE_ID, &row.login, &row.password),
            "matches"
        );
    }
}

#[test]
fn the_passwords_file_is_none_of_the_runs_other_files() {
    let server = LocalServer::start();
    let dir = tempfile::tempdir().unwrap();
    let file = agents_without_passwords(dir.path(), "agents.csv", "sf", 1, &[]);
    for other in ["--report", "--failed-out"] {
        let out = run(
            import(dir.path(), &server, DEMO_INSTANCE_ID, "apply", &file).args([
                "--yes",
                "--generate-passwords",
                "out.csv",
                other,
                "out.csv",
            ]),
        );
        assert_eq!(out.code, Some(2), "{out}");
        assert!(out.stderr.contains(&format!("is also {other}")), "{out}");
    }
    let out = run(
        import(dir.path(), &server, DEMO_INSTANCE_ID, "apply", &file)
            .args(["--yes", "--force", "--generate-passwords"])
            .arg(&file),
    );
    assert_eq!(out.code, Some(2), "{out}");
    assert!(out.stderr.contains("is also the input file"), "{out}");
    assert!(std::fs::read_to_string(&file).unwrap().contains("sf.0"));
    assert!(!dir.path().join("out.csv").exists());
    assert!(!usernames(&server, DEMO_INSTANCE_ID).contains_key("sf.0"));
}

#[test]
fn a_dry_run_generates_and_writes_nothing() {
    let server = LocalServer::start();
    let dir = tempfile::tempdir().unwrap();
    let file = agents_without_passwords(dir.path(), "agents.csv", "dr", 3, &[]);
    let passwords = dir.path().join("passwords.csv");
    let out = run(
        import(dir.path(), &server, DEMO_INSTANCE_ID, "apply", &file)
            .args(["--dry-run", "--format", "json", "--generate-passwords"])
            .arg(&passwords),
    );
    assert_eq!(out.code, Some(0), "{out}");
    assert_eq!(out.json()["apply"]["dry_run"], true);
    assert!(out.stderr.contains("was not written"), "{out}");
    assert!(!passwords.exists());
    assert_eq!(server.count("CreateUser", "200"), 0);
}

#[test]
fn without_the_flag_an_empty_password_is_still_an_error() {
    let server = LocalServer::start();
    let dir = tempfile::tempdir().unwrap();
    let file = agents_without_passwords(dir.path(), "agents.csv", "nf", 2, &[1]);
    let out = run(
        import(dir.path(), &server, DEMO_INSTANCE_ID, "apply", &file)
            .args(["--yes", "--format", "github"]),
    );
    assert_eq!(out.code, Some(1), "{out}");
    assert!(out.stdout.contains("password-required"), "{out}");
    assert!(out.stdout.contains("--generate-passwords"), "{out}");
    assert!(!out.stdout.contains("Welcome-1Ab"), "{out}");
    assert_eq!(server.count("CreateUser", "200"), 0);
}

#[test]
fn a_filled_password_must_still_be_valid_with_the_flag() {
    let server = LocalServer::start();
    let dir = tempfile::tempdir().unwrap();
    let file = write_template(
        dir.path(),
        "agents.csv",
        &[
            "Ann,Lee,,,,wk.0,,Sales Inbound,Agent,,soft,,no,30,no,,",
            "Bo,Lee,,,,wk.1,weakpassword,Sales Inbound,Agent,,soft,,no,30,no,,",
        ],
    );
    let passwords = dir.path().join("passwords.csv");
    let out = run(
        import(dir.path(), &server, DEMO_INSTANCE_ID, "apply", &file)
            .args(["--yes", "--generate-passwords"])
            .arg(&passwords),
    );
    assert_eq!(out.code, Some(1), "{out}");
    assert!(out.stdout.contains("password-weak"), "{out}");
    assert!(!format!("{out}").contains("weakpassword"), "{out}");
    assert!(
        !passwords.exists(),
        "nothing is generated for an invalid file"
    );
    assert_eq!(server.count("CreateUser", "200"), 0);
}

#[test]
fn an_instance_without_passwords_refuses_the_flag() {
    let server = saml_server();
    let dir = tempfile::tempdir().unwrap();
    let file = fixture("valid/agents-saml.csv");
    let passwords = dir.path().join("passwords.csv");
    let out = run(
        import(dir.path(), &server, SAML_INSTANCE_ID, "apply", &file)
            .args(["--yes", "--generate-passwords"])
            .arg(&passwords),
    );
    assert_eq!(out.code, Some(2), "{out}");
    assert!(
        out.stderr.contains("saml") && out.stderr.contains("leave the flag out"),
        "{out}"
    );
    assert!(!passwords.exists());
}
