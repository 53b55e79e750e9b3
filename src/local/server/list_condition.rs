//! SearchUsers' `ListCondition`: the one list the model names,
//! `PROFICIENCIES`, with `StringCondition`s on a proficiency's `name` and
//! `value` and `NumberCondition`s on its level (`limit`), into a filter that
//! matches a user with one proficiency passing them all.

use serde::Deserialize;

use crate::connect::ApiError;
use crate::local::search::{ProficiencyTest, UserFilter};
use crate::local::server::criteria::{shown, StringConditionWire};
use crate::local::service::invalid_parameter;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(crate) struct ListConditionWire {
    target_list_type: Option<String>,
    conditions: Option<Vec<ConditionWire>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ConditionWire {
    string_condition: Option<StringConditionWire>,
    number_condition: Option<NumberConditionWire>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct NumberConditionWire {
    field_name: Option<String>,
    min_value: Option<i64>,
    max_value: Option<i64>,
    comparison_type: Option<String>,
}

impl ListConditionWire {
    /// A proficiency condition: the user has one proficiency that passes
    /// every condition listed.
    pub(crate) fn filter(&self) -> Result<UserFilter, ApiError> {
        if self.target_list_type.as_deref() != Some("PROFICIENCIES") {
            return Err(invalid_parameter(format!(
                "ListCondition.TargetListType {} must be PROFICIENCIES",
                shown(self.target_list_type.as_deref())
            )));
        }
        let mut tests = vec![];
        for condition in self.conditions.iter().flatten() {
            if let Some(string) = &condition.string_condition {
                let name = string.field_name.as_deref();
                if !matches!(name, Some("name" | "value")) {
                    return Err(invalid_parameter(format!(
                        "ListCondition: StringCondition.FieldName {} must be name or value",
                        shown(name)
                    )));
                }
                tests.push(ProficiencyTest::Text {
                    value_field: name == Some("value"),
                    comparison: string.comparison()?,
                    text: string.value()?.to_string(),
                });
            }
            if let Some(number) = &condition.number_condition {
                if number.field_name.as_deref() != Some("limit") {
                    return Err(invalid_parameter(format!(
                        "ListCondition: NumberCondition.FieldName {} must be limit",
                        shown(number.field_name.as_deref())
                    )));
                }
                const TYPES: [&str; 7] = [
                    "GREATER_OR_EQUAL",
                    "GREATER",
                    "LESSER_OR_EQUAL",
                    "LESSER",
                    "EQUAL",
                    "NOT_EQUAL",
                    "RANGE",
                ];
                if !number
                    .comparison_type
                    .as_deref()
                    .is_some_and(|t| TYPES.contains(&t))
                {
                    return Err(invalid_parameter(format!(
                        "ListCondition: NumberCondition.ComparisonType {} must be one of {}",
                        shown(number.comparison_type.as_deref()),
                        TYPES.join(", ")
                    )));
                }
                if number.min_value.is_none() && number.max_value.is_none() {
                    return Err(invalid_parameter(
                        "ListCondition: NumberCondition needs MinValue or MaxValue",
                    ));
                }
                let operator = match number.comparison_type.as_deref() {
                    Some("GREATER_OR_EQUAL") => ">=",
                    Some("GREATER") => ">",
                    Some("LESSER_OR_EQUAL") => "<=",
                    Some("LESSER") => "<",
                    Some("EQUAL") => "=",
                    Some("NOT_EQUAL") => "!=",
                    _ => "RANGE",
                };
                tests.push(ProficiencyTest::Level {
                    operator,
                    min: number.min_value,
                    max: number.max_value,
                });
            }
        }
        Ok(UserFilter::Proficiency(tests))
    }
}
