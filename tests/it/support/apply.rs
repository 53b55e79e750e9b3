//! Running the real `connect-users import …` binary against a local server,
//! in a fresh directory, with nothing from the caller's environment that
//! could point it elsewhere.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use super::local_server::LocalServer;

pub const BIN: &str = env!("CARGO_BIN_EXE_connect-users");

/// The instances of `fixtures/instances/*.toml`.
pub const SAML_INSTANCE_ID: &str = "2b4d3c0a-6e5f-4d7c-8b90-3f9e1d2c4b56";
pub const DIRECTORY_INSTANCE_ID: &str = "3c5e4d1b-7f60-4e8d-9ca1-4a0f2e3d5c67";

/// A server holding the SAML instance, without quota.
pub fn saml_server() -> LocalServer {
    LocalServer::builder()
        .seed(fixture("instances/saml.toml"))
        .args(["--no-throttle"])
        .start()
}

/// A fixture's absolute path.
pub fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(relative)
}

/// `connect-users ARGS` in `dir`, with AWS settings cleared and the local
/// key pair set; no terminal on stdin.
pub fn command(dir: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.stdin(Stdio::null());
    isolate(&mut cmd, dir);
    cmd
}

/// Runs a shell `line` (e.g. `{BIN} import apply …`) in `dir` on a
/// pseudo-terminal (util-linux `script`), isolated as [`command`] is,
/// typing `answer`; what the terminal showed is the run's stdout.
pub fn on_a_terminal(dir: &Path, line: &str, answer: &str) -> Run {
    let mut cmd = Command::new("script");
    cmd.args(["-qec", line, "/dev/null"]);
    isolate(&mut cmd, dir);
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("util-linux `script` runs the binary on a pseudo-terminal");
    let mut stdin = child.stdin.take().unwrap();
    std::io::Write::write_all(&mut stdin, answer.as_bytes()).unwrap();
    drop(stdin);
    Run::of(child.wait_with_output().unwrap())
}

/// Runs `cmd` in `dir` with nothing from the caller's environment that
/// could point it elsewhere: AWS settings cleared, the local key pair set.
fn isolate(cmd: &mut Command, dir: &Path) {
    cmd.current_dir(dir);
    for name in [
        "AWS_PROFILE",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_CONNECT",
        "AWS_SESSION_TOKEN",
        "AWS_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE",
        "CONNECT_INSTANCE_ID",
        "COLUMNS",
    ] {
        cmd.env_remove(name);
    }
    cmd.env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", dir.join("no-aws-config"))
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            dir.join("no-aws-credentials"),
        );
}

/// `connect-users import SUBCOMMAND FILE` against `server`'s instance `instance_id`.
pub fn import(
    dir: &Path,
    server: &LocalServer,
    instance_id: &str,
    subcommand: &str,
    file: &Path,
) -> Command {
    let mut cmd = command(dir);
    cmd.args(["import", subcommand]).arg(file).args([
        "--instance-id",
        instance_id,
        "--endpoint-url",
        server.endpoint(),
        "--region",
        "us-east-1",
    ]);
    cmd
}

/// Writes `rows` under the connect-managed template's header into `dir/name`.
pub fn write_template(dir: &Path, name: &str, rows: &[&str]) -> PathBuf {
    let header = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/connect-managed.csv"),
    )
    .expect("the connect-managed template");
    write_under(
        dir,
        name,
        header.trim_start_matches('\u{feff}').trim_end(),
        rows,
    )
}

/// Writes `rows` under the 2024 console header (no audio enhancement
/// column, 16 cells a row) into `dir/name`.
pub fn write_2024_template(dir: &Path, name: &str, rows: &[&str]) -> PathBuf {
    write_under(dir, name, CONNECT_MANAGED_HEADER, rows)
}

fn write_under(dir: &Path, name: &str, header: &str, rows: &[&str]) -> PathBuf {
    let mut text = header.to_string();
    for row in rows {
        text.push('\n');
        text.push_str(row);
    }
    text.push('\n');
    let path = dir.join(name);
    std::fs::write(&path, text).expect("writing the test file");
    path
}

