# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""IAM roles: the calls on one role and its policies, and the local checks of a policy document.

Every call fails with amazon.aws's :class:`AnsibleIAMError` (``Failed to <description>``, naming the role and the
policy); IAM's ``NoSuchEntity`` is "not there" for the reads. Throttling is retried (``AWSRetry``). IAM is
eventually consistent (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency):
the calls made on a role right after ``CreateRole`` retry a ``NoSuchEntity`` that names the role for a while
(:func:`until_visible`); one naming a managed policy that does not exist fails at once.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.iam import AnsibleIAMError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list

from ansible_collections.cloudresume.aws.plugins.module_utils.errors import DescribedErrorHandler
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import InvalidInput
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import json_object

# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html: the inline policies of a role
# together (whitespace not counted), and a role's maximum session duration.
INLINE_POLICIES_MAX_CHARACTERS = 10240
SESSION_DURATION = (3600, 43200)
POLICY_VERSIONS = ("2012-10-17", "2008-10-17")
# IAM's answers to a document it does not take.
DOCUMENT_ERRORS = ("MalformedPolicyDocument", "LimitExceeded", "InvalidInput")
# A role just created may not be visible yet to the calls that follow (IAM's eventual consistency): the waits.
NEW_ROLE_DELAYS = (1, 2, 4, 8, 15)


class RoleErrorHandler(DescribedErrorHandler):
    """``NoSuchEntity`` (the role or the policy does not exist) is "not there"; every other error fails."""

    _CUSTOM_EXCEPTION = AnsibleIAMError

    @classmethod
    def _is_missing(cls) -> type[Exception]:
        return is_boto3_error_code("NoSuchEntity")


def until_visible(call: Callable[..., Any], role: str) -> Callable[..., Any]:
    """``call`` retried while IAM answers that ``role`` (just created) does not exist yet."""
    def retried(**kwargs: Any) -> Any:
        for delay in NEW_ROLE_DELAYS:
            try:
                return call(**kwargs)
            except is_boto3_error_code("NoSuchEntity") as e:
                if role not in e.response.get("Error", {}).get("Message", ""):
                    raise
            time.sleep(delay)
        return call(**kwargs)

    return retried


def document_error(error: AnsibleIAMError) -> str | None:
    """IAM's message when it refused a policy document, else None."""
    cause = getattr(error, "exception", None)
    response = getattr(cause, "response", None) or {}
    code = response.get("Error", {}).get("Code")
    if code in DOCUMENT_ERRORS:
        return f"IAM refused the document ({code}): {response['Error'].get('Message', '')}"
    return None


# ---- policy documents ----------------------------------------------------------------------------------------
def parse_policy(field: str, value: Any) -> dict[str, Any]:
    """A policy document given as a mapping or as JSON text, as a mapping; InvalidInput naming ``field`` otherwise."""
    return json_object(field, value, "a policy document (a JSON object)")


def check_policy(field: str, document: dict[str, Any], trust: bool) -> None:
    """IAM's policy grammar (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html) for an
    identity policy or, with ``trust``, a role's trust policy; InvalidInput naming ``field`` and the statement."""
    version = document.get("Version")
    if version is not None and version not in POLICY_VERSIONS:
        raise InvalidInput(f"{field}.Version: {version!r} is not a policy language version ({' or '.join(POLICY_VERSIONS)})")
    unknown = sorted(set(document) - {"Version", "Id", "Statement"})
    if unknown:
        raise InvalidInput(f"{field}: unknown element(s) {', '.join(unknown)} (a policy has Version, Id and Statement)")
    statements = document.get("Statement")
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list) or not statements:
        raise InvalidInput(f"{field}.Statement: a policy needs at least one statement")
    for index, statement in enumerate(statements):
        check_statement(f"{field}.Statement[{index}]", statement, trust)


def check_statement(field: str, statement: Any, trust: bool) -> None:
    if not isinstance(statement, dict):
        raise InvalidInput(f"{field}: a statement must be a JSON object, got {type(statement).__name__}")
    if statement.get("Effect") not in ("Allow", "Deny"):
        raise InvalidInput(f"{field}.Effect: must be Allow or Deny, got {statement.get('Effect')!r}")
    for pair in (("Action", "NotAction"),) + ((("Principal", "NotPrincipal"),) if trust else (("Resource", "NotResource"),)):
        if sum(key in statement for key in pair) != 1:
            raise InvalidInput(f"{field}: a statement needs exactly one of {' and '.join(pair)}")
    if not trust and ("Principal" in statement or "NotPrincipal" in statement):
        raise InvalidInput(f"{field}: an identity policy names no Principal (the role is the principal)")


