//! `agents set` when the instance changes under it: a search that lags
//! (`local serve --search-lag-ms`), someone else's change just before an
//! agent's turn, two runs at once, and reads that fail. The real binary
//! through the SDK against `local serve`; every outcome is checked against
//! the server.
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;

use aws_sdk_connect::types::{Channel, PersistentConnectionConfig, PhoneNumberConfig, PhoneType};

use crate::support;
use support::agents::{agents, agents_server, described, persistent, AGENTS_INSTANCE_ID};
use support::apply::{report_rows, run, Run};
use support::local_server::LocalServer;

const FAST: [&str; 4] = ["--rate", "1000", "--burst", "100"];

/// Someone else's changes through the SDK, as the admin website makes them.
struct Someone {
    client: aws_sdk_connect::Client,
    runtime: tokio::runtime::Runtime,
    ids: BTreeMap<String, String>,
}

impl Someone {
    fn on(server: &LocalServer) -> Someone {
        let (client, runtime) = support::apply::patient_client(server);
        let ids = described(server, AGENTS_INSTANCE_ID)
            .into_iter()
            .map(|(login, user)| (login, user.id().unwrap().to_string()))
            .collect();
        Someone {
            client,
            runtime,
            ids,
        }
    }

    fn persistent(&self, login: &str, on: bool) {
        self.runtime.block_on(async {
            self.client
                .update_user_config()
                .instance_id(AGENTS_INSTANCE_ID)
                .user_id(&self.ids[login])
                .persistent_connection_configs(
                    PersistentConnectionConfig::builder()
                        .channel(Channel::Voice)
                        .persistent_connection(on)
                        .build()
                        .unwrap(),
                )
                .send()
                .await
                .unwrap();
        });
    }

    fn desk_phone(&self, login: &str) {
        self.runtime.block_on(async {
            self.client
                .update_user_config()
                .instance_id(AGENTS_INSTANCE_ID)
                .user_id(&self.ids[login])
                .phone_number_configs(
                    PhoneNumberConfig::builder()
                        .channel(Channel::Voice)
                        .phone_type(PhoneType::DeskPhone)
                        .phone_number("+12065550199")
                        .build()
                        .unwrap(),
                )
                .send()
                .await
                .unwrap();
        });
    }

    fn routing_profile(&self, login: &str, name: &str) {
        self.runtime.block_on(async {
            let profiles = self
                .client
                .list_routing_profiles()
                .instance_id(AGENTS_INSTANCE_ID)
                .send()
                .await
                .unwrap();
            let id = profiles
                .routing_profile_summary_list()
                .iter()
                .find(|p| p.name() == Some(name))
                .and_then(|p| p.id())
                .unwrap()
                .to_string();
            self.client
                .update_user_routing_profile()
                .instance_id(AGENTS_INSTANCE_ID)
                .user_id(&self.ids[login])
                .routing_profile_id(id)
                .send()
                .await
                .unwrap();
        });
    }
}

fn is_desk(user: &aws_sdk_connect::types::User) -> bool {
    user.phone_number_configs()
        .iter()
        .find(|c| c.channel().as_str() == "VOICE")
        .map(|c| c.phone_type().as_str().to_string())
        .or_else(|| {
            user.phone_config()
                .map(|p| p.phone_type().as_str().to_string())
        })
        .as_deref()
        == Some("DESK_PHONE")
}

/// The report's rows by login.
fn outcomes(report: &Path) -> BTreeMap<String, serde_json::Value> {
    report_rows(report)
        .into_iter()
        .map(|row| (row["user_login"].as_str().unwrap().to_string(), row))
        .collect()
}

