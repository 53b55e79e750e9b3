//! The report of `agents set`: every row names the user's ARN, and — when
//! the agents were selected from a file — the line of that file.
use crate::support;

use support::agents::{agents, agents_server, described, AGENTS_INSTANCE_ID};
use support::apply::run;

#[test]
fn rows_selected_from_a_file_name_their_line_and_every_row_its_arn() {
    let server = agents_server(&["--no-throttle"]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("logins.csv");
    // sales.eli has persistent connection on already: unchanged.
    std::fs::write(
        &file,
        "first name,user login\nAva,SALES.AVA\n\nEli,sales.eli\n",
    )
    .unwrap();
    let report = dir.path().join("report.csv");
    let result = run(agents(dir.path(), &server, "set")
        .args(["--persistent-connection", "on", "--yes", "--report"])
        .arg(&report)
        .arg("--file")
        .arg(&file));
    assert_eq!(result.code, Some(0), "{result}");
    let users = described(&server, AGENTS_INSTANCE_ID);
    let text = std::fs::read_to_string(&report).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // Rows are written as they end: settled ones first.
    let mut cells: Vec<(&str, &str, &str, &str)> =
        rows.iter().map(|r| (&r[0], &r[1], &r[2], &r[4])).collect();
    cells.sort();
    assert_eq!(
        cells,
        [
            (
                "2",
                "sales.ava",
                "changed",
                users["sales.ava"].arn().unwrap()
            ),
            (
                "4",
                "sales.eli",
                "unchanged",
                users["sales.eli"].arn().unwrap()
            ),
        ],
        "{text}"
    );
}
