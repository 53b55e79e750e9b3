//! Client-side pacing: one adaptive token bucket in front of every request
//! (first attempts, retries, list pages and look-ups alike), so a run stays
//! within the account's API quota instead of discovering it through
//! throttling errors — and, when other jobs share that quota, slows down to
//! a share of it instead of fighting them, and takes the whole quota back
//! when they are done.
//!
//! The bucket starts at `--rate` with room for `--burst`, 2% slow so that it
//! never races the service's own bucket. Once a request has had to wait for
//! its slot, it leaves at a random moment within the slot, never closer than
//! the quota allows to the one before: a job sending on a steady beat would
//! lock onto the service's refill instants, take every token and starve the
//! jobs it shares the quota with, without ever being throttled itself.
//!
//! A throttled answer (HTTP 429) is a congestion event, once per event
//! (throttles of requests sent before the cut are the same event). It cuts
//! the rate to 70% of what the job actually got through in the last four
//! seconds — when several jobs share the quota that is its share, whatever
//! its nominal rate was — never below 30% of the quota, so that a job
//! unlucky at the start is not starved. Requests already waiting for a slot
//! when the rate is cut take a new slot at the new rate. Answers that are
//! not throttled raise the rate again along a cubic curve (as TCP CUBIC and
//! the SDK's adaptive mode do): back quickly towards the rate at the cut,
//! flat around it — a share that holds is kept, without probing — and then
//! faster and faster beyond it, so that when the other jobs are done the
//! whole quota is taken back within seconds; never above `--rate`.
//!
//! Neither `governor` (fixed quotas) nor the SDK's adaptive retry mode
//! (no ceiling, no burst, only active once throttled, constants for
//! thousands of requests a second, and coupled to a retry budget that can
//! run dry) does this, so the bucket is written here; the constants were
//! chosen with a simulation of several jobs against the service's bucket
//! and checked with `cargo bench --bench shared_quota`.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The documented default quota of the user and list calls.
pub const DEFAULT_RATE: f64 = 2.0;
pub const DEFAULT_BURST: u32 = 5;

/// The share of the configured rate actually used. The service's bucket
/// refills on its own clock; a client that sends exactly on the refill
/// instant loses every tie to network jitter and gets throttled, so the
/// pacer runs 2% slow and the gap absorbs the jitter.
const MARGIN: f64 = 0.98;
/// A throttle cuts the rate to this share of the rate achieved.
const BETA: f64 = 0.7;
/// The window over which the achieved rate is measured.
const WINDOW: Duration = Duration::from_secs(4);
/// The cubic growth after a cut, as a share of the ceiling per second³.
const GROWTH: f64 = 0.005;
/// The rate never drops below this share of the ceiling.
const FLOOR: f64 = 0.3;

/// The adaptive token bucket, shared by every request of a run.
#[derive(Debug)]
pub struct Pacer {
    /// `--rate`: the quota itself, which paced requests never outrun.
    quota: f64,
    ceiling: f64,
    burst: f64,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    /// Requests a second now.
    rate: f64,
    /// Tokens the bucket can hold now (the burst, shrunk after throttling).
    capacity: f64,
    /// Tokens available; negative while requests wait their turn.
    tokens: f64,
    refilled: Instant,
    /// When the rate was last cut, if ever, and how many cuts so far.
    cut: Option<Instant>,
    cuts: u64,
    /// The rate achieved when last cut, and how long after the cut the
    /// cubic growth comes back to it.
    at_cut: f64,
    back_after: f64,
    /// When recent answers that were not throttled came.
    answered: VecDeque<Instant>,
    /// When the last request that waited for its slot leaves.
    last_paced: Option<Instant>,
    throttles: u64,
}

impl Pacer {
    /// `rate` must be positive and finite, `burst` at least 1.
    pub fn new(rate: f64, burst: u32) -> anyhow::Result<Pacer> {
        anyhow::ensure!(
            rate.is_finite() && rate > 0.0,
            "--rate must be a positive number of requests per second, got {rate}"
        );
        anyhow::ensure!(burst >= 1, "--burst must be at least 1, got 0");
        anyhow::ensure!(
            rate >= 0.001,
            "--rate {rate} is too low: use at least 0.001 requests per second"
        );
        anyhow::ensure!(
            rate <= 1_000_000.0,
            "--rate {rate} is too high: use at most 1000000"
        );
        let ceiling = rate * MARGIN;
        let now = Instant::now();
        Ok(Pacer {
            quota: rate,
            ceiling,
            burst: f64::from(burst),
            state: Mutex::new(State {
                rate: ceiling,
                capacity: f64::from(burst),
                tokens: f64::from(burst),
                refilled: now,
                cut: None,
                cuts: 0,
                at_cut: ceiling,
                back_after: 0.0,
                answered: VecDeque::new(),
                last_paced: None,
                throttles: 0,
            }),
        })
    }