/// Changes made to the Sales Inbound agents moments before `agents set
/// --persistent-connection on --routing-profile "Sales Inbound"`: on a
/// lagging search the plan does not see them; the read before each
/// agent's turn does, and each outcome is what the server holds.
fn changed_just_before(lag: bool) {
    let mut args = vec!["--no-throttle"];
    if lag {
        args.extend(["--search-lag-ms", "600000"]);
    }
    let server = agents_server(&args);
    let dir = tempfile::tempdir().unwrap();
    let someone = Someone::on(&server);
    someone.persistent("sales.ava", true); // was off
    someone.persistent("sales.eli", false); // was on
    someone.desk_phone("sales.ben"); // was a softphone, off
    someone.routing_profile("sales.cora", "Support Tier 1"); // left Sales
    let before = described(&server, AGENTS_INSTANCE_ID);
    let writes_before = server.count("UpdateUserConfig", "200");
    let report = dir.path().join("report.jsonl");
    let result = run(agents(dir.path(), &server, "set")
        .args(["--persistent-connection", "on"])
        .args(["--routing-profile", "Sales Inbound"])
        .args(FAST)
        .args(["--yes", "--format", "json", "--report"])
        .arg(&report));
    let after = described(&server, AGENTS_INSTANCE_ID);
    let rows = outcomes(&report);
    let outcome = |login: &str| rows[login]["outcome"].as_str().unwrap().to_string();
    // Already on: unchanged, never called changed, nothing sent.
    assert_eq!(outcome("sales.ava"), "unchanged", "{result}");
    assert!(persistent(&after["sales.ava"]));
    // A desk phone now: skipped, left off.
    assert_eq!(outcome("sales.ben"), "skipped", "{result}");
    assert!(rows["sales.ben"]["reason"]
        .as_str()
        .unwrap()
        .contains("desk phone"));
    assert!(is_desk(&after["sales.ben"]) && !persistent(&after["sales.ben"]));
    // Untouched and off: changed.
    assert_eq!(outcome("sales.dev"), "changed", "{result}");
    assert!(persistent(&after["sales.dev"]));
    assert_eq!(outcome("sales.desk"), "skipped", "{result}");
    if lag {
        // The search still shows eli on and cora in Sales. Eli, turned off
        // after what the plan saw, is not called unchanged and not
        // overwritten; cora is no longer selected and left alone.
        assert_eq!(outcome("sales.eli"), "failed", "{result}");
        assert_eq!(rows["sales.eli"]["error_type"], "ChangedMeanwhile");
        assert!(!persistent(&after["sales.eli"]));
        assert_eq!(outcome("sales.cora"), "skipped", "{result}");
        assert!(rows["sales.cora"]["reason"]
            .as_str()
            .unwrap()
            .contains("no longer selected"));
        assert_eq!(
            persistent(&after["sales.cora"]),
            persistent(&before["sales.cora"])
        );
        assert_eq!(result.code, Some(3), "{result}");
    } else {
        // The plan saw what is there: eli is changed, cora not selected.
        assert_eq!(outcome("sales.eli"), "changed", "{result}");
        assert!(persistent(&after["sales.eli"]));
        assert!(!rows.contains_key("sales.cora"), "{result}");
        assert_eq!(result.code, Some(0), "{result}");
    }
    // Every write was an outcome called changed, and nothing else changed.
    let changed = rows.values().filter(|r| r["outcome"] == "changed").count() as u64;
    assert_eq!(
        server.count("UpdateUserConfig", "200") - writes_before,
        changed
    );
    for (login, user) in &after {
        if rows.get(login).is_none_or(|r| r["outcome"] != "changed") {
            assert_eq!(persistent(user), persistent(&before[login]), "{login}");
        }
    }
}

#[test]
fn a_lagging_search_never_decides_an_outcome() {
    changed_just_before(true);
}

#[test]
fn without_lag_the_same_changes_are_planned_as_they_are() {
    changed_just_before(false);
}

/// `agents list` says what it can vouch for: from a lagging search it
/// shows a change made moments before as it was; `--consistent` shows it.
#[test]
fn a_listing_may_lag_and_says_so_and_consistent_does_not() {
    let server = agents_server(&["--no-throttle", "--search-lag-ms", "600000"]);
    let dir = tempfile::tempdir().unwrap();
    Someone::on(&server).persistent("sales.ava", true);
    let list = |extra: &[&str]| {
        run(agents(dir.path(), &server, "list")
            .args(["--login", "sales.ava", "--login", "sales.ben"])
            .args(extra)
            .args(FAST)
            .args(["--format", "json"]))
    };
    let lagging = list(&[]);
    assert_eq!(lagging.code, Some(0), "{lagging}");
    assert_eq!(lagging.json()["counts"]["persistent_connection_on"], 0);
    assert!(lagging.stderr.contains("can lag"), "{lagging}");
    let consistent = list(&["--consistent"]);
    assert_eq!(consistent.code, Some(0), "{consistent}");
    assert_eq!(consistent.json()["counts"]["persistent_connection_on"], 1);
    assert!(
        consistent
            .stderr
            .contains("each of the 2 agents with DescribeUser"),
        "{consistent}"
    );
}

