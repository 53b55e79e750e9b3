//! Progress of a run: a bar with rate, ETA and counts on a terminal;
//! without one (CI logs), a plain line every few seconds.
//!
//! The ETA divides the rows left by the rate the run can keep up: the
//! pacer's current rate (the quota, or the share of it this job gets),
//! or the rate of the last rows when the instance answers more slowly. The
//! first rows go out in a burst, so their rate would promise too much.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::{HumanDuration, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::connect::pace::Pacer;
use crate::run::outcome::{RowOutcome, Tally};

/// How often the plain line is written.
const PLAIN_EVERY: Duration = Duration::from_secs(5);
/// Rows the observed rate is measured over.
const WINDOW: usize = 20;

/// A run's progress display.
pub struct Progress {
    kind: Kind,
    total: usize,
    tally: Tally,
    /// When the last rows ended, for the observed rate.
    recent: VecDeque<Instant>,
    started: Instant,
    pacer: Option<Arc<Pacer>>,
}

enum Kind {
    Bar(ProgressBar),
    Plain { last: Instant },
    Silent,
}

impl Progress {
    /// A bar when stderr is a terminal, plain lines otherwise, nothing when
    /// there is nothing to submit.
    pub fn new(total: usize, terminal: bool, pacer: Option<Arc<Pacer>>) -> Progress {
        let now = Instant::now();
        let kind = if total == 0 {
            Kind::Silent
        } else if terminal {
            let bar =
                ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len}  {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar.enable_steady_tick(Duration::from_millis(200));
            Kind::Bar(bar)
        } else {
            Kind::Plain { last: now }
        };
        Progress {
            kind,
            total,
            tally: Tally::default(),
            recent: VecDeque::with_capacity(WINDOW + 1),
            started: now,
            pacer,
        }
    }

    pub fn advance(&mut self, row: &RowOutcome) {
        let now = Instant::now();
        self.tally.add(&row.outcome);
        self.recent.push_back(now);
        if self.recent.len() > WINDOW {
            self.recent.pop_front();
        }
        let line = self.status(now);
        let done = self.tally.total();
        match &mut self.kind {
            Kind::Bar(bar) => {
                bar.inc(1);
                bar.set_message(line);
            }
            Kind::Plain { last } => {
                if last.elapsed() >= PLAIN_EVERY || done == self.total {
                    *last = now;
                    eprintln!("progress: {done}/{} users {line}", self.total);
                }
            }
            Kind::Silent => {}
        }
    }

    pub fn finish(&self) {
        if let Kind::Bar(bar) = &self.kind {
            bar.finish_and_clear();
        }
    }

    /// `(1.9/s, ETA 4m 10s): 118 created, 2 failed`
    fn status(&self, now: Instant) -> String {
        let done = self.tally.total();
        let rate = self.rate(now);
        let eta = if rate > 0.0 {
            HumanDuration(Duration::from_secs_f64(
                self.total.saturating_sub(done) as f64 / rate,
            ))
            .to_string()
        } else {
            "unknown".to_string()
        };
        format!("({rate:.1}/s, ETA {eta}): {}", counts(&self.tally))
    }

    /// Rows a second the run can keep up.
    fn rate(&self, now: Instant) -> f64 {
        let observed = match (self.recent.front(), self.recent.len()) {
            (Some(first), n) if n >= 2 => {
                (n - 1) as f64 / now.duration_since(*first).as_secs_f64().max(0.001)
            }
            _ => {
                self.tally.total() as f64
                    / now.duration_since(self.started).as_secs_f64().max(0.001)
            }
        };
        match &self.pacer {
            Some(pacer) => observed.min(pacer.rate()),
            None => observed,
        }
    }
}

/// `118 created, 2 failed`: the counts that are not zero, in a fixed order.
pub fn counts(tally: &Tally) -> String {
    let all = [
        (tally.created, "created"),
        (tally.exists, "exists"),
        (tally.changed, "changed"),
        (tally.unchanged, "unchanged"),
        (tally.skipped, "skipped"),
        (tally.failed, "failed"),
        (tally.unknown, "unknown"),
        (tally.not_submitted, "not submitted"),
    ];
    let parts: Vec<String> = all
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, name)| format!("{n} {name}"))
        .collect();
    if parts.is_empty() {
        "0 done".to_string()
    } else {
        parts.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_well() {
        let tally = Tally {
            created: 9,
            failed: 1,
            ..Tally::default()
        };
        assert_eq!(counts(&tally), "9 created, 1 failed");
        assert_eq!(counts(&Tally::default()), "0 done");
    }

    #[test]
    fn the_eta_is_bounded_by_the_pacer() {
        let pacer = Arc::new(Pacer::new(2.0, 5).unwrap());
        let mut progress = Progress::new(100, false, Some(pacer));
        // A burst of 10 rows at once would promise hundreds a second.
        let row = RowOutcome {
            line: Some(2),
            user_login: "a".into(),
            outcome: crate::run::outcome::Outcome::Skipped { reason: "x".into() },
        };
        for _ in 0..10 {
            progress.advance(&row);
        }
        let status = progress.status(Instant::now());
        assert!(status.starts_with("(2.0/s, ETA 46 seconds)"), "{status}");
    }
}
