# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The error handler of the collection's CloudWatch calls: they fail with an :class:`AnsibleCloudWatchError`."""
from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.cloudresume.aws.plugins.module_utils.errors import DescribedErrorHandler


class AnsibleCloudWatchError(AnsibleAWSError):
    pass


class CloudWatchErrorHandler(DescribedErrorHandler):
    """``ResourceNotFound`` (a dashboard that does not exist) is "not there"; every other error fails."""

    _CUSTOM_EXCEPTION = AnsibleCloudWatchError

    @classmethod
    def _is_missing(cls) -> type[Exception]:
        return is_boto3_error_code("ResourceNotFound")
