//! `connect-users agents set`: the same change for many existing agents —
//! routing profile, security profiles, hierarchy, phone type, auto-accept
//! and ACW per channel, tags, persistent connection, audio enhancement —
//! planned, reviewed, confirmed, then made agent by agent with the fewest
//! calls, paced and retried like creates, every agent accounted for.

use std::sync::Arc;

use anyhow::Context as _;

use crate::agents::edit_plan::{EditPlan, PlannedAgent};
use crate::agents::edit_turn::Context;
use crate::agents::set::{self, Channels, SetRequest};
use crate::agents::Want;
use crate::commands::args::{Offered, RunArgs, SelectArgs, AUTO_ACCEPT_VALUES};
use crate::commands::bulk::{Bulk, Planned, PlannedForAgents, Step};
use crate::commands::shown::terminal_width;
use crate::connect::config::InstanceArgs;
use crate::exit::Exit;
use crate::output::Format;
use crate::run::summary::RunKind;
use crate::session;
use crate::user::{PhoneType, VoiceEnhancementMode};

const EXAMPLES: &str = "Examples:
  # the agents of Sales Inbound to Support Tier 1: the plan only
  connect-users agents set --set-routing-profile \"Support Tier 1\" \\
    --routing-profile \"Sales Inbound\" --dry-run
  connect-users agents set --add-security-profile QualityAnalyst --hierarchy \"Japan|Tokyo\"
  connect-users agents set --set-acw all=60 --set-auto-accept chat=on --set-tag team=support --all
  # in CI
  connect-users agents set --persistent-connection on --file agents.csv --yes --report run.csv";

const REFERENCE: &str = "\
Selecting and changing:
  The flags under \"Select agents\" choose the agents (each one given must match); the
  flags under \"Change\" say what they get. Several changes go in one run. Nothing is sent
  before the plan is shown and confirmed (--yes without a terminal; --dry-run stops there).

What each change sets:
  --set-routing-profile NAME        UpdateUserRoutingProfile
  --set-security-profiles \"A|B\"     UpdateUserSecurityProfiles: exactly these (1 to 10)
  --add-security-profile NAME       ... the agent's own, with NAME added (repeatable)
  --remove-security-profile NAME    ... the agent's own, without NAME (repeatable)
  --set-hierarchy PATH              UpdateUserHierarchy: the group at the end of the path
  --clear-hierarchy                 UpdateUserHierarchy without a group: no hierarchy
  --set-phone-type soft             UpdateUserConfig, VOICE (a desk phone needs a number per
                                    user: give it in a file, `agents edit FILE`)
  --set-auto-accept CHANNEL=on|off  UpdateUserConfig, per channel (voice, chat, task, email, all)
  --set-acw CHANNEL=SECONDS         UpdateUserConfig, per channel; 0 is no limit
  --persistent-connection on|off    UpdateUserConfig, VOICE (softphones only)
  --audio-enhancement MODE          UpdateUserConfig, VOICE (softphones only)
  --set-tag KEY=VALUE               TagResource (repeatable); the first = ends the key
  --remove-tag KEY                  UntagResource (repeatable)
  An agent gets one call of each kind it needs, in this order, and only for what differs.
  Persistent connection and audio enhancement are left alone on desk phones (skipped)
  unless --include-desk-phones.

The plan and each agent's turn:
  The plan decides each agent from SearchUsers pages, field by field: `field: before →
  after`, unchanged (already so), or skipped. Right before its turn each agent is read
  again (DescribeUser) and decided anew: a field already as wanted is left; a field someone
  else changed since the plan is not overwritten (and said so), the others go ahead.

Outcomes (report, --format json, exit code):
  changed, unchanged, skipped; partial (some fields changed, others not: each named, with
  why); failed; unknown (no answer within --patience: run again); not_submitted.
  Exit 0 when every agent is changed, unchanged or skipped; 3 when any is partial, failed,
  unknown or not sent; 2 for usage, configuration or refused permissions; 130 interrupted.
  Running the same command again finishes the job.

