# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Lambda errors and the function calls of the collection's modules (``lambda`` is a Python keyword)."""
from __future__ import annotations

from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


class LambdaError(AnsibleAWSError):
    pass


class LambdaErrorHandler(AWSErrorHandler):
    """Lambda errors as :class:`LambdaError`; C(ResourceNotFoundException) is the missing function."""

    _CUSTOM_EXCEPTION = LambdaError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ResourceNotFoundException")


@LambdaErrorHandler.list_error_handler("read the function's configuration")
@AWSRetry.jittered_backoff()
def get_function_configuration(client: Any, name: str) -> dict[str, Any] | None:
    """GetFunctionConfiguration without its ResponseMetadata, None when there is no such function."""
    found = client.get_function_configuration(FunctionName=name)
    found.pop("ResponseMetadata", None)
    return found


@LambdaErrorHandler.list_error_handler("read the function's reserved concurrency")
@AWSRetry.jittered_backoff()
def get_function_concurrency(client: Any, name: str) -> dict[str, Any] | None:
    """GetFunctionConcurrency's answer (no C(ReservedConcurrentExecutions): none reserved), None without function."""
    return client.get_function_concurrency(FunctionName=name)


@LambdaErrorHandler.common_error_handler("set the function's reserved concurrency")
@AWSRetry.jittered_backoff()
def put_function_concurrency(client: Any, name: str, reserved: int) -> None:
    client.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=reserved)


@LambdaErrorHandler.common_error_handler("remove the function's reserved concurrency")
@AWSRetry.jittered_backoff()
def delete_function_concurrency(client: Any, name: str) -> None:
    client.delete_function_concurrency(FunctionName=name)
