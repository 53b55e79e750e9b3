//! Benchmark: `agents set --persistent-connection on --all` for 500 agents
//! at the default quota (2 requests a second, burst 5, on the server and in
//! the client), against `local serve --latency-ms 50`; or another change of
//! the same agents, e.g. `BENCH_CHANGE="--set-routing-profile Support"`,
//! which moves them to another routing profile.
//!
//! It prints the wall time against two ideals: `(calls - 5) / 2` seconds
//! for every call the run made, the least time one quota shared by every
//! operation allows (`--quota shared`); and `(updates - 5) / 2` for the
//! updates alone, the least time when each operation has its own quota
//! (the default), where the reads go beside the writes. Target: within 10%
//! of the ideal of the quota in use.
//!
//! Run: `cargo bench --bench agents_set` (release build; about 5 minutes).
//! `BENCH_CHANGE` gives the change flags (default `--persistent-connection on`);
//! `BENCH_AGENTS=N` changes the number of agents; `BENCH_SERVER_ARGS` and
//! `BENCH_CLIENT_ARGS` add flags (e.g. `--quota shared` to both);
//! `BENCH_BIN` measures another build. Only loopback traffic.

mod common;

use std::fmt::Write;
use std::time::Instant;

use common::{bin, command_in, ideal_seconds, json_of, pct, words, Server};

const INSTANCE: &str = "5e7a6f3d-9b82-4a0f-8ec3-6c2a4f5e7f89";

fn main() {
    let agents: usize = std::env::var("BENCH_AGENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let dir = tempfile::tempdir().expect("temporary directory");
    let seed = dir.path().join("seed.toml");
    std::fs::write(&seed, seed_text(agents)).expect("seed");
    let server_args = words("BENCH_SERVER_ARGS");
    let client_args = words("BENCH_CLIENT_ARGS");
    let mut change = words("BENCH_CHANGE");
    if change.is_empty() {
        change = words_of("--persistent-connection on");
    }
    let mut flags = vec!["--latency-ms", "50"];
    flags.extend(server_args.iter().map(String::as_str));
    let server = Server::start_with_seed(dir.path(), &seed, &flags);
    let started = Instant::now();
    let output = command_in(&server, INSTANCE, &["agents", "set"])
        .args(&change)
        .arg("--all")
        .args(["--yes", "--format", "json"])
        .args(&client_args)
        .output()
        .expect("agents set");
    let wall = started.elapsed().as_secs_f64();
    let stats = server.stats();
    let summary = &json_of(&output)["summary"];
    let (calls, requests, throttled) = (stats.calls(), stats.requests(), stats.throttled());
    let updates: u64 = UPDATES.iter().map(|op| stats.count(op, "200")).sum();
    let (ideal, writes_ideal) = (ideal_seconds(calls, 2.0, 5), ideal_seconds(updates, 2.0, 5));
    println!(
        "agents set {} --all: {agents} agents at the default quota \
         (2/s, burst 5), --latency-ms 50; server {server_args:?}, client {client_args:?}, {}",
        change.join(" "),
        bin()
    );
    println!();
    println!(
        "| agents | changed | failed | calls | updates | throttled | wall | ideal (calls) | wall / ideal | ideal (updates) | wall / ideal |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    println!(
        "| {agents} | {} | {} | {calls} | {updates} | {throttled} ({:.1}%) | {wall:.1} s | {ideal:.1} s | {:.3} | {writes_ideal:.1} s | {:.3} |",
        summary["changed"],
        summary["failed"],
        pct(throttled, requests),
        wall / ideal,
        wall / writes_ideal
    );
}

/// The update operations `agents set` may call.
const UPDATES: [&str; 6] = [
    "UpdateUserConfig",
    "UpdateUserRoutingProfile",
    "UpdateUserSecurityProfiles",
    "UpdateUserHierarchy",
    "TagResource",
    "UntagResource",
];

fn words_of(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_string).collect()
}

/// An instance with `agents` softphone agents of Basic Routing Profile,
/// persistent connection off (and a routing profile Support, empty).
fn seed_text(agents: usize) -> String {
    let mut text = format!(
        "id = \"{INSTANCE}\"\nalias = \"bench\"\nidentity = \"CONNECT_MANAGED\"\n\
         routing_profiles = [\"Basic Routing Profile\", \"Support\"]\n\
         security_profiles = [\"Agent\"]\n"
    );
    for i in 0..agents {
        let _ = write!(
            text,
            "\n[[users]]\nusername = \"agent.{i}\"\nfirst_name = \"Agent\"\nlast_name = \"N{i}\"\n\
             routing_profile = \"Basic Routing Profile\"\nsecurity_profiles = [\"Agent\"]\n\
             phone_type = \"SOFT_PHONE\"\npersistent_connection = false\n"
        );
    }
    text
}
