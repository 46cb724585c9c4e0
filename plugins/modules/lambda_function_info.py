#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: lambda_function_info
short_description: Read one Lambda function's configuration by its exact name
version_added: 0.1.0
description:
  - Calls C(GetFunctionConfiguration) for the function named O(name) only, and reports whether it exists.
  - M(amazon.aws.lambda_info) fails with a KeyError when the named function does not exist, and without a name it
    reads the configuration (environment variables included) of every function in the account.
  - Read only; supports check mode.
author:
  - cloudresume.aws maintainers (@cloudresume)
options:
  name:
    description: Name or ARN of the function.
    type: str
    required: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Find the counter function
  cloudresume.aws.lambda_function_info:
    name: cloudresume-counter
  register: counter
"""

RETURN = r"""
exists:
  description: Whether the function exists.
  returned: always
  type: bool
  sample: true
function:
  description: The function's configuration (C(GetFunctionConfiguration), snake_case keys); empty when it does not exist.
  returned: always
  type: dict
  sample: {function_name: cloudresume-counter, runtime: python3.13, state: Active}
"""

from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.cloudresume.aws.plugins.module_utils.awslambda import LambdaError
from ansible_collections.cloudresume.aws.plugins.module_utils.awslambda import function_configuration


def configuration(module: AnsibleAWSModule) -> dict[str, Any]:
    client = module.client("lambda", retry_decorator=AWSRetry.jittered_backoff())
    return function_configuration(client, module.params["name"])


def main() -> None:
    module = AnsibleAWSModule(argument_spec=dict(name=dict(type="str", required=True)), supports_check_mode=True)
    if not module.params["name"]:
        module.fail_json(msg="name: give the function's name or ARN")
    try:
        function = configuration(module)
    except LambdaError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=False, exists=bool(function), function=function)


if __name__ == "__main__":
    main()
