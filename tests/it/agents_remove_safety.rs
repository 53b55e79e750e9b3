//! `agents remove` when people, the network and `kill -9` get in the way:
//! the typed confirmation on a pseudo-terminal, users changed by someone
//! else between the review and their delete, injected faults, and a run
//! killed mid-way — each ending with outcomes that are true on the server,
//! and a re-run that finishes the job.
use crate::support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Stdio;

use support::agents::{agents, agents_server, described, AGENTS_INSTANCE_ID};
use support::apply::{import, on_a_terminal, patient_client, report_rows, run, Run, BIN};
use support::local_server::LocalServer;
use support::process::{finish, poll_until, signal, spawn, SIGKILL};
use support::terminal::Pty;

const SALES: [&str; 6] = [
    "sales.ava",
    "sales.ben",
    "sales.cora",
    "sales.desk",
    "sales.dev",
    "sales.eli",
];

/// The outcome of each row of a `--format json` run, by login.
fn outcomes(out: &Run) -> BTreeMap<String, (String, String)> {
    out.json()["outcomes"]
        .as_array()
        .unwrap_or_else(|| panic!("no outcomes: {out}"))
        .iter()
        .map(|o| {
            let text = |k: &str| o[k].as_str().unwrap_or_default().to_string();
            (text("user_login"), (text("outcome"), text("message")))
        })
        .collect()
}

/// `agents remove ARGS` as a shell line for `script`.
fn line(server: &LocalServer, args: &str) -> String {
    format!(
        "{BIN} agents remove {args} --instance-id {AGENTS_INSTANCE_ID} --endpoint-url {} \
         --region us-east-1",
        server.endpoint()
    )
}

#[test]
fn the_instance_alias_must_be_typed_out() {
    let server = agents_server(&["--no-throttle"]);
    let dir = tempfile::tempdir().unwrap();
    let args = "--routing-profile 'Sales Inbound'";
    for answer in ["y\n", "yes\n", "agents-contact-centre\n", "\n"] {
        let declined = on_a_terminal(dir.path(), &line(&server, args), answer);
        assert_eq!(declined.code, Some(2), "{declined}");
        assert!(
            declined.stdout.contains(
                "Remove 6 agents from instance agents-contact-center \
                 (4d6f5e2c-8a71-4f9e-9db2-5b1f3e4d6e78)? Only the backup can bring them back, as \
                 new users.\r\nType \"agents-contact-center\" to confirm (anything else cancels): "
            ),
            "{declined}"
        );
        assert!(
            declined.stdout.contains("nothing was removed"),
            "{declined}"
        );
    }
    // One agent: the question says so, and the review's table is readable
    // on a pseudo-terminal nobody sized (0 columns means unknown).
    let one = on_a_terminal(dir.path(), &line(&server, "--login japan.kai"), "y\n");
    assert_eq!(one.code, Some(2), "{one}");
    assert!(
        one.stdout
            .contains("Remove 1 agent from instance agents-contact-center"),
        "{one}"
    );
    assert!(one.stdout.contains("japan.kai"), "{one}");
    assert_eq!(server.count("DeleteUser", "200"), 0);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no backup"
    );
    assert_eq!(described(&server, AGENTS_INSTANCE_ID).len(), 13);

    let accepted = on_a_terminal(dir.path(), &line(&server, args), "agents-contact-center\n");
    assert_eq!(accepted.code, Some(0), "{accepted}");
    assert!(
        accepted.stdout.contains("wrote the backup of the 6 agents"),
        "{accepted}"
    );
    assert_eq!(server.count("DeleteUser", "200"), 6);
    assert_eq!(described(&server, AGENTS_INSTANCE_ID).len(), 7);

    // Without a terminal and without --yes nothing is asked, nothing read.
    let out = run(agents(dir.path(), &server, "remove").args(["--login", "japan.kai"]));
    assert_eq!(out.code, Some(2), "{out}");
    assert!(
        out.stderr
            .contains("there is no terminal to confirm on: pass --yes to remove without asking"),
        "{out}"
    );
}

