//! The end of a run, for people (tables) and machines (JSON, annotations).

use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, ContentArrangement, Table};
use serde_json::json;

use super::outcome::{Outcome, RowOutcome, Tally};
use crate::connect::InstanceInfo;
use crate::output::github;

/// Counts by outcome, then every row that needs another run.
pub fn table(outcomes: &[RowOutcome], width: Option<u16>) -> String {
    let tally = Tally::of(outcomes);
    let mut counts = styled(width);
    counts.set_header(["created", "exists", "failed", "not submitted", "total"]);
    counts.add_row([
        tally.created,
        tally.exists,
        tally.failed,
        tally.not_submitted,
        tally.total(),
    ]);
    let mut out = counts.to_string();
    let pending: Vec<&RowOutcome> = outcomes
        .iter()
        .filter(|o| o.outcome.needs_rerun())
        .collect();
    if !pending.is_empty() {
        let mut rows = styled(width);
        rows.set_header(["line", "user login", "outcome", "error type", "message"]);
        for row in pending {
            let (error_type, message) = match &row.outcome {
                Outcome::Failed {
                    error_type,
                    message,
                } => (error_type.as_str(), message.as_str()),
                Outcome::NotSubmitted { reason } => ("", reason.as_str()),
                _ => ("", ""),
            };
            rows.add_row(vec![
                Cell::new(row.line),
                Cell::new(&row.user_login),
                Cell::new(row.outcome.name()),
                Cell::new(error_type),
                Cell::new(message),
            ]);
        }
        out.push('\n');
        out.push_str(&rows.to_string());
    }
    out
}

fn styled(width: Option<u16>) -> Table {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    if let Some(width) = width {
        table.set_width(width);
    }
    table
}

/// The `apply` member of the JSON output.
/// `submit_seconds` is the time from the first create to the last outcome.
pub fn to_json(
    instance: &InstanceInfo,
    dry_run: bool,
    outcomes: &[RowOutcome],
    submit_seconds: f64,
) -> serde_json::Value {
    json!({
        "instance": {
            "id": instance.id,
            "arn": instance.arn,
            "alias": instance.alias,
            "identity_management_type": instance.identity.api_name(),
        },
        "dry_run": dry_run,
        "outcomes": outcomes,
        "summary": Tally::of(outcomes),
        "timing": { "submit_seconds": submit_seconds },
    })
}

/// One GitHub Actions annotation per row that needs another run, and a notice with the counts.
pub fn github(file: &str, outcomes: &[RowOutcome]) -> String {
    let mut out = String::new();
    for row in outcomes {
        let (title, message) = match &row.outcome {
            Outcome::Failed {
                error_type,
                message,
            } => (format!("create failed: {error_type}"), message.clone()),
            Outcome::NotSubmitted { reason } => ("not submitted".to_string(), reason.clone()),
            _ => continue,
        };
        out.push_str(&format!(
            "::error file={},line={},title={}::{}: {}\n",
            github::property(file),
            row.line,
            github::property(&title),
            github::data(&row.user_login),
            github::data(&message)
        ));
    }
    let t = Tally::of(outcomes);
    out.push_str(&format!(
        "::notice title=import apply::{} created, {} existing, {} failed, {} not submitted\n",
        t.created, t.exists, t.failed, t.not_submitted
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<RowOutcome> {
        vec![
            RowOutcome {
                line: 2,
                user_login: "aiko.sato".into(),
                outcome: Outcome::Created {
                    user_id: "u1".into(),
                    user_arn: "arn:u1".into(),
                },
            },
            RowOutcome {
                line: 3,
                user_login: "bo".into(),
                outcome: Outcome::Failed {
                    error_type: "InvalidParameterException".into(),
                    message: "a, b\nc".into(),
                },
            },
        ]
    }

    #[test]
    fn github_annotates_failed_rows_only() {
        assert_eq!(
            github("agents.csv", &rows()),
            "::error file=agents.csv,line=3,title=create failed%3A InvalidParameterException::bo: a, b%0Ac\n\
             ::notice title=import apply::1 created, 0 existing, 1 failed, 0 not submitted\n"
        );
    }

    #[test]
    fn table_lists_rows_to_rerun() {
        let text = table(&rows(), Some(120));
        assert!(text.contains("InvalidParameterException"), "{text}");
        assert!(!text.contains("aiko.sato"), "{text}");
    }
}
