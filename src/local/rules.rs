//! The service's field limits (connect-facts §2), as pure checks.
//!
//! Each check returns the message the service's InvalidParameterException
//! would carry; the caller decides the error type. Messages never include a
//! password.

use std::collections::BTreeMap;

use crate::connect::{IdentityInfo, NewUser, UserFields};
use crate::identity::Identity;

pub use super::channel_rules::{check_config, check_phone_config, check_settings_conflicts};

pub use super::channel_rules::MAX_ACW_SECONDS;
/// Security profiles per user.
pub const MAX_SECURITY_PROFILES: usize = 10;
/// Tags per user.
pub const MAX_TAGS: usize = 50;

/// Every check CreateUser makes on its input before looking anything up
/// (InvalidParameterException), except the conflicts between its two forms
/// of settings ([`check_settings_conflicts`]).
pub fn check_new_user(identity: Identity, user: &NewUser) -> Result<(), String> {
    check_username(identity, &user.fields.username)?;
    check_password(identity, user)?;
    // CreateUser's DirectoryUserId: "If you are using SAML for identity
    // management and include this parameter, an error is returned."
    if identity == Identity::Saml && user.directory_user_id.is_some() {
        return Err("DirectoryUserId must not be set on a SAML instance".to_string());
    }
    check_user_fields(identity, &user.fields)
}

/// The checks on a user's fields other than the password: for CreateUser
/// and for the existing users of a seed (which have no password).
pub fn check_user_fields(identity: Identity, fields: &UserFields) -> Result<(), String> {
    check_username(identity, &fields.username)?;
    check_identity_info(identity, &fields.identity_info)?;
    if let Some(phone) = &fields.phone_config {
        check_phone_config(phone)?;
    }
    check_config(&fields.config)?;
    check_security_profile_ids(&fields.security_profile_ids)?;
    if fields.routing_profile_id.is_empty() {
        return Err("RoutingProfileId must not be empty".to_string());
    }
    check_tags(&fields.tags)
}

/// `SecurityProfileIds` (CreateUser, UpdateUserSecurityProfiles): 1 to
/// [`MAX_SECURITY_PROFILES`] IDs, none twice.
pub fn check_security_profile_ids(ids: &[String]) -> Result<(), String> {
    let count = ids.len();
    if !(1..=MAX_SECURITY_PROFILES).contains(&count) {
        return Err(format!(
            "SecurityProfileIds must hold 1 to {MAX_SECURITY_PROFILES} security profile IDs, got {count}"
        ));
    }
    let twice = ids
        .iter()
        .enumerate()
        .find_map(|(i, id)| ids[..i].contains(id).then_some(id));
    if let Some(id) = twice {
        return Err(format!("SecurityProfileIds lists {id} more than once"));
    }
    Ok(())
}

/// `Username`: 1–100 in the model; at most 20 characters on a non-SAML
/// instance, 64 on SAML; `[a-zA-Z0-9_-.@]`, with `@` only in an e-mail form.
pub fn check_username(identity: Identity, username: &str) -> Result<(), String> {
    let max = if identity == Identity::Saml { 64 } else { 20 };
    let len = username.chars().count();
    if len == 0 || len > max {
        return Err(format!(
            "Username '{username}' must be 1 to {max} characters on a {} instance, got {len}",
            identity.api_name()
        ));
    }
    if let Some(bad) = username
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "_-.@".contains(*c)))
    {
        return Err(format!(
            "Username '{username}' contains '{bad}': only letters a-z, A-Z, digits and _ - . @ are accepted"
        ));
    }
    if username.contains('@') && !is_email(username) {
        return Err(format!("Username '{username}' contains '@' but is not an e-mail address such as name@example.com"));
    }
    Ok(())
}

