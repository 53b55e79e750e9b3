//! The run of a bulk command (`import apply`, `agents set`, and the ones to
//! come), written once: the checks made before the instance is read (a
//! terminal to confirm on, nothing to record on a dry run), signals, the
//! connection, the plan step (interruptible: nothing has been sent), the
//! batch with its progress, and the closing output. A bulk command only
//! turns its arguments into a plan — a [`Job`] of [`Change`]s, the files
//! that record it, and what it adds to the closing output ([`Closing`]).

use std::io::{IsTerminal, Write};

use crate::commands::args::RunArgs;
use crate::commands::shown::terminal_width;
use crate::connect::InstanceInfo;
use crate::exit::Exit;
use crate::output::Format;
use crate::run::outcome::RowOutcome;
use crate::run::stop::Stop;
use crate::run::summary::{self, RunKind};
use crate::run::{self, Change, Job, OpenSink, RunOptions, RunResult, SubmitOptions};
use crate::session::{self, Connection, Session};
use crate::terminal::{self, TerminalUi};

/// A bulk command, as the shared run needs to know it.
pub struct Bulk<'a> {
    pub kind: RunKind,
    pub run: &'a RunArgs,
    pub format: Format,
    /// The command reads its input from standard input (`-`), so there is
    /// no terminal to confirm on.
    pub stdin_is_input: bool,
    /// The command's flags that record the run besides `--report`, each
    /// with its path when given (`--failed-out`): a dry run refuses them,
    /// and an interrupt before the plan names them as not written.
    pub records: &'a [(&'static str, Option<&'a std::path::Path>)],
}

/// What a bulk command's plan step ends with.
pub enum Step<C> {
    /// Run this plan.
    Run(Box<Planned<C>>),
    /// Nothing to run: the command ends here with this code, nothing sent
    /// (a file with errors).
    End(Exit),
}

/// A plan, ready to run.
pub struct Planned<C> {
    /// The instance it writes to.
    pub instance: InstanceInfo,
    pub job: Job<C>,
    /// How many rows the plan writes: the dry run's count; with none there
    /// is nothing to confirm (a job may still hold changes that only read
    /// a row again before deciding, as `agents set`'s do).
    pub to_write: usize,
    /// The files that record the rows, opened in this order before the
    /// first write ([`Bulk::report`] gives the `--report` one).
    pub outputs: Vec<OpenSink>,
    /// Lines a dry run adds after saying how many rows it would write.
    pub dry_run_notes: Vec<String>,
    /// What the command adds to the closing output on stdout.
    pub closing: Box<dyn Closing>,
}

/// A command's part of the closing output on stdout (the table is the same
/// for every bulk command).
pub trait Closing {
    /// `--format json`: the document, given the run's part ([`summary::to_json`]).
    fn json(self: Box<Self>, run: serde_json::Value) -> serde_json::Value;

    /// `--format github`: the annotations.
    fn github(self: Box<Self>, kind: RunKind, outcomes: &[RowOutcome]) -> String {
        summary::github(kind, None, outcomes)
    }
}

/// The closing of a command over selected agents (`agents set`, `agents
/// remove`): the run, and what it planned for each agent under `key` in
/// JSON; annotations on the `--file` the agents were selected from.
pub struct PlannedForAgents {
    /// `planned_changes`, `planned_removals`.
    pub key: &'static str,
    pub planned: Vec<serde_json::Value>,
    pub file: Option<String>,
}

impl Closing for PlannedForAgents {
    fn json(self: Box<Self>, mut run: serde_json::Value) -> serde_json::Value {
        run["schema_version"] = 1.into();
        run[self.key] = self.planned.into();
        run
    }

    fn github(self: Box<Self>, kind: RunKind, outcomes: &[RowOutcome]) -> String {
        summary::github(kind, self.file.as_deref(), outcomes)
    }
}

