use super::*;

/// The logins read, with whether each may be shown and its line.
fn read_ok(text: &str) -> Vec<(String, u64, bool)> {
    read("f.csv", text.as_bytes())
        .unwrap()
        .into_iter()
        .map(|l| match l.origin {
            Origin::File { line, shown, .. } => (l.login, line, shown),
            Origin::Flag => unreachable!(),
        })
        .collect()
}

const HEADER: &str = "first name,last name,user login,password,routing profile name";

#[test]
fn logins_come_from_the_login_column_in_any_template_spelling() {
    let file = "\u{feff}first name,User Login,password\nA,a.lee,Secret1a\n,,\nB, b.kim ,Secret2b\n";
    assert_eq!(
        read_ok(file),
        [("a.lee".into(), 2, true), ("b.kim".into(), 4, true)]
    );
    let err = read("f.csv", b"name,mail\nA,a@example.com\n").unwrap_err();
    assert!(err.to_string().contains("no `user login` column"), "{err}");
    let err = read("f.csv", b"user login\n\n").unwrap_err();
    assert!(err.to_string().contains("no logins"), "{err}");
}

#[test]
fn a_file_without_a_header_is_refused_without_quoting_its_first_row() {
    let err = read("f.csv", b"Ann,Lee,a.lee,Zq9Leak0201,Sales\n").unwrap_err();
    let text = err.to_string();
    assert!(text.contains("f.csv:1:"), "{text}");
    assert!(!text.contains("Zq9Leak0201"), "{text}");
}

#[test]
fn a_row_with_a_cell_too_few_is_refused_by_line_without_its_cells() {
    // The cell before the password is missing: the password sits under `user login`.
    let file = format!("{HEADER}\nAnn,Lee,a.lee,Passw0rdA,Sales\nBo,Zq9Leak0201,Passw0rdB,Sales\n");
    let err = read("f.csv", file.as_bytes()).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("the row on line 3 does not line up"),
        "{text}"
    );
    assert!(
        !text.contains("Zq9Leak0201") && !text.contains("Passw0rd"),
        "{text}"
    );
}

#[test]
fn a_quote_that_never_closes_is_refused() {
    let file =
        format!("{HEADER}\nAnn,Lee,a.lee,Passw0rdA,Sales\nBo,\"Ito,b.ito,Zq9Leak0201,Sales\n");
    let err = read("f.csv", file.as_bytes()).unwrap_err();
    assert!(
        err.to_string()
            .contains("the row on line 3 does not line up"),
        "{err}"
    );
    assert!(!err.to_string().contains("Zq9Leak0201"), "{err}");
}

#[test]
fn a_login_is_shown_only_where_its_row_cannot_hide_a_password() {
    let file = format!(
        "{HEADER}\n\
         Ann,Lee,a.lee,Passw0rdA,Sales\n\
         Bo,Ito,Zq9Leak0201,Sales,Basic\n\
         Cy,Oda,c.oda,,Sales\n\
         Di,Kim,Zq9Leak0202,,Sales\n\
         Ed,Ra,e.ra,weak,Sales\n"
    );
    assert_eq!(
        read_ok(&file),
        [
            // A valid password in its cell: the row lines up.
            ("a.lee".into(), 2, true),
            // Same width, but the password cell holds a name: shifted.
            ("Zq9Leak0201".into(), 3, false),
            // An empty password cell (an export's): a cell too few before
            // it and one too many after may have moved an empty cell there
            // and the password into `user login`.
            ("c.oda".into(), 4, false),
            ("Zq9Leak0202".into(), 5, false),
            // A weak password may be any cell shifted in.
            ("e.ra".into(), 6, false),
        ]
    );
    // Without a password column (a SAML template, a list of logins) every
    // login may be shown.
    assert_eq!(
        read_ok("user login\nZq9Leak0201\n"),
        [("Zq9Leak0201".into(), 2, true)]
    );
}

#[test]
fn messages_quote_a_login_only_when_it_may_be_shown() {
    let shown = SelectedLogin {
        login: "a.lee".into(),
        origin: Origin::File {
            file: "f.csv".into(),
            line: 2,
            shown: true,
        },
    };
    assert_eq!(shown.describe(), "f.csv:2: user login \"a.lee\"");
    let hidden = SelectedLogin {
        login: "Zq9Leak0201".into(),
        origin: Origin::File {
            file: "f.csv".into(),
            line: 3,
            shown: false,
        },
    };
    assert!(hidden
        .describe()
        .starts_with("f.csv:3: the user login (not shown"));
    assert!(!hidden.describe().contains("Zq9Leak0201"));
    assert_eq!(
        SelectedLogin::flag("x\u{1b}[2J").describe(),
        "--login \"x\\u{1b}[2J\""
    );
}

#[test]
fn the_logins_of_a_file_know_their_lines() {
    // A quoted cell over two lines: the next rows keep their physical lines.
    let text = "\u{feff}first name,user login\n\"Ann\nMarie\",A.Lee\n\n,b.kim\nx,a.lee\n";
    let selection = crate::agents::select::Selection {
        logins: read("f.csv", text.as_bytes()).unwrap(),
        ..Default::default()
    };
    let lines = selection.file_lines();
    assert_eq!(lines.get("a.lee"), Some(&2));
    assert_eq!(lines.get("b.kim"), Some(&5));
    assert_eq!(lines.len(), 2);
    // Logins given with --login have no line.
    let flags = crate::agents::select::Selection {
        logins: vec![SelectedLogin::flag("a.lee")],
        ..Default::default()
    };
    assert!(flags.file_lines().is_empty());
}
