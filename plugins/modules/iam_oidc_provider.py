#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: iam_oidc_provider
short_description: Manage an IAM OpenID Connect (OIDC) identity provider
version_added: 0.1.0
description:
  - Creates, updates or deletes an IAM OIDC identity provider, for example GitHub's
    (V(https://token.actions.githubusercontent.com)), so that roles can trust web identities it issues.
  - The provider is found by O(url), which is unique in the account, so a rerun never creates a second one.
  - Audiences (client IDs), thumbprints and tags are updated in place, and only when they differ.
  - Supports check mode and diff mode.
author:
  - cloudresume.aws maintainers (@cloudresume)
options:
  url:
    description:
      - Issuer URL of the provider, starting with C(https://), without query or fragment.
    type: str
    required: true
  state:
    description: Whether the provider should exist.
    type: str
    choices: [present, absent]
    default: present
  client_ids:
    description:
      - Audiences the provider accepts in the token's C(aud) claim. GitHub Actions' official AWS action uses
        V(sts.amazonaws.com).
    type: list
    elements: str
    default: [sts.amazonaws.com]
  purge_client_ids:
    description: Remove audiences that are not in O(client_ids).
    type: bool
    default: true
  thumbprints:
    description:
      - SHA-1 thumbprints (40 hexadecimal characters) of the issuer's certificate chain. AWS no longer needs
        them for well-known issuers such as GitHub; when omitted, existing thumbprints are left as they are.
    type: list
    elements: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: GitHub's OIDC provider, for GitHub Actions to assume roles without access keys
  cloudresume.aws.iam_oidc_provider:
    url: https://token.actions.githubusercontent.com
    client_ids: [sts.amazonaws.com]
    tags:
      Stack: cloudresume
  register: github_oidc

- name: Remove it
  cloudresume.aws.iam_oidc_provider:
    url: https://token.actions.githubusercontent.com
    state: absent
"""

RETURN = r"""
oidc_provider:
  description: The provider after the task (empty when absent).
  returned: always
  type: dict
  contains:
    arn:
      description: ARN of the provider, the C(Federated) principal of a role's trust policy.
      type: str
      sample: arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com
    url:
      description: Issuer URL.
      type: str
      sample: https://token.actions.githubusercontent.com
    client_ids:
      description: Accepted audiences.
      type: list
      elements: str
      sample: [sts.amazonaws.com]
    thumbprints:
      description: Certificate thumbprints.
      type: list
      elements: str
      sample: []
    tags:
      description: Tags of the provider.
      type: dict
      sample: {Stack: cloudresume}
"""

import re
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from ansible_collections.amazon.aws.plugins.module_utils.arn import parse_aws_arn
from ansible_collections.amazon.aws.plugins.module_utils.iam import AnsibleIAMError
from ansible_collections.amazon.aws.plugins.module_utils.iam import IAMErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.cloudresume.aws.plugins.module_utils.tagging import plan_tags
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_tags

THUMBPRINT = re.compile(r"[0-9a-fA-F]{40}")


@IAMErrorHandler.common_error_handler("list OIDC providers")
@AWSRetry.jittered_backoff()
def list_providers(client: Any) -> list[str]:
    return [entry["Arn"] for entry in client.list_open_id_connect_providers()["OpenIDConnectProviderList"]]


@IAMErrorHandler.list_error_handler("read the OIDC provider")
@AWSRetry.jittered_backoff()
def get_provider(client: Any, arn: str) -> dict[str, Any] | None:
    return client.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)


@IAMErrorHandler.common_error_handler("create the OIDC provider")
@AWSRetry.jittered_backoff()
def create_provider(client: Any, request: dict[str, Any]) -> str:
    return client.create_open_id_connect_provider(**request)["OpenIDConnectProviderArn"]


@IAMErrorHandler.common_error_handler("delete the OIDC provider")
@AWSRetry.jittered_backoff()
def delete_provider(client: Any, arn: str) -> None:
    client.delete_open_id_connect_provider(OpenIDConnectProviderArn=arn)


@IAMErrorHandler.common_error_handler("add an audience")
@AWSRetry.jittered_backoff()
def add_client_id(client: Any, arn: str, client_id: str) -> None:
    client.add_client_id_to_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID=client_id)


@IAMErrorHandler.common_error_handler("remove an audience")
@AWSRetry.jittered_backoff()
def remove_client_id(client: Any, arn: str, client_id: str) -> None:
    client.remove_client_id_from_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID=client_id)


@IAMErrorHandler.common_error_handler("update the thumbprints")
@AWSRetry.jittered_backoff()
def update_thumbprints(client: Any, arn: str, thumbprints: list[str]) -> None:
    client.update_open_id_connect_provider_thumbprint(OpenIDConnectProviderArn=arn, ThumbprintList=thumbprints)


@IAMErrorHandler.common_error_handler("tag the OIDC provider")
@AWSRetry.jittered_backoff()
def tag_provider(client: Any, arn: str, tags: dict[str, str]) -> None:
    client.tag_open_id_connect_provider(OpenIDConnectProviderArn=arn, Tags=ansible_dict_to_boto3_tag_list(tags))


@IAMErrorHandler.common_error_handler("untag the OIDC provider")
@AWSRetry.jittered_backoff()
def untag_provider(client: Any, arn: str, keys: list[str]) -> None:
    client.untag_open_id_connect_provider(OpenIDConnectProviderArn=arn, TagKeys=keys)


def issuer(url: str) -> str:
    """The provider's identity as IAM stores it: host and path, no scheme, no trailing slash."""
    parts = urlsplit(url)
    return (parts.netloc + parts.path).rstrip("/")


class OidcProviderManager:
    def __init__(self, module: AnsibleAWSModule) -> None:
        self.module = module
        self.client = module.client("iam", retry_decorator=AWSRetry.jittered_backoff())
        self.changed = False

    def find(self) -> dict[str, Any] | None:
        wanted = issuer(self.module.params["url"])
        for arn in list_providers(self.client):
            if parse_aws_arn(arn)["resource_id"] == wanted:
                return self.describe(arn)
        return None

    def describe(self, arn: str) -> dict[str, Any] | None:
        found = get_provider(self.client, arn)
        if found is None:
            return None
        return {
            "arn": arn,
            "url": f"https://{found['Url']}" if "://" not in found["Url"] else found["Url"],
            "client_ids": list(found.get("ClientIDList", [])),
            "thumbprints": list(found.get("ThumbprintList", [])),
            "tags": boto3_tag_list_to_ansible_dict(found.get("Tags", [])),
        }

    def wanted_client_ids(self, current: list[str]) -> list[str]:
        wanted = list(dict.fromkeys(self.module.params["client_ids"]))
        if self.module.params["purge_client_ids"]:
            return wanted
        return current + [c for c in wanted if c not in current]

    def create(self) -> dict[str, Any]:
        params = self.module.params
        view = {
            "arn": "", "url": params["url"].rstrip("/"), "client_ids": list(dict.fromkeys(params["client_ids"])),
            "thumbprints": params["thumbprints"] or [], "tags": params["tags"] or {},
        }
        self.changed = True
        if self.module.check_mode:
            return view
        request: dict[str, Any] = {"Url": params["url"], "ClientIDList": view["client_ids"]}
        if params["thumbprints"]:
            request["ThumbprintList"] = params["thumbprints"]
        if params["tags"]:
            request["Tags"] = ansible_dict_to_boto3_tag_list(params["tags"])
        arn = create_provider(self.client, request)
        return self.describe(arn) or {**view, "arn": arn}

    def update(self, current: dict[str, Any]) -> dict[str, Any]:
        arn = current["arn"]
        after = dict(current)
        after["client_ids"] = self.wanted_client_ids(current["client_ids"])
        for client_id in [c for c in after["client_ids"] if c not in current["client_ids"]]:
            self.mutate(add_client_id, arn, client_id)
        for client_id in [c for c in current["client_ids"] if c not in after["client_ids"]]:
            self.mutate(remove_client_id, arn, client_id)
        thumbprints = self.module.params["thumbprints"]
        if thumbprints is not None and sorted(thumbprints) != sorted(current["thumbprints"]):
            after["thumbprints"] = thumbprints
            self.mutate(update_thumbprints, arn, thumbprints)
        after["tags"] = self.update_tags(arn, current["tags"])
        return after

    def update_tags(self, arn: str, current: dict[str, str]) -> dict[str, str]:
        plan = plan_tags(current, self.module.params["tags"], self.module.params["purge_tags"])
        plan.apply(partial(self.mutate, untag_provider, arn), partial(self.mutate, tag_provider, arn))
        return plan.after

    def mutate(self, call: Any, arn: str, *args: Any) -> None:
        self.changed = True
        if not self.module.check_mode:
            call(self.client, arn, *args)

    def delete(self, current: dict[str, Any] | None) -> dict[str, Any]:
        if current is not None:
            self.mutate(delete_provider, current["arn"])
        return {}


def validate(module: AnsibleAWSModule) -> None:
    params = module.params
    parts = urlsplit(params["url"])
    if parts.scheme != "https" or not parts.netloc or parts.query or parts.fragment or len(params["url"]) > 255:
        module.fail_json(msg=f"url: {params['url']!r} must be an https:// issuer URL without query or fragment")
    if not params["client_ids"] or any(not 1 <= len(c) <= 255 for c in params["client_ids"]):
        module.fail_json(msg="client_ids: give at least one audience, each 1 to 255 characters")
    problem = check_tags(params["tags"]) if params["tags"] is not None else None
    if problem:
        module.fail_json(msg=f"tags: {problem}")
    bad = [t for t in params["thumbprints"] or [] if not THUMBPRINT.fullmatch(t)]
    if bad or len(params["thumbprints"] or []) > 5:
        module.fail_json(msg=f"thumbprints: at most 5 SHA-1 fingerprints of 40 hex characters, got {bad or 'more'}")


def ensure(module: AnsibleAWSModule) -> dict[str, Any]:
    """Bring the provider to the wanted state; the module's result."""
    manager = OidcProviderManager(module)
    current = manager.find()
    if module.params["state"] == "absent":
        provider = manager.delete(current)
    elif current is None:
        provider = manager.create()
    else:
        provider = manager.update(current)
    result: dict[str, Any] = {"changed": manager.changed, "oidc_provider": provider}
    if module._diff:
        result["diff"] = {"before": current or {}, "after": provider}
    return result


def main() -> None:
    argument_spec = dict(
        url=dict(type="str", required=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        client_ids=dict(type="list", elements="str", default=["sts.amazonaws.com"]),
        purge_client_ids=dict(type="bool", default=True),
        thumbprints=dict(type="list", elements="str"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)
    try:
        result = ensure(module)
    except AnsibleIAMError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
