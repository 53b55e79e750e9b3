//! The bodies of SearchRoutingProfiles, SearchSecurityProfiles and
//! SearchUserHierarchyGroups into one [`ResourceFilter`]; a member the model
//! does not define is refused by name.
//!
//! Criteria take the `FieldName`s each operation's model documents: routing
//! profiles `name`, `description`, `associatedQueueIds`, `resourceID`;
//! security profiles `name`; hierarchy groups `name`, `parentId`,
//! `levelId`, `resourceID` (in any case, as SearchUsers' do). A tag
//! condition matches nothing: the local profiles and groups carry no tags.

use serde::Deserialize;

use crate::connect::ApiError;
use crate::local::config::{ResourceField, ResourceFilter};
use crate::local::search::Comparison;
use crate::local::service::invalid_parameter;

/// A Search* body for resources; `F` is the operation's `SearchFilter`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SearchBody<F> {
    instance_id: Option<String>,
    pub max_results: Option<i32>,
    pub next_token: Option<String>,
    search_criteria: Option<CriteriaWire>,
    search_filter: Option<F>,
}

impl<F: SearchFilterWire> SearchBody<F> {
    pub fn instance_id(&self) -> Result<String, ApiError> {
        self.instance_id
            .clone()
            .ok_or_else(|| invalid_parameter("InstanceId is required"))
    }

    /// The criteria and the filter together; `fields` are the criteria's
    /// field names the operation documents.
    pub fn filter(&self, fields: &[&str]) -> Result<ResourceFilter, ApiError> {
        let mut parts = vec![];
        if let Some(criteria) = &self.search_criteria {
            parts.push(criteria.filter(fields)?);
        }
        if let Some(filter) = &self.search_filter {
            parts.push(filter.filter()?);
        }
        Ok(ResourceFilter::And(parts))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct CriteriaWire {
    or_conditions: Option<Vec<CriteriaWire>>,
    and_conditions: Option<Vec<CriteriaWire>>,
    string_condition: Option<StringConditionWire>,
}

impl CriteriaWire {
    fn filter(&self, fields: &[&str]) -> Result<ResourceFilter, ApiError> {
        let list = |items: &[CriteriaWire]| {
            items
                .iter()
                .map(|c| c.filter(fields))
                .collect::<Result<Vec<_>, _>>()
        };
        let mut parts = vec![];
        if let Some(items) = &self.or_conditions {
            parts.push(ResourceFilter::Or(list(items)?));
        }
        if let Some(items) = &self.and_conditions {
            parts.push(ResourceFilter::And(list(items)?));
        }
        if let Some(condition) = &self.string_condition {
            parts.push(condition.filter(fields)?);
        }
        Ok(ResourceFilter::And(parts))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct StringConditionWire {
    field_name: Option<String>,
    value: Option<String>,
    comparison_type: Option<String>,
}

impl StringConditionWire {
    fn filter(&self, fields: &[&str]) -> Result<ResourceFilter, ApiError> {
        let named = self.field_name.as_deref().unwrap_or_default();
        let Some(known) = fields.iter().find(|f| f.eq_ignore_ascii_case(named)) else {
            return Err(invalid_parameter(format!(
                "StringCondition.FieldName '{named}' must be one of {}",
                fields.join(", ")
            )));
        };
        let field = match *known {
            "name" => ResourceField::Name,
            "resourceID" => ResourceField::ResourceId,
            "parentId" => ResourceField::ParentId,
            "levelId" => ResourceField::LevelId,
            _ => ResourceField::Unkept,
        };
        let comparison = match self.comparison_type.as_deref() {
            Some("EXACT") => Comparison::Exact,
            Some("STARTS_WITH") => Comparison::StartsWith,
            Some("CONTAINS") => Comparison::Contains,
            other => {
                return Err(invalid_parameter(format!(
                    "StringCondition.ComparisonType {} must be EXACT, STARTS_WITH or CONTAINS",
                    other.map_or("is missing: it".to_string(), |v| format!("'{v}'"))
                )))
            }
        };
        let value = self
            .value
            .clone()
            .ok_or_else(|| invalid_parameter("StringCondition.Value is required"))?;
        Ok(ResourceFilter::Condition {
            field,
            comparison,
            value,
        })
    }
}

/// An operation's `SearchFilter` into a filter.
pub trait SearchFilterWire {
    fn filter(&self) -> Result<ResourceFilter, ApiError>;
}

/// A `TagCondition`: the local instance's profiles and groups carry no
/// tags, so it matches nothing.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct TagConditionWire {
    #[serde(rename = "TagKey")]
    _key: Option<String>,
    #[serde(rename = "TagValue")]
    _value: Option<String>,
}

fn tags_all(conditions: &[TagConditionWire]) -> ResourceFilter {
    ResourceFilter::And(conditions.iter().map(|_| ResourceFilter::Nothing).collect())
}

/// SearchRoutingProfiles' and SearchSecurityProfiles' `SearchFilter`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct TagSearchFilterWire {
    tag_filter: Option<TagFilterWire>,
}

/// `ControlPlaneTagFilter`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct TagFilterWire {
    or_conditions: Option<Vec<Vec<TagConditionWire>>>,
    and_conditions: Option<Vec<TagConditionWire>>,
    tag_condition: Option<TagConditionWire>,
}

impl SearchFilterWire for TagSearchFilterWire {
    fn filter(&self) -> Result<ResourceFilter, ApiError> {
        let Some(tags) = &self.tag_filter else {
            return Ok(ResourceFilter::All);
        };
        let mut parts = vec![];
        if let Some(any) = &tags.or_conditions {
            parts.push(ResourceFilter::Or(
                any.iter().map(|all| tags_all(all)).collect(),
            ));
        }
        if let Some(all) = &tags.and_conditions {
            parts.push(tags_all(all));
        }
        if tags.tag_condition.is_some() {
            parts.push(ResourceFilter::Nothing);
        }
        Ok(ResourceFilter::And(parts))
    }
}

/// SearchUserHierarchyGroups' `SearchFilter`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AttributeSearchFilterWire {
    attribute_filter: Option<AttributeFilterWire>,
}

/// `ControlPlaneAttributeFilter`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct AttributeFilterWire {
    or_conditions: Option<Vec<CommonAndWire>>,
    and_condition: Option<CommonAndWire>,
    tag_condition: Option<TagConditionWire>,
}

/// `CommonAttributeAndCondition`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct CommonAndWire {
    tag_conditions: Option<Vec<TagConditionWire>>,
}

impl SearchFilterWire for AttributeSearchFilterWire {
    fn filter(&self) -> Result<ResourceFilter, ApiError> {
        let Some(attributes) = &self.attribute_filter else {
            return Ok(ResourceFilter::All);
        };
        let all = |and: &CommonAndWire| tags_all(and.tag_conditions.as_deref().unwrap_or_default());
        let mut parts = vec![];
        if let Some(any) = &attributes.or_conditions {
            parts.push(ResourceFilter::Or(any.iter().map(all).collect()));
        }
        if let Some(and) = &attributes.and_condition {
            parts.push(all(and));
        }
        if attributes.tag_condition.is_some() {
            parts.push(ResourceFilter::Nothing);
        }
        Ok(ResourceFilter::And(parts))
    }
}
