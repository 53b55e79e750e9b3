//! The queries of predefined attributes and users' proficiencies.

use rusqlite::{params, OptionalExtension};

use super::{Db, Sql};

/// A user's proficiency: a predefined attribute's name and value, and a
/// level from 1 to 5.
#[derive(Debug, Clone, PartialEq)]
pub struct Proficiency {
    pub name: String,
    pub value: String,
    pub level: f64,
}

impl Db<'_> {
    pub fn insert_attribute_value(&self, instance_id: &str, name: &str, value: &str) -> Sql<()> {
        self.conn.execute(
            "INSERT INTO predefined_attributes (instance_id, name, value) VALUES (?1, ?2, ?3)",
            [instance_id, name, value],
        )?;
        Ok(())
    }

    /// Whether the instance has a predefined attribute `name` with `value`.
    pub fn has_attribute_value(&self, instance_id: &str, name: &str, value: &str) -> Sql<bool> {
        self.conn
            .prepare_cached(
                "SELECT 1 FROM predefined_attributes WHERE instance_id = ?1 AND name = ?2 AND value = ?3",
            )?
            .query_row([instance_id, name, value], |_| Ok(()))
            .optional()
            .map(|found| found.is_some())
    }

    /// One page of a user's proficiencies, in the order they were associated.
    pub fn proficiencies(
        &self,
        instance_id: &str,
        user_id: &str,
        after: i64,
        limit: usize,
    ) -> Sql<Vec<(i64, Proficiency)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, name, value, level FROM user_proficiencies
             WHERE instance_id = ?1 AND user_id = ?2 AND seq > ?3 ORDER BY seq LIMIT ?4",
        )?;
        let rows = stmt.query_map(params![instance_id, user_id, after, limit as i64], |r| {
            Ok((
                r.get(0)?,
                Proficiency {
                    name: r.get(1)?,
                    value: r.get(2)?,
                    level: r.get(3)?,
                },
            ))
        })?;
        rows.collect()
    }

    /// Whether the user has the proficiency `name` = `value`.
    pub fn has_proficiency(
        &self,
        instance_id: &str,
        user_id: &str,
        name: &str,
        value: &str,
    ) -> Sql<bool> {
        self.conn
            .prepare_cached(
                "SELECT 1 FROM user_proficiencies
                 WHERE instance_id = ?1 AND user_id = ?2 AND name = ?3 AND value = ?4",
            )?
            .query_row([instance_id, user_id, name, value], |_| Ok(()))
            .optional()
            .map(|found| found.is_some())
    }

    /// Associates a proficiency, or sets the level of an associated one.
    pub fn put_proficiency(&self, instance_id: &str, user_id: &str, p: &Proficiency) -> Sql<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO user_proficiencies (instance_id, user_id, name, value, level)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (instance_id, user_id, name, value) DO UPDATE SET level = excluded.level",
            )?
            .execute(params![instance_id, user_id, p.name, p.value, p.level])?;
        Ok(())
    }

    pub fn delete_proficiency(
        &self,
        instance_id: &str,
        user_id: &str,
        name: &str,
        value: &str,
    ) -> Sql<()> {
        self.conn.execute(
            "DELETE FROM user_proficiencies
             WHERE instance_id = ?1 AND user_id = ?2 AND name = ?3 AND value = ?4",
            [instance_id, user_id, name, value],
        )?;
        Ok(())
    }

    /// Every proficiency of a user (when the user is deleted).
    pub fn delete_proficiencies(&self, instance_id: &str, user_id: &str) -> Sql<()> {
        self.conn.execute(
            "DELETE FROM user_proficiencies WHERE instance_id = ?1 AND user_id = ?2",
            [instance_id, user_id],
        )?;
        Ok(())
    }
}
