//! The end of a run, for people (tables, closing lines) and machines (JSON,
//! annotations). Each kind of run shows the outcomes it can have.

use comfy_table::Cell;
use serde_json::json;

use super::outcome::{RowOutcome, Tally};
use super::{RunResult, Stopped};
use crate::connect::InstanceInfo;
use crate::output::terminal_text::{cell, visible_lines};
use crate::output::{github, styled_table};

/// Which bulk operation ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunKind {
    /// `import apply`: users created.
    Import,
    /// `agents set`: agents' settings changed.
    AgentsSet,
    /// `agents remove`: agents deleted.
    AgentsRemove,
    /// `agents edit`: agents changed to what a file says.
    AgentsEdit,
}

impl RunKind {
    /// The outcomes this kind of run can have, in display order.
    fn outcomes(self) -> &'static [&'static str] {
        match self {
            RunKind::Import => &["created", "exists", "failed", "unknown", "not_submitted"],
            RunKind::AgentsSet | RunKind::AgentsEdit => &[
                "changed",
                "partial",
                "unchanged",
                "skipped",
                "failed",
                "unknown",
                "not_submitted",
            ],
            RunKind::AgentsRemove => &[
                "removed",
                "absent",
                "skipped",
                "failed",
                "unknown",
                "not_submitted",
            ],
        }
    }

    /// The write, for annotation titles.
    fn write(self) -> &'static str {
        match self {
            RunKind::Import => "create",
            RunKind::AgentsSet | RunKind::AgentsEdit => "update",
            RunKind::AgentsRemove => "delete",
        }
    }

    fn command(self) -> &'static str {
        match self {
            RunKind::Import => "import apply",
            RunKind::AgentsSet => "agents set",
            RunKind::AgentsRemove => "agents remove",
            RunKind::AgentsEdit => "agents edit",
        }
    }

    /// The operation of its writes, whose pacer the progress display follows.
    pub fn operation(self) -> &'static str {
        match self {
            RunKind::Import => "CreateUser",
            // Each update operation has the same quota: any of them paces
            // the progress display alike.
            RunKind::AgentsSet | RunKind::AgentsEdit => "UpdateUserConfig",
            RunKind::AgentsRemove => "DeleteUser",
        }
    }

    /// How the messages of this kind of run name its write and its rows.
    pub fn words(self) -> Words {
        match self {
            RunKind::Import => Words {
                verb: "create",
                done: "created",
                row: "user",
            },
            RunKind::AgentsSet | RunKind::AgentsEdit => Words {
                verb: "change",
                done: "changed",
                row: "agent",
            },
            RunKind::AgentsRemove => Words {
                verb: "remove",
                done: "removed",
                row: "agent",
            },
        }
    }

    /// Whether the confirmation on a terminal is the instance's alias typed
    /// out rather than `y`: for a write that cannot be undone.
    pub fn typed_confirmation(self) -> bool {
        matches!(self, RunKind::AgentsRemove)
    }
}

/// The words of a kind of run's messages: "pass --yes to *create* without
/// asking", "nothing was *created*", "30 *users* would be created".
#[derive(Debug, Clone, Copy)]
pub struct Words {
    pub verb: &'static str,
    pub done: &'static str,
    /// What a row is (singular): `user`, `agent`.
    pub row: &'static str,
}

fn count(tally: &Tally, name: &str) -> usize {
    match name {
        "created" => tally.created,
        "exists" => tally.exists,
        "changed" => tally.changed,
        "partial" => tally.partial,
        "unchanged" => tally.unchanged,
        "skipped" => tally.skipped,
        "failed" => tally.failed,
        "unknown" => tally.unknown,
        "not_submitted" => tally.not_submitted,
        "removed" => tally.removed,
        "absent" => tally.absent,
        _ => 0,
    }
}

/// Counts by outcome, then every row that needs another run.
pub fn table(kind: RunKind, outcomes: &[RowOutcome], width: Option<u16>) -> String {
    let tally = Tally::of(outcomes);
    let mut counts = styled_table(width);
    let mut header: Vec<String> = kind
        .outcomes()
        .iter()
        .map(|n| n.replace('_', " "))
        .collect();
    header.push("total".into());
    counts.set_header(header);
    let mut row: Vec<usize> = kind.outcomes().iter().map(|n| count(&tally, n)).collect();
    row.push(tally.total());
    counts.add_row(row);
    let mut out = counts.to_string();
    let pending: Vec<&RowOutcome> = outcomes
        .iter()
        .filter(|o| o.outcome.needs_rerun())
        .collect();
    if !pending.is_empty() {
        let mut rows = styled_table(width);
        rows.set_header(["line", "user login", "outcome", "error type", "message"]);
        for row in pending {
            let (error_type, message) = row.outcome.explanation();
            rows.add_row(vec![
                Cell::new(row.line.map(|l| l.to_string()).unwrap_or_default()),
                cell(&row.user_login),
                Cell::new(row.outcome.name()),
                cell(error_type),
                cell(message),
            ]);
        }
        out.push('\n');
        out.push_str(&rows.to_string());
    }
    out
}

