//! `agents edit` when calls fail and the instance changes under it: 5xx
//! answers, dropped connections and updates made but answered with an
//! error; a run killed mid-way; someone else's change between the plan and
//! a user's turn. Every outcome is checked field by field against the
//! users read back through the SDK, and running the file again converges.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::support;
use support::apply::{report_rows, run};
use support::edit::{agents, differences, seed, server, views, View, TEAMS};
use support::process::{finish, poll_until, spawn};

const FAST: [&str; 4] = ["--rate", "1000", "--burst", "100"];

/// The fields the file changes, as a view names them.
const EDITED: [&str; 4] = ["routing profile", "security profiles", "hierarchy", "tags"];

/// A file moving each of `n` agents to another routing profile, security
/// profiles, team and tags (four to five calls a user); and what each
/// user is to hold, by login.
fn edit_file(
    dir: &Path,
    n: usize,
    before: &BTreeMap<String, View>,
) -> (PathBuf, BTreeMap<String, View>) {
    let mut text = String::from(
        "user login,routing profile name,security_profile_name_1|security_profile_name_2,\
         user_hierarchy_1|user_hierarchy_2,tags\n",
    );
    let mut wanted = BTreeMap::new();
    for i in 0..n {
        let login = format!("agent.{i:03}");
        let team = TEAMS[(i + 1) % 3];
        text.push_str(&format!(
            "{login},Support Tier 2,Agent|CallCenterManager,{team},site|s{i}||team|edited\n"
        ));
        let mut view = before[&login].clone();
        view.insert("routing profile", "Support Tier 2".into());
        view.insert("security profiles", "Agent|CallCenterManager".into());
        view.insert("hierarchy", team.into());
        view.insert("tags", format!("site=s{i},team=edited"));
        wanted.insert(login, view);
    }
    let path = dir.join("edit.csv");
    std::fs::write(&path, text).unwrap();
    (path, wanted)
}

/// Checks one report row against the user before and after: each outcome
/// says what the user holds.
fn check(row: &serde_json::Value, was: &View, is: &View, want: &View) {
    let said = |key: &str| row[key].as_str().unwrap_or_default().to_string();
    // The fields the file changes; nothing else of the user moves.
    for (field, value) in is {
        if !EDITED.contains(field) {
            assert_eq!(&was[field], value, "{field}: {row}");
        }
    }
    match said("outcome").as_str() {
        "changed" => assert_eq!(is, want, "{row}: {:?}", differences(want, is)),
        "unchanged" => assert!(was == want && is == want, "{row}"),
        "failed" | "not_submitted" => {
            for field in ["routing profile", "security profiles", "hierarchy"] {
                assert_eq!(is[field], was[field], "{field}: {row}");
            }
        }
        "partial" => {
            let (changed, not_changed) = (said("changed"), said("not_changed"));
            for field in ["routing profile", "security profiles", "hierarchy"] {
                if changed.contains(&format!("{field}:")) {
                    assert_eq!(is[field], want[field], "{field}: {row}");
                } else if not_changed.contains(field) {
                    assert_eq!(is[field], was[field], "{field}: {row}");
                }
            }
            assert!(is != want && is != was, "{row}");
        }
        // The update and the read that would settle it both failed.
        "unknown" => {}
        other => panic!("{other}: {row}"),
    }
}

