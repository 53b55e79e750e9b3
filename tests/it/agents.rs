//! `agents list` and `agents set` end to end: the real binary through the
//! SDK against `local serve` on loopback, every outcome checked by reading
//! the server back.
use crate::support;

use support::agents::{
    agents, agents_server, all_but_persistent, described, persistent, voice_enhancement,
    AGENTS_INSTANCE_ID,
};
use support::apply::{report_rows, run};
use support::process::{finish, poll_until, signal, spawn, SIGTERM};

const FAST: [&str; 4] = ["--rate", "1000", "--burst", "100"];

/// The softphone users of "Sales Inbound" with persistent connection off.
const SALES_OFF: [&str; 4] = ["sales.ava", "sales.ben", "sales.cora", "sales.dev"];

#[test]
fn set_changes_exactly_the_softphone_agents_of_the_routing_profile() {
    let server = agents_server(&["--no-throttle"]);
    let dir = tempfile::tempdir().unwrap();
    let before = described(&server, AGENTS_INSTANCE_ID);
    let report = dir.path().join("report.jsonl");
    let result = run(agents(dir.path(), &server, "set")
        .args([
            "--persistent-connection",
            "on",
            "--routing-profile",
            "Sales Inbound",
        ])
        .args(FAST)
        .args(["--yes", "--format", "json", "--report"])
        .arg(&report));
    assert_eq!(result.code, Some(0), "{result}");
    let json = result.json();
    let summary = &json["summary"];
    assert_eq!(
        (
            &summary["changed"],
            &summary["unchanged"],
            &summary["skipped"]
        ),
        (&4.into(), &1.into(), &1.into()),
        "{result}"
    );
    let after = described(&server, AGENTS_INSTANCE_ID);
    for (login, user) in &after {
        let was = &before[login];
        let expected = SALES_OFF.contains(&login.as_str()) || persistent(was);
        assert_eq!(persistent(user), expected, "{login}");
        assert_eq!(all_but_persistent(user), all_but_persistent(was), "{login}");
    }
    // The desk phone of the routing profile was left alone, and said so.
    let rows = report_rows(&report);
    let desk = rows
        .iter()
        .find(|r| r["user_login"] == "sales.desk")
        .unwrap();
    assert_eq!(desk["outcome"], "skipped", "{desk}");
    assert!(
        desk["reason"].as_str().unwrap().contains("desk phone"),
        "{desk}"
    );
    let mut changed: Vec<&str> = rows
        .iter()
        .filter(|r| r["outcome"] == "changed")
        .map(|r| r["user_login"].as_str().unwrap())
        .collect();
    changed.sort();
    assert_eq!(changed, SALES_OFF);
    assert_eq!(server.count("UpdateUserConfig", "200"), 4);

    // Run again: nothing left to do, nothing sent.
    let again = run(agents(dir.path(), &server, "set")
        .args([
            "--persistent-connection",
            "on",
            "--routing-profile",
            "Sales Inbound",
        ])
        .args(FAST)
        .args(["--yes", "--format", "json"]));
    assert_eq!(again.code, Some(0), "{again}");
    assert_eq!(again.json()["summary"]["unchanged"], 5, "{again}");
    assert_eq!(again.json()["summary"]["changed"], 0, "{again}");
    assert_eq!(
        server.count("UpdateUserConfig", "200"),
        4,
        "no write the second time"
    );
}

#[test]
fn dry_run_plans_and_writes_nothing() {
    let server = agents_server(&["--no-throttle"]);
    let dir = tempfile::tempdir().unwrap();
    let result = run(agents(dir.path(), &server, "set")
        .args(["--persistent-connection", "on", "--all", "--dry-run"])
        .args(FAST)
        .args(["--format", "json"]));
    assert_eq!(result.code, Some(0), "{result}");
    let planned = result.json()["planned_changes"].as_array().unwrap().len();
    // Nine softphone users have it off; three desk phones are skipped.
    assert_eq!(planned, 9, "{result}");
    assert_eq!(result.json()["summary"]["skipped"], 3, "{result}");
    assert!(result.stderr.contains("nothing was written"), "{result}");
    let stats = server.stats();
    let writes = ["UpdateUserConfig", "UpdateUserPhoneConfig", "CreateUser"]
        .iter()
        .filter(|op| stats["operations"].get(op).is_some())
        .count();
    assert_eq!(writes, 0, "{stats}");
}

