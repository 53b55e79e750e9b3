//! Which instance a command talks to, and how.
//!
//! Settings come from flags, then the environment, then an optional
//! `connect-users.toml` (current directory or `--config`), in that order of
//! precedence. Region, profile and credentials otherwise follow the standard
//! AWS chain of `aws-config`. Nothing is chosen implicitly: with no instance
//! configured an online command fails and lists the ways to configure one.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use serde::Deserialize;

/// The default file name looked up in the current directory.
pub const CONFIG_FILE: &str = "connect-users.toml";
/// The store `--local` uses when given no path: the same file `local
/// serve` uses by default, so both see the same local instance.
pub const DEFAULT_LOCAL_DB: &str = "connect-users-local.sqlite";
/// The environment variable naming the instance.
pub const INSTANCE_ENV: &str = "CONNECT_INSTANCE_ID";

/// Options naming the instance, shared by every online command.
#[derive(Debug, Clone, Default, clap::Args)]
#[command(next_help_heading = "Instance")]
pub struct InstanceArgs {
    /// Amazon Connect instance ID, or its ARN [env: CONNECT_INSTANCE_ID].
    #[arg(long, value_name = "ID")]
    pub instance_id: Option<String>,
    /// Instance ARN; the region is taken from it.
    #[arg(long, value_name = "ARN", conflicts_with = "instance_id")]
    pub instance_arn: Option<String>,
    /// Use the local instance's store in-process (no server, no
    /// credentials), seeded with the demo instance on first use [default
    /// store: connect-users-local.sqlite, as `local serve` uses].
    #[arg(
        long,
        value_name = "DB",
        num_args = 0..=1,
        default_missing_value = DEFAULT_LOCAL_DB,
        value_parser = parse_local_store,
        conflicts_with_all = ["instance_id", "instance_arn"]
    )]
    pub local: Option<PathBuf>,
    /// AWS profile from the shared config files.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// AWS Region, e.g. us-east-1.
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Send requests to this endpoint (also AWS_ENDPOINT_URL_CONNECT), e.g.
    /// a `connect-users local serve` address.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Settings file [default: ./connect-users.toml when present].
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
}

/// `connect-users.toml`: the same settings as the flags.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    pub instance_id: Option<String>,
    pub instance_arn: Option<String>,
    pub local: Option<PathBuf>,
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    pub rate: Option<f64>,
    pub burst: Option<u32>,
    /// `per-operation` or `shared`.
    pub quota: Option<crate::connect::pacers::Quota>,
    pub concurrency: Option<usize>,
    pub max_attempts: Option<u32>,
    /// How long each request is retried, e.g. `10m`.
    pub patience: Option<String>,
}

/// Where an online command goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstanceTarget {
    /// The Amazon Connect API (or anything speaking it at `endpoint_url`).
    Aws {
        instance_id: String,
        region: Option<String>,
        profile: Option<String>,
        endpoint_url: Option<String>,
    },
    /// The local store, in-process.
    Local { db: PathBuf },
}

impl InstanceTarget {
    /// A short description for messages.
    pub fn describe(&self) -> String {
        match self {
            InstanceTarget::Aws {
                instance_id,
                region,
                endpoint_url,
                ..
            } => format!(
                "instance {instance_id} (region {}, endpoint {})",
                region.as_deref().unwrap_or("from the AWS configuration"),
                endpoint_url
                    .as_deref()
                    .unwrap_or("from the AWS configuration")
            ),
            InstanceTarget::Local { db } => format!("local instance in {}", db.display()),
        }
    }
}

/// The message for an online command with nothing configured.
pub const NO_INSTANCE: &str = "no instance configured; name one with any of:\n  \
    --instance-id ID            (or the CONNECT_INSTANCE_ID environment variable)\n  \
    --instance-arn ARN          (the region is taken from the ARN)\n  \
    --local [DB]                (the local demo instance, in-process)\n  \
    connect-users.toml          (instance-id = \"...\" in the current directory, or --config PATH)";

