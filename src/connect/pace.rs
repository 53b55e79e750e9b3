//! Client-side pacing: one adaptive token bucket in front of every request
//! (first attempts, retries, list pages and look-ups alike), so a run stays
//! within the account's API quota instead of discovering it through
//! throttling errors — and, when other jobs share that quota, slows down to a
//! fair share instead of fighting them.
//!
//! The bucket starts at `--rate` with room for `--burst`. A throttled answer
//! (HTTP 429) cuts the rate: by half when throttles come in quick succession
//! (several jobs starting at once are far above their share), by 15% when
//! they are rare (a steady share being probed). Answers that are not
//! throttled raise it again, slowly at first and faster the longer the quota
//! has been quiet, never above `--rate`. Several processes running this
//! additive-increase, multiplicative-decrease rule converge to fair shares
//! of the quota. After the first throttle the burst allowance shrinks with
//! the rate, so a paused job does not come back with a burst the shared
//! quota no longer has.
//!
//! Neither `governor` (fixed quotas) nor the SDK's adaptive retry mode
//! (no ceiling, no burst, only active once throttled, and coupled to a
//! retry budget that can run dry) does this, so the bucket is written here;
//! the constants were tuned with a simulation of N jobs against the
//! service's bucket and checked with `cargo bench --bench shared_quota`.

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
/// Cut on a throttle that follows another within [`QUICK`].
const FAST_CUT: f64 = 0.5;
/// Cut on an isolated throttle.
const SLOW_CUT: f64 = 0.85;
/// Throttles closer together than this mean the rate is far too high.
const QUICK: Duration = Duration::from_secs(6);
/// Additive increase, as a share of the ceiling per second.
const INCREASE: f64 = 0.005;
/// The increase doubles after this long without a throttle, and keeps growing
/// with the square of the quiet time.
const QUIET: f64 = 10.0;
/// The rate never drops below this share of the ceiling.
const FLOOR: f64 = 1.0 / 8.0;

