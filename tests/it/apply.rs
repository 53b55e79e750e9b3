//! `import apply` end to end: the real binary, through `aws-sdk-connect`, to
//! `local serve` on loopback. Faults and interruption are in
//! `apply_faults.rs` and `apply_interrupt.rs`.
use crate::support;

use support::apply::{
    fixture, import, logins_of, passwords_of, run, saml_server, usernames, write_template,
    DIRECTORY_INSTANCE_ID, SAML_INSTANCE_ID,
};
use support::local_server::{LocalServer, DEMO_INSTANCE_ID};

/// Fast client settings for a server without quota.
const FAST: [&str; 4] = ["--rate", "500", "--burst", "50"];

#[test]
fn creates_every_user_then_a_rerun_finds_them_existing() {
    let server = LocalServer::start();
    let dir = tempfile::tempdir().unwrap();
    let file = fixture("valid/agents.csv");
    let logins = logins_of(&file);

    let first = run(
        import(dir.path(), &server, DEMO_INSTANCE_ID, "apply", &file)
            .args(FAST)
            .args(["--yes", "--format", "json"]),
    );
    assert_eq!(first.code, Some(0), "{first}");
    assert_eq!(first.summary(), (logins.len() as u64, 0, 0, 0), "{first}");
    assert_eq!(server.count("CreateUser", "200"), logins.len() as u64);
    let outcome = &first.json()["apply"]["outcomes"][0];
    assert_eq!(outcome["outcome"], "created");
    assert!(outcome["user_arn"]
        .as_str()
        .unwrap()
        .starts_with("arn:aws:connect:us-east-1:111122223333:instance/"));

    let names = usernames(&server, DEMO_INSTANCE_ID);
    for login in &logins {
        assert_eq!(names.get(login), Some(&1), "{login} once on the instance");
    }
    // Without a terminal, progress is a plain line on stderr.
    let total = logins.len();
    assert!(
        first
            .stderr
            .contains(&format!("progress: {total}/{total} users")),
        "{first}"
    );

    let again = run(
        import(dir.path(), &server, DEMO_INSTANCE_ID, "apply", &file)
            .args(FAST)
            .args(["--yes", "--format", "json"]),
    );
    assert_eq!(again.code, Some(0), "{again}");
    assert_eq!(again.summary(), (0, logins.len() as u64, 0, 0), "{again}");
    assert_eq!(
        server.count("CreateUser", "200"),
        logins.len() as u64,
        "the re-run wrote nothing"
    );
}

#[test]
fn saml_instance_gets_users_without_passwords() {
    let server = saml_server();
    let dir = tempfile::tempdir().unwrap();
    let file = fixture("valid/agents-saml.csv");
    let result = run(
        import(dir.path(), &server, SAML_INSTANCE_ID, "apply", &file)
            .args(FAST)
            .args(["--yes", "--format", "json"]),
    );
    assert_eq!(result.code, Some(0), "{result}");
    let n = logins_of(&file).len() as u64;
    assert_eq!(result.summary(), (n, 0, 0, 0), "{result}");
    assert_eq!(
        result.json()["apply"]["instance"]["identity_management_type"],
        "SAML"
    );
}

#[test]
fn existing_directory_instance_gets_users() {
    let server = LocalServer::builder()
        .seed(fixture("instances/existing-directory.toml"))
        .args(["--no-throttle"])
        .start();
    let dir = tempfile::tempdir().unwrap();
    let file = fixture("valid/agents-existing-directory.csv");
    let result = run(
        import(dir.path(), &server, DIRECTORY_INSTANCE_ID, "apply", &file)
            .args(FAST)
            .args(["--yes", "--format", "json"]),
    );
    assert_eq!(result.code, Some(0), "{result}");
    assert_eq!(
        result.summary(),
        (logins_of(&file).len() as u64, 0, 0, 0),
        "{result}"
    );
}

