//! `agents set`: the same change for every selected agent — every setting
//! of the admin website's bulk edit (routing profile, security profiles,
//! hierarchy, phone type, auto-accept and ACW per channel, tags) and
//! persistent connection and audio enhancement, several in one run.
//!
//! [`SetRequest`] is the request as given (names, channels, `KEY=VALUE`);
//! [`SetRequest::resolve`] turns it into the [`WantedFields`] every agent
//! is planned against, names resolved against the instance. The plan, the
//! review and each agent's turn are those of [`super::edit_plan`].

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::directory::{find, Directory};
use super::wanted::{DeskPhones, SecurityProfiles, Tags, WantedFields};
use crate::connect::{Channel, ConnectApi};
use crate::user::{PhoneType, VoiceEnhancementMode};

/// Channels a per-channel setting is given for: one, or `all`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channels(pub Vec<Channel>);

/// The changes `agents set` is asked for, as given on the command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SetRequest {
    pub routing_profile: Option<String>,
    /// Exactly these security profiles, by name.
    pub security_profiles: Option<Vec<String>>,
    pub add_security_profiles: Vec<String>,
    pub remove_security_profiles: Vec<String>,
    /// A hierarchy path from level one.
    pub hierarchy: Option<String>,
    pub clear_hierarchy: bool,
    pub phone_type: Option<PhoneType>,
    pub auto_accept: Vec<(Channels, bool)>,
    pub acw: Vec<(Channels, i32)>,
    pub tags: Vec<(String, String)>,
    pub remove_tags: Vec<String>,
    pub persistent_connection: Option<bool>,
    pub audio_enhancement: Option<VoiceEnhancementMode>,
    pub include_desk_phones: bool,
}

/// The most seconds an ACW timeout may be.
pub const MAX_ACW: i32 = 2_000_000;

impl SetRequest {
    /// Whether resolving it needs the instance's hierarchy groups.
    pub fn needs_hierarchy(&self) -> bool {
        self.hierarchy.is_some()
    }

    /// Resolves the names against the instance: the wanted fields, or an
    /// error naming the flag, the name and the closest ones. The request's
    /// own contradictions (a tag both set and removed, a channel given two
    /// values) are errors too.
    pub async fn resolve(
        &self,
        directory: &mut Directory,
        api: &Arc<dyn ConnectApi>,
        parallel: usize,
    ) -> anyhow::Result<WantedFields> {
        let mut wanted = WantedFields {
            desk_phones: if self.include_desk_phones {
                DeskPhones::Include
            } else {
                DeskPhones::Skip
            },
            persistent_connection: self.persistent_connection,
            audio_enhancement: self.audio_enhancement,
            phone: self.phone_type.map(|phone| (phone, None)),
            ..WantedFields::default()
        };
        if let Some(name) = &self.routing_profile {
            let routing = &directory.routing_profiles;
            let id = find(routing, name, "routing profile", "--set-routing-profile")?;
            wanted.routing_profile = Some(id);
        }
        let profile = |name: &String, flag: &str| {
            find(&directory.security_profiles, name, "security profile", flag)
        };
        if let Some(names) = &self.security_profiles {
            let ids = names
                .iter()
                .map(|name| profile(name, "--set-security-profiles"))
                .collect::<Result<BTreeSet<_>, _>>()?;
            wanted.security_profiles = Some(SecurityProfiles::Exactly(ids));
        }
        let add = self
            .add_security_profiles
            .iter()
            .map(|name| profile(name, "--add-security-profile"))
            .collect::<Result<BTreeSet<_>, _>>()?;
        let remove = self
            .remove_security_profiles
            .iter()
            .map(|name| profile(name, "--remove-security-profile"))
            .collect::<Result<BTreeSet<_>, _>>()?;
        if let Some(both) = self
            .add_security_profiles
            .iter()
            .find(|name| self.remove_security_profiles.contains(name))
        {
            anyhow::bail!(
                "--add-security-profile and --remove-security-profile both name {both:?}: give it \
                 to one of them"
            );
        }
        if !add.is_empty() || !remove.is_empty() {
            wanted.security_profiles = Some(SecurityProfiles::Change { add, remove });
        }
        if let Some(path) = &self.hierarchy {
            let id = directory
                .hierarchy_group_id(api, path, parallel, "--set-hierarchy")
                .await
                .map_err(anyhow::Error::new)??;
            wanted.hierarchy = Some(Some(id));
        } else if self.clear_hierarchy {
            wanted.hierarchy = Some(None);
        }
        wanted.auto_accept = per_channel(&self.auto_accept, "--set-auto-accept")?;
        wanted.acw = per_channel(&self.acw, "--set-acw")?;
        wanted.tags = tags(&self.tags, &self.remove_tags)?;
        Ok(wanted)
    }
}

