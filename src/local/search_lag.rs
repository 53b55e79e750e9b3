//! `local serve --search-lag-ms N`: SearchUsers answers from a view of the
//! users as they were N milliseconds ago, as the service's search index
//! trails its writes. Every other operation reads the users as they are.
//!
//! Once enabled, temporary triggers copy every user row as it is written
//! (or mark it deleted) into a temporary table of versions, stamped with
//! SQLite's clock; the users present when it was enabled count as old
//! enough already. The search then runs over the newest version of each
//! user that is at least N ms old, under the name `users`, so its filters
//! and paging are the very ones of the current table. Nothing is written
//! to the database file.

use rusqlite::Connection;

/// Milliseconds since the epoch, by SQLite's clock.
const NOW_MS: &str = "((julianday('now') - 2440587.5) * 86400000.0)";

/// Starts keeping versions of the user rows.
pub(crate) fn enable(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(&format!(
        "DROP TABLE IF EXISTS temp.user_versions;
         CREATE TEMP TABLE user_versions AS SELECT 0.0 AS at, 0 AS deleted, * FROM main.users WHERE 0;
         CREATE INDEX temp.user_versions_by_user ON user_versions (seq, at);
         CREATE TEMP TRIGGER IF NOT EXISTS user_versions_insert AFTER INSERT ON main.users BEGIN
             INSERT INTO user_versions SELECT {NOW_MS}, 0, * FROM main.users WHERE seq = NEW.seq;
         END;
         CREATE TEMP TRIGGER IF NOT EXISTS user_versions_update AFTER UPDATE ON main.users BEGIN
             INSERT INTO user_versions SELECT {NOW_MS}, 0, * FROM main.users WHERE seq = NEW.seq;
         END;
         CREATE TEMP TRIGGER IF NOT EXISTS user_versions_delete AFTER DELETE ON main.users BEGIN
             INSERT INTO user_versions (at, deleted, seq, instance_id, id)
             VALUES ({NOW_MS}, 1, OLD.seq, OLD.instance_id, OLD.id);
         END;
         INSERT INTO user_versions SELECT 0.0, 0, * FROM main.users;"
    ))
}

/// The `WITH` clause that makes `users` the view `lag_ms` old, for a
/// query over `users`.
pub(crate) fn view(lag_ms: u64) -> String {
    format!(
        "WITH users AS (SELECT * FROM temp.user_versions WHERE deleted = 0 AND rowid IN \
         (SELECT max(rowid) FROM temp.user_versions WHERE at <= {NOW_MS} - {lag_ms} GROUP BY seq)) "
    )
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::local::search::UserFilter;
    use crate::local::seed::Seed;
    use crate::local::service::Service;
    use crate::local::store::Store;

    #[test]
    fn the_search_sees_the_users_as_they_were_lag_ago() {
        let store = Arc::new(Store::open_in_memory().unwrap());
        let seed = Seed::demo();
        store.load_seed(&seed).unwrap();
        let lagging = Service::new(store.clone()).with_search_lag(400).unwrap();
        let current = Service::new(store.clone());
        let logins = |svc: &Service| -> Vec<String> {
            let (page, _) = svc
                .search_users(&seed.id, &UserFilter::All, Some(500), None)
                .unwrap();
            page.items
                .into_iter()
                .map(|r| r.user.fields.username)
                .collect()
        };
        let before = logins(&lagging);
        assert_eq!(before, logins(&current), "the seed counts as old enough");
        let first = {
            let (page, _) = current
                .search_users(&seed.id, &UserFilter::All, Some(1), None)
                .unwrap();
            page.items[0].user.id.clone()
        };
        current.delete_user(&seed.id, &first).unwrap();
        assert_eq!(logins(&lagging), before, "not yet");
        assert_eq!(logins(&current).len(), before.len() - 1);
        std::thread::sleep(std::time::Duration::from_millis(500));
        assert_eq!(logins(&lagging), logins(&current), "caught up");
        // DescribeUser is never behind.
        assert!(lagging.describe_user(&seed.id, &first).is_err());
    }
}
