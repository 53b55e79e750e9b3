//! Quotas and fault injection: the token bucket shared by the user and list
//! calls, and the reproducible faults a test asks for.

use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// The documented default quota of the user and list operations.
pub const DEFAULT_RATE: f64 = 2.0;
pub const DEFAULT_BURST: u32 = 5;

/// A token bucket of `rate` requests a second with room for `burst`.
pub struct Throttle(DefaultDirectRateLimiter);

impl Throttle {
    pub fn new(rate: f64, burst: u32) -> anyhow::Result<Throttle> {
        anyhow::ensure!(
            rate.is_finite() && rate > 0.0,
            "--rate must be a positive number of requests a second, got {rate}"
        );
        let burst =
            NonZeroU32::new(burst).ok_or_else(|| anyhow::anyhow!("--burst must be at least 1"))?;
        let period = Duration::from_secs_f64(1.0 / rate);
        let quota = Quota::with_period(period)
            .ok_or_else(|| anyhow::anyhow!("--rate {rate} is too high"))?
            .allow_burst(burst);
        Ok(Throttle(RateLimiter::direct(quota)))
    }

    /// Takes a token; false when the bucket is empty.
    pub fn admit(&self) -> bool {
        self.0.check().is_ok()
    }
}

/// A latency to add to each request: fixed or drawn from a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Latency {
    pub min_ms: u64,
    pub max_ms: u64,
}

impl std::str::FromStr for Latency {
    type Err = String;

    /// `N` or `A-B` milliseconds.
    fn from_str(s: &str) -> Result<Latency, String> {
        let num = |t: &str| {
            t.trim()
                .parse::<u64>()
                .map_err(|_| format!("'{s}' is not N or A-B milliseconds, e.g. 20 or 5-50"))
        };
        let (min_ms, max_ms) = match s.split_once('-') {
            Some((a, b)) => (num(a)?, num(b)?),
            None => (num(s)?, num(s)?),
        };
        if min_ms > max_ms {
            return Err(format!("'{s}': the range's start is after its end"));
        }
        Ok(Latency { min_ms, max_ms })
    }
}

/// What faults to inject, each rate a probability from 0 to 1.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FaultConfig {
    pub seed: Option<u64>,
    pub latency: Option<Latency>,
    pub fail_rate: f64,
    pub drop_rate: f64,
    pub commit_then_fail_rate: f64,
}

impl FaultConfig {
    pub fn validate(&self) -> anyhow::Result<()> {
        for (flag, rate) in [
            ("--fail-rate", self.fail_rate),
            ("--drop-rate", self.drop_rate),
            ("--commit-then-fail-rate", self.commit_then_fail_rate),
        ] {
            anyhow::ensure!(
                (0.0..=1.0).contains(&rate),
                "{flag} must be between 0 and 1, got {rate}"
            );
        }
        Ok(())
    }

    fn any(&self) -> bool {
        self.latency.is_some()
            || self.fail_rate > 0.0
            || self.drop_rate > 0.0
            || self.commit_then_fail_rate > 0.0
    }
}

/// The fate of one request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Draw {
    pub latency: Duration,
    /// Answer 500 InternalServiceException without doing anything.
    pub fail: bool,
    /// Close the connection without doing anything.
    pub drop: bool,
    /// For a write: do it, then answer 500 (`Some(false)`) or drop (`Some(true)`).
    pub commit_then_fail: Option<bool>,
}

/// The fault source: one seeded generator, drawn from in request order.
pub struct Faults {
    config: FaultConfig,
    rng: Mutex<StdRng>,
}

impl Faults {
    pub fn new(config: FaultConfig) -> Faults {
        let rng = match config.seed {
            Some(seed) => StdRng::seed_from_u64(seed),
            None => StdRng::from_os_rng(),
        };
        Faults {
            config,
            rng: Mutex::new(rng),
        }
    }

    /// Draws every decision for one request (always the same number of
    /// draws, so a seed replays the same sequence).
    pub fn draw(&self) -> Draw {
        if !self.config.any() {
            return Draw::default();
        }
        let mut rng = self.rng.lock().unwrap_or_else(|p| p.into_inner());
        let latency = self
            .config
            .latency
            .map(|l| rng.random_range(l.min_ms..=l.max_ms))
            .unwrap_or(0);
        let fail = rng.random::<f64>() < self.config.fail_rate;
        let drop = rng.random::<f64>() < self.config.drop_rate;
        let ctf = rng.random::<f64>() < self.config.commit_then_fail_rate;
        let ctf_drop = rng.random::<bool>();
        Draw {
            latency: Duration::from_millis(latency),
            fail,
            drop,
            commit_then_fail: ctf.then_some(ctf_drop),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_forms() {
        assert_eq!(
            "20".parse(),
            Ok(Latency {
                min_ms: 20,
                max_ms: 20
            })
        );
        assert_eq!(
            "5-50".parse(),
            Ok(Latency {
                min_ms: 5,
                max_ms: 50
            })
        );
        assert!("50-5".parse::<Latency>().is_err());
        assert!("x".parse::<Latency>().is_err());
    }

    #[test]
    fn a_seed_replays_the_same_faults() {
        let config = FaultConfig {
            seed: Some(7),
            fail_rate: 0.3,
            drop_rate: 0.3,
            ..FaultConfig::default()
        };
        let a: Vec<Draw> = (0..50)
            .map({
                let f = Faults::new(config.clone());
                move |_| f.draw()
            })
            .collect();
        let f = Faults::new(config);
        let b: Vec<Draw> = (0..50).map(|_| f.draw()).collect();
        assert_eq!(a, b);
        assert!(a.iter().any(|d| d.fail) && a.iter().any(|d| !d.fail));
    }

    #[test]
    fn the_bucket_allows_its_burst_then_refuses() {
        let t = Throttle::new(0.001, 5).unwrap();
        assert_eq!((0..8).filter(|_| t.admit()).count(), 5);
        assert!(Throttle::new(0.0, 5).is_err());
        assert!(Throttle::new(1.0, 0).is_err());
    }
}
