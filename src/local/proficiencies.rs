//! Users' proficiencies: ListUserProficiencies, AssociateUserProficiencies,
//! UpdateUserProficiencies and DisassociateUserProficiencies.
//!
//! A proficiency names a predefined attribute of the instance and one of
//! its values (the seed's `[predefined_attributes]`), with a level: "The
//! valid values are 1, 2, 3, 4 and 5" (the UserProficiency reference). The
//! reference says what must hold but not which error each breach is; the
//! choices here: a name or value the instance does not define is
//! ResourceNotFoundException (as an unknown routing profile is), a level or
//! member out of range InvalidParameterException, and associating a
//! proficiency the user has, or updating or disassociating one it has not
//! ("Proficiencies must first be associated to the user"),
//! InvalidRequestException. Each call is one transaction and counts as a
//! change of the user (its LastModifiedTime).

use std::collections::HashSet;

use crate::connect::ApiError;
use crate::local::db::Proficiency;
use crate::local::paging::{page_size, paginate, parse_token, Page};
use crate::local::service::{
    instance, invalid_parameter, invalid_request, not_found, user, Service,
};

/// ListUserProficiencies' page sizes: (largest, default).
const PAGE: (i32, i32) = (100, 100);

/// A user's proficiencies, and when and where the user last changed.
#[derive(Debug, Clone, PartialEq)]
pub struct UserProficiencies {
    pub page: Page<Proficiency>,
    pub modified_time: f64,
    pub region: String,
}

/// What a write does with each proficiency it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Associate,
    Update,
    Disassociate,
}

impl Service {
    pub fn list_user_proficiencies(
        &self,
        instance_id: &str,
        user_id: &str,
        max: Option<i32>,
        token: Option<&str>,
    ) -> Result<UserProficiencies, ApiError> {
        let (limit, after) = (page_size(max, PAGE)?, parse_token(token)?);
        self.store().read(|db| {
            let inst = instance(db, instance_id)?;
            let row = user(db, &inst, user_id)?;
            let rows = db.proficiencies(&inst.id, &row.id, after, limit + 1)?;
            Ok(UserProficiencies {
                page: paginate(rows, limit),
                modified_time: row.modified_time,
                region: inst.arn_base.region.clone(),
            })
        })
    }

    /// AssociateUserProficiencies: adds proficiencies the user has not got.
    pub fn associate_user_proficiencies(
        &self,
        instance_id: &str,
        user_id: &str,
        proficiencies: &[Proficiency],
    ) -> Result<(), ApiError> {
        self.change_proficiencies(instance_id, user_id, proficiencies, Change::Associate)
    }

    /// UpdateUserProficiencies: sets the levels of associated proficiencies.
    pub fn update_user_proficiencies(
        &self,
        instance_id: &str,
        user_id: &str,
        proficiencies: &[Proficiency],
    ) -> Result<(), ApiError> {
        self.change_proficiencies(instance_id, user_id, proficiencies, Change::Update)
    }

    /// DisassociateUserProficiencies (the levels given are not looked at).
    pub fn disassociate_user_proficiencies(
        &self,
        instance_id: &str,
        user_id: &str,
        proficiencies: &[Proficiency],
    ) -> Result<(), ApiError> {
        self.change_proficiencies(instance_id, user_id, proficiencies, Change::Disassociate)
    }

    fn change_proficiencies(
        &self,
        instance_id: &str,
        user_id: &str,
        proficiencies: &[Proficiency],
        change: Change,
    ) -> Result<(), ApiError> {
        check_list(proficiencies, change)?;
        self.update_user(instance_id, user_id, |db, inst, row| {
            for p in proficiencies {
                if !db.has_attribute_value(&inst.id, &p.name, &p.value)? {
                    return Err(not_found(format!(
                        "instance {} has no predefined attribute '{}' with the value '{}'",
                        inst.id, p.name, p.value
                    )));
                }
                let has = db.has_proficiency(&inst.id, &row.id, &p.name, &p.value)?;
                match (change, has) {
                    (Change::Associate, true) => {
                        return Err(invalid_request(format!(
                            "the user has the proficiency {} = {} already: change its level with UpdateUserProficiencies",
                            p.name, p.value
                        )))
                    }
                    (Change::Update | Change::Disassociate, false) => {
                        return Err(invalid_request(format!(
                            "the user has no proficiency {} = {}: associate it first with AssociateUserProficiencies",
                            p.name, p.value
                        )))
                    }
                    (Change::Disassociate, true) => {
                        db.delete_proficiency(&inst.id, &row.id, &p.name, &p.value)?
                    }
                    (Change::Associate, false) | (Change::Update, true) => {
                        db.put_proficiency(&inst.id, &row.id, p)?
                    }
                }
            }
            Ok(())
        })
    }
}

/// The members' limits: names and values of 1 to 100 characters (the
/// model's `PredefinedAttributeName` and `PredefinedAttributeStringValue`),
/// a whole level from 1 to 5, no proficiency named twice.
fn check_list(proficiencies: &[Proficiency], change: Change) -> Result<(), ApiError> {
    let mut seen = HashSet::new();
    for p in proficiencies {
        for (member, text) in [("AttributeName", &p.name), ("AttributeValue", &p.value)] {
            if !(1..=100).contains(&text.chars().count()) {
                return Err(invalid_parameter(format!(
                    "UserProficiencies: {member} '{text}' must be 1 to 100 characters"
                )));
            }
        }
        let whole = p.level.fract() == 0.0 && (1.0..=5.0).contains(&p.level);
        if change != Change::Disassociate && !whole {
            return Err(invalid_parameter(format!(
                "UserProficiencies: Level {} of {} = {} must be 1, 2, 3, 4 or 5",
                p.level, p.name, p.value
            )));
        }
        if !seen.insert((&p.name, &p.value)) {
            return Err(invalid_parameter(format!(
                "UserProficiencies names {} = {} more than once",
                p.name, p.value
            )));
        }
    }
    Ok(())
}
