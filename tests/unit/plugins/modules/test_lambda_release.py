"""cloudresume.aws.lambda_release against in-process moto (with the emulator's Lambda extension)."""
from __future__ import annotations

import io
import json
import zipfile

import boto3
import pytest

from ansible_collections.cloudresume.aws.plugins.action import lambda_release as lambda_release_action
from ansible_collections.cloudresume.aws.plugins.module_utils import awslambda
from ansible_collections.cloudresume.aws.plugins.module_utils import releases
from ansible_collections.cloudresume.aws.plugins.modules import lambda_release

ARGS = {"function_name": "counter", "alias": "live"}


def package(body: str) -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("counter.py", f"def handler(event, context):\n    return {body}\n")
    return archive.getvalue()


@pytest.fixture
def function(aws):
    role = boto3.client("iam", region_name="us-east-2").create_role(
        RoleName="counter-role", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    client = boto3.client("lambda", region_name="us-east-2")
    client.create_function(FunctionName="counter", Runtime="python3.13", Role=role, Handler="counter.handler",
                           Description="visitor counter", Code={"ZipFile": package("1")})
    return client


def versions(client) -> list[str]:
    return [v["Version"] for v in client.list_versions_by_function(FunctionName="counter")["Versions"]]


def alias_version(client) -> str:
    return client.get_alias(FunctionName="counter", Name="live")["FunctionVersion"]


def test_first_run_publishes_and_creates_the_alias_then_is_idempotent(run_module, function):
    result, failed = run_module(lambda_release, ARGS, diff=True)
    assert not failed and result["changed"] and result["published"]
    assert result["function_version"] == "1" and result["previous_version"] is None
    assert result["diff"] == {"before": {"alias": "live", "function_version": None},
                              "after": {"alias": "live", "function_version": "1"}}
    assert result["alias_arn"] == "arn:aws:lambda:us-east-2:123456789012:function:counter:live"
    assert alias_version(function) == "1"
    again = run_module(lambda_release, ARGS)[0]
    assert not again["changed"] and not again["published"] and versions(function) == ["$LATEST", "1"]


@pytest.mark.parametrize("change", [
    {"ZipFile": package("2")},
    {"MemorySize": 512},
    {"Environment": {"Variables": {"A": "b"}}},
    {"TracingConfig": {"Mode": "Active"}},
])
def test_a_code_or_configuration_change_publishes_a_new_version(run_module, function, change):
    run_module(lambda_release, ARGS)
    if "ZipFile" in change:
        function.update_function_code(FunctionName="counter", **change)
    else:
        function.update_function_configuration(FunctionName="counter", **change)
    result = run_module(lambda_release, ARGS, diff=True)[0]
    assert result["changed"] and result["published"] and result["previous_version"] == "1"
    assert result["function_version"] == "2" and alias_version(function) == "2"


def test_check_mode_plans_the_publication_and_changes_nothing(run_module, function):
    run_module(lambda_release, ARGS)
    function.update_function_code(FunctionName="counter", ZipFile=package("2"))
    result = run_module(lambda_release, ARGS, check_mode=True, diff=True)[0]
    assert result["changed"] and result["published"] and result["function_version"] == "new"
    assert result["diff"]["before"]["function_version"] == "1"
    assert versions(function) == ["$LATEST", "1"] and alias_version(function) == "1"


def test_an_interrupted_run_is_completed_without_a_second_version(run_module, function):
    run_module(lambda_release, ARGS)
    function.update_function_code(FunctionName="counter", ZipFile=package("2"))
    function.publish_version(FunctionName="counter")  # published, then killed before the alias moved
    result = run_module(lambda_release, ARGS)[0]
    assert result["changed"] and not result["published"] and alias_version(function) == "2"
    assert versions(function) == ["$LATEST", "1", "2"]


def test_rollback_points_the_alias_at_the_previous_version(run_module, function):
    run_module(lambda_release, ARGS)
    function.update_function_code(FunctionName="counter", ZipFile=package("2"))
    run_module(lambda_release, ARGS)
    planned = run_module(lambda_release, {**ARGS, "target": "previous"}, check_mode=True, diff=True)[0]
    assert planned["changed"] and planned["diff"]["before"]["function_version"] == "2"
    assert planned["diff"]["after"]["function_version"] == "1" and alias_version(function) == "2"
    result = run_module(lambda_release, {**ARGS, "target": "previous"})[0]
    assert result["changed"] and not result["published"] and alias_version(function) == "1"
    assert result["code_sha256"] == function.get_function(FunctionName="counter", Qualifier="1")["Configuration"]["CodeSha256"]
    assert versions(function) == ["$LATEST", "1", "2"]


def test_rollback_without_an_earlier_version_fails_and_changes_nothing(run_module, function):
    run_module(lambda_release, ARGS)
    result, failed = run_module(lambda_release, {**ARGS, "target": "previous"})
    assert failed and "points at version 1" in result["msg"] and "no earlier published version" in result["msg"]
    assert result["msg"].startswith("target:") and alias_version(function) == "1"


def test_rollback_without_the_alias_fails(run_module, function):
    result, failed = run_module(lambda_release, {**ARGS, "target": "previous"})
    assert failed and result["msg"].startswith("alias:") and "no alias live" in result["msg"]


def test_a_missing_function_is_named(run_module, aws):
    result, failed = run_module(lambda_release, {**ARGS, "function_name": "nope"})
    assert failed and result["msg"] == "function_name: function nope does not exist"


SOURCE = "arn:aws:execute-api:us-east-2:123456789012:a1b2c3d4e5/*/*/count"
INVOKE = {"statement_id": "api-invoke", "action": "lambda:InvokeFunction", "principal": "apigateway.amazonaws.com",
          "source_arn": SOURCE}
WITH_PERMISSION = {**ARGS, "permissions": [INVOKE]}
PLANNED = {"statement_id": "api-invoke", "action": "lambda:InvokeFunction", "principal": "apigateway.amazonaws.com",
           "condition": {"ArnLike": {"AWS:SourceArn": SOURCE}}}


def alias_statements(client) -> dict[str, dict]:
    policy = json.loads(client.get_policy(FunctionName="counter", Qualifier="live")["Policy"])
    return {s["Sid"]: s for s in policy["Statement"]}


def test_the_permission_is_added_with_a_new_alias_without_reading_its_policy(run_module, function, operations):
    result = run_module(lambda_release, WITH_PERMISSION, diff=True)[0]
    assert result["changed"] and result["permissions"] == [PLANNED]
    assert result["diff"]["before"]["permissions"] == [] and result["diff"]["after"]["permissions"] == [PLANNED]
    assert "GetPolicy" not in operations and operations.count("AddPermission") == 1
    statement = alias_statements(function)["api-invoke"]
    assert statement["Principal"] == {"Service": "apigateway.amazonaws.com"}
    assert statement["Resource"] == "arn:aws:lambda:us-east-2:123456789012:function:counter:live"
    with pytest.raises(function.exceptions.ResourceNotFoundException):
        function.get_policy(FunctionName="counter")  # the unqualified function ($LATEST) got nothing


def test_a_rerun_reads_the_policy_once_and_changes_nothing(run_module, function, operations):
    run_module(lambda_release, WITH_PERMISSION)
    operations.clear()
    again = run_module(lambda_release, WITH_PERMISSION)[0]
    assert not again["changed"] and again["permissions"] == [PLANNED]
    assert operations.count("GetPolicy") == 1
    assert not {"AddPermission", "RemovePermission", "PublishVersion", "UpdateAlias"} & set(operations)


def test_without_permissions_the_policy_is_neither_read_nor_changed(run_module, function, operations):
    run_module(lambda_release, WITH_PERMISSION)
    operations.clear()
    result = run_module(lambda_release, ARGS, diff=True)[0]
    assert not result["changed"] and "permissions" not in result and "permissions" not in result["diff"]["after"]
    assert "GetPolicy" not in operations and set(alias_statements(function)) == {"api-invoke"}


def test_check_mode_plans_the_permission_of_an_alias_that_does_not_exist_yet(run_module, function, operations):
    result = run_module(lambda_release, WITH_PERMISSION, check_mode=True, diff=True)[0]
    assert result["changed"] and result["function_version"] == "new" and result["permissions"] == [PLANNED]
    assert result["diff"]["after"]["permissions"] == [PLANNED] and "GetPolicy" not in operations
    with pytest.raises(function.exceptions.ResourceNotFoundException):
        alias_version(function)


@pytest.mark.parametrize("change", [
    {"source_arn": "arn:aws:execute-api:us-east-2:123456789012:other12345/*/*/count"},
    {"action": "lambda:GetFunction"},
    {"principal": "events.amazonaws.com"},
    {"source_account": "123456789012"},
])
def test_a_statement_that_differs_is_replaced_check_mode_first(run_module, function, change):
    run_module(lambda_release, WITH_PERMISSION)
    changed = {**INVOKE, **change}
    planned = run_module(lambda_release, {**ARGS, "permissions": [changed]}, check_mode=True, diff=True)[0]
    assert planned["changed"] and planned["diff"]["before"]["permissions"] == [PLANNED]
    assert alias_statements(function)["api-invoke"]["Condition"] == {"ArnLike": {"AWS:SourceArn": SOURCE}}
    assert alias_statements(function)["api-invoke"]["Action"] == "lambda:InvokeFunction"
    result = run_module(lambda_release, {**ARGS, "permissions": [changed]})[0]
    assert result["changed"] and not result["published"]
    statement = alias_statements(function)["api-invoke"]
    assert statement["Condition"]["ArnLike"]["AWS:SourceArn"] == changed["source_arn"]
    assert statement["Action"] == changed["action"]
    assert statement["Principal"] == {"Service": changed["principal"]}
    if "source_account" in change:
        assert statement["Condition"]["StringEquals"] == {"AWS:SourceAccount": "123456789012"}
    assert not run_module(lambda_release, {**ARGS, "permissions": [changed]})[0]["changed"]


def test_an_account_principal_compares_equal_to_the_root_arn_lambda_returns(run_module, function):
    account = {**INVOKE, "statement_id": "account", "principal": "210987654321"}
    run_module(lambda_release, {**ARGS, "permissions": [account]})
    assert not run_module(lambda_release, {**ARGS, "permissions": [account]})[0]["changed"]
    current = releases.current_statements({"Policy": {"Statement": [{
        "Sid": "account", "Action": "lambda:InvokeFunction", "Principal": {"AWS": "arn:aws:iam::210987654321:root"},
        "Condition": {"ArnLike": {"AWS:SourceArn": SOURCE}}}]}})
    assert current["account"] == releases.wanted_statement({**account, "source_account": None})


def test_statements_the_task_does_not_list_stay_unless_purged(run_module, function):
    run_module(lambda_release, ARGS)
    function.add_permission(FunctionName="counter", Qualifier="live", StatementId="someone-else",
                            Action="lambda:InvokeFunction", Principal="sns.amazonaws.com",
                            SourceArn="arn:aws:sns:us-east-2:123456789012:topic")
    result = run_module(lambda_release, WITH_PERMISSION)[0]
    assert result["changed"] and set(alias_statements(function)) == {"someone-else", "api-invoke"}
    assert [s["statement_id"] for s in result["permissions"]] == ["someone-else", "api-invoke"]
    planned = run_module(lambda_release, {**WITH_PERMISSION, "purge_permissions": True}, check_mode=True, diff=True)[0]
    assert planned["changed"] and planned["diff"]["after"]["permissions"] == [PLANNED]
    assert set(alias_statements(function)) == {"someone-else", "api-invoke"}
    purged = run_module(lambda_release, {**WITH_PERMISSION, "purge_permissions": True})[0]
    assert purged["changed"] and set(alias_statements(function)) == {"api-invoke"}


def test_an_interrupted_run_that_moved_the_alias_adds_the_permission_next_time(run_module, function):
    run_module(lambda_release, ARGS)  # alias made, then killed before AddPermission
    result = run_module(lambda_release, WITH_PERMISSION)[0]
    assert result["changed"] and not result["published"] and set(alias_statements(function)) == {"api-invoke"}


@pytest.mark.parametrize(("statement", "field"), [
    ({**INVOKE, "statement_id": "bad id"}, "permissions[0].statement_id"),
    ({**INVOKE, "source_arn": "execute-api"}, "permissions[0].source_arn"),
    ({**INVOKE, "source_account": "12345"}, "permissions[0].source_account"),
])
def test_bad_input_fails_naming_the_field_and_changes_nothing(run_module, function, operations, statement, field):
    result, failed = run_module(lambda_release, {**ARGS, "permissions": [statement]})
    assert failed and result["msg"].startswith(field + ":")
    assert operations == [] and versions(function) == ["$LATEST"]


def test_a_statement_listed_twice_fails(run_module, function, operations):
    result, failed = run_module(lambda_release, {**ARGS, "permissions": [INVOKE, INVOKE]})
    assert failed and result["msg"] == "permissions[1].statement_id: api-invoke is listed twice" and operations == []


# The task's action plugin (plugins/action/lambda_release.py) answers from the state stack_info read earlier in the run
# (awslambda.read_release, the same reads): it must answer exactly what the module would, and only when the module
# would change nothing.
def known(client) -> dict:
    return awslambda.read_release(client, "counter", "live")


def answered(args: dict, state: dict, diff: bool = False) -> dict | None:
    return lambda_release_action.ActionModule.answer_for({**args, "known_state": state}, diff)


def moved_back(client) -> None:
    client.update_function_configuration(FunctionName="counter", MemorySize=512)
    client.publish_version(FunctionName="counter")
    client.update_alias(FunctionName="counter", Name="live", FunctionVersion="1")


@pytest.mark.parametrize(("drift", "args"), [
    (lambda client: None, WITH_PERMISSION),
    (lambda client: None, ARGS),
    (lambda client: client.add_permission(FunctionName="counter", Qualifier="live", StatementId="someone-else",
                                          Action="lambda:InvokeFunction", Principal="sns.amazonaws.com",
                                          SourceArn="arn:aws:sns:us-east-2:123456789012:topic"), WITH_PERMISSION),
])
def test_the_action_answers_what_the_module_answers_when_nothing_changes(run_module, function, operations, drift, args):
    run_module(lambda_release, WITH_PERMISSION)
    drift(function)
    state = known(function)
    operations.clear()
    answers = {diff: answered(args, state, diff) for diff in (False, True)}
    assert operations == [] and None not in answers.values()
    for diff, answer in answers.items():
        assert answer == run_module(lambda_release, args, diff=diff)[0]
        assert answer == run_module(lambda_release, args, check_mode=True, diff=diff)[0]


@pytest.mark.parametrize(("drift", "args"), [
    # $LATEST no longer the newest version (a change the function task made: it then gives no known state)
    (lambda client: client.update_function_configuration(FunctionName="counter", MemorySize=512), WITH_PERMISSION),
    # an interrupted run: published, the alias not moved yet
    (lambda client: (client.update_function_code(FunctionName="counter", ZipFile=package("2")),
                     client.publish_version(FunctionName="counter")), WITH_PERMISSION),
    (moved_back, WITH_PERMISSION),
    (lambda client: client.update_alias(FunctionName="counter", Name="live",
                                        RoutingConfig={"AdditionalVersionWeights": {"1": 0.5}}), ARGS),
    (lambda client: client.remove_permission(FunctionName="counter", Qualifier="live", StatementId="api-invoke"),
     WITH_PERMISSION),
    (lambda client: None, {**ARGS, "permissions": [{**INVOKE, "source_arn": SOURCE.replace("a1b2c3d4e5", "newapi1234")}]}),
    (lambda client: client.add_permission(FunctionName="counter", Qualifier="live", StatementId="someone-else",
                                          Action="lambda:InvokeFunction", Principal="sns.amazonaws.com",
                                          SourceArn="arn:aws:sns:us-east-2:123456789012:topic"),
     {**WITH_PERMISSION, "purge_permissions": True}),
    (lambda client: client.delete_alias(FunctionName="counter", Name="live"), WITH_PERMISSION),
])
def test_the_action_leaves_every_change_to_the_module(run_module, function, drift, args):
    run_module(lambda_release, WITH_PERMISSION)
    drift(function)
    assert answered(args, known(function)) is None
    assert run_module(lambda_release, args)[0]["changed"]


def test_the_action_leaves_a_rollback_to_the_module(run_module, function):
    run_module(lambda_release, WITH_PERMISSION)
    moved_back(function)
    run_module(lambda_release, WITH_PERMISSION)
    rollback = {**WITH_PERMISSION, "target": "previous"}
    assert answered(rollback, known(function)) is None
    assert run_module(lambda_release, rollback)[0]["function_version"] == "1"


def test_the_action_runs_the_module_without_a_state_or_for_a_function_that_did_not_exist(run_module, function):
    assert lambda_release_action.ActionModule.answer_for(WITH_PERMISSION, False) is None
    assert answered(WITH_PERMISSION, {}) is None and awslambda.read_release(function, "nope", "live") == {}


@pytest.mark.parametrize("args", [
    {**ARGS, "permissions": [{**INVOKE, "statement_id": "bad id"}]},
    {**ARGS, "permissions": [INVOKE, INVOKE]},
    {**ARGS, "permissions": [{"statement_id": "x"}]},
    {"alias": "live"},
])
def test_options_the_module_refuses_are_left_to_its_message(run_module, function, args):
    run_module(lambda_release, WITH_PERMISSION)
    assert answered(args, known(function)) is None


@pytest.mark.parametrize(("state", "message"), [
    ("alias=live", "known_state: must be the release stack_info returns (a mapping), got str"),
    ({"function_arn": "arn:aws:lambda:us-east-2:123456789012:function:counter"},
     "known_state.latest: missing; give the release cloudresume.aws.stack_info returns"),
])
def test_a_state_that_is_not_stack_infos_fails_naming_the_field(state, message):
    assert answered(ARGS, state) == {"failed": True, "changed": False, "msg": message}


def test_another_functions_or_aliass_state_fails_naming_the_field(run_module, function):
    run_module(lambda_release, WITH_PERMISSION)
    state = known(function)
    assert answered({**WITH_PERMISSION, "function_name": "other"}, state)["msg"] == (
        "known_state.function_arn: arn:aws:lambda:us-east-2:123456789012:function:counter is not this task's "
        "function other")
    assert answered({**WITH_PERMISSION, "alias": "staging"}, state)["msg"] == (
        "known_state.alias: arn:aws:lambda:us-east-2:123456789012:function:counter:live is not this task's alias staging")