#[test]
fn users_changed_after_the_review_are_not_deleted_unseen() {
    let server = agents_server(&["--no-throttle"]);
    let dir = tempfile::tempdir().unwrap();
    let mut pty = Pty::open();
    let mut cmd = agents(dir.path(), &server, "remove");
    let child = cmd
        .args(["--routing-profile", "Sales Inbound", "--format", "json"])
        .stdin(pty.stdio())
        .stderr(pty.stdio())
        .stdout(Stdio::piped())
        .spawn()
        .expect("starting agents remove");
    cmd.stdin(Stdio::null()).stderr(Stdio::null());
    pty.release();
    pty.wait_for("(anything else cancels): ", 60);

    // Between the review and the deletes, someone else:
    let users = described(&server, AGENTS_INSTANCE_ID);
    let id = |login: &str| users[login].id().unwrap().to_string();
    let (client, runtime) = patient_client(&server);
    let new_ben = runtime.block_on(async {
        let admin = security_profile_id(&client, "Admin").await;
        let support_tier_1 = routing_profile_id(&client, "Support Tier 1").await;
        let i = AGENTS_INSTANCE_ID;
        // deletes sales.ava,
        client
            .delete_user()
            .instance_id(i)
            .user_id(id("sales.ava"))
            .send()
            .await
            .unwrap();
        // deletes sales.ben and gives the login to a new user,
        client
            .delete_user()
            .instance_id(i)
            .user_id(id("sales.ben"))
            .send()
            .await
            .unwrap();
        let rp = users["sales.ben"].routing_profile_id().unwrap();
        let created = client
            .create_user()
            .instance_id(i)
            .username("sales.ben")
            .password("N3wHirePassword")
            .identity_info(
                aws_sdk_connect::types::UserIdentityInfo::builder()
                    .first_name("Benedikt")
                    .last_name("New")
                    .build(),
            )
            .phone_config(
                aws_sdk_connect::types::UserPhoneConfig::builder()
                    .phone_type(aws_sdk_connect::types::PhoneType::SoftPhone)
                    .build(),
            )
            .routing_profile_id(rp)
            .set_security_profile_ids(Some(users["sales.ben"].security_profile_ids().to_vec()))
            .send()
            .await
            .unwrap();
        // changes sales.cora's e-mail address,
        client
            .update_user_identity_info()
            .instance_id(i)
            .user_id(id("sales.cora"))
            .identity_info(
                aws_sdk_connect::types::UserIdentityInfo::builder()
                    .first_name("Cora")
                    .last_name("Diaz")
                    .email("cora.diaz@example.org")
                    .build(),
            )
            .send()
            .await
            .unwrap();
        // makes sales.dev an administrator,
        let mut profiles = users["sales.dev"].security_profile_ids().to_vec();
        profiles.push(admin);
        client
            .update_user_security_profiles()
            .instance_id(i)
            .user_id(id("sales.dev"))
            .set_security_profile_ids(Some(profiles))
            .send()
            .await
            .unwrap();
        // and moves sales.eli to another routing profile.
        client
            .update_user_routing_profile()
            .instance_id(i)
            .user_id(id("sales.eli"))
            .routing_profile_id(support_tier_1)
            .send()
            .await
            .unwrap();
        created.user_id().unwrap().to_string()
    });
    pty.type_in("agents-contact-center\n");
    let drain = std::thread::spawn(move || pty.read_all());
    let out = Run::of(child.wait_with_output().unwrap());
    let shown = drain.join().unwrap();
    assert_eq!(out.code, Some(3), "{out}\n--- terminal\n{shown}");
    let claimed = outcomes(&out);
    let outcome = |login: &str| claimed[login].0.as_str();
    assert_eq!(outcome("sales.ava"), "absent", "{out}");
    assert_eq!(outcome("sales.ben"), "absent", "{out}");
    assert_eq!(outcome("sales.cora"), "failed", "{out}");
    assert!(
        claimed["sales.cora"].1.contains("name, e-mail or mobile"),
        "{out}"
    );
    assert_eq!(outcome("sales.dev"), "failed", "{out}");
    assert!(
        claimed["sales.dev"]
            .1
            .contains("holds the security profile Admin now"),
        "{out}"
    );
    assert_eq!(outcome("sales.eli"), "skipped", "{out}");
    assert_eq!(outcome("sales.desk"), "removed", "{out}");

    // Read back: only sales.desk was deleted by the run; the new sales.ben
    // is untouched.
    let after = described(&server, AGENTS_INSTANCE_ID);
    assert_eq!(after["sales.ben"].id(), Some(new_ben.as_str()));
    for login in ["sales.cora", "sales.dev", "sales.eli"] {
        assert!(after.contains_key(login), "{login}");
    }
    assert!(!after.contains_key("sales.desk") && !after.contains_key("sales.ava"));
    assert_eq!(after.len(), 13 - 2);
}

