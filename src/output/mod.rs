//! Rendering a [`Validation`] for people (the review table) and for
//! machines (JSON, GitHub Actions annotations). Pure: each renderer returns
//! a string or a value; only the command writes it out.

pub mod github;
pub mod json;
pub mod review;
pub mod terminal_text;

use crate::validate::Validation;

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// The review table, the findings and a summary line.
    #[default]
    Table,
    /// One JSON object (schema_version 1), for scripts.
    Json,
    /// GitHub Actions workflow commands, so findings show on the pull request.
    Github,
}

/// A table in the house style (condensed UTF-8 borders), fitted to `width`
/// when given, else at full width: run summaries, agent lists and plans.
/// (Fitted without a width, comfy-table would ask the terminal itself, and
/// take the 0 columns some pseudo-terminals report.)
pub fn styled_table(width: Option<u16>) -> comfy_table::Table {
    let mut table = comfy_table::Table::new();
    table.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
    if let Some(width) = width {
        table
            .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
            .set_width(width);
    }
    table
}

/// `agents.csv: 30 rows, 30 users, 1 warning, 0 errors (read as UTF-8, checked for connect-managed)`.
pub fn summary_line(v: &Validation) -> String {
    let mut line = format!(
        "{}: {}, {}, {}, {}",
        terminal_text::visible(&v.source),
        plural(v.rows, "row"),
        plural(v.user_count, "user"),
        plural(v.warning_count(), "warning"),
        plural(v.error_count(), "error"),
    );
    let unlisted = v.unlisted_errors + v.unlisted_warnings;
    if unlisted > 0 {
        line.push_str(&format!(" ({unlisted} not listed)"));
    }
    line.push_str(&format!(
        " (read as {}, checked for {})",
        v.encoding,
        v.identity.cli_name()
    ));
    line
}

/// What an offline validation did not check, and how to check it; `None`
/// when the file was checked against an instance, or has no header to
/// check names under.
pub fn offline_note(v: &Validation) -> Option<&'static str> {
    (!v.against_instance && v.rows > 0).then_some(
        "not checked offline: that the routing profiles, security profiles and hierarchy \
         groups exist, and which logins already exist; check them against the instance with \
         --instance-id ID (or --instance-arn ARN), or against the local demo instance with --local",
    )
}

/// The names [`offline_note`] speaks of, for JSON.
pub const NOT_CHECKED_OFFLINE: [&str; 4] = [
    "routing_profiles",
    "security_profiles",
    "hierarchy_groups",
    "existing_logins",
];

/// `1 row`, `2 rows`: a count and its noun (one whose plural takes an s).
pub fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A finding as one line: `error: agents.csv:5: user login "x": … [code]`.
pub fn finding_line(source: &str, finding: &crate::finding::Finding) -> String {
    let place = match finding.line {
        Some(line) => format!("{source}:{line}"),
        None => source.to_owned(),
    };
    format!(
        "{}: {place}: {} [{}]",
        finding.severity,
        finding.describe(),
        finding.code
    )
}