#[test]
fn faults_end_with_every_outcome_true_and_running_the_file_again_converges() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let seed = seed(dir, 24);
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    for fault_seed in ["3", "8"] {
        let server = server(
            &seed,
            &[
                "--no-throttle",
                "--fault-seed",
                fault_seed,
                "--fail-rate",
                "0.15",
                "--drop-rate",
                "0.1",
                "--commit-then-fail-rate",
                "0.3",
            ],
        );
        let before = views(&server);
        let (file, wanted) = edit_file(dir, 24, &before);
        let report = dir.join(format!("report-{fault_seed}.jsonl"));
        // Two attempts a call at most: some users end partly done. A read
        // of the plan may fail twice too: that run stops before any write,
        // and is made again.
        let result = loop {
            let result = run(agents(dir, &server, &["edit"])
                .arg(&file)
                .args(FAST)
                .args([
                    "--max-attempts",
                    "2",
                    "--yes",
                    "--format",
                    "json",
                    "--report",
                ])
                .arg(&report));
            if result.code != Some(2) {
                break result;
            }
            assert!(result.stderr.contains("nothing was changed"), "{result}");
            assert_eq!(views(&server), before, "{result}");
        };
        assert!(matches!(result.code, Some(0 | 3)), "{result}");
        let after = views(&server);
        let rows = report_rows(&report);
        assert_eq!(rows.len(), 24, "{result}");
        for row in &rows {
            let login = row["user_login"].as_str().unwrap();
            check(row, &before[login], &after[login], &wanted[login]);
            *outcomes
                .entry(row["outcome"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
        // The same file again, as often as it takes: every user as it says.
        for _ in 0..5 {
            let again = run(agents(dir, &server, &["edit"])
                .arg(&file)
                .args(FAST)
                .args(["--yes", "--format", "json"]));
            if again.code == Some(0) {
                break;
            }
        }
        let after = views(&server);
        for (login, want) in &wanted {
            assert_eq!(
                &after[login],
                want,
                "{login}: {:?}",
                differences(want, &after[login])
            );
        }
        assert!(
            server.count("TagResource", "500") + server.count("UpdateUserHierarchy", "500") > 0
        );
    }
    assert!(
        outcomes.get("changed").is_some_and(|n| *n > 0),
        "{outcomes:?}"
    );
    assert!(
        outcomes.get("partial").is_some_and(|n| *n > 0),
        "some users are partly done: {outcomes:?}"
    );
}

#[cfg(unix)]
#[test]
fn killed_mid_run_then_the_same_file_finishes_the_job() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let server = server(&seed(dir, 12), &["--no-throttle"]);
    let before = views(&server);
    let (file, wanted) = edit_file(dir, 12, &before);
    // Two requests a second per operation: twelve users take seconds.
    let mut child = agents(dir, &server, &["edit"])
        .arg(&file)
        .args(["--yes", "--rate", "2", "--burst", "1"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // A user whose routing profile is already the file's starts with
    // another call: wait for a routing profile moved.
    assert!(poll_until(|| server
        .count("UpdateUserRoutingProfile", "200")
        > 0));
    child.kill().unwrap();
    child.wait().unwrap();
    // A request the killed run sent last is answered all the same.
    std::thread::sleep(std::time::Duration::from_millis(300));
    let done = server.count("UpdateUserRoutingProfile", "200");
    assert!(
        (1..12).contains(&done),
        "killed mid-run: {done} users moved"
    );
    let middle = views(&server);
    let again = run(agents(dir, &server, &["edit"])
        .arg(&file)
        .args(FAST)
        .args(["--yes", "--format", "json"]));
    assert_eq!(again.code, Some(0), "{again}");
    let after = views(&server);
    for (login, want) in &wanted {
        assert_eq!(
            &after[login],
            want,
            "{login}: {:?}",
            differences(want, &after[login])
        );
    }
    // What the killed run left done is not sent again.
    for row in again.json()["outcomes"].as_array().unwrap() {
        let login = row["user_login"].as_str().unwrap();
        let outcome = row["outcome"].as_str().unwrap();
        assert_eq!(
            outcome == "unchanged",
            middle[login] == wanted[login],
            "{login}: {row}"
        );
        if let Some(change) = row["change"].as_str() {
            let moved = middle[login]["routing profile"] == "Support Tier 2";
            assert_eq!(
                !change.contains("routing profile"),
                moved,
                "{login}: {change}"
            );
        }
    }
}

/// Someone gives the second of two users other security profiles while
/// the first is being changed, a moment before the second's turn: that
/// field is kept, the second's other fields are changed, and it ends
/// `partial`, saying so. Running the file again then sets it.
#[test]
fn someone_elses_change_to_one_field_is_kept_and_the_others_go_ahead() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let server = server(&seed(dir, 2), &["--no-throttle"]);
    let before = views(&server);
    let (file, wanted) = edit_file(dir, 2, &before);
    // A request of each operation every two seconds: the second user's
    // turn comes two seconds after the first's.
    let child = spawn(
        agents(dir, &server, &["edit"])
            .arg(&file)
            .args(["--yes", "--format", "json", "--concurrency", "1"])
            .args(["--rate", "0.5", "--burst", "1"]),
    );
    poll_until(|| server.count("UpdateUserRoutingProfile", "200") > 0);
    let now = views(&server);
    let (first, second) = if now["agent.000"]["routing profile"] == "Support Tier 2" {
        ("agent.000", "agent.001")
    } else {
        ("agent.001", "agent.000")
    };
    let ids = support::agents::described(&server, support::edit::EDIT_INSTANCE_ID);
    let admin = {
        let (client, runtime) = support::apply::patient_client(&server);
        runtime.block_on(async {
            let profiles = client
                .list_security_profiles()
                .instance_id(support::edit::EDIT_INSTANCE_ID)
                .send()
                .await
                .unwrap();
            let admin = profiles
                .security_profile_summary_list()
                .iter()
                .find(|p| p.name() == Some("Admin"))
                .and_then(|p| p.id())
                .unwrap()
                .to_string();
            client
                .update_user_security_profiles()
                .instance_id(support::edit::EDIT_INSTANCE_ID)
                .user_id(ids[second].id().unwrap())
                .security_profile_ids(&admin)
                .send()
                .await
                .unwrap();
            admin
        })
    };
    assert!(!admin.is_empty());
    let result = finish(child);
    assert_eq!(result.code, Some(3), "{result}");
    let rows = result.json()["outcomes"].clone();
    let row = |login: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["user_login"] == login)
            .unwrap()
            .clone()
    };
    assert_eq!(row(first)["outcome"], "changed", "{result}");
    let partial = row(second);
    assert_eq!(partial["outcome"], "partial", "{result}");
    assert_eq!(partial["error_type"], "ChangedMeanwhile", "{result}");
    assert!(
        partial["not_changed"]
            .as_str()
            .unwrap()
            .contains("security profiles (someone else"),
        "{partial}"
    );
    let after = views(&server);
    assert_eq!(after[first], wanted[first]);
    assert_eq!(
        after[second]["security profiles"], "Admin",
        "not overwritten"
    );
    for field in ["routing profile", "hierarchy", "tags"] {
        assert_eq!(after[second][field], wanted[second][field], "{field}");
    }
    // The file again: a plan from what it holds now sets the rest.
    let again = run(agents(dir, &server, &["edit"])
        .arg(&file)
        .args(FAST)
        .args(["--yes", "--format", "json"]));
    assert_eq!(again.code, Some(0), "{again}");
    assert_eq!(views(&server)[second], wanted[second]);
}

