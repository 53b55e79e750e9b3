//! One agent through the batch engine against a scripted instance: what the
//! read before each attempt sees decides each field, a user changed in
//! several calls ends `changed` or `partial` field by field, and every
//! outcome is what the instance holds.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use super::*;
use crate::agents::directory::Directory;
use crate::agents::edit_plan::{EditPlan, PlannedAgent};
use crate::agents::fields::Field;
use crate::agents::wanted::SecurityProfiles;
use crate::connect::{
    Channel, CreatedUser, HierarchyGroup, IdentityInfo, InstanceInfo, NamedResource, NewUser,
    PersistentConnectionConfig, PhoneConfig, PhoneNumberConfig, SearchPage, UserConfig, UserFields,
    UserQuery, UserSummary, UserUpdate,
};
use crate::run::engine::{submit, SubmitOptions};
use crate::user::PhoneType;

/// What one call of an operation does.
#[derive(Clone, Copy, Debug)]
enum Step {
    Apply,
    Throttle,
    /// Applies, then fails as if the answer were lost.
    ApplyThenFail,
    /// Refused finally, nothing applied.
    Refuse,
    /// A 5xx, nothing applied (the client cannot tell it from a lost answer).
    Fail,
}

/// Someone else's change to the user.
type Meanwhile = Box<dyn FnOnce(&mut ExistingUser) + Send>;

/// One user; each call of an operation follows its script, and
/// `meanwhile` runs after the first call (someone else's change).
struct Instance {
    user: Mutex<ExistingUser>,
    steps: Mutex<HashMap<&'static str, VecDeque<Step>>>,
    meanwhile: Mutex<Option<Meanwhile>>,
    calls: Mutex<Vec<&'static str>>,
}

