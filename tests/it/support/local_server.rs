//! A real `connect-users local serve` for tests: started on port 0 with a
//! seed and a fresh database, stopped when dropped.
//!
//! ```ignore
//! mod support;
//! use support::local_server::LocalServer;
//!
//! let server = LocalServer::start(); // demo instance, no quota
//! let client = server.client();      // aws-sdk-connect, signed with test/test
//! let stats = server.stats();        // GET /_local/stats
//! ```
//!
//! Every server records its answers (`--record`), and checks them against
//! the service model when it is stopped or dropped: a test fails if the
//! server answered anything the real API could not.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, ExitStatus, Stdio};

use super::model::Model;

/// The demo instance of `fixtures/demo-instance.toml`.
pub const DEMO_INSTANCE_ID: &str = "1f3c2b9a-5d4e-4c6b-9a7f-2e8d0c1b3a45";

/// The demo seed file.
pub fn demo_seed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo-instance.toml")
}

/// How to start a server.
pub struct LocalServerBuilder {
    seed: Option<PathBuf>,
    db: Option<PathBuf>,
    args: Vec<String>,
    open_file_limit: Option<u64>,
}

impl LocalServerBuilder {
    /// Seed file to load (default: the demo instance).
    pub fn seed(mut self, path: impl Into<PathBuf>) -> Self {
        self.seed = Some(path.into());
        self
    }

    /// Start without a seed (a database that already holds instances).
    pub fn no_seed(mut self) -> Self {
        self.seed = None;
        self
    }

    /// Database file (default: a fresh one in the server's temporary directory).
    pub fn db(mut self, path: impl Into<PathBuf>) -> Self {
        self.db = Some(path.into());
        self
    }

    /// Extra arguments, e.g. `["--rate", "50"]` or `["--no-throttle"]`.
    pub fn args<I: IntoIterator<Item = S>, S: Into<String>>(mut self, args: I) -> Self {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Runs the server under this open-file limit (`ulimit -n`), so a test
    /// can exhaust its file descriptors with a few dozen connections.
    pub fn open_file_limit(mut self, limit: u64) -> Self {
        self.open_file_limit = Some(limit);
        self
    }

    pub fn start(self) -> LocalServer {
        let dir = tempfile::tempdir().expect("temporary directory");
        let db = self.db.unwrap_or_else(|| dir.path().join("local.sqlite"));
        let stderr_path = dir.path().join("server.log");
        let record_path = dir.path().join("record.jsonl");
        let stderr = std::fs::File::create(&stderr_path).expect("server log file");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_connect-users"));
        cmd.args(["local", "serve", "--addr", "127.0.0.1:0", "--db"])
            .arg(&db);
        if let Some(seed) = &self.seed {
            cmd.arg("--seed").arg(seed);
        }
        cmd.arg("--record").arg(&record_path);
        cmd.args(&self.args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr);
        if let Some(limit) = self.open_file_limit {
            use std::os::unix::process::CommandExt;
            // SAFETY: setrlimit(2) is async-signal-safe, and the closure
            // touches nothing but its own copy of `limit`.
            unsafe {
                cmd.pre_exec(move || {
                    let rlimit = libc::rlimit {
                        rlim_cur: limit as libc::rlim_t,
                        rlim_max: limit as libc::rlim_t,
                    };
                    if libc::setrlimit(libc::RLIMIT_NOFILE, &rlimit) == 0 {
                        Ok(())
                    } else {
                        Err(std::io::Error::last_os_error())
                    }
                });
            }
        }
        let mut child = cmd.spawn().expect("starting connect-users local serve");
        let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        let mut line = String::new();
        stdout
            .read_line(&mut line)
            .expect("reading the endpoint line");
        let endpoint = line.trim_end().to_string();
        if !endpoint.starts_with("http://127.0.0.1:") {
            let _ = child.wait();
            panic!(
                "local serve did not print its endpoint (got {endpoint:?}); stderr:\n{}",
                std::fs::read_to_string(&stderr_path).unwrap_or_default()
            );
        }
        LocalServer {
            child,
            _stdout: stdout,
            endpoint,
            db,
            stderr_path,
            record_path,
            _dir: dir,
        }
    }
}

/// A running server; killed on drop.
pub struct LocalServer {
    child: Child,
    _stdout: BufReader<ChildStdout>,
    endpoint: String,
    db: PathBuf,
    stderr_path: PathBuf,
    record_path: PathBuf,
    _dir: tempfile::TempDir,
}

/// An HTTP answer read off the wire.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    /// Header lines, names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

impl LocalServer {
    /// The demo instance, with no quota (`--no-throttle`).
    pub fn start() -> LocalServer {
        LocalServer::builder().args(["--no-throttle"]).start()
    }

    /// The demo seed and no extra arguments (so the default quota applies).
    pub fn builder() -> LocalServerBuilder {
        LocalServerBuilder {
            seed: Some(demo_seed()),
            db: None,
            args: vec![],
            open_file_limit: None,
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    pub fn db_path(&self) -> &Path {
        &self.db
    }

    /// What the server wrote to stderr so far (the request log).
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.stderr_path).unwrap_or_default()
    }

    /// SDK configuration for this server: credentials test/test, region
    /// us-east-1, no retries (so a test sees each answer as it is).
    pub fn sdk_config(&self) -> aws_sdk_connect::config::Builder {
        self.sdk_config_with_keys("test", "test")
    }

