"""The preflight's checks (plugins/action/validate_variables.py) with the roles' real specs and rules."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ansible_collections.cloudresume.aws.plugins.action import validate_variables as preflight

ROOT = Path(__file__).resolve().parents[4]
ROLES = ["stack", "counter_db", "counter_api", "static_site", "monitoring", "bootstrap"]
RULES = yaml.safe_load((ROOT / "roles/stack/vars/main.yml").read_text())["stack_preflight_rules"]
SPECS = preflight.load_specs(ROLES, ROOT / "roles")


def good_values() -> dict:
    """The roles' defaults with their templates resolved as the local inventory would."""
    values = {}
    for role in ROLES:
        values.update(yaml.safe_load((ROOT / f"roles/{role}/defaults/main.yml").read_text()) or {})
    values.update(
        stack_region="us-east-2", stack_table_name="cloudresume-visitors", stack_function_name="cloudresume-counter",
        stack_api_name="cloudresume-api", stack_site_bucket_prefix="cloudresume-site", stack_alarm_topic_name="cloudresume-alarms",
        stack_dashboard_name="cloudresume", stack_function_log_group="/aws/lambda/cloudresume-counter",
        stack_api_access_log_group="/aws/apigateway/cloudresume-api/access", stack_metric_namespace="CloudResume/cloudresume",
        counter_db_table_name="cloudresume-visitors", counter_api_role_name="cloudresume-counter-role",
        counter_api_policy_name="cloudresume-counter-access", counter_api_package_path="/tmp/cloudresume-counter.zip",
        static_site_source_dir=str(ROOT / "files/site"), monitoring_topic_kms_key_alias="alias/cloudresume-alarms",
        monitoring_metric_namespace="CloudResume/cloudresume", monitoring_dashboard_name="cloudresume",
        bootstrap_github_repository="owner/repo", bootstrap_deploy_role_name="cloudresume-github-deploy",
        bootstrap_check_role_name="cloudresume-github-check", bootstrap_policy_name="cloudresume-stack-access")
    return values


def errors(**changes) -> list[str]:
    return preflight.problems(SPECS, RULES, {**good_values(), **changes})[1]


def test_the_defaults_are_valid():
    assert errors() == []


def test_every_rule_is_about_a_variable_of_a_role_or_the_stack():
    stack_defaults = yaml.safe_load((ROOT / "roles/stack/defaults/main.yml").read_text())
    assert set(RULES) <= set(SPECS) | set(stack_defaults)


def test_every_rule_names_a_known_check():
    for rule in RULES.values():
        assert set(rule) <= preflight.RULE_KEYS
        assert rule.get("check") is None or rule["check"] in preflight.CHECKS


