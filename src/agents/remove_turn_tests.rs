//! One user through the batch engine against a scripted instance: the read
//! before each delete decides, and the outcome is what the instance holds.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use super::*;
use crate::agents::directory::Directory;
use crate::connect::{
    CreatedUser, HierarchyGroup, IdentityInfo, InstanceInfo, NamedResource, NewUser, PhoneConfig,
    SearchPage, UserQuery, UserSummary,
};
use crate::run::engine::{submit, SubmitOptions};
use crate::user::PhoneType;

/// What one DeleteUser does.
#[derive(Clone, Copy, Debug)]
enum Step {
    Delete,
    Throttle,
    /// Fails with a 5xx without doing anything.
    Fail,
    /// Deletes, then fails as if the answer were lost.
    DeleteThenFail,
}

/// Someone else's change to the user (`None`: they deleted it).
type Meanwhile = Box<dyn FnOnce(&mut Option<ExistingUser>) + Send>;

struct Instance {
    user: Mutex<Option<ExistingUser>>,
    steps: Mutex<VecDeque<Step>>,
    /// Runs before the first read.
    meanwhile: Mutex<Option<Meanwhile>>,
    /// How many DescribeUser succeed; every later one fails with a 5xx.
    good_reads: Mutex<usize>,
    deletes: Mutex<usize>,
}

impl Instance {
    fn new(steps: &[Step]) -> Arc<Instance> {
        Arc::new(Instance {
            user: Mutex::new(Some(user())),
            steps: Mutex::new(steps.iter().copied().collect()),
            meanwhile: Mutex::new(None),
            good_reads: Mutex::new(usize::MAX),
            deletes: Mutex::new(0),
        })
    }

    fn meanwhile(self: Arc<Self>, change: Meanwhile) -> Arc<Self> {
        *self.meanwhile.lock().unwrap() = Some(change);
        self
    }

    fn there(&self) -> bool {
        self.user.lock().unwrap().is_some()
    }
}

fn lost(kind: ApiErrorKind, code: &str) -> ApiError {
    ApiError::new(kind, code, "scripted")
}

fn user() -> ExistingUser {
    ExistingUser {
        id: "u1".into(),
        arn: "arn:u1".into(),
        fields: UserFields {
            username: "ava".into(),
            identity_info: IdentityInfo {
                first_name: Some("Ava".into()),
                last_name: Some("Brooks".into()),
                ..IdentityInfo::default()
            },
            phone_config: Some(PhoneConfig {
                phone_type: Some(PhoneType::SoftPhone),
                ..PhoneConfig::default()
            }),
            config: UserConfig::default(),
            security_profile_ids: vec!["agent".into()],
            routing_profile_id: "rp".into(),
            hierarchy_group_id: None,
            tags: BTreeMap::new(),
        },
        last_modified: Some(1),
    }
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
        if let Some(change) = self.meanwhile.lock().unwrap().take() {
            change(&mut self.user.lock().unwrap());
        }
        let mut good = self.good_reads.lock().unwrap();
        if *good == 0 {
            return Err(lost(
                ApiErrorKind::InternalService,
                "InternalServiceException",
            ));
        }
        *good -= 1;
        self.user
            .lock()
            .unwrap()
            .clone()
            .ok_or_else(|| lost(ApiErrorKind::ResourceNotFound, "ResourceNotFoundException"))
    }
    async fn create_user(&self, _: &NewUser) -> Result<CreatedUser, ApiError> {
        unreachable!()
    }
    async fn update_user_config(&self, _: &str, _: &UserConfig) -> Result<(), ApiError> {
        unreachable!()
    }
    async fn delete_user(&self, _: &str) -> Result<(), ApiError> {
        *self.deletes.lock().unwrap() += 1;
        let step = self
            .steps
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or(Step::Delete);
        let mut user = self.user.lock().unwrap();
        if user.is_none() {
            return Err(lost(
                ApiErrorKind::ResourceNotFound,
                "ResourceNotFoundException",
            ));
        }
        match step {
            Step::Delete => {
                *user = None;
                Ok(())
            }
            Step::Throttle => Err(lost(ApiErrorKind::Throttling, "ThrottlingException")),
            Step::Fail => Err(lost(
                ApiErrorKind::InternalService,
                "InternalServiceException",
            )),
            Step::DeleteThenFail => {
                *user = None;
                Err(lost(ApiErrorKind::Transport, "Transport"))
            }
        }
    }
}

/// The admin profile's ID in these tests.
const ADMIN_ID: &str = "admin";

/// Removes the one user as the plan read it (`user()`), with
/// `including_admins`; the one outcome.
async fn remove_one(
    instance: Arc<Instance>,
    criteria: Criteria,
    including_admins: bool,
) -> Outcome {
    let names = Directory {
        routing_profiles: Vec::new(),
        security_profiles: Vec::new(),
        hierarchy_groups: Vec::new(),
        groups: BTreeMap::new(),
    };
    let agent = crate::agents::roster::agent(user(), &names);
    let patience = Patience {
        budget: Duration::from_secs(60),
        max_attempts: Some(4),
    };
    let admins: BTreeSet<String> = [ADMIN_ID.to_string()].into();
    let turn = RemovalTurn::new(
        agent,
        None,
        Arc::new(criteria),
        Arc::new(admins),
        including_admins,
        patience,
    );
    let (_, stop) = tokio::sync::watch::channel(false);
    let options = SubmitOptions {
        concurrency: 1,
        patience,
    };
    let (mut rows, _) = submit(instance, vec![turn], options, stop, &mut |_| {}).await;
    rows.pop().unwrap().outcome
}

