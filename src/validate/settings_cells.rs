//! The rules for the phone-settings cells: yes/no columns, phone type, ACW
//! timeout and audio enhancement. Like the other cell rules (see
//! [`super::fields`]), each reads a trimmed cell and reports with a message
//! saying what would be accepted; the `parse_*` functions are the same rules
//! without reporting.

use super::fields::{Cell, Report};
use crate::user::{PhoneType, VoiceEnhancementMode};

/// Longest ACW timeout the API accepts, in seconds.
pub(crate) const ACW_MAX: u64 = 2_000_000;

/// yes/no columns: `yes`/`no` in any case, `はい`/`いいえ`; empty takes the
/// default (`None`).
pub(crate) fn yes_no(cell: &Cell, code: &str, r: &mut Report) -> Option<bool> {
    parse_yes_no(cell.text).unwrap_or_else(|()| {
        r.error(
            cell,
            code,
            "is not yes or no; expected yes, no, はい or いいえ (any case; empty means no)",
        );
        None
    })
}

pub(crate) fn parse_yes_no(text: &str) -> Result<Option<bool>, ()> {
    if text.is_empty() {
        Ok(None)
    } else if text.eq_ignore_ascii_case("yes") || text == "はい" {
        Ok(Some(true))
    } else if text.eq_ignore_ascii_case("no") || text == "いいえ" {
        Ok(Some(false))
    } else {
        Err(())
    }
}

/// `phone type (soft/desk)`: `soft`/`desk` or the API's `SOFT_PHONE`/
/// `DESK_PHONE`, any case; empty means soft.
pub(crate) fn phone_type(cell: &Cell, r: &mut Report) -> Option<PhoneType> {
    let parsed = parse_phone_type(cell.text);
    if parsed.is_none() {
        r.error(
            cell,
            "phone-type-invalid",
            "is not a phone type; expected soft or desk (empty means soft)",
        );
    }
    parsed
}

pub(crate) fn parse_phone_type(text: &str) -> Option<PhoneType> {
    let is = |s: &str| text.eq_ignore_ascii_case(s);
    if text.is_empty() || is("soft") || is("soft_phone") {
        Some(PhoneType::SoftPhone)
    } else if is("desk") || is("desk_phone") {
        Some(PhoneType::DeskPhone)
    } else {
        None
    }
}

/// `ACW timeout (seconds)`: a whole number 0 to 2,000,000; empty means 0
/// (no limit).
pub(crate) fn acw(cell: &Cell, r: &mut Report) -> u32 {
    match parse_acw(cell.text) {
        Ok(seconds) => seconds,
        Err(AcwError::TooLarge) => {
            r.error(
                cell,
                "acw-out-of-range",
                format!(
                    "is more than {ACW_MAX} seconds; expected 0 to {ACW_MAX} (0 means no limit)"
                ),
            );
            0
        }
        Err(AcwError::NotANumber) => {
            let hint = if !cell.text.is_ascii() {
                "type the digits half-width; "
            } else {
                ""
            };
            r.error(
                cell,
                "acw-invalid",
                format!("is not a whole number of seconds; {hint}expected 0 to {ACW_MAX} (0 or empty means no limit)"),
            );
            0
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum AcwError {
    NotANumber,
    TooLarge,
}

pub(crate) fn parse_acw(text: &str) -> Result<u32, AcwError> {
    if text.is_empty() {
        return Ok(0);
    }
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AcwError::NotANumber);
    }
    let digits = text.trim_start_matches('0');
    if digits.len() > 7 {
        return Err(AcwError::TooLarge);
    }
    let seconds: u64 = digits.parse().unwrap_or(0);
    if seconds > ACW_MAX {
        return Err(AcwError::TooLarge);
    }
    Ok(seconds as u32)
}

/// The audio enhancement modes in every accepted spelling, up to the
/// closing parenthesis that each message ends in its own way.
macro_rules! audio_modes {
    () => {
        "none, isolate voice (or voice isolation), suppress noise (or noise suppression), or \
         the API names NONE, VOICE_ISOLATION, NOISE_SUPPRESSION (any case"
    };
}

/// What an `audio enhancement` cell accepts, for messages.
pub const AUDIO_ENHANCEMENT_VALUES: &str = concat!(audio_modes!(), "; empty means none)");

/// What `--audio-enhancement` accepts (a flag has no empty value).
pub const AUDIO_ENHANCEMENT_MODES: &str = concat!(audio_modes!(), ")");

/// `audio enhancement`: the voice enhancement mode, in the template's words,
/// their noun forms or the API's names, any case; empty means none.
pub(crate) fn audio_enhancement(cell: &Cell, r: &mut Report) -> Option<VoiceEnhancementMode> {
    let parsed = parse_audio_enhancement(cell.text);
    if parsed.is_none() {
        r.error(
            cell,
            "audio-enhancement-invalid",
            format!("is not an audio enhancement; expected {AUDIO_ENHANCEMENT_VALUES}"),
        );
    }
    parsed
}

pub fn parse_audio_enhancement(text: &str) -> Option<VoiceEnhancementMode> {
    if text.is_empty() {
        // Most cells: no work, no allocation.
        return Some(VoiceEnhancementMode::None);
    }
    // Spaces, underscores and case do not matter: `Isolate Voice`,
    // `VOICE_ISOLATION` and `voice isolation` are all accepted.
    let key: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_')
        .flat_map(char::to_lowercase)
        .collect();
    match key.as_str() {
        "" | "none" => Some(VoiceEnhancementMode::None),
        "isolatevoice" | "voiceisolation" => Some(VoiceEnhancementMode::VoiceIsolation),
        "suppressnoise" | "noisesuppression" => Some(VoiceEnhancementMode::NoiseSuppression),
        _ => None,
    }
}
