//! The round trip of issue 10: `agents export` from instance A, `import
//! apply` to an empty instance B with the same names, export from B gives
//! the same file, and applying it to A again is all `exists` — for
//! connect-managed (with generated passwords, which log in and appear
//! nowhere else) and SAML. The real binary against `local serve` instances
//! on loopback, every outcome read back from the servers.
use crate::support;

use crate::support::export::{
    assert_validates, header_and_rows, template_header, AGENTS, EMPTY_COPY, EVERY_FIELD,
    PARTIAL_COPY, SAML_AGENTS, SAML_EMPTY,
};
use support::apply::{
    check_password, command, generated_passwords, leaked, report_rows, run, usernames,
};

const FAST: [&str; 4] = ["--rate", "1000", "--burst", "100"];

/// The logins of agents.toml, sorted.
const AGENT_LOGINS: [&str; 13] = [
    "japan.desk",
    "japan.kai",
    "lead.max",
    "sales.ava",
    "sales.ben",
    "sales.cora",
    "sales.desk",
    "sales.dev",
    "sales.eli",
    "support.desk",
    "support.gus",
    "support.hana",
    "tier2.jo",
];

#[test]
fn connect_managed_agents_copy_with_generated_passwords_and_export_the_same() {
    let (a, b) = (AGENTS.serve(), EMPTY_COPY.serve());
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();

    let from_a = dir.join("from-a.csv");
    let exported = run(&mut AGENTS.export(dir, &a, "from-a.csv", &FAST));
    assert_eq!(exported.code, Some(0), "{exported}");
    assert!(exported.stdout.is_empty(), "{exported}");
    assert!(
        exported.stderr.contains("wrote 13 users")
            && exported
                .stderr
                .contains("import apply from-a.csv --generate-passwords PATH"),
        "{exported}"
    );
    assert!(!exported.stderr.contains("warning"), "{exported}");
    let (header, rows) = header_and_rows(&from_a);
    assert_eq!(header, template_header("connect-managed"));
    assert_eq!(rows.len(), 13);

    // As it is, the file validates for a run that generates passwords, and
    // only for one: its password cells are empty.
    assert_validates(dir, &from_a, &["--generate-passwords"]);
    let refused = run(command(dir).args(["import", "validate"]).arg(&from_a));
    assert_eq!(refused.code, Some(1), "{refused}");
    assert!(refused.stdout.contains("password-required"), "{refused}");

    // Into B, every password generated.
    std::fs::create_dir(dir.join("secure")).unwrap();
    let passwords = dir.join("secure/passwords.csv");
    let report = dir.join("report.jsonl");
    let applied = run(EMPTY_COPY
        .apply(dir, &b, &from_a, &FAST)
        .arg("--generate-passwords")
        .arg(&passwords)
        .arg("--report")
        .arg(&report));
    assert_eq!(applied.code, Some(0), "{applied}");
    assert_eq!(applied.summary(), (13, 0, 0, 0), "{applied}");
    let generated = generated_passwords(&passwords);
    let mut logins: Vec<&str> = generated.iter().map(|g| g.login.as_str()).collect();
    logins.sort();
    assert_eq!(logins, AGENT_LOGINS);
    for row in &generated {
        assert_eq!(
            check_password(&b, EMPTY_COPY.id, &row.login, &row.password),
            "matches",
            "{}",
            row.login
        );
    }
    assert_eq!(report_rows(&report).len(), 13);

    // B exports the same file, row order aside.
    let from_b = dir.join("from-b.csv");
    let again = run(&mut EMPTY_COPY.export(dir, &b, "from-b.csv", &FAST));
    assert_eq!(again.code, Some(0), "{again}");
    assert_eq!(header_and_rows(&from_b), header_and_rows(&from_a));

    // Back to A: every user exists as the file says; nothing is created.
    let back = run(AGENTS
        .apply(dir, &a, &from_b, &FAST)
        .arg("--generate-passwords")
        .arg(dir.join("secure/unused.csv")));
    assert_eq!(back.code, Some(0), "{back}");
    assert_eq!(back.summary(), (0, 13, 0, 0), "{back}");
    assert_eq!(a.count("CreateUser", "200"), 0);
    assert_eq!(usernames(&a, AGENTS.id).len(), 13);

    // The generated passwords are in their file only.
    let secrets: Vec<String> = generated.iter().map(|g| g.password.clone()).collect();
    let mut outputs = vec![
        ("export from A", exported.stdout + &exported.stderr),
        ("apply to B", applied.stdout + &applied.stderr),
        ("export from B", again.stdout + &again.stderr),
        ("apply to A", back.stdout + &back.stderr),
        ("server log of A", a.log()),
        ("server log of B", b.log()),
    ];
    for file in [&report, &from_a, &from_b] {
        outputs.push(("a file", std::fs::read_to_string(file).unwrap()));
    }
    for (what, text) in &outputs {
        assert!(leaked(text, &secrets).is_empty(), "a password in {what}");
    }
}

