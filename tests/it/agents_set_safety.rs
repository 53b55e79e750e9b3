//! `agents set` when the instance changes or fails under it: a user deleted
//! after the plan read it is `failed` (a re-run cannot bring it back), not
//! `not_submitted`; a read of the plan that fails says which read and that
//! nothing was changed.
use crate::support;

use std::process::Stdio;

use support::agents::{agents, agents_server, AGENTS_INSTANCE_ID};
use support::apply::{all_users, patient_client, run, Run};
use support::terminal::Pty;

const FAST: [&str; 4] = ["--rate", "1000", "--burst", "100"];

#[test]
fn a_user_deleted_before_its_update_is_failed() {
    let server = agents_server(&["--no-throttle"]);
    let dir = tempfile::tempdir().unwrap();
    // Asked on a terminal, so the user can be deleted between plan and write.
    let mut pty = Pty::open();
    let mut cmd = agents(dir.path(), &server, "set");
    let child = cmd
        .args([
            "--persistent-connection",
            "on",
            "--routing-profile",
            "Sales Inbound",
        ])
        .args(FAST)
        .args(["--format", "json"])
        .stdin(pty.stdio())
        .stderr(pty.stdio())
        .stdout(Stdio::piped())
        .spawn()
        .expect("starting agents set");
    cmd.stdin(Stdio::null()).stderr(Stdio::null());
    pty.release();
    pty.wait_for("[y/N]", 60);

    let (client, runtime) = patient_client(&server);
    runtime.block_on(async {
        let users = all_users(&client, AGENTS_INSTANCE_ID).await;
        let ava = users
            .iter()
            .find(|u| u.username() == Some("sales.ava"))
            .unwrap();
        client
            .delete_user()
            .instance_id(AGENTS_INSTANCE_ID)
            .user_id(ava.id().unwrap())
            .send()
            .await
            .expect("DeleteUser");
    });
    pty.type_in("y\n");
    // Whatever else it says on the terminal is read, so it never blocks.
    let drain = std::thread::spawn(move || pty.read_all());
    let result = Run::of(child.wait_with_output().unwrap());
    drain.join().unwrap();
    assert_eq!(result.code, Some(3), "{result}");
    let json = result.json();
    let outcomes = json["outcomes"].as_array().unwrap();
    let ava = outcomes
        .iter()
        .find(|o| o["user_login"] == "sales.ava")
        .unwrap();
    assert_eq!(ava["outcome"], "failed", "{ava}");
    assert_eq!(ava["error_type"], "ResourceNotFoundException", "{ava}");
    assert!(
        ava["message"]
            .as_str()
            .unwrap()
            .contains("no longer exists"),
        "{ava}"
    );
    // The others were changed.
    assert_eq!(json["summary"]["changed"], 3, "{json}");
}

#[test]
fn a_failed_read_of_the_plan_says_which_read_and_that_nothing_was_changed() {
    // Half of all requests fail, a fixed sequence of faults, two attempts
    // each: some runs give up on a read of the plan.
    let server = agents_server(&["--no-throttle", "--fail-rate", "0.5", "--fault-seed", "7"]);
    let dir = tempfile::tempdir().unwrap();
    let mut read_failures = 0;
    for _ in 0..20 {
        let out = run(agents(dir.path(), &server, "set")
            .args(["--persistent-connection", "on", "--yes"])
            .args(["--login", "sales.ava", "--login", "sales.ben"])
            .args(FAST)
            .args(["--concurrency", "1", "--max-attempts", "2"]));
        if out.code != Some(2) {
            continue;
        }
        assert!(
            !out.stderr.contains("error: InternalServiceException"),
            "a bare error: {out}"
        );
        if out.stderr.contains("cannot describe the instance") {
            continue;
        }
        // Which read, and that nothing was written.
        assert!(
            out.stderr
                .contains("cannot read the selected agents; nothing was written: cannot "),
            "{out}"
        );
        read_failures += 1;
        if read_failures == 2 {
            break;
        }
    }
    assert!(
        read_failures > 0,
        "no read of the plan failed: the test proved nothing"
    );
}