fn check_password(identity: Identity, user: &NewUser) -> Result<(), String> {
    match (identity, &user.password) {
        (Identity::ConnectManaged, None) => {
            Err("Password is required on a CONNECT_MANAGED instance".to_string())
        }
        (Identity::ConnectManaged, Some(password)) => {
            // The model's pattern: `^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)[a-zA-Z\d\S]{8,64}$`,
            // so ASCII letter classes, and no whitespace anywhere.
            let p = password.expose();
            let len = p.chars().count();
            if p.chars().any(char::is_whitespace) {
                return Err(
                    "Password *** must not contain spaces, tabs or other whitespace".to_string(),
                );
            }
            let ok = (8..=64).contains(&len)
                && p.chars().any(|c| c.is_ascii_lowercase())
                && p.chars().any(|c| c.is_ascii_uppercase())
                && p.chars().any(|c| c.is_ascii_digit());
            if ok {
                Ok(())
            } else {
                Err("Password *** must be 8 to 64 characters with at least one lowercase letter a-z, one uppercase letter A-Z and one digit".to_string())
            }
        }
        (_, Some(_)) => Err(format!(
            "Password must not be set on a {} instance",
            identity.api_name()
        )),
        (_, None) => Ok(()),
    }
}

/// `IdentityInfo`: names within their limits, e-mail form, E.164 mobile.
///
/// The CreateUser reference says first and last name are required on
/// connect-managed and SAML instances, and so they are here (for seeds and
/// UpdateUserIdentityInfo too). It says the same of the e-mail address, yet
/// also that an e-mail address on a SAML instance is an error: the two
/// cannot both hold, so the e-mail stays as it was: optional on
/// connect-managed, refused on SAML.
pub fn check_identity_info(identity: Identity, info: &IdentityInfo) -> Result<(), String> {
    let (first_max, last_max) = if identity == Identity::ConnectManaged {
        (255, 256)
    } else {
        (255, 300)
    };
    for (member, value, max) in [
        ("FirstName", &info.first_name, first_max),
        ("LastName", &info.last_name, last_max),
    ] {
        // The CreateUser reference: required for connect-managed and SAML.
        let required = identity != Identity::ExistingDirectory;
        match value {
            None if required => {
                return Err(format!(
                    "IdentityInfo.{member} is required on a {} instance",
                    identity.api_name()
                ));
            }
            Some(v) if v.is_empty() && required => {
                return Err(format!(
                    "IdentityInfo.{member} is required on a {} instance",
                    identity.api_name()
                ));
            }
            Some(v) if v.chars().count() > max => {
                return Err(format!(
                    "IdentityInfo.{member} '{v}' must be 1 to {max} characters"
                ));
            }
            // UserIdentityInfo in the API reference: "Inputs must be in
            // Unicode Normalization Form C (NFC) ... are not accepted."
            Some(v) if !v.is_ascii() && !unicode_normalization::is_nfc(v) => {
                return Err(format!(
                    "IdentityInfo.{member} '{v}' is not in Unicode normalization form C (NFC): \
                     compose its characters (e.g. 'e' followed by a combining accent as one 'é')"
                ));
            }
            _ => {}
        }
    }
    if identity == Identity::Saml && info.email.is_some() {
        return Err("IdentityInfo.Email must not be set on a SAML instance".to_string());
    }
    for (member, value) in [
        ("Email", &info.email),
        ("SecondaryEmail", &info.secondary_email),
    ] {
        if let Some(v) = value.as_deref().filter(|v| !is_email(v)) {
            return Err(format!(
                "IdentityInfo.{member} '{v}' is not an e-mail address such as name@example.com"
            ));
        }
    }
    if let Some(v) = info.mobile.as_deref().filter(|v| !is_e164(v)) {
        return Err(format!(
            "IdentityInfo.Mobile '{v}' is not an E.164 number such as +12065550100"
        ));
    }
    Ok(())
}

/// A tag map a request sends (CreateUser's `Tags`, TagResource's `tags`):
/// when present, the model's `TagMap` holds 1 to [`MAX_TAGS`] tags.
pub fn check_tags_given(member: &str, tags: &BTreeMap<String, String>) -> Result<(), String> {
    if (1..=MAX_TAGS).contains(&tags.len()) {
        Ok(())
    } else {
        Err(format!(
            "{member} must hold 1 to {MAX_TAGS} tags when present, got {}",
            tags.len()
        ))
    }
}