/// An agent switched to a desk phone after the plan read it, a moment
/// before its turn, is skipped — not given persistent connection and
/// called changed.
#[test]
fn a_user_switched_to_a_desk_phone_before_its_turn_is_skipped() {
    let server = agents_server(&["--no-throttle"]);
    let dir = tempfile::tempdir().unwrap();
    let someone = Someone::on(&server);
    let report = dir.path().join("report.jsonl");
    // A request of each operation every two seconds: the agent's turn
    // comes two seconds after the plan read it.
    let mut child = agents(dir.path(), &server, "set")
        .args(["--persistent-connection", "on", "--login", "sales.ava"])
        .args(["--yes", "--rate", "0.5", "--burst", "1", "--report"])
        .arg(&report)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The review is printed once the plan is read.
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut review = String::new();
    while !review.contains("to change,") {
        let mut line = String::new();
        if stdout.read_line(&mut line).unwrap() == 0 {
            break;
        }
        review.push_str(&line);
    }
    assert!(review.contains("1 to change"), "{review}");
    someone.desk_phone("sales.ava");
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    let rows = outcomes(&report);
    assert_eq!(rows["sales.ava"]["outcome"], "skipped", "{:?}", rows);
    let after = described(&server, AGENTS_INSTANCE_ID);
    assert!(is_desk(&after["sales.ava"]));
    assert!(!persistent(&after["sales.ava"]), "not changed");
    assert_eq!(
        server.count("UpdateUserConfig", "200"),
        1,
        "only the switch"
    );
}

