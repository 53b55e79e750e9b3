//! `agents list` output: a table with closing counts, JSON, or CSV. Pure:
//! each renderer returns a string or a value.

use serde::Serialize;
use serde_json::json;

use super::roster::Agent;
use crate::connect::InstanceInfo;
use crate::output::terminal_text::{cell, visible};
use crate::user::{PhoneType, VoiceEnhancementMode};

/// How many agents have which phone settings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub agents: usize,
    pub softphone: usize,
    pub persistent_connection_on: usize,
    pub persistent_connection_off: usize,
    pub desk_phone: usize,
    pub isolate_voice: usize,
    pub suppress_noise: usize,
}

impl Counts {
    pub fn of(agents: &[Agent]) -> Counts {
        let mut counts = Counts {
            agents: agents.len(),
            ..Counts::default()
        };
        for agent in agents {
            match agent.phone_type() {
                PhoneType::DeskPhone => counts.desk_phone += 1,
                PhoneType::SoftPhone if agent.persistent_connection() => {
                    counts.softphone += 1;
                    counts.persistent_connection_on += 1;
                }
                PhoneType::SoftPhone => {
                    counts.softphone += 1;
                    counts.persistent_connection_off += 1;
                }
            }
            match agent.voice_enhancement() {
                VoiceEnhancementMode::VoiceIsolation => counts.isolate_voice += 1,
                VoiceEnhancementMode::NoiseSuppression => counts.suppress_noise += 1,
                VoiceEnhancementMode::None => {}
            }
        }
        counts
    }
}

impl std::fmt::Display for Counts {
    /// `softphone agents: 212, persistent connection on: 40, off: 172; desk phone: 18`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "softphone agents: {}, persistent connection on: {}, off: {}; desk phone: {}",
            self.softphone,
            self.persistent_connection_on,
            self.persistent_connection_off,
            self.desk_phone
        )?;
        if self.isolate_voice + self.suppress_noise > 0 {
            write!(
                f,
                "; audio enhancement: isolate voice {}, suppress noise {}",
                self.isolate_voice, self.suppress_noise
            )?;
        }
        Ok(())
    }
}

/// The agents as a table, then the counts.
pub fn table(agents: &[Agent], width: Option<u16>) -> String {
    let mut out = String::new();
    if !agents.is_empty() {
        let mut table = crate::output::styled_table(width);
        table.set_header([
            "user login",
            "name",
            "phone",
            "persistent",
            "audio enhancement",
            "routing profile",
            "security profiles",
            "hierarchy",
        ]);
        for agent in agents {
            let phone = match (agent.phone_type(), &agent.settings.desk_phone_number) {
                (PhoneType::DeskPhone, Some(number)) => format!("desk {number}"),
                (phone, _) => phone.template_name().to_string(),
            };
            table.add_row(vec![
                cell(agent.login()),
                cell(agent.name()),
                cell(phone),
                cell(on_off(agent.persistent_connection())),
                cell(agent.voice_enhancement().template_name()),
                cell(&agent.routing_profile),
                cell(agent.security_profiles.join("|")),
                cell(agent.hierarchy.join("|")),
            ]);
        }
        out.push_str(&table.to_string());
        out.push('\n');
    }
    out.push_str(&format!(
        "{} agents: {}\n",
        agents.len(),
        Counts::of(agents)
    ));
    out
}

pub fn on_off(value: bool) -> &'static str {
    if value {
        "on"
    } else {
        "off"
    }
}

/// The agents as one JSON document (`schema_version` 1).
pub fn to_json(instance: &InstanceInfo, agents: &[Agent]) -> serde_json::Value {
    let records: Vec<_> = agents.iter().map(Agent::record).collect();
    json!({
        "schema_version": 1,
        "instance": {
            "id": instance.id,
            "arn": instance.arn,
            "alias": instance.alias,
            "identity_management_type": instance.identity.api_name(),
        },
        "agents": records,
        "counts": Counts::of(agents),
    })
}

/// The CSV columns of `agents list --format csv`.
const CSV_COLUMNS: [&str; 11] = [
    "user_login",
    "user_id",
    "first_name",
    "last_name",
    "phone_type",
    "phone_number",
    "persistent_connection",
    "audio_enhancement",
    "routing_profile",
    "security_profiles",
    "hierarchy",
];

/// The agents as CSV, one row each, with a header. Cells a spreadsheet
/// would run as a formula are defused, as in reports; on a terminal,
/// control characters are shown escaped ([`visible`]).
pub fn write_csv(agents: &[Agent], out: impl std::io::Write, terminal: bool) -> anyhow::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(CSV_COLUMNS)?;
    for agent in agents {
        let r = agent.record();
        let cells = [
            r.user_login.to_string(),
            r.user_id.to_string(),
            r.first_name.unwrap_or_default().to_string(),
            r.last_name.unwrap_or_default().to_string(),
            r.phone_type.to_string(),
            r.phone_number.unwrap_or_default().to_string(),
            on_off(r.persistent_connection).to_string(),
            r.audio_enhancement.to_string(),
            r.routing_profile.to_string(),
            r.security_profiles,
            r.hierarchy,
        ];
        writer.write_record(cells.iter().map(|c| {
            let c = crate::run::report::defuse(c);
            match terminal {
                true => visible(&c).into_owned(),
                false => c.into_owned(),
            }
        }))?;
    }
    writer.flush()?;
    Ok(())
}