IAM actions: connect:DescribeInstance, ListRoutingProfiles, ListSecurityProfiles,
  ListUserHierarchyGroups, DescribeUserHierarchyGroup, SearchUsers, DescribeUser, ListUsers,
  and the updates used: UpdateUserRoutingProfile, UpdateUserSecurityProfiles,
  UpdateUserHierarchy, UpdateUserConfig, TagResource, UntagResource.";

const CHANGE: &str = "Change";

/// Change settings of many existing agents at once: routing profile,
/// security profiles, hierarchy, phone type, auto-accept and ACW per
/// channel, tags, persistent connection, audio enhancement.
///
/// The flags under "Select agents" choose the agents; those under "Change"
/// say what they get. Plans first (each agent, field by field: `field:
/// before → after`), shows the plan, asks, then reads each agent again
/// right before its turn and makes only the changes that still stand. A
/// field someone else changed meanwhile is reported, not overwritten.
/// Running the same command again finishes an interrupted run. Exit
/// status: 0 done, 2 usage/configuration or refused permissions, 3 some
/// agents partial, failed or unknown, 130 interrupted.
///
/// Reference: `connect-users guide agents-edit` (every setting, each agent's turn,
/// outcomes), `connect-users guide agents` (selecting agents, two runs at once),
/// `connect-users guide pacing`, `connect-users guide json`, `connect-users guide iam`,
/// `connect-users guide exit-codes`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES, after_long_help = format!("{REFERENCE}\n\n{EXAMPLES}"))]
#[command(override_usage = "connect-users agents set <CHANGE>... <SELECT AGENTS>... [OPTIONS]")]
#[command(group = clap::ArgGroup::new("setting").multiple(true).args([
    "set_routing_profile", "set_security_profiles", "add_security_profile",
    "remove_security_profile", "set_hierarchy", "clear_hierarchy", "set_phone_type",
    "set_auto_accept", "set_acw", "set_tag", "remove_tag", "persistent_connection",
    "audio_enhancement",
]))]
pub struct Args {
    /// Give the agents this routing profile.
    #[arg(long, value_name = "NAME", help_heading = CHANGE)]
    pub set_routing_profile: Option<String>,