/// An instance of `n` softphone agents with persistent connection off.
fn many_agents(dir: &Path, n: usize) -> std::path::PathBuf {
    let mut text = format!(
        "id = \"{AGENTS_INSTANCE_ID}\"\nidentity = \"CONNECT_MANAGED\"\n\
         routing_profiles = [\"Basic Routing Profile\"]\nsecurity_profiles = [\"Agent\"]\n"
    );
    for i in 0..n {
        text.push_str(&format!(
            "\n[[users]]\nusername = \"agent.{i:03}\"\nfirst_name = \"Agent\"\nlast_name = \"N{i}\"\n\
             routing_profile = \"Basic Routing Profile\"\nsecurity_profiles = [\"Agent\"]\n\
             persistent_connection = false\n"
        ));
    }
    let path = dir.join("many.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// Two `agents set` runs started together on the same agents change each
/// agent once between them: a run that comes to an agent the other has
/// changed reads it first and says `unchanged`. The only case left is two
/// reads and writes of the same agent within one round trip of each other,
/// which no read can tell apart (both then say `changed`); taking the
/// agents in a random order makes that rare — at most one such agent is
/// allowed here.
#[test]
fn two_runs_at_once_change_each_agent_once() {
    // Whether the runs overlapped depends on how fast each process starts
    // on a loaded machine: every attempt is checked in full, and one of
    // three must have raced (else the test proved nothing).
    for _ in 0..3 {
        if two_runs_at_once_attempt() {
            return;
        }
    }
    panic!("in three attempts the two runs never overlapped");
}

/// One attempt of [`two_runs_at_once_change_each_agent_once`]: whether the
/// runs raced (each changed some agents and found others done).
fn two_runs_at_once_attempt() -> bool {
    const AGENTS: usize = 40;
    let dir = tempfile::tempdir().unwrap();
    let seed = many_agents(dir.path(), AGENTS);
    let server = LocalServer::builder()
        .seed(&seed)
        .args(["--rate", "5", "--burst", "5"])
        .start();
    let reports = [dir.path().join("a.jsonl"), dir.path().join("b.jsonl")];
    let children: Vec<std::process::Child> = reports
        .iter()
        .map(|report| {
            agents(dir.path(), &server, "set")
                .args(["--persistent-connection", "on", "--all", "--yes"])
                .args(["--rate", "5", "--burst", "5", "--report"])
                .arg(report)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let done = Run::of(child.wait_with_output().unwrap());
        assert_eq!(done.code, Some(0), "{done}");
    }
    let after = described(&server, AGENTS_INSTANCE_ID);
    assert_eq!(after.len(), AGENTS);
    assert!(after.values().all(persistent), "every agent is on");
    let runs: Vec<BTreeMap<String, serde_json::Value>> =
        reports.iter().map(|r| outcomes(r)).collect();
    let mut changed_twice = 0;
    for login in after.keys() {
        let said: Vec<&str> = runs
            .iter()
            .map(|rows| rows[login]["outcome"].as_str().unwrap())
            .collect();
        assert!(
            said.iter().all(|o| *o == "changed" || *o == "unchanged"),
            "{login}: {said:?}"
        );
        let changed = said.iter().filter(|o| **o == "changed").count();
        assert!(changed >= 1, "{login}: someone changed it: {said:?}");
        changed_twice += changed - 1;
    }
    assert!(
        changed_twice <= 1,
        "{changed_twice} agents called changed by both runs"
    );
    // Every write is one outcome called changed.
    assert_eq!(
        server.count("UpdateUserConfig", "200"),
        (AGENTS + changed_twice) as u64
    );
    // The runs did race: each changed some agents and found others done.
    runs.iter().all(|rows| {
        let said = |o: &str| rows.values().filter(|r| r["outcome"] == o).count();
        said("changed") > 0 && said("unchanged") > 0
    })
}

/// With every read allowed one attempt against a server failing half of
/// them, a run either stops before writing anything — saying which read
/// failed — or ends with every agent's outcome true, an agent whose read
/// failed saying so and that nothing was written to it.
#[test]
fn a_failed_read_says_which_and_that_nothing_was_written() {
    let mut stopped = 0;
    let mut ran = 0;
    for seed in 1..=8 {
        let seed = seed.to_string();
        let server = agents_server(&["--no-throttle", "--fail-rate", "0.1", "--fault-seed", &seed]);
        let dir = tempfile::tempdir().unwrap();
        let before = described(&server, AGENTS_INSTANCE_ID);
        let report = dir.path().join("report.jsonl");
        let result = run(agents(dir.path(), &server, "set")
            .args(["--persistent-connection", "on", "--all", "--yes"])
            .args(FAST)
            .args(["--max-attempts", "1", "--concurrency", "1", "--report"])
            .arg(&report));
        let after = described(&server, AGENTS_INSTANCE_ID);
        if result.code == Some(2) {
            stopped += 1;
            assert!(
                result.stderr.contains("nothing was written")
                    && result.stderr.contains("InternalServiceException"),
                "seed {seed}: {result}"
            );
            assert!(
                !result.stderr.starts_with("error: InternalServiceException"),
                "seed {seed}: which read failed? {result}"
            );
            assert_eq!(server.count("UpdateUserConfig", "200"), 0, "{result}");
            continue;
        }
        ran += 1;
        let rows = outcomes(&report);
        assert_eq!(rows.len(), before.len(), "seed {seed}: {result}");
        for (login, row) in &rows {
            let (was, is) = (&before[login], &after[login]);
            match row["outcome"].as_str().unwrap() {
                "changed" => assert!(!persistent(was) && persistent(is), "{row}"),
                "unchanged" => assert!(persistent(is), "{row}"),
                "skipped" => assert!(is_desk(is) && !persistent(is), "{row}"),
                "not_submitted" => {
                    assert_eq!(persistent(was), persistent(is), "{row}");
                    let reason = row["reason"].as_str().unwrap();
                    assert!(
                        reason.contains("DescribeUser") && reason.contains("nothing was written"),
                        "{row}"
                    );
                }
                // A write that failed and was read back unchanged.
                "failed" => assert_eq!(persistent(was), persistent(is), "{row}"),
                // A write and the read that would settle it both failed.
                "unknown" => {}
                other => panic!("seed {seed}: {other}: {row}"),
            }
        }
    }
    assert!(stopped > 0 && ran > 0, "stopped {stopped}, ran {ran}");
}

/// A user created moments before is not in the lagging search yet, but a
/// run that names its login finds it (ListUsers has it) and reads it.
#[test]
fn a_login_created_moments_before_is_found() {
    let server = agents_server(&["--no-throttle", "--search-lag-ms", "600000"]);
    let dir = tempfile::tempdir().unwrap();
    let users = described(&server, AGENTS_INSTANCE_ID);
    let model = &users["sales.ava"];
    let (client, runtime) = support::apply::patient_client(&server);
    runtime.block_on(async {
        client
            .create_user()
            .instance_id(AGENTS_INSTANCE_ID)
            .username("new.hire")
            .password("Str0ngPassw0rd")
            .identity_info(
                aws_sdk_connect::types::UserIdentityInfo::builder()
                    .first_name("New")
                    .last_name("Hire")
                    .build(),
            )
            .routing_profile_id(model.routing_profile_id().unwrap())
            .set_security_profile_ids(Some(model.security_profile_ids().to_vec()))
            .send()
            .await
            .unwrap();
    });
    let result = run(agents(dir.path(), &server, "set")
        .args(["--persistent-connection", "on"])
        .args(["--login", "new.hire", "--login", "sales.ava"])
        .args(FAST)
        .args(["--yes", "--format", "json"]));
    assert_eq!(result.code, Some(0), "{result}");
    assert_eq!(result.json()["summary"]["changed"], 2, "{result}");
    let after = described(&server, AGENTS_INSTANCE_ID);
    assert!(persistent(&after["new.hire"]) && persistent(&after["sales.ava"]));
}
