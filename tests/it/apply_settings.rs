//! The phone and per-channel settings end to end: the real binary, through
//! `aws-sdk-connect`, to `local serve`, read back with DescribeUser.
//! The newest guide's template with every audio enhancement value, an
//! existing user differing only in audio enhancement, a bad value, and a
//! backup export (an older header without the newer columns) against an
//! instance that already holds its users.
use crate::support;

use std::collections::BTreeMap;

use support::apply::{fixture, import, logins_of, run, write_template};
use support::local_server::{LocalServer, DEMO_INSTANCE_ID};
use support::sdk::{describe, id_of_user};

/// Fast client settings for a server without quota.
const FAST: [&str; 4] = ["--rate", "500", "--burst", "50"];

const BACKUP_INSTANCE_ID: &str = "4d6f5e2c-8071-4f9e-adb2-5b1f3e4d6d78";

/// What `valid/agents-newest-guide.csv` says of each user: persistent
/// connection and the voice enhancement mode the instance must hold.
fn newest_guide_settings() -> BTreeMap<&'static str, (bool, &'static str)> {
    BTreeMap::from([
        ("m.silva", (true, "NONE")),
        ("y.kobayashi", (false, "NONE")),
        ("g.lin", (true, "VOICE_ISOLATION")),
        ("o.haddad", (false, "VOICE_ISOLATION")),
        ("p.nair", (true, "VOICE_ISOLATION")),
        ("l.martin", (false, "NOISE_SUPPRESSION")),
        ("c.dubois", (true, "NOISE_SUPPRESSION")),
        ("h.mori", (false, "NOISE_SUPPRESSION")),
        ("z.ahmed", (false, "NONE")),
    ])
}

#[tokio::test]
async fn the_newest_template_is_created_as_the_file_says_then_found_existing() {
    let server = LocalServer::start();
    let dir = tempfile::tempdir().unwrap();
    let file = fixture("valid/agents-newest-guide.csv");
    let expected = newest_guide_settings();
    let mut logins = logins_of(&file);
    logins.sort();
    assert_eq!(logins, expected.keys().copied().collect::<Vec<_>>());
    let first = run(
        import(dir.path(), &server, DEMO_INSTANCE_ID, "apply", &file)
            .args(FAST)
            .args(["--yes", "--format", "json"]),
    );
    assert_eq!(first.code, Some(0), "{first}");
    assert_eq!(first.summary(), (expected.len() as u64, 0, 0, 0), "{first}");

    let client = server.client();
    for (login, (persistent, mode)) in &expected {
        let user = describe(&client, &id_of_user(&client, login).await).await;
        let voice = &user.voice_enhancement_configs()[0];
        assert_eq!(voice.voice_enhancement_mode().as_str(), *mode, "{login}");
        assert_eq!(
            user.persistent_connection_configs()[0].persistent_connection(),
            *persistent,
            "{login}"
        );
        let phone = user.phone_config().unwrap();
        assert_eq!(phone.persistent_connection(), Some(*persistent), "{login}");
        // the newest template has no auto-accept or ACW: the defaults stay
        assert!(!phone.auto_accept(), "{login}");
        assert!(user.after_contact_work_configs().iter().all(|c| c
            .after_contact_work_config()
            .unwrap()
            .after_contact_work_time_limit()
            == 0));
    }
    let desk = describe(&client, &id_of_user(&client, "z.ahmed").await).await;
    assert_eq!(
        desk.phone_config().unwrap().desk_phone_number(),
        Some("+12065550188")
    );

    // Run again: every user is found as it is, whichever form created it.
    let again = run(
        import(dir.path(), &server, DEMO_INSTANCE_ID, "apply", &file)
            .args(FAST)
            .args(["--yes", "--format", "json"]),
    );
    assert_eq!(again.code, Some(0), "{again}");
    assert_eq!(again.summary(), (0, expected.len() as u64, 0, 0), "{again}");
    assert_eq!(server.count("CreateUser", "200"), expected.len() as u64);
}

