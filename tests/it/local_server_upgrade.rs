//! A database written before the store kept per-channel settings (schema
//! version 0, `tests/data/schema-v0.sql`) is upgraded in place by `local
//! serve`, its users answered with their settings in both forms; a database
//! from a newer build is refused with a message naming it.
use crate::support;

use aws_sdk_connect::types::{Channel, PersistentConnectionConfig};
use support::apply::{command, run};
use support::local_server::LocalServer;
use support::sdk::describe_in;

const INSTANCE: &str = "old-instance";
const USER: &str = "old-user";

/// A version-0 database holding one instance and one softphone user with
/// ACW 40, auto-accept and persistent connection on.
fn old_database(path: &std::path::Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(include_str!("../data/schema-v0.sql"))
        .unwrap();
    conn.execute_batch(&format!(
        "INSERT INTO instances (id, alias, identity, region, account, created_time)
             VALUES ('{INSTANCE}', 'old', 'CONNECT_MANAGED', 'us-east-1', '111122223333', 0);
         INSERT INTO routing_profiles (instance_id, id, name) VALUES ('{INSTANCE}', 'rp', 'Basic');
         INSERT INTO security_profiles (instance_id, id, name) VALUES ('{INSTANCE}', 'sp', 'Agent');
         INSERT INTO users (instance_id, id, username, username_key, first_name, last_name,
             phone_type, auto_accept, acw_timeout, persistent_connection, routing_profile_id,
             security_profile_ids, tags, modified_time)
             VALUES ('{INSTANCE}', '{USER}', 'Old.Agent', 'old.agent', 'Old', 'Agent',
             'SOFT_PHONE', 1, 40, 1, 'rp', '[\"sp\"]', '{{}}', 0);"
    ))
    .unwrap();
}

#[tokio::test]
async fn an_older_database_is_upgraded_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.sqlite");
    old_database(&db);
    let server = LocalServer::builder()
        .no_seed()
        .db(&db)
        .args(["--no-throttle"])
        .start();
    let client = server.client();
    let describe = || describe_in(&client, INSTANCE, USER);
    let user = describe().await;
    let phone = user.phone_config().unwrap();
    assert_eq!(
        (
            phone.auto_accept(),
            phone.after_contact_work_time_limit(),
            phone.persistent_connection()
        ),
        (true, 40, Some(true))
    );
    // the old ACW was PhoneConfig's: every channel's
    assert!(user.after_contact_work_configs().iter().all(|c| c
        .after_contact_work_config()
        .unwrap()
        .after_contact_work_time_limit()
        == 40));
    assert_eq!(user.after_contact_work_configs().len(), 4);

    // a per-channel write to the upgraded row is kept across a restart
    client
        .update_user_config()
        .instance_id(INSTANCE)
        .user_id(USER)
        .persistent_connection_configs(
            PersistentConnectionConfig::builder()
                .channel(Channel::Voice)
                .persistent_connection(false)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert!(server.terminate().success());
    let server = LocalServer::builder()
        .no_seed()
        .db(&db)
        .args(["--no-throttle"])
        .start();
    let user = describe_in(&server.client(), INSTANCE, USER).await;
    assert_eq!(
        user.phone_config().unwrap().persistent_connection(),
        Some(false)
    );
    assert_eq!(
        user.phone_config().unwrap().after_contact_work_time_limit(),
        40
    );
    let version: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 1);
}

#[test]
fn a_database_from_a_newer_build_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("newer.sqlite");
    old_database(&db);
    rusqlite::Connection::open(&db)
        .unwrap()
        .pragma_update(None, "user_version", 7)
        .unwrap();
    let result = run(command(dir.path())
        .args(["local", "serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(&db));
    assert_eq!(result.code, Some(2), "{result}");
    assert!(result.stderr.contains("newer.sqlite"), "{result}");
    assert!(result.stderr.contains("schema version 7"), "{result}");
    assert!(!result.stderr.contains("panicked"), "{result}");
}