/// Reads the settings file: the `--config` path (which must exist), else
/// `./connect-users.toml` when present, else defaults.
pub fn load_config_file(explicit: Option<&Path>) -> anyhow::Result<ConfigFile> {
    let path = match explicit {
        Some(path) => path.to_path_buf(),
        None if Path::new(CONFIG_FILE).is_file() => PathBuf::from(CONFIG_FILE),
        None => return Ok(ConfigFile::default()),
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read settings file {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("invalid settings file {}", path.display()))
}

/// Resolves the instance from flags, the environment value of
/// `CONNECT_INSTANCE_ID` and the settings file. `Ok(None)` when none of them
/// names one.
pub fn resolve(
    args: &InstanceArgs,
    env_instance_id: Option<String>,
    file: &ConfigFile,
) -> anyhow::Result<Option<InstanceTarget>> {
    if let Some(db) = &args.local {
        return Ok(Some(InstanceTarget::Local { db: db.clone() }));
    }
    // An ARN is accepted wherever an ID is (as the API accepts both): the
    // ID and the region are taken from it.
    let (instance_id, arn_region) = if let Some(arn) = &args.instance_arn {
        parse_instance_arn(arn).map(|(id, region)| (id, Some(region)))?
    } else if let Some(id) = args
        .instance_id
        .clone()
        .or(env_instance_id.filter(|v| !v.is_empty()))
    {
        id_or_arn(&id)?
    } else {
        match (&file.local, &file.instance_id, &file.instance_arn) {
            (None, None, None) => return Ok(None),
            (Some(db), None, None) => return Ok(Some(InstanceTarget::Local { db: db.clone() })),
            (None, Some(id), None) => id_or_arn(id)?,
            (None, None, Some(arn)) => parse_instance_arn(arn).map(|(id, region)| (id, Some(region)))?,
            _ => bail!("the settings file names more than one of local, instance-id and instance-arn; keep one"),
        }
    };
    anyhow::ensure!(!instance_id.trim().is_empty(), "the instance ID is empty");
    if let (Some(flag), Some(arn)) = (&args.region, &arn_region) {
        anyhow::ensure!(
            flag == arn,
            "--region {flag} contradicts the instance ARN, whose region is {arn}; leave --region out"
        );
    }
    Ok(Some(InstanceTarget::Aws {
        instance_id,
        region: args
            .region
            .clone()
            .or(arn_region)
            .or_else(|| env_or(file.region.clone(), REGION_ENV)),
        profile: args
            .profile
            .clone()
            .or_else(|| env_or(file.profile.clone(), PROFILE_ENV)),
        endpoint_url: args
            .endpoint_url
            .clone()
            .or_else(|| env_or(file.endpoint_url.clone(), ENDPOINT_ENV)),
    }))
}

const REGION_ENV: &[&str] = &["AWS_REGION", "AWS_DEFAULT_REGION"];
const PROFILE_ENV: &[&str] = &["AWS_PROFILE"];
const ENDPOINT_ENV: &[&str] = &["AWS_ENDPOINT_URL_CONNECT", "AWS_ENDPOINT_URL"];

/// The file's value, unless the environment sets one (then `aws-config`
/// reads the environment itself, and the file must not override it).
fn env_or(file_value: Option<String>, env: &[&str]) -> Option<String> {
    let env_set = env
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()));
    if env_set {
        None
    } else {
        file_value
    }
}

/// `--local DB`: a path that can be a local store, refused early when it
/// cannot — above all the input file itself, which `--local` takes as its
/// value when it comes right after it (`--local agents.csv`).
pub fn parse_local_store(text: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(text);
    check_local_store(&path)?;
    Ok(path)
}

/// The extensions of input files, never of a store.
const INPUT_EXTENSIONS: [&str; 5] = ["csv", "tsv", "txt", "xlsx", "xls"];

/// Whether `path` can hold (or become) a local store: not an input file,
/// not a directory, and — when it exists — a SQLite file.
pub fn check_local_store(path: &Path) -> Result<(), String> {
    let shown = path.display();
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if extension.is_some_and(|e| INPUT_EXTENSIONS.contains(&e.as_str())) {
        return Err(format!(
            "{shown} is an input file, not a local store: --local takes an optional store \
             path, so it took the file as one; write the file first (`{shown} --local`), or name \
             a store (`--local demo.sqlite {shown}`)"
        ));
    }
    if path.is_dir() {
        return Err(format!(
            "{shown} is a directory; --local takes the store's file, e.g. {}",
            path.join(DEFAULT_LOCAL_DB).display()
        ));
    }
    let mut head = [0u8; 16];
    let read = std::fs::File::open(path).and_then(|mut f| {
        use std::io::Read;
        f.read(&mut head)
    });
    match read {
        Ok(n) if n > 0 && &head[..n] != b"SQLite format 3\0".get(..n).unwrap_or_default() => {
            Err(format!(
                "{shown} exists and is not a local store (a SQLite file written by --local or \
             `local serve`); name another file, e.g. {DEFAULT_LOCAL_DB}"
            ))
        }
        _ => Ok(()),
    }
}

/// An instance ID, or an instance ARN given where an ID is expected:
/// the ID, and the region when an ARN names it.
fn id_or_arn(value: &str) -> anyhow::Result<(String, Option<String>)> {
    let value = value.trim();
    if value.starts_with("arn:") {
        parse_instance_arn(value).map(|(id, region)| (id, Some(region)))
    } else {
        Ok((value.to_string(), None))
    }
}

/// `arn:aws:connect:REGION:ACCOUNT:instance/ID` → (ID, REGION).
pub fn parse_instance_arn(arn: &str) -> anyhow::Result<(String, String)> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", _partition, "connect", region, _account, resource]
            if !region.is_empty() && resource.starts_with("instance/") && resource.len() > 9 =>
        {
            Ok((
                resource["instance/".len()..].to_string(),
                region.to_string(),
            ))
        }
        _ => bail!(
            "{arn:?} is not an instance ARN; expected arn:aws:connect:REGION:ACCOUNT:instance/ID"
        ),
    }
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