#[test]
fn an_existing_user_differing_only_in_audio_enhancement_is_an_error_naming_it() {
    let server = LocalServer::start();
    let dir = tempfile::tempdir().unwrap();
    let source = std::fs::read_to_string(fixture("valid/agents-newest-guide.csv")).unwrap();
    let header = source
        .lines()
        .next()
        .unwrap()
        .trim_start_matches('\u{feff}');
    let row =
        "Grace,Lin,grace.lin@example.com,,+12065550131,g.lin,Welcome2025g,Sales Inbound,Agent,\
               North America|Seattle|Team Orca,soft,,yes,isolate voice,";
    let file = dir.path().join("grace.csv");
    std::fs::write(&file, format!("{header}\n{row}\n")).unwrap();
    let created = run(
        import(dir.path(), &server, DEMO_INSTANCE_ID, "apply", &file)
            .args(FAST)
            .args(["--yes", "--format", "json"]),
    );
    assert_eq!(created.summary(), (1, 0, 0, 0), "{created}");

    std::fs::write(
        &file,
        format!(
            "{header}\n{}\n",
            row.replace("isolate voice", "suppress noise")
        ),
    )
    .unwrap();
    let changed = run(
        import(dir.path(), &server, DEMO_INSTANCE_ID, "validate", &file).args(["--format", "json"]),
    );
    assert_eq!(changed.code, Some(1), "{changed}");
    let findings = changed.json()["findings"].clone();
    assert_eq!(findings.as_array().unwrap().len(), 1, "{findings}");
    assert_eq!(findings[0]["code"], "existing-user-differs");
    let message = findings[0]["message"].as_str().unwrap();
    assert!(
        message
            .contains(r#"audio enhancement: "isolate voice" (instance) → "suppress noise" (file)"#),
        "{message}"
    );
}

#[test]
fn a_bad_audio_enhancement_is_refused_listing_what_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let result = run(support::apply::command(dir.path())
        .args(["import", "validate", "--format", "json"])
        .arg(fixture("invalid/audio-enhancement.csv")));
    assert_eq!(result.code, Some(1), "{result}");
    let finding = result.json()["findings"][0].clone();
    assert_eq!(finding["code"], "audio-enhancement-invalid");
    assert_eq!(finding["column"], "audio enhancement");
    assert_eq!(finding["value"], "loud");
    let message = finding["message"].as_str().unwrap();
    for accepted in [
        "expected none,",
        "isolate voice",
        "suppress noise",
        "NOISE_SUPPRESSION",
    ] {
        assert!(message.contains(accepted), "{accepted}: {message}");
    }
}

#[test]
fn a_backup_export_against_an_instance_holding_its_users_is_all_exists() {
    let server = LocalServer::builder()
        .seed(fixture("instances/saml-backup.toml"))
        .args(["--no-throttle"])
        .start();
    let dir = tempfile::tempdir().unwrap();
    let file = fixture("older-headers/backup-export.csv");
    let users = logins_of(&file).len() as u64;
    let result = run(
        import(dir.path(), &server, BACKUP_INSTANCE_ID, "apply", &file)
            .args(FAST)
            .args(["--yes", "--format", "json"]),
    );
    assert_eq!(result.code, Some(0), "{result}");
    assert_eq!(result.summary(), (0, users, 0, 0), "{result}");
    assert_eq!(server.count("CreateUser", "200"), 0);

    // The columns the file does have are still compared.
    let changed = std::fs::read_to_string(&file).unwrap().replace(
        "Support Tier 1,Agent,soft,,no,30",
        "Support Tier 1,Agent,soft,,yes,30",
    );
    let edited = dir.path().join("edited.csv");
    std::fs::write(&edited, changed).unwrap();
    let result = run(
        import(dir.path(), &server, BACKUP_INSTANCE_ID, "validate", &edited)
            .args(["--format", "json"]),
    );
    assert_eq!(result.code, Some(1), "{result}");
    let message = result.json()["findings"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        message.contains(r#"soft phone auto accept (yes/no): "no" (instance) → "yes" (file)"#),
        "{message}"
    );
    assert!(!message.contains("persistent"), "{message}");
}

#[test]
fn the_current_template_with_an_empty_persistent_cell_means_no() {
    // A present column with an empty cell states the default, and differs
    // from an instance user that has persistent connection on.
    let server = LocalServer::start();
    let dir = tempfile::tempdir().unwrap();
    let admin = "Avery,Morgan,admin@example.com,avery.morgan@example.org,+12065550100,admin,\
                 Passw0rd-a,Basic Routing Profile,Admin,,soft,,no,0,,,department|operations";
    let file = write_template(dir.path(), "admin.csv", &[admin]);
    let result = run(
        import(dir.path(), &server, DEMO_INSTANCE_ID, "validate", &file).args(["--format", "json"]),
    );
    assert_eq!(result.code, Some(1), "{result}");
    let message = result.json()["findings"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        message.contains(r#"persistent connection (yes/no): "yes" (instance) → "no" (file)"#),
        "{message}"
    );
    assert!(
        !message.contains("audio enhancement"),
        "empty = none = the instance's: {message}"
    );
}