/// Stdout, stderr and exit code, for assertions that print everything on failure.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn of(output: Output) -> Run {
        Run {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|err| panic!("stdout is not JSON ({err}):\n{self}"))
    }

    /// The `apply.summary` counts of a `--format json` run: created,
    /// exists, failed or unknown (rows a re-run must settle: an `unknown`
    /// is never an expected success), not submitted.
    pub fn summary(&self) -> (u64, u64, u64, u64) {
        let s = &self.json()["apply"]["summary"];
        let n = |k: &str| s[k].as_u64().unwrap_or(u64::MAX);
        (
            n("created"),
            n("exists"),
            n("failed").saturating_add(n("unknown")),
            n("not_submitted"),
        )
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

pub fn run(cmd: &mut Command) -> Run {
    Run::of(cmd.output().expect("running connect-users"))
}

/// Every user name on the instance with how often it occurs.
pub fn usernames(server: &LocalServer, instance_id: &str) -> BTreeMap<String, usize> {
    user_ids(server, instance_id)
        .into_iter()
        .map(|(name, ids)| (name, ids.len()))
        .collect()
}

/// A client of the server with the SDK's retries, so a quota or injected
/// faults do not disturb what a test reads, and a runtime to drive it.
pub fn patient_client(server: &LocalServer) -> (aws_sdk_connect::Client, tokio::runtime::Runtime) {
    let config = server
        .sdk_config()
        .retry_config(aws_sdk_connect::config::retry::RetryConfig::standard().with_max_attempts(30))
        .build();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    (aws_sdk_connect::Client::from_conf(config), runtime)
}

/// Every user summary of the instance (all ListUsers pages).
pub async fn all_users(
    client: &aws_sdk_connect::Client,
    instance_id: &str,
) -> Vec<aws_sdk_connect::types::UserSummary> {
    let mut users = Vec::new();
    let mut pages = client
        .list_users()
        .instance_id(instance_id)
        .max_results(1000)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        users.extend(page.expect("ListUsers").user_summary_list().iter().cloned());
    }
    users
}

