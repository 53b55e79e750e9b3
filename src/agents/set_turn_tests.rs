//! One agent through the batch engine against a scripted instance: what the
//! read before each attempt sees decides the outcome, and the outcome is
//! what the instance holds.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use super::*;
use crate::agents::directory::Directory;
use crate::agents::set::{plan, Voice, WantedSettings};
use crate::connect::{Channel, PersistentConnectionConfig, UserConfig};
use crate::connect::{
    CreatedUser, HierarchyGroup, IdentityInfo, InstanceInfo, NamedResource, NewUser, PhoneConfig,
    SearchPage, UserFields, UserQuery, UserSummary,
};
use crate::run::engine::{submit, SubmitOptions};

/// What one UpdateUserConfig does.
#[derive(Clone, Copy)]
enum Step {
    Apply,
    Throttle,
    /// Applies, then fails as if the answer were lost.
    ApplyThenFail,
}

/// Someone else's change to the user.
type Meanwhile = Box<dyn FnOnce(&mut ExistingUser) + Send>;

/// One user; each write follows the script, and `meanwhile` runs after
/// the first write attempt (someone else's change).
struct Instance {
    user: Mutex<ExistingUser>,
    steps: Mutex<VecDeque<Step>>,
    meanwhile: Mutex<Option<Meanwhile>>,
    writes: Mutex<usize>,
}

impl Instance {
    fn new(user: ExistingUser, steps: &[Step]) -> Instance {
        Instance {
            user: Mutex::new(user),
            steps: Mutex::new(steps.iter().copied().collect()),
            meanwhile: Mutex::new(None),
            writes: Mutex::new(0),
        }
    }

    fn voice(&self) -> Voice {
        Voice::of_user(&self.user.lock().unwrap())
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
            security_profile_ids: vec!["sp".into()],
            routing_profile_id: "rp".into(),
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
    async fn update_user_config(&self, _: &str, config: &UserConfig) -> Result<(), ApiError> {
        *self.writes.lock().unwrap() += 1;
        let step = self
            .steps
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or(Step::Apply);
        let answer = match step {
            Step::Throttle => Err(ApiError::new(
                ApiErrorKind::Throttling,
                "ThrottlingException",
                "Rate exceeded",
            )),
            Step::Apply | Step::ApplyThenFail => {
                let mut user = self.user.lock().unwrap();
                if let Some(entry) = config.persistent_connection.first() {
                    set_persistent(&mut user, entry.persistent_connection);
                }
                match step {
                    Step::Apply => Ok(()),
                    _ => Err(ApiError::new(
                        ApiErrorKind::InternalService,
                        "InternalServiceException",
                        "lost",
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

/// `agents set --persistent-connection on` for the one user, as the plan
/// saw it (`seen`), against the instance; the one outcome.
async fn run_one(instance: Arc<Instance>, seen: ExistingUser) -> Outcome {
    let names = Directory {
        routing_profiles: Vec::new(),
        security_profiles: Vec::new(),
        hierarchy_groups: Vec::new(),
        groups: BTreeMap::new(),
    };
    let wanted = WantedSettings {
        persistent_connection: Some(true),
        ..WantedSettings::default()
    };
    let agent = crate::agents::roster::agent(seen, &names);
    let patience = Patience {
        budget: Duration::from_secs(60),
        max_attempts: Some(4),
    };
    let job = plan(vec![agent], &wanted, Criteria::default()).into_job("i", true, patience);
    let (_, stop) = tokio::sync::watch::channel(false);
    let options = SubmitOptions {
        concurrency: 1,
        patience,
    };
    let (mut rows, _) = submit(instance, job.changes, options, stop, &mut |_| {}).await;
    rows.pop().unwrap().outcome
}

#[tokio::test(start_paused = true)]
async fn a_throttled_write_is_read_again_before_it_is_retried() {
    let instance = Arc::new(Instance::new(
        user(false, PhoneType::SoftPhone),
        &[Step::Throttle],
    ));
    // Someone else makes it a desk phone while the write waits for its
    // retry.
    *instance.meanwhile.lock().unwrap() = Some(Box::new(|user: &mut ExistingUser| {
        let phone = user.fields.phone_config.as_mut().unwrap();
        phone.phone_type = Some(PhoneType::DeskPhone);
        phone.desk_phone_number = Some("+12065550100".into());
    }));
    let outcome = run_one(instance.clone(), user(false, PhoneType::SoftPhone)).await;
    assert!(matches!(outcome, Outcome::Skipped { .. }), "{outcome:?}");
    assert!(!instance.voice().persistent_connection, "not written");
    assert_eq!(*instance.writes.lock().unwrap(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_write_that_may_have_been_done_is_retried_without_a_read_and_called_changed() {
    let instance = Arc::new(Instance::new(
        user(false, PhoneType::SoftPhone),
        &[Step::ApplyThenFail],
    ));
    let outcome = run_one(instance.clone(), user(false, PhoneType::SoftPhone)).await;
    // A read now would show our own change and call it unchanged.
    assert!(matches!(outcome, Outcome::Changed { .. }), "{outcome:?}");
    assert!(instance.voice().persistent_connection);
}

#[tokio::test(start_paused = true)]
async fn the_read_before_the_turn_decides() {
    // The plan saw it off; it is on now: unchanged, nothing sent.
    let instance = Arc::new(Instance::new(user(true, PhoneType::SoftPhone), &[]));
    let outcome = run_one(instance.clone(), user(false, PhoneType::SoftPhone)).await;
    assert!(matches!(outcome, Outcome::Unchanged { .. }), "{outcome:?}");
    assert_eq!(*instance.writes.lock().unwrap(), 0);

    // The plan saw it on (unchanged); it is off now: someone else's
    // change, never written.
    let instance = Arc::new(Instance::new(user(false, PhoneType::SoftPhone), &[]));
    let outcome = run_one(instance.clone(), user(true, PhoneType::SoftPhone)).await;
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
    assert_eq!(*instance.writes.lock().unwrap(), 0);

    // The plan saw a desk phone (skipped); it is a softphone now.
    let instance = Arc::new(Instance::new(user(false, PhoneType::SoftPhone), &[]));
    let outcome = run_one(instance.clone(), user(false, PhoneType::DeskPhone)).await;
    let Outcome::Failed { message, .. } = outcome else {
        panic!("{outcome:?}")
    };
    assert!(message.contains("desk phone → softphone"), "{message}");
    assert_eq!(*instance.writes.lock().unwrap(), 0);

    // As the plan saw it: changed, one write.
    let instance = Arc::new(Instance::new(user(false, PhoneType::SoftPhone), &[]));
    let outcome = run_one(instance.clone(), user(false, PhoneType::SoftPhone)).await;
    assert!(matches!(outcome, Outcome::Changed { .. }), "{outcome:?}");
    assert_eq!(*instance.writes.lock().unwrap(), 1);
}
