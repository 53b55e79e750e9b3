//! The writes of [`SdkApi`] that follow a current read of the user
//! (`read_then_delete`, `read_then_update`), and the request of each kind
//! of update. Every pacing slot is taken before the read is sent, so only
//! the read's round trip lies between what was read and what is written.

use std::sync::Arc;

use aws_sdk_connect::types as sdk;

use super::super::*;
use super::{sdk_map, SdkApi};

impl SdkApi {
    /// [`ConnectApi::read_then_delete`].
    pub(super) async fn fresh_delete(
        &self,
        user_id: &str,
        delete: &(dyn for<'u> Fn(&'u ExistingUser) -> bool + Send + Sync),
    ) -> Result<ReadThenWrite, ApiError> {
        // As read_then_update: both slots first, then the read, then
        // at once the delete, so only the read's round trip lies between.
        let (reads, writes) = (self.pacers.of("DescribeUser"), self.pacers.of("DeleteUser"));
        let read_slot = reads.acquire().await;
        let write_slot = writes.acquire().await;
        let read = self
            .sent_at(&reads, read_slot, self.describe_request(user_id).send())
            .await;
        let user = match read.and_then(|out| SdkApi::described(&out, user_id)) {
            Ok(user) => user,
            Err(err) => {
                writes.refund();
                return Err(err);
            }
        };
        if !delete(&user) {
            writes.refund();
            return Ok(ReadThenWrite { user, write: None });
        }
        let request = self
            .client
            .delete_user()
            .instance_id(&self.instance_id)
            .user_id(user_id);
        let sent = self.sent_at(&writes, write_slot, request.send()).await;
        Ok(ReadThenWrite {
            user,
            write: Some(sent.map(|_| ())),
        })
    }

    /// [`ConnectApi::read_then_update`].
    pub(super) async fn fresh_updates(
        &self,
        user: &UserRef,
        operations: &[&'static str],
        decide: &(dyn for<'u> Fn(&'u ExistingUser) -> Vec<UserUpdate> + Send + Sync),
    ) -> Result<ReadThenUpdates, ApiError> {
        // Every slot first (one after the other from one bucket under a
        // shared quota), then the read, then at once the updates.
        let reads = self.pacers.of("DescribeUser");
        let read_slot = reads.acquire().await;
        let mut slots = Vec::new();
        for &operation in operations {
            let pacer = self.pacers.of(operation);
            let slot = pacer.acquire().await;
            slots.push((operation, pacer, Some(slot)));
        }
        let refund_all =
            |slots: &mut Vec<(&str, Arc<super::pace::Pacer>, Option<std::time::Instant>)>| {
                for (_, pacer, slot) in slots.iter_mut() {
                    if slot.take().is_some() {
                        pacer.refund();
                    }
                }
            };
        let read = self
            .sent_at(&reads, read_slot, self.describe_request(&user.id).send())
            .await;
        let read = match read.and_then(|out| SdkApi::described(&out, &user.id)) {
            Ok(read) => read,
            Err(err) => {
                refund_all(&mut slots);
                return Err(err);
            }
        };
        let mut sent = Vec::new();
        for update in decide(&read) {
            let reserved = slots
                .iter_mut()
                .find(|(operation, _, slot)| *operation == update.operation() && slot.is_some());
            let answer = match reserved {
                Some((_, pacer, slot)) => {
                    let pacer = pacer.clone();
                    let slot = slot.take().expect("a reserved slot");
                    self.send_update(user, &update, &pacer, slot).await
                }
                // Not foreseen by the caller: paced on its own.
                None => self.update_user(user, &update).await,
            };
            let failed = answer.is_err();
            sent.push(answer);
            if failed {
                break;
            }
        }
        refund_all(&mut slots);
        Ok(ReadThenUpdates { user: read, sent })
    }

    /// One attempt of an update, in the pacing slot it was given.
    pub(super) async fn send_update(
        &self,
        user: &UserRef,
        update: &UserUpdate,
        pacer: &super::pace::Pacer,
        slot: std::time::Instant,
    ) -> Result<(), ApiError> {
        let (instance, id) = (&self.instance_id, &user.id);
        let client = &self.client;
        match update {
            UserUpdate::RoutingProfile(profile) => {
                let send = client
                    .update_user_routing_profile()
                    .instance_id(instance)
                    .user_id(id)
                    .routing_profile_id(profile)
                    .send();
                self.sent_at(pacer, slot, send).await.map(drop)
            }
            UserUpdate::SecurityProfiles(profiles) => {
                let send = client
                    .update_user_security_profiles()
                    .instance_id(instance)
                    .user_id(id)
                    .set_security_profile_ids(Some(profiles.clone()))
                    .send();
                self.sent_at(pacer, slot, send).await.map(drop)
            }
            UserUpdate::Hierarchy(group) => {
                // No group: the member is left out, which clears it (the
                // model makes it optional; an empty ID names no group).
                let send = client
                    .update_user_hierarchy()
                    .instance_id(instance)
                    .user_id(id)
                    .set_hierarchy_group_id(group.clone())
                    .send();
                self.sent_at(pacer, slot, send).await.map(drop)
            }
            UserUpdate::IdentityInfo(info) => {
                let info = sdk::UserIdentityInfo::builder()
                    .set_first_name(info.first_name.clone())
                    .set_last_name(info.last_name.clone())
                    .set_email(info.email.clone())
                    .set_secondary_email(info.secondary_email.clone())
                    .set_mobile(info.mobile.clone())
                    .build();
                let send = client
                    .update_user_identity_info()
                    .instance_id(instance)
                    .user_id(id)
                    .identity_info(info)
                    .send();
                self.sent_at(pacer, slot, send).await.map(drop)
            }
            UserUpdate::Config(config) => {
                let lists = sdk_map::config_lists(config)?;
                let send = self.update_config_request(id, lists).send();
                self.sent_at(pacer, slot, send).await.map(drop)
            }
            UserUpdate::Tag(tags) => {
                let send = client
                    .tag_resource()
                    .resource_arn(&user.arn)
                    .set_tags(Some(tags.clone().into_iter().collect()))
                    .send();
                self.sent_at(pacer, slot, send).await.map(drop)
            }
            UserUpdate::Untag(keys) => {
                let send = client
                    .untag_resource()
                    .resource_arn(&user.arn)
                    .set_tag_keys(Some(keys.clone()))
                    .send();
                self.sent_at(pacer, slot, send).await.map(drop)
            }
        }
    }
}
