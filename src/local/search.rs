//! SearchUsers' filters over the store: the criteria and search filters the
//! service model defines, as one tree, and its SQL.
//!
//! Comparisons follow the service: user names and first and last names
//! ignore case, IDs, tag keys and tag values do not. A hierarchy condition
//! names a group by ID: `EXACT` matches its own users, `WITH_CHILD_GROUPS`
//! also those of every group below it. A `ListCondition` on proficiencies
//! matches a user with one proficiency that passes all its conditions
//! (names and values exactly, as the instance defines them).

/// A filter over users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserFilter {
    All,
    /// Matches no user.
    Nothing,
    Condition {
        field: UserField,
        comparison: Comparison,
        value: String,
    },
    HierarchyGroup {
        group_id: String,
        with_child_groups: bool,
    },
    /// A tag with this key (and value, when given).
    Tag {
        key: String,
        value: Option<String>,
    },
    /// A proficiency that passes every test.
    Proficiency(Vec<ProficiencyTest>),
    And(Vec<UserFilter>),
    Or(Vec<UserFilter>),
}

/// The `FieldName`s a `StringCondition` can test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserField {
    Username,
    FirstName,
    LastName,
    RoutingProfileId,
    /// Any of the user's security profiles.
    SecurityProfileId,
    ResourceId,
}

/// One condition of a proficiency `ListCondition`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProficiencyTest {
    /// `name` or `value` (the attribute's), compared as `Comparison` says.
    Text {
        value_field: bool,
        comparison: Comparison,
        text: String,
    },
    /// `limit` (the level): `>=`, `>`, `<=`, `<`, `=`, `!=` against one
    /// bound, or both bounds for a range.
    Level {
        operator: &'static str,
        min: Option<i64>,
        max: Option<i64>,
    },
}

/// `ComparisonType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    Exact,
    StartsWith,
    Contains,
}

/// The SQL condition of `filter` over the `users` table, pushing its
/// parameters onto `args` (`?1` is the instance ID).
pub(crate) fn filter_sql(filter: &UserFilter, args: &mut Vec<String>) -> String {
    let mut param = |value: String| {
        args.push(value);
        format!("?{}", args.len())
    };
    match filter {
        UserFilter::All => "1".to_string(),
        UserFilter::Nothing => "0".to_string(),
        UserFilter::And(parts) | UserFilter::Or(parts) if parts.is_empty() => "1".to_string(),
        UserFilter::And(parts) | UserFilter::Or(parts) => {
            let joiner = if matches!(filter, UserFilter::And(_)) {
                " AND "
            } else {
                " OR "
            };
            parts
                .iter()
                .map(|p| format!("({})", filter_sql(p, args)))
                .collect::<Vec<_>>()
                .join(joiner)
        }
        UserFilter::Condition {
            field,
            comparison,
            value,
        } => {
            let (column, value) = match field {
                UserField::Username => ("username_key", crate::local::db::username_key(value)),
                UserField::FirstName => ("lower(first_name)", value.to_ascii_lowercase()),
                UserField::LastName => ("lower(last_name)", value.to_ascii_lowercase()),
                UserField::RoutingProfileId => ("routing_profile_id", value.clone()),
                UserField::SecurityProfileId => ("value", value.clone()),
                UserField::ResourceId => ("id", value.clone()),
            };
            let p = param(value);
            let test = match comparison {
                Comparison::Exact => format!("{column} = {p}"),
                Comparison::StartsWith => format!("instr({column}, {p}) = 1"),
                Comparison::Contains => format!("instr({column}, {p}) > 0"),
            };
            if *field == UserField::SecurityProfileId {
                format!("EXISTS (SELECT 1 FROM json_each(security_profile_ids) WHERE {test})")
            } else {
                test
            }
        }
        UserFilter::HierarchyGroup {
            group_id,
            with_child_groups: false,
        } => format!("hierarchy_group_id = {}", param(group_id.clone())),
        UserFilter::HierarchyGroup {
            group_id,
            with_child_groups: true,
        } => format!(
            "hierarchy_group_id IN (WITH RECURSIVE below(id) AS (SELECT {} UNION \
             SELECT g.id FROM hierarchy_groups g JOIN below ON g.parent_id = below.id \
             WHERE g.instance_id = ?1) SELECT id FROM below)",
            param(group_id.clone())
        ),
        UserFilter::Proficiency(tests) => {
            let mut conditions = vec![
                "p.instance_id = ?1".to_string(),
                "p.user_id = users.id".to_string(),
            ];
            for test in tests {
                conditions.push(match test {
                    ProficiencyTest::Text {
                        value_field,
                        comparison,
                        text,
                    } => {
                        let column = if *value_field { "p.value" } else { "p.name" };
                        let p = param(text.clone());
                        match comparison {
                            Comparison::Exact => format!("{column} = {p}"),
                            Comparison::StartsWith => format!("instr({column}, {p}) = 1"),
                            Comparison::Contains => format!("instr({column}, {p}) > 0"),
                        }
                    }
                    ProficiencyTest::Level {
                        operator: "RANGE",
                        min,
                        max,
                    } => format!(
                        "p.level BETWEEN {} AND {}",
                        min.unwrap_or(i64::MIN),
                        max.unwrap_or(i64::MAX)
                    ),
                    ProficiencyTest::Level { operator, min, max } => {
                        format!("p.level {operator} {}", min.or(*max).unwrap_or_default())
                    }
                });
            }
            format!(
                "EXISTS (SELECT 1 FROM user_proficiencies p WHERE {})",
                conditions.join(" AND ")
            )
        }
        UserFilter::Tag { key, value } => {
            let key = param(key.clone());
            match value {
                Some(value) => format!(
                    "EXISTS (SELECT 1 FROM json_each(tags) WHERE key = {key} AND value = {})",
                    param(value.clone())
                ),
                None => format!("EXISTS (SELECT 1 FROM json_each(tags) WHERE key = {key})"),
            }
        }
    }
}
