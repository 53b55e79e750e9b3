//! The submission engine over a scripted instance: each create answers what
//! the test says, so every branch of create-then-verify is exercised.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};

use super::*;
use crate::connect::{
    CreatedUser, ExistingUser, HierarchyGroup, IdentityInfo, InstanceInfo, NamedResource, NewUser,
    PhoneConfig, UserConfig, UserFields, UserSummary,
};
use crate::user::PhoneType;

/// What one CreateUser does: commit or not, then answer.
#[derive(Clone, Copy)]
enum Step {
    Create,
    /// Commits, then the answer is lost.
    CommitThenLose,
    Fail(ApiErrorKind),
}

#[derive(Default)]
struct Scripted {
    steps: Mutex<BTreeMap<String, VecDeque<Step>>>,
    users: Mutex<BTreeMap<String, UserFields>>,
    creates: Mutex<usize>,
}

impl Scripted {
    fn script(&self, login: &str, steps: &[Step]) {
        self.steps
            .lock()
            .unwrap()
            .insert(login.into(), steps.iter().copied().collect());
    }
}

fn error(kind: ApiErrorKind) -> ApiError {
    ApiError::new(kind, format!("{kind:?}Exception"), "scripted")
}

#[async_trait::async_trait]
impl ConnectApi for Scripted {
    async fn describe_instance(&self) -> Result<InstanceInfo, ApiError> {
        unreachable!("not used by submission")
    }
    async fn list_routing_profiles(&self) -> Result<Vec<NamedResource>, ApiError> {
        unreachable!("not used by submission")
    }
    async fn list_security_profiles(&self) -> Result<Vec<NamedResource>, ApiError> {
        unreachable!("not used by submission")
    }
    async fn list_hierarchy_groups(&self) -> Result<Vec<NamedResource>, ApiError> {
        unreachable!("not used by submission")
    }
    async fn describe_hierarchy_group(&self, _: &str) -> Result<HierarchyGroup, ApiError> {
        unreachable!("not used by submission")
    }
    async fn list_users(&self) -> Result<Vec<UserSummary>, ApiError> {
        unreachable!("not used by submission")
    }
    async fn count_users(&self) -> Result<u64, ApiError> {
        unreachable!("not used by submission")
    }
    async fn find_user(&self, username: &str) -> Result<Option<UserSummary>, ApiError> {
        let users = self.users.lock().unwrap();
        Ok(users
            .contains_key(&username.to_lowercase())
            .then(|| UserSummary {
                id: format!("id-{username}"),
                arn: format!("arn-{username}"),
                username: username.into(),
            }))
    }
    async fn describe_user(&self, user_id: &str) -> Result<ExistingUser, ApiError> {
        let login = user_id.trim_start_matches("id-").to_lowercase();
        let fields = self
            .users
            .lock()
            .unwrap()
            .get(&login)
            .cloned()
            .expect("described user exists");
        Ok(ExistingUser {
            id: user_id.into(),
            arn: format!("arn-{login}"),
            fields,
        })
    }
    async fn create_user(&self, user: &NewUser) -> Result<CreatedUser, ApiError> {
        *self.creates.lock().unwrap() += 1;
        let login = user.fields.username.to_lowercase();
        let step = self
            .steps
            .lock()
            .unwrap()
            .get_mut(&login)
            .and_then(VecDeque::pop_front)
            .unwrap_or(Step::Create);
        let mut users = self.users.lock().unwrap();
        match step {
            Step::Fail(kind) => Err(error(kind)),
            _ if users.contains_key(&login) => Err(error(ApiErrorKind::DuplicateResource)),
            Step::Create => {
                users.insert(login.clone(), user.fields.clone());
                Ok(CreatedUser {
                    id: format!("id-{login}"),
                    arn: format!("arn-{login}"),
                })
            }
            Step::CommitThenLose => {
                users.insert(login, user.fields.clone());
                Err(error(ApiErrorKind::Transport))
            }
        }
    }
    async fn update_user_config(&self, _: &str, _: &UserConfig) -> Result<(), ApiError> {
        unreachable!("not used by submission")
    }
}

fn planned(line: u64, login: &str) -> PlannedCreate {
    let fields = UserFields {
        username: login.into(),
        identity_info: IdentityInfo {
            first_name: Some("A".into()),
            last_name: Some("B".into()),
            ..Default::default()
        },
        phone_config: Some(PhoneConfig {
            phone_type: Some(PhoneType::SoftPhone),
            persistent_connection: Some(true),
            ..PhoneConfig::default()
        }),
        config: UserConfig::default(),
        security_profile_ids: vec!["sp".into()],
        routing_profile_id: "rp".into(),
        hierarchy_group_id: None,
        tags: BTreeMap::new(),
    };
    PlannedCreate {
        line,
        login: login.into(),
        user: NewUser {
            fields,
            password: None,
            directory_user_id: None,
        },
    }
}

