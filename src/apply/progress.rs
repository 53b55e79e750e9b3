//! Progress of a submission: a bar with rate and ETA on a terminal; without
//! one (CI logs), a plain line every few seconds.

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::outcome::{RowOutcome, Tally};

/// How often the plain line is written.
const PLAIN_EVERY: Duration = Duration::from_secs(5);

pub enum Progress {
    Bar(ProgressBar, Tally),
    Plain {
        total: usize,
        tally: Tally,
        started: Instant,
        last: Instant,
    },
    Silent,
}

impl Progress {
    /// A bar when stderr is a terminal, plain lines otherwise; nothing when
    /// there is nothing to submit.
    pub fn new(total: usize, terminal: bool) -> Progress {
        if total == 0 {
            return Progress::Silent;
        }
        if terminal {
            let bar =
                ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} users  {per_sec}  ETA {eta}  {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar.enable_steady_tick(Duration::from_millis(200));
            return Progress::Bar(bar, Tally::default());
        }
        let now = Instant::now();
        Progress::Plain {
            total,
            tally: Tally::default(),
            started: now,
            last: now,
        }
    }

    pub fn advance(&mut self, row: &RowOutcome) {
        match self {
            Progress::Bar(bar, tally) => {
                tally.add(&row.outcome);
                bar.inc(1);
                if tally.failed > 0 {
                    bar.set_message(format!("{} failed", tally.failed));
                }
            }
            Progress::Plain {
                total,
                tally,
                started,
                last,
            } => {
                tally.add(&row.outcome);
                let done = tally.total();
                if last.elapsed() >= PLAIN_EVERY || done == *total {
                    *last = Instant::now();
                    eprintln!("{}", plain_line(*total, tally, started.elapsed()));
                }
            }
            Progress::Silent => {}
        }
    }

    pub fn finish(&self) {
        if let Progress::Bar(bar, _) = self {
            bar.finish_and_clear();
        }
    }
}

/// `progress: 120/2000 users (6.0/s, ETA 5m 13s): 118 created, 2 failed`
fn plain_line(total: usize, tally: &Tally, elapsed: Duration) -> String {
    let done = tally.total();
    let rate = done as f64 / elapsed.as_secs_f64().max(0.001);
    let eta = if rate > 0.0 {
        (total - done) as f64 / rate
    } else {
        0.0
    };
    format!(
        "progress: {done}/{total} users ({rate:.1}/s, ETA {}): {} created, {} failed",
        indicatif::HumanDuration(Duration::from_secs_f64(eta)),
        tally.created,
        tally.failed
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_line_reads_well() {
        let tally = Tally {
            created: 9,
            failed: 1,
            ..Tally::default()
        };
        let line = plain_line(20, &tally, Duration::from_secs(5));
        assert_eq!(
            line,
            "progress: 10/20 users (2.0/s, ETA 5 seconds): 9 created, 1 failed"
        );
    }
}
