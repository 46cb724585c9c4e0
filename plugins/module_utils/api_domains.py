# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""API Gateway v2 custom domain names and API mappings: errors and calls of http_api_domain.

Each call fails with apigatewayv2's :class:`HttpApiError` (``Failed to <description>``, the description naming the
domain); ``NotFoundException`` is "not there" for the reads and deletions. A domain name is tagged with apigatewayv2's
``tag_resource`` and ``untag_resource``, as an API is.
"""
from __future__ import annotations

from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.cloudresume.aws.plugins.module_utils.apigatewayv2 import HttpApiErrorHandler


def _without_metadata(response: dict[str, Any]) -> dict[str, Any]:
    response.pop("ResponseMetadata", None)
    return response


@HttpApiErrorHandler.list_error_handler("read the custom domain name {name}")
@AWSRetry.jittered_backoff()
def get_domain_name(client: Any, name: str) -> dict[str, Any] | None:
    return _without_metadata(client.get_domain_name(DomainName=name))


@HttpApiErrorHandler.common_error_handler("create the custom domain name {name}")
@AWSRetry.jittered_backoff()
def create_domain_name(client: Any, name: str, configuration: dict[str, str], tags: dict[str, str]) -> dict[str, Any]:
    return _without_metadata(client.create_domain_name(DomainName=name, DomainNameConfigurations=[configuration],
                                                       Tags=tags))


@HttpApiErrorHandler.common_error_handler("update the custom domain name {name}")
@AWSRetry.jittered_backoff()
def update_domain_name(client: Any, name: str, configuration: dict[str, str]) -> dict[str, Any]:
    return _without_metadata(client.update_domain_name(DomainName=name, DomainNameConfigurations=[configuration]))


@HttpApiErrorHandler.deletion_error_handler("delete the custom domain name {name}")
@AWSRetry.jittered_backoff()
def delete_domain_name(client: Any, name: str) -> bool:
    client.delete_domain_name(DomainName=name)
    return True


@HttpApiErrorHandler.list_error_handler("read the API mappings of {name}", default_value=[])
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


@HttpApiErrorHandler.common_error_handler("map the API {api_id} to {name}")
@AWSRetry.jittered_backoff()
def create_api_mapping(client: Any, name: str, api_id: str, stage: str, key: str) -> dict[str, Any]:
    return _without_metadata(client.create_api_mapping(DomainName=name, ApiId=api_id, Stage=stage, ApiMappingKey=key))


@HttpApiErrorHandler.common_error_handler("update the API mapping {mapping_id} of {name}")
@AWSRetry.jittered_backoff()
def update_api_mapping(client: Any, name: str, mapping_id: str, api_id: str, stage: str) -> dict[str, Any]:
    return _without_metadata(client.update_api_mapping(DomainName=name, ApiMappingId=mapping_id, ApiId=api_id,
                                                       Stage=stage))


@HttpApiErrorHandler.deletion_error_handler("delete the API mapping {mapping_id} of {name}")
@AWSRetry.jittered_backoff()
def delete_api_mapping(client: Any, name: str, mapping_id: str) -> bool:
    client.delete_api_mapping(DomainName=name, ApiMappingId=mapping_id)
    return True
