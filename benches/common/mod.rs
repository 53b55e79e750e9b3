//! What the benchmarks that run the release binary against `local serve`
//! share: the server, generated agents, the command, and the server's stats.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_connect-users");

/// The binary to measure: `BENCH_BIN` when set (to compare another build,
/// e.g. one from before a change), else this build's.
pub fn bin() -> String {
    std::env::var("BENCH_BIN").unwrap_or_else(|_| BIN.to_string())
}
pub const DEMO_INSTANCE: &str = "1f3c2b9a-5d4e-4c6b-9a7f-2e8d0c1b3a45";
pub const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/demo-instance.toml");

/// The words of an environment variable, split on spaces (extra flags such
/// as `BENCH_SERVER_ARGS="--quota shared"`).
pub fn words(name: &str) -> Vec<String> {
    std::env::var(name)
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// A `local serve` child on a fresh database in a directory; killed on drop.
pub struct Server {
    child: Child,
    pub endpoint: String,
}

impl Server {
    /// The demo instance with these extra flags (quota, latency, …).
    pub fn start(dir: &Path, args: &[&str]) -> Server {
        Server::start_with_seed(dir, Path::new(SEED), args)
    }

    /// The instance of a seed file, with these extra flags.
    pub fn start_with_seed(dir: &Path, seed: &Path, args: &[&str]) -> Server {
        let mut child = Command::new(bin())
            .args([
                "local",
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--quiet",
                "--seed",
            ])
            .arg(seed)
            .arg("--db")
            .arg(dir.join("local.db"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start local serve");
        let stdout = child.stdout.take().expect("server stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("endpoint line");
        Server {
            child,
            endpoint: line.trim().to_string(),
        }
    }

    /// `GET /_local/stats` over a plain loopback connection.
    pub fn stats(&self) -> Stats {
        let host = self.endpoint.trim_start_matches("http://");
        let mut stream = TcpStream::connect(host).expect("connect to local serve");
        write!(
            stream,
            "GET /_local/stats HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .expect("send");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read stats");
        let body = response.split("\r\n\r\n").nth(1).unwrap_or("{}");
        Stats(serde_json::from_str(body).unwrap_or(serde_json::Value::Null))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The server's counts by operation and status.
pub struct Stats(pub serde_json::Value);

/// Operations with quotas of their own in the service, not the shared one.
const OWN_QUOTA: [&str; 2] = ["DescribeInstance", "ListInstances"];

impl Stats {
    fn sum(&self, wanted: impl Fn(&str, &str) -> bool) -> u64 {
        let Some(ops) = self.0["operations"].as_object() else {
            return 0;
        };
        ops.iter()
            .filter(|(op, _)| !OWN_QUOTA.contains(&op.as_str()))
            .flat_map(|(op, by_status)| {
                by_status
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter(|(status, _)| wanted(op, status))
                    .map(|(_, n)| n.as_u64().unwrap_or(0))
            })
            .sum()
    }

    /// Requests under the shared quota, throttled or not.
    pub fn requests(&self) -> u64 {
        self.sum(|_, _| true)
    }

    /// Requests answered 429 ThrottlingException.
    pub fn throttled(&self) -> u64 {
        self.sum(|_, status| status == "429")
    }

    /// Requests of one operation with one status.
    pub fn count(&self, operation: &str, status: &str) -> u64 {
        self.0["operations"][operation][status]
            .as_u64()
            .unwrap_or(0)
    }

    /// Calls that used the quota: requests less the throttled ones.
    pub fn calls(&self) -> u64 {
        self.requests() - self.throttled()
    }
}

/// `(calls - burst) / rate`: the least time the quota allows for the calls.
pub fn ideal_seconds(calls: u64, rate: f64, burst: u32) -> f64 {
    (calls as f64 - f64::from(burst)).max(0.0) / rate
}

pub fn pct(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

/// Agents that fit the demo instance, none of them existing: logins
/// `PREFIX.0`, `PREFIX.1`, …
pub fn write_agents(path: &Path, prefix: &str, users: usize) {
    let mut text = String::from(
        "first name,last name,email address,secondary email,mobile,user login,password,routing profile name,\
         security_profile_name_1|security_profile_name_2,user_hierarchy_1|user_hierarchy_2,phone type (soft/desk),\
         phone number,soft phone auto accept (yes/no),ACW timeout (seconds),persistent connection (yes/no),tags\n",
    );
    for i in 0..users {
        text.push_str(&format!(
            "Bench{i},Agent,{prefix}{i}@example.com,,,{prefix}.{i},Bench-pass{i},Basic Routing Profile,Agent,\
             North America|Seattle|Team Orca,soft,,yes,30,yes,team|bench\n"
        ));
    }
    std::fs::write(path, text).expect("write agents");
}

/// `connect-users ARGS` against the server's demo instance, signed with the
/// local key pair, no terminal, nothing from the caller's AWS settings.
pub fn command(server: &Server, args: &[&str]) -> Command {
    command_in(server, DEMO_INSTANCE, args)
}

/// [`command`] against another instance of the server.
pub fn command_in(server: &Server, instance: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .args([
            "--instance-id",
            instance,
            "--endpoint-url",
            &server.endpoint,
        ])
        .args(["--region", "us-east-1"])
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("AWS_ENDPOINT_URL_CONNECT")
        .stdin(Stdio::null());
    cmd
}

/// The JSON a `--format json` run printed.
pub fn json_of(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
        panic!(
            "no JSON on stdout ({err}); stderr:\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}
