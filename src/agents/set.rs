//! `agents set`: switch persistent connection (and audio enhancement) for
//! many existing agents. The plan decides per agent from what SearchUsers
//! showed — a change, `unchanged` (already so), or `skipped` (a desk
//! phone: these settings only affect softphone audio) — and each change is
//! one UpdateUserConfig with only the VOICE entries it changes, so nothing
//! else of the user is touched.
//!
//! No outcome rests on the search, which may lag: every agent is read
//! again (DescribeUser) right before its turn ([`super::set_turn`]) and
//! decided anew under the rule of [`super::freshness`]. A planned change is sent only if the
//! current read still calls for exactly it, right after that read; a user
//! already as wanted is `unchanged`, a desk phone `skipped`, and a setting
//! someone else changed to something else is `failed`
//! (`ChangedMeanwhile`), never overwritten. The agents are taken in a
//! random order, so that two runs started together rarely reach the same
//! agent at the same moment (see `connect-users guide agents` on what two
//! runs can know of each other).

use std::sync::Arc;

use crate::output::terminal_text::cell;
use rand::seq::SliceRandom;

use super::freshness::Decision;
use super::listing::on_off;
use super::roster::Agent;
use super::select::Criteria;
use super::set_turn::AgentTurn;
use crate::connect::patience::Patience;
use crate::connect::{
    Channel, EffectiveSettings, ExistingUser, PersistentConnectionConfig, UserConfig,
    VoiceEnhancementConfig,
};
use crate::run::outcome::{Outcome, RowOutcome};
use crate::run::Job;
use crate::user::{PhoneType, VoiceEnhancementMode};

/// The settings `agents set` is asked to give the selected agents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WantedSettings {
    pub persistent_connection: Option<bool>,
    pub audio_enhancement: Option<VoiceEnhancementMode>,
    /// Change desk-phone users too.
    pub include_desk_phones: bool,
}

/// The two settings `agents set` touches, as one user has them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Voice {
    pub persistent_connection: bool,
    pub audio_enhancement: VoiceEnhancementMode,
}

impl Voice {
    pub fn of_settings(settings: &EffectiveSettings) -> Voice {
        Voice {
            persistent_connection: settings.persistent_connection.unwrap_or(false),
            audio_enhancement: settings
                .voice_enhancement
                .unwrap_or(VoiceEnhancementMode::None),
        }
    }

    pub fn of_user(user: &ExistingUser) -> Voice {
        Voice::of_settings(&EffectiveSettings::of(&user.fields))
    }

    /// These settings with the wanted ones applied.
    fn with(self, wanted: &WantedSettings) -> Voice {
        Voice {
            persistent_connection: wanted
                .persistent_connection
                .unwrap_or(self.persistent_connection),
            audio_enhancement: wanted.audio_enhancement.unwrap_or(self.audio_enhancement),
        }
    }
}

/// One agent's change: its voice settings before and after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VoiceChange {
    pub before: Voice,
    pub after: Voice,
}

impl VoiceChange {
    /// `persistent connection: off → on; audio enhancement: none → suppress noise`
    pub fn describe(&self) -> String {
        describe_change(self.before, self.after)
    }

    /// Only the VOICE entries that change.
    pub fn config(&self) -> UserConfig {
        let mut config = UserConfig::default();
        if self.before.persistent_connection != self.after.persistent_connection {
            config.persistent_connection = vec![PersistentConnectionConfig {
                channel: Channel::Voice,
                persistent_connection: self.after.persistent_connection,
            }];
        }
        if self.before.audio_enhancement != self.after.audio_enhancement {
            config.voice_enhancement = vec![VoiceEnhancementConfig {
                channel: Channel::Voice,
                mode: self.after.audio_enhancement,
            }];
        }
        config
    }
}

/// `persistent connection: off → on; audio enhancement: none → suppress noise`
pub fn describe_change(before: Voice, after: Voice) -> String {
    let mut parts = Vec::new();
    if before.persistent_connection != after.persistent_connection {
        parts.push(format!(
            "persistent connection: {} → {}",
            on_off(before.persistent_connection),
            on_off(after.persistent_connection)
        ));
    }
    if before.audio_enhancement != after.audio_enhancement {
        parts.push(format!(
            "audio enhancement: {} → {}",
            before.audio_enhancement.template_name(),
            after.audio_enhancement.template_name()
        ));
    }
    parts.join("; ")
}

const DESK_PHONE: &str = "desk phone: persistent connection and audio enhancement only affect \
     softphones (--include-desk-phones changes them too)";

