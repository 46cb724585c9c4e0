# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Lambda errors and the function calls of the collection's modules (``lambda`` is a Python keyword)."""
from __future__ import annotations

import json
from typing import Any

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.cloudresume.aws.plugins.module_utils import releases
from ansible_collections.cloudresume.aws.plugins.module_utils.errors import DescribedErrorHandler


class LambdaError(AnsibleAWSError):
    pass


class LambdaErrorHandler(DescribedErrorHandler):
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


def function_configuration(client: Any, name: str) -> dict[str, Any]:
    """The function's configuration with snake_case keys (environment variable names as set), {} when missing."""
    found = get_function_configuration(client, name)
    if found is None:
        return {}
    variables = found.get("Environment", {}).get("Variables")
    snaked = camel_dict_to_snake_dict(found)
    if variables is not None:
        snaked["environment"]["variables"] = variables  # names as set, not snake_cased
    return snaked


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


# PublishVersion and CreateAlias/UpdateAlias answer ResourceConflictException while an update of the function is in
# progress: retried on those calls only.
_conflict_retry = AWSRetry.jittered_backoff(catch_extra_error_codes=["ResourceConflictException"])


@LambdaErrorHandler.list_error_handler("list the function's versions")
@AWSRetry.jittered_backoff()
def list_versions_by_function(client: Any, name: str) -> list[dict[str, Any]] | None:
    """Every version of the function ($LATEST included), None when there is no such function."""
    return client.get_paginator("list_versions_by_function").paginate(FunctionName=name).build_full_result()["Versions"]


def release_versions(client: Any, name: str) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """$LATEST and the published versions, oldest first; None when there is no such function."""
    versions = list_versions_by_function(client, name) or []
    latest = next((v for v in versions if v["Version"] == "$LATEST"), None)
    if latest is None:
        return None
    return latest, sorted((v for v in versions if v["Version"] != "$LATEST"), key=lambda v: int(v["Version"]))


@LambdaErrorHandler.list_error_handler("read the function's alias")
@AWSRetry.jittered_backoff()
def get_alias(client: Any, name: str, alias: str) -> dict[str, Any] | None:
    """GetAlias, None when the function or the alias does not exist."""
    return client.get_alias(FunctionName=name, Name=alias)


@LambdaErrorHandler.common_error_handler("publish a version of the function")
@_conflict_retry
def publish_version(client: Any, name: str, code_sha256: str) -> dict[str, Any]:
    """PublishVersion; CodeSha256 makes Lambda refuse when the code changed since it was compared."""
    return client.publish_version(FunctionName=name, CodeSha256=code_sha256)


@LambdaErrorHandler.common_error_handler("create the function's alias")
@_conflict_retry
def create_alias(client: Any, name: str, alias: str, version: str) -> str:
    return client.create_alias(FunctionName=name, Name=alias, FunctionVersion=version)["AliasArn"]


@LambdaErrorHandler.common_error_handler("point the function's alias at another version")
@_conflict_retry
def update_alias(client: Any, name: str, alias: str, version: str) -> str:
    """UpdateAlias, clearing a weighted routing configuration (it would keep sending traffic to another version)."""
    return client.update_alias(FunctionName=name, Name=alias, FunctionVersion=version,
                               RoutingConfig={"AdditionalVersionWeights": {}})["AliasArn"]


@LambdaErrorHandler.list_error_handler("read the resource-based policy of the function's alias")
@AWSRetry.jittered_backoff()
def get_policy(client: Any, name: str, qualifier: str) -> dict[str, Any] | None:
    """GetPolicy of a version or alias (C(Policy) decoded), None when it has no policy (or does not exist)."""
    found = client.get_policy(FunctionName=name, Qualifier=qualifier)
    return {"Policy": json.loads(found["Policy"]), "RevisionId": found.get("RevisionId")}


# AddPermission and RemovePermission also answer ResourceConflictException while the function is being updated.
@LambdaErrorHandler.common_error_handler("let a principal invoke the function's alias")
@_conflict_retry
def add_permission(client: Any, name: str, qualifier: str, statement: dict[str, Any]) -> None:
    """AddPermission on the version or alias; ``statement`` holds StatementId, Action, Principal and the optional
    SourceArn and SourceAccount."""
    client.add_permission(FunctionName=name, Qualifier=qualifier, **statement)


@LambdaErrorHandler.common_error_handler("remove a statement from the alias's resource-based policy")
@_conflict_retry
def remove_permission(client: Any, name: str, qualifier: str, statement_id: str) -> None:
    client.remove_permission(FunctionName=name, Qualifier=qualifier, StatementId=statement_id)


def read_release(client: Any, name: str, alias: str) -> dict[str, Any]:
    """What cloudresume.aws.lambda_release reads of the function's release, condensed (releases.release_state): its
    versions, the alias and the alias's policy; {} when there is no such function."""
    versions = release_versions(client, name)
    if versions is None:
        return {}
    found = get_alias(client, name, alias)
    return releases.release_state(*versions, found, get_policy(client, name, alias) if found else None)
