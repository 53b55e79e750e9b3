//! The batch engine over a scripted instance: each create answers what the
//! test says, so every branch of write-then-settle is exercised, and every
//! outcome is checked against what the scripted instance holds.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::*;
use crate::apply::create::CreateUser;
use crate::connect::{
    CreatedUser, ExistingUser, HierarchyGroup, IdentityInfo, InstanceInfo, NamedResource, NewUser,
    PhoneConfig, UserConfig, UserFields, UserSummary,
};
use crate::plan::compare::Namer;
use crate::plan::PlannedCreate;
use crate::run::outcome::RowOutcome;
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
    /// `LastModifiedTime` of users made before the run, in milliseconds.
    modified: Mutex<BTreeMap<String, i64>>,
    creates: Mutex<usize>,
    /// Reads fail with this kind while set.
    reads_fail: Mutex<Option<ApiErrorKind>>,
}

impl Scripted {
    fn script(&self, login: &str, steps: &[Step]) {
        self.steps
            .lock()
            .unwrap()
            .insert(login.into(), steps.iter().copied().collect());
    }

    fn read(&self) -> Result<(), ApiError> {
        match *self.reads_fail.lock().unwrap() {
            Some(kind) => Err(error(kind)),
            None => Ok(()),
        }
    }

    fn holds(&self, login: &str) -> bool {
        self.users.lock().unwrap().contains_key(login)
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
        self.read()?;
        Ok(self
            .users
            .lock()
            .unwrap()
            .keys()
            .map(|login| summary(login))
            .collect())
    }
    async fn count_users(&self) -> Result<u64, ApiError> {
        unreachable!("not used by submission")
    }
    async fn find_user(&self, username: &str) -> Result<Option<UserSummary>, ApiError> {
        self.read()?;
        Ok(self
            .holds(&username.to_lowercase())
            .then(|| summary(username)))
    }
    async fn search_users(
        &self,
        _: &crate::connect::UserQuery,
        _: Option<&str>,
    ) -> Result<crate::connect::SearchPage, ApiError> {
        unreachable!("not used here")
    }
    async fn describe_user(&self, user_id: &str) -> Result<ExistingUser, ApiError> {
        self.read()?;
        let login = user_id.trim_start_matches("id-").to_lowercase();
        let fields = self.users.lock().unwrap().get(&login).cloned();
        let fields = fields.ok_or_else(|| error(ApiErrorKind::ResourceNotFound))?;
        Ok(ExistingUser {
            last_modified: self.modified.lock().unwrap().get(&login).copied(),
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
    async fn delete_user(&self, _: &str) -> Result<(), ApiError> {
        unreachable!("not used by submission")
    }
}

fn summary(login: &str) -> UserSummary {
    UserSummary {
        last_modified: None,
        id: format!("id-{login}"),
        arn: format!("arn-{login}"),
        username: login.into(),
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
        security_profile_ids: vec!["sp".into()],
        routing_profile_id: "rp".into(),
        ..UserFields::default()
    };
    PlannedCreate {
        line,
        login: login.into(),
        stated: crate::connect::EffectiveSettings::of(&fields),
        user: NewUser {
            fields,
            password: None,
            directory_user_id: None,
        },
    }
}

fn changes(logins: &[&str]) -> Vec<CreateUser> {
    let namer = Arc::new(Namer::default());
    logins
        .iter()
        .enumerate()
        .map(|(i, l)| CreateUser::new(Box::new(planned(i as u64 + 2, l)), namer.clone()))
        .collect()
}

/// A short patience: the tests run on paused time.
fn options(concurrency: usize) -> SubmitOptions {
    SubmitOptions {
        concurrency,
        patience: Patience {
            budget: Duration::from_secs(60),
            max_attempts: None,
        },
    }
}

async fn run(
    api: Arc<Scripted>,
    logins: &[&str],
    concurrency: usize,
) -> (Vec<RowOutcome>, Stopped, usize) {
    let (_tx, rx) = watch::channel(false);
    let mut recorded = 0;
    let (mut outcomes, stopped) =
        submit(api, changes(logins), options(concurrency), rx, &mut |_| {
            recorded += 1
        })
        .await;
    outcomes.sort_by_key(|o| o.line);
    (outcomes, stopped, recorded)
}

fn names(outcomes: &[RowOutcome]) -> Vec<&'static str> {
    outcomes.iter().map(|o| o.outcome.name()).collect()
}

#[tokio::test(start_paused = true)]
async fn a_lost_answer_after_the_commit_is_never_claimed_as_created() {
    let api = Arc::new(Scripted::default());
    api.script("ann", &[Step::CommitThenLose]);
    let (outcomes, stopped, recorded) = run(api.clone(), &["ann", "bo"], 2).await;
    assert_eq!(stopped, Stopped::No);
    assert_eq!(recorded, 2);
    // The retry met DuplicateResourceException and the read found the
    // row's user: ours, or another job's at the same moment — nothing
    // tells them apart, so the row is `exists`, saying this run may have
    // made it.
    assert_eq!(names(&outcomes), ["exists", "created"]);
    match &outcomes[0].outcome {
        Outcome::Exists {
            unproven: Some(reason),
            ..
        } => assert!(reason.contains("may have created it"), "{reason}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(*api.creates.lock().unwrap(), 3);
    assert_eq!(api.users.lock().unwrap().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_user_modified_before_our_first_attempt_is_not_ours_after_a_lost_answer() {
    let api = Arc::new(Scripted::default());
    // Made by another job long before: our lost attempt cannot have made it.
    api.users
        .lock()
        .unwrap()
        .insert("ann".into(), planned(9, "ann").user.fields);
    api.modified.lock().unwrap().insert("ann".into(), 1_000);
    api.script("ann", &[Step::Fail(ApiErrorKind::Transport)]);
    let (outcomes, _, _) = run(api, &["ann"], 1).await;
    assert_eq!(
        outcomes[0].outcome,
        Outcome::Exists {
            user_id: "id-ann".into(),
            user_arn: "arn-ann".into(),
            unproven: None,
        }
    );
}

#[tokio::test(start_paused = true)]
async fn a_failure_before_the_commit_is_retried() {
    let api = Arc::new(Scripted::default());
    let down = Step::Fail(ApiErrorKind::InternalService);
    let slow = Step::Fail(ApiErrorKind::Throttling);
    api.script("ann", &[down, slow, down, Step::Create]);
    let (outcomes, _, _) = run(api.clone(), &["ann"], 1).await;
    assert_eq!(names(&outcomes), ["created"]);
    assert_eq!(*api.creates.lock().unwrap(), 4);
}

#[tokio::test(start_paused = true)]
async fn someone_else_creating_the_user_is_exists_not_created() {
    let api = Arc::new(Scripted::default());
    // The same user, made by another job just before our first attempt.
    api.users
        .lock()
        .unwrap()
        .insert("ann".into(), planned(9, "ann").user.fields);
    let (outcomes, _, _) = run(api, &["ann"], 1).await;
    assert_eq!(names(&outcomes), ["exists"]);
}

#[tokio::test(start_paused = true)]
async fn a_user_made_meanwhile_is_judged_by_what_the_row_states_not_by_what_is_sent() {
    // The row says audio enhancement `none`, which needs no member in the
    // request; another job's user has voice isolation: not this row's user.
    let api = Arc::new(Scripted::default());
    let mut theirs = planned(9, "ann").user.fields;
    theirs.config.voice_enhancement = vec![crate::connect::VoiceEnhancementConfig {
        channel: crate::connect::Channel::Voice,
        mode: crate::user::VoiceEnhancementMode::VoiceIsolation,
    }];
    api.users.lock().unwrap().insert("ann".into(), theirs);
    let mut row = planned(2, "ann");
    row.stated.voice_enhancement = Some(crate::user::VoiceEnhancementMode::None);
    let (_tx, rx) = watch::channel(false);
    let change = CreateUser::new(Box::new(row), Arc::new(Namer::default()));
    let (outcomes, _) = submit(api, vec![change], options(1), rx, &mut |_| {}).await;
    assert_eq!(names(&outcomes), ["failed"]);
    let (_, message) = outcomes[0].outcome.explanation();
    assert!(message.contains("audio enhancement"), "{message}");
}

#[tokio::test(start_paused = true)]
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

#[tokio::test(start_paused = true)]
async fn out_of_patience_then_a_read_that_finds_no_user_is_failed() {
    let api = Arc::new(Scripted::default());
    api.script("ann", &[Step::Fail(ApiErrorKind::InternalService); 200]);
    let (outcomes, stopped, _) = run(api.clone(), &["ann"], 1).await;
    assert_eq!(stopped, Stopped::No);
    match &outcomes[0].outcome {
        Outcome::Failed {
            error_type,
            message,
        } => {
            assert_eq!(error_type, "InternalServiceException");
            assert!(message.contains("does not exist"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(!api.holds("ann"));
}

#[tokio::test(start_paused = true)]
async fn out_of_patience_with_a_possible_commit_and_no_read_is_unknown() {
    let api = Arc::new(Scripted::default());
    let mut steps = vec![Step::CommitThenLose];
    steps.extend([Step::Fail(ApiErrorKind::Transport); 200]);
    api.script("ann", &steps);
    *api.reads_fail.lock().unwrap() = Some(ApiErrorKind::Throttling);
    let (outcomes, _, _) = run(api.clone(), &["ann"], 1).await;
    assert_eq!(names(&outcomes), ["unknown"]);
    // It may indeed exist: that is why the tool cannot call it failed.
    assert!(api.holds("ann"));
}

#[tokio::test(start_paused = true)]
async fn a_final_refusal_fails_the_row_alone() {
    let api = Arc::new(Scripted::default());
    api.script("bo", &[Step::Fail(ApiErrorKind::InvalidParameter)]);
    let (outcomes, stopped, _) = run(api.clone(), &["ann", "bo", "cy"], 1).await;
    assert_eq!(stopped, Stopped::No);
    assert_eq!(names(&outcomes), ["created", "failed", "created"]);
}

#[tokio::test(start_paused = true)]
async fn refused_permissions_stop_the_run_and_leave_no_row_without_an_outcome() {
    let api = Arc::new(Scripted::default());
    api.script("ann", &[Step::Fail(ApiErrorKind::AccessDenied)]);
    let (outcomes, stopped, recorded) = run(api.clone(), &["ann", "bo", "cy", "di"], 1).await;
    assert!(
        matches!(stopped, Stopped::Fatal(ref e) if e.kind == ApiErrorKind::AccessDenied),
        "{stopped:?}"
    );
    assert_eq!(recorded, 4);
    assert_eq!(
        names(&outcomes),
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

#[tokio::test(start_paused = true)]
async fn a_full_quota_stops_sending() {
    let api = Arc::new(Scripted::default());
    api.script("bo", &[Step::Fail(ApiErrorKind::LimitExceeded)]);
    let (outcomes, stopped, _) = run(api.clone(), &["ann", "bo", "cy", "di"], 1).await;
    assert!(
        matches!(stopped, Stopped::Fatal(ref e) if e.kind == ApiErrorKind::LimitExceeded),
        "{stopped:?}"
    );
    assert_eq!(
        names(&outcomes),
        ["created", "failed", "not_submitted", "not_submitted"]
    );
    // One attempt: a full quota is not retried.
    assert_eq!(*api.creates.lock().unwrap(), 2);
}

#[tokio::test(start_paused = true)]
async fn an_interrupt_before_the_start_sends_nothing() {
    let api = Arc::new(Scripted::default());
    let (tx, rx) = watch::channel(false);
    tx.send(true).unwrap();
    let (outcomes, stopped) = submit(
        api.clone(),
        changes(&["ann", "bo"]),
        SubmitOptions::default(),
        rx,
        &mut |_| {},
    )
    .await;
    assert_eq!(stopped, Stopped::Interrupted);
    assert!(outcomes.iter().all(|o| o.outcome.name() == "not_submitted"));
    assert_eq!(*api.creates.lock().unwrap(), 0);
}

/// A change whose check before the write sees the instance's state: like
/// `agents set`, it calls the row unchanged when the state is already as
/// wanted. Its write commits, then loses its answer, the first time.
struct Switch {
    key: RowKey,
    on: Arc<Mutex<bool>>,
    prechecks: Arc<Mutex<usize>>,
    sends: Arc<Mutex<usize>>,
}

#[async_trait::async_trait]
impl Change for Switch {
    fn key(&self) -> &RowKey {
        &self.key
    }
    async fn precheck(&self, _: &dyn ConnectApi) -> Result<Option<Outcome>, ApiError> {
        *self.prechecks.lock().unwrap() += 1;
        Ok((*self.on.lock().unwrap()).then(|| Outcome::Unchanged {
            user_id: "id".into(),
            user_arn: "arn:id".into(),
        }))
    }
    async fn send(&self, _: &dyn ConnectApi) -> Result<Outcome, ApiError> {
        let mut sends = self.sends.lock().unwrap();
        *sends += 1;
        *self.on.lock().unwrap() = true;
        if *sends == 1 {
            return Err(error(ApiErrorKind::Transport));
        }
        Ok(Outcome::Changed {
            user_id: "id".into(),
            user_arn: "arn:id".into(),
            change: "off → on".into(),
        })
    }
    fn conflicts(&self, _: &ApiError) -> bool {
        false
    }
    async fn settle(&self, _: &dyn ConnectApi, _: &Evidence) -> Result<Outcome, ApiError> {
        unreachable!("the retry succeeds")
    }
}

fn switch(on: bool) -> Switch {
    Switch {
        key: RowKey {
            line: None,
            login: "ann".into(),
        },
        on: Arc::new(Mutex::new(on)),
        prechecks: Arc::default(),
        sends: Arc::default(),
    }
}

#[tokio::test(start_paused = true)]
async fn the_check_before_the_write_runs_once_so_a_retry_never_calls_our_change_someone_elses() {
    let change = switch(false);
    let (prechecks, sends) = (change.prechecks.clone(), change.sends.clone());
    let (_tx, rx) = watch::channel(false);
    let (outcomes, _) = submit(
        Arc::new(Scripted::default()),
        vec![change],
        options(1),
        rx,
        &mut |_| {},
    )
    .await;
    // The first write committed and lost its answer; the retry's outcome
    // stands: the state the check would now see is this run's own work.
    assert_eq!(names(&outcomes), ["changed"]);
    assert_eq!((*prechecks.lock().unwrap(), *sends.lock().unwrap()), (1, 2));
}

#[tokio::test(start_paused = true)]
async fn a_check_that_settles_the_row_sends_nothing() {
    let change = switch(true);
    let sends = change.sends.clone();
    let (_tx, rx) = watch::channel(false);
    let (outcomes, _) = submit(
        Arc::new(Scripted::default()),
        vec![change],
        options(1),
        rx,
        &mut |_| {},
    )
    .await;
    assert_eq!(names(&outcomes), ["unchanged"]);
    assert_eq!(*sends.lock().unwrap(), 0);
}

/// A change whose check before the write meets an error.
struct Checked(RowKey, ApiErrorKind);

#[async_trait::async_trait]
impl Change for Checked {
    fn key(&self) -> &RowKey {
        &self.0
    }
    async fn precheck(&self, _: &dyn ConnectApi) -> Result<Option<Outcome>, ApiError> {
        Err(error(self.1))
    }
    async fn send(&self, _: &dyn ConnectApi) -> Result<Outcome, ApiError> {
        unreachable!("nothing is sent after a failed check")
    }
    fn conflicts(&self, _: &ApiError) -> bool {
        false
    }
    async fn settle(&self, _: &dyn ConnectApi, _: &Evidence) -> Result<Outcome, ApiError> {
        unreachable!("nothing was sent")
    }
}

#[tokio::test(start_paused = true)]
async fn a_user_deleted_before_its_write_failed_and_a_check_out_of_patience_is_not_sent() {
    let key = |login: &str| RowKey {
        line: None,
        login: login.into(),
    };
    let (_tx, rx) = watch::channel(false);
    let (outcomes, stopped) = submit(
        Arc::new(Scripted::default()),
        vec![
            Checked(key("ann"), ApiErrorKind::ResourceNotFound),
            Checked(key("bo"), ApiErrorKind::InternalService),
        ],
        options(1),
        rx,
        &mut |_| {},
    )
    .await;
    assert_eq!(stopped, Stopped::No);
    assert_eq!(names(&outcomes), ["failed", "not_submitted"]);
    let (_, message) = outcomes[0].outcome.explanation();
    assert!(
        message.contains("no longer exists") && message.contains("nothing was sent"),
        "{message}"
    );
    let (_, reason) = outcomes[1].outcome.explanation();
    assert!(reason.contains("run the same command again"), "{reason}");
}
