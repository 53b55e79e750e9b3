//! Unit tests of the list cells: security profiles, hierarchy paths, tags.

use super::*;

fn codes(text: &str, rule: impl FnOnce(&Cell, &mut Report)) -> Vec<String> {
    let mut out = Vec::new();
    let mut report = Report {
        line: 2,
        out: &mut out,
        errors: false,
    };
    rule(
        &Cell {
            text,
            column: "c",
            secret: false,
            ascii: text.is_ascii(),
        },
        &mut report,
    );
    out.into_iter().map(|f| f.code).collect()
}

#[test]
fn security_profile_rules() {
    let sp = |t: &str| codes(t, security_profiles);
    assert!(sp("Agent").is_empty());
    assert!(sp("Agent | CallCenterManager").is_empty());
    assert_eq!(sp(""), ["security-profiles-required"]);
    assert_eq!(sp("Agent||Admin"), ["security-profiles-empty-name"]);
    assert_eq!(sp("Agent|"), ["security-profiles-empty-name"]);
    let eleven = ["P"; 11]
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{p}{i}"))
        .collect::<Vec<_>>()
        .join("|");
    assert_eq!(sp(&eleven), ["security-profiles-too-many"]);
    assert_eq!(sp("Agent|Admin|Agent"), ["security-profiles-repeated"]);
    assert_eq!(parse_names("Agent|Admin| Agent"), ["Agent", "Admin"]);
}

#[test]
fn the_plain_path_of_tags_accepts_only_what_the_thorough_one_does() {
    let cases = [
        "team|sales",
        "team|sales||site|tokyo",
        "team|",
        "a|1||b|2||c|3||d|4||e|5||f|6||g|7||h|8||i|9",
        "team|sales|||site|x",
        "team|a||",
        "||team|a",
        "team |x",
        "a|1||a |2",
        "a|1||a|2",
        "aws:x|1",
        "AWS:x|1",
        "team|a|b",
        "t\u{e9}am|x",
        "team|\u{e9}t\u{e9}",
        "k ey|v",
        "key#|v",
        "",
    ];
    let long_value = format!("k|{}", "v".repeat(257));
    let long_key = format!("{}|v", "k".repeat(129));
    for text in cases
        .iter()
        .copied()
        .chain([long_value.as_str(), long_key.as_str()])
    {
        if plain_tags(text.as_bytes()) {
            let mut thorough = Vec::new();
            let mut report = Report {
                line: 2,
                out: &mut thorough,
                errors: false,
            };
            // The thorough path, whatever the plain one says.
            let cell = Cell {
                text,
                column: "tags",
                secret: false,
                ascii: text.is_ascii(),
            };
            tags_thorough(&cell, &mut report);
            assert!(thorough.is_empty(), "{text:?}: {thorough:?}");
        }
    }
    assert!(plain_tags(b"team|sales||site|tokyo"));
    assert!(!plain_tags(b"a|1||a|2"));
    assert!(!plain_tags(b"aws:x|1"));
}

#[test]
fn hierarchy_rules() {
    let h = |t: &str| codes(t, hierarchy);
    assert!(h("").is_empty());
    assert!(h("Japan|Tokyo|Team Sakura").is_empty());
    assert!(h("a|b|c|d|e").is_empty());
    assert_eq!(h("a|b|c|d|e|f"), ["hierarchy-too-deep"]);
    assert_eq!(h("Japan||Team Sakura"), ["hierarchy-empty-name"]);
}

#[test]
fn tag_rules() {
    let t = |t: &str| codes(t, tags);
    assert!(t("").is_empty());
    assert!(t("team|sales").is_empty());
    assert!(t("team|sales||site|tokyo||cost center|").is_empty());
    assert!(t("チーム|営業").is_empty());
    assert_eq!(t("team"), ["tags-malformed"]);
    assert_eq!(t("team|sales|x"), ["tags-malformed"]);
    assert_eq!(t("team|sales|||site|x"), ["tags-malformed"]);
    assert_eq!(t("aws:team|x"), ["tag-key-invalid"]);
    assert_eq!(t("AWS:team|x"), ["tag-key-invalid"]);
    assert_eq!(t("|x"), ["tag-key-invalid"]);
    assert_eq!(t("team#1|x"), ["tag-key-invalid"]);
    assert_eq!(t(&format!("{}|x", "k".repeat(129))), ["tag-key-invalid"]);
    assert_eq!(t(&format!("k|{}", "v".repeat(257))), ["tag-value-too-long"]);
    assert_eq!(t("a|1||a|2"), ["tag-key-repeated"]);
    let many = (0..51)
        .map(|i| format!("k{i}|v"))
        .collect::<Vec<_>>()
        .join("||");
    assert_eq!(t(&many), ["tags-too-many"]);
    assert_eq!(
        parse_tags("b|2||a| 1 ").into_iter().collect::<Vec<_>>(),
        [("a".into(), "1".into()), ("b".into(), "2".into())]
    );
    assert_eq!(canonical_tags("b|2||a|1"), canonical_tags("a|1 || b|2"));
    for text in ["a|1||b|2", "a|||b", "||", "a", "", "|||||", "日|本||x|y"] {
        assert_eq!(
            split_pairs(text).collect::<Vec<_>>(),
            text.split("||").collect::<Vec<_>>(),
            "{text}"
        );
    }
}