#[test]
fn desk_phones_and_audio_enhancement_when_asked() {
    let server = agents_server(&["--no-throttle"]);
    let dir = tempfile::tempdir().unwrap();
    let result = run(agents(dir.path(), &server, "set")
        .args([
            "--audio-enhancement",
            "isolate voice",
            "--include-desk-phones",
        ])
        .args(["--hierarchy", "North America|Dallas"])
        .args(FAST)
        .args(["--yes", "--format", "json"]));
    assert_eq!(result.code, Some(0), "{result}");
    let after = described(&server, AGENTS_INSTANCE_ID);
    // Team Lone Star is the one team under Dallas.
    for login in ["sales.cora", "sales.dev", "support.desk"] {
        assert_eq!(
            voice_enhancement(&after[login]),
            "VOICE_ISOLATION",
            "{login}"
        );
    }
    assert_eq!(voice_enhancement(&after["sales.ava"]), "NONE");
    assert_eq!(result.json()["summary"]["changed"], 3, "{result}");
}

#[test]
fn list_counts_match_the_server_and_selectors_combine() {
    let server = agents_server(&["--no-throttle"]);
    let dir = tempfile::tempdir().unwrap();
    let result = run(agents(dir.path(), &server, "list")
        .args(FAST)
        .args(["--format", "json"]));
    assert_eq!(result.code, Some(0), "{result}");
    let users = described(&server, AGENTS_INSTANCE_ID);
    let desk = users
        .values()
        .filter(|u| u.phone_config().map(|p| p.phone_type().as_str()) == Some("DESK_PHONE"))
        .count();
    let soft_on = users
        .values()
        .filter(|u| u.phone_config().map(|p| p.phone_type().as_str()) != Some("DESK_PHONE"))
        .filter(|u| persistent(u))
        .count();
    let counts = &result.json()["counts"];
    assert_eq!(counts["agents"], users.len());
    assert_eq!(counts["desk_phone"], desk);
    assert_eq!(counts["persistent_connection_on"], soft_on);
    assert_eq!(counts["softphone"], users.len() - desk);

    // Routing profile and hierarchy together: Sales Inbound in Seattle.
    let table = run(agents(dir.path(), &server, "list")
        .args([
            "--routing-profile",
            "Sales Inbound",
            "--hierarchy",
            "North America|Seattle",
        ])
        .args(FAST));
    assert_eq!(table.code, Some(0), "{table}");
    for login in ["sales.ava", "sales.ben", "sales.eli", "sales.desk"] {
        assert!(table.stdout.contains(login), "{login}: {table}");
    }
    for login in ["sales.cora", "support.gus"] {
        assert!(!table.stdout.contains(login), "{login}: {table}");
    }
    assert!(
        table
            .stdout
            .contains("softphone agents: 3, persistent connection on: 1, off: 2; desk phone: 1"),
        "{table}"
    );

    // Logins from a file (any case), as CSV.
    let file = dir.path().join("logins.csv");
    std::fs::write(
        &file,
        "user login,first name\nSALES.AVA,Ava\njapan.kai,Kai\n",
    )
    .unwrap();
    let csv = run(agents(dir.path(), &server, "list")
        .arg("--file")
        .arg(&file)
        .args(FAST)
        .args(["--format", "csv"]));
    assert_eq!(csv.code, Some(0), "{csv}");
    let lines: Vec<&str> = csv.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(
        lines[1].starts_with("japan.kai,") && lines[2].starts_with("sales.ava,"),
        "{csv}"
    );
}

#[test]
fn unknown_names_are_errors_with_the_closest_names() {
    let server = agents_server(&["--no-throttle"]);
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &str); 4] = [
        (
            &["--routing-profile", "Sales inbound"],
            "did you mean \"Sales Inbound\"",
        ),
        (&["--security-profile", "Agents"], "did you mean \"Agent\""),
        (
            &["--hierarchy", "North America/Seattle"],
            "write \"North America|Seattle\"",
        ),
        (&["--login", "sales.avaa"], "did you mean \"sales.ava\""),
    ];
    for (selector, expected) in cases {
        let result = run(agents(dir.path(), &server, "set")
            .args(["--persistent-connection", "on", "--yes"])
            .args(selector)
            .args(FAST));
        assert_eq!(result.code, Some(2), "{selector:?}: {result}");
        assert!(result.stderr.contains(expected), "{selector:?}: {result}");
    }
    let none = run(agents(dir.path(), &server, "set")
        .args(["--persistent-connection", "on", "--yes"])
        .args(FAST));
    assert_eq!(none.code, Some(2), "{none}");
    assert!(none.stderr.contains("--all"), "{none}");
    assert_eq!(server.count("UpdateUserConfig", "200"), 0);
}

