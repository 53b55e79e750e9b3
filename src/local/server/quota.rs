//! The rate quota `local serve` enforces on the user and list operations:
//! a token bucket per operation, as Service Quotas lists them ("Rate of
//! DescribeUser API requests", …), or one bucket shared by every operation
//! (`--quota shared`), as the API reference's "across all APIs" can also
//! be read. Both at `--rate` and `--burst`, so a client can be rehearsed
//! against either.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::faults::Throttle;
use crate::connect::pacers::Quota;

/// The buckets.
pub enum Quotas {
    Shared(Throttle),
    PerOperation {
        rate: f64,
        burst: u32,
        buckets: Mutex<HashMap<&'static str, Arc<Throttle>>>,
    },
}

impl Quotas {
    pub fn new(quota: Quota, rate: f64, burst: u32) -> anyhow::Result<Quotas> {
        // Checks the rate and burst once, for every bucket to come.
        let first = Throttle::new(rate, burst)?;
        Ok(match quota {
            Quota::Shared => Quotas::Shared(first),
            Quota::PerOperation => Quotas::PerOperation {
                rate,
                burst,
                buckets: Mutex::new(HashMap::new()),
            },
        })
    }

    /// Takes a token from `operation`'s bucket; false when it is empty.
    pub fn admit(&self, operation: &'static str) -> bool {
        match self {
            Quotas::Shared(bucket) => bucket.admit(),
            Quotas::PerOperation {
                rate,
                burst,
                buckets,
            } => {
                let bucket = buckets
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .entry(operation)
                    .or_insert_with(|| {
                        Arc::new(Throttle::new(*rate, *burst).expect("checked by Quotas::new"))
                    })
                    .clone();
                bucket.admit()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_operation_has_its_own_burst_unless_shared() {
        let own = Quotas::new(Quota::PerOperation, 0.001, 2).unwrap();
        let admitted = |q: &Quotas, op| (0..4).filter(|_| q.admit(op)).count();
        assert_eq!(admitted(&own, "DescribeUser"), 2);
        assert_eq!(admitted(&own, "UpdateUserConfig"), 2);
        let shared = Quotas::new(Quota::Shared, 0.001, 2).unwrap();
        assert_eq!(admitted(&shared, "DescribeUser"), 2);
        assert_eq!(admitted(&shared, "UpdateUserConfig"), 0);
        assert!(Quotas::new(Quota::PerOperation, 0.0, 2).is_err());
    }
}
