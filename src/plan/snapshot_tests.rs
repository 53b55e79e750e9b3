//! The snapshot's calls grow with the file, not with the instance.

use std::collections::BTreeMap;
use std::sync::Mutex;

use super::*;
use crate::connect::{CreatedUser, NewUser, PhoneConfig, UserConfig, UserFields};
use crate::identity::Identity;
use crate::user::PhoneType;

/// An instance of `users` users and 50 hierarchy groups that counts calls.
struct Counting {
    users: usize,
    calls: Mutex<BTreeMap<&'static str, usize>>,
}

impl Counting {
    fn new(users: usize) -> Counting {
        Counting {
            users,
            calls: Mutex::new(BTreeMap::new()),
        }
    }
    fn call(&self, name: &'static str) {
        *self.calls.lock().unwrap().entry(name).or_insert(0) += 1;
    }
    fn calls(&self) -> BTreeMap<&'static str, usize> {
        self.calls.lock().unwrap().clone()
    }
}

fn named(id: String) -> NamedResource {
    NamedResource {
        arn: format!("arn:{id}"),
        name: id.clone(),
        id,
    }
}

#[async_trait::async_trait]
impl ConnectApi for Counting {
    async fn describe_instance(&self) -> Result<InstanceInfo, ApiError> {
        self.call("DescribeInstance");
        Ok(instance())
    }
    async fn list_routing_profiles(&self) -> Result<Vec<NamedResource>, ApiError> {
        self.call("ListRoutingProfiles");
        Ok(vec![named("rp".into())])
    }
    async fn list_security_profiles(&self) -> Result<Vec<NamedResource>, ApiError> {
        self.call("ListSecurityProfiles");
        Ok(vec![named("sp".into())])
    }
    async fn list_hierarchy_groups(&self) -> Result<Vec<NamedResource>, ApiError> {
        self.call("ListUserHierarchyGroups");
        Ok((0..50).map(|i| named(format!("g{i}"))).collect())
    }
    async fn describe_hierarchy_group(&self, id: &str) -> Result<HierarchyGroup, ApiError> {
        self.call("DescribeUserHierarchyGroup");
        Ok(HierarchyGroup {
            id: id.into(),
            name: id.into(),
            level_id: "l1".into(),
            path: vec![named(id.into())],
        })
    }
    async fn list_users(&self) -> Result<Vec<UserSummary>, ApiError> {
        // One call per page of 1,000, as the SDK client makes them.
        for _ in 0..self.users.div_ceil(1000).max(1) {
            self.call("ListUsers");
        }
        Ok((0..self.users)
            .map(|i| summary(&format!("user{i}")))
            .collect())
    }
    async fn count_users(&self) -> Result<u64, ApiError> {
        self.call("SearchUsers");
        Ok(self.users as u64)
    }
    async fn find_user(&self, username: &str) -> Result<Option<UserSummary>, ApiError> {
        self.call("SearchUsers");
        let n: Option<usize> = username.strip_prefix("user").and_then(|n| n.parse().ok());
        Ok(n.filter(|n| *n < self.users).map(|_| summary(username)))
    }
    async fn search_users(
        &self,
        _: &crate::connect::UserQuery,
        _: Option<&str>,
    ) -> Result<crate::connect::SearchPage, ApiError> {
        unreachable!("not used here")
    }
    async fn describe_user(&self, id: &str) -> Result<ExistingUser, ApiError> {
        self.call("DescribeUser");
        Ok(ExistingUser {
            last_modified: None,
            id: id.into(),
            arn: format!("arn:{id}"),
            fields: fields(id),
        })
    }
    async fn create_user(&self, _: &NewUser) -> Result<CreatedUser, ApiError> {
        unreachable!("the snapshot never writes")
    }
    async fn update_user_config(&self, _: &str, _: &UserConfig) -> Result<(), ApiError> {
        unreachable!("the snapshot never writes")
    }
    async fn delete_user(&self, _: &str) -> Result<(), ApiError> {
        unreachable!("the snapshot never writes")
    }
}

