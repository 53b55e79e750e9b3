//! The terminal edge of a run: the confirmation prompt, the spinner while
//! the instance is checked, the progress display, and the signal handlers.
//! Output for people only: a spinner or bar is drawn when stderr is a
//! terminal; CI logs get plain lines.

pub mod notice;
pub mod progress;
pub mod signals;

use std::io::{BufRead, IsTerminal, Write};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::connect::pace::Pacer;
use crate::run::outcome::RowOutcome;
use crate::run::Ui;
use progress::Progress;

/// The [`Ui`] of a command run from a terminal or a CI job.
pub struct TerminalUi {
    /// Draw bars (stderr is a terminal and the output is the table).
    interactive: bool,
    pacer: Option<Arc<Pacer>>,
    progress: Option<Progress>,
    /// The text to type to confirm (`agents remove`: the instance alias),
    /// instead of `y`.
    typed: Option<String>,
}

impl TerminalUi {
    /// `interactive`: whether to draw bars (else plain progress lines).
    pub fn new(interactive: bool, pacer: Option<Arc<Pacer>>) -> TerminalUi {
        TerminalUi {
            interactive,
            pacer,
            progress: None,
            typed: None,
        }
    }

    /// Confirms by having `expected` typed out rather than `y`.
    pub fn typed(mut self, expected: String) -> TerminalUi {
        self.typed = Some(expected);
        self
    }
}

impl Ui for TerminalUi {
    fn confirm(&mut self, question: &str) -> anyhow::Result<bool> {
        match &self.typed {
            Some(expected) => confirm_typed(question, expected),
            None => confirm(question),
        }
    }

    fn started(&mut self, total: usize) {
        self.progress = Some(Progress::new(total, self.interactive, self.pacer.clone()));
    }

    fn advanced(&mut self, row: &RowOutcome) {
        if let Some(progress) = &mut self.progress {
            progress.advance(row);
        }
    }

    fn finished(&mut self) {
        if let Some(progress) = self.progress.take() {
            progress.finish();
        }
    }
}

/// Asks on the terminal; anything but y/yes is no.
pub fn confirm(question: &str) -> anyhow::Result<bool> {
    eprint!("{question} [y/N] ");
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .context("cannot read the answer")?;
    Ok(matches!(answer.trim().to_lowercase().as_str(), "y" | "yes"))
}

/// Asks on the terminal for `expected` to be typed out; anything else
/// (another text, an empty line, end of input) is no. A `y` typed out of
/// habit is not enough for what cannot be undone.
pub fn confirm_typed(question: &str, expected: &str) -> anyhow::Result<bool> {
    // Quoted as Rust quotes it: a control character cannot act on the terminal.
    eprint!("{question}\nType {expected:?} to confirm (anything else cancels): ");
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .context("cannot read the answer")?;
    Ok(answer.trim() == expected)
}

/// Whether stderr is a terminal, for bars and spinners.
pub fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal()
}

/// A spinner with a message while something slow runs (the checks against
/// the instance); nothing when stderr is not a terminal. Cleared on drop.
pub struct Spinner(Option<(ProgressBar, notice::Shown)>);

impl Spinner {
    pub fn start(message: impl Into<String>, interactive: bool) -> Spinner {
        if !interactive {
            return Spinner(None);
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message(message.into());
        bar.enable_steady_tick(Duration::from_millis(120));
        let shown = notice::Shown::new(&bar);
        Spinner(Some((bar, shown)))
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        if let Some((bar, _)) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

/// A count of work done (`describing 120/212 users`) that appears on a
/// terminal only once the work has taken more than a couple of seconds.
pub struct Counter {
    label: &'static str,
    interactive: bool,
    started: std::time::Instant,
    bar: std::sync::Mutex<Option<(ProgressBar, notice::Shown)>>,
}

impl Counter {
    /// Shows after this long.
    const DELAY: Duration = Duration::from_secs(2);

    pub fn new(label: &'static str, interactive: bool) -> Counter {
        Counter {
            label,
            interactive,
            started: std::time::Instant::now(),
            bar: std::sync::Mutex::new(None),
        }
    }

    /// `done` of `total` are done.
    pub fn tick(&self, done: usize, total: usize) {
        if !self.interactive || self.started.elapsed() < Counter::DELAY {
            return;
        }
        let mut bar = self.bar.lock().unwrap_or_else(|p| p.into_inner());
        let (bar, _) = bar.get_or_insert_with(|| {
            let bar =
                ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(&format!(
                    "{{spinner}} {} {{pos}}/{{len}} users [{{elapsed}}]",
                    self.label
                ))
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            let shown = notice::Shown::new(&bar);
            (bar, shown)
        });
        bar.set_position(done as u64);
    }
}

impl Drop for Counter {
    fn drop(&mut self) {
        if let Some((bar, _)) = self.bar.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            bar.finish_and_clear();
        }
    }
}
