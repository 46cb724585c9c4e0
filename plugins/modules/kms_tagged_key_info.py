#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: kms_tagged_key_info
short_description: Find the customer managed KMS keys that carry given tags, without reading other keys
version_added: 0.1.0
description:
  - Lists the region's keys (C(ListKeys)) and aliases (C(ListAliases)), reads the tags (C(ListResourceTags)) of
    every key that is not AWS managed, and describes (C(DescribeKey)) only the keys whose tags include every
    tag in O(tags). No other key is described, so the policies, descriptions and states of other stacks' keys
    are never read.
  - Finds a key by ownership rather than by alias, so a key whose alias was never created (a run interrupted
    between C(CreateKey) and C(CreateAlias)) is found too.
  - M(amazon.aws.kms_key_info) with filters reads every key's metadata, policy and grants first.
  - Read only; supports check mode.
author:
  - cloudresume.aws maintainers (@cloudresume)
options:
  tags:
    description: Tags that a key must carry, all of them, with these values.
    type: dict
    required: true
  description:
    description: When set, only keys with exactly this description are returned.
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Find the alarm topic's key of the stack
  cloudresume.aws.kms_tagged_key_info:
    tags:
      Stack: cloudresume
    description: cloudresume alarm notifications (SNS topic cloudresume-alarms)
  register: found
"""

RETURN = r"""
kms_keys:
  description: The keys that carry every tag (and the description, when given), oldest first.
  returned: always
  type: list
  elements: dict
  contains:
    key_id:
      description: Id of the key.
      type: str
      sample: 1234abcd-12ab-34cd-56ef-1234567890ab
    key_arn:
      description: ARN of the key.
      type: str
      sample: arn:aws:kms:us-east-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
    key_state:
      description: State of the key, for example V(Enabled) or V(PendingDeletion).
      type: str
      sample: Enabled
    description:
      description: Description of the key.
      type: str
      sample: cloudresume alarm notifications (SNS topic cloudresume-alarms)
    aliases:
      description: Aliases of the key.
      type: list
      elements: str
      sample: [alias/cloudresume-alarms]
    tags:
      description: Tags of the key.
      type: dict
      sample: {Stack: cloudresume}
"""

from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.cloudresume.aws.plugins.module_utils.kms import KMSError
from ansible_collections.cloudresume.aws.plugins.module_utils.kms import KMSErrorHandler
from ansible_collections.cloudresume.aws.plugins.module_utils.kms import describe_key
from ansible_collections.cloudresume.aws.plugins.module_utils.kms import list_aliases
from ansible_collections.cloudresume.aws.plugins.module_utils.kms import list_keys

AWS_MANAGED_ALIAS = "alias/aws/"


class TagReadErrorHandler(KMSErrorHandler):
    """A key that is gone, or whose tags may not be read, is not ours: its tags are None."""

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["NotFoundException", "AccessDeniedException"])


@TagReadErrorHandler.list_error_handler("list the tags of a KMS key")
@AWSRetry.jittered_backoff()
def key_tags(client: Any, key_id: str) -> dict[str, str] | None:
    listed = client.get_paginator("list_resource_tags").paginate(KeyId=key_id).build_full_result().get("Tags", [])
    return {t["TagKey"]: t["TagValue"] for t in listed}


def aliases_by_key(client: Any) -> dict[str, list[str]]:
    by_key: dict[str, list[str]] = {}
    for alias in list_aliases(client):
        if alias.get("TargetKeyId"):
            by_key.setdefault(alias["TargetKeyId"], []).append(alias["AliasName"])
    return by_key


def matches(tags: dict[str, str], wanted: dict[str, str]) -> bool:
    return all(tags.get(key) == value for key, value in wanted.items())


def find(module: AnsibleAWSModule) -> list[dict[str, Any]]:
    client = module.client("kms", retry_decorator=AWSRetry.jittered_backoff())
    wanted = {str(k): str(v) for k, v in module.params["tags"].items()}
    aliases = aliases_by_key(client)
    found = []
    for key in list_keys(client):
        key_aliases = aliases.get(key["KeyId"], [])
        if any(a.startswith(AWS_MANAGED_ALIAS) for a in key_aliases):
            continue  # AWS managed keys cannot be tagged
        tags = key_tags(client, key["KeyId"])
        if tags is None or not matches(tags, wanted):
            continue
        metadata = describe_key(client, key["KeyId"])
        if metadata is None:
            continue  # deleted since ListKeys
        if module.params["description"] is not None and metadata.get("Description") != module.params["description"]:
            continue
        found.append({"key_id": metadata["KeyId"], "key_arn": metadata["Arn"], "key_state": metadata["KeyState"],
                      "description": metadata.get("Description", ""), "aliases": sorted(key_aliases), "tags": tags,
                      "created": metadata["CreationDate"]})
    found.sort(key=lambda k: k.pop("created"))
    return found


def main() -> None:
    module = AnsibleAWSModule(
        argument_spec=dict(
            tags=dict(type="dict", required=True),
            description=dict(type="str"),
        ),
        supports_check_mode=True,
    )
    if not module.params["tags"]:
        module.fail_json(msg="tags: give at least one tag the keys must carry")
    try:
        keys = find(module)
    except KMSError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=False, kms_keys=keys)


if __name__ == "__main__":
    main()
