//! The user reference, served by `connect-users guide TOPIC`: one markdown
//! file per topic beside this module, compiled into the binary so that a
//! release (which ships without the source) carries it, and readable on
//! GitHub, where the README links each file. The README is the front page;
//! what a user looks up later lives here, in `--help` and in the man pages.

/// One reference topic: `connect-users guide NAME` prints `text`.
#[derive(Debug, Clone, Copy)]
pub struct Topic {
    pub name: &'static str,
    pub summary: &'static str,
    pub text: &'static str,
}

/// A topic whose text is the file `NAME.md` beside this module.
macro_rules! topic {
    ($name:literal, $summary:literal) => {
        Topic {
            name: $name,
            summary: $summary,
            text: include_str!(concat!($name, ".md")),
        }
    };
}

/// Every topic, in the order a user meets them.
pub const TOPICS: &[Topic] = &[
    topic!(
        "template",
        "the template per identity type, and what each column sets"
    ),
    topic!(
        "validation",
        "input, header and rules, review table, validating against the instance"
    ),
    topic!(
        "apply",
        "import apply step by step, its options, re-running, outcomes"
    ),
    topic!(
        "passwords",
        "--generate-passwords: the passwords, their file and its statuses"
    ),
    topic!(
        "output-files",
        "how reports, exports and password files are written"
    ),
    topic!(
        "pacing",
        "patience, retries, pacing and sharing the API quota"
    ),
    topic!(
        "instance",
        "choosing the instance, credentials, connect-users.toml"
    ),
    topic!("iam", "the IAM policy each command needs"),
    topic!(
        "agents",
        "agents list and agents set: selecting agents, persistent connection"
    ),
    topic!(
        "agents-edit",
        "agents set's every setting and agents edit FILE: each turn, partial"
    ),
    topic!(
        "export",
        "agents export: copying agents to another instance"
    ),
    topic!(
        "agents-remove",
        "agents remove: safety, the backup, what cannot come back"
    ),
    topic!("exit-codes", "what each exit code means"),
    topic!(
        "json",
        "--format json, the report file and GitHub annotations"
    ),
    topic!(
        "local-serve",
        "local serve: starting it, flags, request log, seed format"
    ),
    topic!(
        "local-api",
        "what local serve answers: operations, checks and errors"
    ),
];

/// The topic of that name.
pub fn find(name: &str) -> Option<&'static Topic> {
    TOPICS.iter().find(|topic| topic.name == name)
}

/// The list `connect-users guide` prints.
pub fn index() -> String {
    let width = TOPICS.iter().map(|t| t.name.len()).max().unwrap_or(0);
    let mut text =
        String::from("Reference topics; print one with `connect-users guide TOPIC`:\n\n");
    for topic in TOPICS {
        text.push_str(&format!("  {:width$}  {}\n", topic.name, topic.summary));
    }
    text.push_str(
        "\nEach topic is markdown; a link to `NAME.md` in it is `connect-users guide NAME`.\n\
         The same files are under src/guide/ in the repository.\n",
    );
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_topic_has_a_title_and_a_unique_name() {
        let mut names: Vec<&str> = TOPICS.iter().map(|t| t.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), TOPICS.len());
        for topic in TOPICS {
            assert!(topic.text.starts_with("# "), "{}", topic.name);
        }
    }
}
