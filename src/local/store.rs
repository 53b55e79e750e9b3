//! The persistent store: one SQLite database holding any number of
//! instances, with one transaction per write.
//!
//! SQLite runs in WAL mode with `synchronous = NORMAL`: a commit is durable
//! once the call returns as far as a crash or kill of this process goes (the
//! WAL is in the operating system's hands), and a torn write is rolled back
//! on the next open, so a user is never half-created. Only a power cut can
//! lose the last commits, which is the right trade for a local test
//! instance that must take thousands of writes a second.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use anyhow::Context;
use rusqlite::Connection;

use crate::local::db::Db;
use crate::local::seed::Seed;
use crate::local::seed_load;

/// What loading a seed did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedOutcome {
    /// The instance was new and is now in the store.
    Loaded,
    /// The store already held an instance with this ID; nothing changed.
    AlreadyPresent,
}

/// The store. Cheap to share behind an `Arc`; every call takes its lock for
/// the length of one query or one transaction.
pub struct Store {
    conn: Mutex<Connection>,
}

impl Store {
    /// Opens (creating if need be) the database at `path`.
    pub fn open(path: &Path) -> anyhow::Result<Store> {
        let conn = Connection::open(path)
            .with_context(|| format!("opening database {}", path.display()))?;
        Store::init(conn).with_context(|| format!("preparing database {}", path.display()))
    }

    /// A store that lives only in memory (unit tests).
    pub fn open_in_memory() -> anyhow::Result<Store> {
        Store::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> anyhow::Result<Store> {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(crate::local::db::SCHEMA)?;
        crate::local::db::upgrade(&conn)?;
        conn.set_prepared_statement_cache_capacity(64);
        Ok(Store {
            conn: Mutex::new(conn),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a transaction open (it
        // rolls back on drop), so the connection is still good to use.
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs queries outside a transaction.
    pub(crate) fn read<T, E: From<rusqlite::Error>>(
        &self,
        f: impl FnOnce(&Db<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let conn = self.lock();
        f(&Db { conn: &conn })
    }

    /// Runs `f` in one transaction: committed if it returns `Ok`, rolled
    /// back otherwise.
    pub(crate) fn write<T, E: From<rusqlite::Error>>(
        &self,
        f: impl FnOnce(&Db<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let value = f(&Db { conn: &tx })?;
        tx.commit()?;
        Ok(value)
    }

    /// Starts keeping the versions of user rows that `--search-lag-ms`
    /// searches (see [`crate::local::search_lag`]).
    pub fn enable_search_lag(&self) -> anyhow::Result<()> {
        crate::local::search_lag::enable(&self.lock()).context("preparing --search-lag-ms")
    }

    /// The IDs of every instance, oldest first.
    pub fn instance_ids(&self) -> anyhow::Result<Vec<String>> {
        let rows = self.read(|db| db.instances(0, usize::MAX >> 1))?;
        Ok(rows.into_iter().map(|(_, row)| row.id).collect())
    }

    /// How many users of the instance have this login, ignoring case.
    pub fn count_users_named(&self, instance_id: &str, username: &str) -> anyhow::Result<usize> {
        Ok(self.read(|db| db.count_users_named(instance_id, username))?)
    }

    /// How many users the instance has.
    pub fn user_count(&self, instance_id: &str) -> anyhow::Result<usize> {
        Ok(self.read(|db| db.user_count(instance_id))?)
    }

    /// Loads a seed in one transaction, unless its instance is already there.
    pub fn load_seed(&self, seed: &Seed) -> anyhow::Result<SeedOutcome> {
        self.write(|db| {
            if db.instance(&seed.id)?.is_some() {
                return Ok(SeedOutcome::AlreadyPresent);
            }
            seed_load::load(db, seed)?;
            Ok(SeedOutcome::Loaded)
        })
    }
}

/// A timestamp of the store in whole milliseconds, as a client reads the
/// service's epoch-seconds form (`LastModifiedTime`).
pub fn epoch_millis(seconds: f64) -> i64 {
    aws_smithy_types::DateTime::from_secs_f64(seconds)
        .to_millis()
        .unwrap_or(0)
}

/// Seconds since the Unix epoch, the service's timestamp form.
pub fn now_epoch() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}
