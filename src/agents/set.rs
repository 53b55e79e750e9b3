//! `agents set`: switch persistent connection (and audio enhancement) for
//! many existing agents. The plan decides per agent — a change, `unchanged`
//! (already so), or `skipped` (a desk phone: these settings only affect
//! softphone audio) — and each change is one UpdateUserConfig with only the
//! VOICE entries it changes, so nothing else of the user is touched.
//!
//! A user someone else changed after the plan read it is read again before
//! the update: already as wanted → `unchanged`; the setting changed to
//! something else → `failed`, not overwritten.

use std::sync::Arc;

use comfy_table::Cell;

use super::freshness::{Freshness, Now};
use super::listing::on_off;
use super::roster::Agent;
use crate::connect::{
    ApiError, Channel, ConnectApi, EffectiveSettings, ExistingUser, PersistentConnectionConfig,
    UserConfig, VoiceEnhancementConfig,
};
use crate::run::change::{Change, Doubt, Evidence, RowKey};
use crate::run::engine::failed;
use crate::run::outcome::{Outcome, RowOutcome};
use crate::run::Job;
use crate::user::{PhoneType, VoiceEnhancementMode};

/// What `agents set` sets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Target {
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

    /// These settings with the target applied.
    fn with(self, target: &Target) -> Voice {
        Voice {
            persistent_connection: target
                .persistent_connection
                .unwrap_or(self.persistent_connection),
            audio_enhancement: target.audio_enhancement.unwrap_or(self.audio_enhancement),
        }
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

/// What the plan does with one agent.
pub enum Decision {
    Change { before: Voice, after: Voice },
    Unchanged,
    Skipped(String),
}

/// Decides for one agent.
pub fn decide(agent: &Agent, target: &Target) -> Decision {
    let before = Voice::of_settings(&agent.settings);
    let after = before.with(target);
    if before == after {
        return Decision::Unchanged;
    }
    if agent.phone_type() == PhoneType::DeskPhone && !target.include_desk_phones {
        return Decision::Skipped(
            "desk phone: persistent connection and audio enhancement only affect softphones \
             (--include-desk-phones changes them too)"
                .into(),
        );
    }
    Decision::Change { before, after }
}

/// The plan: every agent decided.
pub struct SetPlan {
    pub changes: Vec<UpdateAgent>,
    pub unchanged: Vec<Agent>,
    pub skipped: Vec<(Agent, String)>,
}

/// Plans the target for these agents.
pub fn plan(agents: Vec<Agent>, target: &Target, freshness: &Arc<Freshness>) -> SetPlan {
    let mut plan = SetPlan {
        changes: Vec::new(),
        unchanged: Vec::new(),
        skipped: Vec::new(),
    };
    for agent in agents {
        match decide(&agent, target) {
            Decision::Unchanged => plan.unchanged.push(agent),
            Decision::Skipped(reason) => plan.skipped.push((agent, reason)),
            Decision::Change { before, after } => plan.changes.push(UpdateAgent {
                key: RowKey {
                    line: None,
                    login: agent.login().to_string(),
                },
                before,
                after,
                agent,
                freshness: freshness.clone(),
            }),
        }
    }
    plan
}

impl SetPlan {
    /// The batch: the changes, and the unchanged and skipped agents as
    /// settled rows.
    pub fn into_job(self, instance_label: &str) -> Job<UpdateAgent> {
        let mut settled: Vec<RowOutcome> = self
            .unchanged
            .iter()
            .map(|agent| {
                row(
                    agent,
                    Outcome::Unchanged {
                        user_id: agent.user.id.clone(),
                        user_arn: agent.user.arn.clone(),
                    },
                )
            })
            .collect();
        settled.extend(self.skipped.iter().map(|(agent, reason)| {
            row(
                agent,
                Outcome::Skipped {
                    reason: reason.clone(),
                },
            )
        }));
        let question = format!(
            "Change {} agents in instance {instance_label}?",
            self.changes.len()
        );
        Job {
            settled,
            changes: self.changes,
            question,
        }
    }

    /// The review: changes first, then skipped agents, then the counts.
    pub fn review(&self, width: Option<u16>) -> String {
        let mut out = String::new();
        if !self.changes.is_empty() || !self.skipped.is_empty() {
            let mut table = crate::output::styled_table(width);
            table.set_header(["user login", "name", "phone", "routing profile", "plan"]);
            let rows = self
                .changes
                .iter()
                .map(|c| (&c.agent, describe_change(c.before, c.after)))
                .chain(
                    self.skipped
                        .iter()
                        .map(|(agent, reason)| (agent, format!("skipped: {reason}"))),
                );
            for (agent, plan) in rows {
                table.add_row(vec![
                    Cell::new(agent.login()),
                    Cell::new(agent.name()),
                    Cell::new(agent.phone_type().template_name()),
                    Cell::new(&agent.routing_profile),
                    Cell::new(plan),
                ]);
            }
            out.push_str(&table.to_string());
            out.push('\n');
        }
        out.push_str(&format!(
            "{} to change, {} unchanged (already so), {} skipped\n",
            self.changes.len(),
            self.unchanged.len(),
            self.skipped.len()
        ));
        out
    }
}

fn row(agent: &Agent, outcome: Outcome) -> RowOutcome {
    RowOutcome {
        line: None,
        user_login: agent.login().to_string(),
        outcome,
    }
}

/// One agent's UpdateUserConfig.
pub struct UpdateAgent {
    key: RowKey,
    pub agent: Agent,
    pub before: Voice,
    pub after: Voice,
    freshness: Arc<Freshness>,
}

impl UpdateAgent {
    /// Numbers the row with the line of the file that selected the agent.
    pub fn at_line(&mut self, line: Option<u64>) {
        self.key.line = line;
    }

    /// Only the VOICE entries that change.
    fn config(&self) -> UserConfig {
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

    fn changed(&self) -> Outcome {
        Outcome::Changed {
            user_id: self.agent.user.id.clone(),
            user_arn: self.agent.user.arn.clone(),
            change: describe_change(self.before, self.after),
        }
    }

    fn unchanged(&self) -> Outcome {
        Outcome::Unchanged {
            user_id: self.agent.user.id.clone(),
            user_arn: self.agent.user.arn.clone(),
        }
    }
}

/// A user whose setting someone else changed to something the plan did not
/// expect: reported, not overwritten.
fn changed_meanwhile(planned: Voice, now: Voice) -> Outcome {
    Outcome::Failed {
        error_type: "ChangedMeanwhile".into(),
        message: format!(
            "someone else changed this user since the plan ({}); it was not overwritten: run the \
             same command again to plan from what it holds now",
            describe_change(planned, now)
        ),
    }
}

#[async_trait::async_trait]
impl Change for UpdateAgent {
    fn key(&self) -> &RowKey {
        &self.key
    }

    async fn precheck(&self, _api: &dyn ConnectApi) -> Result<Option<Outcome>, ApiError> {
        if let Now::Changed(user) = self.freshness.check(&self.agent.user).await? {
            let now = Voice::of_user(&user);
            if now == self.after {
                return Ok(Some(self.unchanged()));
            }
            if now != self.before {
                return Ok(Some(changed_meanwhile(self.before, now)));
            }
        }
        Ok(None)
    }

    async fn send(&self, api: &dyn ConnectApi) -> Result<Outcome, ApiError> {
        api.update_user_config(&self.agent.user.id, &self.config())
            .await?;
        Ok(self.changed())
    }

    fn conflicts(&self, _: &ApiError) -> bool {
        false
    }

    async fn settle(&self, api: &dyn ConnectApi, evidence: &Evidence) -> Result<Outcome, ApiError> {
        let now = Voice::of_user(&api.describe_user(&self.agent.user.id).await?);
        Ok(if now == self.after {
            if evidence.ours_may_have_committed {
                self.changed()
            } else {
                self.unchanged()
            }
        } else if now == self.before {
            let mut outcome = failed(evidence.doubt.error());
            if let (Outcome::Failed { message, .. }, Doubt::GaveUp(_) | Doubt::Refused(_)) =
                (&mut outcome, &evidence.doubt)
            {
                message.push_str("; the setting is unchanged (read back), run again");
            }
            outcome
        } else {
            changed_meanwhile(self.before, now)
        })
    }
}
