//! Client-side pacing: a token bucket in front of every request, so an import
//! stays within the account's API quota instead of discovering it through
//! throttling errors.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

/// The documented default quota of the user and list calls.
pub const DEFAULT_RATE: f64 = 2.0;
pub const DEFAULT_BURST: u32 = 5;

/// The share of the configured rate actually used. The service's bucket
/// refills on its own clock; a client that sends exactly on the refill
/// instant loses every tie to network jitter and gets throttled, so the
/// pacer runs 2% slow and the gap absorbs the jitter.
const MARGIN: f64 = 0.98;

/// A shared token bucket: `rate` requests per second (less [`MARGIN`]),
/// `burst` at once.
#[derive(Debug)]
pub struct Pacer {
    limiter: DefaultDirectRateLimiter,
}

impl Pacer {
    /// `rate` must be positive and finite, `burst` at least 1.
    pub fn new(rate: f64, burst: u32) -> anyhow::Result<Pacer> {
        anyhow::ensure!(
            rate.is_finite() && rate > 0.0,
            "--rate must be a positive number of requests per second, got {rate}"
        );
        let burst = NonZeroU32::new(burst)
            .ok_or_else(|| anyhow::anyhow!("--burst must be at least 1, got 0"))?;
        let period = Duration::try_from_secs_f64(1.0 / (rate * MARGIN)).map_err(|_| {
            anyhow::anyhow!("--rate {rate} is too low: use at least 0.001 requests per second")
        })?;
        let quota = Quota::with_period(period)
            .ok_or_else(|| anyhow::anyhow!("--rate {rate} is too high"))?
            .allow_burst(burst);
        Ok(Pacer {
            limiter: RateLimiter::direct(quota),
        })
    }

    /// Waits until one more request may be sent.
    pub async fn wait(&self) {
        self.limiter.until_ready().await;
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

    #[tokio::test]
    async fn burst_is_immediate_then_paced() {
        let pacer = Pacer::new(20.0, 3).unwrap();
        let start = std::time::Instant::now();
        for _ in 0..3 {
            pacer.wait().await;
        }
        let burst_done = start.elapsed();
        for _ in 0..4 {
            pacer.wait().await;
        }
        // Four more tokens at 20/s take at least 150 ms (the first refills
        // after 50 ms); the burst itself needs no waiting at all. The bound
        // is a lower bound only, so a slow machine cannot make it fail.
        assert!(start.elapsed() >= Duration::from_millis(150));
        assert!(burst_done < start.elapsed());
    }
}