def policy_characters(document: dict[str, Any]) -> int:
    """The size IAM counts against its quotas: the JSON text without whitespace."""
    return len("".join(json.dumps(document).split()))


# ---- the role ------------------------------------------------------------------------------------------------
@RoleErrorHandler.list_error_handler("read role {name}")
@AWSRetry.jittered_backoff()
def get_role(client: Any, name: str) -> dict[str, Any] | None:
    """GetRole: the role with its trust policy (decoded by botocore), description, session duration and tags."""
    return client.get_role(RoleName=name)["Role"]


@RoleErrorHandler.common_error_handler("list the inline policies of role {name}")
@AWSRetry.jittered_backoff()
def list_inline_policy_names(client: Any, name: str) -> list[str]:
    return client.get_paginator("list_role_policies").paginate(RoleName=name).build_full_result()["PolicyNames"]


@RoleErrorHandler.list_error_handler("read inline policy {policy} of role {name}")
@AWSRetry.jittered_backoff()
def get_inline_policy(client: Any, name: str, policy: str) -> dict[str, Any] | None:
    return client.get_role_policy(RoleName=name, PolicyName=policy)["PolicyDocument"]


@RoleErrorHandler.common_error_handler("list the managed policies attached to role {name}")
@AWSRetry.jittered_backoff()
def list_managed_policy_arns(client: Any, name: str) -> list[str]:
    paginator = client.get_paginator("list_attached_role_policies")
    return [p["PolicyArn"] for p in paginator.paginate(RoleName=name).build_full_result()["AttachedPolicies"]]


@RoleErrorHandler.common_error_handler("create role {request[RoleName]}")
@AWSRetry.jittered_backoff()
def create_role(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    return client.create_role(**request)["Role"]


@RoleErrorHandler.common_error_handler("update the trust policy of role {name}")
@AWSRetry.jittered_backoff()
def update_trust_policy(client: Any, name: str, document: dict[str, Any]) -> None:
    client.update_assume_role_policy(RoleName=name, PolicyDocument=json.dumps(document))


@RoleErrorHandler.common_error_handler("update role {name}")
@AWSRetry.jittered_backoff()
def update_role(client: Any, name: str, settings: dict[str, Any]) -> None:
    """UpdateRole with the description and the session duration both given (the one not changing at its value)."""
    client.update_role(RoleName=name, **settings)


@RoleErrorHandler.common_error_handler("put inline policy {policy} of role {name}")
def put_inline_policy(client: Any, name: str, policy: str, document: dict[str, Any], new_role: bool) -> None:
    call = AWSRetry.jittered_backoff()(client.put_role_policy)
    (until_visible(call, name) if new_role else call)(RoleName=name, PolicyName=policy, PolicyDocument=json.dumps(document))


@RoleErrorHandler.deletion_error_handler("delete inline policy {policy} of role {name}")
@AWSRetry.jittered_backoff()
def delete_inline_policy(client: Any, name: str, policy: str) -> bool:
    client.delete_role_policy(RoleName=name, PolicyName=policy)
    return True


@RoleErrorHandler.common_error_handler("attach managed policy {arn} to role {name}")
def attach_managed_policy(client: Any, name: str, arn: str, new_role: bool) -> None:
    call = AWSRetry.jittered_backoff()(client.attach_role_policy)
    (until_visible(call, name) if new_role else call)(RoleName=name, PolicyArn=arn)


@RoleErrorHandler.deletion_error_handler("detach managed policy {arn} from role {name}")
@AWSRetry.jittered_backoff()
def detach_managed_policy(client: Any, name: str, arn: str) -> bool:
    client.detach_role_policy(RoleName=name, PolicyArn=arn)
    return True


@RoleErrorHandler.common_error_handler("tag role {name}")
@AWSRetry.jittered_backoff()
def tag_role(client: Any, name: str, tags: dict[str, str]) -> None:
    client.tag_role(RoleName=name, Tags=ansible_dict_to_boto3_tag_list(tags))


@RoleErrorHandler.common_error_handler("untag role {name}")
@AWSRetry.jittered_backoff()
def untag_role(client: Any, name: str, keys: list[str]) -> None:
    client.untag_role(RoleName=name, TagKeys=keys)


@RoleErrorHandler.deletion_error_handler("delete role {name}")
@AWSRetry.jittered_backoff()
def delete_role(client: Any, name: str) -> bool:
    client.delete_role(RoleName=name)
    return True
