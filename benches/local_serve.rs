//! Throughput of `local serve`: how many CreateUser calls a second the
//! server sustains with throttling off, driven by many concurrent
//! `aws-sdk-connect` clients over loopback. Not a test: it prints figures.
//!
//! ```text
//! cargo bench --bench local_serve
//! BENCH_CREATES=40000 BENCH_TASKS=64 BENCH_CLIENTS=8 cargo bench --bench local_serve
//! BENCH_SERVER_BIN=/path/to/other/connect-users cargo bench --bench local_serve
//! ```
//!
//! With `BENCH_PACED=1` it checks the quota instead: the server runs with
//! `--rate 50 --burst 5` and one client sends 2,000 creates paced at 50 a
//! second; it prints the share answered ThrottlingException.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_sdk_connect::types::{PhoneType, UserIdentityInfo, UserPhoneConfig};
use aws_sdk_connect::Client;
use connect_users::connect::ConnectApi;

const DEMO_INSTANCE_ID: &str = "1f3c2b9a-5d4e-4c6b-9a7f-2e8d0c1b3a45";

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A `local serve` child on a fresh database in `dir`.
struct Server {
    child: Child,
    endpoint: String,
    db: PathBuf,
}

impl Server {
    fn start(dir: &Path, args: &[&str]) -> Server {
        let db = dir.join("bench.sqlite");
        // `BENCH_SERVER_BIN`: the server of another build, to compare.
        let bin = std::env::var_os("BENCH_SERVER_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_connect-users")));
        let mut child = Command::new(bin)
            .args([
                "local",
                "serve",
                "--demo",
                "--quiet",
                "--addr",
                "127.0.0.1:0",
                "--db",
            ])
            .arg(&db)
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .expect("starting local serve");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut endpoint = String::new();
        stdout.read_line(&mut endpoint).unwrap();
        Server {
            child,
            endpoint: endpoint.trim().to_string(),
            db,
        }
    }

    fn client(&self) -> Client {
        let creds = aws_sdk_connect::config::Credentials::new("test", "test", None, None, "bench");
        let conf = aws_sdk_connect::Config::builder()
            .behavior_version(aws_sdk_connect::config::BehaviorVersion::latest())
            .region(aws_sdk_connect::config::Region::new("us-east-1"))
            .credentials_provider(creds)
            .endpoint_url(&self.endpoint)
            .retry_config(aws_sdk_connect::config::retry::RetryConfig::disabled())
            .build();
        Client::from_conf(conf)
    }

    /// Routing and security profile IDs, read in-process.
    async fn profile_ids(&self) -> (String, String) {
        let api =
            connect_users::local::api::LocalApi::open(&self.db, Some(DEMO_INSTANCE_ID)).unwrap();
        let rp = api.list_routing_profiles().await.unwrap()[0].id.clone();
        let sp = api.list_security_profiles().await.unwrap()[1].id.clone();
        (rp, sp)
    }

    fn stats(&self) -> String {
        let addr = self.endpoint.trim_start_matches("http://");
        let mut stream = TcpStream::connect(addr).expect("connect for stats");
        write!(
            stream,
            "GET /_local/stats HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n\r\n"
        )
        .unwrap();
        let mut text = String::new();
        stream.read_to_string(&mut text).unwrap();
        text.split_once("\r\n\r\n")
            .map(|(_, body)| body.to_string())
            .unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn create(client: &Client, ids: &(String, String), i: usize) -> bool {
    client
        .create_user()
        .instance_id(DEMO_INSTANCE_ID)
        .username(format!("bench.{i}"))
        .password("Str0ngPassw0rd")
        .identity_info(
            UserIdentityInfo::builder()
                .first_name("Bench")
                .last_name(format!("User {i}"))
                .build(),
        )
        .phone_config(
            UserPhoneConfig::builder()
                .phone_type(PhoneType::SoftPhone)
                .after_contact_work_time_limit(30)
                .build(),
        )
        .routing_profile_id(&ids.0)
        .security_profile_ids(&ids.1)
        .send()
        .await
        .is_ok()
}

/// Unthrottled CreateUser throughput with many concurrent clients.
async fn throughput(dir: &Path) {
    let creates = env_usize("BENCH_CREATES", 20_000);
    let tasks = env_usize("BENCH_TASKS", 64);
    let clients = env_usize("BENCH_CLIENTS", 8);
    let server = Server::start(dir, &["--no-throttle"]);
    let ids = Arc::new(server.profile_ids().await);
    let sdk_clients: Vec<Client> = (0..clients).map(|_| server.client()).collect();
    let next = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut handles = vec![];
    for t in 0..tasks {
        let client = sdk_clients[t % clients].clone();
        let (next, failures, ids) = (next.clone(), failures.clone(), ids.clone());
        handles.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= creates {
                    break;
                }
                if !create(&client, &ids, i).await {
                    failures.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    for handle in handles {
        handle.await.unwrap();
    }
    let elapsed = start.elapsed().as_secs_f64();
    println!(
        "local_serve CreateUser: {creates} creates in {elapsed:.2} s = {:.0} creates/s ({tasks} tasks over {clients} SDK clients, {} failed)",
        creates as f64 / elapsed,
        failures.load(Ordering::Relaxed)
    );
    println!("server stats: {}", server.stats());
}

/// 2,000 creates paced at 50/s against `--rate 50 --burst 5`.
async fn paced(dir: &Path) {
    let server = Server::start(dir, &["--rate", "50", "--burst", "5"]);
    let ids = Arc::new(server.profile_ids().await);
    let client = server.client();
    let mut tick = tokio::time::interval(Duration::from_millis(20));
    let mut handles = vec![];
    for i in 0..2000 {
        tick.tick().await;
        let (client, ids) = (client.clone(), ids.clone());
        handles.push(tokio::spawn(async move { create(&client, &ids, i).await }));
    }
    let mut refused = 0;
    for handle in handles {
        if !handle.await.unwrap() {
            refused += 1;
        }
    }
    println!("local_serve paced: 2000 creates at 50/s against --rate 50 --burst 5: {refused} refused ({:.2}%)", refused as f64 / 20.0);
    println!("server stats: {}", server.stats());
}

fn main() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    if std::env::var_os("BENCH_PACED").is_some() {
        runtime.block_on(paced(dir.path()));
    } else {
        runtime.block_on(throughput(dir.path()));
    }
}
