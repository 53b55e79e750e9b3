//! Connect-managed users' passwords in the local instance, so a test can
//! prove that a created user's password is the one that was sent — that it
//! "logs in". CreateUser keeps a salted SHA-256 digest of the password, never
//! its text; no operation of the API returns it, and the only way to use it
//! is [`Store::check_password`] (served by `local serve` as the local-only
//! `POST /_local/password-check`, beside `/_local/stats`).
//!
//! A fast digest is no password-hashing function for a real service; it is
//! what a local test instance needs: the text stays out of its database
//! file, and checking thousands of passwords in a test costs nothing.

use rand::RngCore;
use rusqlite::OptionalExtension;
use sha2::{Digest, Sha256};

use crate::local::db::{username_key, Db, Sql};
use crate::local::store::Store;
use crate::secret::Secret;

/// What a login and password are to the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordCheck {
    /// The user exists and this is its password.
    Matches,
    /// The user exists with another password.
    Differs,
    /// The user exists without a password (SAML, a seed's user, or one
    /// created before passwords were kept).
    NoPassword,
    /// No user of the instance has this login.
    NoUser,
}

impl PasswordCheck {
    /// The name `/_local/password-check` answers with.
    pub fn name(self) -> &'static str {
        match self {
            PasswordCheck::Matches => "matches",
            PasswordCheck::Differs => "differs",
            PasswordCheck::NoPassword => "no-password",
            PasswordCheck::NoUser => "no-user",
        }
    }
}

fn digest(salt: &[u8], password: &str) -> Vec<u8> {
    let mut hasher = Sha256::new();
    hasher.update(salt);
    hasher.update(password.as_bytes());
    hasher.finalize().to_vec()
}

impl Db<'_> {
    /// Keeps a user's password as a digest with a fresh salt.
    pub fn set_password(&self, instance_id: &str, user_id: &str, password: &Secret) -> Sql<()> {
        let mut salt = [0u8; 16];
        rand::rng().fill_bytes(&mut salt);
        let hash = digest(&salt, password.expose());
        self.conn
            .prepare_cached(
                "INSERT OR REPLACE INTO user_passwords (instance_id, user_id, salt, hash)
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(rusqlite::params![instance_id, user_id, &salt[..], hash])?;
        Ok(())
    }

    /// Forgets a user's password (the user is deleted).
    pub fn delete_password(&self, instance_id: &str, user_id: &str) -> Sql<()> {
        self.conn.execute(
            "DELETE FROM user_passwords WHERE instance_id = ?1 AND user_id = ?2",
            [instance_id, user_id],
        )?;
        Ok(())
    }

    fn check_password(&self, instance_id: &str, login: &str, password: &str) -> Sql<PasswordCheck> {
        let user_id: Option<String> = self
            .conn
            .prepare_cached("SELECT id FROM users WHERE instance_id = ?1 AND username_key = ?2")?
            .query_row([instance_id, &username_key(login)], |r| r.get(0))
            .optional()?;
        let Some(user_id) = user_id else {
            return Ok(PasswordCheck::NoUser);
        };
        let stored: Option<(Vec<u8>, Vec<u8>)> = self
            .conn
            .prepare_cached(
                "SELECT salt, hash FROM user_passwords WHERE instance_id = ?1 AND user_id = ?2",
            )?
            .query_row([instance_id, &user_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(match stored {
            None => PasswordCheck::NoPassword,
            Some((salt, hash)) if digest(&salt, password) == hash => PasswordCheck::Matches,
            Some(_) => PasswordCheck::Differs,
        })
    }
}

impl Store {
    /// Whether `password` is the password of the user with `login` (ignoring
    /// case, as logins are unique) in the instance.
    pub fn check_password(
        &self,
        instance_id: &str,
        login: &str,
        password: &str,
    ) -> anyhow::Result<PasswordCheck> {
        Ok(self.read(|db| db.check_password(instance_id, login, password))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_is_salted_and_the_text_is_not_kept() {
        let store = Store::open_in_memory().unwrap();
        store
            .write(|db| {
                db.set_password("i", "u1", &Secret::new("Welcome2025a"))?;
                db.set_password("i", "u2", &Secret::new("Welcome2025a"))
            })
            .unwrap();
        let rows: Vec<(Vec<u8>, Vec<u8>)> = store
            .read(|db| {
                let mut stmt = db.conn.prepare("SELECT salt, hash FROM user_passwords")?;
                let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
                rows.collect::<Sql<Vec<_>>>()
            })
            .unwrap();
        assert_eq!(rows.len(), 2);
        assert_ne!(rows[0], rows[1], "the same password, salted apart");
        for (salt, hash) in &rows {
            assert!(!String::from_utf8_lossy(hash).contains("Welcome2025a"));
            assert_eq!(hash, &digest(salt, "Welcome2025a"));
        }
    }
}