/// The value of each channel; a channel given two values is an error.
fn per_channel<T: Copy + PartialEq + std::fmt::Debug>(
    given: &[(Channels, T)],
    flag: &str,
) -> anyhow::Result<BTreeMap<Channel, T>> {
    let mut values = BTreeMap::new();
    for (channels, value) in given {
        for channel in &channels.0 {
            if let Some(other) = values.insert(*channel, *value).filter(|v| v != value) {
                anyhow::bail!(
                    "{flag} gives {channel} two values ({other:?} and {value:?}); give each \
                     channel one"
                );
            }
        }
    }
    Ok(values)
}

fn tags(set: &[(String, String)], remove: &[String]) -> anyhow::Result<Tags> {
    let mut tags = Tags::default();
    for (key, value) in set {
        if let Some(other) = tags.set.insert(key.clone(), value.clone()) {
            if other != *value {
                anyhow::bail!("--set-tag gives {key:?} two values ({other:?} and {value:?})");
            }
        }
    }
    for key in remove {
        if tags.set.contains_key(key) {
            anyhow::bail!("--set-tag and --remove-tag both name {key:?}: give it to one of them");
        }
        tags.remove.insert(key.clone());
    }
    Ok(tags)
}

/// `voice`, `chat`, `task`, `email` or `all` (any case).
fn channels(text: &str) -> Result<Channels, String> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("all") {
        return Ok(Channels(Channel::ALL.to_vec()));
    }
    Channel::ALL
        .into_iter()
        .find(|c| c.api_name().eq_ignore_ascii_case(text))
        .map(|c| Channels(vec![c]))
        .ok_or_else(|| {
            format!("{text:?} is not a channel: expected voice, chat, task, email or all")
        })
}

fn split<'t>(text: &'t str, what: &str) -> Result<(&'t str, &'t str), String> {
    text.split_once('=')
        .ok_or_else(|| format!("{text:?}: expected {what}"))
}

/// `--set-auto-accept CHANNEL=on|off`.
pub fn parse_auto_accept(text: &str) -> Result<(Channels, bool), String> {
    let (channel, value) = split(text, "CHANNEL=on|off, e.g. voice=on or all=off")?;
    Ok((channels(channel)?, on_off(value)?))
}

/// `--set-acw CHANNEL=SECONDS`.
pub fn parse_acw(text: &str) -> Result<(Channels, i32), String> {
    let (channel, value) = split(text, "CHANNEL=SECONDS, e.g. chat=60 or all=30")?;
    let seconds = value
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|s| (0..=MAX_ACW).contains(s))
        .ok_or_else(|| {
            format!("{value:?}: expected whole seconds from 0 (no limit) to {MAX_ACW}")
        })?;
    Ok((channels(channel)?, seconds))
}

/// `--set-tag KEY=VALUE`: the first `=` ends the key. The key as the
/// service takes it: 1–128 characters, not starting `aws:`, of letters,
/// digits, spaces and `_ . : / + - @`; a value up to 256 characters.
pub fn parse_tag(text: &str) -> Result<(String, String), String> {
    let (key, value) = split(text, "KEY=VALUE, e.g. team=sales")?;
    Ok((tag_key(key)?, tag_value(value)?))
}

/// `--remove-tag KEY`.
pub fn tag_key(key: &str) -> Result<String, String> {
    let length = key.chars().count();
    if !(1..=128).contains(&length) {
        return Err(format!("tag key {key:?} must be 1 to 128 characters"));
    }
    if key.to_ascii_lowercase().starts_with("aws:") {
        return Err(format!(
            "tag key {key:?}: keys starting with aws: are reserved"
        ));
    }
    let allowed = |c: char| c.is_alphanumeric() || c == ' ' || "_.:/=+-@".contains(c);
    if let Some(bad) = key.chars().find(|c| !allowed(*c)) {
        return Err(format!(
            "tag key {key:?} holds {bad:?}: a key is letters, digits, spaces and _ . : / = + - @"
        ));
    }
    Ok(key.to_string())
}

