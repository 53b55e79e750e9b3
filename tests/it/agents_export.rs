//! `agents export` end to end: the real binary against `local serve` on
//! loopback — never over a file without `--force`, nothing left behind on
//! failure, `-o -`, the selectors of `agents list`, `--identity saml`, and
//! what the template cannot carry named on stderr. The round trips are in
//! `agents_export_round_trip.rs`.
use crate::support;

use std::collections::BTreeSet;
use std::path::Path;

use crate::support::export::{
    assert_validates, header_and_rows, template_header, AGENTS, SAML_AGENTS, SAML_EMPTY,
};
use aws_sdk_connect::types::{
    AfterContactWorkConfig, AfterContactWorkConfigPerChannel, Channel, PersistentConnectionConfig,
    VoiceEnhancementConfig, VoiceEnhancementMode,
};
use support::agents::described;
use support::apply::{logins_of, run};

const FAST: [&str; 4] = ["--rate", "1000", "--burst", "100"];

fn entries(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn an_existing_file_is_kept_unless_forced_and_a_failure_leaves_no_file() {
    let server = AGENTS.serve();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let path = dir.join("agents.csv");
    std::fs::write(&path, "keep me").unwrap();

    let refused = run(&mut AGENTS.export(dir, &server, "agents.csv", &FAST));
    assert_eq!(refused.code, Some(2), "{refused}");
    assert!(
        refused
            .stderr
            .contains("agents.csv already exists; --force overwrites it"),
        "{refused}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "keep me");
    assert_eq!(
        server.count("DescribeUser", "200"),
        0,
        "refused before reading the instance"
    );

    let forced = run(AGENTS
        .export(dir, &server, "agents.csv", &FAST)
        .arg("--force"));
    assert_eq!(forced.code, Some(0), "{forced}");
    let (header, rows) = header_and_rows(&path);
    assert_eq!(header, template_header("connect-managed"));
    assert_eq!(rows.len(), 13);
    assert_eq!(entries(dir), BTreeSet::from(["agents.csv".to_string()]));

    // A directory that does not exist: nothing is written anywhere.
    let missing = run(&mut AGENTS.export(dir, &server, "missing/agents.csv", &FAST));
    assert_eq!(missing.code, Some(2), "{missing}");
    assert!(missing.stderr.contains("missing"), "{missing}");
    assert_eq!(entries(dir), BTreeSet::from(["agents.csv".to_string()]));

    // An instance that stops answering: no file, not even a partial one.
    let endpoint = server.endpoint().to_string();
    server.terminate();
    let mut cmd = support::apply::command(dir);
    cmd.args([
        "agents",
        "export",
        "-o",
        "gone.csv",
        "--instance-id",
        AGENTS.id,
    ])
    .args(["--endpoint-url", &endpoint, "--region", "us-east-1"])
    .args(["--patience", "1s", "--max-attempts", "2"]);
    let gone = run(&mut cmd);
    assert_eq!(gone.code, Some(2), "{gone}");
    // Nothing listens there any more: said at once, naming the URL.
    assert!(
        gone.stderr
            .contains(&format!("nothing listens at {endpoint}")),
        "{gone}"
    );
    assert_eq!(entries(dir), BTreeSet::from(["agents.csv".to_string()]));
}

#[test]
fn dash_writes_the_same_bytes_to_stdout() {
    let server = AGENTS.serve();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let to_file = run(&mut AGENTS.export(dir, &server, "agents.csv", &FAST));
    assert_eq!(to_file.code, Some(0), "{to_file}");
    let output = AGENTS
        .export(dir, &server, "-", &FAST)
        .output()
        .expect("running connect-users");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        output.stdout,
        std::fs::read(dir.join("agents.csv")).unwrap()
    );
    assert!(output.stdout.starts_with(b"\xEF\xBB\xBFfirst name,"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("wrote 13 users"), "{stderr}");
    assert!(stderr.contains("to <stdout>"), "{stderr}");
    assert_eq!(entries(dir), BTreeSet::from(["agents.csv".to_string()]));
}

#[test]
fn selectors_choose_the_users_agents_list_shows() {
    let server = AGENTS.serve();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let cases: [(&[&str], &[&str]); 5] = [
        (
            &["--routing-profile", "Sales Inbound"],
            &[
                "sales.ava",
                "sales.ben",
                "sales.cora",
                "sales.desk",
                "sales.dev",
                "sales.eli",
            ],
        ),
        (
            &["--hierarchy", "Japan"],
            &["japan.desk", "japan.kai", "support.hana"],
        ),
        (
            &["--security-profile", "CallCenterManager"],
            &["lead.max", "tier2.jo"],
        ),
        (
            &["--login", "tier2.jo", "--login", "SALES.AVA"],
            &["sales.ava", "tier2.jo"],
        ),
        (
            &[
                "--routing-profile",
                "Sales Inbound",
                "--hierarchy",
                "North America|Seattle",
            ],
            &["sales.ava", "sales.ben", "sales.desk", "sales.eli"],
        ),
    ];
    for (i, (selectors, expected)) in cases.iter().enumerate() {
        let name = format!("selected-{i}.csv");
        let exported = run(AGENTS.export(dir, &server, &name, &FAST).args(*selectors));
        assert_eq!(exported.code, Some(0), "{selectors:?}\n{exported}");
        let mut logins = logins_of(&dir.join(&name));
        logins.sort();
        assert_eq!(logins, *expected, "{selectors:?}");

        let listed = run(AGENTS
            .command(dir, &server, &["agents", "list", "--format", "json"])
            .args(*selectors)
            .args(FAST));
        assert_eq!(listed.code, Some(0), "{listed}");
        let mut shown: Vec<String> = listed.json()["agents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["user_login"].as_str().unwrap().to_string())
            .collect();
        shown.sort();
        assert_eq!(logins, shown, "export and list select alike: {selectors:?}");
    }

    // An unknown name: the closest ones, and no file.
    let unknown = run(AGENTS
        .export(dir, &server, "unknown.csv", &FAST)
        .args(["--routing-profile", "Sales inbound"]));
    assert_eq!(unknown.code, Some(2), "{unknown}");
    assert!(unknown.stderr.contains("\"Sales Inbound\""), "{unknown}");
    assert!(!dir.join("unknown.csv").exists());
}

#[test]
fn identity_saml_names_the_columns_left_behind_and_copies_to_a_saml_instance() {
    let (a, b) = (AGENTS.serve(), SAML_EMPTY.serve());
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let file = dir.join("saml.csv");
    let exported = run(AGENTS
        .export(dir, &a, "saml.csv", &FAST)
        .args(["--identity", "saml"]));
    assert_eq!(exported.code, Some(0), "{exported}");
    assert!(
        exported.stderr.contains(
            "warning: `email address`: the saml template has no such column; not carried over \
             for 13 users: japan.desk, japan.kai,"
        ),
        "{exported}"
    );
    assert!(
        !exported.stderr.contains("--generate-passwords"),
        "no password to generate on SAML: {exported}"
    );
    let (header, rows) = header_and_rows(&file);
    assert_eq!(header, template_header("saml"));
    assert_eq!(rows.len(), 13);
    assert!(!rows.iter().any(|r| r.contains("@example.com")), "{rows:?}");
    assert_validates(dir, &file, &["--identity", "saml"]);

    let applied = run(&mut SAML_EMPTY.apply(dir, &b, &file, &FAST));
    assert_eq!(applied.code, Some(0), "{applied}");
    assert_eq!(applied.summary(), (13, 0, 0, 0), "{applied}");
    let copy = run(&mut SAML_EMPTY.export(dir, &b, "copy.csv", &FAST));
    assert_eq!(copy.code, Some(0), "{copy}");
    assert!(!copy.stderr.contains("warning"), "{copy}");
    assert_eq!(header_and_rows(&dir.join("copy.csv")), (header, rows));
}

#[test]
fn a_file_the_other_identity_refuses_is_said_so_with_its_errors() {
    let server = SAML_AGENTS.serve();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let exported = run(SAML_AGENTS
        .export(dir, &server, "managed.csv", &FAST)
        .args(["--identity", "connect-managed"]));
    assert_eq!(exported.code, Some(0), "{exported}");
    // Three SAML logins are e-mail addresses longer than 20 characters.
    assert!(
        exported.stderr.contains(
            "warning: `import validate --identity connect-managed --generate-passwords` finds 3 \
             errors in managed.csv; edit these rows before importing it:\n  line 2 \
             (emma.hughes@example.com): user login: is 23 characters long; a connect-managed \
             login has at most 20\n"
        ),
        "{exported}"
    );
    let (header, rows) = header_and_rows(&dir.join("managed.csv"));
    assert_eq!(header, template_header("connect-managed"));
    assert_eq!(rows.len(), 4);
    let refused = run(support::apply::command(dir)
        .args(["import", "validate", "--generate-passwords"])
        .arg(dir.join("managed.csv")));
    assert_eq!(refused.code, Some(1), "{refused}");
}

#[test]
fn what_the_template_cannot_carry_is_named_and_written_as_the_template_means_it() {
    let server = AGENTS.serve();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let users = described(&server, AGENTS.id);
    let client = server.client();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        // CHAT's ACW differs from the other channels'.
        client
            .update_user_config()
            .instance_id(AGENTS.id)
            .user_id(users["sales.ava"].id().unwrap())
            .after_contact_work_configs(
                AfterContactWorkConfigPerChannel::builder()
                    .channel(Channel::Chat)
                    .after_contact_work_config(
                        AfterContactWorkConfig::builder()
                            .after_contact_work_time_limit(120)
                            .build(),
                    )
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap();
        // A desk phone with softphone settings.
        client
            .update_user_config()
            .instance_id(AGENTS.id)
            .user_id(users["sales.desk"].id().unwrap())
            .persistent_connection_configs(
                PersistentConnectionConfig::builder()
                    .channel(Channel::Voice)
                    .persistent_connection(true)
                    .build()
                    .unwrap(),
            )
            .voice_enhancement_configs(
                VoiceEnhancementConfig::builder()
                    .channel(Channel::Voice)
                    .voice_enhancement_mode(VoiceEnhancementMode::VoiceIsolation)
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap();
    });

    let file = dir.join("agents.csv");
    let exported = run(&mut AGENTS.export(dir, &server, "agents.csv", &FAST));
    assert_eq!(exported.code, Some(0), "{exported}");
    assert!(
        exported
            .stderr
            .contains("so VOICE's is written (the source instance shows these users as differing from the file): sales.ava (VOICE 30, CHAT 120, TASK 30, EMAIL 30)\n"),
        "{exported}"
    );
    assert!(
        exported.stderr.contains(
            "1 user with a desk phone has persistent connection or audio enhancement set"
        ),
        "{exported}"
    );
    assert!(
        exported
            .stderr
            .contains("written as no / none: sales.desk\n"),
        "{exported}"
    );
    let (_, rows) = header_and_rows(&file);
    let row = |login: &str| {
        rows.iter()
            .find(|r| r.contains(&format!(",{login},")))
            .unwrap()
            .clone()
    };
    assert!(
        row("sales.ava").contains(",soft,,yes,30,no,none,"),
        "{rows:?}"
    );
    assert!(
        row("sales.desk").contains(",desk,+12065550301,yes,30,no,none,"),
        "{rows:?}"
    );
    assert_validates(dir, &file, &["--generate-passwords"]);

    // As the warning says: the source instance differs from the file for
    // exactly these users.
    let checked = run(AGENTS
        .command(dir, &server, &["import", "validate", "--format", "json"])
        .arg(&file)
        .arg("--generate-passwords"));
    assert_eq!(checked.code, Some(1), "{checked}");
    let mut differing: Vec<String> = checked.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            assert_eq!(f["code"], "existing-user-differs", "{checked}");
            f["value"].as_str().unwrap().to_string()
        })
        .collect();
    differing.sort();
    assert_eq!(differing, ["sales.ava", "sales.desk"]);
}
