//! Every setting of `agents set`, on a selection: it changes exactly the
//! selected agents, and of them exactly the field asked for — every user
//! of the instance is read back through the SDK before and after, field by
//! field. The real binary against `local serve` on loopback.
use std::collections::BTreeMap;

use crate::support;
use support::apply::{report_rows, run};
use support::edit::{agents, differences, seed, server, views, View};

const FAST: [&str; 4] = ["--rate", "1000", "--burst", "100"];

/// A setting's flags, and what it makes of a selected agent's view.
struct Case {
    flags: &'static [&'static str],
    expect: fn(&mut View),
}

fn set(view: &mut View, field: &'static str, value: &str) {
    view.insert(field, value.to_string());
}

fn profiles(view: &mut View, change: impl FnOnce(&mut Vec<String>)) {
    let mut list: Vec<String> = view["security profiles"]
        .split('|')
        .map(str::to_string)
        .collect();
    change(&mut list);
    list.sort();
    list.dedup();
    set(view, "security profiles", &list.join("|"));
}

fn tags(view: &mut View, change: impl FnOnce(&mut BTreeMap<String, String>)) {
    let mut map: BTreeMap<String, String> = view["tags"]
        .split(',')
        .filter(|t| !t.is_empty())
        .map(|t| {
            let (k, v) = t.split_once('=').unwrap();
            (k.to_string(), v.to_string())
        })
        .collect();
    change(&mut map);
    let text: Vec<String> = map.iter().map(|(k, v)| format!("{k}={v}")).collect();
    set(view, "tags", &text.join(","));
}

fn desk(view: &View) -> bool {
    view["phone"].starts_with("DESK_PHONE")
}

const CASES: &[Case] = &[
    Case {
        flags: &["--set-routing-profile", "Support Tier 2"],
        expect: |v| set(v, "routing profile", "Support Tier 2"),
    },
    Case {
        flags: &["--set-security-profiles", "Admin|QualityAnalyst"],
        expect: |v| set(v, "security profiles", "Admin|QualityAnalyst"),
    },
    Case {
        flags: &["--add-security-profile", "CallCenterManager"],
        expect: |v| profiles(v, |p| p.push("CallCenterManager".into())),
    },
    Case {
        flags: &["--remove-security-profile", "QualityAnalyst"],
        expect: |v| profiles(v, |p| p.retain(|n| n != "QualityAnalyst")),
    },
    Case {
        flags: &["--set-hierarchy", "Japan|Tokyo|Team Fuji"],
        expect: |v| set(v, "hierarchy", "Japan|Tokyo|Team Fuji"),
    },
    Case {
        flags: &["--clear-hierarchy"],
        expect: |v| set(v, "hierarchy", ""),
    },
    Case {
        flags: &["--set-phone-type", "soft"],
        expect: |v| set(v, "phone", "SOFT_PHONE"),
    },
    Case {
        flags: &[
            "--set-auto-accept",
            "chat=on",
            "--set-auto-accept",
            "voice=off",
        ],
        expect: |v| {
            set(v, "auto-accept CHAT", "true");
            set(v, "auto-accept VOICE", "false");
        },
    },
    Case {
        flags: &["--set-acw", "all=90"],
        expect: |v| {
            for channel in ["ACW VOICE", "ACW CHAT", "ACW TASK", "ACW EMAIL"] {
                set(v, channel, "90");
            }
        },
    },
    Case {
        flags: &["--set-acw", "email=0"],
        expect: |v| set(v, "ACW EMAIL", "0"),
    },
    Case {
        flags: &["--set-tag", "site=sea", "--set-tag", "team=moved"],
        expect: |v| {
            tags(v, |t| {
                t.insert("site".into(), "sea".into());
                t.insert("team".into(), "moved".into());
            })
        },
    },
    Case {
        flags: &["--remove-tag", "cost"],
        expect: |v| tags(v, |t| drop(t.remove("cost"))),
    },
    Case {
        flags: &["--persistent-connection", "on"],
        expect: |v| {
            if !desk(v) {
                set(v, "persistent connection", "true")
            }
        },
    },
    Case {
        flags: &["--set-audio-enhancement", "suppress noise"],
        expect: |v| {
            if !desk(v) {
                set(v, "audio enhancement", "NOISE_SUPPRESSION")
            }
        },
    },
    Case {
        flags: &[
            "--set-routing-profile",
            "Support Tier 1",
            "--add-security-profile",
            "Admin",
            "--set-hierarchy",
            "North America|Seattle|Team Orca",
            "--set-acw",
            "chat=120",
            "--set-tag",
            "site=sea",
            "--remove-tag",
            "team",
        ],
        expect: |v| {
            set(v, "routing profile", "Support Tier 1");
            profiles(v, |p| p.push("Admin".into()));
            set(v, "hierarchy", "North America|Seattle|Team Orca");
            set(v, "ACW CHAT", "120");
            tags(v, |t| {
                t.insert("site".into(), "sea".into());
                t.remove("team");
            });
        },
    },
];