impl Bulk<'_> {
    /// Refuses what cannot work before the instance is read: no `--yes`
    /// and no terminal to confirm on, or a dry run asked to record.
    fn check(&self) -> anyhow::Result<()> {
        let (yes, dry_run) = (self.run.yes, self.run.dry_run);
        if !yes && !dry_run && (self.stdin_is_input || !std::io::stdin().is_terminal()) {
            anyhow::bail!(
                "there is no terminal to confirm on: pass --yes to {} without asking, or --dry-run",
                self.kind.words().verb
            );
        }
        let records: Vec<&str> = std::iter::once("--report")
            .chain(self.records.iter().map(|(flag, _)| *flag))
            .collect();
        let recording =
            self.run.report.is_some() || self.records.iter().any(|(_, path)| path.is_some());
        anyhow::ensure!(
            !dry_run || !recording,
            "--dry-run writes no {}: there is nothing to record",
            records.join(" or ")
        );
        Ok(())
    }

    /// The `--report` file, when asked for.
    pub fn report(&self) -> Option<OpenSink> {
        self.run.report.clone().map(run::report::Report::opener)
    }

    /// Runs the command: the checks, then on `session`'s instance the plan
    /// step `plan` (given the connection and whether to draw on the
    /// terminal), then the batch, and the closing output. Returns the exit
    /// code of the run.
    pub fn run<C: Change>(
        self,
        session: Session,
        plan: impl AsyncFnOnce(&Connection, bool) -> anyhow::Result<Step<C>>,
    ) -> anyhow::Result<Exit> {
        self.check()?;
        let words = self.kind.words();
        let interactive = terminal::stderr_is_terminal() && self.format == Format::Table;
        session::runtime()?.block_on(async move {
            let stop = Stop::new();
            terminal::signals::watch(stop.clone())?;
            let connection = session.connect().await?;
            let planned = tokio::select! {
                step = plan(&connection, interactive) => match step? {
                    Step::Run(planned) => *planned,
                    Step::End(exit) => return Ok(exit),
                },
                _ = stop.asked() => {
                    eprintln!("interrupted before anything was sent; nothing was {}", words.done);
                    let records = std::iter::once(("--report", self.run.report.as_deref()))
                        .chain(self.records.iter().copied());
                    for line in summary::not_written(&records.collect::<Vec<_>>()) {
                        eprintln!("{line}");
                    }
                    return Ok(Exit::Interrupted);
                }
            };
            let Planned {
                instance,
                job,
                to_write,
                outputs,
                dry_run_notes,
                closing,
            } = planned;
            let options = RunOptions {
                submit: SubmitOptions {
                    concurrency: connection.pacing.concurrency,
                    patience: connection.pacing.patience,
                },
                dry_run: self.run.dry_run,
                assume_yes: self.run.yes || to_write == 0,
                outputs,
            };
            let mut ui =
                TerminalUi::new(interactive, connection.quota_pacer(self.kind.operation()));
            if self.kind.typed_confirmation() {
                // The alias names the instance as people know it; the ID when it has none.
                ui = ui.typed(
                    instance
                        .alias
                        .clone()
                        .unwrap_or_else(|| instance.id.clone()),
                );
            }
            let result = run::batch(connection.api.clone(), job, options, &mut ui, &stop).await;
            if result.declined {
                eprintln!("nothing was {}", words.done);
            }
            // The summary goes to stdout; a reader that went away (`| head`)
            // must not turn a failed run into a success.
            if let Err(err) = self.finish(&instance, &result, closing) {
                if !crate::exit::is_broken_pipe(&err) {
                    eprintln!("connect-users: error: {err:#}");
                }
            }
            if result.dry_run {
                eprintln!(
                    "dry run: {} would be {} in {}; nothing was written",
                    crate::output::plural(to_write, words.row),
                    words.done,
                    session::instance_label(&instance)
                );
                for note in dry_run_notes {
                    eprintln!("{note}");
                }
            }
            for line in summary::closing_lines(&result, |err| {
                format!("{:#}", session::explain(err.clone(), &connection.target))
            }) {
                eprintln!("{line}");
            }
            Ok(result.exit())
        })
    }

    /// The closing output in the chosen format, on stdout.
    fn finish(
        &self,
        instance: &InstanceInfo,
        result: &RunResult,
        closing: Box<dyn Closing>,
    ) -> anyhow::Result<()> {
        let mut stdout = std::io::stdout().lock();
        match self.format {
            Format::Table => {
                if !result.dry_run && !result.declined {
                    let table = summary::table(self.kind, &result.outcomes, terminal_width());
                    writeln!(stdout, "{table}")?;
                }
            }
            Format::Json => {
                let value = closing.json(summary::to_json(self.kind, instance, result));
                serde_json::to_writer_pretty(&mut stdout, &value)?;
                writeln!(stdout)?;
            }
            Format::Github => {
                write!(stdout, "{}", closing.github(self.kind, &result.outcomes))?;
            }
        }
        stdout.flush()?;
        Ok(())
    }
}