/// The counts of a run as a JSON object, with this kind's outcomes only.
pub fn counts_json(kind: RunKind, outcomes: &[RowOutcome]) -> serde_json::Value {
    let tally = Tally::of(outcomes);
    let map: serde_json::Map<String, serde_json::Value> = kind
        .outcomes()
        .iter()
        .map(|n| (n.to_string(), count(&tally, n).into()))
        .collect();
    serde_json::Value::Object(map)
}

/// The run member of the JSON output: the instance, every row's outcome,
/// the counts, and the time from the first write to the last outcome.
pub fn to_json(kind: RunKind, instance: &InstanceInfo, result: &RunResult) -> serde_json::Value {
    json!({
        "instance": {
            "id": instance.id,
            "arn": instance.arn,
            "alias": instance.alias,
            "identity_management_type": instance.identity.api_name(),
        },
        "dry_run": result.dry_run,
        "outcomes": result.outcomes,
        "summary": counts_json(kind, &result.outcomes),
        "timing": { "submit_seconds": result.submit_seconds },
    })
}

/// At most this many rows are annotated one by one: GitHub shows about ten
/// annotations of a step, and an interrupted run of thousands of rows would
/// bury the ones that matter.
pub const ANNOTATED_ROWS: usize = 5;

/// A GitHub Actions annotation for each of the first rows that need
/// another run (failed and unknown rows first: they say something about
/// the server; rows not sent only that the run stopped), one error for the
/// rest, and a notice with the counts. `file` is the input file the lines
/// refer to.
pub fn github(kind: RunKind, file: Option<&str>, outcomes: &[RowOutcome]) -> String {
    let mut out = String::new();
    let mut pending: Vec<&RowOutcome> = outcomes
        .iter()
        .filter(|o| o.outcome.needs_rerun())
        .collect();
    // Stable: rows keep their order within each group.
    pending.sort_by_key(|o| matches!(o.outcome, super::outcome::Outcome::NotSubmitted { .. }));
    let rest = pending.split_off(pending.len().min(ANNOTATED_ROWS));
    for row in pending {
        let (error_type, message) = row.outcome.explanation();
        let title = match row.outcome.name() {
            "not_submitted" => "not submitted".to_string(),
            "unknown" => format!("{} unknown: {error_type}", kind.write()),
            "partial" => format!("{} partly done: {error_type}", kind.write()),
            _ => format!("{} failed: {error_type}", kind.write()),
        };
        let mut place = Vec::new();
        if let (Some(file), Some(line)) = (file, row.line) {
            place.push(format!("file={},line={line}", github::property(file)));
        }
        place.push(format!("title={}", github::property(&title)));
        out.push_str(&format!(
            "::error {}::{}: {}\n",
            place.join(","),
            github::data(&row.user_login),
            github::data(message)
        ));
    }
    if !rest.is_empty() {
        let counts = Tally::of(rest.iter().copied());
        let parts: Vec<String> = ["partial", "failed", "unknown", "not_submitted"]
            .iter()
            .filter(|n| count(&counts, n) > 0)
            .map(|n| format!("{} {}", count(&counts, n), n.replace('_', " ")))
            .collect();
        let place = file.map_or(String::new(), |f| format!("file={},", github::property(f)));
        out.push_str(&format!(
            "::error {place}title={}::{} more rows need another run ({}); the run's output and \
             --report list every row; run the same command again to finish\n",
            github::property(&format!("{} more rows", rest.len())),
            rest.len(),
            parts.join(", ")
        ));
    }
    let tally = Tally::of(outcomes);
    let parts: Vec<String> = kind
        .outcomes()
        .iter()
        .map(|n| format!("{} {}", count(&tally, n), n.replace('_', " ")))
        .collect();
    out.push_str(&format!(
        "::notice title={}::{}\n",
        kind.command(),
        parts.join(", ")
    ));
    out
}

/// For a run interrupted before its plan was made: the output files it was
/// asked for and did not write, each in a line, so a CI step that expects
/// them knows why they are missing.
pub fn not_written(outputs: &[(&str, Option<&std::path::Path>)]) -> Vec<String> {
    outputs
        .iter()
        .filter_map(|(flag, path)| {
            path.map(|path| {
                format!(
                    "{flag} {} was not written: the run stopped before its rows were planned",
                    path.display()
                )
            })
        })
        .collect()
}