/// SIGTERM mid-run: the run stops taking users, finishes the calls in
/// flight, exits 130, and its report says for every user what the server
/// holds; the rows to run again (`--failed-out`) finish the job.
#[test]
fn sigterm_mid_run_ends_with_true_outcomes_and_the_rows_to_run_again_finish() {
    use nix::sys::signal::Signal;
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let server = server(&seed(dir, 12), &["--no-throttle"]);
    let before = views(&server);
    let (file, wanted) = edit_file(dir, 12, &before);
    let report = dir.join("report.jsonl");
    let again_file = dir.join("again.csv");
    let child = spawn(
        agents(dir, &server, &["edit"])
            .arg(&file)
            .args(["--yes", "--rate", "2", "--burst", "1"])
            .arg("--report")
            .arg(&report)
            .arg("--failed-out")
            .arg(&again_file),
    );
    assert!(poll_until(|| server
        .count("UpdateUserRoutingProfile", "200")
        > 0));
    support::process::signal(&child, Signal::SIGTERM);
    let stopped = finish(child);
    assert_eq!(stopped.code, Some(130), "{stopped}");
    let middle = views(&server);
    let rows = report_rows(&report);
    assert_eq!(rows.len(), 12, "{stopped}");
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    for row in &rows {
        let login = row["user_login"].as_str().unwrap();
        check(row, &before[login], &middle[login], &wanted[login]);
        *outcomes
            .entry(row["outcome"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    assert!(
        outcomes.get("not_submitted").is_some_and(|&n| n > 0),
        "stopped mid-run: {outcomes:?}"
    );
    // The rows to run again are the file's own rows of the users not done.
    let again = run(agents(dir, &server, &["edit"])
        .arg(&again_file)
        .args(FAST)
        .args(["--yes"]));
    assert_eq!(again.code, Some(0), "{again}");
    let after = views(&server);
    for (login, want) in &wanted {
        assert_eq!(
            &after[login],
            want,
            "{login}: {:?}",
            differences(want, &after[login])
        );
    }
}
