#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: lambda_concurrency
short_description: Manage a Lambda function's reserved concurrency
version_added: 0.1.0
description:
  - Sets or removes the reserved concurrency of a Lambda function (C(PutFunctionConcurrency),
    C(DeleteFunctionConcurrency)). M(amazon.aws.lambda) does not manage it.
  - Reserved concurrency both guarantees and caps the function's concurrent executions; V(0) stops all invocations.
  - Supports check mode and diff mode.
author:
  - cloudresume.aws maintainers (@cloudresume)
options:
  function_name:
    description: Name or ARN of the function.
    type: str
    required: true
  reserved_concurrent_executions:
    description: The concurrency to reserve (0 to 1000 on a default account). Required with O(state=present).
    type: int
  state:
    description: V(present) reserves O(reserved_concurrent_executions); V(absent) removes any reservation.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Cap the visitor counter at 10 concurrent executions
  cloudresume.aws.lambda_concurrency:
    function_name: cloudresume-counter
    reserved_concurrent_executions: 10

- name: Return the function to the account's unreserved pool
  cloudresume.aws.lambda_concurrency:
    function_name: cloudresume-counter
    state: absent
"""

RETURN = r"""
reserved_concurrent_executions:
  description: The function's reserved concurrency after the task, null when none is reserved.
  returned: always
  type: int
  sample: 10
"""

from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.cloudresume.aws.plugins.module_utils.awslambda import LambdaError
from ansible_collections.cloudresume.aws.plugins.module_utils.awslambda import delete_function_concurrency
from ansible_collections.cloudresume.aws.plugins.module_utils.awslambda import get_function_concurrency
from ansible_collections.cloudresume.aws.plugins.module_utils.awslambda import put_function_concurrency

MAX_RESERVED = 1000  # the default regional concurrency quota


def current_concurrency(client: Any, name: str) -> int | None:
    found = get_function_concurrency(client, name)
    if found is None:
        raise LambdaError(message=f"function_name: function {name} does not exist")
    return found.get("ReservedConcurrentExecutions")


def apply(module: AnsibleAWSModule, client: Any, wanted: int | None) -> dict[str, Any]:
    """Reserve ``wanted`` (None: remove the reservation) unless it is reserved already; the module's result."""
    name = module.params["function_name"]
    before = current_concurrency(client, name)
    changed = before != wanted
    if changed and not module.check_mode:
        if wanted is None:
            delete_function_concurrency(client, name)
        else:
            put_function_concurrency(client, name, wanted)
    result: dict[str, Any] = {"changed": changed, "reserved_concurrent_executions": wanted}
    if module._diff:
        result["diff"] = {"before": {"reserved_concurrent_executions": before},
                          "after": {"reserved_concurrent_executions": wanted}}
    return result


def main() -> None:
    module = AnsibleAWSModule(
        argument_spec=dict(
            function_name=dict(type="str", required=True),
            reserved_concurrent_executions=dict(type="int"),
            state=dict(type="str", default="present", choices=["present", "absent"]),
        ),
        required_if=[("state", "present", ["reserved_concurrent_executions"])],
        supports_check_mode=True,
    )
    wanted = module.params["reserved_concurrent_executions"] if module.params["state"] == "present" else None
    if wanted is not None and not 0 <= wanted <= MAX_RESERVED:
        module.fail_json(msg=f"reserved_concurrent_executions: {wanted} is outside 0..{MAX_RESERVED}")
    client = module.client("lambda", retry_decorator=AWSRetry.jittered_backoff())
    try:
        result = apply(module, client, wanted)
    except LambdaError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
