"""cloudresume.aws.cloudwatch_dashboard against in-process moto (with the emulator's extensions)."""
from __future__ import annotations

import json
from unittest import mock

import boto3
import pytest

from tests.unit.aws_calls import record_calls
from ansible_collections.cloudresume.aws.plugins.action import cloudwatch_dashboard as dashboard_action
from ansible_collections.cloudresume.aws.plugins.modules import cloudwatch_dashboard
from ansible_collections.cloudresume.aws.plugins.modules import stack_info

WIDGET = {
    "type": "metric", "x": 0, "y": 0, "width": 12, "height": 6,
    "properties": {"title": "Invocations", "region": "us-east-2", "stat": "Sum", "period": 300,
                   "metrics": [["AWS/Lambda", "Invocations", "FunctionName", "counter"]]},
}
BODY = {"widgets": [WIDGET, {"type": "text", "properties": {"markdown": "# hello"}}]}
MUTATING = ("PutDashboard", "DeleteDashboards")


@pytest.fixture
def cw(aws):
    return boto3.client("cloudwatch", region_name="us-east-2")


def present(run_module, body=None, **kwargs):
    return run_module(cloudwatch_dashboard, {"name": "site", "body": BODY if body is None else body}, diff=True, **kwargs)


def stored_body(cw):
    return json.loads(cw.get_dashboard(DashboardName="site")["DashboardBody"])


def test_create_stores_the_body(run_module, cw):
    result, failed = present(run_module)
    assert not failed and result["changed"]
    assert stored_body(cw) == BODY
    assert result["dashboard"]["dashboard_name"] == "site"
    assert result["dashboard"]["dashboard_arn"].endswith(":dashboard/site")
    assert result["diff"]["before"] == {} and result["diff"]["after"] == BODY
    assert result["validation_messages"] == []


def test_same_body_as_a_reordered_json_string_is_no_change_and_no_mutating_call(run_module, cw):
    present(run_module)
    reordered = json.dumps({"widgets": [dict(reversed(list(w.items()))) for w in BODY["widgets"]]}, indent=4)
    (result, failed), calls = record_calls(lambda: present(run_module, body=reordered))
    assert not failed and not result["changed"]
    assert calls == ["GetDashboard"]
    assert result["diff"]["before"] == result["diff"]["after"]
    assert "validation_messages" not in result


def test_changed_body_shows_a_diff_and_is_saved(run_module, cw):
    present(run_module)
    changed = {"widgets": [dict(WIDGET, width=24)]}
    result, failed = present(run_module, body=changed)
    assert not failed and result["changed"]
    assert result["diff"]["before"] == BODY and result["diff"]["after"] == changed
    assert stored_body(cw) == changed


def test_check_mode_creates_nothing(run_module, cw):
    (result, failed), calls = record_calls(lambda: present(run_module, check_mode=True))
    assert not failed and result["changed"]
    assert result["dashboard"]["dashboard_body"] == BODY
    assert not set(calls) & set(MUTATING)
    assert cw.list_dashboards()["DashboardEntries"] == []


def test_check_mode_reports_an_update_without_making_it(run_module, cw):
    present(run_module)
    result, failed = present(run_module, body={"widgets": []}, check_mode=True)
    assert not failed and result["changed"]
    assert result["diff"]["after"] == {"widgets": []}
    assert stored_body(cw) == BODY


def test_absent_deletes_then_is_no_change(run_module, cw):
    present(run_module)
    result, failed = run_module(cloudwatch_dashboard, {"name": "site", "state": "absent"}, diff=True)
    assert not failed and result["changed"]
    assert result["diff"]["before"] == BODY and result["diff"]["after"] == {}
    assert cw.list_dashboards()["DashboardEntries"] == []
    result, failed = run_module(cloudwatch_dashboard, {"name": "site", "state": "absent"})
    assert not failed and not result["changed"]


def test_absent_in_check_mode_keeps_the_dashboard(run_module, cw):
    present(run_module)
    result, failed = run_module(cloudwatch_dashboard, {"name": "site", "state": "absent"}, check_mode=True)
    assert not failed and result["changed"]
    assert stored_body(cw) == BODY


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('{"widgets": [', "body: not valid JSON"),
        ("[1, 2]", "body: must be a JSON object"),
        ({"widget": []}, "body.widgets: a list of widgets is required"),
        ({"widgets": [WIDGET, dict(WIDGET, type="graph")]},
         "body.widgets[1].type: unknown widget type 'graph' (valid: alarm, custom, explorer, log, metric, text)"),
        ({"widgets": [{"type": "text"}]}, "body.widgets[0].properties: an object is required"),
        ({"widgets": [dict(WIDGET, width=25)]}, "body.widgets[0].width: must be an integer from 1 to 24, got 25"),
        ({"widgets": [dict(WIDGET, y=-1)]}, "body.widgets[0].y: must be a non-negative integer, got -1"),
        ({"widgets": ["text"]}, "body.widgets[0]: must be an object"),
    ],
)
def test_bad_body_fails_before_any_aws_call(run_module, cw, body, message):
    (result, failed), calls = record_calls(lambda: present(run_module, body=body))
    assert failed
    assert message in result["msg"]
    assert calls == []


