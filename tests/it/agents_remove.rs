//! `agents remove` end to end against `local serve`: exactly the selected
//! users are gone and nobody else is touched (read back through the SDK),
//! the backup brings them back, logins no user has are `absent`, Admin
//! holders stop the run, `--dry-run` writes nothing, no password of a
//! `--file` is printed, and the calls grow with the selection.
use crate::support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use support::agents::{agents, agents_server, described, AGENTS_INSTANCE_ID};
use support::apply::{import, leaked, mode, patient_client, report_rows, run, write_template, Run};
use support::local_server::LocalServer;

/// The Sales Inbound agents of `fixtures/instances/agents.toml`.
const SALES: [&str; 6] = [
    "sales.ava",
    "sales.ben",
    "sales.cora",
    "sales.desk",
    "sales.dev",
    "sales.eli",
];

/// `agents remove` against the server's agents instance.
fn remove(dir: &Path, server: &LocalServer) -> Command {
    agents(dir, server, "remove")
}

/// The files `dir` holds whose names start with `removed-`.
fn backups(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("removed-"))
        })
        .collect();
    found.sort();
    found
}

/// The outcome of each row of a `--format json` run, by login.
fn outcomes(out: &Run) -> BTreeMap<String, String> {
    out.json()["outcomes"]
        .as_array()
        .unwrap_or_else(|| panic!("no outcomes: {out}"))
        .iter()
        .map(|o| {
            (
                o["user_login"].as_str().unwrap().to_string(),
                o["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn exactly_the_selected_users_are_gone_and_nobody_else_is_touched() {
    let server = agents_server(&["--no-throttle"]);
    let dir = tempfile::tempdir().unwrap();
    let before = described(&server, AGENTS_INSTANCE_ID);
    let out = run(remove(dir.path(), &server).args([
        "--routing-profile",
        "Sales Inbound",
        "--yes",
        "--format",
        "json",
    ]));
    assert_eq!(out.code, Some(0), "{out}");
    let claimed = outcomes(&out);
    assert_eq!(claimed.len(), SALES.len(), "{out}");
    assert!(claimed.values().all(|o| o == "removed"), "{out}");

    let after = described(&server, AGENTS_INSTANCE_ID);
    let mut expected = before.clone();
    for login in SALES {
        expected.remove(login).expect("a Sales Inbound agent");
    }
    // The others are exactly as they were, field by field.
    assert_eq!(after, expected);
    assert_eq!(server.count("DeleteUser", "200"), SALES.len() as u64);

    // The backup: one private file, named on stderr and in the closing lines.
    let files = backups(dir.path());
    assert_eq!(files.len(), 1, "{files:?}");
    let name = files[0].file_name().unwrap().to_str().unwrap();
    assert!(name.starts_with("removed-agents-contact-center-"), "{name}");
    assert!(name.ends_with("Z.csv"), "{name}");
    assert_eq!(mode(&files[0]), 0o600);
    assert!(
        out.stderr
            .contains(&format!("wrote the backup of the 6 agents to {name}")),
        "{out}"
    );
    assert!(
        out.stderr.contains(&format!("backup: {name} (6 rows)")),
        "{out}"
    );
}

#[test]
fn the_backup_brings_the_removed_users_back() {
    let server = agents_server(&["--no-throttle"]);
    let dir = tempfile::tempdir().unwrap();
    let (path, d) = (dir.path(), dir.path().display());
    let export = |name: &str| {
        run(agents(path, &server, "export").args([
            "-o",
            name,
            "--routing-profile",
            "Sales Inbound",
        ]))
    };
    let exported = export("before.csv");
    assert_eq!(exported.code, Some(0), "{exported}");
    let ids_before = described(&server, AGENTS_INSTANCE_ID);

    let out = run(remove(path, &server)
        .args(["--routing-profile", "Sales Inbound", "--yes"])
        .args(["--backup", "backup.csv"]));
    assert_eq!(out.code, Some(0), "{out}");
    // The backup holds what an export holds, byte for byte.
    let backup = std::fs::read(path.join("backup.csv")).unwrap();
    assert_eq!(backup, std::fs::read(path.join("before.csv")).unwrap());
    let restore = "import apply backup.csv --generate-passwords PASSWORDS-FILE";
    assert!(out.stderr.contains(restore), "{out}");

    let restored = run(import(
        path,
        &server,
        AGENTS_INSTANCE_ID,
        "apply",
        &path.join("backup.csv"),
    )
    .args([
        "--yes",
        "--generate-passwords",
        "passwords.csv",
        "--format",
        "json",
    ]));
    assert_eq!(restored.code, Some(0), "{restored}");
    assert_eq!(restored.summary(), (6, 0, 0, 0), "{restored}");

    // The same users, apart from IDs and passwords.
    let exported = export("after.csv");
    assert_eq!(exported.code, Some(0), "{exported}");
    assert_eq!(
        std::fs::read_to_string(path.join("after.csv")).unwrap(),
        std::fs::read_to_string(path.join("before.csv")).unwrap(),
        "in {d}"
    );
    let ids_after = described(&server, AGENTS_INSTANCE_ID);
    for login in SALES {
        assert_ne!(ids_before[login].id(), ids_after[login].id(), "{login}");
    }
}

#[test]
fn logins_no_user_has_are_absent_and_the_run_goes_on() {
    let server = agents_server(&["--no-throttle"]);
    let dir = tempfile::tempdir().unwrap();
    // A leavers list as an HR system exports it: no password column.
    let file = dir.path().join("leavers.csv");
    std::fs::write(
        &file,
        "user login,last day\nsales.ava,2025-01-31\nleft.last.year,2024-03-01\n\
         SUPPORT.GUS,2025-01-31\nsales.bne,2025-01-31\n",
    )
    .unwrap();
    let before = described(&server, AGENTS_INSTANCE_ID);
    let out = run(remove(dir.path(), &server)
        .arg("--file")
        .arg(&file)
        .args(["--yes", "--report", "run.csv"]));
    assert_eq!(out.code, Some(0), "{out}");
    // The review lists the absent logins, the closest login for a typo.
    assert!(out.stdout.contains("left.last.year"), "{out}");
    assert!(out.stdout.contains(r#"did you mean "sales.ben""#), "{out}");
    assert!(out.stdout.contains("2 to remove, 2 absent"), "{out}");

    let rows = report_rows(&dir.path().join("run.csv"));
    let by_line: BTreeMap<&str, (&str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["line"].as_str().unwrap(),
                (
                    r["user_login"].as_str().unwrap(),
                    r["outcome"].as_str().unwrap(),
                ),
            )
        })
        .collect();
    assert_eq!(
        by_line,
        BTreeMap::from([
            ("2", ("sales.ava", "removed")),
            ("3", ("left.last.year", "absent")),
            ("4", ("support.gus", "removed")),
            ("5", ("sales.bne", "absent")),
        ])
    );
    let after = described(&server, AGENTS_INSTANCE_ID);
    let mut expected = before;
    expected.remove("sales.ava");
    expected.remove("support.gus");
    assert_eq!(after, expected);
}

#[test]
fn a_login_its_other_selectors_leave_out_is_skipped_not_removed() {
    let server = agents_server(&["--no-throttle"]);
    let dir = tempfile::tempdir().unwrap();
    let out = run(remove(dir.path(), &server)
        .args(["--routing-profile", "Sales Inbound"])
        .args(["--login", "sales.ava", "--login", "support.gus"])
        .args(["--yes", "--format", "json"]));
    assert_eq!(out.code, Some(0), "{out}");
    let claimed = outcomes(&out);
    assert_eq!(claimed["sales.ava"], "removed", "{out}");
    assert_eq!(claimed["support.gus"], "skipped", "{out}");
    let after = described(&server, AGENTS_INSTANCE_ID);
    assert!(!after.contains_key("sales.ava") && after.contains_key("support.gus"));
    assert!(after.contains_key("sales.ben"), "only the named logins");
}

#[test]
fn no_selector_is_an_error_never_everyone() {
    let server = agents_server(&["--no-throttle"]);
    let dir = tempfile::tempdir().unwrap();
    let out = run(remove(dir.path(), &server).arg("--yes"));
    assert_eq!(out.code, Some(2), "{out}");
    assert!(
        out.stderr
            .contains("agents remove never removes every user"),
        "{out}"
    );
    let all = run(remove(dir.path(), &server).args(["--all", "--yes"]));
    assert_eq!(all.code, Some(2), "{all}");
    assert_eq!(server.count("DescribeInstance", "200"), 0);
    assert_eq!(described(&server, AGENTS_INSTANCE_ID).len(), 13);
    // Named before the instance: no configuration hides the first mistake.
    let bare = run(support::apply::command(dir.path()).args(["agents", "remove"]));
    assert_eq!(bare.code, Some(2), "{bare}");
    assert!(bare.stderr.contains("name the agents to remove"), "{bare}");
}

/// Gives `login` the security profile Admin besides its own.
fn make_admin(server: &LocalServer, login: &str) {
    let users = described(server, AGENTS_INSTANCE_ID);
    let user = &users[login];
    let (client, runtime) = patient_client(server);
    runtime.block_on(async {
        let admin = client
            .list_security_profiles()
            .instance_id(AGENTS_INSTANCE_ID)
            .send()
            .await
            .unwrap()
            .security_profile_summary_list()
            .iter()
            .find(|p| p.name() == Some("Admin"))
            .unwrap()
            .id()
            .unwrap()
            .to_string();
        let mut profiles = user.security_profile_ids().to_vec();
        profiles.push(admin);
        client
            .update_user_security_profiles()
            .instance_id(AGENTS_INSTANCE_ID)
            .user_id(user.id().unwrap())
            .set_security_profile_ids(Some(profiles))
            .send()
            .await
            .unwrap();
    });
}

#[test]
fn administrators_are_refused_unless_asked_for() {
    let server = agents_server(&["--no-throttle"]);
    make_admin(&server, "sales.cora");
    let dir = tempfile::tempdir().unwrap();
    for dry_run in [&["--dry-run"][..], &["--yes"]] {
        let out = run(remove(dir.path(), &server)
            .args(["--routing-profile", "Sales Inbound"])
            .args(dry_run));
        assert_eq!(out.code, Some(2), "{out}");
        assert!(
            out.stderr.contains(
                "1 of the selected agents holds the security profile Admin: sales.cora; agents \
                 remove does not remove administrators unless --including-admins is given"
            ),
            "{out}"
        );
        assert!(out.stdout.contains("refused: holds Admin"), "{out}");
        assert!(
            out.stdout.contains(
                "1 holds the security profile Admin: nothing is removed without \
                 --including-admins"
            ),
            "{out}"
        );
    }
    assert_eq!(server.count("DeleteUser", "200"), 0);
    assert!(backups(dir.path()).is_empty());
    assert_eq!(described(&server, AGENTS_INSTANCE_ID).len(), 13);

    let out = run(remove(dir.path(), &server)
        .args(["--routing-profile", "Sales Inbound", "--including-admins"])
        .args(["--yes", "--format", "json"]));
    assert_eq!(out.code, Some(0), "{out}");
    assert_eq!(outcomes(&out)["sales.cora"], "removed", "{out}");
    assert_eq!(out.json()["summary"]["removed"], 6, "{out}");
    assert_eq!(described(&server, AGENTS_INSTANCE_ID).len(), 7);
}

#[test]
fn a_dry_run_writes_nothing() {
    let server = agents_server(&["--no-throttle"]);
    let dir = tempfile::tempdir().unwrap();
    let out = run(remove(dir.path(), &server)
        .args(["--routing-profile", "Sales Inbound", "--dry-run"])
        .args(["--login", "nobody.here"]));
    assert_eq!(out.code, Some(0), "{out}");
    assert!(out.stdout.contains("0 to remove, 1 absent"), "{out}");
    let out =
        run(remove(dir.path(), &server).args(["--routing-profile", "Sales Inbound", "--dry-run"]));
    assert_eq!(out.code, Some(0), "{out}");
    assert!(out.stdout.contains("6 to remove"), "{out}");
    assert!(
        out.stderr
            .contains("dry run: 6 agents would be removed in agents-contact-center"),
        "{out}"
    );
    assert!(
        out.stderr
            .contains("a run writes the backup of the 6 agents to removed-"),
        "{out}"
    );
    // No file, no write call of any kind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    let stats = server.stats();
    let operations = stats["operations"].as_object().unwrap();
    let reads = [
        "DescribeInstance",
        "ListRoutingProfiles",
        "ListSecurityProfiles",
        "SearchUsers",
        "DescribeUser",
        "DescribeUserHierarchyGroup",
        "ListUsers",
    ];
    for operation in operations.keys() {
        assert!(reads.contains(&operation.as_str()), "{operation}: {stats}");
    }
    // Asked to record, a dry run refuses before reading anything.
    let out = run(remove(dir.path(), &server)
        .args(["--routing-profile", "Sales Inbound", "--dry-run"])
        .args(["--backup", "b.csv"]));
    assert_eq!(out.code, Some(2), "{out}");
    assert!(
        out.stderr
            .contains("--dry-run writes no --report or --backup"),
        "{out}"
    );
    assert_eq!(described(&server, AGENTS_INSTANCE_ID).len(), 13);
}

#[test]
fn an_existing_backup_is_never_replaced_and_nothing_is_removed() {
    let server = agents_server(&["--no-throttle"]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("backup.csv"), "an earlier backup").unwrap();
    let out = run(remove(dir.path(), &server).args([
        "--login",
        "sales.ava",
        "--yes",
        "--backup",
        "backup.csv",
    ]));
    assert_eq!(out.code, Some(2), "{out}");
    assert!(out.stderr.contains("backup.csv already exists"), "{out}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("backup.csv")).unwrap(),
        "an earlier backup"
    );
    // A backup that cannot be written stops the run before the first delete.
    let out = run(remove(dir.path(), &server)
        .args(["--login", "sales.ava", "--yes"])
        .args(["--backup", "no-such-dir/backup.csv"]));
    assert_eq!(out.code, Some(2), "{out}");
    assert!(out.stderr.contains("nothing was removed"), "{out}");
    assert_eq!(server.count("DeleteUser", "200"), 0);
    assert!(described(&server, AGENTS_INSTANCE_ID).contains_key("sales.ava"));
}

#[test]
fn no_password_of_the_file_is_printed() {
    let server = agents_server(&["--no-throttle"]);
    let dir = tempfile::tempdir().unwrap();
    // A leavers list made from filled templates: passwords in the cells.
    // Line 3's password cell is empty and its login may be a shifted
    // password: it is never quoted.
    let file = write_template(
        dir.path(),
        "leavers.csv",
        &[
            "Ava,Brooks,,,,sales.ava,Sup3rSecretAva,Sales Inbound,Agent,,soft,,yes,30,no,none,",
            "X,Y,,,,Hidden9Login,,Sales Inbound,Agent,,soft,,yes,30,no,none,",
            "Old,Timer,,,,gone.user,An0therSecret,Sales Inbound,Agent,,soft,,yes,30,no,none,",
        ],
    );
    let secrets = vec![
        "Sup3rSecretAva".to_string(),
        "An0therSecret".to_string(),
        "Hidden9Login".to_string(),
    ];
    for format in ["table", "json", "github"] {
        let report = dir.path().join(format!("run-{format}.csv"));
        let out = run(remove(dir.path(), &server)
            .arg("--file")
            .arg(&file)
            .args(["--yes", "--format", format])
            .arg("--report")
            .arg(&report));
        assert_eq!(out.code, Some(0), "{out}");
        let all = format!(
            "{}{}{}",
            out.stdout,
            out.stderr,
            std::fs::read_to_string(&report).unwrap()
        );
        assert!(leaked(&all, &secrets).is_empty(), "{out}");
        assert!(all.contains("gone.user"), "{out}");
    }
}

#[test]
fn calls_grow_with_the_selection_not_with_the_instance() {
    let server = agents_server(&["--no-throttle"]);
    let dir = tempfile::tempdir().unwrap();
    // 300 more users the selection does not name.
    let file = support::apply::agents_file(dir.path(), "crowd.csv", "crowd", 300);
    let seeded = run(
        import(dir.path(), &server, AGENTS_INSTANCE_ID, "apply", &file)
            .args(["--yes", "--rate", "1000", "--burst", "100"]),
    );
    assert_eq!(seeded.code, Some(0), "{seeded}");
    let before = server.stats();

    let out = run(remove(dir.path(), &server)
        .args([
            "--login",
            "sales.ava",
            "--login",
            "sales.ben",
            "--login",
            "japan.kai",
        ])
        .args(["--login", "nobody", "--yes"]));
    assert_eq!(out.code, Some(0), "{out}");
    let after = server.stats();
    let calls = |operation: &str| {
        let count = |stats: &serde_json::Value| {
            stats["operations"][operation]
                .as_object()
                .map_or(0, |o| o.values().map(|v| v.as_u64().unwrap()).sum::<u64>())
        };
        count(&after) - count(&before)
    };
    // 4 logins among 313 users: one count and one ListUsers page (1,000
    // users) find them all, fewer calls than a search per login; each of
    // the 3 users is read for the plan and again before its delete; one
    // delete each; the names of their 2 hierarchy groups.
    assert_eq!(calls("SearchUsers"), 1, "{after}");
    assert_eq!(calls("ListUsers"), 1);
    assert_eq!(calls("DescribeUser"), 2 * 3);
    assert_eq!(calls("DeleteUser"), 3);
    assert_eq!(calls("DescribeUserHierarchyGroup"), 2);
    assert_eq!(
        calls("ListRoutingProfiles") + calls("ListSecurityProfiles"),
        2
    );
    let total: u64 = after["requests"].as_u64().unwrap() - before["requests"].as_u64().unwrap();
    assert_eq!(total, 1 + 1 + 6 + 3 + 2 + 2 + 1, "{after}"); // + DescribeInstance
}

/// On a SAML instance the backup holds no password column, and `import
/// apply` of it (no `--generate-passwords`) brings the users back equal
/// to what they were, apart from their IDs.
#[test]
fn a_saml_backup_brings_the_users_back_without_passwords() {
    const SAML_ID: &str = "6f8a7e4d-ac93-4b1a-9fd4-7d3a5f6a8a90";
    let server = LocalServer::builder()
        .seed(support::apply::fixture("instances/saml-agents.toml"))
        .args(["--no-throttle"])
        .start();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    // Every agent but the administrator.
    let selected = ["--security-profile", "Agent"];
    let on_saml = |words: &[&str]| {
        let mut cmd = support::apply::command(path);
        cmd.args(words).args([
            "--instance-id",
            SAML_ID,
            "--endpoint-url",
            server.endpoint(),
            "--region",
            "us-east-1",
        ]);
        cmd
    };
    let exported = run(on_saml(&["agents", "export", "-o", "before.csv"]).args(selected));
    assert_eq!(exported.code, Some(0), "{exported}");
    let ids_before = described(&server, SAML_ID);
    let out = run(on_saml(&["agents", "remove", "--yes", "--backup", "backup.csv"]).args(selected));
    assert_eq!(out.code, Some(0), "{out}");
    let left = described(&server, SAML_ID);
    let removed: Vec<&String> = ids_before
        .keys()
        .filter(|l| !left.contains_key(*l))
        .collect();
    assert_eq!(removed.len(), 3, "{removed:?}: {out}");
    let backup = std::fs::read_to_string(path.join("backup.csv")).unwrap();
    assert!(!backup.to_lowercase().contains("password"), "{backup}");
    assert!(out.stderr.contains("import apply backup.csv"), "{out}");

    let restored = run(&mut on_saml(&["import", "apply", "backup.csv", "--yes"]));
    assert_eq!(restored.code, Some(0), "{restored}");
    let exported = run(on_saml(&["agents", "export", "-o", "after.csv"]).args(selected));
    assert_eq!(exported.code, Some(0), "{exported}");
    assert_eq!(
        std::fs::read_to_string(path.join("after.csv")).unwrap(),
        std::fs::read_to_string(path.join("before.csv")).unwrap(),
    );
    let ids_after = described(&server, SAML_ID);
    for login in removed {
        assert_ne!(ids_before[login].id(), ids_after[login].id(), "{login}");
    }
}
