//! Unit tests for the single-cell rules: one test per rule, each pinning
//! what is accepted and the rule id of what is not.

use super::*;
use crate::user::PhoneType;
use crate::validate::settings_cells::AcwError;

/// Runs a rule on `text` and returns the codes it reported.
fn codes(text: &str, rule: impl FnOnce(&Cell, &mut Report)) -> Vec<String> {
    let mut out = Vec::new();
    let mut report = Report {
        line: 2,
        out: &mut out,
        errors: false,
    };
    let cell = Cell {
        text,
        column: "col",
        secret: false,
        ascii: text.is_ascii(),
    };
    rule(&cell, &mut report);
    let errors = report.errors;
    assert_eq!(errors, out.iter().any(Finding::is_error));
    out.into_iter().map(|f| f.code).collect()
}

fn login_codes(text: &str, identity: Identity) -> Vec<String> {
    codes(text, |c, r| login(c, identity, r))
}

#[test]
fn login_rules() {
    let cm = Identity::ConnectManaged;
    assert!(login_codes("t.yamada", cm).is_empty());
    assert!(login_codes("agent_01-x", cm).is_empty());
    assert!(login_codes("testuser@example.com", Identity::Saml).is_empty());
    assert_eq!(login_codes("", cm), ["login-required"]);
    assert_eq!(login_codes("a".repeat(21).as_str(), cm), ["login-too-long"]);
    assert!(login_codes("a".repeat(21).as_str(), Identity::Saml).is_empty());
    assert_eq!(
        login_codes("a".repeat(65).as_str(), Identity::Saml),
        ["login-too-long"]
    );
    assert_eq!(
        login_codes("a".repeat(21).as_str(), Identity::ExistingDirectory),
        ["login-too-long"]
    );
    assert_eq!(login_codes("taro yamada", cm), ["login-invalid-character"]);
    assert_eq!(login_codes("山田", cm), ["login-invalid-character"]);
    assert_eq!(login_codes("testuser@example", cm), ["login-bad-at"]);
    assert_eq!(login_codes("a@b@c.com", cm), ["login-bad-at"]);
}

#[test]
fn login_too_long_counts_characters() {
    let mut out = Vec::new();
    let mut report = Report {
        line: 7,
        out: &mut out,
        errors: false,
    };
    let text = "averyveryverylonglogin";
    login(
        &Cell {
            text,
            column: "user login",
            secret: false,
            ascii: true,
        },
        Identity::ConnectManaged,
        &mut report,
    );
    assert_eq!(out[0].line, Some(7));
    assert_eq!(out[0].column.as_deref(), Some("user login"));
    assert_eq!(out[0].value.as_deref(), Some(text));
    assert_eq!(
        out[0].message,
        "is 22 characters long; a connect-managed login has at most 20"
    );
}

#[test]
fn password_rules_and_masking() {
    let pw = |t: &str| codes(t, |c, r| password(c, EmptyPassword::Refused, r));
    assert!(pw("Welcome2024").is_empty());
    assert!(pw("aB3!ü-€xyz").is_empty());
    assert_eq!(pw(""), ["password-required"]);
    assert_eq!(pw("Ab1"), ["password-length"]);
    assert_eq!(pw(&format!("Ab1{}", "x".repeat(62))), ["password-length"]);
    assert_eq!(pw("welcome2024"), ["password-weak"]);
    assert_eq!(pw("WelcomeHome"), ["password-weak"]);
    assert_eq!(pw("Welcome 2024"), ["password-whitespace"]);

    let mut out = Vec::new();
    let mut report = Report {
        line: 2,
        out: &mut out,
        errors: false,
    };
    password(
        &Cell {
            text: "short1A",
            column: "password",
            secret: true,
            ascii: true,
        },
        EmptyPassword::Refused,
        &mut report,
    );
    assert_eq!(out[0].value.as_deref(), Some("***"));
    assert!(!format!("{out:?}").contains("short1A"));
}

#[test]
fn generated_passwords_accept_an_empty_cell_and_nothing_weaker() {
    let pw = |t: &str| codes(t, |c, r| password(c, EmptyPassword::Generated, r));
    assert!(pw("").is_empty());
    assert!(pw("Welcome2024").is_empty());
    assert_eq!(pw("Ab1"), ["password-length"]);
    assert_eq!(pw("welcome2024"), ["password-weak"]);
    assert_eq!(pw("Welcome 2024"), ["password-whitespace"]);
    // A cell of spaces is not empty: it is a password with spaces.
    assert_eq!(
        pw("   "),
        ["password-length", "password-whitespace", "password-weak"]
    );
}

