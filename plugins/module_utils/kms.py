# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""KMS errors, calls, and the one resolver of a key id, alias or ARN to the key's metadata."""
from __future__ import annotations

from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.cloudresume.aws.plugins.module_utils.errors import DescribedErrorHandler


class KMSError(AnsibleAWSError):
    pass


class KMSErrorHandler(DescribedErrorHandler):
    """KMS errors as :class:`KMSError`; C(NotFoundException) is the missing key."""

    _CUSTOM_EXCEPTION = KMSError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("NotFoundException")


@KMSErrorHandler.list_error_handler("describe the KMS key {key_id}")
@AWSRetry.jittered_backoff()
def describe_key(client: Any, key_id: str) -> dict[str, Any] | None:
    """The key's KeyMetadata (key id, key ARN, alias name or alias ARN), None when there is no such key."""
    return client.describe_key(KeyId=key_id)["KeyMetadata"]


def resolve_key(client: Any, key_id: str, field: str) -> dict[str, Any]:
    """The KeyMetadata of the key ``key_id`` names; a key that does not exist is an error naming ``field``."""
    metadata = describe_key(client, key_id)
    if metadata is None:
        raise KMSError(message=f"{field}: KMS key {key_id!r} was not found")
    return metadata


@KMSErrorHandler.common_error_handler("list the KMS keys")
@AWSRetry.jittered_backoff()
def list_keys(client: Any) -> list[dict[str, Any]]:
    return client.get_paginator("list_keys").paginate().build_full_result().get("Keys", [])


@KMSErrorHandler.common_error_handler("list the KMS aliases")
@AWSRetry.jittered_backoff()
def list_aliases(client: Any, **params: Any) -> list[dict[str, Any]]:
    """ListAliases items, of one key with ``KeyId``. Authorised on C(*) alone, unlike DescribeKey."""
    return client.get_paginator("list_aliases").paginate(**params).build_full_result().get("Aliases", [])
