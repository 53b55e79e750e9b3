//! `--format github`: one GitHub Actions workflow command per finding, so
//! the findings show inline on a pull request, then the summary line.
//!
//! Workflow command syntax: `::error file=F,line=N,title=T::message`, with
//! `%`, CR and LF escaped in the message and also `:` and `,` in properties;
//! other control characters are never written raw (see [`data`]).

use super::terminal_text::visible;
use crate::finding::Severity;
use crate::validate::Validation;

pub fn render(v: &Validation) -> String {
    let mut out = String::new();
    for finding in &v.findings {
        let command = match finding.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut properties = vec![format!("file={}", property(&v.source))];
        if let Some(line) = finding.line {
            properties.push(format!("line={line}"));
        }
        properties.push(format!("title={}", property(&finding.code)));
        out.push_str(&format!(
            "::{command} {}::{}\n",
            properties.join(","),
            data(&finding.describe())
        ));
    }
    let unlisted = v.unlisted_errors + v.unlisted_warnings;
    if unlisted > 0 {
        out.push_str(&format!(
            "::warning file={}::{unlisted} more findings not listed\n",
            property(&v.source)
        ));
    }
    out.push_str(&super::summary_line(v));
    out.push('\n');
    if let Some(note) = super::offline_note(v) {
        out.push_str(&format!(
            "::notice file={},title=not checked offline::{}\n",
            property(&v.source),
            data(note)
        ));
    }
    out
}

/// Whether the command line asks for `--format github`: read off the raw
/// arguments, so that an error found while parsing them is annotated too.
pub fn requested<I: IntoIterator<Item = std::ffi::OsString>>(args: I) -> bool {
    let args: Vec<std::ffi::OsString> = args.into_iter().collect();
    args.iter().enumerate().any(|(i, arg)| {
        arg == "--format=github"
            || (arg == "--format" && args.get(i + 1).is_some_and(|v| v == "github"))
    })
}

/// An error that ended the command (usage, configuration, I/O), as an
/// annotation: `::error title=connect-users::…`.
pub fn command_error(message: &str) -> String {
    let message = message.trim().trim_start_matches("error: ");
    format!("::error title=connect-users::{}", data(message))
}

/// Workflow-command escaping of a message. Line breaks are kept as the
/// runner's `%0D`/`%0A`; any other character that would act on a terminal
/// (ESC, the other controls, bidirectional overrides: a message may quote
/// the service or a file) is shown as its escape, as on a terminal, so
/// the log viewer never receives it raw.
pub fn data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(['\r', '\n']) {
        out.push_str(&visible(&rest[..at]).replace('%', "%25"));
        out.push_str(if rest[at..].starts_with('\r') {
            "%0D"
        } else {
            "%0A"
        });
        rest = &rest[at + 1..];
    }
    out.push_str(&visible(rest).replace('%', "%25"));
    out
}

/// Workflow-command escaping of a property value (`file=`, `title=`).
pub fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Finding;
    use crate::identity::Identity;

    #[test]
    fn errors_of_a_github_run_are_annotations() {
        let args = |list: &[&str]| {
            list.iter()
                .map(std::ffi::OsString::from)
                .collect::<Vec<_>>()
        };
        assert!(requested(args(&["x", "--format", "github"])));
        assert!(requested(args(&["x", "--format=github"])));
        assert!(!requested(args(&["x", "--format", "json", "github"])));
        assert_eq!(
            command_error("error: cannot read a.csv: No such file\n"),
            "::error title=connect-users::cannot read a.csv: No such file"
        );
    }

    #[test]
    fn one_command_per_finding_with_escaping() {
        let mut v = Validation::new("dir,1/a:b.csv", Identity::Saml);
        v.rows = 1;
        v.user_count = 1;
        v.push(Finding::error(
            Some(4),
            Some("tags"),
            Some("a\nb"),
            "tags-malformed",
            "100% wrong",
        ));
        v.push(Finding::warning(None, None, None, "x", "whole file"));
        let out = render(&v);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[0],
            "::warning file=dir%2C1/a%3Ab.csv,title=x::whole file"
        );
        assert_eq!(
            lines[1],
            "::error file=dir%2C1/a%3Ab.csv,line=4,title=tags-malformed::tags \"a\\nb\": 100%25 wrong"
        );
        assert!(lines[2].starts_with("dir,1/a:b.csv: 1 row, 1 user, 1 warning, 1 error"));
    }

    #[test]
    fn control_characters_never_reach_the_log_raw() {
        assert_eq!(data("50%\r\nok"), "50%25%0D%0Aok");
        assert_eq!(
            data("\u{1b}[31mred\u{7}\n\u{9b}x\u{202e}"),
            "\\u{1b}[31mred\\u{7}%0A\\u{9b}x\\u{202e}"
        );
        assert_eq!(property("a:b,c\u{1b}\nd"), "a%3Ab%2Cc\\u{1b}%0Ad");
        let mut v = Validation::new("esc\u{1b}[1m\n::error::x.csv", Identity::Saml);
        v.push(Finding::error(Some(2), None, None, "x", "bad"));
        let out = render(&v);
        assert!(!out.contains('\u{1b}'), "{out:?}");
        // Every line is a workflow command or the summary, which starts
        // with the file's name as shown.
        for line in out.lines() {
            assert!(
                line.starts_with("::") || line.starts_with("esc\\u{1b}[1m\\n::error::x.csv: "),
                "{out}"
            );
        }
    }
}
