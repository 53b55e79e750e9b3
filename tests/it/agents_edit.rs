//! `agents edit FILE` end to end: an export edited and applied, read back
//! user by user through the SDK; a second export gives the edited file; what
//! stops a run before any write. The real binary against `local serve`.
use std::collections::BTreeMap;
use std::path::Path;

use crate::support;
use support::apply::{report_rows, run};
use support::edit::{agents, differences, seed, server, views, View, TEAMS};

const FAST: [&str; 4] = ["--rate", "1000", "--burst", "100"];

/// The update operations; none may be called by a run that stops.
const UPDATES: [&str; 7] = [
    "UpdateUserRoutingProfile",
    "UpdateUserSecurityProfiles",
    "UpdateUserHierarchy",
    "UpdateUserIdentityInfo",
    "UpdateUserConfig",
    "TagResource",
    "UntagResource",
];

fn updates(server: &support::local_server::LocalServer) -> u64 {
    UPDATES.iter().map(|op| server.count(op, "200")).sum()
}

/// A CSV file's header and rows (byte-order mark dropped).
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut records = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect::<Vec<_>>());
    let header = records.next().unwrap();
    (header, records.collect())
}

/// Writes rows under a header as an export does: byte-order mark, CRLF,
/// quoted only where CSV needs it.
fn write_csv(path: &Path, header: &[String], rows: &[Vec<String>]) {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::from("\u{feff}".as_bytes()));
    writer.write_record(header).unwrap();
    for row in rows {
        writer.write_record(row).unwrap();
    }
    std::fs::write(path, writer.into_inner().unwrap()).unwrap();
}

fn column(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("{name} in {header:?}"))
}

/// Edits the first `n` rows as a spreadsheet user would: another routing
/// profile, security profiles, team (none for every fifth) and tags.
fn edit_rows(header: &[String], rows: &mut [Vec<String>], n: usize) {
    let (rp, sp, h, tags) = (
        column(header, "routing profile name"),
        column(header, "security_profile_name_1|security_profile_name_2"),
        column(header, "user_hierarchy_1|user_hierarchy_2"),
        column(header, "tags"),
    );
    for (i, row) in rows.iter_mut().take(n).enumerate() {
        row[rp] = ["Support Tier 2", "Sales Inbound", "Support Tier 1"][i % 3].to_string();
        row[sp] = if row[sp] == "Agent" {
            "Agent|CallCenterManager".to_string()
        } else {
            "QualityAnalyst".to_string()
        };
        row[h] = if i % 5 == 4 {
            String::new()
        } else {
            TEAMS[(i + 1) % 3].to_string()
        };
        row[tags] = match i % 3 {
            0 => format!("site|s{i}||team|edited"),
            1 => "team|t1".to_string(),
            _ => String::new(),
        };
    }
}

/// The fields each edited row asks for, as the SDK reads them back.
fn expected(header: &[String], row: &[String], mut view: View) -> View {
    let cell = |name: &str| row[column(header, name)].clone();
    view.insert("routing profile", cell("routing profile name"));
    let mut profiles: Vec<String> = cell("security_profile_name_1|security_profile_name_2")
        .split('|')
        .map(str::to_string)
        .collect();
    profiles.sort();
    view.insert("security profiles", profiles.join("|"));
    view.insert("hierarchy", cell("user_hierarchy_1|user_hierarchy_2"));
    let tags = cell("tags");
    let tags: BTreeMap<&str, &str> = tags
        .split("||")
        .filter(|t| !t.is_empty())
        .map(|t| t.split_once('|').unwrap())
        .collect();
    let tags: Vec<String> = tags.iter().map(|(k, v)| format!("{k}={v}")).collect();
    view.insert("tags", tags.join(","));
    view
}

