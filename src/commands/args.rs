//! Arguments shared by the commands that write to an instance (`import
//! apply`, `agents set`), written once and flattened into each.

use std::path::PathBuf;
use std::time::Duration;

use crate::connect::patience::parse_duration;
use crate::online::PacingFlags;

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

    /// Requests per second of the account's quota, all calls together
    /// [default: 2, the service's default quota]. Jobs sharing the quota
    /// slow down to fair shares on their own.
    #[arg(long, value_name = "N")]
    pub rate: Option<f64>,

    /// Requests allowed at once above the rate [default: 5].
    #[arg(long, value_name = "N")]
    pub burst: Option<u32>,

    /// Writes in flight at once [default: 4].
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

    /// Write each row's outcome here as it happens: CSV, or JSON Lines for .jsonl/.ndjson.
    #[arg(long, value_name = "PATH")]
    pub report: Option<PathBuf>,
}

impl RunArgs {
    pub fn pacing(&self) -> PacingFlags {
        PacingFlags {
            rate: self.rate,
            burst: self.burst,
            concurrency: self.concurrency,
            max_attempts: self.max_attempts,
            patience: self.patience,
        }
    }
}