@pytest.mark.parametrize(("changes", "expected"), [
    ({"counter_api_throttling_rate_limit": "-1"}, "counter_api_throttling_rate_limit: -1.0 is below the minimum 0"),
    ({"stack_region": "us-esat-2"}, "stack_region: 'us-esat-2' is not a region of partition aws"),
    ({"stack_log_retention_days": "1095"}, "stack_log_retention_days: value of stack_log_retention_days must be one of"),
    ({"stack_log_retention_days": 3653}, None),
    ({"stack_log_retention_days": "1096"}, None),
    ({"stack_log_retention_days": 3288}, None),
    ({"stack_environment": ["prod"]}, "stack_environment: must be a string, got a list (['prod'])"),
    ({"stack_environment": True}, "stack_environment: must be a string, got a boolean"),
    ({"counter_api_memory_size": "lots"}, "counter_api_memory_size: argument 'counter_api_memory_size' is of type"),
    ({"counter_db_billing_mode": "FREE"}, "counter_db_billing_mode: value of counter_db_billing_mode must be one of"),
    ({"counter_db_kms_key_id": "alias/my-key"}, "counter_db_kms_key_id: is required with counter_db_encryption=customer_managed"),
    ({"counter_db_encryption": "customer_managed"}, "counter_db_kms_key_id: is required with"),
    ({"counter_db_encryption": "customer_managed", "counter_db_kms_key_id": "alias/my-key"}, None),
    ({"counter_api_allowed_origins": ["https://x.com\n"]}, "counter_api_allowed_origins: 'https://x.com\\n' is not an origin"),
    ({"counter_api_runtime": "python3.9"}, "counter_api_runtime: 'python3.9' is not a supported Python runtime"),
    ({"counter_api_reserved_concurrency": None}, None),
    ({"counter_api_reserved_concurrency": 1001}, "counter_api_reserved_concurrency: 1001 is above the maximum 1000"),
    ({"static_site_bucket_name": "my.site"}, "static_site_bucket_name: 'my.site' is not a bucket name without dots"),
    ({"static_site_error_page": "/missing.html"}, None),  # the role uploads the collection's page instead
    ({"static_site_source_dir": str(ROOT / "roles")}, "static_site_source_dir: " + str(ROOT / "roles") + " must contain index.html"),
    ({"static_site_content_security_policy": {"font-src": ["'self'", "https://fonts.gstatic.com"]}}, None),
    ({"static_site_content_security_policy": {"upgrade-insecure-requests": []}}, None),
    ({"static_site_content_security_policy": {"Font_Src": ["'self'"]}},
     "static_site_content_security_policy: 'Font_Src' is not a directive name"),
    ({"static_site_content_security_policy": {"img-src": "'self'"}}, "static_site_content_security_policy: img-src: must be a list"),
    ({"static_site_content_security_policy": {"img-src": ["'self'; script-src *"]}},
     "static_site_content_security_policy: img-src: \"'self'; script-src *\" is not a source"),
    ({"static_site_content_security_policy": {"object-src": ["'none'", "'self'"]}},
     "static_site_content_security_policy: object-src: 'none' cannot be combined"),
    ({"static_site_content_security_policy": {"img-src": ["https://x.example"] * 200}},
     "static_site_content_security_policy: the policy is 3607 characters"),
    ({"static_site_frame_options": "ALLOW"}, "static_site_frame_options: value of static_site_frame_options must be one of"),
    ({"static_site_page_title": "Two\nlines"}, "static_site_page_title: 'Two\\nlines' is not 1 to 200 characters on one line"),
    ({"static_site_page_url": "www.example.com"}, "static_site_page_url: 'www.example.com' is not an absolute URL"),
    ({"monitoring_dashboard_period": 90}, "monitoring_dashboard_period: 90 is not a multiple of 60"),
    ({"monitoring_api_latency_evaluation_periods": 300}, "monitoring_api_latency_evaluation_periods: 300 periods of 300 s"),
    ({"monitoring_api_latency_period": 3600, "monitoring_api_latency_evaluation_periods": 168}, None),
    ({"monitoring_metric_filters": [{"name": "x", "pattern": "p", "metric": "M", "value": "1", "unit": "Parsecs"}]},
     "monitoring_metric_filters: value of unit must be one of"),
    ({"stack_tags": {"aws:x": "y"}}, "stack_tags: tag key 'aws:x': the prefix 'aws:' is reserved"),
    ({"stack_expected_account_id": "12345"}, "stack_expected_account_id: '12345' is not an AWS account id"),
    ({"stack_expected_account_id": "123456789012"}, None),
    ({"bootstrap_github_repository": ""}, "bootstrap_github_repository: '' is not a GitHub repository"),
    ({"bootstrap_max_session_duration": 60}, "bootstrap_max_session_duration: 60 is below the minimum 3600"),
])
def test_each_problem_is_named(changes, expected):
    found = errors(**changes)
    if expected is None:
        assert found == []
    else:
        assert any(e.startswith(expected) for e in found), found


def test_every_problem_is_reported_at_once():
    found = errors(stack_region="us-esat-2", counter_api_timeout=0, monitoring_alarm_email="me@")
    assert [e.split(":")[0] for e in found] == ["stack_region", "counter_api_timeout", "monitoring_alarm_email"]


def test_an_undefined_variable_is_not_checked_unless_required():
    values = good_values()
    del values["monitoring_alarm_email"], values["stack_table_name"]
    assert preflight.problems(SPECS, RULES, values)[1] == []
    del values["bootstrap_github_repository"]
    assert preflight.problems(SPECS, RULES, values)[1] == [
        "bootstrap_github_repository: missing required arguments: bootstrap_github_repository"]


def test_values_are_converted_to_their_spec_types():
    validated = preflight.problems(SPECS, RULES, {**good_values(), "stack_log_retention_days": "14"})[0]
    assert validated["stack_log_retention_days"] == 14


def test_a_path_that_cannot_exist_is_an_error_not_an_exception():
    assert any(e.startswith("static_site_source_dir: ") and "cannot be read" in e
               for e in errors(static_site_source_dir="/" + "x" * 5000))


def test_unknown_rule_keys_are_refused():
    with pytest.raises(preflight.AnsibleError, match="unknown rule keys"):
        preflight.problems(SPECS, {"stack_name": {"maximum": 3}}, good_values())


def test_a_range_rule_on_a_value_that_is_not_a_number_is_an_error():
    assert preflight.rule_problem("x", "ten", {"min": 1}, {}) == "'ten' is not a number"
    assert preflight.rule_problem("x", True, {"max": 1}, {}) == "True is not a number"