/// The logins of a template file (column `user login`), in file order.
pub fn logins_of(file: &Path) -> Vec<String> {
    let mut reader = csv::Reader::from_path(file).expect("reading fixture");
    let headers = reader.headers().unwrap().clone();
    let column = headers
        .iter()
        .position(|h| {
            h.trim_start_matches('\u{feff}')
                .trim()
                .eq_ignore_ascii_case("user login")
        })
        .expect("user login column");
    reader
        .records()
        .map(|r| r.unwrap()[column].to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// The passwords of a template file (column `password`).
pub fn passwords_of(file: &Path) -> Vec<String> {
    let mut reader = csv::Reader::from_path(file).expect("reading fixture");
    let headers = reader.headers().unwrap().clone();
    let Some(column) = headers
        .iter()
        .position(|h| h.trim().eq_ignore_ascii_case("password"))
    else {
        return Vec::new();
    };
    reader
        .records()
        .map(|r| r.unwrap()[column].to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// The current console header without the newest guide's columns: what
/// generated files are written under, whatever `templates/` holds.
pub const CONNECT_MANAGED_HEADER: &str = "first name,last name,email address,secondary email,mobile,\
user login,password,routing profile name,security_profile_name_1|security_profile_name_2,\
user_hierarchy_1|user_hierarchy_2,phone type (soft/desk),phone number,soft phone auto accept (yes/no),\
ACW timeout (seconds),persistent connection (yes/no),tags";

/// `dir/name`: `n` valid connect-managed agents of the demo instance, with
/// logins `PREFIX.0` … (at most 20 characters) and passwords `Welcome-{i}Ab`.
pub fn agents_file(dir: &Path, name: &str, prefix: &str, n: usize) -> PathBuf {
    write_agents(dir, name, prefix, n, |_| true)
}

/// `dir/name`: `n` valid connect-managed agents of the demo instance with
/// logins `PREFIX.0` …, whose password cells are empty except on the lines
/// listed in `filled` (0-based row numbers), which get `Welcome-{i}Ab`.
pub fn agents_without_passwords(
    dir: &Path,
    name: &str,
    prefix: &str,
    n: usize,
    filled: &[usize],
) -> PathBuf {
    write_agents(dir, name, prefix, n, |i| filled.contains(&i))
}

/// The agents of [`agents_file`], row `i` with a password when `has_password(i)`.
fn write_agents(
    dir: &Path,
    name: &str,
    prefix: &str,
    n: usize,
    has_password: impl Fn(usize) -> bool,
) -> PathBuf {
    let mut text = format!("{CONNECT_MANAGED_HEADER}\n");
    for i in 0..n {
        let password = if has_password(i) {
            format!("Welcome-{i}Ab")
        } else {
            String::new()
        };
        text.push_str(&format!(
            "Agent{i},{prefix},{prefix}{i}@example.com,,,{prefix}.{i},{password},Basic Routing Profile,Agent,\
             North America|Seattle|Team Orca,soft,,yes,30,yes,team|orca\n"
        ));
    }
    let path = dir.join(name);
    std::fs::write(&path, text).expect("writing the test file");
    path
}

/// Every user of the instance: login → the IDs of the users with that login.
pub fn user_ids(server: &LocalServer, instance_id: &str) -> BTreeMap<String, Vec<String>> {
    let (client, runtime) = patient_client(server);
    let mut users: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for user in runtime.block_on(all_users(&client, instance_id)) {
        users
            .entry(user.username().unwrap_or_default().to_string())
            .or_default()
            .push(user.id().unwrap_or_default().to_string());
    }
    users
}

/// The rows of a report, JSON Lines or CSV (by the file's extension), each
/// as a JSON object: `{"user_login": …, "outcome": …, …}`. A CSV row is
/// read only whole (a run killed mid-row leaves a short one).
pub fn report_rows(path: &Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|err| panic!("reading {}: {err}", path.display()));
    if path.extension().is_some_and(|e| e == "csv") {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let headers = reader.headers().expect("a header").clone();
        return reader
            .records()
            .filter_map(Result::ok)
            .filter(|r| r.len() == headers.len())
            .map(|r| {
                let cells = headers.iter().zip(r.iter());
                cells
                    .map(|(h, v)| (h, serde_json::Value::from(v)))
                    .collect()
            })
            .collect();
    }
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

/// How many rows of a CSV report, as far as it is written, say `created`.
pub fn created_rows(path: &Path) -> usize {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.contains(",created,"))
        .count()
}

/// One row of a `--generate-passwords` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedRow {
    pub login: String,
    pub password: String,
    pub line: u64,
    /// `valid`, `not proven`, `not used` or `pending`.
    pub status: String,
}

/// The rows of a `--generate-passwords` file, checking its header.
pub fn generated_passwords(path: &Path) -> Vec<GeneratedRow> {
    let mut reader = csv::Reader::from_path(path)
        .unwrap_or_else(|err| panic!("reading {}: {err}", path.display()));
    let header: Vec<String> = reader
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header, ["user login", "password", "line", "status"]);
    reader
        .records()
        .map(|r| {
            let r = r.expect("a row");
            GeneratedRow {
                login: r[0].to_string(),
                password: r[1].to_string(),
                line: r[2].parse().expect("a line number"),
                status: r[3].to_string(),
            }
        })
        .collect()
}

/// What `local serve` says of a login and password
/// (`POST /_local/password-check`, signed with test/test): `matches`,
/// `differs`, `no-password` or `no-user`.
pub fn check_password(
    server: &LocalServer,
    instance_id: &str,
    login: &str,
    password: &str,
) -> String {
    let body = serde_json::json!({
        "instance_id": instance_id,
        "user_login": login,
        "password": password,
    })
    .to_string();
    let response = server.signed_request(
        ("test", "test"),
        "POST",
        "/_local/password-check",
        &[("content-type", "application/json")],
        &body,
    );
    assert_eq!(response.status, 200, "password check: {}", response.body);
    let answer: serde_json::Value =
        serde_json::from_str(&response.body).expect("password check JSON");
    answer["result"].as_str().expect("a result").to_string()
}

/// The texts of `secrets` (of at least 3 characters) that `text` contains.
pub fn leaked<'s>(text: &str, secrets: &'s [String]) -> Vec<&'s str> {
    secrets
        .iter()
        .map(String::as_str)
        .filter(|s| s.chars().count() >= 3 && text.contains(s))
        .collect()
}

/// The permission bits of a file.
#[cfg(unix)]
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .unwrap_or_else(|err| panic!("{}: {err}", path.display()))
        .permissions()
        .mode()
        & 0o777
}