fn tag_value(value: &str) -> Result<String, String> {
    if value.chars().count() > 256 {
        return Err("a tag value is at most 256 characters".into());
    }
    Ok(value.to_string())
}

/// `on` / `off` (also yes/no, true/false).
pub fn on_off(text: &str) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "on" | "yes" | "true" => Ok(true),
        "off" | "no" | "false" => Ok(false),
        _ => Err(format!("{text:?}: expected on or off")),
    }
}

/// `--set-phone-type soft`. A desk phone needs a number per user, which a
/// file gives (`agents edit`).
pub fn parse_phone_type(text: &str) -> Result<PhoneType, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "soft" | "softphone" | "soft_phone" => Ok(PhoneType::SoftPhone),
        "desk" | "deskphone" | "desk_phone" => Err(
            "desk: a desk phone needs its own number for each user; give the users phone type \
             desk and their numbers in a file and apply it with `connect-users agents edit FILE`"
                .into(),
        ),
        _ => Err(format!("{text:?}: expected soft")),
    }
}

/// The security profile names of `--set-security-profiles`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileNames(pub Vec<String>);

/// `"A|B"`: the names of `--set-security-profiles`, 1 to 10, each once.
pub fn parse_profiles(text: &str) -> Result<ProfileNames, String> {
    let names: Vec<String> = text.split('|').map(|n| n.trim().to_string()).collect();
    if names.iter().any(String::is_empty) {
        return Err(format!(
            "{text:?}: expected security profile names separated by |, e.g. \"Agent|QualityAnalyst\""
        ));
    }
    let distinct: BTreeSet<&String> = names.iter().collect();
    if distinct.len() > 10 {
        return Err(format!("{text:?}: a user has at most 10 security profiles"));
    }
    Ok(ProfileNames(distinct.into_iter().cloned().collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_channel_values_name_one_channel_or_all() {
        assert_eq!(
            parse_auto_accept("Voice=on").unwrap(),
            (Channels(vec![Channel::Voice]), true)
        );
        assert_eq!(parse_acw("all=30").unwrap().0 .0.len(), 4);
        assert!(parse_acw("chat=-1").unwrap_err().contains("from 0"));
        assert!(parse_acw("chat=2000001").is_err());
        assert!(parse_auto_accept("sms=on")
            .unwrap_err()
            .contains("not a channel"));
        assert!(parse_auto_accept("voice")
            .unwrap_err()
            .contains("CHANNEL=on|off"));
        let given = [
            (Channels(Channel::ALL.to_vec()), 30),
            (Channels(vec![Channel::Chat]), 30),
        ];
        assert_eq!(per_channel(&given, "--set-acw").unwrap().len(), 4);
        let clash = [
            (Channels(Channel::ALL.to_vec()), 30),
            (Channels(vec![Channel::Chat]), 60),
        ];
        assert!(per_channel(&clash, "--set-acw")
            .unwrap_err()
            .to_string()
            .contains("CHAT two values"));
    }

    #[test]
    fn tags_are_checked_as_the_service_checks_them() {
        assert_eq!(
            parse_tag("cost center=4711=b").unwrap(),
            ("cost center".into(), "4711=b".into())
        );
        assert!(parse_tag("aws:team=x").unwrap_err().contains("reserved"));
        assert!(parse_tag("=x").is_err());
        assert!(parse_tag("a#b=x").unwrap_err().contains("'#'"));
        assert!(tags(&[("a".into(), "1".into())], &["a".into()]).is_err());
    }

    #[test]
    fn a_desk_phone_is_not_set_in_bulk() {
        assert_eq!(parse_phone_type("soft"), Ok(PhoneType::SoftPhone));
        assert!(parse_phone_type("desk")
            .unwrap_err()
            .contains("agents edit"));
        assert_eq!(
            parse_profiles("Agent | QualityAnalyst|Agent").unwrap().0,
            ["Agent", "QualityAnalyst"]
        );
        assert!(parse_profiles("Agent||QA").is_err());
    }
}
