"""The counter function's IAM policies, as the counter_api role renders them, pass parliament with zero findings."""
from __future__ import annotations

import json
from pathlib import Path

import jinja2
import pytest
from parliament import analyze_policy_string

ROLE = Path(__file__).resolve().parents[3] / "roles" / "counter_api"
TABLE_ARN = "arn:aws:dynamodb:us-east-2:123456789012:table/cloudresume-visitors"
LOG_GROUP_ARN = "arn:aws:logs:us-east-2:123456789012:log-group:/aws/lambda/cloudresume-counter"


def function_policy() -> dict:
    template = jinja2.Template((ROLE / "templates" / "function-policy.json.j2").read_text())
    return json.loads(template.render(stack_table_arn=TABLE_ARN,
                                      stack_function_log_group_arn=LOG_GROUP_ARN))


def findings(policy: dict) -> list[tuple[str, object]]:
    analysed = analyze_policy_string(json.dumps(policy), include_community_auditors=True)
    return [(finding.issue, finding.detail) for finding in analysed.findings]


def test_function_policy_has_zero_findings():
    assert findings(function_policy()) == []


def test_function_policy_is_least_privilege():
    statements = function_policy()["Statement"]
    assert [(s["Action"], s["Resource"]) for s in statements] == [
        (["dynamodb:GetItem", "dynamodb:UpdateItem"], TABLE_ARN),
        (["logs:CreateLogStream", "logs:PutLogEvents"], f"{LOG_GROUP_ARN}:log-stream:*"),
    ]


def test_trust_policy_trusts_lambda_only():
    trust = json.loads((ROLE / "files" / "trust-policy.json").read_text())
    assert [(s["Effect"], s["Principal"], s["Action"]) for s in trust["Statement"]] == [
        ("Allow", {"Service": "lambda.amazonaws.com"}, "sts:AssumeRole")]


@pytest.mark.parametrize("statement", [0, 1])
def test_the_linter_would_catch_a_star_resource(statement):
    policy = function_policy()
    policy["Statement"][statement]["Resource"] = "*"
    assert [issue for issue, _detail in findings(policy)] == ["RESOURCE_STAR"]
