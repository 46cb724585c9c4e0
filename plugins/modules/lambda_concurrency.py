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
  - Reserved concurrency both guarantees and caps the function's concurrent executions; C(0) stops all invocations.
  - Supports check mode and diff mode.
author:
  - cloudresume.aws maintainers (@cloudresume)
options:
  function_name:
    description: Name or ARN of the function.
    type: str
    required: true
  reserved_concurrent_executions:
    description: The concurrency to reserve (0 to 1000 on a default account). Required with I(state=present).
    type: int
  state:
    description: C(present) reserves I(reserved_concurrent_executions); C(absent) removes any reservation.
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

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

MAX_RESERVED = 1000  # the default regional concurrency quota


def current_concurrency(module: AnsibleAWSModule, client: Any) -> int | None:
    name = module.params["function_name"]
    try:
        return client.get_function_concurrency(aws_retry=True, FunctionName=name).get("ReservedConcurrentExecutions")
    except is_boto3_error_code("ResourceNotFoundException"):
        module.fail_json(msg=f"function_name: function {name} does not exist")
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:  # pylint: disable=duplicate-except
        module.fail_json_aws(e, msg=f"Failed to read the reserved concurrency of {name}")


def apply(module: AnsibleAWSModule, client: Any, wanted: int | None) -> None:
    name = module.params["function_name"]
    try:
        if wanted is None:
            client.delete_function_concurrency(aws_retry=True, FunctionName=name)
        else:
            client.put_function_concurrency(aws_retry=True, FunctionName=name, ReservedConcurrentExecutions=wanted)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to set the reserved concurrency of {name}")


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
    before = current_concurrency(module, client)
    changed = before != wanted
    if changed and not module.check_mode:
        apply(module, client, wanted)
    result: dict[str, Any] = {"changed": changed, "reserved_concurrent_executions": wanted}
    if module._diff:
        result["diff"] = {"before": {"reserved_concurrent_executions": before},
                          "after": {"reserved_concurrent_executions": wanted}}
    module.exit_json(**result)


if __name__ == "__main__":
    main()
