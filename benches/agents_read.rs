//! Benchmark: `agents list` and `agents export` of every user of an
//! instance of 10,000 agents at the default quota (2 requests a second,
//! burst 5, on the server and in the client), against `local serve
//! --latency-ms 50`.
//!
//! It prints, per command, the calls by operation, the wall time, and the
//! ideal `(calls - 5) / 2` seconds for the calls the run made.
//!
//! Run: `cargo bench --bench agents_read` (release build). Environment:
//! `BENCH_AGENTS=N` (default 10000), `BENCH_COMMAND=list|export` (default
//! both, one after the other), `BENCH_SERVER_ARGS` / `BENCH_CLIENT_ARGS`
//! (extra flags, split on spaces), `BENCH_BIN` (another build to measure).
//! Only loopback traffic.

mod common;

use std::fmt::Write;
use std::time::Instant;

use common::{bin, command_in, ideal_seconds, pct, words, Server};

const INSTANCE: &str = "5e7a6f3d-9b82-4a0f-8ec3-6c2a4f5e7f89";

fn main() {
    let agents: usize = std::env::var("BENCH_AGENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let commands: Vec<String> = match std::env::var("BENCH_COMMAND") {
        Ok(one) => vec![one],
        Err(_) => vec!["list".into(), "export".into()],
    };
    let server_args = words("BENCH_SERVER_ARGS");
    let client_args = words("BENCH_CLIENT_ARGS");
    println!(
        "agents list / export of {agents} agents at the default quota (2/s, burst 5), \
         --latency-ms 50; server {server_args:?}, client {client_args:?}, {}",
        bin()
    );
    println!();
    println!("| command | agents | rows | calls | by operation | throttled | wall | ideal | wall / ideal |");
    println!("| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |");
    for command in commands {
        let dir = tempfile::tempdir().expect("temporary directory");
        let seed = dir.path().join("seed.toml");
        std::fs::write(&seed, seed_text(agents)).expect("seed");
        let mut flags = vec!["--latency-ms", "50"];
        flags.extend(server_args.iter().map(String::as_str));
        let server = Server::start_with_seed(dir.path(), &seed, &flags);
        let out = dir.path().join("out.csv");
        let mut cmd = command_in(&server, INSTANCE, &["agents", command.as_str()]);
        match command.as_str() {
            "list" => cmd.args(["--format", "csv"]),
            "export" => cmd.arg("-o").arg(&out),
            other => panic!("BENCH_COMMAND={other}: expected list or export"),
        };
        cmd.args(&client_args);
        let started = Instant::now();
        let output = cmd.output().expect("agents command");
        let wall = started.elapsed().as_secs_f64();
        assert!(
            output.status.success(),
            "agents {command}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let text = match command.as_str() {
            "list" => String::from_utf8_lossy(&output.stdout).into_owned(),
            _ => std::fs::read_to_string(&out).expect("export file"),
        };
        let rows = text.lines().count().saturating_sub(1);
        let stats = server.stats();
        let (calls, requests, throttled) = (stats.calls(), stats.requests(), stats.throttled());
        let by_operation = stats.0["operations"]
            .as_object()
            .map(|ops| {
                ops.iter()
                    .filter(|(op, _)| !op.contains("Instance"))
                    .map(|(op, by_status)| format!("{op} {}", by_status["200"]))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default();
        let ideal = ideal_seconds(calls, 2.0, 5);
        println!(
            "| {command} | {agents} | {rows} | {calls} | {by_operation} | {throttled} ({:.1}%) | {wall:.1} s | {ideal:.1} s | {:.3} |",
            pct(throttled, requests),
            wall / ideal.max(0.001)
        );
    }
}

/// An instance of `agents` users over two routing profiles and two teams,
/// a tenth of them desk phones.
fn seed_text(agents: usize) -> String {
    let mut text = format!(
        "id = \"{INSTANCE}\"\nalias = \"bench\"\nidentity = \"CONNECT_MANAGED\"\n\
         routing_profiles = [\"Basic Routing Profile\", \"Sales Inbound\"]\n\
         security_profiles = [\"Agent\", \"Admin\"]\n\n[hierarchy]\nlevels = [\"Site\", \"Team\"]\n\
         groups = [\"Seattle|Orca\", \"Seattle|Rainier\"]\n"
    );
    for i in 0..agents {
        let (profile, team) = if i % 2 == 0 {
            ("Basic Routing Profile", "Seattle|Orca")
        } else {
            ("Sales Inbound", "Seattle|Rainier")
        };
        let phone = if i % 10 == 0 {
            "phone_type = \"DESK_PHONE\"\ndesk_phone_number = \"+12065550100\"\n"
        } else {
            "phone_type = \"SOFT_PHONE\"\n"
        };
        let _ = write!(
            text,
            "\n[[users]]\nusername = \"agent.{i:05}\"\nfirst_name = \"Agent\"\nlast_name = \"N{i}\"\n\
             email = \"agent.{i}@example.com\"\nrouting_profile = \"{profile}\"\n\
             security_profiles = [\"Agent\"]\nhierarchy = \"{team}\"\n{phone}\
             persistent_connection = {}\ntags = {{ team = \"bench\" }}\n",
            i % 3 == 0
        );
    }
    text
}