async fn run(
    api: Arc<Scripted>,
    logins: &[&str],
    concurrency: usize,
) -> (Vec<RowOutcome>, Stopped, usize) {
    let creates = logins
        .iter()
        .enumerate()
        .map(|(i, l)| planned(i as u64 + 2, l))
        .collect();
    let (_tx, rx) = watch::channel(false);
    let mut recorded = 0;
    let options = SubmitOptions {
        concurrency,
        rounds: 2,
    };
    let (outcomes, stopped) = submit(
        api,
        creates,
        Arc::new(Namer::default()),
        options,
        rx,
        &mut |_| {
            recorded += 1;
            Ok(())
        },
    )
    .await
    .unwrap();
    (outcomes, stopped, recorded)
}

#[tokio::test]
async fn a_lost_answer_after_the_commit_counts_as_created_once() {
    let api = Arc::new(Scripted::default());
    api.script("ann", &[Step::CommitThenLose]);
    let (outcomes, stopped, recorded) = run(api.clone(), &["ann", "bo"], 2).await;
    assert_eq!(stopped, Stopped::No);
    assert_eq!(recorded, 2);
    assert!(
        outcomes.iter().all(|o| o.outcome.name() == "created"),
        "{outcomes:?}"
    );
    assert_eq!(*api.creates.lock().unwrap(), 2, "read back, not retried");
}

#[tokio::test]
async fn a_failure_before_the_commit_is_retried_in_another_round() {
    let api = Arc::new(Scripted::default());
    api.script(
        "ann",
        &[Step::Fail(ApiErrorKind::InternalService), Step::Create],
    );
    let (outcomes, _, _) = run(api.clone(), &["ann"], 1).await;
    assert_eq!(outcomes[0].outcome.name(), "created");
    assert_eq!(*api.creates.lock().unwrap(), 2);
}

#[tokio::test]
async fn rounds_are_bounded() {
    let api = Arc::new(Scripted::default());
    let down = Step::Fail(ApiErrorKind::InternalService);
    api.script("ann", &[down, down, down, down]);
    let (outcomes, stopped, _) = run(api.clone(), &["ann"], 1).await;
    assert_eq!(stopped, Stopped::No);
    assert_eq!(
        outcomes[0].outcome,
        Outcome::Failed {
            error_type: "InternalServiceException".into(),
            message: "scripted".into()
        }
    );
    assert_eq!(*api.creates.lock().unwrap(), 2);
}

#[tokio::test]
async fn a_different_user_under_the_same_login_fails_the_row() {
    let api = Arc::new(Scripted::default());
    let mut other = planned(9, "ann").user.fields;
    other.routing_profile_id = "rp-other".into();
    api.users.lock().unwrap().insert("ann".into(), other);
    let (outcomes, _, _) = run(api, &["ann"], 1).await;
    match &outcomes[0].outcome {
        Outcome::Failed {
            error_type,
            message,
        } => {
            assert_eq!(error_type, "DuplicateResourceException");
            assert!(
                message.contains(r#"routing profile name: "rp-other" (instance) → "rp" (file)"#),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn refused_permissions_stop_the_run_and_leave_no_row_without_an_outcome() {
    let api = Arc::new(Scripted::default());
    api.script("ann", &[Step::Fail(ApiErrorKind::AccessDenied)]);
    let (outcomes, stopped, recorded) = run(api.clone(), &["ann", "bo", "cy", "di"], 1).await;
    assert!(
        matches!(stopped, Stopped::Fatal(ref e) if e.kind == ApiErrorKind::AccessDenied),
        "{stopped:?}"
    );
    assert_eq!(recorded, 4);
    let names: Vec<&str> = outcomes.iter().map(|o| o.outcome.name()).collect();
    assert_eq!(
        names,
        ["failed", "not_submitted", "not_submitted", "not_submitted"]
    );
    match &outcomes[0].outcome {
        Outcome::Failed { message, .. } => {
            assert!(message.contains("connect:CreateUser"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(*api.creates.lock().unwrap(), 1);
}

#[tokio::test]
async fn an_interrupt_before_the_start_sends_nothing() {
    let api = Arc::new(Scripted::default());
    let (tx, rx) = watch::channel(false);
    tx.send(true).unwrap();
    let creates = vec![planned(2, "ann"), planned(3, "bo")];
    let (outcomes, stopped) = submit(
        api.clone(),
        creates,
        Arc::new(Namer::default()),
        SubmitOptions::default(),
        rx,
        &mut |_| Ok(()),
    )
    .await
    .unwrap();
    assert_eq!(stopped, Stopped::Interrupted);
    assert!(outcomes.iter().all(|o| o.outcome.name() == "not_submitted"));
    assert_eq!(*api.creates.lock().unwrap(), 0);
}
