//! `connect-users guide`: the user reference the binary serves is the
//! markdown under `src/guide/`, every topic file is served and linked from
//! the README, the README's exit codes are the topic's, and every relative
//! link of the documentation leads to a file and a heading that exist.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;

use crate::readme::{markdown_files, shown_path};

fn guide(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("connect-users")
        .unwrap()
        .arg("guide")
        .args(args)
        .output()
        .unwrap()
}

fn topic_files() -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/guide");
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|entry| {
            let name = entry.unwrap().file_name().into_string().unwrap();
            name.strip_suffix(".md").map(str::to_owned)
        })
        .collect()
}

#[test]
fn every_topic_file_is_served_as_it_is_and_listed() {
    let files = topic_files();
    let served: BTreeSet<String> = connect_users::guide::TOPICS
        .iter()
        .map(|topic| topic.name.to_owned())
        .collect();
    assert_eq!(
        files, served,
        "src/guide/*.md and the topics of src/guide/mod.rs"
    );

    let index = guide(&[]);
    assert!(index.status.success(), "{index:?}");
    let index = String::from_utf8(index.stdout).unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    for name in &files {
        assert!(
            index.contains(&format!("\n  {name} ")),
            "{name} listed:\n{index}"
        );
        let out = guide(&[name]);
        assert!(out.status.success(), "{name}: {out:?}");
        let file = std::fs::read(format!("{root}/src/guide/{name}.md")).unwrap();
        assert_eq!(
            out.stdout, file,
            "connect-users guide {name} prints the file"
        );
    }
}

#[test]
fn an_unknown_topic_is_a_usage_error_naming_the_topics() {
    let out = guide(&["iam-policy"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("invalid value 'iam-policy'"), "{stderr}");
    assert!(stderr.contains("iam, agents"), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn the_readme_links_every_topic_and_shows_the_exit_codes_of_the_topic() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    for name in topic_files() {
        assert!(
            readme.contains(&format!("](src/guide/{name}.md)")),
            "the README links src/guide/{name}.md"
        );
    }
    let topic = std::fs::read_to_string(format!("{root}/src/guide/exit-codes.md")).unwrap();
    let table = topic.split_once('\n').unwrap().1.trim();
    assert!(!table.is_empty());
    assert!(
        readme.contains(table),
        "the README's exit codes are src/guide/exit-codes.md's"
    );
}

/// GitHub's anchor for a heading: lower case, punctuation other than `-`
/// and `_` dropped, spaces made hyphens.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of a markdown file's headings (outside code blocks).
fn anchors(text: &str) -> BTreeSet<String> {
    let mut in_code = false;
    let mut found = BTreeSet::new();
    for line in text.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
        } else if !in_code && line.starts_with('#') {
            found.insert(anchor(line.trim_start_matches('#')));
        }
    }
    found
}

/// `(target, anchor)` of every relative markdown link `](target#anchor)`.
fn links(text: &str) -> Vec<(String, Option<String>)> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        rest = &rest[at + 2..];
        let Some(end) = rest.find(')') else { break };
        let link = &rest[..end];
        if link.contains("://") || link.contains(' ') {
            continue;
        }
        match link.split_once('#') {
            Some((target, anchor)) => found.push((target.to_owned(), Some(anchor.to_owned()))),
            None => found.push((link.to_owned(), None)),
        }
    }
    found
}

#[test]
fn every_relative_link_of_the_documentation_leads_somewhere() {
    let mut checked = 0;
    for file in markdown_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        for (target, fragment) in links(&text) {
            let path = if target.is_empty() {
                file.clone()
            } else {
                file.parent().unwrap().join(&target)
            };
            let from = shown_path(&file);
            assert!(
                path.exists(),
                "{from}: a link to {target}, which does not exist"
            );
            if let Some(fragment) = fragment {
                let text = std::fs::read_to_string(&path).unwrap();
                assert!(
                    anchors(&text).contains(&fragment),
                    "{from}: a link to {target}#{fragment}, a heading it does not have"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 30, "{checked} links");
}

#[test]
fn the_anchor_of_a_heading_is_githubs() {
    assert_eq!(
        anchor(" Generated passwords: `--generate-passwords`"),
        "generated-passwords---generate-passwords"
    );
    assert_eq!(anchor(" In CI"), "in-ci");
    let links = links("see [a](b.md#c-d), [e](https://x.org/y), [f](#g)");
    assert_eq!(
        links,
        [
            ("b.md".to_owned(), Some("c-d".to_owned())),
            (String::new(), Some("g".to_owned()))
        ]
    );
}

/// Each command's long `--help` is its own text (a doc comment on the
/// subcommand variant would silently replace it) and names the reference
/// topics that exist; the commands that are themselves help need none.
#[test]
fn every_command_names_its_reference_topics_in_its_long_help() {
    use clap::CommandFactory;
    let topics = topic_files();
    let mut cli = connect_users::cli::Cli::command();
    cli.build();
    let mut leaves = Vec::new();
    fn walk(command: &clap::Command, path: Vec<String>, into: &mut Vec<Vec<String>>) {
        let subs: Vec<_> = command
            .get_subcommands()
            .filter(|s| s.get_name() != "help")
            .collect();
        if subs.is_empty() {
            into.push(path.clone());
        }
        for sub in subs {
            let mut next = path.clone();
            next.push(sub.get_name().to_owned());
            walk(sub, next, into);
        }
    }
    walk(&cli, Vec::new(), &mut leaves);
    assert!(leaves.len() >= 12, "{leaves:?}");
    for path in leaves {
        let out = Command::cargo_bin("connect-users")
            .unwrap()
            .args(&path)
            .arg("--help")
            .output()
            .unwrap();
        let help = String::from_utf8(out.stdout).unwrap();
        let name = path.join(" ");
        if ["completions", "man", "guide"].contains(&name.as_str()) {
            continue;
        }
        let named: Vec<&str> = help
            .match_indices("connect-users guide ")
            .map(|(at, _)| {
                help[at + "connect-users guide ".len()..]
                    .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                    .next()
                    .unwrap()
            })
            .collect();
        assert!(
            help.contains("Reference: `connect-users guide") && !named.is_empty(),
            "{name}: {help}"
        );
        for topic in named {
            assert!(topics.contains(topic), "{name} names no topic {topic:?}");
        }
    }
    // The long text of the command's own doc comment is there.
    let out = Command::cargo_bin("connect-users")
        .unwrap()
        .args(["import", "apply", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(
        help.contains("Nothing is created when the file has any error"),
        "{help}"
    );
}
