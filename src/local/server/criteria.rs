//! SearchUsers' request: `SearchCriteria` and `SearchFilter` as the model
//! defines them, into one [`UserFilter`].
//!
//! Criteria: `StringCondition` on `Username`, `FirstName`, `LastName`,
//! `RoutingProfileId`, `SecurityProfileId` and `ResourceId` (the field name
//! in any case: the model itself writes `resourceId`), `HierarchyGroupCondition`
//! (`EXACT`, the default, or `WITH_CHILD_GROUPS`), `ListCondition` (target
//! `PROFICIENCIES`: a user with one proficiency passing all its
//! conditions), nested in `AndConditions` / `OrConditions`; several
//! members of one object must all hold. Filters: `TagFilter` and
//! `UserAttributeFilter`, each an OR of ANDs. Criteria and filter must both
//! hold. Anything else is InvalidParameterException naming it.

use serde::Deserialize;

use crate::connect::{ApiError, ApiErrorKind};
use crate::local::search::{Comparison, UserField, UserFilter};
use crate::local::server::list_condition::ListConditionWire;
use crate::local::service::invalid_parameter;

/// The SearchUsers body.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SearchUsersBody {
    pub instance_id: Option<String>,
    pub max_results: Option<i32>,
    pub next_token: Option<String>,
    search_criteria: Option<CriteriaWire>,
    search_filter: Option<FilterWire>,
}

impl SearchUsersBody {
    /// The filter the criteria and the search filter make together.
    pub fn filter(&self) -> Result<UserFilter, ApiError> {
        let mut parts = Vec::new();
        if let Some(criteria) = &self.search_criteria {
            parts.push(criteria.filter()?);
        }
        if let Some(filter) = &self.search_filter {
            parts.push(filter.filter()?);
        }
        Ok(all_of(parts))
    }
}

