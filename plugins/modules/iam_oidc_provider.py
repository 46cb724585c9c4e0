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
    (C(https://token.actions.githubusercontent.com)), so that roles can trust web identities it issues.
  - The provider is found by I(url), which is unique in the account, so a rerun never creates a second one.
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
        C(sts.amazonaws.com).
    type: list
    elements: str
    default: [sts.amazonaws.com]
  purge_client_ids:
    description: Remove audiences that are not in I(client_ids).
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
from typing import Any
from urllib.parse import urlsplit

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_tags
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

THUMBPRINT = re.compile(r"[0-9a-fA-F]{40}")


def issuer(url: str) -> str:
    """The provider's identity as IAM stores it: host and path, no scheme, no trailing slash."""
    parts = urlsplit(url)
    return (parts.netloc + parts.path).rstrip("/")


class OidcProviderManager:
    def __init__(self, module: AnsibleAWSModule) -> None:
        self.module = module
        self.client = module.client("iam", retry_decorator=AWSRetry.jittered_backoff())
        self.changed = False

    def call(self, method: str, error: str, **kwargs: Any) -> dict[str, Any]:
        try:
            return getattr(self.client, method)(aws_retry=True, **kwargs)
        except Exception as e:  # pylint: disable=broad-exception-caught
            self.module.fail_json_aws(e, msg=error)

    def find(self) -> dict[str, Any] | None:
        wanted = issuer(self.module.params["url"])
        providers = self.call("list_open_id_connect_providers", "Failed to list OIDC providers")
        for entry in providers["OpenIDConnectProviderList"]:
            if entry["Arn"].split(":oidc-provider/", 1)[-1] == wanted:
                return self.describe(entry["Arn"])
        return None

    def describe(self, arn: str) -> dict[str, Any] | None:
        try:
            found = self.client.get_open_id_connect_provider(aws_retry=True, OpenIDConnectProviderArn=arn)
        except is_boto3_error_code("NoSuchEntity"):
            return None
        except Exception as e:  # pylint: disable=broad-exception-caught
            self.module.fail_json_aws(e, msg="Failed to read the OIDC provider")
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
        kwargs: dict[str, Any] = {"Url": params["url"], "ClientIDList": view["client_ids"]}
        if params["thumbprints"]:
            kwargs["ThumbprintList"] = params["thumbprints"]
        if params["tags"]:
            kwargs["Tags"] = ansible_dict_to_boto3_tag_list(params["tags"])
        arn = self.call("create_open_id_connect_provider", "Failed to create the OIDC provider",
                        **kwargs)["OpenIDConnectProviderArn"]
        return self.describe(arn) or {**view, "arn": arn}

    def update(self, current: dict[str, Any]) -> dict[str, Any]:
        arn = current["arn"]
        after = dict(current)
        after["client_ids"] = self.wanted_client_ids(current["client_ids"])
        for client_id in [c for c in after["client_ids"] if c not in current["client_ids"]]:
            self.mutate("add_client_id_to_open_id_connect_provider", "Failed to add an audience",
                        OpenIDConnectProviderArn=arn, ClientID=client_id)
        for client_id in [c for c in current["client_ids"] if c not in after["client_ids"]]:
            self.mutate("remove_client_id_from_open_id_connect_provider", "Failed to remove an audience",
                        OpenIDConnectProviderArn=arn, ClientID=client_id)
        thumbprints = self.module.params["thumbprints"]
        if thumbprints is not None and sorted(thumbprints) != sorted(current["thumbprints"]):
            after["thumbprints"] = thumbprints
            self.mutate("update_open_id_connect_provider_thumbprint", "Failed to update the thumbprints",
                        OpenIDConnectProviderArn=arn, ThumbprintList=thumbprints)
        after["tags"] = self.update_tags(arn, current["tags"])
        return after

    def update_tags(self, arn: str, current: dict[str, str]) -> dict[str, str]:
        wanted = self.module.params["tags"]
        if wanted is None:
            return current
        to_set, to_remove = compare_aws_tags(current, wanted, purge_tags=self.module.params["purge_tags"])
        if to_set:
            self.mutate("tag_open_id_connect_provider", "Failed to tag the OIDC provider",
                        OpenIDConnectProviderArn=arn, Tags=ansible_dict_to_boto3_tag_list(to_set))
        if to_remove:
            self.mutate("untag_open_id_connect_provider", "Failed to untag the OIDC provider",
                        OpenIDConnectProviderArn=arn, TagKeys=to_remove)
        return {k: v for k, v in {**current, **to_set}.items() if k not in to_remove}

    def mutate(self, method: str, error: str, **kwargs: Any) -> None:
        self.changed = True
        if not self.module.check_mode:
            self.call(method, error, **kwargs)

    def delete(self, current: dict[str, Any] | None) -> dict[str, Any]:
        if current is not None:
            self.mutate("delete_open_id_connect_provider", "Failed to delete the OIDC provider",
                        OpenIDConnectProviderArn=current["arn"])
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
    module.exit_json(**result)


if __name__ == "__main__":
    main()
