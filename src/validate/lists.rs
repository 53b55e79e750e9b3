//! The rules for list cells: security profiles (`Admin|Agent`), the
//! hierarchy path (`Japan|Tokyo|Team Sakura`) and tags
//! (`key1|value1||key2|value2`).
//!
//! The checks walk the cell's parts once, in place, keeping the names seen
//! so far in a small array on the stack, so a valid row costs no allocation.

use std::collections::BTreeMap;

use super::fields::{split_byte, split_once_byte, trim, Cell, Report};

pub(crate) const MAX_SECURITY_PROFILES: usize = 10;
pub(crate) const MAX_HIERARCHY_LEVELS: usize = 5;
pub(crate) const MAX_TAGS: usize = 50;
const MAX_TAG_KEY: usize = 128;
const MAX_TAG_VALUE: usize = 256;

/// The `|`-separated names of a cell, trimmed.
pub(crate) fn names(text: &str) -> impl Iterator<Item = &str> {
    split_byte(text, b'|').map(trim)
}

/// `security_profile_name_1|security_profile_name_2`: 1 to 10 names.
pub(crate) fn security_profiles(cell: &Cell, r: &mut Report) {
    if cell.text.is_empty() {
        r.error(
            cell,
            "security-profiles-required",
            "is empty; give 1 to 10 security profile names separated by |, e.g. Agent|QualityAnalyst",
        );
        return;
    }
    // One pass; the names seen so far live on the stack (beyond the limit the
    // cell is an error anyway).
    let mut seen = [""; MAX_SECURITY_PROFILES];
    let (mut stored, mut count, mut empty) = (0, 0, false);
    for name in names(cell.text) {
        count += 1;
        if name.is_empty() {
            empty = true;
        } else if seen[..stored].contains(&name) {
            r.warning(
                cell,
                "security-profiles-repeated",
                format!("names {name:?} twice; it is used once"),
            );
        } else if stored < seen.len() {
            seen[stored] = name;
            stored += 1;
        }
    }
    if empty {
        r.error(
            cell,
            "security-profiles-empty-name",
            "has an empty name; separate security profile names with a single |, e.g. Agent|QualityAnalyst",
        );
    }
    if count > MAX_SECURITY_PROFILES {
        r.error(
            cell,
            "security-profiles-too-many",
            format!("names {count} security profiles; a user has at most {MAX_SECURITY_PROFILES}"),
        );
    }
}

/// `user_hierarchy_1|user_hierarchy_2`: optional; group names from level
/// one down to the user's group, at most 5 levels.
pub(crate) fn hierarchy(cell: &Cell, r: &mut Report) {
    if cell.text.is_empty() {
        return;
    }
    let (mut levels, mut empty) = (0, false);
    for name in names(cell.text) {
        levels += 1;
        empty |= name.is_empty();
    }
    if empty {
        r.error(
            cell,
            "hierarchy-empty-name",
            "has an empty group name; write the path from level one down, separated by |, e.g. Japan|Tokyo|Team Sakura",
        );
    }
    if levels > MAX_HIERARCHY_LEVELS {
        r.error(
            cell,
            "hierarchy-too-deep",
            format!("has {levels} levels; a hierarchy path has at most {MAX_HIERARCHY_LEVELS}"),
        );
    }
}

/// The cell's `key|value` pairs; `Err` with the pair text when one is not.
fn pairs(text: &str) -> impl Iterator<Item = Result<(&str, &str), &str>> {
    split_pairs(text).map(|pair| match split_once_byte(pair, b'|') {
        Some((key, value)) if !value.as_bytes().contains(&b'|') => Ok((trim(key), trim(value))),
        _ => Err(pair),
    })
}