/// The adaptive token bucket, shared by every request of a run.
#[derive(Debug)]
pub struct Pacer {
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
    /// When the rate was last cut, if ever.
    cut: Option<Instant>,
    /// When the rate last rose.
    raised: Instant,
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
            ceiling,
            burst: f64::from(burst),
            state: Mutex::new(State {
                rate: ceiling,
                capacity: f64::from(burst),
                tokens: f64::from(burst),
                refilled: now,
                cut: None,
                raised: now,
                throttles: 0,
            }),
        })
    }

    /// Waits until one more request may be sent; returns the moment it
    /// went, to hand back with [`Pacer::answered`].
    ///
    /// Once the quota has proven shared (a throttle was seen), each request
    /// leaves at a random moment within its slot. A job that sends on a
    /// steady beat at the quota's own rate would otherwise lock onto the
    /// service's refill instants and take every token, starving the other
    /// jobs; jitter gives every job the same chance at each token. Each
    /// slot is still taken at the paced rate, so the jitter costs nothing
    /// over a run.
    pub async fn acquire(&self) -> Instant {
        let at = self.reserve(Instant::now());
        let at = at + self.jitter();
        tokio::time::sleep_until(at.into()).await;
        at
    }

    /// A random part of one slot, once throttles have been seen; else none.
    fn jitter(&self) -> Duration {
        let s = self.lock();
        if s.cut.is_none() {
            return Duration::ZERO;
        }
        Duration::from_secs_f64(rand::random::<f64>() / s.rate)
    }

    /// Takes a token, or the next one to come: the instant the request may go.
    fn reserve(&self, now: Instant) -> Instant {
        let mut s = self.lock();
        s.refill(now);
        s.tokens -= 1.0;
        if s.tokens >= 0.0 {
            now
        } else {
            now + Duration::from_secs_f64(-s.tokens / s.rate)
        }
    }

    /// Feeds back the answer to a request sent at `sent`.
    pub fn answered(&self, sent: Instant, throttled: bool) {
        self.feedback(sent, throttled, Instant::now());
    }

    fn feedback(&self, sent: Instant, throttled: bool, now: Instant) {
        let mut s = self.lock();
        s.refill(now);
        if throttled {
            s.throttles += 1;
            // Requests sent before the last cut saw the old rate: one
            // congestion event cuts once.
            if s.cut.is_some_and(|cut| sent < cut) {
                return;
            }
            let quick = s.cut.is_some_and(|cut| now.duration_since(cut) < QUICK);
            let factor = if quick { FAST_CUT } else { SLOW_CUT };
            s.rate = (s.rate * factor).max(self.ceiling * FLOOR);
            s.cut = Some(now);
            s.raised = now;
            s.tokens = s.tokens.min(0.0);
            s.capacity = self.capacity_at(s.rate);
        } else if let Some(cut) = s.cut {
            let quiet = now.duration_since(cut).as_secs_f64() / QUIET;
            let elapsed = now.duration_since(s.raised).as_secs_f64();
            let step = self.ceiling * INCREASE * elapsed * (1.0 + quiet * quiet);
            s.rate = (s.rate + step).min(self.ceiling);
            s.raised = now;
            s.capacity = self.capacity_at(s.rate);
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
mod tests {
    use super::*;

    #[test]
    fn rejects_nonsense() {
        assert!(Pacer::new(0.0, 5).is_err());
        assert!(Pacer::new(f64::NAN, 5).is_err());
        assert!(Pacer::new(2.0, 0).is_err());
        assert!(Pacer::new(0.5, 1).is_ok());
        assert!(Pacer::new(1e-300, 1).is_err());
    }

    #[test]
    fn burst_is_immediate_then_paced() {
        let pacer = Pacer::new(10.0 / MARGIN, 3).unwrap();
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(pacer.reserve(t0), t0);
        }
        // Then one every 100 ms, in order.
        let next: Vec<Duration> = (0..3).map(|_| pacer.reserve(t0) - t0).collect();
        let ms: Vec<u128> = next.iter().map(Duration::as_millis).collect();
        assert_eq!(ms, [100, 200, 300]);
    }

    #[test]
    fn throttles_cut_the_rate_and_quiet_raises_it_to_the_ceiling_only() {
        let pacer = Pacer::new(2.0, 5).unwrap();
        let ceiling = 2.0 * MARGIN;
        let t0 = Instant::now();
        pacer.feedback(t0, true, t0 + Duration::from_millis(10));
        assert!((pacer.rate() - ceiling * SLOW_CUT).abs() < 1e-9);
        // A throttle of a request sent before the cut is the same event.
        pacer.feedback(t0, true, t0 + Duration::from_millis(20));
        assert!((pacer.rate() - ceiling * SLOW_CUT).abs() < 1e-9);
        // A new throttle soon after: the rate was far too high.
        let t1 = t0 + Duration::from_secs(1);
        pacer.feedback(t1, true, t1);
        assert!((pacer.rate() - ceiling * SLOW_CUT * FAST_CUT).abs() < 1e-9);
        // The burst allowance shrinks with the rate.
        assert!(pacer.lock().capacity < 5.0);
        // Quiet answers raise it, never above the ceiling.
        let mut t = t1;
        for _ in 0..600 {
            t += Duration::from_millis(500);
            pacer.feedback(t, false, t);
        }
        assert!((pacer.rate() - ceiling).abs() < 1e-9);
        assert!((pacer.lock().capacity - 5.0).abs() < 1e-9);
        assert_eq!(pacer.throttles(), 3);
    }

    #[test]
    fn the_rate_has_a_floor() {
        let pacer = Pacer::new(2.0, 5).unwrap();
        let mut t = Instant::now();
        for _ in 0..50 {
            t += Duration::from_millis(100);
            pacer.feedback(t, true, t);
        }
        assert!((pacer.rate() - 2.0 * MARGIN * FLOOR).abs() < 1e-9);
    }
}
