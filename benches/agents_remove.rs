//! Benchmark: `agents remove --routing-profile "Basic Routing Profile"` for
//! 200 agents at the default quota (2 requests a second, burst 5, a bucket
//! per operation, on the server and in the client), against `local serve
//! --latency-ms 50`.
//!
//! The run reads every selected user with DescribeUser for the review and
//! the backup, then, per agent, a DescribeUser right before its DeleteUser.
//! Under per-operation quotas the second read goes beside the delete, so
//! the least time is the review's reads plus the deletes: `(N - 5) / 2`
//! seconds each. Printed: the calls, the wall time against that ideal, and
//! against `(calls - 5) / 2`, the ideal of one quota shared by every
//! operation (`--quota shared`). Target: within 10% of the ideal of the
//! quota in use.
//!
//! Run: `cargo bench --bench agents_remove` (release build; about 4
//! minutes). `BENCH_AGENTS=N`, `BENCH_SERVER_ARGS`, `BENCH_CLIENT_ARGS` and
//! `BENCH_BIN` as for the other benchmarks. Only loopback traffic.

mod common;

use std::fmt::Write;
use std::time::Instant;

use common::{bin, command_in, ideal_seconds, json_of, pct, words, Server};

const INSTANCE: &str = "6f8b7a4e-ac93-4b1a-9fd4-7d3b5f6a8b90";

fn main() {
    let agents: usize = std::env::var("BENCH_AGENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let dir = tempfile::tempdir().expect("temporary directory");
    let seed = dir.path().join("seed.toml");
    std::fs::write(&seed, seed_text(agents)).expect("seed");
    let server_args = words("BENCH_SERVER_ARGS");
    let client_args = words("BENCH_CLIENT_ARGS");
    let mut flags = vec!["--latency-ms", "50"];
    flags.extend(server_args.iter().map(String::as_str));
    let server = Server::start_with_seed(dir.path(), &seed, &flags);
    let started = Instant::now();
    let remove = [
        "agents",
        "remove",
        "--routing-profile",
        "Basic Routing Profile",
    ];
    let output = command_in(&server, INSTANCE, &remove)
        .current_dir(dir.path())
        .args(["--yes", "--format", "json", "--backup", "backup.csv"])
        .args(&client_args)
        .output()
        .expect("agents remove");
    let wall = started.elapsed().as_secs_f64();
    let stats = server.stats();
    let summary = &json_of(&output)["summary"];
    let (calls, requests, throttled) = (stats.calls(), stats.requests(), stats.throttled());
    let deletes = stats.count("DeleteUser", "200");
    let ideal = ideal_seconds(calls, 2.0, 5);
    let per_operation = 2.0 * ideal_seconds(deletes, 2.0, 5);
    println!(
        "agents remove: {agents} agents at the default quota (2/s, burst 5), --latency-ms 50; \
         server {server_args:?}, client {client_args:?}, {}",
        bin()
    );
    println!();
    println!(
        "| agents | removed | failed | calls | DescribeUser | DeleteUser | throttled | wall | ideal (reads + deletes) | wall / ideal | ideal (calls) | wall / ideal |"
    );
    println!(
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    println!(
        "| {agents} | {} | {} | {calls} | {} | {deletes} | {throttled} ({:.1}%) | {wall:.1} s | {per_operation:.1} s | {:.3} | {ideal:.1} s | {:.3} |",
        summary["removed"],
        summary["failed"],
        stats.count("DescribeUser", "200"),
        pct(throttled, requests),
        wall / per_operation,
        wall / ideal
    );
}

/// An instance with `agents` agents in one routing profile.
fn seed_text(agents: usize) -> String {
    let mut text = format!(
        "id = \"{INSTANCE}\"\nalias = \"bench\"\nidentity = \"CONNECT_MANAGED\"\n\
         routing_profiles = [\"Basic Routing Profile\"]\nsecurity_profiles = [\"Agent\"]\n"
    );
    for i in 0..agents {
        let _ = write!(
            text,
            "\n[[users]]\nusername = \"agent.{i}\"\nfirst_name = \"Agent\"\nlast_name = \"N{i}\"\n\
             email = \"agent.{i}@example.com\"\nrouting_profile = \"Basic Routing Profile\"\n\
             security_profiles = [\"Agent\"]\nphone_type = \"SOFT_PHONE\"\n"
        );
    }
    text
}