fn all_of(mut parts: Vec<UserFilter>) -> UserFilter {
    match parts.len() {
        0 => UserFilter::All,
        1 => parts.remove(0),
        _ => UserFilter::And(parts),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct CriteriaWire {
    or_conditions: Option<Vec<CriteriaWire>>,
    and_conditions: Option<Vec<CriteriaWire>>,
    string_condition: Option<StringConditionWire>,
    list_condition: Option<ListConditionWire>,
    hierarchy_group_condition: Option<HierarchyGroupConditionWire>,
}

impl CriteriaWire {
    fn filter(&self) -> Result<UserFilter, ApiError> {
        let list = |items: &[CriteriaWire]| -> Result<Vec<UserFilter>, ApiError> {
            items.iter().map(CriteriaWire::filter).collect()
        };
        let mut parts = Vec::new();
        if let Some(items) = &self.or_conditions {
            parts.push(UserFilter::Or(list(items)?));
        }
        if let Some(items) = &self.and_conditions {
            parts.push(UserFilter::And(list(items)?));
        }
        if let Some(condition) = &self.string_condition {
            parts.push(condition.filter()?);
        }
        if let Some(condition) = &self.list_condition {
            parts.push(condition.filter()?);
        }
        if let Some(condition) = &self.hierarchy_group_condition {
            parts.push(condition.filter()?);
        }
        Ok(all_of(parts))
    }
}

/// A member's value in a message before "must be …": quoted as sent, or
/// that it is missing (never Rust's `Some("…")` / `None`).
pub(crate) fn shown(value: Option<&str>) -> String {
    value.map_or_else(|| "is missing: it".to_string(), |v| format!("'{v}'"))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(crate) struct StringConditionWire {
    pub(crate) field_name: Option<String>,
    value: Option<String>,
    comparison_type: Option<String>,
}

impl StringConditionWire {
    pub(crate) fn comparison(&self) -> Result<Comparison, ApiError> {
        match self.comparison_type.as_deref() {
            Some("EXACT") => Ok(Comparison::Exact),
            Some("STARTS_WITH") => Ok(Comparison::StartsWith),
            Some("CONTAINS") => Ok(Comparison::Contains),
            other => Err(invalid_parameter(format!(
                "StringCondition.ComparisonType {} must be EXACT, STARTS_WITH or CONTAINS",
                shown(other)
            ))),
        }
    }

    pub(crate) fn value(&self) -> Result<&str, ApiError> {
        self.value
            .as_deref()
            .ok_or_else(|| invalid_parameter("StringCondition.Value is required"))
    }

    fn filter(&self) -> Result<UserFilter, ApiError> {
        let field = match self
            .field_name
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("username") => UserField::Username,
            Some("firstname") => UserField::FirstName,
            Some("lastname") => UserField::LastName,
            Some("routingprofileid") => UserField::RoutingProfileId,
            Some("securityprofileid") => UserField::SecurityProfileId,
            Some("resourceid") => UserField::ResourceId,
            _ => {
                return Err(invalid_parameter(format!(
                    "StringCondition.FieldName {} must be a supported field: Username, FirstName, \
                     LastName, RoutingProfileId, SecurityProfileId or ResourceId",
                    shown(self.field_name.as_deref())
                )))
            }
        };
        Ok(UserFilter::Condition {
            field,
            comparison: self.comparison()?,
            value: self.value()?.to_string(),
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct HierarchyGroupConditionWire {
    value: Option<String>,
    hierarchy_group_match_type: Option<String>,
}

impl HierarchyGroupConditionWire {
    fn filter(&self) -> Result<UserFilter, ApiError> {
        let group_id = self
            .value
            .clone()
            .ok_or_else(|| invalid_parameter("HierarchyGroupCondition.Value is required"))?;
        let with_child_groups = match self.hierarchy_group_match_type.as_deref() {
            None | Some("EXACT") => false,
            Some("WITH_CHILD_GROUPS") => true,
            Some(other) => {
                return Err(invalid_parameter(format!(
                    "HierarchyGroupCondition.HierarchyGroupMatchType '{other}' must be EXACT or WITH_CHILD_GROUPS"
                )))
            }
        };
        Ok(UserFilter::HierarchyGroup {
            group_id,
            with_child_groups,
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct FilterWire {
    tag_filter: Option<TagFilterWire>,
    user_attribute_filter: Option<AttributeFilterWire>,
}

impl FilterWire {
    fn filter(&self) -> Result<UserFilter, ApiError> {
        // The model's UserSearchFilter.UserAttributeFilter: "combination of
        // both is not supported and such request will throw AccessDeniedException".
        if self.tag_filter.is_some() && self.user_attribute_filter.is_some() {
            return Err(ApiError::new(
                ApiErrorKind::AccessDenied,
                "AccessDeniedException",
                "SearchFilter takes TagFilter or UserAttributeFilter, not both",
            ));
        }
        let mut parts = Vec::new();
        if let Some(tags) = &self.tag_filter {
            parts.push(tags.filter()?);
        }
        if let Some(attributes) = &self.user_attribute_filter {
            parts.push(attributes.filter()?);
        }
        Ok(all_of(parts))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct TagConditionWire {
    tag_key: Option<String>,
    tag_value: Option<String>,
}

impl TagConditionWire {
    fn filter(&self) -> Result<UserFilter, ApiError> {
        let key = self
            .tag_key
            .clone()
            .ok_or_else(|| invalid_parameter("TagCondition.TagKey is required"))?;
        Ok(UserFilter::Tag {
            key,
            value: self.tag_value.clone(),
        })
    }
}

fn tags_and(conditions: &[TagConditionWire]) -> Result<UserFilter, ApiError> {
    Ok(UserFilter::And(
        conditions
            .iter()
            .map(TagConditionWire::filter)
            .collect::<Result<_, _>>()?,
    ))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct TagFilterWire {
    or_conditions: Option<Vec<Vec<TagConditionWire>>>,
    and_conditions: Option<Vec<TagConditionWire>>,
    tag_condition: Option<TagConditionWire>,
}

impl TagFilterWire {
    fn filter(&self) -> Result<UserFilter, ApiError> {
        let mut parts = Vec::new();
        if let Some(any) = &self.or_conditions {
            let alternatives = any
                .iter()
                .map(|all| tags_and(all))
                .collect::<Result<_, _>>()?;
            parts.push(UserFilter::Or(alternatives));
        }
        if let Some(all) = &self.and_conditions {
            parts.push(tags_and(all)?);
        }
        if let Some(condition) = &self.tag_condition {
            parts.push(condition.filter()?);
        }
        Ok(all_of(parts))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct AttributeAndWire {
    tag_conditions: Option<Vec<TagConditionWire>>,
    hierarchy_group_condition: Option<HierarchyGroupConditionWire>,
}

impl AttributeAndWire {
    fn filter(&self) -> Result<UserFilter, ApiError> {
        let mut parts = Vec::new();
        if let Some(tags) = &self.tag_conditions {
            parts.push(tags_and(tags)?);
        }
        if let Some(group) = &self.hierarchy_group_condition {
            parts.push(group.filter()?);
        }
        Ok(all_of(parts))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct AttributeFilterWire {
    or_conditions: Option<Vec<AttributeAndWire>>,
    and_condition: Option<AttributeAndWire>,
    tag_condition: Option<TagConditionWire>,
    hierarchy_group_condition: Option<HierarchyGroupConditionWire>,
}

impl AttributeFilterWire {
    fn filter(&self) -> Result<UserFilter, ApiError> {
        // ControlPlaneUserAttributeFilter: "Only one field can be populated."
        let set = [
            ("OrConditions", self.or_conditions.is_some()),
            ("AndCondition", self.and_condition.is_some()),
            ("TagCondition", self.tag_condition.is_some()),
            (
                "HierarchyGroupCondition",
                self.hierarchy_group_condition.is_some(),
            ),
        ];
        let given: Vec<&str> = set.iter().filter(|(_, on)| *on).map(|(m, _)| *m).collect();
        if given.len() > 1 {
            return Err(invalid_parameter(format!(
                "UserAttributeFilter takes only one of OrConditions, AndCondition, TagCondition \
                 and HierarchyGroupCondition, got {}",
                given.join(" and ")
            )));
        }
        let mut parts = Vec::new();
        if let Some(any) = &self.or_conditions {
            let alternatives = any
                .iter()
                .map(AttributeAndWire::filter)
                .collect::<Result<_, _>>()?;
            parts.push(UserFilter::Or(alternatives));
        }
        if let Some(all) = &self.and_condition {
            parts.push(all.filter()?);
        }
        if let Some(tag) = &self.tag_condition {
            parts.push(tag.filter()?);
        }
        if let Some(group) = &self.hierarchy_group_condition {
            parts.push(group.filter()?);
        }
        Ok(all_of(parts))
    }
}

#[cfg(test)]
#[path = "criteria_tests.rs"]
mod tests;