#[test]
fn a_connect_managed_file_is_refused_by_a_saml_instance() {
    let server = saml_server();
    let dir = tempfile::tempdir().unwrap();
    let result = run(import(
        dir.path(),
        &server,
        SAML_INSTANCE_ID,
        "apply",
        &fixture("valid/agents.csv"),
    )
    .args(FAST)
    .arg("--yes"));
    assert_eq!(result.code, Some(1), "{result}");
    assert!(result.stdout.contains("checked for saml"), "{result}");
    assert_eq!(server.count("CreateUser", "200"), 0);
}

#[test]
fn unknown_names_are_errors_with_the_closest_names() {
    let server = LocalServer::start();
    let dir = tempfile::tempdir().unwrap();
    let file = write_template(
        dir.path(),
        "typos.csv",
        &[
            "Ana,Lima,ana@example.com,,,ana.lima,Passw0rd-a,Basic Routing Profil,Agent,,soft,,no,0,no,,",
            "Ben,Ode,ben@example.com,,,ben.ode,Passw0rd-b,Sales Inbound,agent,,soft,,no,0,no,,",
            "Cy,Ito,cy@example.com,,,cy.ito,Passw0rd-c,Japan Support,Agent,Japan|Tokio|Team Sakura,soft,,no,0,no,,",
            "Di,Wu,di@example.com,,,di.wu,Passw0rd-d,Japan Support,Agent,Japan|Team Sakura,soft,,no,0,no,,",
        ],
    );
    let result = run(
        import(dir.path(), &server, DEMO_INSTANCE_ID, "apply", &file)
            .args(FAST)
            .arg("--yes"),
    );
    assert_eq!(result.code, Some(1), "{result}");
    for expected in [
        r#"no routing profile is named "Basic Routing Profil" in this instance; did you mean "Basic Routing Profile""#,
        r#"no security profile is named "agent" in this instance; did you mean "Agent""#,
        r#"the group "Team Sakura" exists, but at "Japan|Tokyo|Team Sakura""#,
        "nothing was created",
    ] {
        assert!(
            result.stdout.contains(expected) || result.stderr.contains(expected),
            "missing {expected:?}\n{result}"
        );
    }
    assert_eq!(server.count("CreateUser", "200"), 0);
}

/// `s.tanaka` as the demo instance holds her, and `k.suzuki` with another routing profile.
const TANAKA: &str =
    "Sakura,Tanaka,s.tanaka@example.com,,+819012340001,s.tanaka,Passw0rd-s,Japan Support,Agent,\
    Japan|Tokyo|Team Sakura,soft,,yes,30,yes,,language|ja";
const NEW_AGENT: &str =
    "Nora,Vale,nora@example.com,,,nora.vale,Passw0rd-n,Sales Inbound,Agent,,soft,,no,0,no,,";

#[test]
fn an_identical_existing_user_is_left_alone() {
    let server = LocalServer::start();
    let dir = tempfile::tempdir().unwrap();
    let file = write_template(dir.path(), "mixed.csv", &[TANAKA, NEW_AGENT]);
    let result = run(
        import(dir.path(), &server, DEMO_INSTANCE_ID, "apply", &file)
            .args(FAST)
            .args(["--yes", "--format", "json"]),
    );
    assert_eq!(result.code, Some(0), "{result}");
    assert_eq!(result.summary(), (1, 1, 0, 0), "{result}");
    let users = result.json()["users"].clone();
    assert_eq!(users[0]["action"], "exists", "{users}");
    assert_eq!(users[1]["action"], "create", "{users}");
    assert_eq!(server.count("CreateUser", "200"), 1);
}

