//! Helpers of the `agents export` tests: the instances of the seeds they
//! copy between, the commands against one, and reading an export back.

use std::path::Path;
use std::process::Command;

use crate::support::apply::{command, fixture, Run};
use crate::support::local_server::LocalServer;

/// An instance of a seed under `fixtures/instances/`.
pub struct Instance {
    pub id: &'static str,
    pub region: &'static str,
    pub seed: &'static str,
}

/// agents.toml: 13 connect-managed agents.
pub const AGENTS: Instance = Instance {
    id: "4d6f5e2c-8a71-4f9e-9db2-5b1f3e4d6e78",
    region: "us-east-1",
    seed: "instances/agents.toml",
};

/// empty-copy.toml: no users, agents.toml's names.
pub const EMPTY_COPY: Instance = Instance {
    id: "5e7f6d3c-9b82-4a0f-8ec3-6c2f4e5f7f89",
    region: "eu-west-2",
    seed: "instances/empty-copy.toml",
};

/// partial-copy.toml: no users, names that almost match agents.toml's.
pub const PARTIAL_COPY: Instance = Instance {
    id: "8b0c9a6f-ceb5-4d3c-b1f6-9f5c7b8cacb2",
    region: "eu-west-2",
    seed: "instances/partial-copy.toml",
};

/// every-field.toml: two users with every template field set.
pub const EVERY_FIELD: Instance = Instance {
    id: "7a9b8f5e-bda4-4c2b-a0e5-8e4b6a7b9ba1",
    region: "us-east-1",
    seed: "instances/every-field.toml",
};

/// saml-agents.toml: four SAML agents.
pub const SAML_AGENTS: Instance = Instance {
    id: "6f8a7e4d-ac93-4b1a-9fd4-7d3a5f6a8a90",
    region: "us-east-1",
    seed: "instances/saml-agents.toml",
};

/// saml.toml: an empty SAML instance with the same names.
pub const SAML_EMPTY: Instance = Instance {
    id: "2b4d3c0a-6e5f-4d7c-8b90-3f9e1d2c4b56",
    region: "us-east-1",
    seed: "instances/saml.toml",
};

impl Instance {
    /// A `local serve` holding this instance, without quota.
    pub fn serve(&self) -> LocalServer {
        LocalServer::builder()
            .seed(fixture(self.seed))
            .args(["--no-throttle"])
            .start()
    }

    /// `connect-users WORDS… --instance-id … --endpoint-url … --region …` in `dir`.
    pub fn command(&self, dir: &Path, server: &LocalServer, words: &[&str]) -> Command {
        let mut cmd = command(dir);
        cmd.args(words).args([
            "--instance-id",
            self.id,
            "--endpoint-url",
            server.endpoint(),
            "--region",
            self.region,
        ]);
        cmd
    }

    /// `agents export -o OUTPUT` with `extra` arguments.
    pub fn export(
        &self,
        dir: &Path,
        server: &LocalServer,
        output: &str,
        extra: &[&str],
    ) -> Command {
        let mut cmd = self.command(dir, server, &["agents", "export", "-o", output]);
        cmd.args(extra);
        cmd
    }

    /// `import apply FILE --yes --format json` with `extra` arguments.
    pub fn apply(&self, dir: &Path, server: &LocalServer, file: &Path, extra: &[&str]) -> Command {
        let mut cmd = self.command(dir, server, &["import", "apply"]);
        cmd.arg(file)
            .args(["--yes", "--format", "json"])
            .args(extra);
        cmd
    }
}

/// `import validate FILE --format json` offline, with `extra` arguments:
/// asserts the file is valid as it is (exit 0, no error, no warning) and
/// returns the run.
pub fn assert_validates(dir: &Path, file: &Path, extra: &[&str]) -> Run {
    let run = crate::support::apply::run(
        command(dir)
            .args(["import", "validate"])
            .arg(file)
            .args(["--format", "json"])
            .args(extra),
    );
    assert_eq!(
        run.code,
        Some(0),
        "import validate refuses the export\n{run}"
    );
    let summary = &run.json()["summary"];
    assert_eq!(summary["errors"], 0, "{run}");
    assert_eq!(summary["warnings"], 0, "{run}");
    run
}

/// An export's header line and its rows, sorted; checks the byte-order
/// mark and the CRLF line ends on the way.
pub fn header_and_rows(file: &Path) -> (String, Vec<String>) {
    let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let text = String::from_utf8(bytes).expect("UTF-8");
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or_else(|| panic!("{} starts without a byte-order mark", file.display()));
    assert!(text.ends_with("\r\n"), "{text:?}");
    let mut lines: Vec<String> = text
        .strip_suffix("\r\n")
        .unwrap()
        .split("\r\n")
        .map(str::to_string)
        .collect();
    let header = lines.remove(0);
    lines.sort();
    (header, lines)
}

/// The header `template fetch --identity IDENTITY` writes.
pub fn template_header(identity: &str) -> String {
    let file = match identity {
        "saml" => "saml.csv",
        "existing-directory" => "existing-directory.csv",
        _ => "connect-managed.csv",
    };
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("templates")
            .join(file),
    )
    .unwrap()
    .trim_end()
    .to_string()
}