#[test]
fn an_edited_export_applied_then_exported_again_gives_the_edited_file() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let server = server(&seed(dir, 60), &["--no-throttle"]);
    let exported = run(agents(dir, &server, &["export", "-o", "agents.csv"]).args(FAST));
    assert_eq!(exported.code, Some(0), "{exported}");
    let (header, mut rows) = read_csv(&dir.join("agents.csv"));
    edit_rows(&header, &mut rows, 50);
    let edited = dir.join("edited.csv");
    write_csv(&edited, &header, &rows);
    let before = views(&server);

    let report = dir.join("report.jsonl");
    let applied = run(agents(dir, &server, &["edit"])
        .arg(&edited)
        .args(FAST)
        .args(["--yes", "--format", "json", "--report"])
        .arg(&report));
    assert_eq!(applied.code, Some(0), "{applied}");
    let summary = &applied.json()["summary"];
    assert_eq!(
        (&summary["changed"], &summary["unchanged"]),
        (&50.into(), &10.into()),
        "{applied}"
    );

    // Every user read back: the edited ones hold what their row says, and
    // nothing else of them changed; the others are as they were.
    let after = views(&server);
    let login_at = column(&header, "user login");
    for (i, row) in rows.iter().enumerate() {
        let login = &row[login_at];
        let want = if i < 50 {
            expected(&header, row, before[login].clone())
        } else {
            before[login].clone()
        };
        assert_eq!(
            after[login],
            want,
            "{login}: {:?}",
            differences(&want, &after[login])
        );
    }
    // Each row's outcome, by its line.
    for row in report_rows(&report) {
        let line = row["line"].as_u64().unwrap() as usize;
        let edited = line - 2 < 50;
        assert_eq!(
            row["outcome"],
            if edited { "changed" } else { "unchanged" },
            "{row}"
        );
    }

    // Export again: the edited file, byte for byte.
    let again = run(agents(dir, &server, &["export", "-o", "again.csv"]).args(FAST));
    assert_eq!(again.code, Some(0), "{again}");
    assert_eq!(
        std::fs::read_to_string(dir.join("again.csv")).unwrap(),
        std::fs::read_to_string(&edited).unwrap()
    );

    // And the file again: nothing left to do, nothing sent.
    let writes = updates(&server);
    let rerun = run(agents(dir, &server, &["edit"])
        .arg(&edited)
        .args(FAST)
        .args(["--yes", "--format", "json"]));
    assert_eq!(rerun.code, Some(0), "{rerun}");
    assert_eq!(rerun.json()["summary"]["unchanged"], 60, "{rerun}");
    assert_eq!(updates(&server), writes);
}

#[test]
fn the_review_shows_each_change_and_a_dry_run_sends_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let server = server(&seed(dir, 6), &["--no-throttle"]);
    std::fs::write(
        dir.join("edit.csv"),
        "user login,routing profile name,mobile,tags\n\
         agent.000,Support Tier 1,+12065550199,team|t0||cost|c0\n\
         agent.001,Support Tier 1,,team|t1||cost|c1\n",
    )
    .unwrap();
    let table = run(agents(dir, &server, &["edit", "edit.csv", "--dry-run"]).args(FAST));
    assert_eq!(table.code, Some(0), "{table}");
    assert!(
        table.stdout.contains(
            "routing profile: Sales Inbound → Support Tier 1; mobile: (none) → +12065550199"
        ),
        "{table}"
    );
    // agent.001 is in Support Tier 1 already, without a mobile.
    assert!(table.stdout.contains("1 to change, 1 unchanged"), "{table}");
    assert!(table.stderr.contains("nothing was written"), "{table}");
    let json = run(agents(
        dir,
        &server,
        &["edit", "edit.csv", "--dry-run", "--format", "json"],
    )
    .args(FAST));
    let planned = &json.json()["planned_changes"];
    assert_eq!(planned[0]["line"], 2, "{json}");
    assert_eq!(
        planned[0]["fields"][1],
        serde_json::json!({"field": "mobile", "before": "(none)", "after": "+12065550199"})
    );
    assert_eq!(updates(&server), 0);
}

#[test]
fn a_login_the_instance_lacks_or_a_row_with_errors_stops_the_run_before_any_write() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let server = server(&seed(dir, 6), &["--no-throttle"]);
    std::fs::write(
        dir.join("new.csv"),
        "user login,routing profile name\nagent.000,Support Tier 1\nagent.0001,Support Tier 1\n",
    )
    .unwrap();
    let missing = run(agents(dir, &server, &["edit", "new.csv", "--yes"]).args(FAST));
    assert_eq!(missing.code, Some(2), "{missing}");
    assert!(
        missing
            .stderr
            .contains("new.csv:3: user login \"agent.0001\": no user has this login")
            && missing.stderr.contains("`import apply` creates new ones")
            && missing.stderr.contains("Nothing was changed"),
        "{missing}"
    );
    std::fs::write(
        dir.join("bad.csv"),
        "user login,routing profile name,ACW timeout (seconds),security_profile_name_1|security_profile_name_2\n\
         agent.000,Support Tier 1,30,Agent\n\
         agent.001,Support Tier 1,soon,Agent\n\
         agent.002,Support Tier 9,30,Agent\n",
    )
    .unwrap();
    let bad = run(agents(dir, &server, &["edit", "bad.csv", "--yes"]).args(FAST));
    assert_eq!(bad.code, Some(1), "{bad}");
    assert!(bad.stdout.contains("soon"), "{bad}");
    assert!(bad.stderr.contains("nothing was changed"), "{bad}");
    // The names are checked once the cells are: a second run shows them.
    std::fs::write(
        dir.join("bad.csv"),
        "user login,routing profile name\nagent.000,Support Tier 1\nagent.002,Support Tier 9\n",
    )
    .unwrap();
    let unknown = run(agents(dir, &server, &["edit", "bad.csv", "--yes"]).args(FAST));
    assert_eq!(unknown.code, Some(1), "{unknown}");
    assert!(unknown.stdout.contains("did you mean"), "{unknown}");
    assert_eq!(updates(&server), 0);
}

