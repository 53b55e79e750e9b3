//! Running `connect-users agents …` against a local server holding the
//! instance of `fixtures/instances/agents.toml`, and reading its users back
//! through the SDK.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use aws_sdk_connect::types::User;

use super::apply::{all_users, command, fixture, patient_client};
use super::local_server::LocalServer;
use super::sdk::describe_in;

/// The instance of `fixtures/instances/agents.toml`.
pub const AGENTS_INSTANCE_ID: &str = "4d6f5e2c-8a71-4f9e-9db2-5b1f3e4d6e78";

/// A server holding the agents instance, with these extra flags.
pub fn agents_server(args: &[&str]) -> LocalServer {
    LocalServer::builder()
        .seed(fixture("instances/agents.toml"))
        .args(args.iter().copied())
        .start()
}

/// `connect-users agents SUBCOMMAND ARGS` against the server's agents instance.
pub fn agents(dir: &Path, server: &LocalServer, subcommand: &str) -> Command {
    let mut cmd = command(dir);
    cmd.args(["agents", subcommand]).args([
        "--instance-id",
        AGENTS_INSTANCE_ID,
        "--endpoint-url",
        server.endpoint(),
        "--region",
        "us-east-1",
    ]);
    cmd
}

/// Every user of the instance, described, by login (SDK with retries, so a
/// quota or injected faults do not disturb the reading).
pub fn described(server: &LocalServer, instance_id: &str) -> BTreeMap<String, User> {
    let (client, runtime) = patient_client(server);
    runtime.block_on(async {
        let mut users = BTreeMap::new();
        for summary in all_users(&client, instance_id).await {
            let user = describe_in(&client, instance_id, summary.id().unwrap()).await;
            users.insert(user.username().unwrap_or_default().to_string(), user);
        }
        users
    })
}

/// A user's VOICE persistent connection, from whichever form it is in.
pub fn persistent(user: &User) -> bool {
    user.persistent_connection_configs()
        .iter()
        .find(|c| c.channel().as_str() == "VOICE")
        .map(|c| c.persistent_connection())
        .or_else(|| user.phone_config().and_then(|p| p.persistent_connection()))
        .unwrap_or(false)
}

/// A user's VOICE voice enhancement mode (`NONE` when unset).
pub fn voice_enhancement(user: &User) -> String {
    user.voice_enhancement_configs()
        .iter()
        .find(|c| c.channel().as_str() == "VOICE")
        .map(|c| c.voice_enhancement_mode().as_str().to_string())
        .unwrap_or_else(|| "NONE".into())
}

/// Everything of a user that `agents set --persistent-connection` must
/// leave as it was: identity, profiles, hierarchy, tags, and every setting
/// but persistent connection, in both forms.
pub fn all_but_persistent(user: &User) -> String {
    let mut profiles = user.security_profile_ids().to_vec();
    profiles.sort();
    let phone = user.phone_config().map(|p| {
        (
            p.phone_type().as_str().to_string(),
            p.auto_accept(),
            p.after_contact_work_time_limit(),
            p.desk_phone_number().map(str::to_string),
        )
    });
    let auto_accept: Vec<String> = user
        .auto_accept_configs()
        .iter()
        .map(|c| format!("{} {}", c.channel().as_str(), c.auto_accept()))
        .collect();
    let acw: Vec<String> = user
        .after_contact_work_configs()
        .iter()
        .map(|c| {
            format!(
                "{} {:?}",
                c.channel().as_str(),
                c.after_contact_work_config()
            )
        })
        .collect();
    let numbers: Vec<String> = user
        .phone_number_configs()
        .iter()
        .map(|c| {
            format!(
                "{} {} {:?}",
                c.channel().as_str(),
                c.phone_type().as_str(),
                c.phone_number()
            )
        })
        .collect();
    let tags: BTreeMap<String, String> = user
        .tags()
        .map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    format!(
        "{:?} {:?} {:?} {profiles:?} {:?} {tags:?} {phone:?} {auto_accept:?} {acw:?} {numbers:?} {}",
        user.username(),
        user.identity_info(),
        user.routing_profile_id(),
        user.hierarchy_group_id(),
        voice_enhancement(user)
    )
}
