//! Users' proficiencies against `local serve`, through `aws-sdk-connect`:
//! associated from the instance's predefined attributes (the demo seed's
//! Language and Product), listed, re-levelled, found by SearchUsers'
//! proficiency condition, disassociated, and gone with their user.

use crate::support;

use aws_sdk_connect::types::{
    Condition, ListCondition, NumberComparisonType, NumberCondition, StringComparisonType,
    StringCondition, TargetListType, UserProficiency, UserProficiencyDisassociate,
    UserSearchCriteria,
};
use aws_sdk_connect::Client;
use support::local_server::{LocalServer, DEMO_INSTANCE_ID};
use support::sdk::{code_of, create, id_of_routing_profile, id_of_security_profile};

fn proficiency(name: &str, value: &str, level: f32) -> UserProficiency {
    UserProficiency::builder()
        .attribute_name(name)
        .attribute_value(value)
        .level(level)
        .build()
        .unwrap()
}

async fn listed(client: &Client, user_id: &str) -> Vec<(String, String, f32)> {
    let out = client
        .list_user_proficiencies()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(user_id)
        .send()
        .await
        .expect("ListUserProficiencies");
    assert!(out.last_modified_time().is_some());
    out.user_proficiency_list()
        .iter()
        .map(|p| {
            (
                p.attribute_name().into(),
                p.attribute_value().into(),
                p.level(),
            )
        })
        .collect()
}

/// The logins of users with one proficiency `name` = `value` whose level is
/// at least `level`.
async fn found(client: &Client, name: &str, value: &str, level: i64) -> Vec<String> {
    let text = |field: &str, text: &str| {
        Condition::builder()
            .string_condition(
                StringCondition::builder()
                    .field_name(field)
                    .value(text)
                    .comparison_type(StringComparisonType::Exact)
                    .build(),
            )
            .build()
    };
    let list = ListCondition::builder()
        .target_list_type(TargetListType::Proficiencies)
        .conditions(text("name", name))
        .conditions(text("value", value))
        .conditions(
            Condition::builder()
                .number_condition(
                    NumberCondition::builder()
                        .field_name("limit")
                        .min_value(level as i32)
                        .comparison_type(NumberComparisonType::GreaterOrEqual)
                        .build(),
                )
                .build(),
        )
        .build();
    let out = client
        .search_users()
        .instance_id(DEMO_INSTANCE_ID)
        .search_criteria(UserSearchCriteria::builder().list_condition(list).build())
        .send()
        .await
        .unwrap();
    out.users()
        .iter()
        .map(|u| u.username().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn proficiencies_are_associated_levelled_searched_and_disassociated() {
    let server = LocalServer::start();
    let client = server.client();
    let rp = id_of_routing_profile(&client, "Japan Support").await;
    let sp = id_of_security_profile(&client, "Agent").await;
    let created = create(&client, "skilled.agent", &rp, &sp)
        .send()
        .await
        .unwrap();
    let (id, arn) = (created.user_id().unwrap(), created.user_arn().unwrap());
    assert!(listed(&client, id).await.is_empty());

    client
        .associate_user_proficiencies()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(id)
        .user_proficiencies(proficiency("Language", "Japanese", 4.0))
        .user_proficiencies(proficiency("Product", "Billing", 2.0))
        .send()
        .await
        .expect("AssociateUserProficiencies");
    assert_eq!(
        listed(&client, id).await,
        [
            ("Language".into(), "Japanese".into(), 4.0),
            ("Product".into(), "Billing".into(), 2.0)
        ]
    );
    let refused = [
        (
            proficiency("Language", "Japanese", 3.0),
            "InvalidRequestException",
        ),
        (
            proficiency("Language", "Klingon", 3.0),
            "ResourceNotFoundException",
        ),
        (
            proficiency("Shift", "Night", 3.0),
            "ResourceNotFoundException",
        ),
        (
            proficiency("Language", "German", 2.5),
            "InvalidParameterException",
        ),
        (
            proficiency("Language", "German", 6.0),
            "InvalidParameterException",
        ),
    ];
    for (p, code) in refused {
        let call = client
            .associate_user_proficiencies()
            .instance_id(DEMO_INSTANCE_ID)
            .user_id(id)
            .user_proficiencies(p.clone());
        assert_eq!(code_of(call.send()).await, code, "{p:?}");
    }

    // by ARNs, as for every user operation
    let instance_arn = arn.split("/agent/").next().unwrap();
    client
        .update_user_proficiencies()
        .instance_id(instance_arn)
        .user_id(arn)
        .user_proficiencies(proficiency("Language", "Japanese", 5.0))
        .send()
        .await
        .expect("UpdateUserProficiencies");
    let not_associated = client
        .update_user_proficiencies()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(id)
        .user_proficiencies(proficiency("Language", "Polish", 1.0));
    assert_eq!(
        code_of(not_associated.send()).await,
        "InvalidRequestException"
    );
    assert_eq!(listed(&client, id).await[0].2, 5.0);

    // One proficiency must pass every condition: Billing is level 2, so
    // "Product = Billing at 3 or more" finds nobody, though the user has a 5.
    assert_eq!(
        found(&client, "Language", "Japanese", 5).await,
        ["skilled.agent"]
    );
    assert!(found(&client, "Language", "Japanese", 6).await.is_empty());
    assert!(found(&client, "Product", "Billing", 3).await.is_empty());
    assert_eq!(
        found(&client, "Product", "Billing", 2).await,
        ["skilled.agent"]
    );

    let page = client
        .list_user_proficiencies()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(id)
        .max_results(1)
        .send()
        .await
        .unwrap();
    assert_eq!(page.user_proficiency_list().len(), 1);
    assert!(page.next_token().is_some());

    let billing = UserProficiencyDisassociate::builder()
        .attribute_name("Product")
        .attribute_value("Billing")
        .build()
        .unwrap();
    client
        .disassociate_user_proficiencies()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(id)
        .user_proficiencies(billing.clone())
        .send()
        .await
        .expect("DisassociateUserProficiencies");
    assert_eq!(listed(&client, id).await.len(), 1);
    let again = client
        .disassociate_user_proficiencies()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(id)
        .user_proficiencies(billing);
    assert_eq!(code_of(again.send()).await, "InvalidRequestException");
    assert!(found(&client, "Product", "Billing", 1).await.is_empty());

    // gone with the user: its login, created again, starts with none
    client
        .delete_user()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(id)
        .send()
        .await
        .unwrap();
    let gone = client
        .list_user_proficiencies()
        .instance_id(DEMO_INSTANCE_ID)
        .user_id(id);
    assert_eq!(code_of(gone.send()).await, "ResourceNotFoundException");
    assert!(found(&client, "Language", "Japanese", 1).await.is_empty());
    let again = create(&client, "skilled.agent", &rp, &sp)
        .send()
        .await
        .unwrap();
    assert!(listed(&client, again.user_id().unwrap()).await.is_empty());
}
