# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The error handler of the collection's S3 calls: they fail with an :class:`AnsibleS3Error` (``Failed to ...``).

amazon.aws's own ``S3ErrorHandler`` counts a missing key as an error and rewords denied calls; this one treats
``NoSuchBucket`` and ``NoSuchKey`` as "not there" (``list_error_handler`` answers its default) and reports every other
error as it is.
"""
from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.cloudresume.aws.plugins.module_utils.errors import DescribedErrorHandler


class AnsibleS3Error(AnsibleAWSError):
    pass


class S3ErrorHandler(DescribedErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleS3Error

    @classmethod
    def _is_missing(cls) -> type[Exception]:
        return is_boto3_error_code(["NoSuchBucket", "NoSuchKey"])