/// A user's tags: at most 50; keys 1–128 characters not starting `aws:`,
/// of letters, digits, spaces and `_ . : / = + - @` (the model's `TagKey`
/// pattern); values up to 256 characters of any kind (`TagValue` has no
/// pattern, so `a|b` is a valid value).
pub fn check_tags(tags: &BTreeMap<String, String>) -> Result<(), String> {
    if tags.len() > MAX_TAGS {
        return Err(format!(
            "a user holds at most {MAX_TAGS} tags, got {}",
            tags.len()
        ));
    }
    for (key, value) in tags {
        let key_len = key.chars().count();
        if !(1..=128).contains(&key_len) {
            return Err(format!("tag key '{key}' must be 1 to 128 characters"));
        }
        if key.to_ascii_lowercase().starts_with("aws:") {
            return Err(format!("tag key '{key}' must not start with 'aws:'"));
        }
        // `\p{Z}` holds the space separators, not tabs or line breaks.
        let allowed = |c: char| {
            c.is_alphanumeric() || (c.is_whitespace() && !c.is_control()) || "_.:/=+-@".contains(c)
        };
        if let Some(bad) = key.chars().find(|c| !allowed(*c)) {
            return Err(format!(
                "tag key '{key}' contains '{bad}': letters, digits, spaces and _ . : / = + - @ are accepted"
            ));
        }
        if value.chars().count() > 256 {
            return Err(format!("tag '{key}' value must be at most 256 characters"));
        }
    }
    Ok(())
}

/// `local@domain.tld`, with no spaces and a dot in the domain.
pub fn is_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    let labels: Vec<&str> = domain.split('.').collect();
    !local.is_empty()
        && !value.chars().any(char::is_whitespace)
        && labels.len() >= 2
        && labels
            .iter()
            .all(|label| !label.is_empty() && !label.contains('@'))
}

