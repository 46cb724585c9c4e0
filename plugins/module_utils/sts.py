# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""STS errors and the caller's identity (``sts:GetCallerIdentity``, which no IAM policy can deny)."""
from __future__ import annotations

from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


class StsError(AnsibleAWSError):
    pass


class StsErrorHandler(AWSErrorHandler):
    """STS errors as :class:`StsError`; nothing is "missing" for GetCallerIdentity."""

    _CUSTOM_EXCEPTION = StsError

    @classmethod
    def _is_missing(cls):
        return ()


@StsErrorHandler.common_error_handler("identify the caller (sts:GetCallerIdentity)")
@AWSRetry.jittered_backoff()
def get_caller_identity(client: Any) -> dict[str, str]:
    """The caller as ``{account, arn, partition, user_id}`` (the partition is the ARN's second field)."""
    identity = client.get_caller_identity()
    return {"account": identity["Account"], "arn": identity["Arn"], "partition": identity["Arn"].split(":")[1],
            "user_id": identity["UserId"]}