/// Where the first `||` is: each `|` found, then the byte after it looked
/// at (cheaper on short cells than comparing every window of two bytes).
fn double_bar(bytes: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = bytes[from..].iter().position(|&b| b == b'|') {
        let at = from + found;
        if bytes.get(at + 1) == Some(&b'|') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Splits at each `||`, leftmost first, like `str::split("||")`.
fn split_pairs(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        match double_bar(current.as_bytes()) {
            Some(at) => {
                rest = Some(&current[at + 2..]);
                Some(&current[..at])
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

/// `tags`: optional; `key|value` pairs separated by `||`, 1 to 50; keys 1
/// to 128 characters of letters, digits, spaces and `_ . : / = + - @`, not
/// starting with `aws:`; values up to 256 characters.
pub(crate) fn tags(cell: &Cell, r: &mut Report) {
    if cell.text.is_empty() || plain_tags(cell.text.as_bytes()) {
        return;
    }
    tags_thorough(cell, r);
}

/// Every rule of a tags cell, with a finding for each problem.
fn tags_thorough(cell: &Cell, r: &mut Report) {
    const FORM: &str = "write tags as key|value pairs separated by ||, e.g. team|sales||site|tokyo";
    // The keys seen so far: the first few on the stack (nearly every cell
    // has only a few tags), the rest in a vector only when there are more.
    let mut keys = [""; 8];
    let mut more_keys: Vec<&str> = Vec::new();
    let (mut stored, mut count) = (0, 0);
    for pair in pairs(cell.text) {
        count += 1;
        let (key, value) = match pair {
            Ok(kv) => kv,
            Err(text) => {
                r.error(
                    cell,
                    "tags-malformed",
                    format!("has {text:?}, which is not one key|value pair; {FORM}"),
                );
                continue;
            }
        };
        if let Some(problem) = tag_key_problem(key) {
            r.error(
                cell,
                "tag-key-invalid",
                format!("has tag key {key:?}, which {problem}"),
            );
        }
        if value.len() > MAX_TAG_VALUE {
            let length = value.chars().count();
            if length > MAX_TAG_VALUE {
                r.error(
                    cell,
                    "tag-value-too-long",
                    format!("has a value of {length} characters for tag {key:?}; at most {MAX_TAG_VALUE}"),
                );
            }
        }
        if keys[..stored].contains(&key) || more_keys.contains(&key) {
            r.error(
                cell,
                "tag-key-repeated",
                format!("sets tag {key:?} twice; each key may appear once"),
            );
        } else if stored < keys.len() {
            keys[stored] = key;
            stored += 1;
        } else if more_keys.len() < MAX_TAGS {
            more_keys.push(key);
        }
    }
    if count > MAX_TAGS {
        r.error(
            cell,
            "tags-too-many",
            format!("has {count} tags; a user has at most {MAX_TAGS}"),
        );
    }
}

/// Whether a tags cell is plainly valid, in one pass over its bytes: a few
/// `key|value` pairs separated by `||`, keys of the plain ASCII characters
/// without spaces at their ends, not `aws:`, none repeated, values short
/// and without `|`. Nearly every filled cell is; anything else takes the
/// thorough path of [`tags`], which says what is wrong.
fn plain_tags(bytes: &[u8]) -> bool {
    const KEYS: usize = 8;
    let mut keys: [&[u8]; KEYS] = [&[]; KEYS];
    let (mut count, mut start) = (0, 0);
    loop {
        let Some(bar) = find_bar(&bytes[start..]).map(|at| start + at) else {
            return false;
        };
        let key = &bytes[start..bar];
        let plain_key = !key.is_empty()
            && key.len() <= MAX_TAG_KEY
            && key.iter().all(|&b| TAG_KEY_BYTE[usize::from(b)])
            && key.first() != Some(&b' ')
            && key.last() != Some(&b' ')
            && !key
                .get(..4)
                .is_some_and(|p| p.eq_ignore_ascii_case(b"aws:"));
        if !plain_key || count == KEYS || keys[..count].contains(&key) {
            return false;
        }
        keys[count] = key;
        count += 1;
        let value_start = bar + 1;
        let (value_end, next) = match find_bar(&bytes[value_start..]) {
            None => (bytes.len(), None),
            Some(at) if bytes.get(value_start + at + 1) == Some(&b'|') => {
                (value_start + at, Some(value_start + at + 2))
            }
            Some(_) => return false,
        };
        if value_end - value_start > MAX_TAG_VALUE {
            return false;
        }
        match next {
            None => return true,
            Some(next) => start = next,
        }
    }
}

/// The first `|`: a plain loop, cheaper than memchr on cells this short.
fn find_bar(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'|')
}

/// The bytes of a plain tag key: letters, digits, spaces and `_ . : / = + - @`.
const TAG_KEY_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = byte.is_ascii_alphanumeric()
            || matches!(
                byte,
                b' ' | b'_' | b'.' | b':' | b'/' | b'=' | b'+' | b'-' | b'@'
            );
        b += 1;
    }
    table
};

fn tag_key_problem(key: &str) -> Option<String> {
    let length = if key.is_ascii() {
        key.len()
    } else {
        key.chars().count()
    };
    if length == 0 {
        return Some("it is empty; a key has 1 to 128 characters".to_owned());
    }
    if length > MAX_TAG_KEY {
        return Some(format!(
            "is {length} characters long; at most {MAX_TAG_KEY}"
        ));
    }
    if key
        .get(..4)
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case("aws:"))
    {
        return Some("it starts with aws:, which is reserved for AWS".to_owned());
    }
    let plain = |b: u8| b.is_ascii_alphanumeric() || b" _.:/=+-@".contains(&b);
    if key.bytes().all(plain) {
        return None;
    }
    key.chars()
        .find(|&c| {
            !(c.is_alphanumeric()
                || (c.is_whitespace() && !c.is_control())
                || "_.:/=+-@".contains(c))
        })
        .map(|c| {
            format!("it contains {c:?}; a key uses letters, digits, spaces and _ . : / = + - @")
        })
}

/// The tags of a valid cell.
pub(crate) fn parse_tags(text: &str) -> BTreeMap<String, String> {
    if text.is_empty() {
        return BTreeMap::new();
    }
    pairs(text)
        .filter_map(Result::ok)
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

/// The names of a valid list cell, each once, in order.
pub(crate) fn parse_names(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if text.is_empty() {
        return out;
    }
    for name in names(text) {
        if !out.iter().any(|seen| seen == name) {
            out.push(name.to_owned());
        }
    }
    out
}

/// A canonical form of a tags cell for comparing duplicates: pairs sorted.
pub(crate) fn canonical_tags(text: &str) -> String {
    let mut parts: Vec<String> = pairs(text)
        .map(|p| match p {
            Ok((k, v)) => format!("{k}|{v}"),
            Err(raw) => raw.trim().to_owned(),
        })
        .collect();
    parts.sort();
    parts.join("||")
}

#[cfg(test)]
#[path = "lists_tests.rs"]
mod tests;