/// Decides for a user with these settings (the service's defaults filled in).
pub fn decide(settings: &EffectiveSettings, wanted: &WantedSettings) -> Decision<VoiceChange> {
    let before = Voice::of_settings(settings);
    let after = before.with(wanted);
    if before == after {
        return Decision::Unchanged;
    }
    let phone = settings.phone_type.unwrap_or(PhoneType::SoftPhone);
    if phone == PhoneType::DeskPhone && !wanted.include_desk_phones {
        return Decision::Skipped(DESK_PHONE.into());
    }
    Decision::Change(VoiceChange { before, after })
}

/// One agent and what the plan decided for it.
pub struct Planned {
    pub agent: Agent,
    pub decision: Decision<VoiceChange>,
}

/// The plan: every agent decided, in login order.
pub struct SetPlan {
    pub agents: Vec<Planned>,
    pub wanted: WantedSettings,
    /// The selection's criteria, which each agent must still meet.
    pub criteria: Arc<Criteria>,
}

/// Plans the wanted settings for these agents, selected by `criteria`.
pub fn plan(agents: Vec<Agent>, wanted: &WantedSettings, criteria: Criteria) -> SetPlan {
    SetPlan {
        criteria: Arc::new(criteria),
        agents: agents
            .into_iter()
            .map(|agent| Planned {
                decision: decide(&agent.settings, wanted),
                agent,
            })
            .collect(),
        wanted: *wanted,
    }
}

impl SetPlan {
    /// The planned changes, in login order.
    pub fn changes(&self) -> impl Iterator<Item = (&Agent, &VoiceChange)> {
        self.agents.iter().filter_map(|p| match &p.decision {
            Decision::Change(change) => Some((&p.agent, change)),
            _ => None,
        })
    }

    /// How many agents the plan changes, leaves unchanged, and skips.
    pub fn counts(&self) -> (usize, usize, usize) {
        let mut counts = (0, 0, 0);
        for planned in &self.agents {
            match planned.decision {
                Decision::Change(_) => counts.0 += 1,
                Decision::Unchanged => counts.1 += 1,
                Decision::Skipped(_) => counts.2 += 1,
            }
        }
        counts
    }

    /// The batch. For a run, every agent is a row that reads the agent
    /// again before its outcome (`patience` bounds that read), taken in a
    /// random order; for a dry run (`check` false) the unchanged and
    /// skipped agents are settled rows as the plan saw them.
    pub fn into_job(self, instance_label: &str, check: bool, patience: Patience) -> Job<AgentTurn> {
        let question = format!(
            "Change {} agents in instance {instance_label}?",
            self.counts().0
        );
        let wanted = self.wanted;
        let criteria = self.criteria;
        let mut settled = Vec::new();
        let mut changes = Vec::new();
        for Planned { agent, decision } in self.agents {
            let row = |outcome| RowOutcome {
                line: None,
                user_login: agent.login().to_string(),
                outcome,
            };
            match (&decision, check) {
                (Decision::Unchanged, false) => settled.push(row(Outcome::Unchanged {
                    user_id: agent.user.id.clone(),
                    user_arn: agent.user.arn.clone(),
                })),
                (Decision::Skipped(reason), false) => settled.push(row(Outcome::Skipped {
                    reason: reason.clone(),
                })),
                _ => changes.push(AgentTurn::new(
                    agent,
                    decision,
                    wanted,
                    criteria.clone(),
                    patience,
                )),
            }
        }
        changes.shuffle(&mut rand::rng());
        Job {
            settled,
            changes,
            question,
        }
    }

    /// The review: changes first, then skipped agents, then the counts.
    pub fn review(&self, width: Option<u16>) -> String {
        let mut out = String::new();
        let skipped = self.agents.iter().filter_map(|p| match &p.decision {
            Decision::Skipped(reason) => Some((&p.agent, format!("skipped: {reason}"))),
            _ => None,
        });
        let rows: Vec<(&Agent, String)> = self
            .changes()
            .map(|(agent, change)| (agent, change.describe()))
            .chain(skipped)
            .collect();
        if !rows.is_empty() {
            let mut table = crate::output::styled_table(width);
            table.set_header(["user login", "name", "phone", "routing profile", "plan"]);
            for (agent, plan) in rows {
                table.add_row(vec![
                    cell(agent.login()),
                    cell(agent.name()),
                    cell(agent.phone_type().template_name()),
                    cell(&agent.routing_profile),
                    cell(plan),
                ]);
            }
            out.push_str(&table.to_string());
            out.push('\n');
        }
        let (change, unchanged, skipped) = self.counts();
        out.push_str(&format!(
            "{change} to change, {unchanged} unchanged (already so), {skipped} skipped\n"
        ));
        out.push_str(
            "(as SearchUsers shows them, which can lag: each agent is read again right before its \
             turn, and its outcome is what it holds then)\n",
        );
        out
    }
}
