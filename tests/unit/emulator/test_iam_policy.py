"""tools/emulator/iam/policy.py and conditions.py against the examples of AWS's IAM User Guide ("Policy evaluation
logic", "Condition operators", "Single-valued vs. multivalued context keys", "Permissions boundaries")."""
from __future__ import annotations

from typing import Any

import pytest

from emulator.iam.conditions import UnknownOperator, operator_holds
from emulator.iam.policy import Policy, Principal, ResourcePolicy, decide

ARN = "arn:aws:sts::123456789012:assumed-role/dev/s"
TABLE = "arn:aws:dynamodb:us-east-2:123456789012:table/app-visitors"


def policy(*statements: dict[str, Any]) -> Policy:
    return Policy.parse({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action: Any = "*", resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: Any = "*", resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def lookup_of(context: dict[str, Any]):
    lowered = {k.lower(): v for k, v in context.items()}
    return lambda key: lowered.get(key.lower())


def allowed(identity: list[Policy], action: str, resource: str, context: dict[str, Any] | None = None,
            boundary: Policy | None = None, resource_policy: ResourcePolicy | None = None) -> bool:
    principal = Principal(ARN, tuple(identity), boundary)
    return decide(principal, action, resource, lookup_of(context or {}), resource_policy).allowed


# --- the decision -------------------------------------------------------------------------------------------------

def test_implicit_deny_when_nothing_allows() -> None:
    assert not allowed([], "dynamodb:DescribeTable", TABLE)
    decision = decide(Principal(ARN, ()), "dynamodb:DescribeTable", TABLE, lookup_of({}))
    assert decision.reason == "because no identity-based policy allows the dynamodb:DescribeTable action"


def test_explicit_deny_overrides_an_allow_in_another_policy() -> None:
    identity = [policy(allow("dynamodb:*")), policy(deny("dynamodb:DeleteTable"))]
    assert allowed(identity, "dynamodb:DescribeTable", TABLE)
    assert not allowed(identity, "dynamodb:DeleteTable", TABLE)
    decision = decide(Principal(ARN, tuple(identity)), "dynamodb:DeleteTable", TABLE, lookup_of({}))
    assert decision.reason == "with an explicit deny in an identity-based policy"


def test_action_matching_is_case_insensitive_with_wildcards() -> None:
    identity = [policy(allow("DynamoDB:Describe*"), allow("s3:Get?bject"))]
    assert allowed(identity, "dynamodb:DescribeTable", TABLE)
    assert allowed(identity, "s3:GetObject", "arn:aws:s3:::b/k")
    assert not allowed(identity, "dynamodb:DeleteTable", TABLE)
    assert not allowed(identity, "s3:GetObjectAcl", "arn:aws:s3:::b/k")


def test_not_action_allows_everything_else_and_denies_nothing_it_lists() -> None:
    # "Allow everything except IAM" (User Guide, NotAction with Allow)
    identity = [policy({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})]
    assert allowed(identity, "dynamodb:DeleteTable", TABLE)
    assert not allowed(identity, "iam:CreateRole", "arn:aws:iam::123456789012:role/x")


def test_not_action_with_deny_denies_everything_else() -> None:
    identity = [policy(allow("*"), {"Effect": "Deny", "NotAction": ["iam:Get*", "iam:List*"], "Resource": "*"})]
    assert allowed(identity, "iam:GetRole", "arn:aws:iam::123456789012:role/x")
    assert not allowed(identity, "s3:GetObject", "arn:aws:s3:::b/k")


def test_resource_matching_is_case_sensitive_with_wildcards() -> None:
    identity = [policy(allow("dynamodb:*", "arn:aws:dynamodb:us-east-2:123456789012:table/app-*"))]
    assert allowed(identity, "dynamodb:DescribeTable", TABLE)
    assert not allowed(identity, "dynamodb:DescribeTable", TABLE.replace("app-", "App-"))
    assert not allowed(identity, "dynamodb:DescribeTable", TABLE.replace("app-", "other-"))


def test_not_resource() -> None:
    identity = [policy({"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::secret*"})]
    assert allowed(identity, "s3:GetObject", "arn:aws:s3:::site/index.html")
    assert not allowed(identity, "s3:GetObject", "arn:aws:s3:::secret/key")


def test_permissions_boundary_is_an_intersection() -> None:
    # User Guide: effective permissions = identity-based policy AND boundary
    identity = [policy(allow(["s3:*", "dynamodb:*"]))]
    boundary = policy(allow(["dynamodb:*", "logs:*"]))
    assert allowed(identity, "dynamodb:DescribeTable", TABLE, boundary=boundary)
    assert not allowed(identity, "s3:GetObject", "arn:aws:s3:::b/k", boundary=boundary)  # boundary lacks it
    assert not allowed(identity, "logs:CreateLogGroup", "*", boundary=boundary)  # identity lacks it
    decision = decide(Principal(ARN, tuple(identity), boundary), "s3:GetObject", "arn:aws:s3:::b/k", lookup_of({}))
    assert decision.reason == "because no permissions boundary allows the s3:GetObject action"


def test_explicit_deny_in_a_boundary() -> None:
    boundary = policy(allow(), deny("iam:*"))
    assert not allowed([policy(allow())], "iam:CreateRole", "*", boundary=boundary)


def _key_policy(*statements: dict[str, Any]) -> ResourcePolicy:
    def names(principal: Any, wanted: set[str]) -> bool:
        values = principal.get("AWS", []) if isinstance(principal, dict) else [principal]
        return bool(set(values if isinstance(values, list) else [values]) & wanted)

    return ResourcePolicy(policy(*statements), True, lambda p: names(p, {ARN, "*"}),
                          lambda p: names(p, {"arn:aws:iam::123456789012:root"}))


KEY = "arn:aws:kms:us-east-2:123456789012:key/1234"


def test_key_policy_that_delegates_to_iam_needs_an_identity_policy_too() -> None:
    delegating = _key_policy(allow("kms:*", Principal={"AWS": "arn:aws:iam::123456789012:root"}))
    assert allowed([policy(allow("kms:DescribeKey"))], "kms:DescribeKey", KEY, resource_policy=delegating)
    assert not allowed([], "kms:DescribeKey", KEY, resource_policy=delegating)


def test_key_policy_that_does_not_delegate_denies_despite_identity_policies() -> None:
    service_only = _key_policy(allow("kms:Decrypt", Principal={"Service": "cloudwatch.amazonaws.com"}))
    decision = decide(Principal(ARN, (policy(allow("kms:*")),)), "kms:DescribeKey", KEY, lookup_of({}), service_only)
    assert not decision.allowed
    assert decision.reason == "because no resource-based policy allows the kms:DescribeKey action"


def test_key_policy_naming_the_caller_allows_without_identity_policy() -> None:
    direct = _key_policy(allow("kms:DescribeKey", Principal={"AWS": ARN}))
    assert allowed([], "kms:DescribeKey", KEY, resource_policy=direct)


def test_explicit_deny_in_a_key_policy_wins() -> None:
    denying = _key_policy(allow("kms:*", Principal={"AWS": "arn:aws:iam::123456789012:root"}),
                          deny("kms:ScheduleKeyDeletion", Principal={"AWS": "*"}))
    assert not allowed([policy(allow())], "kms:ScheduleKeyDeletion", KEY, resource_policy=denying)


# --- conditions ---------------------------------------------------------------------------------------------------

def test_condition_keys_are_anded_and_values_ored() -> None:
    statement = allow("kms:CreateKey", Condition={
        "StringEquals": {"aws:RequestTag/Stack": ["a", "b"], "aws:RequestTag/Env": "prod"}})
    identity = [policy(statement)]
    assert allowed(identity, "kms:CreateKey", "*", {"aws:RequestTag/Stack": "b", "aws:RequestTag/Env": "prod"})
    assert not allowed(identity, "kms:CreateKey", "*", {"aws:RequestTag/Stack": "b", "aws:RequestTag/Env": "dev"})
    assert not allowed(identity, "kms:CreateKey", "*", {"aws:RequestTag/Stack": "c", "aws:RequestTag/Env": "prod"})


def test_condition_key_names_are_case_insensitive() -> None:
    identity = [policy(allow(Condition={"StringEquals": {"AWS:ResourceTag/Stack": "app"}}))]
    assert allowed(identity, "kms:DescribeKey", KEY, {"aws:resourcetag/Stack": "app"})


@pytest.mark.parametrize(("operator", "expected", "actual", "holds"), [
    ("StringEquals", "app", "app", True),
    ("StringEquals", "app", "App", False),
    ("StringEqualsIgnoreCase", "app", "APP", True),
    ("StringNotEquals", "app", "other", True),
    ("StringNotEquals", "app", "app", False),
    ("StringLike", "app-*", "app-visitors", True),
    ("StringLike", "app-?", "app-12", False),
    ("StringNotLike", "app-*", "web-1", True),
    ("NumericLessThan", "10", "9", True),
    ("NumericGreaterThanEquals", "10", "9", False),
    ("NumericEquals", "10", "ten", False),
    ("DateLessThan", "2030-01-01T00:00:00Z", "2026-11-27T10:00:00Z", True),
    ("DateGreaterThan", "2030-01-01T00:00:00Z", "2026-11-27T10:00:00Z", False),
    ("Bool", "true", "true", True),
    ("Bool", "false", "true", False),
    ("IpAddress", "10.0.0.0/8", "10.1.2.3", True),
    ("NotIpAddress", "10.0.0.0/8", "192.168.0.1", True),
    ("ArnEquals", "arn:aws:iam::1:role/a", "arn:aws:iam::1:role/a", True),
    ("ArnLike", "arn:aws:cloudwatch:*:1:alarm:app-*", "arn:aws:cloudwatch:us-east-2:1:alarm:app-errors", True),
    ("ArnLike", "arn:aws:cloudwatch:*:1:alarm:app-*", "arn:aws:cloudwatch:us-east-2:2:alarm:app-errors", False),
    ("ArnNotLike", "arn:aws:iam::*:role/admin*", "arn:aws:iam::1:role/app", True),
])
def test_operators(operator: str, expected: str, actual: str, holds: bool) -> None:
    assert operator_holds(operator, expected, actual) is holds


def test_a_missing_key_fails_positive_operators_and_satisfies_negated_ones() -> None:
    assert operator_holds("StringEquals", "app", None) is False
    assert operator_holds("ArnLike", "arn:*", None) is False
    assert operator_holds("StringNotEquals", "app", None) is True
    assert operator_holds("ArnNotLike", "arn:*", None) is True


def test_if_exists_makes_a_missing_key_hold_and_checks_a_present_one() -> None:
    assert operator_holds("StringEqualsIfExists", "app", None) is True
    assert operator_holds("StringEqualsIfExists", "app", "app") is True
    assert operator_holds("StringEqualsIfExists", "app", "web") is False


def test_null_tests_presence() -> None:
    assert operator_holds("Null", "true", None) is True
    assert operator_holds("Null", "true", "x") is False
    assert operator_holds("Null", "false", "x") is True
    assert operator_holds("Null", "false", []) is False  # an empty multivalued key is absent


def test_for_all_values_holds_for_a_subset_and_for_a_missing_key() -> None:
    # User Guide: ForAllValues:StringEquals aws:TagKeys [Stack, Env] allows requests tagging only with those keys
    assert operator_holds("ForAllValues:StringEquals", ["Stack", "Env"], ["Stack"]) is True
    assert operator_holds("ForAllValues:StringEquals", ["Stack", "Env"], ["Stack", "Owner"]) is False
    assert operator_holds("ForAllValues:StringEquals", ["Stack"], None) is True  # why AWS adds a Null check


def test_for_any_value_needs_one_match_and_a_present_key() -> None:
    assert operator_holds("ForAnyValue:StringLike", ["alias/app-*"], ["alias/x", "alias/app-alarms"]) is True
    assert operator_holds("ForAnyValue:StringLike", ["alias/app-*"], ["alias/x"]) is False
    assert operator_holds("ForAnyValue:StringLike", ["alias/app-*"], None) is False


def test_negated_set_operators() -> None:
    assert operator_holds("ForAllValues:StringNotEquals", ["Stack"], ["Env", "Owner"]) is True
    assert operator_holds("ForAllValues:StringNotEquals", ["Stack"], ["Env", "Stack"]) is False
    assert operator_holds("ForAnyValue:StringNotEquals", ["Stack"], ["Env", "Stack"]) is True


def test_a_negated_operator_on_a_multivalued_key_without_qualifier_needs_no_value_to_match() -> None:
    assert operator_holds("StringNotEquals", ["Stack"], ["Env", "Stack"]) is False
    assert operator_holds("StringNotEquals", ["Stack"], ["Env"]) is True


def test_unknown_operators_are_rejected() -> None:
    with pytest.raises(UnknownOperator):
        operator_holds("StringSortOf", "a", "a")
    with pytest.raises(UnknownOperator):
        operator_holds("ForSomeValues:StringEquals", "a", ["a"])


def test_the_bootstrap_pass_role_statement() -> None:
    identity = [policy(allow("iam:PassRole", "arn:aws:iam::123456789012:role/app-*",
                             Condition={"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}))]
    role = "arn:aws:iam::123456789012:role/app-counter"
    assert allowed(identity, "iam:PassRole", role, {"iam:PassedToService": "lambda.amazonaws.com"})
    assert not allowed(identity, "iam:PassRole", role, {"iam:PassedToService": "ec2.amazonaws.com"})
    assert not allowed(identity, "iam:PassRole", role)


def test_a_resource_tag_condition_on_an_untagged_resource_fails() -> None:
    identity = [policy(allow("kms:DescribeKey", "*", Condition={"StringEquals": {"aws:ResourceTag/Stack": "app"}}))]
    assert allowed(identity, "kms:DescribeKey", KEY, {"aws:ResourceTag/Stack": "app"})
    assert not allowed(identity, "kms:DescribeKey", KEY, {})