#[test]
fn faults_end_with_every_outcome_true() {
    let server = agents_server(&[
        "--no-throttle",
        "--fault-seed",
        "5",
        "--fail-rate",
        "0.2",
        "--drop-rate",
        "0.1",
        "--commit-then-fail-rate",
        "0.3",
    ]);
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.jsonl");
    let before = described(&server, AGENTS_INSTANCE_ID);
    let result = run(agents(dir.path(), &server, "set")
        .args(["--persistent-connection", "on", "--all"])
        .args(FAST)
        .args(["--yes", "--format", "json", "--report"])
        .arg(&report));
    assert_eq!(result.code, Some(0), "{result}");
    let after = described(&server, AGENTS_INSTANCE_ID);
    let rows = report_rows(&report);
    // One row per user, each a true account of what it was and is.
    assert_eq!(rows.len(), before.len(), "{result}");
    for row in rows {
        let login = row["user_login"].as_str().unwrap();
        let (was, is) = (&before[login], &after[login]);
        match row["outcome"].as_str().unwrap() {
            "changed" => assert!(!persistent(was) && persistent(is), "{row}"),
            "unchanged" => assert!(persistent(was) && persistent(is), "{row}"),
            "skipped" => {
                assert_eq!(
                    is.phone_config().unwrap().phone_type().as_str(),
                    "DESK_PHONE",
                    "{row}"
                );
                assert_eq!(persistent(was), persistent(is), "{row}");
            }
            other => panic!("{other}: {row}"),
        }
    }
    assert!(
        server.count("UpdateUserConfig", "500") > 0,
        "{}",
        server.stats()
    );
}