impl Instance {
    fn new(user: ExistingUser, steps: &[(&'static str, &[Step])]) -> Arc<Instance> {
        Arc::new(Instance {
            user: Mutex::new(user),
            steps: Mutex::new(
                steps
                    .iter()
                    .map(|(op, s)| (*op, s.iter().copied().collect()))
                    .collect(),
            ),
            meanwhile: Mutex::new(None),
            calls: Mutex::new(Vec::new()),
        })
    }

    fn fields(&self) -> UserFields {
        self.user.lock().unwrap().fields.clone()
    }

    fn calls(&self) -> Vec<&'static str> {
        self.calls.lock().unwrap().clone()
    }
}

fn user(persistent: bool, phone: PhoneType) -> ExistingUser {
    ExistingUser {
        id: "u1".into(),
        arn: "arn:u1".into(),
        fields: UserFields {
            username: "ava".into(),
            identity_info: IdentityInfo::default(),
            phone_config: Some(PhoneConfig {
                phone_type: Some(phone),
                desk_phone_number: (phone == PhoneType::DeskPhone).then(|| "+12065550100".into()),
                persistent_connection: Some(persistent),
                ..PhoneConfig::default()
            }),
            config: UserConfig::default(),
            security_profile_ids: vec!["sp-agent".into()],
            routing_profile_id: "rp-sales".into(),
            hierarchy_group_id: None,
            tags: BTreeMap::new(),
        },
        last_modified: Some(1),
    }
}

fn set_persistent(user: &mut ExistingUser, on: bool) {
    user.fields.config.persistent_connection = vec![PersistentConnectionConfig {
        channel: Channel::Voice,
        persistent_connection: on,
    }];
}

/// Applies an update to the user, as the service would.
fn apply(user: &mut ExistingUser, update: &UserUpdate) {
    let fields = &mut user.fields;
    match update {
        UserUpdate::RoutingProfile(id) => fields.routing_profile_id = id.clone(),
        UserUpdate::SecurityProfiles(ids) => fields.security_profile_ids = ids.clone(),
        UserUpdate::Hierarchy(group) => fields.hierarchy_group_id = group.clone(),
        UserUpdate::IdentityInfo(info) => fields.identity_info = info.clone(),
        UserUpdate::Config(config) => {
            if let Some(entry) = config.persistent_connection.first() {
                set_persistent(user, entry.persistent_connection);
            }
            if let Some(entry) = config.phone_number.first() {
                user.fields.config.phone_number = vec![entry.clone()];
            }
        }
        UserUpdate::Tag(tags) => fields.tags.extend(tags.clone()),
        UserUpdate::Untag(keys) => keys.iter().for_each(|k| drop(fields.tags.remove(k))),
    }
}

fn error(kind: ApiErrorKind, code: &str) -> ApiError {
    ApiError::new(kind, code, "scripted")
}

#[async_trait::async_trait]
impl ConnectApi for Instance {
    async fn describe_instance(&self) -> Result<InstanceInfo, ApiError> {
        unreachable!()
    }
    async fn list_routing_profiles(&self) -> Result<Vec<NamedResource>, ApiError> {
        unreachable!()
    }
    async fn list_security_profiles(&self) -> Result<Vec<NamedResource>, ApiError> {
        unreachable!()
    }
    async fn list_hierarchy_groups(&self) -> Result<Vec<NamedResource>, ApiError> {
        unreachable!()
    }
    async fn describe_hierarchy_group(&self, _: &str) -> Result<HierarchyGroup, ApiError> {
        unreachable!()
    }
    async fn list_users(&self) -> Result<Vec<UserSummary>, ApiError> {
        unreachable!()
    }
    async fn count_users(&self) -> Result<u64, ApiError> {
        unreachable!()
    }
    async fn find_user(&self, _: &str) -> Result<Option<UserSummary>, ApiError> {
        unreachable!()
    }
    async fn search_users(&self, _: &UserQuery, _: Option<&str>) -> Result<SearchPage, ApiError> {
        unreachable!()
    }
    async fn describe_user(&self, _: &str) -> Result<ExistingUser, ApiError> {
        Ok(self.user.lock().unwrap().clone())
    }
    async fn create_user(&self, _: &NewUser) -> Result<CreatedUser, ApiError> {
        unreachable!()
    }
    async fn delete_user(&self, _: &str) -> Result<(), ApiError> {
        unreachable!()
    }
    async fn update_user_config(&self, _: &str, _: &UserConfig) -> Result<(), ApiError> {
        unreachable!("sent as update_user")
    }
    async fn update_user(&self, _: &UserRef, update: &UserUpdate) -> Result<(), ApiError> {
        let operation = update.operation();
        self.calls.lock().unwrap().push(operation);
        let step = self
            .steps
            .lock()
            .unwrap()
            .get_mut(operation)
            .and_then(VecDeque::pop_front)
            .unwrap_or(Step::Apply);
        let answer = match step {
            Step::Throttle => Err(error(ApiErrorKind::Throttling, "ThrottlingException")),
            Step::Fail => Err(error(
                ApiErrorKind::InternalService,
                "InternalServiceException",
            )),
            Step::Refuse => Err(error(
                ApiErrorKind::InvalidParameter,
                "InvalidParameterException",
            )),
            Step::Apply | Step::ApplyThenFail => {
                apply(&mut self.user.lock().unwrap(), update);
                match step {
                    Step::Apply => Ok(()),
                    _ => Err(error(
                        ApiErrorKind::InternalService,
                        "InternalServiceException",
                    )),
                }
            }
        };
        if let Some(change) = self.meanwhile.lock().unwrap().take() {
            change(&mut self.user.lock().unwrap());
        }
        answer
    }
}

fn persistent_on() -> WantedFields {
    WantedFields {
        persistent_connection: Some(true),
        ..WantedFields::default()
    }
}

/// Support Tier 1, and exactly Agent and QualityAnalyst.
fn move_and_add() -> WantedFields {
    WantedFields {
        routing_profile: Some("rp-support".into()),
        security_profiles: Some(SecurityProfiles::Exactly(BTreeSet::from([
            "sp-agent".to_string(),
            "sp-qa".to_string(),
        ]))),
        ..WantedFields::default()
    }
}

/// `wanted` for the one user, as the plan saw it (`seen`), against the
/// instance; the one outcome.
async fn run_one(instance: Arc<Instance>, seen: ExistingUser, wanted: WantedFields) -> Outcome {
    let names = Directory {
        routing_profiles: Vec::new(),
        security_profiles: Vec::new(),
        hierarchy_groups: Vec::new(),
        groups: BTreeMap::new(),
    };
    let patience = Patience {
        budget: Duration::from_secs(60),
        max_attempts: Some(4),
    };
    let agent = crate::agents::roster::agent(seen, &names);
    let plan = EditPlan {
        agents: vec![PlannedAgent::new(agent, Arc::new(wanted), None)],
        context: Arc::new(Context {
            criteria: Criteria::default(),
            namer: names.namer(),
            identity: Identity::ConnectManaged,
            patience,
        }),
    };
    let job = plan.into_job("i", true);
    let (_, stop) = tokio::sync::watch::channel(false);
    let options = SubmitOptions {
        concurrency: 1,
        patience,
    };
    let (mut rows, _) = submit(instance, job.changes, options, stop, &mut |_| {}).await;
    rows.pop().unwrap().outcome
}

fn soft() -> ExistingUser {
    user(false, PhoneType::SoftPhone)
}

#[tokio::test(start_paused = true)]
async fn a_throttled_write_is_read_again_before_it_is_retried() {
    let instance = Instance::new(soft(), &[("UpdateUserConfig", &[Step::Throttle])]);
    // Someone else makes it a desk phone while the write waits for its retry.
    *instance.meanwhile.lock().unwrap() = Some(Box::new(|user: &mut ExistingUser| {
        user.fields.config.phone_number = vec![PhoneNumberConfig {
            channel: Channel::Voice,
            phone_type: PhoneType::DeskPhone,
            phone_number: Some("+12065550100".into()),
        }];
    }));
    let outcome = run_one(instance.clone(), soft(), persistent_on()).await;
    assert!(matches!(outcome, Outcome::Skipped { .. }), "{outcome:?}");
    assert_eq!(
        crate::agents::fields::value_of(&Field::PersistentConnection, &instance.fields()),
        crate::agents::fields::Value::On(false),
        "not written"
    );
    assert_eq!(instance.calls().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_write_that_may_have_been_done_is_ours_when_the_next_read_shows_it() {
    let instance = Instance::new(soft(), &[("UpdateUserConfig", &[Step::ApplyThenFail])]);
    let outcome = run_one(instance.clone(), soft(), persistent_on()).await;
    assert!(matches!(outcome, Outcome::Changed { .. }), "{outcome:?}");
    assert_eq!(instance.calls(), ["UpdateUserConfig"], "not written twice");
}

#[tokio::test(start_paused = true)]
async fn the_read_before_the_turn_decides() {
    // The plan saw it off; it is on now: unchanged, nothing sent.
    let instance = Instance::new(user(true, PhoneType::SoftPhone), &[]);
    let outcome = run_one(instance.clone(), soft(), persistent_on()).await;
    assert!(matches!(outcome, Outcome::Unchanged { .. }), "{outcome:?}");
    assert!(instance.calls().is_empty());

    // The plan saw it on (unchanged); it is off now: someone else's
    // change, never written.
    let instance = Instance::new(soft(), &[]);
    let outcome = run_one(
        instance.clone(),
        user(true, PhoneType::SoftPhone),
        persistent_on(),
    )
    .await;
    let Outcome::Failed {
        error_type,
        message,
    } = outcome
    else {
        panic!("{outcome:?}")
    };
    assert_eq!(error_type, "ChangedMeanwhile");
    assert!(
        message.contains("persistent connection: on → off"),
        "{message}"
    );
    assert!(instance.calls().is_empty());

    // The plan saw a desk phone (skipped); it is a softphone now.
    let instance = Instance::new(soft(), &[]);
    let outcome = run_one(
        instance.clone(),
        user(false, PhoneType::DeskPhone),
        persistent_on(),
    )
    .await;
    let Outcome::Failed { message, .. } = outcome else {
        panic!("{outcome:?}")
    };
    assert!(
        message.contains("phone: desk +12065550100 → soft"),
        "{message}"
    );
    assert!(instance.calls().is_empty());

    // As the plan saw it: changed, one write.
    let instance = Instance::new(soft(), &[]);
    let outcome = run_one(instance.clone(), soft(), persistent_on()).await;
    assert!(matches!(outcome, Outcome::Changed { .. }), "{outcome:?}");
    assert_eq!(instance.calls().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn several_fields_take_one_call_each_in_order() {
    let instance = Instance::new(soft(), &[]);
    let outcome = run_one(instance.clone(), soft(), move_and_add()).await;
    let Outcome::Changed { change, .. } = &outcome else {
        panic!("{outcome:?}")
    };
    assert!(
        change.contains("routing profile: rp-sales → rp-support"),
        "{change}"
    );
    assert_eq!(
        instance.calls(),
        ["UpdateUserRoutingProfile", "UpdateUserSecurityProfiles"]
    );
    let fields = instance.fields();
    assert_eq!(fields.routing_profile_id, "rp-support");
    assert_eq!(fields.security_profile_ids, ["sp-agent", "sp-qa"]);
}

#[tokio::test(start_paused = true)]
async fn a_refused_later_call_leaves_the_user_partial_and_says_which() {
    let instance = Instance::new(soft(), &[("UpdateUserSecurityProfiles", &[Step::Refuse])]);
    let outcome = run_one(instance.clone(), soft(), move_and_add()).await;
    let Outcome::Partial {
        changed,
        not_changed,
        error_type,
        ..
    } = &outcome
    else {
        panic!("{outcome:?}")
    };
    assert_eq!(error_type, "InvalidParameterException");
    assert!(changed.starts_with("routing profile"), "{changed}");
    assert!(
        not_changed.starts_with("security profiles"),
        "{not_changed}"
    );
    let fields = instance.fields();
    assert_eq!(
        fields.routing_profile_id, "rp-support",
        "the first call stands"
    );
    assert_eq!(
        fields.security_profile_ids,
        ["sp-agent"],
        "the second was not made"
    );
    assert!(outcome.needs_rerun());
}

#[tokio::test(start_paused = true)]
async fn a_throttled_later_call_is_retried_after_a_read_that_keeps_the_first() {
    let instance = Instance::new(soft(), &[("UpdateUserSecurityProfiles", &[Step::Throttle])]);
    let outcome = run_one(instance.clone(), soft(), move_and_add()).await;
    let Outcome::Changed { change, .. } = &outcome else {
        panic!("{outcome:?}")
    };
    assert!(
        change.contains("routing profile") && change.contains("security profiles"),
        "both are this run's: {change}"
    );
    assert_eq!(
        instance.calls(),
        [
            "UpdateUserRoutingProfile",
            "UpdateUserSecurityProfiles",
            "UpdateUserSecurityProfiles"
        ],
        "the routing profile is not sent again"
    );
}

#[tokio::test(start_paused = true)]
async fn someone_elses_change_to_one_field_is_kept_and_the_others_go_ahead() {
    // The plan saw Agent; someone gives the user CallCenterManager before
    // its turn.
    let mut now = soft();
    now.fields.security_profile_ids = vec!["sp-manager".into()];
    let instance = Instance::new(now, &[]);
    let outcome = run_one(instance.clone(), soft(), move_and_add()).await;
    let Outcome::Partial {
        changed,
        not_changed,
        error_type,
        ..
    } = &outcome
    else {
        panic!("{outcome:?}")
    };
    assert_eq!(error_type, "ChangedMeanwhile");
    assert!(changed.starts_with("routing profile"), "{changed}");
    assert!(
        not_changed.contains("security profiles (someone else changed it")
            && not_changed.contains("sp-agent → sp-manager"),
        "{not_changed}"
    );
    let fields = instance.fields();
    assert_eq!(fields.routing_profile_id, "rp-support");
    assert_eq!(
        fields.security_profile_ids,
        ["sp-manager"],
        "not overwritten"
    );
}

#[tokio::test(start_paused = true)]
async fn a_lost_answer_on_a_later_call_counts_as_made_when_the_next_read_shows_it() {
    let instance = Instance::new(
        soft(),
        &[("UpdateUserSecurityProfiles", &[Step::ApplyThenFail])],
    );
    let outcome = run_one(instance.clone(), soft(), move_and_add()).await;
    assert!(matches!(outcome, Outcome::Changed { .. }), "{outcome:?}");
    assert_eq!(
        instance.fields().security_profile_ids,
        ["sp-agent", "sp-qa"]
    );
    assert_eq!(instance.calls().len(), 2, "not sent again");
}

#[tokio::test(start_paused = true)]
async fn a_refusal_after_a_doubtful_attempt_is_settled_by_reading_back() {
    // A 5xx (maybe made), then a final refusal: the runner asks the turn to
    // settle, and the read back shows the profiles as they were.
    let instance = Instance::new(
        soft(),
        &[("UpdateUserSecurityProfiles", &[Step::Fail, Step::Refuse])],
    );
    let outcome = run_one(instance.clone(), soft(), move_and_add()).await;
    let Outcome::Partial {
        changed,
        not_changed,
        error_type,
        ..
    } = &outcome
    else {
        panic!("{outcome:?}")
    };
    assert_eq!(error_type, "InvalidParameterException");
    assert!(changed.starts_with("routing profile"), "{changed}");
    assert!(
        not_changed.starts_with("security profiles"),
        "{not_changed}"
    );
    assert_eq!(instance.fields().security_profile_ids, ["sp-agent"]);
}
