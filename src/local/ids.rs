//! Identifiers and ARNs in the shapes the service uses.
//!
//! New resources get random version-4 UUIDs; resources loaded from a seed
//! get IDs derived from their names, so the same seed gives the same IDs in
//! every fresh database (tests and the README demo can rely on them).

use std::hash::{Hash, Hasher};

use rand::RngCore;

/// A random UUID (version 4), lower-case with hyphens.
pub fn random_uuid() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    format_uuid(bytes)
}

/// A UUID derived from `parts`: stable for the same input.
pub fn derived_uuid(parts: &[&str]) -> String {
    let mut bytes = [0u8; 16];
    for (half, salt) in bytes
        .chunks_mut(8)
        .zip(["connect-users/a", "connect-users/b"])
    {
        // `DefaultHasher::new()` uses fixed keys, so the value is the same in
        // every process (it may differ between Rust releases, which only
        // matters for databases seeded by different builds).
        let mut hasher = std::hash::DefaultHasher::new();
        salt.hash(&mut hasher);
        parts.hash(&mut hasher);
        half.copy_from_slice(&hasher.finish().to_be_bytes());
    }
    format_uuid(bytes)
}

fn format_uuid(mut b: [u8; 16]) -> String {
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|byte| format!("{byte:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Where an instance lives: the parts of every ARN under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArnBase {
    pub region: String,
    pub account: String,
    pub instance_id: String,
}

impl ArnBase {
    pub fn instance(&self) -> String {
        format!(
            "arn:aws:connect:{}:{}:instance/{}",
            self.region, self.account, self.instance_id
        )
    }

    /// The ARN of a resource of the instance; `kind` is the ARN's resource
    /// type, e.g. `agent`, `routing-profile`, `security-profile`, `agent-group`.
    pub fn resource(&self, kind: &str, id: &str) -> String {
        format!("{}/{kind}/{id}", self.instance())
    }

    pub fn user(&self, id: &str) -> String {
        self.resource("agent", id)
    }

    /// The ID in `arn`, when it is the ARN of a resource of kind `kind` of
    /// this very instance (same partition, region, account and instance).
    pub fn id_in<'a>(&self, kind: &str, arn: &'a str) -> Option<&'a str> {
        let id = arn
            .strip_prefix(self.instance().as_str())?
            .strip_prefix('/')?
            .strip_prefix(kind)?
            .strip_prefix('/')?;
        (!id.is_empty() && !id.contains('/')).then_some(id)
    }
}

/// Whether a request's identifier is an ARN rather than an ID (the
/// service's IDs are UUIDs, which never start so).
pub fn is_arn(text: &str) -> bool {
    text.starts_with("arn:")
}

/// The instance ID an instance ARN names
/// (`arn:PARTITION:connect:REGION:ACCOUNT:instance/ID`); `None` for any
/// other ARN. Whether its region and account are the instance's is for the
/// caller to check against [`ArnBase::instance`].
pub fn instance_id_of_arn(arn: &str) -> Option<&str> {
    match arn.splitn(6, ':').collect::<Vec<_>>().as_slice() {
        ["arn", _, "connect", _, _, resource] => resource
            .strip_prefix("instance/")
            .filter(|id| !id.is_empty() && !id.contains('/')),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_have_the_v4_shape() {
        for id in [random_uuid(), derived_uuid(&["x", "y"])] {
            assert_eq!(id.len(), 36);
            assert_eq!(&id[14..15], "4");
            assert_eq!(id.matches('-').count(), 4);
        }
    }

    #[test]
    fn derived_uuids_are_stable_and_distinct() {
        assert_eq!(derived_uuid(&["a", "b"]), derived_uuid(&["a", "b"]));
        assert_ne!(derived_uuid(&["a", "b"]), derived_uuid(&["ab", ""]));
    }

    #[test]
    fn arns() {
        let base = ArnBase {
            region: "us-east-1".into(),
            account: "111122223333".into(),
            instance_id: "i".into(),
        };
        assert_eq!(
            base.user("u"),
            "arn:aws:connect:us-east-1:111122223333:instance/i/agent/u"
        );
        let rp = "arn:aws:connect:us-east-1:111122223333:instance/i/routing-profile/r";
        assert_eq!(base.id_in("routing-profile", rp), Some("r"));
        assert_eq!(base.id_in("agent", rp), None);
        assert_eq!(base.id_in("agent", &base.user("u/x")), None);
        let elsewhere = "arn:aws:connect:eu-west-2:111122223333:instance/i/routing-profile/r";
        assert_eq!(base.id_in("routing-profile", elsewhere), None);
        assert_eq!(instance_id_of_arn(&base.instance()), Some("i"));
        assert_eq!(instance_id_of_arn(&base.user("u")), None);
        assert_eq!(instance_id_of_arn("arn:aws:s3:::instance/i"), None);
        assert!(is_arn(&base.instance()) && !is_arn("1f3c2b9a"));
    }
}
