//! Progress of a run: a bar with rate, ETA and counts on a terminal;
//! without one (CI logs), a plain line every few seconds.
//!
//! The rate is measured: the rows that ended in the last ten seconds
//! ([`RateMeter`]). Where a quota applies, it is bounded by the pacer's
//! current rate (the quota, or the share of it this job gets): the first
//! rows go out in a burst, and their rate would promise too much. `--local`
//! has no quota and no pacer, so its rate is what the store achieves. The
//! ETA divides the rows left by that rate ([`eta`]). Before a run,
//! [`estimate`] says how long the writes of a plan take at the quota (the
//! dry run's closing line).

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::{HumanDuration, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::connect::pace::Pacer;
use crate::run::outcome::{RowOutcome, Tally};

/// How often the plain line is written.
const PLAIN_EVERY: Duration = Duration::from_secs(5);
/// The rate is measured over the rows that ended this long ago at most.
const RATE_WINDOW: Duration = Duration::from_secs(10);
/// Without a quota, no rate is shown before the run is this old.
const MEASURE_FIRST: Duration = Duration::from_millis(500);
/// Rows that end within this span are counted together.
const BUCKET: Duration = Duration::from_millis(250);

/// A run's progress display.
pub struct Progress {
    kind: Kind,
    total: usize,
    tally: Tally,
    rate: RateMeter,
    /// The quota's pacer; `None` when no quota applies (`--local`).
    pacer: Option<Arc<Pacer>>,
}

enum Kind {
    Bar(ProgressBar, super::notice::Shown),
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
            let shown = super::notice::Shown::new(&bar);
            Kind::Bar(bar, shown)
        } else {
            Kind::Plain { last: now }
        };
        Progress {
            kind,
            total,
            tally: Tally::default(),
            rate: RateMeter::new(now),
            pacer,
        }
    }

    pub fn advance(&mut self, row: &RowOutcome) {
        let now = Instant::now();
        self.tally.add(&row.outcome);
        self.rate.record(now);
        let line = self.status(now);
        let done = self.tally.total();
        match &mut self.kind {
            Kind::Bar(bar, _) => {
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
        if let Kind::Bar(bar, _) = &self.kind {
            bar.finish_and_clear();
        }
    }

    /// `(1.9/s, ETA 4 minutes): 118 created, 2 failed`
    fn status(&self, now: Instant) -> String {
        // Without a quota's bound, the first moments' rate is noise (one
        // row in a millisecond is not a thousand a second).
        if self.pacer.is_none() && now.saturating_duration_since(self.rate.started) < MEASURE_FIRST
        {
            return format!("(measuring the rate): {}", counts(&self.tally));
        }
        let left = self.total.saturating_sub(self.tally.total());
        let rate = bounded(self.rate.rate(now), self.pacer.as_ref().map(|p| p.rate()));
        let eta = eta(left, rate).map_or_else(
            || "unknown".to_string(),
            |eta| HumanDuration(eta).to_string(),
        );
        format!("({}, ETA {eta}): {}", rate_text(rate), counts(&self.tally))
    }
}

/// Rows that ended recently, counted in short buckets: the measured rate.
#[derive(Debug)]
pub struct RateMeter {
    started: Instant,
    /// The start of each bucket and the rows that ended in it, oldest first.
    buckets: VecDeque<(Instant, u32)>,
}

impl RateMeter {
    pub fn new(started: Instant) -> RateMeter {
        RateMeter {
            started,
            buckets: VecDeque::new(),
        }
    }

    /// A row ended at `now`.
    pub fn record(&mut self, now: Instant) {
        match self.buckets.back_mut() {
            Some((start, count)) if now.saturating_duration_since(*start) < BUCKET => *count += 1,
            _ => self.buckets.push_back((now, 1)),
        }
        while self
            .buckets
            .front()
            .is_some_and(|(start, _)| now.saturating_duration_since(*start) > RATE_WINDOW)
        {
            self.buckets.pop_front();
        }
    }

    /// Rows a second over the last [`RATE_WINDOW`] (or since the start,
    /// when the run is younger): falls when rows stop ending.
    pub fn rate(&self, now: Instant) -> f64 {
        let rows: u32 = self
            .buckets
            .iter()
            .filter(|(start, _)| now.saturating_duration_since(*start) <= RATE_WINDOW)
            .map(|(_, count)| count)
            .sum();
        let span = now
            .saturating_duration_since(self.started)
            .min(RATE_WINDOW)
            .as_secs_f64()
            .max(0.001);
        f64::from(rows) / span
    }
}

/// The measured rate, never above the quota's where one applies.
pub fn bounded(measured: f64, quota: Option<f64>) -> f64 {
    match quota {
        Some(quota) => measured.min(quota),
        None => measured,
    }
}

/// The time the rows left take at `rate`; `None` when nothing moves.
pub fn eta(left: usize, rate: f64) -> Option<Duration> {
    (rate > 0.0 && rate.is_finite()).then(|| Duration::from_secs_f64(left as f64 / rate))
}

/// `1.9/s`, `35/s`, `3512/s`.
fn rate_text(rate: f64) -> String {
    if rate >= 10.0 {
        format!("{rate:.0}/s")
    } else {
        format!("{rate:.1}/s")
    }
}

/// How long the writes of a plan take at the quota: `requests` paced at
/// `rate` a second, the first `burst` at once.
pub fn estimate(requests: usize, rate: f64, burst: u32) -> Duration {
    let paced = requests.saturating_sub(burst as usize);
    if rate > 0.0 && rate.is_finite() {
        Duration::from_secs_f64(paced as f64 / rate)
    } else {
        Duration::ZERO
    }
}

/// The dry run's estimate of the real run: the checks again (`checks`, as
/// long as they took now) and `writes` requests at the pacer's rate, the
/// first `burst` at once. `None` without a quota (`--local`).
pub fn dry_run_estimate(
    writes: usize,
    operation: &str,
    pacer: Option<&Pacer>,
    burst: u32,
    checks: Duration,
) -> Option<String> {
    let rate = pacer?.rate();
    let total = checks + estimate(writes, rate, burst);
    Some(format!(
        "dry run: the real run would take {}: the checks ({} here) and {writes} {operation} \
         requests at {rate:.2} a second (--rate, burst {burst})",
        about(total),
        HumanDuration(checks)
    ))
}

/// `about 6 hours 57 minutes`: a duration the way an estimate reads.
pub fn about(duration: Duration) -> String {
    let seconds = duration.as_secs();
    let (hours, minutes) = (seconds / 3600, seconds % 3600 / 60);
    let n = |n: u64, unit: &str| match n {
        1 => format!("1 {unit}"),
        n => format!("{n} {unit}s"),
    };
    match (hours, minutes) {
        (0, 0) => format!("about {}", n(seconds.max(1), "second")),
        (0, m) => format!("about {}", n(m, "minute")),
        (h, 0) => format!("about {}", n(h, "hour")),
        (h, m) => format!("about {} {}", n(h, "hour"), n(m, "minute")),
    }
}

/// `118 created, 2 failed`: the counts that are not zero, in a fixed order.
pub fn counts(tally: &Tally) -> String {
    let all = [
        (tally.removed, "removed"),
        (tally.absent, "absent"),
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

    fn row() -> RowOutcome {
        RowOutcome {
            line: Some(2),
            user_login: "a".into(),
            outcome: crate::run::outcome::Outcome::Skipped { reason: "x".into() },
        }
    }

    #[test]
    fn the_eta_is_bounded_by_the_pacer() {
        let pacer = Arc::new(Pacer::new(2.0, 5).unwrap());
        let mut progress = Progress::new(100, false, Some(pacer));
        // A burst of 10 rows at once would promise hundreds a second.
        for _ in 0..10 {
            progress.advance(&row());
        }
        let status = progress.status(Instant::now());
        assert!(status.starts_with("(2.0/s, ETA 46 seconds)"), "{status}");
    }

    #[test]
    fn without_a_quota_the_measured_rate_is_shown() {
        // `--local`: 30 rows in 50 ms are 600 a second, not the quota's 2.
        let start = Instant::now();
        let mut meter = RateMeter::new(start);
        for i in 0..30 {
            meter.record(start + Duration::from_micros(1_666 * i));
        }
        let now = start + Duration::from_millis(50);
        let rate = bounded(meter.rate(now), None);
        assert!((590.0..=610.0).contains(&rate), "{rate}");
        assert_eq!(rate_text(rate), format!("{rate:.0}/s"));
        // 50,000 rows at 3,600 a second take seconds, not hours.
        let eta = eta(50_000 - 3_623, 3_600.0).unwrap();
        assert_eq!(HumanDuration(eta).to_string(), "13 seconds");
    }

    #[test]
    fn without_a_quota_the_first_moment_shows_no_rate() {
        let mut progress = Progress::new(100, false, None);
        progress.advance(&row());
        let started = progress.rate.started;
        let status = progress.status(started + Duration::from_millis(1));
        assert_eq!(status, "(measuring the rate): 1 skipped");
        let status = progress.status(started + Duration::from_secs(1));
        assert!(status.starts_with("(1.0/s, ETA "), "{status}");
    }

    #[test]
    fn the_rate_is_that_of_the_last_ten_seconds() {
        let start = Instant::now();
        let mut meter = RateMeter::new(start);
        // 100 rows a second for 20 s, then 1 a second for 20 s.
        for i in 0..2000 {
            meter.record(start + Duration::from_millis(10 * i));
        }
        for i in 0..20 {
            meter.record(start + Duration::from_secs(20 + i));
        }
        let rate = meter.rate(start + Duration::from_secs(40));
        assert!((0.9..=1.1).contains(&rate), "{rate}");
        assert!(meter.buckets.len() <= 41, "{}", meter.buckets.len());
        // Nothing ends: the rate falls to zero and the ETA is unknown.
        let rate = meter.rate(start + Duration::from_secs(60));
        assert_eq!(rate, 0.0);
        assert_eq!(eta(10, rate), None);
    }

    #[test]
    fn the_dry_run_says_how_long_the_real_run_takes() {
        let pacer = Pacer::new(2.0, 5).unwrap();
        let line = dry_run_estimate(
            50_000,
            "CreateUser",
            Some(&pacer),
            5,
            Duration::from_secs(30),
        )
        .unwrap();
        assert!(
            line.starts_with("dry run: the real run would take about 7 hours 5 minutes: "),
            "{line}"
        );
        assert!(
            line.contains("50000 CreateUser requests at 1.96 a second"),
            "{line}"
        );
        assert_eq!(
            dry_run_estimate(50_000, "CreateUser", None, 5, Duration::ZERO),
            None
        );
    }

    #[test]
    fn a_plan_is_estimated_at_the_quota() {
        // 50,000 creates at 2 a second, the first 5 at once.
        let time = estimate(50_000, 2.0, 5);
        assert_eq!(time.as_secs(), 24_997);
        assert_eq!(about(time), "about 6 hours 56 minutes");
        assert_eq!(about(estimate(3, 2.0, 5)), "about 1 second");
        assert_eq!(about(Duration::from_secs(7200)), "about 2 hours");
        assert_eq!(about(Duration::from_secs(90)), "about 1 minute");
        assert_eq!(about(Duration::from_secs(3660)), "about 1 hour 1 minute");
    }
}