    /// Give the agents exactly these security profiles: names separated by |.
    #[arg(long, value_name = "A|B", value_parser = set::parse_profiles, help_heading = CHANGE,
          conflicts_with_all = ["add_security_profile", "remove_security_profile"])]
    pub set_security_profiles: Option<set::ProfileNames>,

    /// Add this security profile to each agent's own (repeatable).
    #[arg(long, value_name = "NAME", help_heading = CHANGE)]
    pub add_security_profile: Vec<String>,

    /// Remove this security profile from each agent's own (repeatable).
    #[arg(long, value_name = "NAME", help_heading = CHANGE)]
    pub remove_security_profile: Vec<String>,

    /// Put the agents in this hierarchy group: its path from level one,
    /// levels separated by |, e.g. "North America|Seattle|Team Orca".
    #[arg(long, value_name = "PATH", help_heading = CHANGE, conflicts_with = "clear_hierarchy")]
    pub set_hierarchy: Option<String>,

    /// Take the agents out of their hierarchy group.
    #[arg(long, help_heading = CHANGE)]
    pub clear_hierarchy: bool,

    /// Make the agents softphone users (a desk phone needs a number per
    /// user: `agents edit FILE`).
    #[arg(long, value_name = "soft", help_heading = CHANGE, hide_possible_values = true,
          value_parser = Offered::new(set::parse_phone_type, &["soft"]))]
    pub set_phone_type: Option<PhoneType>,

    /// Turn auto-accept on or off for a channel: voice, chat, task, email or
    /// all (repeatable), e.g. chat=on.
    #[arg(long, value_name = "CHANNEL=on|off", help_heading = CHANGE, hide_possible_values = true,
          value_parser = Offered::new(set::parse_auto_accept, AUTO_ACCEPT_VALUES))]
    pub set_auto_accept: Vec<(Channels, bool)>,

    /// Set the after contact work timeout of a channel in seconds, 0 for no
    /// limit (repeatable), e.g. all=60.
    #[arg(long, value_name = "CHANNEL=SECONDS", value_parser = set::parse_acw, help_heading = CHANGE)]
    pub set_acw: Vec<(Channels, i32)>,

    /// Add a tag, or give it this value (repeatable).
    #[arg(long, value_name = "KEY=VALUE", value_parser = set::parse_tag, help_heading = CHANGE)]
    pub set_tag: Vec<(String, String)>,

    /// Remove the tag with this key (repeatable).
    #[arg(long, value_name = "KEY", value_parser = set::tag_key, help_heading = CHANGE)]
    pub remove_tag: Vec<String>,

    /// Turn persistent connection on or off (softphones).
    #[arg(long, visible_alias = "set-persistent-connection", value_name = "on|off", help_heading = CHANGE,
          hide_possible_values = true, value_parser = Offered::new(set::on_off, &["on", "off"]))]
    pub persistent_connection: Option<bool>,

    /// Set audio enhancement (softphones): none, isolate voice (voice
    /// isolation) or suppress noise (noise suppression), or the API names.
    #[arg(long, visible_alias = "set-audio-enhancement", value_name = "MODE", help_heading = CHANGE, hide_possible_values = true,
          value_parser = Offered::new(mode, &["none", "VOICE_ISOLATION", "NOISE_SUPPRESSION"]))]
    pub audio_enhancement: Option<VoiceEnhancementMode>,

    /// Change persistent connection and audio enhancement of desk-phone
    /// users too (they only affect softphone audio).
    #[arg(long, help_heading = CHANGE)]
    pub include_desk_phones: bool,

    #[command(flatten)]
    pub select: SelectArgs,

    /// Every user of the instance (required when no other selector is given).
    #[arg(long, help_heading = "Select agents")]
    pub all: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table, help_heading = "Run")]
    pub format: Format,

    #[command(flatten)]
    pub instance: InstanceArgs,

    #[command(flatten)]
    pub run: RunArgs,
}

fn mode(text: &str) -> Result<VoiceEnhancementMode, String> {
    match crate::validate::parse_audio_enhancement(text) {
        Some(mode) if !text.trim().is_empty() => Ok(mode),
        _ => Err(format!(
            "{text:?}: expected {}",
            crate::validate::AUDIO_ENHANCEMENT_MODES
        )),
    }
}

impl Args {
    fn request(&self) -> SetRequest {
        SetRequest {
            routing_profile: self.set_routing_profile.clone(),
            security_profiles: self.set_security_profiles.clone().map(|names| names.0),
            add_security_profiles: self.add_security_profile.clone(),
            remove_security_profiles: self.remove_security_profile.clone(),
            hierarchy: self.set_hierarchy.clone(),
            clear_hierarchy: self.clear_hierarchy,
            phone_type: self.set_phone_type,
            auto_accept: self.set_auto_accept.clone(),
            acw: self.set_acw.clone(),
            tags: self.set_tag.clone(),
            remove_tags: self.remove_tag.clone(),
            persistent_connection: self.persistent_connection,
            audio_enhancement: self.audio_enhancement,
            include_desk_phones: self.include_desk_phones,
        }
    }
}

