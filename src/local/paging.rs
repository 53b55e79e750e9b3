//! Pagination as the service does it: `MaxResults` within each operation's
//! limits, and opaque `NextToken`s.
//!
//! Tokens carry the store position after which the next page starts, so a
//! page sequence stays stable while users are added.

use crate::connect::ApiError;
use crate::local::service::invalid_parameter;

/// One page of a list and the token for the next, if there is one.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_token: Option<String>,
}

/// The page-size limits of each list operation: (largest, default).
pub mod page_limits {
    pub const INSTANCES: (i32, i32) = (10, 10);
    pub const USERS: (i32, i32) = (1000, 100);
    pub const NAMED: (i32, i32) = (1000, 100);
    pub const SEARCH_USERS: (i32, i32) = (500, 100);
}

/// `MaxResults` within the operation's limits, or its default.
pub fn page_size(max: Option<i32>, (largest, default): (i32, i32)) -> Result<usize, ApiError> {
    match max {
        None => Ok(default as usize),
        Some(n) if (1..=largest).contains(&n) => Ok(n as usize),
        Some(n) => Err(invalid_parameter(format!(
            "MaxResults {n} must be between 1 and {largest}"
        ))),
    }
}

/// The store position a token stands for (0 = the first page).
pub fn parse_token(token: Option<&str>) -> Result<i64, ApiError> {
    match token {
        None => Ok(0),
        Some(t) => t
            .strip_prefix("local1.")
            .and_then(|hex| i64::from_str_radix(hex, 16).ok())
            .filter(|seq| *seq > 0)
            .ok_or_else(|| {
                invalid_parameter(format!(
                    "NextToken '{t}' is not a token this service returned"
                ))
            }),
    }
}

/// Cuts the `limit + 1` rows a query fetched down to a page; the extra
/// row, when there, says another page follows.
pub fn paginate<T>(mut rows: Vec<(i64, T)>, limit: usize) -> Page<T> {
    let next_token = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(|(seq, _)| format!("local1.{seq:x}"))
    } else {
        None
    };
    Page {
        items: rows.into_iter().map(|(_, item)| item).collect(),
        next_token,
    }
}
