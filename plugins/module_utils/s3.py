# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The error handler of the collection's S3 calls: they fail with an :class:`AnsibleS3Error` (``Failed to ...``).

amazon.aws's own ``S3ErrorHandler`` counts a missing key as an error and rewords denied calls; this one treats
``NoSuchBucket`` and ``NoSuchKey`` as "not there" (``list_error_handler`` answers its default) and reports every other
error as it is.

It also holds the bucket calls of ``s3_private_bucket``: one read per setting (a setting the bucket lacks is None),
the writes (retried while a new bucket is not visible yet) and CreateBucket.
"""
from __future__ import annotations

from typing import Any

try:
    import botocore.exceptions
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.cloudresume.aws.plugins.module_utils.errors import DescribedErrorHandler


class AnsibleS3Error(AnsibleAWSError):
    pass


class S3ErrorHandler(DescribedErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleS3Error

    @classmethod
    def _is_missing(cls) -> type[Exception]:
        return is_boto3_error_code(["NoSuchBucket", "NoSuchKey"])


class BucketMissing(Exception):
    """The bucket does not exist (``NoSuchBucket``)."""


# What each bucket setting's read answers when the bucket has none of it: a missing setting, not an error.
SETTING_MISSING_CODES: dict[str, str] = {
    "get_bucket_encryption": "ServerSideEncryptionConfigurationNotFoundError",
    "get_public_access_block": "NoSuchPublicAccessBlockConfiguration",
    "get_bucket_ownership_controls": "OwnershipControlsNotFoundError",
    "get_bucket_tagging": "NoSuchTagSet",
    "get_bucket_policy": "NoSuchBucketPolicy",
    "get_bucket_lifecycle_configuration": "NoSuchLifecycleConfiguration",
}


@S3ErrorHandler.common_error_handler("read the {what} of bucket {bucket}")
def read_bucket_setting(client: Any, operation: str, bucket: str, what: str) -> dict[str, Any] | None:
    """The answer of ``client.<operation>(Bucket=bucket)`` without its metadata; None when the bucket has no such
    setting (:data:`SETTING_MISSING_CODES`); :class:`BucketMissing` when there is no bucket. ``client`` is made
    with an AWSRetry decorator that retries :data:`S3_RETRY_CODES` (``aws_retry``)."""
    try:
        answer = getattr(client, operation)(aws_retry=True, Bucket=bucket)
    except botocore.exceptions.ClientError as e:
        code = e.response.get("Error", {}).get("Code")
        if code == "NoSuchBucket":
            raise BucketMissing(bucket) from e
        if code == SETTING_MISSING_CODES.get(operation):
            return None
        raise
    answer.pop("ResponseMetadata", None)
    return answer


# S3 throttles with SlowDown (503), which AWSRetry does not know: the clients of these calls retry it.
S3_RETRY_CODES = ["SlowDown"]


# Right after CreateBucket a write may still find no bucket (S3 is eventually consistent), and S3 refuses a write
# that conflicts with one in progress (OperationAborted): both are retried, as throttling is.
@S3ErrorHandler.common_error_handler("{description} of bucket {bucket}")
@AWSRetry.jittered_backoff(catch_extra_error_codes=["NoSuchBucket", "OperationAborted", *S3_RETRY_CODES])
def write_bucket_setting(client: Any, operation: str, bucket: str, description: str, **params: Any) -> None:
    getattr(client, operation)(Bucket=bucket, **params)


@S3ErrorHandler.common_error_handler("create bucket {bucket}")
@AWSRetry.jittered_backoff(catch_extra_error_codes=["OperationAborted", *S3_RETRY_CODES])
def create_bucket(client: Any, bucket: str, region: str, object_ownership: str | None) -> None:
    """CreateBucket in ``region`` (us-east-1 takes no LocationConstraint), with its object ownership when given."""
    params: dict[str, Any] = {"Bucket": bucket}
    if region != "us-east-1":
        params["CreateBucketConfiguration"] = {"LocationConstraint": region}
    if object_ownership:
        params["ObjectOwnership"] = object_ownership
    client.create_bucket(**params)
