//! Which operation a request is, by method and path as in the service
//! model, and what the gate does with it: the shared quota, and the
//! commit-then-fail faults for writes. Decided before routing, so the gate,
//! the stats and the request log all see the same name.

use axum::http::Method;

/// The operation a method and path belong to, for stats, logs and the
/// quota (decided before routing, so the gate sees it too).
pub fn operation(method: &Method, path: &str) -> &'static str {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match (method.as_str(), segments.as_slice()) {
        ("GET", ["instance"]) => "ListInstances",
        ("GET", ["instance", _]) => "DescribeInstance",
        ("GET", ["users-summary", _]) => "ListUsers",
        ("PUT", ["users", _]) => "CreateUser",
        ("GET", ["users", _, _]) => "DescribeUser",
        ("DELETE", ["users", _, _]) => "DeleteUser",
        ("POST", ["users", _, _, "phone-config"]) => "UpdateUserPhoneConfig",
        ("POST", ["users", _, _, "config"]) => "UpdateUserConfig",
        ("POST", ["users", _, _, "routing-profile"]) => "UpdateUserRoutingProfile",
        ("POST", ["users", _, _, "security-profiles"]) => "UpdateUserSecurityProfiles",
        ("POST", ["users", _, _, "hierarchy"]) => "UpdateUserHierarchy",
        ("POST", ["users", _, _, "identity-info"]) => "UpdateUserIdentityInfo",
        ("GET", ["users", _, _, "proficiencies"]) => "ListUserProficiencies",
        ("POST", ["users", _, _, "proficiencies"]) => "UpdateUserProficiencies",
        ("POST", ["users", _, _, "associate-proficiencies"]) => "AssociateUserProficiencies",
        ("POST", ["users", _, _, "disassociate-proficiencies"]) => "DisassociateUserProficiencies",
        ("POST", ["tags", _]) => "TagResource",
        ("DELETE", ["tags", _]) => "UntagResource",
        ("GET", ["tags", _]) => "ListTagsForResource",
        ("POST", ["search-users"]) => "SearchUsers",
        ("GET", ["routing-profiles-summary", _]) => "ListRoutingProfiles",
        ("GET", ["security-profiles-summary", _]) => "ListSecurityProfiles",
        ("GET", ["user-hierarchy-groups-summary", _]) => "ListUserHierarchyGroups",
        ("GET", ["user-hierarchy-groups", _, _]) => "DescribeUserHierarchyGroup",
        ("GET", ["user-hierarchy-structure", _]) => "DescribeUserHierarchyStructure",
        ("GET", ["routing-profiles", _, _]) => "DescribeRoutingProfile",
        ("GET", ["security-profiles", _, _]) => "DescribeSecurityProfile",
        ("POST", ["search-routing-profiles"]) => "SearchRoutingProfiles",
        ("POST", ["search-security-profiles"]) => "SearchSecurityProfiles",
        ("POST", ["search-user-hierarchy-groups"]) => "SearchUserHierarchyGroups",
        ("GET", ["agent-status", _]) => "ListAgentStatuses",
        _ => "UnknownOperation",
    }
}

/// Operations that change data: `--commit-then-fail-rate` applies to them.
pub fn is_write(operation: &str) -> bool {
    matches!(
        operation,
        "CreateUser"
            | "DeleteUser"
            | "UpdateUserPhoneConfig"
            | "UpdateUserConfig"
            | "UpdateUserRoutingProfile"
            | "UpdateUserSecurityProfiles"
            | "UpdateUserHierarchy"
            | "UpdateUserIdentityInfo"
            | "UpdateUserProficiencies"
            | "AssociateUserProficiencies"
            | "DisassociateUserProficiencies"
            | "TagResource"
            | "UntagResource"
    )
}

/// Operations under the shared user-and-list quota. The instance calls have
/// their own, larger quotas in the service (and no ThrottlingException in
/// their model), so they are not counted.
pub fn is_throttled(operation: &str) -> bool {
    !matches!(
        operation,
        "ListInstances" | "DescribeInstance" | "UnknownOperation"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_by_method_and_path() {
        assert_eq!(operation(&Method::PUT, "/users/i"), "CreateUser");
        assert_eq!(operation(&Method::GET, "/users/i/u"), "DescribeUser");
        assert_eq!(
            operation(&Method::POST, "/users/i/u/phone-config"),
            "UpdateUserPhoneConfig"
        );
        assert_eq!(
            operation(&Method::POST, "/users/i/u/config"),
            "UpdateUserConfig"
        );
        assert_eq!(
            operation(&Method::DELETE, "/tags/arn%3Aaws%3Aconnect"),
            "UntagResource"
        );
        assert!(is_write("UpdateUserConfig") && is_write("TagResource"));
        assert!(!is_write("ListTagsForResource"));
        assert_eq!(operation(&Method::GET, "/instance"), "ListInstances");
        assert_eq!(operation(&Method::POST, "/instance"), "UnknownOperation");
        assert!(
            is_throttled("CreateUser")
                && is_throttled("ListUsers")
                && !is_throttled("DescribeInstance")
        );
    }

    /// Every operation of the model subset the tests check the answers
    /// against is named by its method and request URI (each `{Label}` filled
    /// with a path segment), and the writes are its non-GET operations but
    /// SearchUsers (a POST that reads): the table cannot drift from the model.
    #[test]
    fn every_model_operation_is_named_by_its_method_and_path() {
        let model: serde_json::Value =
            serde_json::from_str(include_str!("../../../tests/model/connect-subset.json")).unwrap();
        let operations = model["operations"].as_object().unwrap();
        assert_eq!(operations.len(), 31, "the model subset's operations");
        for (name, op) in operations {
            let uri = op["http"]["requestUri"].as_str().unwrap();
            let path: Vec<&str> = uri
                .split('?')
                .next()
                .unwrap()
                .split('/')
                .map(|segment| {
                    if segment.starts_with('{') {
                        "x"
                    } else {
                        segment
                    }
                })
                .collect();
            let method = op["http"]["method"].as_str().unwrap();
            let method = Method::from_bytes(method.as_bytes()).unwrap();
            assert_eq!(operation(&method, &path.join("/")), name, "{method} {uri}");
            assert_eq!(
                is_write(name),
                method != Method::GET && !name.starts_with("Search"),
                "{name}"
            );
            assert!(is_throttled(name) || name.contains("Instance"), "{name}");
        }
    }
}