#[test]
fn an_existing_user_with_other_data_is_an_error_naming_each_difference() {
    let server = LocalServer::start();
    let dir = tempfile::tempdir().unwrap();
    let suzuki = "Kenji,Suzuki,k.suzuki@example.com,,,K.Suzuki,Passw0rd-k,Sales Inbound,Agent,,soft,,yes,30,yes,,";
    let file = write_template(dir.path(), "edit.csv", &[NEW_AGENT, suzuki]);
    let result = run(
        import(dir.path(), &server, DEMO_INSTANCE_ID, "apply", &file)
            .args(FAST)
            .args(["--yes", "--format", "json"]),
    );
    assert_eq!(result.code, Some(1), "{result}");
    let findings = result.json()["findings"].clone();
    let finding = findings
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "existing-user-differs")
        .unwrap_or_else(|| panic!("{findings}"));
    assert_eq!(finding["line"], 3);
    let message = finding["message"].as_str().unwrap();
    assert!(
        message.contains(
            r#"routing profile name: "Japan Support" (instance) → "Sales Inbound" (file)"#
        ),
        "{message}"
    );
    assert_eq!(
        server.count("CreateUser", "200"),
        0,
        "nothing is created when any row is in error"
    );
}

#[test]
fn dry_run_makes_no_write_call() {
    let server = LocalServer::start();
    let dir = tempfile::tempdir().unwrap();
    let file = fixture("valid/agents.csv");
    let result = run(
        import(dir.path(), &server, DEMO_INSTANCE_ID, "apply", &file)
            .args(FAST)
            .args(["--dry-run", "--format", "json"]),
    );
    assert_eq!(result.code, Some(0), "{result}");
    assert_eq!(result.json()["apply"]["dry_run"], true);
    let operations = server.stats()["operations"].clone();
    assert!(operations.get("CreateUser").is_none(), "{operations}");
    for operation in operations.as_object().unwrap().keys() {
        assert!(
            operation.starts_with("Describe")
                || operation.starts_with("List")
                || operation == "SearchUsers",
            "write call {operation} during a dry run"
        );
    }
    assert!(result.stderr.contains("nothing was written"), "{result}");
}

#[test]
fn without_a_terminal_yes_is_required() {
    let server = LocalServer::start();
    let dir = tempfile::tempdir().unwrap();
    let result = run(&mut import(
        dir.path(),
        &server,
        DEMO_INSTANCE_ID,
        "apply",
        &fixture("valid/agents.csv"),
    ));
    assert_eq!(result.code, Some(2), "{result}");
    assert!(result.stderr.contains("pass --yes"), "{result}");
    assert_eq!(server.stats()["requests"], 0);
}

#[test]
fn no_instance_configured_lists_the_ways_to_name_one() {
    let dir = tempfile::tempdir().unwrap();
    let result = run(support::apply::command(dir.path())
        .args(["import", "apply"])
        .arg(fixture("valid/agents.csv"))
        .arg("--yes"));
    assert_eq!(result.code, Some(2), "{result}");
    for way in [
        "--instance-id",
        "CONNECT_INSTANCE_ID",
        "--instance-arn",
        "--local",
        "connect-users.toml",
    ] {
        assert!(result.stderr.contains(way), "missing {way}\n{result}");
    }
}

#[test]
fn the_settings_file_names_the_instance() {
    let server = LocalServer::start();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("connect-users.toml"),
        format!(
            "instance-id = \"{DEMO_INSTANCE_ID}\"\nregion = \"us-east-1\"\nendpoint-url = \"{}\"\nrate = 500\nburst = 50\n",
            server.endpoint()
        ),
    )
    .unwrap();
    let result = run(support::apply::command(dir.path())
        .args(["import", "apply"])
        .arg(fixture("valid/agents.csv"))
        .args(["--dry-run", "--format", "json"]));
    assert_eq!(result.code, Some(0), "{result}");
    assert_eq!(result.json()["apply"]["instance"]["id"], DEMO_INSTANCE_ID);
}

