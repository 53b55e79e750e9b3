//! SDK calls the local-server tests share: looking up the demo instance's
//! profiles and a CreateUser ready to send.

use aws_sdk_connect::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_connect::types::{PhoneType, UserIdentityInfo, UserPhoneConfig};
use aws_sdk_connect::Client;
use aws_smithy_runtime_api::http::Response as HttpResponse;

use super::local_server::DEMO_INSTANCE_ID;

/// The error code of a call that must fail: the service exception's name
/// (`ResourceNotFoundException`, …), or "" when the call failed without a
/// service error.
pub async fn code_of<T, E>(
    call: impl std::future::IntoFuture<Output = Result<T, SdkError<E, HttpResponse>>>,
) -> String
where
    T: std::fmt::Debug,
    E: ProvideErrorMetadata + std::fmt::Debug,
{
    let err = call.await.expect_err("the call should have failed");
    err.code().unwrap_or_default().to_string()
}

pub async fn id_of_routing_profile(client: &Client, name: &str) -> String {
    let list = client
        .list_routing_profiles()
        .instance_id(DEMO_INSTANCE_ID)
        .send()
        .await
        .unwrap();
    let rp = list
        .routing_profile_summary_list()
        .iter()
        .find(|p| p.name() == Some(name))
        .expect(name);
    rp.id().unwrap().to_string()
}

pub async fn id_of_security_profile(client: &Client, name: &str) -> String {
    let list = client
        .list_security_profiles()
        .instance_id(DEMO_INSTANCE_ID)
        .send()
        .await
        .unwrap();
    let sp = list
        .security_profile_summary_list()
        .iter()
        .find(|p| p.name() == Some(name))
        .expect(name);
    sp.id().unwrap().to_string()
}

pub fn create(
    client: &Client,
    username: &str,
    rp: &str,
    sp: &str,
) -> aws_sdk_connect::operation::create_user::builders::CreateUserFluentBuilder {
    client
        .create_user()
        .instance_id(DEMO_INSTANCE_ID)
        .username(username)
        .password("Str0ngPassw0rd")
        .identity_info(
            UserIdentityInfo::builder()
                .first_name("Test")
                .last_name("User")
                .email(format!("{username}@example.com"))
                .build(),
        )
        .phone_config(
            UserPhoneConfig::builder()
                .phone_type(PhoneType::SoftPhone)
                .auto_accept(true)
                .after_contact_work_time_limit(30)
                .build(),
        )
        .routing_profile_id(rp)
        .security_profile_ids(sp)
}

pub async fn id_of_group(client: &Client, name: &str) -> String {
    let list = client
        .list_user_hierarchy_groups()
        .instance_id(DEMO_INSTANCE_ID)
        .send()
        .await
        .unwrap();
    let group = list
        .user_hierarchy_group_summary_list()
        .iter()
        .find(|g| g.name() == Some(name))
        .expect(name);
    group.id().unwrap().to_string()
}

/// DescribeUser on the demo instance.
pub async fn describe(client: &Client, user_id: &str) -> aws_sdk_connect::types::User {
    describe_in(client, DEMO_INSTANCE_ID, user_id).await
}

/// DescribeUser on an instance.
pub async fn describe_in(
    client: &Client,
    instance_id: &str,
    user_id: &str,
) -> aws_sdk_connect::types::User {
    client
        .describe_user()
        .instance_id(instance_id)
        .user_id(user_id)
        .send()
        .await
        .unwrap()
        .user()
        .unwrap()
        .clone()
}

/// The ID of a demo user, found with SearchUsers.
pub async fn id_of_user(client: &Client, username: &str) -> String {
    use aws_sdk_connect::types::{StringComparisonType, StringCondition, UserSearchCriteria};
    let found = client
        .search_users()
        .instance_id(DEMO_INSTANCE_ID)
        .search_criteria(
            UserSearchCriteria::builder()
                .string_condition(
                    StringCondition::builder()
                        .field_name("Username")
                        .value(username)
                        .comparison_type(StringComparisonType::Exact)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    found.users()[0].id().unwrap().to_string()
}

/// Entries of the per-channel lists, built as a client builds them.
pub mod channels {
    use aws_sdk_connect::types::{
        AfterContactWorkConfig, AfterContactWorkConfigPerChannel, AutoAcceptConfig, Channel,
        PersistentConnectionConfig, PhoneNumberConfig, PhoneType, VoiceEnhancementConfig,
        VoiceEnhancementMode,
    };

    pub fn acw(channel: Channel, seconds: i32) -> AfterContactWorkConfigPerChannel {
        AfterContactWorkConfigPerChannel::builder()
            .channel(channel)
            .after_contact_work_config(
                AfterContactWorkConfig::builder()
                    .after_contact_work_time_limit(seconds)
                    .build(),
            )
            .build()
            .unwrap()
    }

    pub fn auto_accept(channel: Channel, on: bool) -> AutoAcceptConfig {
        AutoAcceptConfig::builder()
            .channel(channel)
            .auto_accept(on)
            .build()
            .unwrap()
    }

    pub fn persistent(channel: Channel, on: bool) -> PersistentConnectionConfig {
        PersistentConnectionConfig::builder()
            .channel(channel)
            .persistent_connection(on)
            .build()
            .unwrap()
    }

    pub fn voice_enhancement(mode: &str) -> VoiceEnhancementConfig {
        VoiceEnhancementConfig::builder()
            .channel(Channel::Voice)
            .voice_enhancement_mode(VoiceEnhancementMode::from(mode))
            .build()
            .unwrap()
    }

    pub fn phone_number(
        channel: Channel,
        kind: PhoneType,
        number: Option<&str>,
    ) -> PhoneNumberConfig {
        PhoneNumberConfig::builder()
            .channel(channel)
            .phone_type(kind)
            .set_phone_number(number.map(str::to_string))
            .build()
            .unwrap()
    }
}

/// The IDs of the first routing profile and the first security profile of
/// an instance, for a user whose profiles do not matter.
pub async fn first_profiles(client: &Client, instance_id: &str) -> (String, String) {
    let rp = client
        .list_routing_profiles()
        .instance_id(instance_id)
        .send()
        .await
        .unwrap()
        .routing_profile_summary_list()[0]
        .id()
        .unwrap()
        .to_string();
    let sp = client
        .list_security_profiles()
        .instance_id(instance_id)
        .send()
        .await
        .unwrap()
        .security_profile_summary_list()[0]
        .id()
        .unwrap()
        .to_string();
    (rp, sp)
}
