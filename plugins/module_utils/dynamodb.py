# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""DynamoDB errors, and the calls both DynamoDB modules make."""
from __future__ import annotations

from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.waiter import custom_waiter_config

from ansible_collections.cloudresume.aws.plugins.module_utils.errors import DescribedErrorHandler


class DynamoDBError(AnsibleAWSError):
    pass


class DynamoDBErrorHandler(DescribedErrorHandler):
    """DynamoDB errors as :class:`DynamoDBError`. A missing table is C(ResourceNotFoundException), or
    C(TableNotFoundException) for the continuous backups calls."""

    _CUSTOM_EXCEPTION = DynamoDBError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["ResourceNotFoundException", "TableNotFoundException"])


@DynamoDBErrorHandler.list_error_handler("describe table {name}")
@AWSRetry.jittered_backoff()
def describe_table(client: Any, name: str) -> dict[str, Any] | None:
    """DescribeTable's Table, None when there is no such table."""
    return client.describe_table(TableName=name)["Table"]


@DynamoDBErrorHandler.list_error_handler("read the continuous backups of table {name}")
@AWSRetry.jittered_backoff()
def describe_continuous_backups(client: Any, name: str) -> dict[str, Any] | None:
    """ContinuousBackupsDescription, None when there is no such table."""
    return client.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]


@DynamoDBErrorHandler.common_error_handler("wait for table {name} to become ACTIVE")
def wait_table_active(client: Any, name: str, timeout: int, pause: int) -> None:
    client.get_waiter("table_exists").wait(TableName=name, WaiterConfig=custom_waiter_config(timeout, pause))