async fn security_profile_id(client: &aws_sdk_connect::Client, name: &str) -> String {
    let list = client
        .list_security_profiles()
        .instance_id(AGENTS_INSTANCE_ID)
        .send()
        .await
        .unwrap();
    let found = list.security_profile_summary_list().iter();
    let mut found = found.filter(|p| p.name() == Some(name));
    found.next().unwrap().id().unwrap().to_string()
}

async fn routing_profile_id(client: &aws_sdk_connect::Client, name: &str) -> String {
    let list = client
        .list_routing_profiles()
        .instance_id(AGENTS_INSTANCE_ID)
        .send()
        .await
        .unwrap();
    let found = list.routing_profile_summary_list().iter();
    let mut found = found.filter(|p| p.name() == Some(name));
    found.next().unwrap().id().unwrap().to_string()
}

/// Checks each claim of a run against the server; `selected` are the
/// logins the run was asked to remove (the absent one included).
fn claims_hold(server: &LocalServer, out: &Run, selected: &BTreeSet<&str>) {
    let there = described(server, AGENTS_INSTANCE_ID);
    for (login, (outcome, message)) in outcomes(out) {
        assert!(selected.contains(login.as_str()), "{login}: {out}");
        let present = there.contains_key(&login);
        match outcome.as_str() {
            "removed" | "absent" => assert!(!present, "{login} claimed {outcome}: {out}"),
            "failed" | "not_submitted" | "skipped" => {
                assert!(
                    present,
                    "{login} claimed {outcome} ({message}) but is gone: {out}"
                )
            }
            "unknown" => {}
            other => panic!("{login}: {other}: {out}"),
        }
    }
}