#[test]
fn the_default_quota_is_kept_without_throttling_and_overshoot_is_retried() {
    // The server enforces the documented default: 2 requests/s, burst 5.
    let server = LocalServer::builder().start();
    let dir = tempfile::tempdir().unwrap();
    let rows: Vec<String> = (0..6)
        .map(|i| format!("Q{i},Agent,q{i}@example.com,,,quota.{i},Passw0rd-q{i},Sales Inbound,Agent,,soft,,no,0,no,,"))
        .collect();
    let file = write_template(
        dir.path(),
        "quota.csv",
        &rows.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    // At the default client pacing nothing is throttled.
    let paced = run(
        import(dir.path(), &server, DEMO_INSTANCE_ID, "apply", &file).args([
            "--yes",
            "--format",
            "json",
            "--dry-run",
        ]),
    );
    assert_eq!(paced.code, Some(0), "{paced}");
    let throttled = |s: &serde_json::Value| -> u64 {
        s["operations"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v["429"].as_u64().unwrap_or(0))
            .sum()
    };
    assert_eq!(throttled(&server.stats()), 0, "{}", server.stats());
    // A client configured far above the quota is throttled, and the SDK's
    // retries still create every user exactly once.
    let pushy = run(
        import(dir.path(), &server, DEMO_INSTANCE_ID, "apply", &file).args([
            "--rate",
            "50",
            "--burst",
            "20",
            "--concurrency",
            "6",
            "--yes",
            "--format",
            "json",
        ]),
    );
    assert_eq!(pushy.code, Some(0), "{pushy}");
    assert_eq!(pushy.summary(), (6, 0, 0, 0), "{pushy}");
    assert!(throttled(&server.stats()) > 0, "{}", server.stats());
    let names = usernames(&server, DEMO_INSTANCE_ID);
    assert!(
        (0..6).all(|i| names.get(&format!("quota.{i}")) == Some(&1)),
        "{names:?}"
    );
}

#[test]
fn passwords_never_appear_in_any_output() {
    let dir = tempfile::tempdir().unwrap();
    let file = fixture("valid/agents.csv");
    let passwords = passwords_of(&file);
    assert!(!passwords.is_empty());
    let mut outputs = Vec::new();
    for (format, report) in [
        ("table", "report.csv"),
        ("json", "report.jsonl"),
        ("github", "report2.csv"),
    ] {
        // A fresh instance each time, with room for only 10 of the 30 users:
        // every format shows created rows and rows the service refused.
        let server = LocalServer::builder()
            .args(["--no-throttle", "--max-users", "22"])
            .start();
        let result = run(
            import(dir.path(), &server, DEMO_INSTANCE_ID, "apply", &file)
                .args(FAST)
                .args(["--max-attempts", "1", "--yes", "--all", "--format", format])
                .args(["--report", report]),
        );
        assert_eq!(result.code, Some(3), "{result}");
        outputs.push(result.stdout);
        outputs.push(result.stderr);
        outputs.push(std::fs::read_to_string(dir.path().join(report)).unwrap());
        let validate = run(
            import(dir.path(), &server, DEMO_INSTANCE_ID, "validate", &file)
                .args(FAST)
                .args(["--all", "--format", format]),
        );
        outputs.push(validate.stdout);
        outputs.push(validate.stderr);
        outputs.push(server.log());
    }
    for output in &outputs {
        for password in &passwords {
            assert!(
                !output.contains(password.as_str()),
                "password {password:?} printed in:\n{output}"
            );
        }
    }
}

#[test]
fn the_local_instance_runs_in_process() {
    let dir = tempfile::tempdir().unwrap();
    let file = fixture("valid/agents.csv");
    let n = logins_of(&file).len() as u64;
    let db = dir.path().join("demo.db");
    let mut cmd = support::apply::command(dir.path());
    cmd.args(["import", "apply"])
        .arg(&file)
        .arg("--local")
        .arg(&db)
        .args(["--yes", "--format", "json"]);
    let first = run(&mut cmd);
    assert_eq!(first.code, Some(0), "{first}");
    assert_eq!(first.summary(), (n, 0, 0, 0), "{first}");
    assert_eq!(
        first.json()["apply"]["instance"]["alias"],
        "demo-contact-center"
    );
    let second = run(&mut cmd);
    assert_eq!(second.summary(), (0, n, 0, 0), "{second}");
}

#[test]
fn refused_credentials_stop_with_exit_2_and_say_what_to_check() {
    let server = LocalServer::start();
    let dir = tempfile::tempdir().unwrap();
    let result = run(import(
        dir.path(),
        &server,
        DEMO_INSTANCE_ID,
        "apply",
        &fixture("valid/agents.csv"),
    )
    .env("AWS_SECRET_ACCESS_KEY", "not-the-key")
    .args(FAST)
    .arg("--yes"));
    assert_eq!(result.code, Some(2), "{result}");
    assert!(
        result.stderr.contains("InvalidSignatureException"),
        "{result}"
    );
    assert!(
        result
            .stderr
            .contains("the service refused the AWS credentials"),
        "{result}"
    );
    assert_eq!(server.count("CreateUser", "200"), 0);
}

#[test]
fn local_uses_the_instance_its_store_holds() {
    // A store seeded with a SAML instance by `local serve` is not given the
    // demo instance by `--local`.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("saml.db");
    drop(
        LocalServer::builder()
            .db(&db)
            .seed(fixture("instances/saml.toml"))
            .start(),
    );
    let result = run(support::apply::command(dir.path())
        .args(["template", "fetch", "--no-bom", "--local"])
        .arg(&db));
    assert_eq!(result.code, Some(0), "{result}");
    assert!(!result.stdout.contains("password"), "{result}");
    assert!(
        result
            .stdout
            .starts_with("first name,last name,secondary email"),
        "{result}"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn outputs_that_cannot_be_written_stop_the_run_before_the_first_create() {
    use std::os::unix::process::CommandExt;
    let server = LocalServer::start();
    let dir = tempfile::tempdir().unwrap();
    let file = fixture("valid/agents.csv");
    for flag in ["--report", "--failed-out"] {
        for name in ["out.jsonl", "out.csv"] {
            let path = dir.path().join(format!("{}-{name}", &flag[2..]));
            let mut cmd = import(dir.path(), &server, DEMO_INSTANCE_ID, "apply", &file);
            cmd.args(FAST).args(["--yes", flag]).arg(&path);
            // No room at all for the files it writes, as on a full disk (an
            // output must be a regular file, so /dev/full cannot stand in).
            // SAFETY: setrlimit(2) and signal(2) only, between fork and exec.
            unsafe {
                cmd.pre_exec(|| {
                    let none = libc::rlimit {
                        rlim_cur: 0,
                        rlim_max: libc::RLIM_INFINITY,
                    };
                    libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                    if libc::setrlimit(libc::RLIMIT_FSIZE, &none) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    Ok(())
                });
            }
            let result = run(&mut cmd);
            assert_eq!(result.code, Some(2), "{flag} {name}: {result}");
            assert!(
                result.stderr.contains(&path.display().to_string())
                    && result.stderr.contains("File too large"),
                "{flag} {name}: {result}"
            );
            assert!(result.stderr.contains("nothing was written"), "{result}");
            assert_eq!(server.count("CreateUser", "200"), 0, "{flag} {name}");
        }
    }
}

#[test]
fn missing_credentials_or_an_unknown_profile_say_so_briefly() {
    let server = LocalServer::start();
    let dir = tempfile::tempdir().unwrap();
    let file = fixture("valid/agents.csv");
    let no_keys = run(
        import(dir.path(), &server, DEMO_INSTANCE_ID, "validate", &file)
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY"),
    );
    std::fs::write(
        dir.path().join("config"),
        "[profile other]\nregion = us-east-1\n",
    )
    .unwrap();
    let no_profile = run(
        import(dir.path(), &server, DEMO_INSTANCE_ID, "validate", &file)
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .env("AWS_CONFIG_FILE", dir.path().join("config"))
            .args(["--profile", "no-such-profile"]),
    );
    for result in [no_keys, no_profile] {
        assert_eq!(result.code, Some(2), "{result}");
        assert!(
            result.stderr.contains("no AWS credentials were found")
                && result.stderr.contains("--profile"),
            "{result}"
        );
        assert!(
            !result.stderr.contains("no answer from the endpoint"),
            "{result}"
        );
        assert!(
            result.stderr.len() < 900,
            "brief: {} bytes\n{result}",
            result.stderr.len()
        );
    }
    assert_eq!(server.stats()["requests"], 0, "nothing was sent unsigned");
}
