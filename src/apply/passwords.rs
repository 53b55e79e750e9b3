//! Generated passwords (`import apply --generate-passwords`): a fresh
//! random password for every planned create whose password cell is empty,
//! drawn from the operating system's random source.
//!
//! A password is 20 characters from an alphabet of 56 letters and digits
//! without the look-alikes `I l 1 O o 0` (about 116 bits), with at least one
//! uppercase letter, one lowercase letter and one digit, as the service's
//! policy asks (8–64 characters). Letters and digits only, so the password
//! needs no quoting in CSV, a shell or a chat message, never starts a
//! spreadsheet formula, and can be read aloud or typed from paper.

use rand::TryRngCore;

use crate::plan::Plan;
use crate::secret::Secret;

/// Characters a generated password has.
pub const LENGTH: usize = 20;

const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
const LOWER: &[u8] = b"abcdefghijkmnpqrstuvwxyz";
const DIGITS: &[u8] = b"23456789";

/// A password generated for one row.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The row's line in the input file.
    pub line: u64,
    pub login: String,
    pub password: Secret,
}

/// Gives every planned create without a password a fresh one, and returns
/// them in line order. The plan holds passwords only where they will be
/// sent: a connect-managed create, whose cell was empty.
pub fn fill(plan: &mut Plan) -> anyhow::Result<Vec<Generated>> {
    let mut generated = Vec::new();
    for create in plan
        .creates
        .iter_mut()
        .filter(|c| c.user.password.is_none())
    {
        let password = generate(&mut rand::rngs::OsRng).map_err(|err| {
            anyhow::anyhow!("cannot read the operating system's random source: {err}")
        })?;
        create.user.password = Some(password.clone());
        generated.push(Generated {
            line: create.line,
            login: create.login.clone(),
            password,
        });
    }
    generated.sort_by_key(|g| g.line);
    Ok(generated)
}

/// A password of [`LENGTH`] characters with an uppercase letter, a
/// lowercase letter and a digit, uniformly chosen among all such.
pub fn generate<R: TryRngCore>(rng: &mut R) -> Result<Secret, R::Error> {
    let alphabet: Vec<u8> = [UPPER, LOWER, DIGITS].concat();
    // The largest multiple of the alphabet's size that fits a byte: bytes
    // at or above it are drawn again, so every character is equally likely.
    let limit = (256 / alphabet.len() * alphabet.len()) as u8;
    let mut bytes = [0u8; 64];
    loop {
        let mut password = String::with_capacity(LENGTH);
        while password.len() < LENGTH {
            rng.try_fill_bytes(&mut bytes)?;
            for &b in bytes.iter().filter(|&&b| b < limit) {
                if password.len() == LENGTH {
                    break;
                }
                password.push(alphabet[usize::from(b) % alphabet.len()] as char);
            }
        }
        // Drawing again until every class is there keeps the choice uniform
        // over the passwords that have them (about 1 draw in 20 lacks one).
        let has = |class: &[u8]| password.bytes().any(|b| class.contains(&b));
        if has(UPPER) && has(LOWER) && has(DIGITS) {
            return Ok(Secret::new(password));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::mask::is_password_shaped;
    use rand::SeedableRng;

    #[test]
    fn every_generated_password_meets_the_policy() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let mut seen = std::collections::HashSet::new();
        for _ in 0..2_000 {
            let password = generate(&mut rng).unwrap();
            let text = password.expose();
            assert_eq!(text.len(), LENGTH);
            assert!(is_password_shaped(text), "{text}");
            assert!(text.bytes().all(|b| b.is_ascii_alphanumeric()), "{text}");
            assert!(!text.contains(['I', 'l', '1', 'O', 'o', '0']), "{text}");
            assert!(seen.insert(text.to_owned()), "{text} twice");
        }
    }

    #[test]
    fn every_character_of_the_alphabet_is_used() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(11);
        let mut used = std::collections::BTreeSet::new();
        for _ in 0..200 {
            used.extend(generate(&mut rng).unwrap().expose().bytes());
        }
        assert_eq!(used.len(), UPPER.len() + LOWER.len() + DIGITS.len());
    }

    #[test]
    fn the_operating_systems_source_gives_different_passwords() {
        let a = generate(&mut rand::rngs::OsRng).unwrap();
        let b = generate(&mut rand::rngs::OsRng).unwrap();
        assert_ne!(a, b);
        assert!(is_password_shaped(a.expose()));
    }
}