/// `dir/NAME`: a leavers list (a `user login` column) of the Sales Inbound
/// agents, support.gus and japan.kai, and, when `absent`, a login no user has.
fn leavers(dir: &Path, name: &str, absent: bool) -> std::path::PathBuf {
    let path = dir.join(name);
    let mut text = String::from("user login\n");
    let more: &[&str] = if absent {
        &["support.gus", "japan.kai", "left.long.ago"]
    } else {
        &["support.gus", "japan.kai"]
    };
    for login in SALES.iter().chain(more) {
        text.push_str(login);
        text.push('\n');
    }
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn faults_end_with_true_outcomes_and_a_rerun_converges() {
    let server = agents_server(&[
        "--no-throttle",
        "--fail-rate",
        "0.15",
        "--drop-rate",
        "0.1",
        "--commit-then-fail-rate",
        "0.5",
        "--fault-seed",
        "17",
    ]);
    let dir = tempfile::tempdir().unwrap();
    let file = leavers(dir.path(), "leavers.csv", true);
    let selected: BTreeSet<&str> = SALES
        .iter()
        .copied()
        .chain(["support.gus", "japan.kai", "left.long.ago"])
        .collect();
    let before = described(&server, AGENTS_INSTANCE_ID);
    let mut runs = Vec::new();
    for _ in 0..15 {
        let deletes_before = server.count("DeleteUser", "200");
        let out = run(agents(dir.path(), &server, "remove")
            .arg("--file")
            .arg(&file)
            .args(["--yes", "--format", "json", "--patience", "3s"]));
        match out.code {
            Some(0) | Some(3) => claims_hold(&server, &out, &selected),
            // A read of the plan gave up: nothing was deleted.
            Some(2) => {
                assert!(out.stderr.contains("nothing was removed"), "{out}");
                assert_eq!(server.count("DeleteUser", "200"), deletes_before, "{out}");
            }
            _ => panic!("{out}"),
        }
        let done = out.code == Some(0);
        runs.push(out);
        if done {
            break;
        }
    }
    let last = runs.last().unwrap();
    assert_eq!(last.code, Some(0), "never converged; last run:\n{last}");
    // The faults happened: deletes were committed with their answers lost.
    let stats = server.stats();
    let delete = &stats["operations"]["DeleteUser"];
    assert!(
        delete["500"].as_u64().unwrap_or(0) + delete["dropped"].as_u64().unwrap_or(0) > 0,
        "{stats}"
    );
    // Exactly the selected users are gone; the others are as they were.
    let mut expected = before;
    for login in &selected {
        expected.remove(*login);
    }
    assert_eq!(described(&server, AGENTS_INSTANCE_ID), expected);
    // Every row of the last run says the user is gone.
    for (login, (outcome, _)) in outcomes(last) {
        assert!(
            ["removed", "absent"].contains(&outcome.as_str()),
            "{login}: {last}"
        );
    }
}

#[test]
fn a_run_killed_mid_way_leaves_a_whole_backup_and_a_rerun_finishes() {
    let server = agents_server(&["--no-throttle"]);
    let dir = tempfile::tempdir().unwrap();
    let file = leavers(dir.path(), "leavers.csv", true);
    // `agents export` takes no login the instance lacks.
    let present = leavers(dir.path(), "present.csv", false);
    let export_before = run(agents(dir.path(), &server, "export")
        .args(["-o", "before.csv"])
        .arg("--file")
        .arg(&present));
    assert_eq!(export_before.code, Some(0), "{export_before}");
    let report = dir.path().join("first.jsonl");
    // One request a second: the deletes take seconds.
    let mut cmd = agents(dir.path(), &server, "remove");
    cmd.arg("--file")
        .arg(&file)
        .args([
            "--yes",
            "--backup",
            "backup.csv",
            "--rate",
            "1",
            "--burst",
            "1",
        ])
        .arg("--report")
        .arg(&report);
    let child = spawn(&mut cmd);
    let removed = || {
        std::fs::read_to_string(&report)
            .unwrap_or_default()
            .matches(r#""outcome":"removed""#)
            .count()
    };
    assert!(poll_until(|| removed() >= 2), "no delete within the time");
    signal(&child, SIGKILL);
    let killed = finish(child);
    assert_eq!(killed.code, None, "{killed}");

    // The report's rows are true; the backup holds every selected user.
    let rows = report_rows(&report);
    let there = described(&server, AGENTS_INSTANCE_ID);
    for row in &rows {
        let login = row["user_login"].as_str().unwrap();
        if row["outcome"] == "removed" {
            assert!(!there.contains_key(login), "{login}");
        }
    }
    let gone = SALES
        .iter()
        .chain(&["support.gus", "japan.kai"])
        .filter(|l| !there.contains_key(**l))
        .count();
    assert!(
        gone < 8,
        "the kill came after the last delete: it proved nothing"
    );
    assert_eq!(
        std::fs::read(dir.path().join("backup.csv")).unwrap(),
        std::fs::read(dir.path().join("before.csv")).unwrap()
    );

    // The same command again finishes the job.
    let again = run(agents(dir.path(), &server, "remove")
        .arg("--file")
        .arg(&file)
        .args(["--yes", "--backup", "backup-2.csv", "--format", "json"]));
    assert_eq!(again.code, Some(0), "{again}");
    let claimed = outcomes(&again);
    let count = |what: &str| claimed.values().filter(|(o, _)| o == what).count();
    assert_eq!(count("removed"), 8 - gone, "{again}");
    assert_eq!(count("absent"), gone + 1, "{again}");
    let after = described(&server, AGENTS_INSTANCE_ID);
    assert_eq!(after.len(), 13 - 8);

    // And the first backup brings every one of them back.
    let restored = run(import(
        dir.path(),
        &server,
        AGENTS_INSTANCE_ID,
        "apply",
        &dir.path().join("backup.csv"),
    )
    .args(["--yes", "--generate-passwords", "passwords.csv"]));
    assert_eq!(restored.code, Some(0), "{restored}");
    let export_after = run(agents(dir.path(), &server, "export")
        .args(["-o", "after.csv"])
        .arg("--file")
        .arg(&present));
    assert_eq!(export_after.code, Some(0), "{export_after}");
    assert_eq!(
        std::fs::read(dir.path().join("after.csv")).unwrap(),
        std::fs::read(dir.path().join("before.csv")).unwrap()
    );
}
