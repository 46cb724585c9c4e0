# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""API Gateway v2 custom domain names and API mappings: errors and calls of http_api_domain.

Each call fails with :class:`AnsibleApiDomainError` (``Failed to <description>``, the description naming the
domain); ``NotFoundException`` is "not there" for the reads and deletions.
"""
from __future__ import annotations

from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.cloudresume.aws.plugins.module_utils.errors import DescribedErrorHandler


class AnsibleApiDomainError(AnsibleAWSError):
    pass


class ApiDomainErrorHandler(DescribedErrorHandler):
    """``NotFoundException`` (a domain name or mapping that does not exist) is "not there"."""

    _CUSTOM_EXCEPTION = AnsibleApiDomainError

    @classmethod
    def _is_missing(cls) -> type[Exception]:
        return is_boto3_error_code("NotFoundException")


def _without_metadata(response: dict[str, Any]) -> dict[str, Any]:
    response.pop("ResponseMetadata", None)
    return response


@ApiDomainErrorHandler.list_error_handler("read the custom domain name {name}")
@AWSRetry.jittered_backoff()
def get_domain_name(client: Any, name: str) -> dict[str, Any] | None:
    return _without_metadata(client.get_domain_name(DomainName=name))


@ApiDomainErrorHandler.common_error_handler("create the custom domain name {name}")
@AWSRetry.jittered_backoff()
def create_domain_name(client: Any, name: str, configuration: dict[str, str], tags: dict[str, str]) -> dict[str, Any]:
    return _without_metadata(client.create_domain_name(DomainName=name, DomainNameConfigurations=[configuration],
                                                       Tags=tags))


@ApiDomainErrorHandler.common_error_handler("update the custom domain name {name}")
@AWSRetry.jittered_backoff()
def update_domain_name(client: Any, name: str, configuration: dict[str, str]) -> dict[str, Any]:
    return _without_metadata(client.update_domain_name(DomainName=name, DomainNameConfigurations=[configuration]))


@ApiDomainErrorHandler.deletion_error_handler("delete the custom domain name {name}")
@AWSRetry.jittered_backoff()
def delete_domain_name(client: Any, name: str) -> bool:
    client.delete_domain_name(DomainName=name)
    return True


@ApiDomainErrorHandler.common_error_handler("tag the custom domain name {arn}")
@AWSRetry.jittered_backoff()
def tag_resource(client: Any, arn: str, tags: dict[str, str]) -> None:
    client.tag_resource(ResourceArn=arn, Tags=tags)


@ApiDomainErrorHandler.common_error_handler("untag the custom domain name {arn}")
@AWSRetry.jittered_backoff()
def untag_resource(client: Any, arn: str, keys: list[str]) -> None:
    client.untag_resource(ResourceArn=arn, TagKeys=keys)


@ApiDomainErrorHandler.list_error_handler("read the API mappings of {name}", default_value=[])
@AWSRetry.jittered_backoff()
def get_api_mappings(client: Any, name: str) -> list[dict[str, Any]]:
    """Every mapping of the domain name (botocore has no paginator for GetApiMappings)."""
    items: list[dict[str, Any]] = []
    params = {"DomainName": name}
    while True:
        response = client.get_api_mappings(**params)
        items.extend(response.get("Items") or [])
        if not response.get("NextToken"):
            return items
        params["NextToken"] = response["NextToken"]


@ApiDomainErrorHandler.common_error_handler("map the API {api_id} to {name}")
@AWSRetry.jittered_backoff()
def create_api_mapping(client: Any, name: str, api_id: str, stage: str, key: str) -> dict[str, Any]:
    return _without_metadata(client.create_api_mapping(DomainName=name, ApiId=api_id, Stage=stage, ApiMappingKey=key))


@ApiDomainErrorHandler.common_error_handler("update the API mapping {mapping_id} of {name}")
@AWSRetry.jittered_backoff()
def update_api_mapping(client: Any, name: str, mapping_id: str, api_id: str, stage: str) -> dict[str, Any]:
    return _without_metadata(client.update_api_mapping(DomainName=name, ApiMappingId=mapping_id, ApiId=api_id,
                                                       Stage=stage))


@ApiDomainErrorHandler.deletion_error_handler("delete the API mapping {mapping_id} of {name}")
@AWSRetry.jittered_backoff()
def delete_api_mapping(client: Any, name: str, mapping_id: str) -> bool:
    client.delete_api_mapping(DomainName=name, ApiMappingId=mapping_id)
    return True
