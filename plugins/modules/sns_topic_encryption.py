#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: sns_topic_encryption
short_description: Manage the server-side encryption of an SNS topic
version_added: 0.1.0
description:
  - Sets (or removes) the KMS key that encrypts an existing SNS topic at rest, which
    M(community.aws.sns_topic) does not manage.
  - The current key and the requested one are compared as keys, not as strings (an alias and the ARN
    of the key it points to are the same key), so a rerun makes no call that changes anything.
  - CloudWatch alarms can only publish to an encrypted topic whose key policy lets C(cloudwatch.amazonaws.com)
    use the key (C(kms:Decrypt), C(kms:GenerateDataKey*)); the AWS managed key V(alias/aws/sns) cannot be
    given that permission, so alarm topics need a customer managed key.
  - Supports check mode and diff mode.
author:
  - cloudresume.aws maintainers (@cloudresume)
options:
  topic:
    description: Name or ARN of the topic. The topic must exist.
    type: str
    required: true
  state:
    description: V(present) encrypts the topic with O(kms_master_key_id); V(absent) removes the encryption.
    type: str
    choices: [present, absent]
    default: present
  kms_master_key_id:
    description: Id, ARN, alias name or alias ARN of the KMS key. Required with O(state=present).
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Encrypt the alarm topic with a customer managed key
  cloudresume.aws.sns_topic_encryption:
    topic: cloudresume-alarms
    kms_master_key_id: alias/cloudresume-alarms

- name: Remove the topic's encryption
  cloudresume.aws.sns_topic_encryption:
    topic: cloudresume-alarms
    state: absent
"""

RETURN = r"""
topic_arn:
  description: ARN of the topic.
  returned: always
  type: str
  sample: arn:aws:sns:us-east-2:123456789012:cloudresume-alarms
kms_master_key_id:
  description: The topic's KMS key as set on the topic (empty when not encrypted).
  returned: always
  type: str
  sample: alias/cloudresume-alarms
kms_key_arn:
  description: ARN of the topic's KMS key (empty when not encrypted).
  returned: always
  type: str
  sample: arn:aws:kms:us-east-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
"""

import re
from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.cloudresume.aws.plugins.module_utils.kms import resolve_key
from ansible_collections.cloudresume.aws.plugins.module_utils.sns import SNSError
from ansible_collections.cloudresume.aws.plugins.module_utils.sns import get_topic_attributes
from ansible_collections.cloudresume.aws.plugins.module_utils.sns import list_topic_arns
from ansible_collections.cloudresume.aws.plugins.module_utils.sns import set_topic_attribute
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import KMS_KEY
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_arn

TOPIC_NAME = re.compile(r"[A-Za-z0-9_-]{1,256}(\.fifo)?")
ATTRIBUTE = "KmsMasterKeyId"


class TopicEncryption:
    def __init__(self, module: AnsibleAWSModule) -> None:
        self.sns = module.client("sns", retry_decorator=AWSRetry.jittered_backoff())
        self.kms = module.client("kms", retry_decorator=AWSRetry.jittered_backoff())

    def topic_arn(self, topic: str) -> str:
        if topic.startswith("arn:"):
            return topic
        for arn in list_topic_arns(self.sns):
            if arn.rsplit(":", 1)[-1] == topic:
                return arn
        raise SNSError(message=f"topic: SNS topic {topic!r} does not exist")

    def current_key(self, arn: str) -> str:
        attributes = get_topic_attributes(self.sns, arn)
        if attributes is None:
            raise SNSError(message=f"topic: SNS topic {arn} does not exist")
        return attributes.get(ATTRIBUTE, "")

    def key_arn(self, key_id: str) -> str:
        return resolve_key(self.kms, key_id, "kms_master_key_id")["Arn"] if key_id else ""

    def set_key(self, arn: str, key_id: str) -> None:
        set_topic_attribute(self.sns, arn, ATTRIBUTE, key_id)


def validate(module: AnsibleAWSModule) -> None:
    topic = module.params["topic"]
    if not TOPIC_NAME.fullmatch(topic) and check_arn(topic, "sns", None, TOPIC_NAME):
        module.fail_json(msg=f"topic: {topic!r} is neither an SNS topic name nor a topic ARN")
    key = module.params["kms_master_key_id"]
    if key and not KMS_KEY.fullmatch(key):
        module.fail_json(msg=f"kms_master_key_id: {key!r} is not a KMS key id, key ARN, alias name or alias ARN")
    if module.params["state"] == "absent" and module.params["kms_master_key_id"]:
        module.fail_json(msg="kms_master_key_id: only valid with state=present")


def ensure(module: AnsibleAWSModule) -> dict[str, Any]:
    """Encrypt the topic with the wanted key (none with state=absent) unless it is that key already; the result."""
    manager = TopicEncryption(module)
    arn = manager.topic_arn(module.params["topic"])
    before_id = manager.current_key(arn)
    before_arn = manager.key_arn(before_id)
    wanted_id = module.params["kms_master_key_id"] if module.params["state"] == "present" else ""
    wanted_arn = manager.key_arn(wanted_id)
    changed = wanted_arn != before_arn
    if changed and not module.check_mode:
        manager.set_key(arn, wanted_id)
    after_id, after_arn = (wanted_id, wanted_arn) if changed else (before_id, before_arn)
    result: dict[str, Any] = {"changed": changed, "topic_arn": arn, "kms_master_key_id": after_id,
                              "kms_key_arn": after_arn}
    if module._diff:
        result["diff"] = {"before": {"kms_key_arn": before_arn}, "after": {"kms_key_arn": after_arn}}
    return result


def main() -> None:
    module = AnsibleAWSModule(
        argument_spec=dict(
            topic=dict(type="str", required=True),
            state=dict(type="str", default="present", choices=["present", "absent"]),
            kms_master_key_id=dict(type="str", no_log=False),
        ),
        supports_check_mode=True,
        required_if=[("state", "present", ["kms_master_key_id"])],
    )
    validate(module)
    try:
        result = ensure(module)
    except AnsibleAWSError as e:  # SNSError or KMSError
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