async fn remove(instance: Arc<Instance>) -> Outcome {
    remove_one(instance, Criteria::default(), false).await
}

#[tokio::test(start_paused = true)]
async fn a_user_as_planned_is_removed_with_one_delete() {
    let instance = Instance::new(&[]);
    let outcome = remove(instance.clone()).await;
    assert!(matches!(outcome, Outcome::Removed { .. }), "{outcome:?}");
    assert!(!instance.there());
    assert_eq!(*instance.deletes.lock().unwrap(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_delete_whose_answer_was_lost_is_settled_by_the_next_read() {
    // Carried out, answer lost: the retry's read finds the user gone.
    let instance = Instance::new(&[Step::DeleteThenFail]);
    let outcome = remove(instance.clone()).await;
    assert!(matches!(outcome, Outcome::Removed { .. }), "{outcome:?}");
    assert!(!instance.there());
    assert_eq!(*instance.deletes.lock().unwrap(), 1, "never deleted twice");

    // Not carried out: the read finds the user, which is deleted again.
    let instance = Instance::new(&[Step::Fail, Step::Throttle]);
    let outcome = remove(instance.clone()).await;
    assert!(matches!(outcome, Outcome::Removed { .. }), "{outcome:?}");
    assert_eq!(*instance.deletes.lock().unwrap(), 3);
}

#[tokio::test(start_paused = true)]
async fn a_delete_that_never_gets_through_is_failed_when_the_user_is_still_there() {
    let instance = Instance::new(&[Step::Fail; 4]);
    let Outcome::Failed { message, .. } = remove(instance.clone()).await else {
        panic!("not failed")
    };
    assert!(message.contains("still there (read back)"), "{message}");
    assert!(instance.there());
}

#[tokio::test(start_paused = true)]
async fn a_user_someone_else_deleted_is_absent_and_nothing_is_sent() {
    let instance = Instance::new(&[]).meanwhile(Box::new(|user| *user = None));
    let Outcome::Absent { reason } = remove(instance.clone()).await else {
        panic!("not absent")
    };
    assert!(reason.contains("deleted by someone else"), "{reason}");
    assert_eq!(*instance.deletes.lock().unwrap(), 0);
}

#[tokio::test(start_paused = true)]
async fn a_user_changed_since_the_plan_is_not_deleted() {
    // Given Admin meanwhile.
    let instance = Instance::new(&[]).meanwhile(Box::new(|user| {
        let user = user.as_mut().unwrap();
        user.fields.security_profile_ids.push(ADMIN_ID.into());
    }));
    let Outcome::Failed {
        error_type,
        message,
    } = remove(instance.clone()).await
    else {
        panic!("not failed")
    };
    assert_eq!(error_type, "ChangedMeanwhile");
    assert!(
        message.contains("holds the security profile Admin now"),
        "{message}"
    );
    assert!(instance.there());

    // A new e-mail address: the backup would restore the old one.
    let instance = Instance::new(&[]).meanwhile(Box::new(|user| {
        let user = user.as_mut().unwrap();
        user.fields.identity_info.email = Some("ava@example.org".into());
    }));
    let Outcome::Failed { message, .. } = remove(instance.clone()).await else {
        panic!("not failed")
    };
    assert!(message.contains("name, e-mail or mobile"), "{message}");
    assert_eq!(*instance.deletes.lock().unwrap(), 0);
}

#[tokio::test(start_paused = true)]
async fn a_user_that_left_the_selection_is_skipped() {
    let criteria = Criteria {
        query: UserQuery {
            routing_profile_id: Some("rp".into()),
            ..UserQuery::default()
        },
        groups: BTreeMap::new(),
    };
    let instance = Instance::new(&[]).meanwhile(Box::new(|user| {
        user.as_mut().unwrap().fields.routing_profile_id = "elsewhere".into();
    }));
    let outcome = remove_one(instance.clone(), criteria, false).await;
    assert!(matches!(outcome, Outcome::Skipped { .. }), "{outcome:?}");
    assert!(instance.there());
}

#[tokio::test(start_paused = true)]
async fn a_read_that_cannot_be_made_sends_nothing_unless_a_delete_may_have_been_done() {
    let instance = Instance::new(&[]);
    *instance.good_reads.lock().unwrap() = 0;
    let outcome = remove(instance.clone()).await;
    assert!(
        matches!(&outcome, Outcome::NotSubmitted { reason } if reason.contains("nothing was deleted")),
        "{outcome:?}"
    );
    assert_eq!(*instance.deletes.lock().unwrap(), 0);

    // The first read passes, the delete is carried out but its answer is
    // lost, and no read succeeds after it: nobody can say.
    let instance = Instance::new(&[Step::DeleteThenFail]);
    *instance.good_reads.lock().unwrap() = 1;
    let outcome = remove(instance.clone()).await;
    assert!(
        matches!(&outcome, Outcome::Unknown { message, .. } if message.contains("may or may not be removed")),
        "{outcome:?}"
    );
}

#[test]
fn differences_ignore_order_and_name_what_changed() {
    let before = user().fields;
    let mut now = before.clone();
    now.security_profile_ids = vec!["agent".into()];
    assert!(differences(&before, &now).is_empty());
    now.security_profile_ids.push("qa".into());
    now.tags.insert("team".into(), "x".into());
    assert_eq!(differences(&before, &now), ["security profiles", "tags"]);
    let mut reordered = before.clone();
    reordered.security_profile_ids = vec!["b".into(), "a".into()];
    let mut sorted = before.clone();
    sorted.security_profile_ids = vec!["a".into(), "b".into()];
    assert!(differences(&reordered, &sorted).is_empty());
}