    pub fn sdk_config_with_keys(
        &self,
        access_key: &str,
        secret_key: &str,
    ) -> aws_sdk_connect::config::Builder {
        let creds = aws_sdk_connect::config::Credentials::new(
            access_key,
            secret_key,
            None,
            None,
            "local-server-test",
        );
        aws_sdk_connect::Config::builder()
            .behavior_version(aws_sdk_connect::config::BehaviorVersion::latest())
            .region(aws_sdk_connect::config::Region::new("us-east-1"))
            .credentials_provider(creds)
            .endpoint_url(&self.endpoint)
            .retry_config(aws_sdk_connect::config::retry::RetryConfig::disabled())
    }

    /// A client for this server (see [`LocalServer::sdk_config`]).
    pub fn client(&self) -> aws_sdk_connect::Client {
        aws_sdk_connect::Client::from_conf(self.sdk_config().build())
    }

    /// `GET /_local/stats`.
    pub fn stats(&self) -> serde_json::Value {
        let response = self.raw_request("GET", "/_local/stats", &[], "");
        assert_eq!(response.status, 200, "stats: {response:?}");
        serde_json::from_str(&response.body).expect("stats JSON")
    }

    /// How many requests of `operation` ended with `outcome` ("200", "409", "dropped", …).
    pub fn count(&self, operation: &str, outcome: &str) -> u64 {
        self.stats()["operations"][operation][outcome]
            .as_u64()
            .unwrap_or(0)
    }

    /// Sends one unsigned HTTP/1.1 request and reads the answer.
    pub fn raw_request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> RawResponse {
        let addr = self.endpoint.trim_start_matches("http://");
        let mut stream = TcpStream::connect(addr).expect("connecting to the local server");
        let mut request = format!("{method} {path} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\ncontent-length: {}\r\n", body.len());
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        request.push_str(body);
        stream
            .write_all(request.as_bytes())
            .expect("writing the request");
        let mut text = String::new();
        stream
            .read_to_string(&mut text)
            .expect("reading the answer");
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        RawResponse {
            status,
            headers,
            body: body.to_string(),
        }
    }

    /// Sends one HTTP/1.1 request signed as an SDK signs it (SigV4,
    /// service `connect`, region us-east-1) with the key pair `keys`.
    pub fn signed_request(
        &self,
        keys: (&str, &str),
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> RawResponse {
        self.signed_request_with(keys, method, path, headers, body, false)
    }

    /// Like [`LocalServer::signed_request`], or, with `unsigned_payload`,
    /// signed as Amazon S3 allows: `UNSIGNED-PAYLOAD` in place of the
    /// body's hash (and in `x-amz-content-sha256`).
    pub fn signed_request_with(
        &self,
        keys: (&str, &str),
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
        unsigned_payload: bool,
    ) -> RawResponse {
        use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
        let host = self.endpoint.trim_start_matches("http://");
        let mut all: Vec<(&str, &str)> = vec![("host", host)];
        all.extend_from_slice(headers);
        let payload = if unsigned_payload {
            all.push(("x-amz-content-sha256", "UNSIGNED-PAYLOAD"));
            SignableBody::UnsignedPayload
        } else {
            SignableBody::Bytes(body.as_bytes())
        };
        let identity =
            aws_credential_types::Credentials::new(keys.0, keys.1, None, None, "test").into();
        let params = aws_sigv4::sign::v4::SigningParams::builder()
            .identity(&identity)
            .region("us-east-1")
            .name("connect")
            .time(std::time::SystemTime::now())
            .settings(SigningSettings::default())
            .build()
            .expect("signing parameters")
            .into();
        let signable = SignableRequest::new(method, path, all.iter().copied(), payload)
            .expect("a signable request");
        let (instructions, _) = sign(signable, &params).expect("signing").into_parts();
        let mut request = http::Request::builder().method(method).uri(path);
        for (name, value) in &all {
            request = request.header(*name, *value);
        }
        let mut request = request.body(()).expect("a request");
        instructions.apply_to_request_http1x(&mut request);
        let signed: Vec<(String, String)> = request
            .headers()
            .iter()
            .filter(|(name, _)| name.as_str() != "host")
            .map(|(name, value)| (name.to_string(), value.to_str().unwrap().to_string()))
            .collect();
        let signed: Vec<(&str, &str)> = signed
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        self.raw_request(method, path, &signed, body)
    }

    /// Every answer the server gave so far, as `--record` wrote it:
    /// `{"operation", "status", "error_type", "body"}`.
    pub fn record(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.record_path)
            .unwrap_or_default()
            .lines()
            .map(|line| serde_json::from_str(line).expect("a record line is JSON"))
            .collect()
    }

    /// Checks every recorded answer against the service model; panics
    /// listing the answers that do not conform.
    pub fn check_answers(&self) {
        let model = Model::load();
        let mut problems = Vec::new();
        for line in self.record() {
            for problem in model.check_recorded(&line) {
                problems.push(format!("{problem}\n    answer: {line}"));
            }
        }
        assert!(
            problems.is_empty(),
            "local serve answered outside the service model:\n{}",
            problems.join("\n")
        );
    }

    /// Sends SIGTERM and waits for the server to exit.
    pub fn terminate(mut self) -> ExitStatus {
        super::process::signal(&self.child, super::process::SIGTERM);
        self.child.wait().expect("waiting for local serve")
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // A test that already failed keeps its own message.
        if !std::thread::panicking() {
            self.check_answers();
        }
    }
}