#[test]
fn a_file_of_some_columns_changes_those_fields_only() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let server = server(&seed(dir, 8), &["--no-throttle"]);
    let before = views(&server);
    std::fs::write(
        dir.join("moves.csv"),
        "user login,ACW timeout (seconds),phone type (soft/desk),phone number\n\
         agent.002,60,desk,+12065550111\n\
         agent.003,60,soft,\n",
    )
    .unwrap();
    let result = run(agents(
        dir,
        &server,
        &["edit", "moves.csv", "--yes", "--format", "json"],
    )
    .args(FAST));
    assert_eq!(result.code, Some(0), "{result}");
    let after = views(&server);
    for (login, was) in &before {
        let mut want = was.clone();
        if login == "agent.002" || login == "agent.003" {
            for acw in ["ACW VOICE", "ACW CHAT", "ACW TASK", "ACW EMAIL"] {
                want.insert(acw, "60".into());
            }
        }
        if login == "agent.002" {
            want.insert("phone", "DESK_PHONE +12065550111".into());
        }
        if login == "agent.003" {
            want.insert("phone", "SOFT_PHONE".into());
        }
        assert_eq!(
            after[login],
            want,
            "{login}: {:?}",
            differences(&want, &after[login])
        );
    }
    // One UpdateUserConfig a user, nothing else.
    assert_eq!(server.count("UpdateUserConfig", "200"), 2);
    assert_eq!(updates(&server), 2);
}

/// Cost grows with the file, not with the instance: three rows of a
/// file on an instance of 300 agents take a few pages and lists, one
/// DescribeUser per row (the read right before its turn) and the updates.
#[test]
fn calls_grow_with_the_file_not_with_the_instance() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let server = server(&seed(dir, 300), &["--no-throttle"]);
    let file = dir.join("three.csv");
    std::fs::write(
        &file,
        "user login,routing profile name\n\
         agent.000,Support Tier 2\nagent.001,Support Tier 2\nagent.002,Support Tier 2\n",
    )
    .unwrap();
    let out = run(agents(dir, &server, &["edit"])
        .arg(&file)
        .args(FAST)
        .arg("--yes"));
    assert_eq!(out.code, Some(0), "{out}");
    let stats = server.stats();
    let calls = |op: &str| -> u64 {
        stats["operations"][op]
            .as_object()
            .map(|by| by.values().filter_map(|n| n.as_u64()).sum())
            .unwrap_or(0)
    };
    // agent.002 is in Support Tier 2 already (ROUTING[2 % 3]).
    assert_eq!(
        server.count("UpdateUserRoutingProfile", "200"),
        2,
        "{stats}"
    );
    assert_eq!(calls("DescribeUser"), 3, "{stats}");
    let total = stats["requests"].as_u64().unwrap();
    assert!(
        total <= 15,
        "{total} requests for a file of 3 rows: {stats}"
    );
    // A column the search does not carry (e-mail) is read for the plan
    // too: one more DescribeUser per row, still none for the other 297.
    std::fs::write(
        &file,
        "user login,email address
agent.000,zero@example.com
agent.001,agent.001@example.com
",
    )
    .unwrap();
    let before = calls("DescribeUser");
    let out = run(agents(dir, &server, &["edit"])
        .arg(&file)
        .args(FAST)
        .arg("--yes"));
    assert_eq!(out.code, Some(0), "{out}");
    let stats = server.stats();
    let described = stats["operations"]["DescribeUser"]["200"].as_u64().unwrap() - before;
    assert_eq!(described, 4, "{stats}");
    assert_eq!(server.count("UpdateUserIdentityInfo", "200"), 1, "{stats}");
}