fn instance() -> InstanceInfo {
    InstanceInfo {
        id: "i".into(),
        arn: "arn:i".into(),
        alias: None,
        identity: Identity::ConnectManaged,
    }
}

fn summary(username: &str) -> UserSummary {
    UserSummary {
        last_modified: None,
        id: username.into(),
        arn: format!("arn:{username}"),
        username: username.into(),
    }
}

fn fields(username: &str) -> UserFields {
    UserFields {
        username: username.into(),
        phone_config: Some(PhoneConfig {
            phone_type: Some(PhoneType::SoftPhone),
            ..PhoneConfig::default()
        }),
        security_profile_ids: vec!["sp".into()],
        routing_profile_id: "rp".into(),
        ..UserFields::default()
    }
}

fn spec(login: &str, hierarchy: &[&str]) -> UserSpec {
    UserSpec {
        line: 2,
        login: login.into(),
        first_name: None,
        last_name: None,
        email: None,
        secondary_email: None,
        mobile: None,
        password: None,
        routing_profile: "rp".into(),
        security_profiles: vec!["sp".into()],
        hierarchy: hierarchy.iter().map(|s| s.to_string()).collect(),
        phone_type: PhoneType::SoftPhone,
        phone_number: None,
        auto_accept: Some(false),
        acw_timeout: Some(0),
        persistent_connection: Some(false),
        audio_enhancement: None,
        tags: BTreeMap::new(),
    }
}

async fn gather_for(api: Arc<Counting>, specs: &[UserSpec]) -> Snapshot {
    let refs: Vec<&UserSpec> = specs.iter().collect();
    gather(api, instance(), &Wanted::of(refs.iter().copied()), 4)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_small_file_on_a_large_instance_searches_login_by_login() {
    let api = Arc::new(Counting::new(25_000));
    let specs = [
        spec("user7", &[]),
        spec("new.agent", &[]),
        spec("user24999", &[]),
    ];
    let snapshot = gather_for(api.clone(), &specs).await;
    assert_eq!(snapshot.existing.len(), 2);
    let calls = api.calls();
    assert_eq!(calls.get("ListUsers"), None, "{calls:?}");
    assert_eq!(
        calls["SearchUsers"],
        1 + 3,
        "one count, one search per login: {calls:?}"
    );
    assert_eq!(calls["DescribeUser"], 2, "{calls:?}");
}

#[tokio::test]
async fn a_large_file_on_a_small_instance_lists_the_users_once() {
    let api = Arc::new(Counting::new(12));
    let specs: Vec<UserSpec> = (0..40).map(|i| spec(&format!("user{i}"), &[])).collect();
    let snapshot = gather_for(api.clone(), &specs).await;
    assert_eq!(snapshot.existing.len(), 12);
    let calls = api.calls();
    assert_eq!(calls["ListUsers"], 1, "{calls:?}");
    assert_eq!(calls["SearchUsers"], 1, "only the count: {calls:?}");
}

#[tokio::test]
async fn only_the_hierarchy_groups_the_file_names_are_described() {
    let api = Arc::new(Counting::new(0));
    let specs = [spec("a", &["g3"]), spec("b", &["g3"]), spec("c", &["g7"])];
    gather_for(api.clone(), &specs).await;
    let calls = api.calls();
    assert_eq!(calls["ListUserHierarchyGroups"], 1, "{calls:?}");
    assert_eq!(
        calls["DescribeUserHierarchyGroup"], 2,
        "of 50 groups: {calls:?}"
    );

    let api = Arc::new(Counting::new(0));
    gather_for(api.clone(), &[spec("a", &[])]).await;
    assert_eq!(
        api.calls().get("ListUserHierarchyGroups"),
        None,
        "no hierarchy in the file"
    );
}
