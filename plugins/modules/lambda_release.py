#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: lambda_release
short_description: Publish a Lambda version when the function changed, and point an alias at it (or back)
version_added: 0.2.0
description:
  - With O(target=latest), compares the function's C($LATEST) (code SHA-256 and configuration) with its newest
    published version, publishes a version (C(PublishVersion), guarded by the compared C(CodeSha256)) only when
    they differ, then points O(alias) at the newest version, creating the alias if needed. A rerun with nothing
    changed makes no call that changes anything. A run interrupted between the publication and the alias update is
    completed by the next one.
  - With O(target=previous), points O(alias) at the newest published version older than the one it points at now
    (a rollback); publishes nothing. Fails, changing nothing, when the alias does not exist or has no older version
    to go back to.
  - M(amazon.aws.lambda) publishes a version with each code update (C(UpdateFunctionCode) with C(Publish)) but not
    after a configuration-only change, and M(amazon.aws.lambda_alias) has no diff mode; this module publishes what is
    left unpublished and moves the alias, with real check mode and diff (the alias's version before and after,
    and its statements with O(permissions)).
  - With O(permissions), also ensures statements of the alias's resource-based policy (who may invoke the alias's
    ARN, for example an HTTP API), in the same process, with one C(GetPolicy) of the alias per run (none when the
    alias is new), C(AddPermission) for a missing statement and C(RemovePermission) then C(AddPermission) for one that
    differs (action, principal, or the condition Lambda keeps of the source ARN and account). Statements the task
    does not list are left alone unless O(purge_permissions=true). The alias is created or moved first, so the
    statements apply to an alias that exists; in check mode on an alias that does not exist yet they are planned.
  - M(amazon.aws.lambda_policy) manages one statement per task (its own process) and has no diff mode.
  - With O(known_state), what M(cloudresume.aws.stack_info) read of this release earlier in the run, the task's action
    plugin decides on the controller first. When that state needs no change (the alias points at the newest version,
    which equals C($LATEST), and the alias's policy holds the listed statements), it returns the result the module
    would return, without a module process or a call. Otherwise, and always with O(target=previous), the module reads
    everything again and decides itself. Give it only when nothing changed the function since it was read.
author:
  - cloudresume.aws maintainers (@cloudresume)
options:
  function_name:
    description: Name of the function.
    type: str
    required: true
  alias:
    description: Name of the alias that callers invoke, for example V(live).
    type: str
    required: true
  target:
    description:
      - V(latest) publishes C($LATEST) when it differs from the newest published version and points the alias at
        the newest version.
      - V(previous) points the alias at the newest published version older than its current one.
    type: str
    choices: [latest, previous]
    default: latest
  permissions:
    description:
      - Statements of the alias's resource-based policy (C(AddPermission) with the alias as C(Qualifier)), each
        identified by its O(permissions[].statement_id).
      - Not given (the default), the alias's policy is neither read nor changed.
    type: list
    elements: dict
    suboptions:
      statement_id:
        description: The statement's id (C(Sid)), unique in the list; letters, digits, C(-) and C(_), at most 100.
        type: str
        required: true
      action:
        description: The action the principal may call on the alias, for example V(lambda:InvokeFunction).
        type: str
        required: true
      principal:
        description:
          - The service (for example V(apigateway.amazonaws.com)) or account id that may call it.
        type: str
        required: true
      source_arn:
        description:
          - The ARN of the resource that may call it (Lambda keeps it as an C(ArnLike) condition, so C(*) matches
            any characters), for example an API's execution ARN with a stage, method and path pattern.
          - Required, so that a service principal never gets the alias for every resource of every account.
        type: str
        required: true
      source_account:
        description: The account id that must own the resource of O(permissions[].source_arn).
        type: str
  purge_permissions:
    description:
      - Remove the statements of the alias's policy that O(permissions) does not list, whoever made them.
      - With the default V(false), only the listed statements are added or replaced.
    type: bool
    default: false
  known_state:
    description:
      - The release state that M(cloudresume.aws.stack_info) returned (RV(cloudresume.aws.stack_info#module:release))
        for this function and alias earlier in the run; read by the task's action plugin on the controller (see
        above), ignored by the module itself.
      - Give it only when nothing changed the function's C($LATEST), its alias or the alias's policy since it was read
        (for example when the task that updates the function reported no change). An incomplete state, or one of
        another function or alias, fails naming the key, and changes nothing.
    type: dict
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Publish the function's changes and point the live alias at them
  cloudresume.aws.lambda_release:
    function_name: cloudresume-counter
    alias: live

- name: Publish, point the live alias, and let one HTTP API (and only it) invoke the alias
  cloudresume.aws.lambda_release:
    function_name: cloudresume-counter
    alias: live
    permissions:
      - statement_id: cloudresume-api-invoke
        action: lambda:InvokeFunction
        principal: apigateway.amazonaws.com
        source_arn: "{{ counter_api.api.execution_arn }}/*/*/count"

- name: Find the release's state with the run's other lookups, in one module process
  cloudresume.aws.stack_info:
    release:
      function_name: cloudresume-counter
      alias: live
  register: stack

- name: Publish and point the alias only when the state read above needs it (no module process otherwise)
  cloudresume.aws.lambda_release:
    function_name: cloudresume-counter
    alias: live
    known_state: "{{ stack.release if counter_function is not changed else omit }}"

- name: Roll the live alias back to the previous version
  cloudresume.aws.lambda_release:
    function_name: cloudresume-counter
    alias: live
    target: previous
"""

RETURN = r"""
function_version:
  description: The version the alias points at after the task (in check mode, V(new) for a version it would publish).
  returned: always
  type: str
  sample: "3"
previous_version:
  description: The version the alias pointed at before the task; null when the alias did not exist.
  returned: always
  type: str
  sample: "2"
published:
  description: Whether a version was published (or, in check mode, would be).
  returned: always
  type: bool
alias_arn:
  description: ARN of the alias.
  returned: always
  type: str
  sample: arn:aws:lambda:us-east-2:123456789012:function:cloudresume-counter:live
code_sha256:
  description: C(CodeSha256) of the version the alias points at after the task.
  returned: always
  type: str
permissions:
  description:
    - The statements of the alias's resource-based policy after the task (in check mode, as they would be), those
      the task does not list included.
  returned: when O(permissions) is given
  type: list
  elements: dict
  contains:
    statement_id:
      description: The statement's id.
      type: str
      sample: cloudresume-api-invoke
    action:
      description: The action allowed.
      type: str
      sample: lambda:InvokeFunction
    principal:
      description: The service or account id allowed (an account's C(root) ARN as its id).
      type: str
      sample: apigateway.amazonaws.com
    condition:
      description: The statement's condition as Lambda keeps it (the source ARN and account), empty when none.
      type: dict
      sample: {"ArnLike": {"AWS:SourceArn": "arn:aws:execute-api:us-east-2:123456789012:a1b2c3d4e5/*/*/count"}}
"""

from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.cloudresume.aws.plugins.module_utils import awslambda
from ansible_collections.cloudresume.aws.plugins.module_utils import releases
from ansible_collections.cloudresume.aws.plugins.module_utils.awslambda import LambdaError


def list_versions(module: AnsibleAWSModule, client: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """$LATEST and the published versions, oldest first."""
    name = module.params["function_name"]
    found = awslambda.release_versions(client, name)
    if found is None:
        module.fail_json(msg=f"function_name: function {name} does not exist")
    return found


def point_alias(module: AnsibleAWSModule, client: Any, alias: dict[str, Any] | None, version: str) -> str:
    name, alias_name = module.params["function_name"], module.params["alias"]
    if alias is None:
        return awslambda.create_alias(client, name, alias_name, version)
    return awslambda.update_alias(client, name, alias_name, version)


def previous_of(module: AnsibleAWSModule, alias: dict[str, Any] | None, published: list[dict[str, Any]]) -> dict[str, Any]:
    params = module.params
    if alias is None:
        module.fail_json(msg=f"alias: {params['function_name']} has no alias {params['alias']} to roll back; deploy first")
    current = alias["FunctionVersion"]
    older = [v for v in published if current != "$LATEST" and int(v["Version"]) < int(current)]
    if not older:
        module.fail_json(msg=(f"target: the alias {params['alias']} of {params['function_name']} points at version {current}, "
                              "and there is no earlier published version to roll back to"))
    return older[-1]


def plan(module: AnsibleAWSModule, client: Any) -> tuple[dict[str, Any] | None, dict[str, Any] | None, bool, dict[str, Any]]:
    """The alias now, the version it should point at (None: one to publish from $LATEST), and $LATEST."""
    latest, published = list_versions(module, client)
    alias = awslambda.get_alias(client, module.params["function_name"], module.params["alias"])
    if module.params["target"] == "previous":
        return alias, previous_of(module, alias, published), False, latest
    needs_publish = releases.publication(releases.release_state(latest, published, alias, None))[0]
    return alias, None if needs_publish else published[-1], needs_publish, latest


def add_permission(client: Any, name: str, alias: str, statement: dict[str, Any]) -> None:
    call = {"StatementId": statement["statement_id"], "Action": statement["action"],
            "Principal": statement["principal"], "SourceArn": statement["source_arn"]}
    if statement["source_account"] is not None:
        call["SourceAccount"] = statement["source_account"]
    awslambda.add_permission(client, name, alias, call)


def ensure_permissions(module: AnsibleAWSModule, client: Any, alias_exists: bool) -> tuple[bool, dict[str, Any], dict[str, Any]]:
    """Adds, replaces (and with purge_permissions removes) the alias's statements; (changed, before, after)."""
    params = module.params
    name, alias = params["function_name"], params["alias"]
    before = releases.current_statements(awslambda.get_policy(client, name, alias) if alias_exists else None)
    removed, added, after = releases.permission_changes(before, params["permissions"], params["purge_permissions"])
    if not module.check_mode:
        for sid in removed + [s["statement_id"] for s in added if s["statement_id"] in before]:
            awslambda.remove_permission(client, name, alias, sid)
        for statement in added:
            add_permission(client, name, alias, statement)
    return bool(removed or added), before, after


def main() -> None:
    module = AnsibleAWSModule(argument_spec=releases.ARGUMENT_SPEC, supports_check_mode=True)
    problem = releases.permission_problem(module.params["permissions"])
    if problem:
        module.fail_json(msg=problem)
    try:
        release(module, module.client("lambda", retry_decorator=AWSRetry.jittered_backoff()))
    except LambdaError as e:
        module.fail_json_aws_error(e)


def release(module: AnsibleAWSModule, client: Any) -> None:
    alias, wanted, needs_publish, latest = plan(module, client)
    before = alias["FunctionVersion"] if alias else None
    if needs_publish and not module.check_mode:
        wanted = awslambda.publish_version(client, module.params["function_name"], latest["CodeSha256"])
    after = wanted["Version"] if wanted else releases.NEW_VERSION
    changed = releases.alias_changes(needs_publish, before, after, releases.weighted(alias))
    alias_arn = alias["AliasArn"] if alias else f"{releases.function_arn(latest)}:{module.params['alias']}"
    if changed and not module.check_mode:
        alias_arn = point_alias(module, client, alias, after)
    statements = None
    if module.params["permissions"] is not None:
        permissions_changed, statements_before, statements_after = ensure_permissions(module, client, alias is not None)
        changed = changed or permissions_changed
        statements = [statements_before, statements_after]
    result = releases.result_of(module.params["alias"], changed=changed, before=before, after=after,
                                published=needs_publish, alias_arn=alias_arn,
                                code_sha256=(wanted or latest)["CodeSha256"], statements=statements, diff=module._diff)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
