# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""ACM errors and calls, with the Resource Groups Tagging API calls a DNS-validated certificate needs (its Route 53
calls are in route53.py).

Each service's calls fail with its own :class:`AnsibleAWSError` subclass (``Failed to <description>``, the
description naming the call's arguments); ACM's ``ResourceNotFoundException`` is "not there".
"""
from __future__ import annotations

from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.cloudresume.aws.plugins.module_utils.errors import DescribedErrorHandler

KEY_TYPES = ["RSA_1024", "RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1", "EC_secp521r1"]


class AnsibleACMError(AnsibleAWSError):
    pass


class ACMErrorHandler(DescribedErrorHandler):
    """``ResourceNotFoundException`` (a certificate that does not exist) is "not there"; every other error fails."""

    _CUSTOM_EXCEPTION = AnsibleACMError

    @classmethod
    def _is_missing(cls) -> type[Exception]:
        return is_boto3_error_code("ResourceNotFoundException")


class AnsibleTaggingAPIError(AnsibleAWSError):
    pass


class TaggingAPIErrorHandler(DescribedErrorHandler):
    """Every Resource Groups Tagging API error fails."""

    _CUSTOM_EXCEPTION = AnsibleTaggingAPIError


# ---- ACM ---------------------------------------------------------------------------------------------------
@ACMErrorHandler.list_error_handler("read the certificate {arn}")
@AWSRetry.jittered_backoff()
def describe_certificate(client: Any, arn: str) -> dict[str, Any] | None:
    """DescribeCertificate's ``Certificate``, None when there is no such certificate."""
    return client.describe_certificate(CertificateArn=arn)["Certificate"]


@ACMErrorHandler.common_error_handler("request the certificate")
@AWSRetry.jittered_backoff()
def request_certificate(client: Any, domains: list[str], token: str, tags: list[dict[str, str]]) -> str:
    """A DNS-validated certificate for ``domains`` (the first is its domain name); its ARN."""
    return client.request_certificate(DomainName=domains[0], SubjectAlternativeNames=domains, ValidationMethod="DNS",
                                      IdempotencyToken=token, Tags=tags)["CertificateArn"]


@ACMErrorHandler.common_error_handler("add tags to the certificate {arn}")
@AWSRetry.jittered_backoff()
def add_tags(client: Any, arn: str, tags: list[dict[str, str]]) -> None:
    client.add_tags_to_certificate(CertificateArn=arn, Tags=tags)


@ACMErrorHandler.common_error_handler("remove tags from the certificate {arn}")
@AWSRetry.jittered_backoff()
def remove_tags(client: Any, arn: str, tags: list[dict[str, str]]) -> None:
    client.remove_tags_from_certificate(CertificateArn=arn, Tags=tags)


@ACMErrorHandler.deletion_error_handler("delete the certificate {arn}")
@AWSRetry.jittered_backoff()
def delete_certificate(client: Any, arn: str) -> bool:
    """True once deleted, False when it was already gone; a certificate in use fails saying so."""
    try:
        client.delete_certificate(CertificateArn=arn)
    except is_boto3_error_code("ResourceInUseException") as e:
        raise AnsibleACMError(message=f"The certificate {arn} is still in use; remove that use first",
                              exception=e) from e
    return True


@ACMErrorHandler.common_error_handler("list the certificates")
@AWSRetry.jittered_backoff()
def list_certificates(client: Any) -> list[dict[str, Any]]:
    """The summaries of every certificate of the region, whatever its key type (ListCertificates omits some)."""
    paginator = client.get_paginator("list_certificates")
    return paginator.paginate(Includes={"keyTypes": KEY_TYPES}).build_full_result().get("CertificateSummaryList", [])


# ---- Resource Groups Tagging API ---------------------------------------------------------------------------
@TaggingAPIErrorHandler.common_error_handler("find the certificate by its Name tag {name}")
@AWSRetry.jittered_backoff()
def certificates_tagged(client: Any, name: str) -> list[dict[str, Any]]:
    """The ResourceTagMappingList items of the ACM certificates whose ``Name`` tag is ``name`` (every page)."""
    paginator = client.get_paginator("get_resources")
    pages = paginator.paginate(TagFilters=[{"Key": "Name", "Values": [name]}], ResourceTypeFilters=["acm:certificate"])
    return pages.build_full_result().get("ResourceTagMappingList", [])
