//! The validated user of a row without errors, built from its cells: what
//! the plan, the review and the JSON output ask a kept row for.

use crate::identity::Identity;
use crate::secret::Secret;
use crate::template::Column;
use crate::user::{PhoneType, UserSpec, VoiceEnhancementMode};

use super::cells::CellSource;
use super::fields;
use super::header::Layout;
use super::lists;

/// The validated user of a row without errors.
pub(crate) fn build_spec<R: CellSource + ?Sized>(
    layout: &Layout,
    record: &R,
    line: u64,
    identity: Identity,
) -> UserSpec {
    let text = |column| layout.cell(record, column).unwrap_or("").trim();
    let accepted = |column: Column| {
        if column.accepts_values(identity) {
            text(column)
        } else {
            ""
        }
    };
    let optional = |column: Column| {
        Some(fields::to_nfc(accepted(column)).into_owned()).filter(|s| !s.is_empty())
    };
    let phone_type =
        fields::parse_phone_type(text(Column::PhoneType)).unwrap_or(PhoneType::SoftPhone);
    let desk = phone_type == PhoneType::DeskPhone;
    // A settings column the file lacks is `None`; one it has states its
    // value, an empty cell the default.
    let stated = |column| layout.has(column).then(|| text(column));
    let yes = |column| {
        stated(column).map(|text| fields::parse_yes_no(text).ok().flatten().unwrap_or(false))
    };
    let password = layout.cell(record, Column::Password).unwrap_or("");
    UserSpec {
        line,
        login: text(Column::Login).to_owned(),
        first_name: optional(Column::FirstName),
        last_name: optional(Column::LastName),
        email: optional(Column::Email),
        secondary_email: optional(Column::SecondaryEmail),
        mobile: optional(Column::Mobile),
        password: (identity == Identity::ConnectManaged && !password.is_empty())
            .then(|| Secret::new(password)),
        routing_profile: fields::to_nfc(text(Column::RoutingProfile)).into_owned(),
        security_profiles: lists::parse_names(&fields::to_nfc(text(Column::SecurityProfiles))),
        hierarchy: lists::parse_names(&fields::to_nfc(text(Column::Hierarchy))),
        phone_type,
        phone_number: optional(Column::PhoneNumber).filter(|_| desk),
        auto_accept: yes(Column::AutoAccept),
        acw_timeout: stated(Column::AcwTimeout).map(|text| fields::parse_acw(text).unwrap_or(0)),
        persistent_connection: yes(Column::PersistentConnection).map(|on| on && !desk),
        audio_enhancement: stated(Column::AudioEnhancement).map(|text| {
            match fields::parse_audio_enhancement(text) {
                Some(mode) if !desk => mode,
                _ => VoiceEnhancementMode::None,
            }
        }),
        tags: lists::parse_tags(&fields::to_nfc(text(Column::Tags))),
    }
}