#[cfg(unix)]
#[test]
fn killed_mid_run_then_run_again_finishes_the_job() {
    // Two requests a second from the client: nine updates take a few
    // seconds, time to kill. (A server quota as well would only add the
    // backing off from its refusals to the wait.)
    let server = agents_server(&["--no-throttle"]);
    let dir = tempfile::tempdir().unwrap();
    let mut child = agents(dir.path(), &server, "set")
        .args(["--persistent-connection", "on", "--all", "--yes"])
        .args(["--rate", "2", "--burst", "1"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait for the first update, then kill at once.
    poll_until(|| server.count("UpdateUserConfig", "200") > 0);
    child.kill().unwrap();
    child.wait().unwrap();
    let done = server.count("UpdateUserConfig", "200");
    assert!((1..9).contains(&done), "killed mid-run: {done} updates");

    let again = run(agents(dir.path(), &server, "set")
        .args([
            "--persistent-connection",
            "on",
            "--all",
            "--yes",
            "--format",
            "json",
        ])
        .args(["--rate", "2", "--burst", "1"]));
    assert_eq!(again.code, Some(0), "{again}");
    assert_eq!(again.json()["summary"]["changed"], 9 - done, "{again}");
    let after = described(&server, AGENTS_INSTANCE_ID);
    for (login, user) in &after {
        let desk = user.phone_config().unwrap().phone_type().as_str() == "DESK_PHONE";
        assert_eq!(persistent(user), !desk, "{login}");
    }
}

#[cfg(unix)]
#[test]
fn sigterm_stops_sending_records_every_row_and_exits_130() {
    // Two requests a second from the client, as above.
    let server = agents_server(&["--no-throttle"]);
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.csv");
    let before = described(&server, AGENTS_INSTANCE_ID);
    let child = spawn(
        agents(dir.path(), &server, "set")
            .args(["--persistent-connection", "on", "--all", "--yes"])
            .args(["--rate", "2", "--burst", "1", "--report"])
            .arg(&report),
    );
    poll_until(|| server.count("UpdateUserConfig", "200") > 0);
    signal(&child, SIGTERM);
    let stopped = finish(child);
    assert_eq!(stopped.code, Some(130), "{stopped}");
    // Every user has its row, and each row says what the server holds.
    let after = described(&server, AGENTS_INSTANCE_ID);
    let text = std::fs::read_to_string(&report).unwrap();
    let rows = report_rows(&report);
    assert_eq!(rows.len(), before.len(), "{text}");
    let mut unsent = 0;
    for row in &rows {
        let (login, outcome) = (
            row["user_login"].as_str().unwrap(),
            row["outcome"].as_str().unwrap(),
        );
        let (was, is) = (&before[login], &after[login]);
        match outcome {
            "changed" => assert!(!persistent(was) && persistent(is), "{login}: {text}"),
            "not_submitted" => {
                unsent += 1;
                assert_eq!(persistent(was), persistent(is), "{login}: {text}");
            }
            "skipped" | "unchanged" => assert_eq!(persistent(was), persistent(is), "{login}"),
            other => panic!("{login}: {other}: {text}"),
        }
    }
    assert!(unsent > 0, "stopped before the end: {text}");
}

/// Someone else sets the audio enhancement of the second of two agents
/// while the first is being changed, a moment before the second's turn:
/// the read made right before that turn sees it, and it is not
/// overwritten. (A check refreshed every ten seconds missed it.)
#[test]
fn a_user_changed_by_someone_else_after_the_plan_is_not_overwritten() {
    let server = agents_server(&["--no-throttle"]);
    let dir = tempfile::tempdir().unwrap();
    let logins = ["sales.ava", "tier2.jo"];
    // Each operation gets a request every two seconds: the second agent's
    // turn comes two seconds after the first's.
    let mut cmd = agents(dir.path(), &server, "set");
    cmd.args(["--audio-enhancement", "isolate voice", "--format", "json"])
        .args(["--login", logins[0], "--login", logins[1]])
        .args([
            "--yes",
            "--rate",
            "0.5",
            "--burst",
            "1",
            "--concurrency",
            "1",
        ]);
    let child = spawn(&mut cmd);
    poll_until(|| server.count("UpdateUserConfig", "200") > 0);
    // Someone else sets the other agent's audio enhancement meanwhile.
    let users = described(&server, AGENTS_INSTANCE_ID);
    let (first, second) = if voice_enhancement(&users[logins[0]]) == "VOICE_ISOLATION" {
        (logins[0], logins[1])
    } else {
        (logins[1], logins[0])
    };
    let client = server.client();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        client
            .update_user_config()
            .instance_id(AGENTS_INSTANCE_ID)
            .user_id(users[second].id().unwrap())
            .voice_enhancement_configs(
                aws_sdk_connect::types::VoiceEnhancementConfig::builder()
                    .channel(aws_sdk_connect::types::Channel::Voice)
                    .voice_enhancement_mode(
                        aws_sdk_connect::types::VoiceEnhancementMode::NoiseSuppression,
                    )
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap();
    });
    let result = finish(child);
    assert_eq!(result.code, Some(3), "{result}");
    let outcomes = result.json()["outcomes"].clone();
    let row = |login: &str| {
        outcomes
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["user_login"] == login)
            .unwrap()
            .clone()
    };
    assert_eq!(row(second)["outcome"], "failed", "{result}");
    assert_eq!(row(second)["error_type"], "ChangedMeanwhile", "{result}");
    assert_eq!(row(first)["outcome"], "changed", "{result}");
    let after = described(&server, AGENTS_INSTANCE_ID);
    assert_eq!(
        voice_enhancement(&after[second]),
        "NOISE_SUPPRESSION",
        "not overwritten"
    );
    assert_eq!(voice_enhancement(&after[first]), "VOICE_ISOLATION");
    // The run's one write and the other person's.
    assert_eq!(server.count("UpdateUserConfig", "200"), 2);
}

#[test]
fn calls_grow_with_what_is_selected() {
    let server = agents_server(&["--no-throttle"]);
    let dir = tempfile::tempdir().unwrap();
    let result = run(agents(dir.path(), &server, "list")
        .args(["--routing-profile", "Sales Inbound"])
        .args(FAST));
    assert_eq!(result.code, Some(0), "{result}");
    // One search for the profile's six users, whole; the instance's other
    // users are never read, and nobody is described.
    assert_eq!(server.count("SearchUsers", "200"), 1, "{}", server.stats());
    assert_eq!(server.count("DescribeUser", "200"), 0, "{}", server.stats());
    assert_eq!(server.count("ListUsers", "200"), 0, "{}", server.stats());
    assert!(
        result.stderr.contains("from SearchUsers pages") && result.stderr.contains("--consistent"),
        "{result}"
    );

    // --consistent: the same table, each of the six read with DescribeUser.
    let consistent = run(agents(dir.path(), &server, "list")
        .args(["--routing-profile", "Sales Inbound", "--consistent"])
        .args(FAST));
    assert_eq!(consistent.code, Some(0), "{consistent}");
    assert_eq!(consistent.stdout, result.stdout);
    assert_eq!(server.count("SearchUsers", "200"), 2, "{}", server.stats());
    assert_eq!(server.count("DescribeUser", "200"), 6, "{}", server.stats());
    assert!(
        consistent
            .stderr
            .contains("each of the 6 agents with DescribeUser"),
        "{consistent}"
    );
}