    /// Waits until one more request may be sent; returns the moment it
    /// went, to hand back with [`Pacer::answered`].
    pub async fn acquire(&self) -> Instant {
        loop {
            let (at, cuts) = self.reserve(Instant::now(), rand::random());
            tokio::time::sleep_until(at.into()).await;
            // A cut while this request waited: its slot was given at the
            // old rate; it takes a new one at the new rate.
            let mut s = self.lock();
            if s.cuts == cuts {
                return at;
            }
            s.tokens += 1.0;
        }
    }

    /// Takes a token, or the next slot to come: when the request may go,
    /// and how many cuts there had been. `jitter` (0 to 1) places a paced
    /// request within its slot.
    fn reserve(&self, now: Instant, jitter: f64) -> (Instant, u64) {
        let mut s = self.lock();
        s.refill(now);
        s.tokens -= 1.0;
        if s.tokens >= 0.0 {
            return (now, s.cuts);
        }
        let slot = now + Duration::from_secs_f64((-s.tokens + jitter) / s.rate);
        let at = match s.last_paced {
            Some(last) => slot.max(last + Duration::from_secs_f64(1.0 / self.quota)),
            None => slot,
        };
        s.last_paced = Some(at);
        (at, s.cuts)
    }

    /// Gives back a slot taken with [`Pacer::acquire`] for a request that
    /// was not sent after all (a write the read before it found unneeded).
    pub fn refund(&self) {
        let mut s = self.lock();
        s.tokens = (s.tokens + 1.0).min(s.capacity);
    }

    /// Feeds back the answer to a request sent at `sent`.
    pub fn answered(&self, sent: Instant, throttled: bool) {
        self.feedback(sent, throttled, Instant::now());
    }

    fn feedback(&self, sent: Instant, throttled: bool, now: Instant) {
        let mut s = self.lock();
        s.refill(now);
        while s
            .answered
            .front()
            .is_some_and(|&at| now.duration_since(at) > WINDOW)
        {
            s.answered.pop_front();
        }
        if throttled {
            s.throttles += 1;
            // Requests sent before the last cut saw the old rate: one
            // congestion event cuts once.
            if s.cut.is_some_and(|cut| sent < cut) {
                return;
            }
            let achieved = s.answered.len() as f64 / WINDOW.as_secs_f64();
            let at_cut = if achieved > 0.0 {
                s.rate.min(achieved)
            } else {
                s.rate
            };
            s.rate = (at_cut * BETA).max(self.ceiling * FLOOR);
            s.at_cut = at_cut;
            s.back_after = ((at_cut - s.rate).max(0.0) / (GROWTH * self.ceiling)).cbrt();
            s.cut = Some(now);
            s.cuts += 1;
            s.tokens = s.tokens.min(0.0);
            s.capacity = self.capacity_at(s.rate);
        } else {
            s.answered.push_back(now);
            if let Some(cut) = s.cut {
                let x = now.duration_since(cut).as_secs_f64() - s.back_after;
                let cubic = s.at_cut + GROWTH * self.ceiling * x * x * x;
                s.rate = s.rate.max(cubic).min(self.ceiling);
                s.capacity = self.capacity_at(s.rate);
            }
        }
    }

    /// The burst allowance at a rate: the full burst at the ceiling.
    fn capacity_at(&self, rate: f64) -> f64 {
        (self.burst * rate / self.ceiling).max(1.0)
    }

    /// The rate now, in requests a second.
    pub fn rate(&self) -> f64 {
        self.lock().rate
    }

    /// Throttled answers seen so far.
    pub fn throttles(&self) -> u64 {
        self.lock().throttles
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl State {
    fn refill(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.refilled).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.rate).min(self.capacity);
        self.refilled = self.refilled.max(now);
    }
}

#[cfg(test)]
#[path = "pace_tests.rs"]
mod tests;