#[test]
fn names_the_target_lacks_are_errors_with_suggestions_before_anything_is_created() {
    let (a, b) = (AGENTS.serve(), PARTIAL_COPY.serve());
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let exported = run(&mut AGENTS.export(dir, &a, "agents.csv", &FAST));
    assert_eq!(exported.code, Some(0), "{exported}");
    let passwords = dir.join("passwords.csv");
    let applied = run(PARTIAL_COPY
        .apply(dir, &b, &dir.join("agents.csv"), &FAST)
        .arg("--generate-passwords")
        .arg(&passwords));
    assert_eq!(applied.code, Some(1), "{applied}");
    let json = applied.json();
    let findings = json["findings"].as_array().expect("findings");
    let said = |code: &str, login_line_value: &str, suggestion: &str| {
        assert!(
            findings.iter().any(|f| f["code"] == code
                && f["value"] == login_line_value
                && f["message"].as_str().unwrap().contains(suggestion)),
            "no {code} for {login_line_value} suggesting {suggestion}:\n{applied}"
        );
    };
    said(
        "unknown-routing-profile",
        "Japan Support",
        "\"Japan support\"",
    );
    said(
        "unknown-security-profile",
        "QualityAnalyst",
        "\"Quality Analyst\"",
    );
    said(
        "unknown-hierarchy-group",
        "Japan|Osaka|Team Kansai",
        "Kansai",
    );
    assert_eq!(b.count("CreateUser", "200"), 0);
    assert!(usernames(&b, PARTIAL_COPY.id).is_empty());
    assert!(!passwords.exists(), "no password was generated");
}

#[test]
fn saml_agents_copy_and_export_the_same() {
    let (a, b) = (SAML_AGENTS.serve(), SAML_EMPTY.serve());
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let from_a = dir.join("from-a.csv");
    let exported = run(&mut SAML_AGENTS.export(dir, &a, "from-a.csv", &FAST));
    assert_eq!(exported.code, Some(0), "{exported}");
    assert!(!exported.stderr.contains("warning"), "{exported}");
    assert!(!exported.stderr.contains("password"), "{exported}");
    let (header, rows) = header_and_rows(&from_a);
    assert_eq!(header, template_header("saml"));
    assert_eq!(
        rows,
        [
            "Emma,Hughes,,,emma.hughes@example.com,Sales Inbound,Agent,,soft,,no,0,no,none,\
             shift|early||team|sales",
            "Jordan,Blake,,,lead.ops,Basic Routing Profile,Admin|CallCenterManager,\
             North America|Dallas|Team Lone Star,soft,,yes,30,no,isolate voice,",
            "Noah,Campbell,noah@example.org,+12065550190,noah.campbell@example.com,Support Tier 1,\
             Agent|QualityAnalyst,North America|Seattle|Team Orca,soft,,yes,60,yes,suppress noise,\
             team|support",
            "健太,渡辺,,,kenta.watanabe@example.co.jp,Japan Support,Agent,Japan|Tokyo|Team Fuji,\
             desk,+81665550122,no,120,no,none,",
        ]
    );
    assert_validates(dir, &from_a, &["--identity", "saml"]);

    let applied = run(&mut SAML_EMPTY.apply(dir, &b, &from_a, &FAST));
    assert_eq!(applied.code, Some(0), "{applied}");
    assert_eq!(applied.summary(), (4, 0, 0, 0), "{applied}");

    let from_b = dir.join("from-b.csv");
    let again = run(&mut SAML_EMPTY.export(dir, &b, "from-b.csv", &FAST));
    assert_eq!(again.code, Some(0), "{again}");
    assert_eq!(header_and_rows(&from_b), header_and_rows(&from_a));

    let back = run(&mut SAML_AGENTS.apply(dir, &a, &from_b, &FAST));
    assert_eq!(back.code, Some(0), "{back}");
    assert_eq!(back.summary(), (0, 4, 0, 0), "{back}");
    assert_eq!(a.count("CreateUser", "200"), 0);
}

#[test]
fn a_user_with_every_field_set_is_exported_whole_and_copies_back_the_same() {
    let (a, b) = (EVERY_FIELD.serve(), EMPTY_COPY.serve());
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let from_a = dir.join("every-field.csv");
    let exported = run(&mut EVERY_FIELD.export(dir, &a, "every-field.csv", &FAST));
    assert_eq!(exported.code, Some(0), "{exported}");
    assert!(!exported.stderr.contains("warning"), "{exported}");
    let mut expected = String::from("\u{feff}");
    expected.push_str(&template_header("connect-managed"));
    expected.push_str(
        "\r\n\
         健太,渡辺,full.desk@example.com,kenta.watanabe@example.jp,+819012340077,full.desk,,\
         Japan Support,Agent|CallCenterManager,Japan|Tokyo|Team Fuji,desk,+81355550177,no,120,\
         no,none,language|ja||team|japan\r\n\
         Zoë,\"O'Neill, Jr.\",full.soft@example.com,zoe.oneill@example.org,+12065550177,\
         full.soft,,Support Tier 2,Agent|QualityAnalyst,North America|Seattle|Team Rainier,soft,,\
         yes,45,yes,isolate voice,cost center|=4711||site|Seattle WA||team|tier2\r\n",
    );
    assert_eq!(std::fs::read_to_string(&from_a).unwrap(), expected);
    assert_validates(dir, &from_a, &["--generate-passwords"]);

    let passwords = dir.join("passwords.csv");
    let applied = run(EMPTY_COPY
        .apply(dir, &b, &from_a, &FAST)
        .arg("--generate-passwords")
        .arg(&passwords));
    assert_eq!(applied.code, Some(0), "{applied}");
    assert_eq!(applied.summary(), (2, 0, 0, 0), "{applied}");
    let again = run(&mut EMPTY_COPY.export(dir, &b, "copy.csv", &FAST));
    assert_eq!(again.code, Some(0), "{again}");
    assert_eq!(
        std::fs::read_to_string(dir.join("copy.csv")).unwrap(),
        expected
    );
    let back = run(EVERY_FIELD
        .apply(dir, &a, &from_a, &FAST)
        .arg("--generate-passwords")
        .arg(dir.join("unused.csv")));
    assert_eq!(back.summary(), (0, 2, 0, 0), "{back}");
}