#[test]
fn name_rules() {
    let name_codes =
        |t: &str, column, identity| codes(t, |c, r| drop(name(c, column, identity, r)));
    let cm = Identity::ConnectManaged;
    assert!(name_codes("山田", Column::LastName, cm).is_empty());
    assert_eq!(
        name_codes("", Column::FirstName, cm),
        ["first-name-required"]
    );
    assert_eq!(name_codes("", Column::LastName, cm), ["last-name-required"]);
    assert_eq!(
        name_codes("", Column::FirstName, Identity::Saml),
        ["first-name-required"]
    );
    assert_eq!(
        name_codes(&"x".repeat(256), Column::FirstName, Identity::Saml),
        ["first-name-too-long"]
    );
    assert_eq!(
        name_codes(&"x".repeat(257), Column::LastName, cm),
        ["last-name-too-long"]
    );
    assert!(name_codes(&"x".repeat(300), Column::LastName, Identity::Saml).is_empty());
    assert_eq!(
        name_codes(&"x".repeat(301), Column::LastName, Identity::Saml),
        ["last-name-too-long"]
    );
}

#[test]
fn nfc_warns_and_normalizes() {
    // "ガ" written as カ + combining voiced mark, as macOS file names do.
    let decomposed = "\u{30ab}\u{3099}ラス";
    assert_eq!(codes(decomposed, |c, r| drop(nfc(c, r))), ["not-nfc"]);
    assert_eq!(to_nfc(decomposed), "ガラス");
    assert!(matches!(to_nfc("José"), Cow::Borrowed(_)));
    assert!(codes("José", |c, r| drop(nfc(c, r))).is_empty());
}

#[test]
fn email_rules() {
    let e = |t: &str| codes(t, |c, r| email(c, "email-invalid", r));
    assert!(e("").is_empty());
    assert!(e("taro.yamada@example.co.jp").is_empty());
    assert!(e("a+b@sub-domain.example.com").is_empty());
    for bad in [
        "taro",
        "taro@",
        "@example.com",
        "taro@example",
        "taro@@example.com",
        "ta ro@example.com",
        "taro@exa_mple.com",
        "taro@.com",
    ] {
        assert_eq!(e(bad), ["email-invalid"], "{bad}");
    }
}

#[test]
fn e164_rules_and_hints() {
    let p = |t: &str| {
        let mut out = Vec::new();
        let mut report = Report {
            line: 2,
            out: &mut out,
            errors: false,
        };
        e164(
            &Cell {
                text: t,
                column: "phone number",
                secret: false,
                ascii: t.is_ascii(),
            },
            "phone-number-invalid",
            &mut report,
        );
        out.into_iter().map(|f| f.message).collect::<Vec<_>>()
    };
    assert!(p("").is_empty());
    assert!(p("+14155550123").is_empty());
    assert!(p("+81").is_empty());
    assert!(p("+123456789012345").is_empty());
    assert_eq!(p("+1234567890123456").len(), 1);
    assert_eq!(p("+8").len(), 1);
    assert_eq!(p("+0123").len(), 1);
    assert!(p("+1 415-555-0123")[0].contains("write +14155550123"));
    assert!(p("0312345678")[0].contains("starts without +"));
    assert!(p("8.1312E+11")[0].contains("scientific notation"));
    assert!(p("＋８１３１２３４")[0].contains("half-width"));
}

#[test]
fn yes_no_rules() {
    assert_eq!(parse_yes_no("YES"), Ok(Some(true)));
    assert_eq!(parse_yes_no("No"), Ok(Some(false)));
    assert_eq!(parse_yes_no("はい"), Ok(Some(true)));
    assert_eq!(parse_yes_no("いいえ"), Ok(Some(false)));
    assert_eq!(parse_yes_no(""), Ok(None));
    for bad in ["y", "true", "1", "oui", "ja"] {
        assert_eq!(
            codes(bad, |c, r| {
                yes_no(c, "auto-accept-invalid", r);
            }),
            ["auto-accept-invalid"]
        );
    }
}