/// The closing lines on stderr: why the run stopped, and where its files are.
pub fn closing_lines(
    result: &RunResult,
    explain: impl Fn(&crate::connect::ApiError) -> String,
) -> Vec<String> {
    let tally = result.tally();
    let mut lines = Vec::new();
    if let Some(err) = &result.output_error {
        lines.push(format!("connect-users: error: {err:#}"));
        lines.push(if tally.written() > 0 {
            "the run stopped: the rows written so far are in the outcomes above; run the same command again to finish".into()
        } else {
            "nothing was written".into()
        });
    }
    match &result.stopped {
        Stopped::Fatal(err) => lines.push(format!(
            "connect-users: error: the run stopped after {}: {}; {} rows were not sent",
            err.code,
            explain(err),
            tally.not_submitted
        )),
        Stopped::Interrupted if result.output_error.is_none() => lines.push(format!(
            "interrupted: {} rows were not sent; run the same command again to finish",
            tally.not_submitted
        )),
        _ => {}
    }
    if tally.partial > 0 {
        lines.push(format!(
            "{} rows are partly done: the fields changed and those not changed are listed with \
             each; running the same command again finishes them",
            tally.partial
        ));
    }
    if tally.unknown > 0 {
        lines.push(format!(
            "{} rows are unknown: the service did not answer in time, so they may or may not have been written; running the same command again settles them",
            tally.unknown
        ));
    }
    let unproven = result
        .outcomes
        .iter()
        .filter(|row| {
            matches!(
                row.outcome,
                super::outcome::Outcome::Exists {
                    unproven: Some(_),
                    ..
                }
            )
        })
        .count();
    if unproven > 0 {
        lines.push(format!(
            "{unproven} users exist with their rows' data after an attempt of this run lost its \
             answer: this run may or may not have created them (another job may have), so they \
             are `exists`, not `created`; passwords generated for them are `not proven`: reset them"
        ));
    }
    for (what, path, written) in &result.outputs {
        let rows = crate::output::plural(*written, "row");
        lines.push(format!("{what}: {} ({rows})", path.display()));
    }
    // The service's messages and the paths are shown, not obeyed.
    lines
        .into_iter()
        .map(|line| visible_lines(&line).into_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::outcome::Outcome;

    fn rows() -> Vec<RowOutcome> {
        vec![
            RowOutcome {
                line: Some(2),
                user_login: "aiko.sato".into(),
                outcome: Outcome::Created {
                    user_id: "u1".into(),
                    user_arn: "arn:u1".into(),
                },
            },
            RowOutcome {
                line: Some(3),
                user_login: "bo".into(),
                outcome: Outcome::Failed {
                    error_type: "InvalidParameterException".into(),
                    message: "a, b\nc".into(),
                },
            },
            RowOutcome {
                line: Some(4),
                user_login: "cy".into(),
                outcome: Outcome::Unknown {
                    error_type: "InternalServiceException".into(),
                    message: "no answer".into(),
                },
            },
        ]
    }

    #[test]
    fn github_annotates_rows_to_rerun_only() {
        assert_eq!(
            github(RunKind::Import, Some("agents.csv"), &rows()),
            "::error file=agents.csv,line=3,title=create failed%3A InvalidParameterException::bo: a, b%0Ac\n\
             ::error file=agents.csv,line=4,title=create unknown%3A InternalServiceException::cy: no answer\n\
             ::notice title=import apply::1 created, 0 exists, 1 failed, 1 unknown, 0 not submitted\n"
        );
    }

    #[test]
    fn an_interrupted_run_annotates_a_few_rows_and_sums_up_the_rest() {
        let mut outcomes = rows();
        outcomes.extend((5..56).map(|line| RowOutcome {
            line: Some(line),
            user_login: format!("u{line}"),
            outcome: Outcome::NotSubmitted {
                reason: "interrupted".into(),
            },
        }));
        let out = github(RunKind::Import, Some("agents.csv"), &outcomes);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), ANNOTATED_ROWS + 2, "{out}");
        // The failed and unknown rows first, then the first rows not sent.
        assert!(lines[0].contains("line=3,title=create failed"), "{out}");
        assert!(lines[1].contains("line=4,title=create unknown"), "{out}");
        assert!(lines[2].contains("line=5,title=not submitted"), "{out}");
        assert_eq!(
            lines[ANNOTATED_ROWS],
            "::error file=agents.csv,title=48 more rows::48 more rows need another run (48 not \
             submitted); the run's output and --report list every row; run the same command \
             again to finish"
        );
        assert!(lines[ANNOTATED_ROWS + 1].starts_with("::notice title=import apply::"));
    }

    #[test]
    fn table_lists_rows_to_rerun() {
        let text = table(RunKind::Import, &rows(), Some(120));
        assert!(text.contains("InvalidParameterException"), "{text}");
        assert!(text.contains("unknown"), "{text}");
        assert!(!text.contains("aiko.sato"), "{text}");
        assert!(!text.contains("changed"), "{text}");
    }

    #[test]
    fn json_counts_follow_the_kind() {
        let counts = counts_json(RunKind::AgentsSet, &rows());
        assert_eq!(counts["failed"], 1);
        assert!(counts.get("created").is_none());
    }
}
