//! The batch runner shared by every bulk operation (`import apply`, `agents
//! set`): confirm → open the outputs → paced concurrent submission →
//! per-row outcomes → report → result. Each operation supplies only its
//! plan: the rows already settled (`exists`, `unchanged`, `skipped`) and
//! the [`Change`]s to make. Pacing, patience, interrupts, reports and exit
//! codes therefore behave the same everywhere and are tested once.
//!
//! The runner does not print: the terminal sits behind [`Ui`] (a prompt and
//! a progress display), and the caller renders the [`RunResult`].

pub mod change;
pub mod engine;
pub mod outcome;
pub mod report;
pub mod stop;
pub mod summary;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

pub use change::{Change, RowKey};
pub use engine::{Stopped, SubmitOptions};
use outcome::{RowOutcome, Tally};

use crate::connect::ConnectApi;
use crate::exit::Exit;

/// A file that records rows as they end (the report, the rows to re-run).
pub trait RowSink: Send {
    /// Where it writes, for messages.
    fn path(&self) -> &Path;
    /// What it is, for messages: "report", "rows to run again".
    fn what(&self) -> &'static str;
    /// Records one row, flushed before returning.
    fn record(&mut self, row: &RowOutcome) -> anyhow::Result<()>;
    /// The run ended with these outcomes (every row's, also those not
    /// recorded after an output failed).
    fn finish(&mut self, _outcomes: &[RowOutcome]) -> anyhow::Result<()> {
        Ok(())
    }
    /// Rows written so far.
    fn written(&self) -> usize;
}

/// Opens a sink; called after the confirmation and before the first write,
/// so a declined run leaves existing files alone and a bad path costs nothing.
pub type OpenSink = Box<dyn FnOnce() -> anyhow::Result<Box<dyn RowSink>> + Send>;

/// The terminal, as the runner needs it.
pub trait Ui: Send {
    /// Asks a yes/no question; anything but yes is no.
    fn confirm(&mut self, question: &str) -> anyhow::Result<bool>;
    /// Submission starts with this many changes.
    fn started(&mut self, total: usize);
    /// A row ended.
    fn advanced(&mut self, row: &RowOutcome);
    /// Submission ended.
    fn finished(&mut self);
}

/// A planned batch.
pub struct Job<C> {
    /// Rows the plan settled without a write (`exists`, `unchanged`, `skipped`).
    pub settled: Vec<RowOutcome>,
    /// The writes to make.
    pub changes: Vec<C>,
    /// The question to confirm them with, e.g. `Create 30 users in instance demo (…)?`.
    pub question: String,
}

/// How the batch runs: a library struct, not the command line's.
pub struct RunOptions {
    pub submit: SubmitOptions,
    /// Plan only: no write call, no output file.
    pub dry_run: bool,
    /// Do not ask.
    pub assume_yes: bool,
    /// Files that record the rows, opened before the first write.
    pub outputs: Vec<OpenSink>,
}

/// How a batch ended.
pub struct RunResult {
    /// Every row's outcome, in line order (rows without a line by login).
    pub outcomes: Vec<RowOutcome>,
    pub stopped: Stopped,
    pub dry_run: bool,
    /// The confirmation was declined: nothing was written.
    pub declined: bool,
    /// An output could not be opened or written: the run stopped (or never
    /// started) because of it.
    pub output_error: Option<anyhow::Error>,
    /// The outputs that were written: what they are, where, and how many rows.
    pub outputs: Vec<(&'static str, PathBuf, usize)>,
    /// Time from the first write to the last outcome.
    pub submit_seconds: f64,
}

impl RunResult {
    pub fn tally(&self) -> Tally {
        Tally::of(&self.outcomes)
    }