impl Args {
    /// Whether any flag under "Change" is given.
    fn changes_something(&self) -> bool {
        self.set_routing_profile.is_some()
            || self.set_security_profiles.is_some()
            || !self.add_security_profile.is_empty()
            || !self.remove_security_profile.is_empty()
            || self.set_hierarchy.is_some()
            || self.clear_hierarchy
            || self.set_phone_type.is_some()
            || !self.set_auto_accept.is_empty()
            || !self.set_acw.is_empty()
            || !self.set_tag.is_empty()
            || !self.remove_tag.is_empty()
            || self.persistent_connection.is_some()
            || self.audio_enhancement.is_some()
    }
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    // Checked here rather than by clap, whose message lists all thirteen
    // flags with their value names on one line.
    anyhow::ensure!(
        args.changes_something(),
        "say what to change: a flag under \"Change\" in `agents set --help`, e.g. \
         --set-routing-profile NAME, --add-security-profile NAME, --set-acw all=60 or \
         --persistent-connection on (--routing-profile and the other selectors only choose \
         the agents)"
    );
    let online = session::required(&args.instance, args.run.pacing())?;
    let selection = args.select.selection()?;
    anyhow::ensure!(
        selection.narrows() || args.all,
        "name the agents to change: --routing-profile, --security-profile, --hierarchy, --login \
         or --file, or --all for every user of the instance"
    );
    let request = args.request();
    let bulk = Bulk {
        kind: RunKind::AgentsSet,
        run: &args.run,
        format: args.format,
        stdin_is_input: false,
        records: &[],
    };
    let report_output: Vec<_> = args
        .run
        .report
        .iter()
        .cloned()
        .map(crate::run::report::output)
        .collect();
    crate::output_file::check(&args.select.inputs(), &report_output)?;
    let report = bulk.report();
    let dry_run = args.run.dry_run;
    bulk.run(online, async |connection, interactive| {
        // Nothing is written before the plan is read whole.
        const UNWRITTEN: &str = "cannot read the selected agents; nothing was written";
        let instance = session::describe(connection).await.context(UNWRITTEN)?;
        let hierarchy = selection.hierarchy.is_some() || request.needs_hierarchy();
        let mut directory = crate::agents::select::read_directory(&connection.api, hierarchy)
            .await
            .map_err(|err| session::explain_any(err, &connection.target))
            .context(UNWRITTEN)?;
        let wanted = request
            .resolve(
                &mut directory,
                &connection.api,
                connection.pacing.concurrency,
            )
            .await
            .map_err(|err| session::explain_any(err, &connection.target))
            .context("nothing was written")?;
        let read = session::read_agents_in(
            connection,
            directory,
            &selection,
            Want::default(),
            interactive,
        )
        .await
        .context(UNWRITTEN)?;
        // Agents selected from a file: rows name their line in it.
        let lines = selection.file_lines();
        let wanted = Arc::new(wanted);
        let context = Arc::new(Context {
            namer: read.directory.namer(),
            criteria: read.criteria,
            identity: instance.identity,
            patience: connection.pacing.patience,
        });
        let plan = EditPlan {
            agents: read
                .agents
                .into_iter()
                .map(|agent| {
                    let line = lines.get(&agent.login().to_lowercase()).copied();
                    PlannedAgent::new(agent, wanted.clone(), line)
                })
                .collect(),
            context,
        };
        let problems = plan.problems();
        if !problems.is_empty() {
            anyhow::bail!(
                "{} agents cannot take this change, so nothing was written:\n{}",
                problems.len(),
                problems.join("\n")
            );
        }
        if args.format == Format::Table {
            print!("{}", plan.review(terminal_width()));
        }
        let planned = plan.planned_json();
        let to_write = plan.counts().0;
        let job = plan.into_job(&session::instance_label(&instance), !dry_run);
        Ok(Step::Run(Box::new(Planned {
            job,
            to_write,
            instance,
            outputs: report.into_iter().collect(),
            dry_run_notes: Vec::new(),
            closing: Box::new(PlannedForAgents {
                key: "planned_changes",
                planned,
                file: args.select.file.as_ref().map(|p| p.display().to_string()),
            }),
        })))
    })
}
