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
    tag in I(tags). No other key is described, so the policies, descriptions and states of other stacks' keys
    are never read.
  - Finds a key by ownership rather than by alias, so a key whose alias was never created (a run interrupted
    between C(CreateKey) and C(CreateAlias)) is found too.
  - M(amazon.aws.kms_key_info) with I(filters) reads every key's metadata, policy and grants first.
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
      description: State of the key, for example C(Enabled) or C(PendingDeletion).
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

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

AWS_MANAGED_ALIAS = "alias/aws/"


class TaggedKeys:
    def __init__(self, module: AnsibleAWSModule) -> None:
        self.module = module
        self.client = module.client("kms", retry_decorator=AWSRetry.jittered_backoff())

    def listed(self, operation: str, key: str, **params: Any) -> list[dict[str, Any]]:
        try:
            pages = self.client.get_paginator(operation).paginate(**params)
            return pages.build_full_result().get(key, [])
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
            self.module.fail_json_aws(e, msg=f"Failed to call {operation}")
        raise AssertionError("unreachable")

    def aliases(self) -> dict[str, list[str]]:
        by_key: dict[str, list[str]] = {}
        for alias in self.listed("list_aliases", "Aliases"):
            if alias.get("TargetKeyId"):
                by_key.setdefault(alias["TargetKeyId"], []).append(alias["AliasName"])
        return by_key

    def tags(self, key_id: str) -> dict[str, str] | None:
        """The key's tags; None when the key is gone or its tags may not be read (then it is not ours)."""
        try:
            listed = self.listed_tags(key_id)
        except is_boto3_error_code(["NotFoundException", "AccessDeniedException"]):
            return None
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:  # pylint: disable=duplicate-except
            self.module.fail_json_aws(e, msg=f"Failed to list the tags of KMS key {key_id}")
        return {t["TagKey"]: t["TagValue"] for t in listed}

    def listed_tags(self, key_id: str) -> list[dict[str, str]]:
        return self.client.get_paginator("list_resource_tags").paginate(KeyId=key_id).build_full_result().get("Tags", [])

    def describe(self, key_id: str) -> dict[str, Any]:
        try:
            return self.client.describe_key(aws_retry=True, KeyId=key_id)["KeyMetadata"]
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
            self.module.fail_json_aws(e, msg=f"Failed to describe KMS key {key_id}")
        raise AssertionError("unreachable")


def matches(tags: dict[str, str], wanted: dict[str, str]) -> bool:
    return all(tags.get(key) == value for key, value in wanted.items())


def find(module: AnsibleAWSModule) -> list[dict[str, Any]]:
    manager = TaggedKeys(module)
    wanted = {str(k): str(v) for k, v in module.params["tags"].items()}
    aliases = manager.aliases()
    found = []
    for key in manager.listed("list_keys", "Keys"):
        key_aliases = aliases.get(key["KeyId"], [])
        if any(a.startswith(AWS_MANAGED_ALIAS) for a in key_aliases):
            continue  # AWS managed keys cannot be tagged
        tags = manager.tags(key["KeyId"])
        if tags is None or not matches(tags, wanted):
            continue
        metadata = manager.describe(key["KeyId"])
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
    module.exit_json(changed=False, kms_keys=find(module))


if __name__ == "__main__":
    main()
