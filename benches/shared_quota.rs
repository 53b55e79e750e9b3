//! Benchmark: N `import apply` jobs at once sharing one account's default
//! quota (2 requests a second, burst 5, on the server and in every client),
//! 60 users in all, against `local serve --latency-ms 50`.
//!
//! For N = 1, 2 and 4 it prints the wall time of the slowest job against
//! the ideal `(calls of all jobs - 5) / 2` seconds, the share of requests
//! throttled, and the rows failed. Targets: every row created, within 10%
//! of the ideal, at most 15% of requests throttled.
//!
//! Run: `cargo bench --bench shared_quota` (release build; about 2.5
//! minutes). Only loopback traffic.

mod common;

use std::time::Instant;

use common::{command, ideal_seconds, json_of, pct, write_agents, Server};

const USERS: usize = 60;

fn main() {
    println!("import apply: N jobs sharing the default quota (2/s, burst 5), {USERS} users in all");
    println!();
    println!(
        "| jobs | created | failed | calls | requests | throttled | of which CreateUser | wall | ideal | wall / ideal | each job ended at |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
    let repeat: usize = std::env::var("BENCH_REPEAT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let jobs_list: Vec<usize> = std::env::var("BENCH_JOBS")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.parse().ok()).collect())
        .unwrap_or_else(|| vec![1, 2, 4]);
    for jobs in jobs_list {
        for _ in 0..repeat {
            scenario(jobs);
        }
    }
}

fn scenario(jobs: usize) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let server = Server::start(dir.path(), &["--latency-ms", "50"]);
    let files: Vec<_> = (0..jobs)
        .map(|job| {
            let path = dir.path().join(format!("job{job}.csv"));
            write_agents(&path, &format!("job{job}"), USERS / jobs);
            path
        })
        .collect();
    let started = Instant::now();
    // Jobs start a random fraction of a second apart, as real ones do.
    let children: Vec<_> = files
        .iter()
        .map(|file| {
            std::thread::sleep(std::time::Duration::from_millis(
                rand::random::<u64>() % 500,
            ));
            command(&server, &["import", "apply", file.to_str().unwrap()])
                .args(["--yes", "--format", "json"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("start import apply")
        })
        .collect();
    // Each job waited for on its own thread, so its own end is known.
    let waiters: Vec<_> = children
        .into_iter()
        .map(|child| {
            std::thread::spawn(move || {
                let output = child.wait_with_output().expect("import apply");
                (output, started.elapsed().as_secs_f64())
            })
        })
        .collect();
    let (mut created, mut failed, mut ends) = (0, 0, Vec::new());
    for waiter in waiters {
        let (output, end) = waiter.join().expect("waiter");
        let summary = &json_of(&output)["apply"]["summary"];
        created += summary["created"].as_u64().unwrap_or(0);
        failed +=
            summary["failed"].as_u64().unwrap_or(0) + summary["unknown"].as_u64().unwrap_or(0);
        ends.push(format!("{end:.1}"));
    }
    let wall = started.elapsed().as_secs_f64();
    let stats = server.stats();
    let (calls, requests, throttled) = (stats.calls(), stats.requests(), stats.throttled());
    let ideal = ideal_seconds(calls, 2.0, 5);
    println!(
        "| {jobs} | {created} | {failed} | {calls} | {requests} | {throttled} ({:.1}%) | {} | {wall:.1} s | {ideal:.1} s | {:.3} | {} s |",
        pct(throttled, requests),
        stats.count("CreateUser", "429"),
        wall / ideal,
        ends.join(", ")
    );
}
