//! Benchmark: `import apply` against `local serve` with 50 ms of latency.
//!
//! Two scenarios, each on a fresh server and store:
//! - 2,000 users at `--rate 50`: achieved creates per second against the
//!   rate, throttled requests, failed rows;
//! - 60 users at the default quota (2/s, burst 5): wall time against the
//!   ideal `(calls - burst) / rate` for the calls the run made.
//!
//! Run: `cargo bench --bench apply` (release build; about 80 s). Only
//! loopback traffic.

mod common;

use std::time::Instant;

use common::{command, ideal_seconds, json_of, pct, write_agents, Server};

fn main() {
    // `cargo bench` passes --bench; nothing else to parse.
    println!("import apply against local serve (--latency-ms 50), release build");
    println!();
    scenario("2,000 users at --rate 50 --burst 5", 2000, 50.0, 5, 8);
    scenario(
        "60 users at the default quota (2/s, burst 5)",
        60,
        2.0,
        5,
        4,
    );
}

fn scenario(title: &str, users: usize, rate: f64, burst: u32, concurrency: usize) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let csv = dir.path().join("agents.csv");
    write_agents(&csv, "bench", users);
    let (rate_text, burst_text) = (rate.to_string(), burst.to_string());
    let server = Server::start(
        dir.path(),
        &[
            "--rate",
            &rate_text,
            "--burst",
            &burst_text,
            "--latency-ms",
            "50",
        ],
    );

    let started = Instant::now();
    let output = command(&server, &["import", "apply", csv.to_str().unwrap()])
        .args(["--rate", &rate_text, "--burst", &burst_text])
        .args(["--concurrency", &concurrency.to_string()])
        .args(["--yes", "--format", "json"])
        .output()
        .expect("run import apply");
    let wall = started.elapsed().as_secs_f64();
    let stats = server.stats();

    let result = json_of(&output);
    let summary = &result["apply"]["summary"];
    let created = summary["created"].as_u64().unwrap_or(0);
    let failed = summary["failed"].as_u64().unwrap_or(0);
    let submit = result["apply"]["timing"]["submit_seconds"]
        .as_f64()
        .unwrap_or(f64::NAN);
    let (calls, requests, throttled) = (stats.calls(), stats.requests(), stats.throttled());
    let ideal = ideal_seconds(calls, rate, burst);
    let achieved = created as f64 / submit;

    println!("## {title}");
    println!("exit code               {:?}", output.status.code());
    println!("created / failed        {created} / {failed}");
    println!(
        "requests (429s)         {requests} ({throttled} throttled, {:.2}%)",
        pct(throttled, requests)
    );
    println!(
        "wall time               {wall:.2} s  (ideal for {calls} calls: {ideal:.2} s, over by {:.2} s)",
        wall - ideal
    );
    println!(
        "submission              {submit:.2} s, {achieved:.2} creates/s = {:.1}% of --rate {rate}",
        100.0 * achieved / rate
    );
    println!();
}
