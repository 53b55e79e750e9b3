//! Throughput of `local serve`: how many CreateUser calls a second the
//! server sustains with throttling off, driven by many concurrent
//! `aws-sdk-connect` clients over loopback. Not a test: it prints figures.
//!
//! ```text
//! cargo bench --bench local_serve
//! BENCH_CREATES=40000 BENCH_TASKS=64 BENCH_CLIENTS=8 cargo bench --bench local_serve
//! ```

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use aws_sdk_connect::types::{PhoneType, UserIdentityInfo, UserPhoneConfig};

const DEMO_INSTANCE_ID: &str = "1f3c2b9a-5d4e-4c6b-9a7f-2e8d0c1b3a45";

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn stats(endpoint: &str) -> String {
    let addr = endpoint.trim_start_matches("http://");
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

fn main() {
    let creates = env_usize("BENCH_CREATES", 20_000);
    let tasks = env_usize("BENCH_TASKS", 64);
    let clients = env_usize("BENCH_CLIENTS", 8);
    let dir = tempfile::tempdir().expect("temporary directory");
    let db = dir.path().join("bench.sqlite");
    let mut child = Command::new(env!("CARGO_BIN_EXE_connect-users"))
        .args([
            "local",
            "serve",
            "--demo",
            "--no-throttle",
            "--quiet",
            "--addr",
            "127.0.0.1:0",
            "--db",
        ])
        .arg(&db)
        .stdout(Stdio::piped())
        .spawn()
        .expect("starting local serve");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut endpoint = String::new();
    stdout.read_line(&mut endpoint).unwrap();
    let endpoint = endpoint.trim().to_string();

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (elapsed, failures) = runtime.block_on(async {
        let sdk_clients: Vec<aws_sdk_connect::Client> = (0..clients)
            .map(|_| {
                let creds =
                    aws_sdk_connect::config::Credentials::new("test", "test", None, None, "bench");
                let conf = aws_sdk_connect::Config::builder()
                    .behavior_version(aws_sdk_connect::config::BehaviorVersion::latest())
                    .region(aws_sdk_connect::config::Region::new("us-east-1"))
                    .credentials_provider(creds)
                    .endpoint_url(&endpoint)
                    .retry_config(aws_sdk_connect::config::retry::RetryConfig::disabled())
                    .build();
                aws_sdk_connect::Client::from_conf(conf)
            })
            .collect();
        let api = connect_users::local::api::LocalApi::open(&db, Some(DEMO_INSTANCE_ID)).unwrap();
        use connect_users::connect::ConnectApi;
        let rp = api.list_routing_profiles().await.unwrap()[0].id.clone();
        let sp = api.list_security_profiles().await.unwrap()[1].id.clone();
        let next = Arc::new(AtomicUsize::new(0));
        let failures = Arc::new(AtomicUsize::new(0));
        let start = Instant::now();
        let mut handles = vec![];
        for t in 0..tasks {
            let client = sdk_clients[t % clients].clone();
            let (next, failures, rp, sp) = (next.clone(), failures.clone(), rp.clone(), sp.clone());
            handles.push(tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= creates {
                        break;
                    }
                    let result = client
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
                        .routing_profile_id(&rp)
                        .security_profile_ids(&sp)
                        .send()
                        .await;
                    if result.is_err() {
                        failures.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }));
        }
        for handle in handles {
            handle.await.unwrap();
        }
        (start.elapsed(), failures.load(Ordering::Relaxed))
    });
    let rate = creates as f64 / elapsed.as_secs_f64();
    println!("local_serve CreateUser: {creates} creates in {:.2} s = {rate:.0} creates/s ({tasks} tasks over {clients} SDK clients, {failures} failed)", elapsed.as_secs_f64());
    println!("server stats: {}", stats(&endpoint));
    let _ = child.kill();
    let _ = child.wait();
}
