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
  - With I(target=latest), compares the function's C($LATEST) (code SHA-256 and configuration) with its newest
    published version, publishes a version (C(PublishVersion), guarded by the compared C(CodeSha256)) only when
    they differ, then points I(alias) at the newest version, creating the alias if needed. A rerun with nothing
    changed makes no call that changes anything. A run interrupted between the publication and the alias update is
    completed by the next one.
  - With I(target=previous), points I(alias) at the newest published version older than the one it points at now
    (a rollback); publishes nothing. Fails, changing nothing, when the alias does not exist or has no older version
    to go back to.
  - M(amazon.aws.lambda) publishes a version with each code update (C(UpdateFunctionCode) with C(Publish)) but not
    after a configuration-only change, and M(amazon.aws.lambda_alias) has no diff mode; this module publishes what is
    left unpublished and moves the alias, with real check mode and diff (the alias's version before and after).
author:
  - cloudresume.aws maintainers (@cloudresume)
options:
  function_name:
    description: Name of the function.
    type: str
    required: true
  alias:
    description: Name of the alias that callers invoke, for example C(live).
    type: str
    required: true
  target:
    description:
      - C(latest) publishes C($LATEST) when it differs from the newest published version and points the alias at
        the newest version.
      - C(previous) points the alias at the newest published version older than its current one.
    type: str
    choices: [latest, previous]
    default: latest
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

- name: Roll the live alias back to the previous version
  cloudresume.aws.lambda_release:
    function_name: cloudresume-counter
    alias: live
    target: previous
"""

RETURN = r"""
function_version:
  description: The version the alias points at after the task (in check mode, C(new) for a version it would publish).
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
"""

from typing import Any

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

# What a published version captures of $LATEST (PublishVersion's documented snapshot of code and settings); the
# per-version fields (Version, FunctionArn, RevisionId, LastModified, state) are not compared.
VERSIONED_FIELDS = ("CodeSha256", "Handler", "Runtime", "MemorySize", "Timeout", "Environment", "Role", "TracingConfig",
                    "Description", "Layers", "EphemeralStorage", "Architectures", "DeadLetterConfig", "KMSKeyArn",
                    "VpcConfig", "LoggingConfig")
NEW_VERSION = "new"

# PublishVersion and UpdateAlias answer ResourceConflictException while an update of the function is in progress.
conflict_retry = AWSRetry.jittered_backoff(catch_extra_error_codes=["ResourceConflictException"])


def list_versions(module: AnsibleAWSModule, client: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """$LATEST and the published versions, oldest first."""
    name = module.params["function_name"]
    try:
        paginator = client.get_paginator("list_versions_by_function")
        versions = paginator.paginate(FunctionName=name).build_full_result()["Versions"]
    except is_boto3_error_code("ResourceNotFoundException"):
        module.fail_json(msg=f"function_name: function {name} does not exist")
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:  # pylint: disable=duplicate-except
        module.fail_json_aws(e, msg=f"Failed to list the versions of {name}")
    latest = next((v for v in versions if v["Version"] == "$LATEST"), None)
    if latest is None:
        module.fail_json(msg=f"function_name: function {name} does not exist")
    published = sorted((v for v in versions if v["Version"] != "$LATEST"), key=lambda v: int(v["Version"]))
    return latest, published


def read_alias(module: AnsibleAWSModule, client: Any) -> dict[str, Any] | None:
    params = module.params
    try:
        return client.get_alias(aws_retry=True, FunctionName=params["function_name"], Name=params["alias"])
    except is_boto3_error_code("ResourceNotFoundException"):
        return None
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:  # pylint: disable=duplicate-except
        module.fail_json_aws(e, msg=f"Failed to read the alias {params['alias']} of {params['function_name']}")


def snapshot(configuration: dict[str, Any]) -> dict[str, Any]:
    return {key: configuration.get(key) for key in VERSIONED_FIELDS}


def publish(module: AnsibleAWSModule, client: Any, latest: dict[str, Any]) -> dict[str, Any]:
    name = module.params["function_name"]
    try:
        # CodeSha256: Lambda refuses to publish when the code changed since it was compared (a concurrent deploy).
        return conflict_retry(client.publish_version)(FunctionName=name, CodeSha256=latest["CodeSha256"])
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to publish a version of {name}")


def point_alias(module: AnsibleAWSModule, client: Any, alias: dict[str, Any] | None, version: str) -> str:
    params = module.params
    call = {"FunctionName": params["function_name"], "Name": params["alias"], "FunctionVersion": version}
    try:
        if alias is None:
            return conflict_retry(client.create_alias)(**call)["AliasArn"]
        # A weighted routing configuration left by hand would keep sending traffic to another version: cleared.
        return conflict_retry(client.update_alias)(**call, RoutingConfig={"AdditionalVersionWeights": {}})["AliasArn"]
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to point the alias {params['alias']} of {params['function_name']} at {version}")


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
    alias = read_alias(module, client)
    if module.params["target"] == "previous":
        return alias, previous_of(module, alias, published), False, latest
    newest = published[-1] if published else None
    needs_publish = newest is None or snapshot(newest) != snapshot(latest)
    return alias, None if needs_publish else newest, needs_publish, latest


def main() -> None:
    module = AnsibleAWSModule(
        argument_spec=dict(
            function_name=dict(type="str", required=True),
            alias=dict(type="str", required=True),
            target=dict(type="str", default="latest", choices=["latest", "previous"]),
        ),
        supports_check_mode=True,
    )
    client = module.client("lambda", retry_decorator=AWSRetry.jittered_backoff())
    alias, wanted, needs_publish, latest = plan(module, client)
    before = alias["FunctionVersion"] if alias else None
    if needs_publish and not module.check_mode:
        wanted = publish(module, client, latest)
    after = wanted["Version"] if wanted else NEW_VERSION
    changed = needs_publish or before != after or bool((alias or {}).get("RoutingConfig", {}).get("AdditionalVersionWeights"))
    function_arn = latest["FunctionArn"].split(":function:", 1)[0] + ":function:" + latest["FunctionName"]
    alias_arn = alias["AliasArn"] if alias else f"{function_arn}:{module.params['alias']}"
    if changed and not module.check_mode:
        alias_arn = point_alias(module, client, alias, after)
    result: dict[str, Any] = {
        "changed": changed, "function_version": after, "previous_version": before, "published": needs_publish,
        "alias_arn": alias_arn, "code_sha256": (wanted or latest)["CodeSha256"],
    }
    if module._diff:
        result["diff"] = {"before": {"alias": module.params["alias"], "function_version": before},
                          "after": {"alias": module.params["alias"], "function_version": after}}
    module.exit_json(**result)


if __name__ == "__main__":
    main()
