//! Unit tests for one row: cross-field rules, the built user and its
//! defaults, and what counts as the same value for duplicates.

use super::*;
use crate::validate::header;
use crate::validate::spec::build_spec;

const HEADER: &str = "first name,last name,user login,password,routing profile name,\
    security_profile_name_1|security_profile_name_2,user_hierarchy_1|user_hierarchy_2,\
    phone type (soft/desk),phone number,soft phone auto accept (yes/no),ACW timeout (seconds),\
    persistent connection (yes/no),tags,audio enhancement";

fn layout(identity: Identity) -> Layout {
    let record = Record::from(HEADER.split(',').collect::<Vec<_>>());
    header::analyze(&record, 1, identity, &mut Vec::new()).unwrap()
}

fn record(cells: &str) -> Record {
    let mut record = Record::new();
    crate::input::rows::CsvRows::new(cells, b',')
        .read(&mut record)
        .unwrap();
    record
}

fn codes(row: &str) -> Vec<String> {
    let mut out = Vec::new();
    let errors = check_row(
        &layout(Identity::ConnectManaged),
        &record(row),
        2,
        Identity::ConnectManaged,
        EmptyPassword::Refused,
        &mut out,
    );
    assert_eq!(errors, out.iter().any(Finding::is_error));
    out.into_iter().map(|f| f.code).collect()
}

const SOFT: &str =
    "Taro,Yamada,t.yamada,Passw0rdA,Japan Support,Agent,Japan|Tokyo,soft,,yes,30,yes,team|sakura,";

#[test]
fn a_good_row_has_no_findings() {
    assert!(codes(SOFT).is_empty());
}

#[test]
fn a_desk_phone_needs_a_number() {
    let row = SOFT
        .replace(",soft,", ",desk,")
        .replace(",yes,30,yes,", ",no,30,no,");
    assert_eq!(codes(&row), ["desk-phone-needs-number"]);
    let row = row.replace(",desk,,", ",desk,+81355500119,");
    assert!(codes(&row).is_empty());
}

#[test]
fn a_number_on_a_softphone_is_ignored_with_a_warning() {
    let row = SOFT.replace(",soft,,", ",soft,+81355500119,");
    assert_eq!(codes(&row), ["phone-number-ignored"]);
    let row = SOFT.replace(",soft,,", ",soft,12345,");
    assert_eq!(
        codes(&row),
        ["phone-number-invalid"],
        "an invalid number is an error, not also a warning"
    );
}

#[test]
fn persistent_connection_on_a_desk_phone_is_ignored_with_a_warning() {
    let row = SOFT.replace(",soft,,", ",desk,+81355500119,");
    assert_eq!(codes(&row), ["persistent-connection-ignored"]);
}

#[test]
fn audio_enhancement_on_a_desk_phone_is_ignored_with_a_warning() {
    let row = SOFT
        .replace(",soft,,", ",desk,+81355500119,")
        .replace(",yes,team|sakura,", ",no,team|sakura,suppress noise");
    assert_eq!(codes(&row), ["audio-enhancement-ignored"]);
    let none = row.replace("suppress noise", "none");
    assert!(codes(&none).is_empty());
    let spec = build_spec(
        &layout(Identity::ConnectManaged),
        &record(&row),
        2,
        Identity::ConnectManaged,
    );
    assert_eq!(spec.audio_enhancement, Some(VoiceEnhancementMode::None));
    let soft = build_spec(
        &layout(Identity::ConnectManaged),
        &record(&SOFT.replace(",team|sakura,", ",team|sakura,Isolate Voice")),
        2,
        Identity::ConnectManaged,
    );
    assert_eq!(
        soft.audio_enhancement,
        Some(VoiceEnhancementMode::VoiceIsolation)
    );
}

#[test]
fn every_problem_of_a_row_is_reported() {
    let row = ",,bad login!,weak,,,a|b|c|d|e|f,fax,+0,maybe,-5,perhaps,aws:x|y,loud";
    assert_eq!(
        codes(row),
        [
            "first-name-required",
            "last-name-required",
            "login-invalid-character",
            "password-length",
            "password-weak",
            "routing-profile-required",
            "security-profiles-required",
            "hierarchy-too-deep",
            "phone-type-invalid",
            "phone-number-invalid",
            "auto-accept-invalid",
            "acw-invalid",
            "persistent-connection-invalid",
            "tag-key-invalid",
            "audio-enhancement-invalid",
        ]
    );
}

