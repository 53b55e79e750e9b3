//! Which pacer a request waits for: one per operation, or one for all.
//!
//! Amazon Connect's API reference says the throttling limits "are defined
//! for each API separately at the AWS account level", and Service Quotas
//! lists one adjustable quota per operation ("Rate of DescribeUser API
//! requests", "Rate of UpdateUserConfig API requests", …), 2 requests a
//! second by default. The same page also speaks of limits "across all
//! APIs", so an account may meet one shared bucket instead. By default
//! every operation gets its own [`Pacer`] at `--rate`/`--burst`: the reads
//! that check a user never take the slots of the writes. `--quota shared`
//! puts every request behind one pacer. Either way each pacer adapts to
//! the 429s it meets, so a guess that is too generous costs a few
//! throttled requests, never a failure.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::Deserialize;

use super::pace::Pacer;

/// How the service's rate quota is divided.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Quota {
    /// One bucket per operation (DescribeUser, UpdateUserConfig, …), each at
    /// the rate and burst given: what Service Quotas lists.
    #[default]
    PerOperation,
    /// One bucket for every operation together.
    Shared,
}

impl Quota {
    pub fn name(self) -> &'static str {
        match self {
            Quota::PerOperation => "per-operation",
            Quota::Shared => "shared",
        }
    }
}

/// The pacers of one connection.
#[derive(Debug)]
pub struct Pacers {
    quota: Quota,
    rate: f64,
    burst: u32,
    shared: Arc<Pacer>,
    by_operation: Mutex<HashMap<&'static str, Arc<Pacer>>>,
}

impl Pacers {
    /// `rate` must be positive and finite, `burst` at least 1.
    pub fn new(quota: Quota, rate: f64, burst: u32) -> anyhow::Result<Pacers> {
        Ok(Pacers {
            quota,
            rate,
            burst,
            shared: Arc::new(Pacer::new(rate, burst)?),
            by_operation: Mutex::new(HashMap::new()),
        })
    }

    pub fn quota(&self) -> Quota {
        self.quota
    }

    /// The pacer a request of `operation` (the API's name, e.g.
    /// `DescribeUser`) waits for.
    pub fn of(&self, operation: &'static str) -> Arc<Pacer> {
        if self.quota == Quota::Shared {
            return self.shared.clone();
        }
        let mut pacers = self
            .by_operation
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        pacers
            .entry(operation)
            .or_insert_with(|| {
                Arc::new(Pacer::new(self.rate, self.burst).expect("checked by Pacers::new"))
            })
            .clone()
    }

    /// Throttled answers seen so far, over every pacer.
    pub fn throttles(&self) -> u64 {
        let pacers = self
            .by_operation
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        self.shared.throttles() + pacers.values().map(|p| p.throttles()).sum::<u64>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_share_a_pacer_only_under_a_shared_quota() {
        let own = Pacers::new(Quota::PerOperation, 2.0, 5).unwrap();
        assert!(!Arc::ptr_eq(
            &own.of("DescribeUser"),
            &own.of("UpdateUserConfig")
        ));
        assert!(Arc::ptr_eq(
            &own.of("DescribeUser"),
            &own.of("DescribeUser")
        ));
        let shared = Pacers::new(Quota::Shared, 2.0, 5).unwrap();
        assert!(Arc::ptr_eq(
            &shared.of("DescribeUser"),
            &shared.of("UpdateUserConfig")
        ));
        assert!(Pacers::new(Quota::Shared, 0.0, 5).is_err());
    }

    #[test]
    fn the_settings_file_names_the_quota_as_the_flag_does() {
        let file: crate::connect::config::ConfigFile =
            toml::from_str("quota = \"shared\"").unwrap();
        assert_eq!(file.quota, Some(Quota::Shared));
        let file: crate::connect::config::ConfigFile =
            toml::from_str("quota = \"per-operation\"").unwrap();
        assert_eq!(file.quota, Some(Quota::PerOperation));
        assert!(toml::from_str::<crate::connect::config::ConfigFile>("quota = \"one\"").is_err());
    }
}
