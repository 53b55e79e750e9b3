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

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Instant;

const BIN: &str = env!("CARGO_BIN_EXE_connect-users");
const DEMO_INSTANCE: &str = "1f3c2b9a-5d4e-4c6b-9a7f-2e8d0c1b3a45";
const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/demo-instance.toml");

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
    write_agents(&csv, users);
    let mut server = start_server(dir.path(), rate, burst);
    let endpoint = read_endpoint(&mut server);

    let started = Instant::now();
    let output = Command::new(BIN)
        .args(["import", "apply"])
        .arg(&csv)
        .args([
            "--instance-id",
            DEMO_INSTANCE,
            "--endpoint-url",
            &endpoint,
            "--region",
            "us-east-1",
        ])
        .args(["--rate", &rate.to_string(), "--burst", &burst.to_string()])
        .args([
            "--concurrency",
            &concurrency.to_string(),
            "--yes",
            "--format",
            "json",
        ])
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .stdin(Stdio::null())
        .output()
        .expect("run import apply");
    let wall = started.elapsed().as_secs_f64();
    let stats = get_stats(&endpoint);
    let _ = server.kill();
    let _ = server.wait();

    let result: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
        panic!(
            "apply printed no JSON ({err}); stderr:\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let summary = &result["apply"]["summary"];
    let created = summary["created"].as_u64().unwrap_or(0);
    let failed = summary["failed"].as_u64().unwrap_or(0);
    let submit = result["apply"]["timing"]["submit_seconds"]
        .as_f64()
        .unwrap_or(f64::NAN);
    let requests = stats["requests"].as_u64().unwrap_or(0);
    let throttled: u64 = stats["operations"]
        .as_object()
        .map(|ops| {
            ops.values()
                .map(|by_status| by_status["429"].as_u64().unwrap_or(0))
                .sum()
        })
        .unwrap_or(0);
    let ideal = (requests.saturating_sub(throttled) as f64 - f64::from(burst)).max(0.0) / rate;
    let achieved = created as f64 / submit;

    println!("## {title}");
    println!("exit code               {:?}", output.status.code());
    println!("created / failed        {created} / {failed}");
    println!(
        "requests (429s)         {requests} ({throttled} throttled, {:.2}%)",
        pct(throttled, requests)
    );
    println!("wall time               {wall:.2} s  (ideal for {requests} calls: {ideal:.2} s, over by {:.2} s)", wall - ideal);
    println!(
        "submission              {submit:.2} s, {achieved:.2} creates/s = {:.1}% of --rate {rate}",
        100.0 * achieved / rate
    );
    println!();
}

fn pct(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

/// Agents that fit the demo instance, none of them existing.
fn write_agents(path: &Path, users: usize) {
    let mut text = String::from(
        "first name,last name,email address,secondary email,mobile,user login,password,routing profile name,\
         security_profile_name_1|security_profile_name_2,user_hierarchy_1|user_hierarchy_2,phone type (soft/desk),\
         phone number,soft phone auto accept (yes/no),ACW timeout (seconds),persistent connection (yes/no),tags\n",
    );
    for i in 0..users {
        text.push_str(&format!(
            "Bench{i},Agent,bench{i}@example.com,,,bench.{i},Bench-pass{i},Basic Routing Profile,Agent,\
             North America|Seattle|Team Orca,soft,,yes,30,yes,team|bench\n"
        ));
    }
    std::fs::write(path, text).expect("write agents");
}

fn start_server(dir: &Path, rate: f64, burst: u32) -> Child {
    Command::new(BIN)
        .args(["local", "serve", "--addr", "127.0.0.1:0", "--seed", SEED])
        .arg("--db")
        .arg(dir.join("local.db"))
        .args([
            "--rate",
            &rate.to_string(),
            "--burst",
            &burst.to_string(),
            "--latency-ms",
            "50",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start local serve")
}

fn read_endpoint(server: &mut Child) -> String {
    let stdout = server.stdout.take().expect("server stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("endpoint line");
    line.trim().to_string()
}

/// `GET /_local/stats` over a plain loopback connection.
fn get_stats(endpoint: &str) -> serde_json::Value {
    let host = endpoint.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host).expect("connect to local serve");
    write!(
        stream,
        "GET /_local/stats HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read stats");
    let body = response.split("\r\n\r\n").nth(1).unwrap_or("{}");
    serde_json::from_str(body).unwrap_or(serde_json::Value::Null)
}
