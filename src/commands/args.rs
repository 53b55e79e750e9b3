//! Arguments shared by the commands that talk to an instance, written once
//! and flattened into each: pacing and patience (every online command),
//! the run of a bulk write (`import apply`, `agents set`), and the selection
//! of existing users (`agents …`).

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;

use crate::agents::login_file::{self, SelectedLogin};
use crate::agents::select::Selection;
use crate::connect::pacers::Quota;
use crate::connect::patience::parse_duration;
use crate::session::PacingFlags;

/// How requests are paced and retried.
#[derive(Debug, Clone, Default, clap::Args)]
#[command(next_help_heading = "Pacing")]
pub struct PacingArgs {
    /// Requests per second of the account's quota, all calls together
    /// [default: 2, the service's default quota]. Jobs sharing the quota
    /// slow down to fair shares on their own.
    #[arg(long, value_name = "N")]
    pub rate: Option<f64>,

    /// Requests allowed at once above the rate [default: 5].
    #[arg(long, value_name = "N")]
    pub burst: Option<u32>,

    /// How the service's rate quota is divided: a bucket of --rate/--burst
    /// per operation, as Service Quotas lists them (reads then never take a
    /// write's slots), or one shared by every operation [default:
    /// per-operation].
    #[arg(long, value_enum, value_name = "HOW")]
    pub quota: Option<Quota>,

    /// Requests in flight at once [default: 4].
    #[arg(long, value_name = "N")]
    pub concurrency: Option<usize>,

    /// How long each request is retried while the service throttles, fails
    /// or does not answer, e.g. 90s, 10m, 1h [default: 10m].
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub patience: Option<Duration>,

    /// An upper bound on attempts per request, the first included
    /// [default: none: --patience decides].
    #[arg(long, value_name = "N")]
    pub max_attempts: Option<u32>,
}

impl PacingArgs {
    pub fn flags(&self) -> PacingFlags {
        PacingFlags {
            rate: self.rate,
            burst: self.burst,
            quota: self.quota,
            concurrency: self.concurrency,
            max_attempts: self.max_attempts,
            patience: self.patience,
        }
    }
}

/// Confirmation, pacing, patience and the report of a bulk write.
#[derive(Debug, Clone, Default, clap::Args)]
#[command(next_help_heading = "Run")]
pub struct RunArgs {
    /// Write without asking (required when there is no terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// Plan only: no write call is made.
    #[arg(long)]
    pub dry_run: bool,

    /// Write each row's outcome here as it happens: CSV, or JSON Lines for .jsonl/.ndjson.
    #[arg(long, value_name = "PATH")]
    pub report: Option<PathBuf>,

    #[command(flatten)]
    pub pacing: PacingArgs,
}

impl RunArgs {
    pub fn pacing(&self) -> PacingFlags {
        self.pacing.flags()
    }
}

/// Which existing users: each selector given must match (all by exact name).
#[derive(Debug, Clone, Default, clap::Args)]
#[command(next_help_heading = "Select agents")]
pub struct SelectArgs {
    /// Users of this routing profile.
    #[arg(long, value_name = "NAME")]
    pub routing_profile: Option<String>,

    /// Users with this security profile among theirs.
    #[arg(long, value_name = "NAME")]
    pub security_profile: Option<String>,

    /// Users of this hierarchy group and of every group below it: the path
    /// from level one, levels separated by |, e.g. "North America|Seattle".
    #[arg(long, value_name = "PATH")]
    pub hierarchy: Option<String>,

    /// This user (repeatable).
    #[arg(long = "login", value_name = "LOGIN")]
    pub logins: Vec<String>,

    /// The users of a CSV file's `user login` column, e.g. a filled template.
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
}

impl SelectArgs {
    /// The selection, with the logins of `--file` read.
    pub fn selection(&self) -> anyhow::Result<Selection> {
        let mut logins: Vec<SelectedLogin> = self.logins.iter().map(SelectedLogin::flag).collect();
        if let Some(path) = &self.file {
            let name = path.display().to_string();
            let bytes = std::fs::read(path).with_context(|| format!("cannot read {name}"))?;
            logins.extend(login_file::read(&name, &bytes)?);
        }
        Ok(Selection {
            routing_profile: self.routing_profile.clone(),
            security_profile: self.security_profile.clone(),
            hierarchy: self.hierarchy.clone(),
            logins,
        })
    }

    /// The files the selection reads, for the output checks.
    pub fn inputs(&self) -> Vec<crate::output_file::Input> {
        self.file
            .iter()
            .filter_map(|path| crate::output_file::Input::named("--file", path))
            .collect()
    }
}

/// A value parser that parses with `parser` and offers `values` to shell
/// completion, for an option whose parser takes more spellings than the
/// few worth completing (`on`/`off` also takes `yes`, `true` …). The
/// values are hidden from `--help`, which says in words what is taken.
#[derive(Clone)]
pub struct Offered<P> {
    parser: P,
    values: &'static [&'static str],
}

impl<P> Offered<P> {
    pub fn new(parser: P, values: &'static [&'static str]) -> Self {
        Offered { parser, values }
    }
}

impl<P> clap::builder::TypedValueParser for Offered<P>
where
    P: clap::builder::TypedValueParser,
{
    type Value = P::Value;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Self::Value, clap::Error> {
        self.parser.parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            self.values.iter().map(clap::builder::PossibleValue::new),
        ))
    }
}

/// What completion offers for `CHANNEL=on|off`.
pub const AUTO_ACCEPT_VALUES: &[&str] = &[
    "all=on",
    "all=off",
    "voice=on",
    "voice=off",
    "chat=on",
    "chat=off",
    "task=on",
    "task=off",
    "email=on",
    "email=off",
];