/// The agents of Sales Inbound (every third of them).
fn selected(login: &str) -> bool {
    let i: usize = login.trim_start_matches("agent.").parse().unwrap();
    i.is_multiple_of(3)
}

#[test]
fn each_setting_changes_exactly_the_selected_agents_and_only_that_field() {
    let dir = tempfile::tempdir().unwrap();
    let seed = seed(dir.path(), 21);
    for case in CASES {
        let server = server(&seed, &["--no-throttle"]);
        let before = views(&server);
        let report = dir.path().join("report.jsonl");
        let result = run(agents(dir.path(), &server, &["set"])
            .args(case.flags)
            .args(["--routing-profile", "Sales Inbound"])
            .args(FAST)
            .args(["--yes", "--format", "json", "--report"])
            .arg(&report));
        assert_eq!(result.code, Some(0), "{:?}: {result}", case.flags);
        let after = views(&server);
        let rows: BTreeMap<String, serde_json::Value> = report_rows(&report)
            .into_iter()
            .map(|r| (r["user_login"].as_str().unwrap().to_string(), r))
            .collect();
        let mut changed = 0;
        for (login, was) in &before {
            let is = &after[login];
            if !selected(login) {
                assert_eq!(was, is, "{:?}: {login} is not selected", case.flags);
                assert!(!rows.contains_key(login));
                continue;
            }
            let mut expected = was.clone();
            (case.expect)(&mut expected);
            assert_eq!(
                is,
                &expected,
                "{:?}: {login} differs in {:?}",
                case.flags,
                differences(&expected, is)
            );
            let outcome = rows[login]["outcome"].as_str().unwrap();
            let wanted = if expected != *was {
                changed += 1;
                "changed"
            } else if desk(was) && case.flags[0].contains("-connection")
                || desk(was) && case.flags[0].contains("audio")
            {
                "skipped"
            } else {
                "unchanged"
            };
            assert_eq!(
                outcome, wanted,
                "{:?}: {login}: {}",
                case.flags, rows[login]
            );
        }
        assert!(changed > 0, "{:?} changed nobody", case.flags);
        assert_eq!(result.json()["summary"]["changed"], changed, "{result}");
    }
}

#[test]
fn names_the_instance_lacks_and_contradictions_stop_before_anything_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(&seed(dir.path(), 6), &["--no-throttle"]);
    for (flags, expected) in [
        (
            &["--set-routing-profile", "Support Tier 3"][..],
            "--set-routing-profile \"Support Tier 3\": no routing profile is named",
        ),
        (
            &["--add-security-profile", "Agnet"],
            "did you mean \"Agent\"",
        ),
        (
            &["--set-hierarchy", "Japan|Team Fuji"],
            "--set-hierarchy \"Japan|Team Fuji\"",
        ),
        (
            &["--set-tag", "a=1", "--remove-tag", "a"],
            "--set-tag and --remove-tag both name \"a\"",
        ),
        (&["--set-phone-type", "desk"], "agents edit FILE"),
        (&["--set-acw", "chat=-5"], "from 0 (no limit)"),
        (
            &[
                "--set-security-profiles",
                "Agent",
                "--add-security-profile",
                "Admin",
            ],
            "cannot be used with",
        ),
        (
            &["--routing-profile", "Sales Inbound"],
            "--set-routing-profile",
        ),
    ] {
        let result = run(agents(dir.path(), &server, &["set"])
            .args(flags)
            .args(["--all", "--yes"])
            .args(FAST));
        assert_eq!(result.code, Some(2), "{flags:?}: {result}");
        assert!(result.stderr.contains(expected), "{flags:?}: {result}");
    }
    for op in [
        "UpdateUserRoutingProfile",
        "UpdateUserSecurityProfiles",
        "UpdateUserHierarchy",
        "UpdateUserConfig",
        "TagResource",
        "UntagResource",
    ] {
        assert_eq!(server.count(op, "200"), 0, "{op}");
    }
}

#[test]
fn a_change_a_user_cannot_take_stops_the_run_before_any_write() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(&seed(dir.path(), 6), &["--no-throttle"]);
    let result = run(agents(dir.path(), &server, &["set"])
        .args(["--remove-security-profile", "Agent"])
        .args(["--all", "--yes"])
        .args(FAST));
    assert_eq!(result.code, Some(2), "{result}");
    assert!(
        result
            .stderr
            .contains("agent.000: would be left without a security profile")
            && result.stderr.contains("nothing was written"),
        "{result}"
    );
    assert_eq!(server.count("UpdateUserSecurityProfiles", "200"), 0);
}