    /// How the run ends: an output failed, the confirmation was declined,
    /// credentials or permissions were refused (each 2); interrupted (130);
    /// rows are partly done, failed, are unknown or were not sent because
    /// a quota is full (3); else success.
    pub fn exit(&self) -> Exit {
        let tally = self.tally();
        if self.output_error.is_some() {
            return Exit::OutputFailed;
        }
        if self.declined {
            return Exit::Declined;
        }
        match &self.stopped {
            Stopped::Fatal(err) if err.kind != crate::connect::ApiErrorKind::LimitExceeded => {
                Exit::Refused
            }
            Stopped::Interrupted => Exit::Interrupted,
            _ if tally.partial + tally.failed + tally.unknown + tally.not_submitted > 0 => {
                Exit::RowsFailed
            }
            _ => Exit::Success,
        }
    }
}

/// Runs a batch: asks (unless told not to), opens the outputs, records the
/// settled rows, submits the changes, and accounts for every row.
pub async fn batch<C: Change>(
    api: Arc<dyn ConnectApi>,
    job: Job<C>,
    options: RunOptions,
    ui: &mut dyn Ui,
    stop: &stop::Stop,
) -> RunResult {
    let Job {
        settled,
        changes,
        question,
    } = job;
    let mut result = RunResult {
        outcomes: settled,
        stopped: Stopped::No,
        dry_run: options.dry_run,
        declined: false,
        output_error: None,
        outputs: Vec::new(),
        submit_seconds: 0.0,
    };
    if options.dry_run {
        sort(&mut result.outcomes);
        return result;
    }
    if !changes.is_empty() && !options.assume_yes {
        match ui.confirm(&question) {
            Ok(true) => {}
            Ok(false) => {
                result.declined = true;
                sort(&mut result.outcomes);
                return result;
            }
            Err(err) => result.output_error = Some(err),
        }
    }
    // Each output is opened and given the rows the plan settled before the
    // next is opened, so an output that fails does so before any write and
    // before the ones after it (the generated passwords) are written.
    let mut sinks = Vec::new();
    if result.output_error.is_none() {
        'outputs: for open in options.outputs {
            let mut sink = match open() {
                Ok(sink) => sink,
                Err(err) => {
                    result.output_error = Some(err);
                    break;
                }
            };
            for row in &result.outcomes {
                if let Err(err) = sink.record(row) {
                    result.output_error = Some(err);
                    sinks.push(sink);
                    break 'outputs;
                }
            }
            sinks.push(sink);
        }
    }
    if let Some(err) = &result.output_error {
        let reason = format!("not sent: {err:#}");
        let unsent = changes.iter().map(|c| engine::not_sent(c.key(), &reason));
        result.outcomes.extend(unsent);
        finish(&mut result, &mut sinks);
        return result;
    }

    // A sink that cannot be written stops the run like an interrupt:
    // nothing new is sent and every row still gets its outcome.
    let mut output_error = None;
    ui.started(changes.len());
    let started = Instant::now();
    let mut record = |row: &RowOutcome| {
        ui.advanced(row);
        if output_error.is_some() {
            return;
        }
        for sink in &mut sinks {
            if let Err(err) = sink.record(row) {
                output_error = Some(err);
                stop.halt();
                return;
            }
        }
    };
    let (outcomes, stopped) =
        engine::submit(api, changes, options.submit, stop.receiver(), &mut record).await;
    ui.finished();
    result.submit_seconds = started.elapsed().as_secs_f64();
    result.outcomes.extend(outcomes);
    result.output_error = output_error;
    result.stopped = stopped;
    finish(&mut result, &mut sinks);
    result
}

fn finish(result: &mut RunResult, sinks: &mut [Box<dyn RowSink>]) {
    sort(&mut result.outcomes);
    for sink in sinks.iter_mut() {
        if let Err(err) = sink.finish(&result.outcomes) {
            result.output_error.get_or_insert(err);
        }
    }
    result.outputs = sinks
        .iter()
        .map(|s| (s.what(), s.path().to_path_buf(), s.written()))
        .collect();
}

fn sort(outcomes: &mut [RowOutcome]) {
    outcomes.sort_by(|a, b| (a.line, &a.user_login).cmp(&(b.line, &b.user_login)));
}
