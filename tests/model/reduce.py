#!/usr/bin/env python3
"""Regenerates tests/model/connect-subset.json: the Amazon Connect service
model (botocore's `connect` 2017-08-08) reduced to the operations `local
serve` implements and the shapes they reach, without documentation.

    python3 tests/model/reduce.py            # from the installed botocore
    python3 tests/model/reduce.py model.json # from a service-2.json file

The tests read only the JSON this writes; they need neither botocore nor
the network.
"""
import json
import os
import sys

OPERATIONS = [
    "ListInstances", "DescribeInstance", "ListUsers", "DescribeUser", "SearchUsers",
    "CreateUser", "DeleteUser", "UpdateUserPhoneConfig", "UpdateUserConfig",
    "UpdateUserRoutingProfile", "UpdateUserSecurityProfiles", "UpdateUserHierarchy",
    "UpdateUserIdentityInfo", "TagResource", "UntagResource", "ListTagsForResource",
    "ListRoutingProfiles", "ListSecurityProfiles", "ListUserHierarchyGroups",
    "DescribeUserHierarchyGroup", "DescribeUserHierarchyStructure",
    "DescribeRoutingProfile", "DescribeSecurityProfile", "SearchRoutingProfiles",
    "SearchSecurityProfiles", "SearchUserHierarchyGroups", "ListAgentStatuses",
    "ListUserProficiencies", "UpdateUserProficiencies", "AssociateUserProficiencies",
    "DisassociateUserProficiencies",
]
KEPT = ("type", "required", "members", "member", "key", "value", "enum", "min", "max",
        "error", "exception", "location", "locationName", "shape", "union")


def load(argv):
    if len(argv) > 1:
        with open(argv[1]) as f:
            return json.load(f)
    import botocore.loaders
    return botocore.loaders.Loader().load_service_model("connect", "service-2")


def strip(shape):
    """The shape without documentation and other members the checks do not use."""
    out = {k: v for k, v in shape.items() if k in KEPT}
    if "members" in out:
        out["members"] = {
            name: {k: v for k, v in member.items() if k in KEPT}
            for name, member in out["members"].items()
        }
    for key in ("member", "key", "value"):
        if key in out:
            out[key] = {"shape": out[key]["shape"]}
    return out


def main(argv):
    model = load(argv)
    shapes, operations, todo = {}, {}, []
    for name in OPERATIONS:
        op = model["operations"][name]
        operations[name] = {
            "http": op["http"],
            "input": op.get("input", {}).get("shape"),
            "output": op.get("output", {}).get("shape"),
            "errors": [e["shape"] for e in op.get("errors", [])],
        }
        todo += [s for s in (operations[name]["input"], operations[name]["output"]) if s]
        todo += operations[name]["errors"]
    while todo:
        name = todo.pop()
        if name in shapes:
            continue
        shape = strip(model["shapes"][name])
        shapes[name] = shape
        for member in shape.get("members", {}).values():
            todo.append(member["shape"])
        for key in ("member", "key", "value"):
            if key in shape:
                todo.append(shape[key]["shape"])
    subset = {
        "metadata": {k: model["metadata"][k] for k in ("apiVersion", "protocol", "serviceId")},
        "operations": operations,
        "shapes": dict(sorted(shapes.items())),
    }
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "connect-subset.json")
    with open(out, "w") as f:
        json.dump(subset, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"{out}: {len(operations)} operations, {len(shapes)} shapes")


if __name__ == "__main__":
    main(sys.argv)