#[test]
fn phone_type_rules() {
    assert_eq!(parse_phone_type(""), Some(PhoneType::SoftPhone));
    assert_eq!(parse_phone_type("Soft"), Some(PhoneType::SoftPhone));
    assert_eq!(parse_phone_type("SOFT_PHONE"), Some(PhoneType::SoftPhone));
    assert_eq!(parse_phone_type("desk"), Some(PhoneType::DeskPhone));
    assert_eq!(parse_phone_type("desk_phone"), Some(PhoneType::DeskPhone));
    assert_eq!(
        codes("mobile", |c, r| {
            phone_type(c, r);
        }),
        ["phone-type-invalid"]
    );
}

#[test]
fn acw_rules() {
    assert_eq!(parse_acw(""), Ok(0));
    assert_eq!(parse_acw("0"), Ok(0));
    assert_eq!(parse_acw("30"), Ok(30));
    assert_eq!(parse_acw("2000000"), Ok(2_000_000));
    assert_eq!(parse_acw("0000000000120"), Ok(120));
    assert_eq!(parse_acw("2000001"), Err(AcwError::TooLarge));
    assert_eq!(
        parse_acw("99999999999999999999999"),
        Err(AcwError::TooLarge)
    );
    for bad in ["-1", "1.5", "30s", "1,000", "３０"] {
        assert_eq!(
            codes(bad, |c, r| {
                acw(c, r);
            }),
            ["acw-invalid"],
            "{bad}"
        );
    }
    assert_eq!(
        codes("3000000", |c, r| {
            acw(c, r);
        }),
        ["acw-out-of-range"]
    );
}

#[test]
fn audio_enhancement_values() {
    use crate::user::VoiceEnhancementMode as Mode;
    let accepted = [
        ("", Mode::None),
        ("none", Mode::None),
        ("None", Mode::None),
        ("NONE", Mode::None),
        ("isolate voice", Mode::VoiceIsolation),
        ("Isolate Voice", Mode::VoiceIsolation),
        ("voice isolation", Mode::VoiceIsolation),
        ("VOICE_ISOLATION", Mode::VoiceIsolation),
        ("suppress noise", Mode::NoiseSuppression),
        ("noise suppression", Mode::NoiseSuppression),
        ("NOISE_SUPPRESSION", Mode::NoiseSuppression),
    ];
    for (text, mode) in accepted {
        assert_eq!(parse_audio_enhancement(text), Some(mode), "{text:?}");
        assert!(
            codes(text, |c, r| {
                audio_enhancement(c, r);
            })
            .is_empty(),
            "{text:?}"
        );
    }
    for bad in ["loud", "isolate", "on", "yes"] {
        assert_eq!(parse_audio_enhancement(bad), None, "{bad:?}");
        assert_eq!(
            codes(bad, |c, r| {
                audio_enhancement(c, r);
            }),
            ["audio-enhancement-invalid"]
        );
    }
}

#[test]
fn audio_enhancement_errors_list_what_is_accepted() {
    let mut out = Vec::new();
    let mut report = Report {
        line: 2,
        out: &mut out,
        errors: false,
    };
    let cell = Cell {
        text: "loud",
        column: "audio enhancement",
        secret: false,
        ascii: true,
    };
    assert_eq!(audio_enhancement(&cell, &mut report), None);
    let message = &out[0].message;
    // Each value as a listed choice (`none` alone would also match the
    // closing "empty means none").
    for value in [
        "expected none,",
        "isolate voice",
        "suppress noise",
        "VOICE_ISOLATION",
    ] {
        assert!(message.contains(value), "{value}: {message}");
    }
}

#[test]
fn saml_needs_first_and_last_names() {
    let saml = |text: &str| {
        codes(text, |c, r| {
            drop(name(c, Column::LastName, Identity::Saml, r))
        })
    };
    assert_eq!(saml(""), ["last-name-required"]);
    assert!(saml("Lee").is_empty());
    let directory = |text: &str| {
        codes(text, |c, r| {
            drop(name(c, Column::FirstName, Identity::ExistingDirectory, r))
        })
    };
    assert!(directory("").is_empty());
}

#[test]
fn names_are_one_line() {
    assert!(codes("Mary Ann", one_line).is_empty());
    assert_eq!(codes("Mary\nAnn", one_line), ["control-character"]);
    assert_eq!(codes("Team\tOrca", one_line), ["control-character"]);
}