def test_every_bad_widget_is_named(run_module, cw):
    result, failed = present(run_module, body={"widgets": [dict(WIDGET, type="chart"), dict(WIDGET, type="pie")]})
    assert failed
    assert "body.widgets[0].type: unknown widget type 'chart'" in result["msg"]
    assert "body.widgets[1].type: unknown widget type 'pie'" in result["msg"]


def test_bad_name_fails_before_any_aws_call(run_module, cw):
    (result, failed), calls = record_calls(
        lambda: run_module(cloudwatch_dashboard, {"name": "my dashboard", "body": BODY}))
    assert failed and result["msg"].startswith("name: 'my dashboard' may contain only letters")
    assert calls == []


def test_body_is_required_when_present(run_module, cw):
    result, failed = run_module(cloudwatch_dashboard, {"name": "site"})
    assert failed and "body" in result["msg"]


def test_validation_messages_from_cloudwatch_become_warnings(run_module, cw):
    reply = {"DashboardValidationMessages": [{"DataPath": "/widgets/0", "Message": "Should have at least 1 metric"}]}
    with mock.patch.object(cloudwatch_dashboard.DashboardManager, "describe", side_effect=[None, None]), \
            mock.patch("botocore.client.BaseClient._make_api_call", return_value=reply):
        result, failed = present(run_module)
    assert not failed and result["changed"]
    assert result["validation_messages"] == [{"data_path": "/widgets/0", "message": "Should have at least 1 metric"}]
    assert "dashboard site: /widgets/0: Should have at least 1 metric" in result["warnings"]


# The task's action plugin (plugins/action/cloudwatch_dashboard.py) answers from the dashboard stack_info read earlier
# in the run (the same GetDashboard, in the module's shape): exactly what the module would answer, and only when the
# module would change nothing.
def known(run_module) -> dict:
    return run_module(stack_info, {"dashboard_name": "site"})[0]["dashboard"]


def answered(args: dict, state, diff: bool = False):
    return dashboard_action.ActionModule.answer_for({**args, "known_state": state}, diff)


PRESENT = {"name": "site", "body": BODY}
ABSENT = {"name": "site", "state": "absent"}
REORDERED = json.dumps({"widgets": [dict(reversed(list(WIDGET.items()))), BODY["widgets"][1]]})


@pytest.mark.parametrize(("exists", "args"), [
    (True, PRESENT), (True, {"dashboard_name": "site", "body": REORDERED}), (False, ABSENT)])
def test_the_action_answers_what_the_module_answers_when_nothing_changes(run_module, cw, exists, args):
    if exists:
        present(run_module)
    state = known(run_module)
    answers, calls = record_calls(lambda: {diff: answered(args, state, diff) for diff in (False, True)})
    assert calls == [] and None not in answers.values()
    for diff, answer in answers.items():
        assert answer == run_module(cloudwatch_dashboard, args, diff=diff)[0]
        assert answer == run_module(cloudwatch_dashboard, args, check_mode=True, diff=diff)[0]


@pytest.mark.parametrize(("exists", "args"), [
    (True, {"name": "site", "body": {"widgets": [WIDGET]}}), (False, PRESENT), (True, ABSENT)])
def test_the_action_leaves_every_change_to_the_module(run_module, cw, exists, args):
    if exists:
        present(run_module)
    assert answered(args, known(run_module)) is None
    assert run_module(cloudwatch_dashboard, args)[0]["changed"]


@pytest.mark.parametrize("args", [
    {"name": "site", "body": {"widgets": [{**WIDGET, "width": 25}]}}, {"name": "bad name!", "state": "absent"},
    {"name": "site"}, {"body": BODY}])
def test_options_the_module_refuses_are_left_to_its_message(run_module, cw, args):
    present(run_module)
    assert answered(args, known(run_module)) is None
    assert run_module(cloudwatch_dashboard, args)[1]


@pytest.mark.parametrize(("state", "message"), [
    ("dashboard_name=site", "known_state: must be the dashboard stack_info returns (a mapping), got str"),
    ({"dashboard_name": "site"}, "known_state.dashboard_arn: missing; give the dashboard cloudresume.aws.stack_info returns"),
    ({"dashboard_name": "other", "dashboard_arn": "arn:aws:cloudwatch::123456789012:dashboard/other", "dashboard_body": BODY},
     "known_state.dashboard_name: other is not this task's dashboard site"),
])
def test_a_state_that_is_not_stack_infos_fails_naming_the_field(state, message):
    assert answered(PRESENT, state) == {"failed": True, "changed": False, "msg": message}