/// E.164: `+`, then 2 to 15 digits, the first 1–9.
pub fn is_e164(value: &str) -> bool {
    let Some(digits) = value.strip_prefix('+') else {
        return false;
    };
    (2..=15).contains(&digits.len())
        && digits.chars().all(|c| c.is_ascii_digit())
        && !digits.starts_with('0')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connect::{PhoneConfig, UserConfig};
    use crate::secret::Secret;
    use crate::user::PhoneType;

    fn user(username: &str, password: Option<&str>) -> NewUser {
        NewUser {
            fields: UserFields {
                username: username.to_string(),
                identity_info: IdentityInfo {
                    first_name: Some("Ann".into()),
                    last_name: Some("Lee".into()),
                    ..IdentityInfo::default()
                },
                phone_config: Some(PhoneConfig {
                    phone_type: Some(PhoneType::SoftPhone),
                    ..PhoneConfig::default()
                }),
                config: UserConfig::default(),
                security_profile_ids: vec!["sp".into()],
                routing_profile_id: "rp".into(),
                hierarchy_group_id: None,
                tags: Default::default(),
            },
            password: password.map(Secret::new),
            directory_user_id: None,
        }
    }

    #[test]
    fn usernames() {
        assert!(check_username(Identity::ConnectManaged, "a.lee").is_ok());
        assert!(check_username(Identity::ConnectManaged, "a_twenty_one_chars_xx").is_err());
        assert!(check_username(Identity::Saml, "a_twenty_one_chars_xx").is_ok());
        assert!(check_username(Identity::Saml, "ann@example.com").is_ok());
        assert!(check_username(Identity::Saml, "ann@example").is_err());
        assert!(check_username(Identity::Saml, "ann lee").is_err());
        assert!(check_username(Identity::Saml, "").is_err());
    }

    #[test]
    fn passwords_follow_the_identity_type() {
        assert!(check_new_user(Identity::ConnectManaged, &user("a", Some("Passw0rdX"))).is_ok());
        assert!(check_new_user(Identity::ConnectManaged, &user("a", None)).is_err());
        let weak =
            check_new_user(Identity::ConnectManaged, &user("a", Some("password1"))).unwrap_err();
        assert!(!weak.contains("password1"), "{weak}");
        assert!(check_new_user(Identity::Saml, &user("a", Some("Passw0rdX"))).is_err());
        assert!(check_new_user(Identity::Saml, &user("a", None)).is_ok());
    }

    #[test]
    fn saml_users_need_names_but_no_email() {
        let mut u = user("saml.user", None);
        assert!(check_new_user(Identity::Saml, &u).is_ok());
        u.fields.identity_info.last_name = None;
        let err = check_new_user(Identity::Saml, &u).unwrap_err();
        assert!(err.contains("LastName"), "{err}");
        u.fields.identity_info.last_name = Some("Lee".into());
        u.fields.identity_info.email = Some("ann@example.com".into());
        assert!(check_new_user(Identity::Saml, &u).is_err());
    }

    #[test]
    fn tags_and_profiles() {
        let mut u = user("a", None);
        u.fields.tags.insert("aws:x".into(), "v".into());
        assert!(check_new_user(Identity::Saml, &u).is_err());
        u.fields.tags.clear();
        u.fields.tags.insert("team name".into(), "a/b=c".into());
        assert!(check_new_user(Identity::Saml, &u).is_ok());
        u.fields.security_profile_ids = (0..11).map(|i| i.to_string()).collect();
        assert!(check_new_user(Identity::Saml, &u).is_err());
    }

    #[test]
    fn passwords_follow_the_model_pattern() {
        for spaced in ["Passw0rd X", "Passw0rd\tX", " Passw0rdX", "Passw0rdX\u{a0}"] {
            let err =
                check_new_user(Identity::ConnectManaged, &user("a", Some(spaced))).unwrap_err();
            assert!(err.contains("whitespace"), "{spaced:?}: {err}");
        }
        // The lookaheads are ASCII classes: a non-ASCII capital is no capital.
        assert!(check_new_user(Identity::ConnectManaged, &user("a", Some("ßtraße12é"))).is_err());
        assert!(check_new_user(Identity::ConnectManaged, &user("a", Some("Straße12!"))).is_ok());
    }

    #[test]
    fn names_must_be_nfc() {
        let mut u = user("a", None);
        u.fields.identity_info.first_name = Some("Jose\u{301}".into());
        let err = check_new_user(Identity::Saml, &u).unwrap_err();
        assert!(err.contains("FirstName") && err.contains("NFC"), "{err}");
        u.fields.identity_info.first_name = Some("José".into());
        u.fields.identity_info.last_name = Some("\u{30ab}\u{3099}".into());
        let err = check_new_user(Identity::Saml, &u).unwrap_err();
        assert!(err.contains("LastName"), "{err}");
        u.fields.identity_info.last_name = Some("ガ".into());
        assert!(check_new_user(Identity::Saml, &u).is_ok());
    }

    #[test]
    fn tag_values_take_any_character_keys_follow_the_pattern() {
        let mut u = user("a", None);
        u.fields.tags.insert("skills".into(), "en|ja\tfr".into());
        assert!(check_new_user(Identity::Saml, &u).is_ok());
        u.fields.tags.insert("a|b".into(), "x".into());
        assert!(check_new_user(Identity::Saml, &u)
            .unwrap_err()
            .contains("'|'"));
        u.fields.tags.remove("a|b");
        u.fields.tags.insert("a\tb".into(), "x".into());
        assert!(check_new_user(Identity::Saml, &u).is_err());
    }

    #[test]
    fn a_directory_user_id_is_an_error_on_saml_only() {
        let mut u = user("a", None);
        u.directory_user_id = Some("d-1".into());
        let err = check_new_user(Identity::Saml, &u).unwrap_err();
        assert!(err.contains("DirectoryUserId"), "{err}");
        assert!(check_new_user(Identity::ExistingDirectory, &u).is_ok());
    }

    #[test]
    fn formats() {
        assert!(is_email("a.b@example.co.jp"));
        assert!(!is_email("a@example"));
        assert!(!is_email("@example.com"));
        assert!(is_e164("+12065550100"));
        assert!(!is_e164("+0123"));
        assert!(!is_e164("12065550100"));
        assert!(!is_e164("+1"));
    }
}
