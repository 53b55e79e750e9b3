//! Helpers of the `agents edit` and `agents set` field tests: an instance
//! of many agents whose every field varies, the commands against it, and
//! each user as the SDK reads it back — every field the commands change,
//! with names for IDs, so a test compares what a user holds before and after.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use aws_sdk_connect::types::User;

use super::agents::{described, persistent, voice_enhancement};
use super::apply::{command, patient_client};
use super::local_server::LocalServer;

/// The instance of [`seed`].
pub const EDIT_INSTANCE_ID: &str = "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f";

/// Routing profiles, security profiles and teams of [`seed`].
pub const ROUTING: [&str; 3] = ["Sales Inbound", "Support Tier 1", "Support Tier 2"];
pub const TEAMS: [&str; 3] = [
    "North America|Seattle|Team Orca",
    "North America|Dallas|Team Lone Star",
    "Japan|Tokyo|Team Fuji",
];

/// A connect-managed instance of `n` agents `agent.000`…: routing profiles,
/// security profiles, teams, phone types, auto-accept, ACW, persistent
/// connection and tags vary from agent to agent.
pub fn seed(dir: &Path, n: usize) -> PathBuf {
    let mut text = format!(
        "id = \"{EDIT_INSTANCE_ID}\"\nalias = \"edit-center\"\nidentity = \"CONNECT_MANAGED\"\n\
         region = \"us-east-1\"\naccount = \"111122223333\"\n\
         routing_profiles = [\"Sales Inbound\", \"Support Tier 1\", \"Support Tier 2\"]\n\
         security_profiles = [\"Admin\", \"Agent\", \"CallCenterManager\", \"QualityAnalyst\"]\n\n\
         [hierarchy]\nlevels = [\"Region\", \"Site\", \"Team\"]\ngroups = [{}]\n",
        TEAMS.map(|t| format!("\"{t}\"")).join(", ")
    );
    for i in 0..n {
        let desk = i % 7 == 3;
        let profiles = if i % 2 == 0 {
            "[\"Agent\"]"
        } else {
            "[\"Agent\", \"QualityAnalyst\"]"
        };
        let hierarchy = match i % 4 {
            3 => String::new(),
            k => format!("hierarchy = \"{}\"\n", TEAMS[k]),
        };
        let phone = if desk {
            format!("phone_type = \"DESK_PHONE\"\ndesk_phone_number = \"+1206555{i:04}\"\n")
        } else {
            "phone_type = \"SOFT_PHONE\"\n".to_string()
        };
        text.push_str(&format!(
            "\n[[users]]\nusername = \"agent.{i:03}\"\nfirst_name = \"Agent\"\nlast_name = \"N{i}\"\n\
             email = \"agent.{i:03}@example.com\"\nrouting_profile = \"{}\"\n\
             security_profiles = {profiles}\n{hierarchy}{phone}auto_accept = {}\n\
             acw_timeout = {}\npersistent_connection = false\n\
             tags = {{ team = \"t{}\", cost = \"c{}\" }}\n",
            ROUTING[i % 3],
            i % 2 == 0,
            30 + 15 * (i % 3),
            i % 3,
            i % 5,
        ));
    }
    let path = dir.join("edit-seed.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// A `local serve` of `seed` with these extra flags.
pub fn server(seed: &Path, args: &[&str]) -> LocalServer {
    LocalServer::builder()
        .seed(seed)
        .args(args.iter().copied())
        .start()
}

/// `connect-users agents WORDS…` against the instance of [`seed`].
pub fn agents(dir: &Path, server: &LocalServer, words: &[&str]) -> Command {
    let mut cmd = command(dir);
    cmd.arg("agents").args(words).args([
        "--instance-id",
        EDIT_INSTANCE_ID,
        "--endpoint-url",
        server.endpoint(),
        "--region",
        "us-east-1",
    ]);
    cmd
}

/// The instance's names for IDs: profiles by name, groups by path.
pub fn names(server: &LocalServer) -> BTreeMap<String, String> {
    let (client, runtime) = patient_client(server);
    runtime.block_on(async {
        let mut names = BTreeMap::new();
        let routing = client
            .list_routing_profiles()
            .instance_id(EDIT_INSTANCE_ID)
            .send()
            .await
            .unwrap();
        for p in routing.routing_profile_summary_list() {
            names.insert(p.id().unwrap().to_string(), p.name().unwrap().to_string());
        }
        let security = client
            .list_security_profiles()
            .instance_id(EDIT_INSTANCE_ID)
            .send()
            .await
            .unwrap();
        for p in security.security_profile_summary_list() {
            names.insert(p.id().unwrap().to_string(), p.name().unwrap().to_string());
        }
        let groups = client
            .list_user_hierarchy_groups()
            .instance_id(EDIT_INSTANCE_ID)
            .send()
            .await
            .unwrap();
        for g in groups.user_hierarchy_group_summary_list() {
            let id = g.id().unwrap();
            let group = client
                .describe_user_hierarchy_group()
                .instance_id(EDIT_INSTANCE_ID)
                .hierarchy_group_id(id)
                .send()
                .await
                .unwrap();
            let path = group.hierarchy_group().unwrap().hierarchy_path().unwrap();
            let levels: Vec<&str> = [
                path.level_one(),
                path.level_two(),
                path.level_three(),
                path.level_four(),
                path.level_five(),
            ]
            .into_iter()
            .flatten()
            .filter_map(|l| l.name())
            .collect();
            names.insert(id.to_string(), levels.join("|"));
        }
        names
    })
}

/// One user's fields, by name: what `agents set` and `agents edit` change.
pub type View = BTreeMap<&'static str, String>;

const CHANNELS: [&str; 4] = ["VOICE", "CHAT", "TASK", "EMAIL"];

/// A user as the SDK reads it back, every field the commands change.
pub fn view(user: &User, names: &BTreeMap<String, String>) -> View {
    let name = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_string());
    let info = user.identity_info();
    let text = |v: Option<&str>| v.unwrap_or_default().to_string();
    let mut profiles: Vec<String> = user
        .security_profile_ids()
        .iter()
        .map(|id| name(id))
        .collect();
    profiles.sort();
    let mut view = View::new();
    view.insert("first name", text(info.and_then(|i| i.first_name())));
    view.insert("last name", text(info.and_then(|i| i.last_name())));
    view.insert("email", text(info.and_then(|i| i.email())));
    view.insert(
        "secondary email",
        text(info.and_then(|i| i.secondary_email())),
    );
    view.insert("mobile", text(info.and_then(|i| i.mobile())));
    view.insert("routing profile", name(user.routing_profile_id().unwrap()));
    view.insert("security profiles", profiles.join("|"));
    view.insert(
        "hierarchy",
        user.hierarchy_group_id().map(name).unwrap_or_default(),
    );
    let voice_number = user
        .phone_number_configs()
        .iter()
        .find(|c| c.channel().as_str() == "VOICE");
    let phone = match voice_number {
        Some(c) => format!("{} {}", c.phone_type().as_str(), text(c.phone_number())),
        None => {
            let p = user.phone_config().unwrap();
            format!(
                "{} {}",
                p.phone_type().as_str(),
                text(p.desk_phone_number())
            )
        }
    };
    view.insert("phone", phone.trim().to_string());
    for (at, channel) in CHANNELS.into_iter().enumerate() {
        let on = user
            .auto_accept_configs()
            .iter()
            .find(|c| c.channel().as_str() == channel)
            .map(|c| c.auto_accept())
            .or_else(|| {
                (channel == "VOICE")
                    .then(|| user.phone_config().map(|p| p.auto_accept()))
                    .flatten()
            })
            .unwrap_or(false);
        let acw = user
            .after_contact_work_configs()
            .iter()
            .find(|c| c.channel().as_str() == channel)
            .and_then(|c| c.after_contact_work_config())
            .map(|c| c.after_contact_work_time_limit())
            .or_else(|| {
                user.phone_config()
                    .map(|p| p.after_contact_work_time_limit())
            })
            .unwrap_or(0);
        view.insert(
            [
                "auto-accept VOICE",
                "auto-accept CHAT",
                "auto-accept TASK",
                "auto-accept EMAIL",
            ][at],
            on.to_string(),
        );
        view.insert(
            ["ACW VOICE", "ACW CHAT", "ACW TASK", "ACW EMAIL"][at],
            acw.to_string(),
        );
    }
    view.insert("persistent connection", persistent(user).to_string());
    view.insert("audio enhancement", voice_enhancement(user));
    let tags: BTreeMap<&String, &String> =
        user.tags().map(|t| t.iter().collect()).unwrap_or_default();
    let tags: Vec<String> = tags.iter().map(|(k, v)| format!("{k}={v}")).collect();
    view.insert("tags", tags.join(","));
    view
}

/// Every user of the instance, read back through the SDK, by login.
pub fn views(server: &LocalServer) -> BTreeMap<String, View> {
    let names = names(server);
    described(server, EDIT_INSTANCE_ID)
        .into_iter()
        .map(|(login, user)| (login, view(&user, &names)))
        .collect()
}

/// The fields in which two views of a user differ.
pub fn differences(before: &View, after: &View) -> Vec<&'static str> {
    before
        .iter()
        .filter(|(k, v)| after.get(*k) != Some(v))
        .map(|(k, _)| *k)
        .collect()
}