#[test]
fn the_built_user_is_normalised() {
    let row = "Taro,Yamada, t.yamada ,Passw0rdA,Japan Support,Agent | Agent|QualityAnalyst,\
        Japan| Tokyo ,DESK_PHONE,+81355500119,YES,,Yes,b|2||a|1,none";
    let spec = build_spec(
        &layout(Identity::ConnectManaged),
        &record(row),
        9,
        Identity::ConnectManaged,
    );
    assert_eq!(spec.line, 9);
    assert_eq!(spec.login, "t.yamada");
    assert_eq!(
        spec.password.as_ref().map(|p| p.expose()),
        Some("Passw0rdA")
    );
    assert_eq!(spec.security_profiles, ["Agent", "QualityAnalyst"]);
    assert_eq!(spec.hierarchy, ["Japan", "Tokyo"]);
    assert_eq!(spec.phone_type, PhoneType::DeskPhone);
    assert_eq!(spec.phone_number.as_deref(), Some("+81355500119"));
    assert_eq!(spec.auto_accept, Some(true));
    assert_eq!(spec.acw_timeout, Some(0), "an empty cell is the default");
    assert_eq!(
        spec.persistent_connection,
        Some(false),
        "ignored for desk phones"
    );
    assert_eq!(spec.tags.len(), 2);
}

#[test]
fn the_built_user_drops_a_softphone_number_and_decomposed_text() {
    let row = "\u{30ab}\u{3099}ラス,Yamada,t.yamada,Passw0rdA,Japan Support,Agent,,soft,+81355500119,,,,,";
    let spec = build_spec(
        &layout(Identity::ConnectManaged),
        &record(row),
        2,
        Identity::ConnectManaged,
    );
    assert_eq!(spec.phone_number, None);
    assert_eq!(spec.first_name.as_deref(), Some("ガラス"));
    assert_eq!(codes(row), ["not-nfc", "phone-number-ignored"]);
}

#[test]
fn saml_users_carry_no_password() {
    let spec = build_spec(&layout(Identity::Saml), &record(SOFT), 2, Identity::Saml);
    assert!(spec.password.is_none());
}

#[test]
fn same_meaning_is_the_same_value() {
    assert_eq!(
        canonical(Column::AutoAccept, " YES "),
        canonical(Column::AutoAccept, "はい")
    );
    assert_eq!(
        canonical(Column::AutoAccept, ""),
        canonical(Column::AutoAccept, "no")
    );
    assert_eq!(
        canonical(Column::PhoneType, "SOFT_PHONE"),
        canonical(Column::PhoneType, "")
    );
    assert_eq!(
        canonical(Column::AcwTimeout, "030"),
        canonical(Column::AcwTimeout, "30")
    );
    assert_eq!(
        canonical(Column::SecurityProfiles, "Agent | Admin"),
        canonical(Column::SecurityProfiles, "Agent|Admin")
    );
    assert_ne!(
        canonical(Column::SecurityProfiles, "Admin|Agent"),
        canonical(Column::SecurityProfiles, "Agent|Admin")
    );
    assert_eq!(
        canonical(Column::Tags, "b|2||a|1"),
        canonical(Column::Tags, "a|1||b|2")
    );
    assert_ne!(
        canonical(Column::Password, "Passw0rdA "),
        canonical(Column::Password, "Passw0rdA")
    );
    assert_ne!(
        canonical(Column::RoutingProfile, "sales"),
        canonical(Column::RoutingProfile, "Sales")
    );
    assert_eq!(
        canonical(Column::AudioEnhancement, "isolate voice"),
        canonical(Column::AudioEnhancement, "VOICE_ISOLATION")
    );
    assert_eq!(
        canonical(Column::AudioEnhancement, ""),
        canonical(Column::AudioEnhancement, "None")
    );
    assert_ne!(
        canonical(Column::AudioEnhancement, "suppress noise"),
        canonical(Column::AudioEnhancement, "isolate voice")
    );
}

#[test]
fn row_traits_find_non_ascii_and_control_bytes() {
    let traits = |cells: Vec<&str>| {
        let t = RowTraits::of(&Record::from(cells));
        (t.ascii, t.controls)
    };
    assert_eq!(traits(vec!["Taro", "Yamada"]), (true, false));
    assert_eq!(traits(vec!["Taro\nYamada"]), (true, true));
    assert_eq!(traits(vec!["del\x7f"]), (true, true));
    assert_eq!(traits(vec!["山田"]), (false, true));
    assert_eq!(traits(vec![""]), (true, false));
}
