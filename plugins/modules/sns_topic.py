#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: sns_topic
short_description: Manage a standard SNS topic by its ARN, with its encryption, email subscriptions and tags
version_added: 0.1.0
description:
  - Creates, updates or deletes one standard (not FIFO) SNS topic of the caller's account, with its display name,
    its server-side encryption (the KMS key), its email subscriptions and its tags.
  - The topic is read by its ARN, built from O(name), O(account_id) and the region, so no call lists the account's
    topics and the reads do not grow with the number of other topics. A run that changes nothing reads the topic's
    attributes, its subscriptions (with O(subscriptions)) and its tags (with O(tags)), three calls at most.
  - The current key and the requested one are compared as keys, not as strings (an alias and the ARN of the key it
    points to are the same key), so naming the key another way changes nothing.
  - CloudWatch alarms can only publish to an encrypted topic whose key policy lets C(cloudwatch.amazonaws.com)
    use the key (C(kms:Decrypt), C(kms:GenerateDataKey*)); the AWS managed key V(alias/aws/sns) cannot be
    given that permission, so alarm topics need a customer managed key.
  - Supports check mode (a missing topic is planned, not looked up elsewhere) and diff mode.
author:
  - cloudresume.aws maintainers (@cloudresume)
options:
  name:
    description: Name of the topic (up to 256 letters, digits, C(-) and C(_)).
    type: str
    required: true
  account_id:
    description:
      - The AWS account id of the caller, to build the topic's ARN without asking STS (C(GetCallerIdentity)).
      - Omitted, the module asks STS once.
    type: str
  state:
    description: Whether the topic should exist. V(absent) deletes this topic, and SNS its subscriptions.
    type: str
    choices: [present, absent]
    default: present
  display_name:
    description:
      - The topic's display name (at most 100 characters), the sender name of its emails.
      - V("") removes it; omitted, it is left as it is.
    type: str
  kms_master_key_id:
    description:
      - Id, ARN, alias name or alias ARN of the KMS key that encrypts the topic at rest.
      - V("") removes the encryption (SNS's default state); omitted, the encryption is left as it is.
      - The key must exist; in check mode a key that does not exist yet (planned by an earlier task) is only
        warned about.
    type: str
  subscriptions:
    description:
      - The topic's email subscriptions. An endpoint subscribed but not confirmed yet (SNS lists it as
        C(PendingConfirmation)) counts as subscribed, so no second confirmation email is sent.
      - Omitted, the subscriptions are neither read nor changed.
    type: list
    elements: dict
    suboptions:
      protocol:
        description: V(email) (plain text) or V(email-json).
        type: str
        choices: [email, email-json]
        default: email
      endpoint:
        description: The email address.
        type: str
        required: true
  purge_subscriptions:
    description:
      - With O(subscriptions), remove the topic's other subscriptions (of any protocol).
      - A subscription pending confirmation cannot be removed (SNS deletes it after 48 hours); the module warns
        about it instead.
    type: bool
    default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - Tags are given to the topic in the C(CreateTopic) call itself, so an interrupted run never leaves it untagged.
  - Omitted O(tags) leaves the tags as they are (and unread).
seealso:
  - module: community.aws.sns_topic
"""

EXAMPLES = r"""
- name: Alarm topic, encrypted with a customer managed key, with one email subscription
  cloudresume.aws.sns_topic:
    name: cloudresume-alarms
    account_id: "123456789012"
    display_name: cloudresume alarms
    kms_master_key_id: alias/cloudresume-alarms
    subscriptions:
      - endpoint: ops@example.com
    tags:
      Stack: cloudresume
  register: alarm_topic
# alarm_topic.topic.topic_arn; "kms_master_key_id" in alarm_topic.changes tells that the encryption changed

- name: Same topic without server-side encryption and without subscriptions
  cloudresume.aws.sns_topic:
    name: cloudresume-alarms
    kms_master_key_id: ""
    subscriptions: []

- name: Remove the topic
  cloudresume.aws.sns_topic:
    name: cloudresume-alarms
    state: absent
"""

RETURN = r"""
topic:
  description: The topic after the task (as planned in check mode); empty when absent.
  returned: always
  type: dict
  contains:
    topic_arn:
      description: ARN of the topic.
      type: str
      sample: arn:aws:sns:us-east-2:123456789012:cloudresume-alarms
    name:
      description: Name of the topic.
      type: str
      sample: cloudresume-alarms
    display_name:
      description: The display name (empty when none).
      type: str
      sample: cloudresume alarms
    kms_master_key_id:
      description: The KMS key as set on the topic (empty when not encrypted).
      type: str
      sample: alias/cloudresume-alarms
    subscriptions:
      description: The subscriptions, each with its protocol, endpoint and C(subscription_arn) (V(PendingConfirmation)
        while its endpoint has not confirmed it; what C(Subscribe) answered for one made by this task; null in check
        mode).
      returned: when O(subscriptions) is given
      type: list
      elements: dict
      sample: [{"protocol": "email", "endpoint": "ops@example.com", "subscription_arn": "PendingConfirmation"}]
    tags:
      description: The topic's tags.
      returned: when O(tags) is given
      type: dict
      sample: {"Stack": "cloudresume"}
changes:
  description: What the task changed (or would change in check mode), among V(created), V(deleted),
    V(display_name), V(kms_master_key_id), V(subscriptions) and V(tags). A new topic is V(created) (plus
    V(subscriptions) when it got some).
  returned: always
  type: list
  elements: str
  sample: [kms_master_key_id, tags]
"""

from dataclasses import dataclass
from functools import partial
from typing import Any

try:
    import botocore.session
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.iam import get_aws_account_info
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudresume.aws.plugins.module_utils.kms import describe_key
from ansible_collections.cloudresume.aws.plugins.module_utils.kms import resolve_key
from ansible_collections.cloudresume.aws.plugins.module_utils.sns import PENDING_CONFIRMATION
from ansible_collections.cloudresume.aws.plugins.module_utils.sns import SNSError
from ansible_collections.cloudresume.aws.plugins.module_utils.sns import create_topic
from ansible_collections.cloudresume.aws.plugins.module_utils.sns import delete_topic
from ansible_collections.cloudresume.aws.plugins.module_utils.sns import get_topic_attributes
from ansible_collections.cloudresume.aws.plugins.module_utils.sns import list_subscriptions_by_topic
from ansible_collections.cloudresume.aws.plugins.module_utils.sns import list_tags
from ansible_collections.cloudresume.aws.plugins.module_utils.sns import set_topic_attribute
from ansible_collections.cloudresume.aws.plugins.module_utils.sns import subscribe
from ansible_collections.cloudresume.aws.plugins.module_utils.sns import tag_topic
from ansible_collections.cloudresume.aws.plugins.module_utils.sns import unsubscribe
from ansible_collections.cloudresume.aws.plugins.module_utils.sns import untag_topic
from ansible_collections.cloudresume.aws.plugins.module_utils.tagging import plan_tags
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import ACCOUNT_ID
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import EMAIL
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import KMS_KEY
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import InvalidInput
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_pattern
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_tags
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import require
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import require_name
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import shown

MAX_DISPLAY_NAME = 100
# Listed while SNS removes a subscription; neither present nor removable.
DELETED = "Deleted"

Subscription = tuple[str, str]  # (protocol, endpoint)


def validate(params: dict[str, Any]) -> None:
    """Raise InvalidInput naming the first bad field; no AWS call is made before."""
    require_name("name", "sns_topic", params["name"])
    if params["account_id"] is not None:
        require("account_id", check_pattern(ACCOUNT_ID, params["account_id"], "a 12-digit AWS account id"))
    display_name = params["display_name"]
    if display_name is not None and len(display_name) > MAX_DISPLAY_NAME:
        raise InvalidInput(f"display_name: {shown(display_name)} must be at most {MAX_DISPLAY_NAME} characters long")
    if params["kms_master_key_id"]:
        require("kms_master_key_id", check_pattern(KMS_KEY, params["kms_master_key_id"],
                                                   "a KMS key id, key ARN, alias name or alias ARN"))
    for index, subscription in enumerate(params["subscriptions"] or []):
        require(f"subscriptions[{index}].endpoint", check_pattern(EMAIL, subscription["endpoint"], "an email address"))
    if params["tags"] is not None:
        require("tags", check_tags(params["tags"]))


def topic_arn(module: AnsibleAWSModule) -> str:
    """The topic's ARN from its name, the account and the region's partition (STS only without account_id)."""
    account_id = module.params["account_id"]
    if account_id:
        partition = botocore.session.get_session().get_partition_for_region(module.region)
    else:
        account_id, partition = get_aws_account_info(module)
    return f"arn:{partition}:sns:{module.region}:{account_id}:{module.params['name']}"


def subscription_view(subscription: dict[str, str]) -> dict[str, str]:
    return {"protocol": subscription["Protocol"], "endpoint": subscription["Endpoint"],
            "subscription_arn": subscription["SubscriptionArn"]}


def diff_view(topic: dict[str, Any] | None) -> dict[str, Any]:
    """What the diff shows of a topic: its settings, the subscriptions as protocol:endpoint."""
    if not topic:
        return {}
    view = {key: value for key, value in topic.items() if key not in ("topic_arn", "name", "subscriptions")}
    if "subscriptions" in topic:
        view["subscriptions"] = sorted(f"{s['protocol']}:{s['endpoint']}" for s in topic["subscriptions"])
    return view


@dataclass
class SubscriptionPlan:
    to_add: list[Subscription]
    to_remove: list[dict[str, str]]  # confirmed subscriptions (ListSubscriptionsByTopic items)
    kept: list[dict[str, str]]

    @property
    def changed(self) -> bool:
        return bool(self.to_add or self.to_remove)


class TopicManager:
    def __init__(self, module: AnsibleAWSModule, arn: str) -> None:
        self.module = module
        self.params = module.params
        self.arn = arn
        self.sns = module.client("sns")
        self._kms: Any = None
        self.changes: list[str] = []

    @property
    def kms(self) -> Any:
        """The KMS client, made only when a key has to be looked up."""
        if self._kms is None:
            self._kms = self.module.client("kms")
        return self._kms

    # ---- reading ----------------------------------------------------------------------------------------------
    def read(self) -> tuple[dict[str, Any] | None, list[dict[str, str]]]:
        """The topic (None when missing) and its raw subscriptions (read only with the subscriptions option)."""
        attributes = get_topic_attributes(self.sns, self.arn)
        if attributes is None:
            return None, []
        topic: dict[str, Any] = {"topic_arn": self.arn, "name": self.params["name"],
                                 "display_name": attributes.get("DisplayName", ""),
                                 "kms_master_key_id": attributes.get("KmsMasterKeyId", "")}
        subscriptions: list[dict[str, str]] = []
        if self.params["subscriptions"] is not None:
            subscriptions = [s for s in list_subscriptions_by_topic(self.sns, self.arn) if s["SubscriptionArn"] != DELETED]
            topic["subscriptions"] = [subscription_view(s) for s in subscriptions]
        if self.params["tags"] is not None:
            topic["tags"] = list_tags(self.sns, self.arn)
        return topic, subscriptions

    # ---- planning (every check that can fail happens here, before any write) ----------------------------------
    def wanted_subscriptions(self) -> list[Subscription]:
        wanted = [(s["protocol"], s["endpoint"]) for s in self.params["subscriptions"] or []]
        return list(dict.fromkeys(wanted))

    def plan_subscriptions(self, current: list[dict[str, str]]) -> SubscriptionPlan:
        wanted = self.wanted_subscriptions()
        present = {(s["Protocol"], s["Endpoint"]) for s in current}
        unwanted = [s for s in current if (s["Protocol"], s["Endpoint"]) not in wanted]
        if not self.params["purge_subscriptions"]:
            unwanted = []
        for pending in (s for s in unwanted if s["SubscriptionArn"] == PENDING_CONFIRMATION):
            self.module.warn(f"subscriptions: the {pending['Protocol']} subscription of {pending['Endpoint']} is pending "
                             "confirmation and cannot be removed; SNS deletes it after 48 hours unless it is confirmed")
        to_remove = [s for s in unwanted if s["SubscriptionArn"] != PENDING_CONFIRMATION]
        return SubscriptionPlan(to_add=[s for s in wanted if s not in present], to_remove=to_remove,
                                kept=[s for s in current if s not in to_remove])

    def key_arn(self, key_id: str) -> str | None:
        """The ARN of the key ``key_id`` names, None when there is no such key."""
        metadata = describe_key(self.kms, key_id)
        return metadata["Arn"] if metadata else None

    def key_changes(self, current: str) -> bool:
        """Whether the wanted key differs from the topic's key ``current`` (an existing key is required)."""
        wanted = self.params["kms_master_key_id"]
        if wanted is None or wanted == current:
            return False
        if not wanted:
            return True
        if self.module.check_mode:
            metadata = describe_key(self.kms, wanted)
            if metadata is None:
                self.module.warn(f"kms_master_key_id: KMS key {wanted!r} was not found; planned as given (an earlier "
                                 "task may create it)")
                return True
        else:
            metadata = resolve_key(self.kms, wanted, "kms_master_key_id")
        return not current or self.key_arn(current) != metadata["Arn"]

    # ---- writing ------------------------------------------------------------------------------------------------
    def create(self) -> dict[str, Any]:
        """Create the topic with its attributes, tags and subscriptions; the topic as created (or planned)."""
        p = self.params
        if p["kms_master_key_id"]:
            self.key_changes("")  # the key must exist (check mode: a warning)
        attributes = {name: value for name, value in (("DisplayName", p["display_name"]),
                                                      ("KmsMasterKeyId", p["kms_master_key_id"])) if value}
        wanted = self.wanted_subscriptions()
        self.changes = ["created"] + (["subscriptions"] if wanted else [])
        topic: dict[str, Any] = {"topic_arn": self.arn, "name": p["name"], "display_name": p["display_name"] or "",
                                 "kms_master_key_id": p["kms_master_key_id"] or ""}
        if p["tags"] is not None:
            topic["tags"] = dict(p["tags"])
        answers: list[str | None] = [None] * len(wanted)
        if not self.module.check_mode:
            created = create_topic(self.sns, p["name"], attributes, p["tags"] or {})
            if created != self.arn:
                raise SNSError(message=f"account_id: SNS created the topic as {created}, not {self.arn}: "
                                       f"{p['account_id']!r} is not the account of these credentials")
            answers = [subscribe(self.sns, self.arn, protocol, endpoint) for protocol, endpoint in wanted]
        if p["subscriptions"] is not None:
            topic["subscriptions"] = [{"protocol": protocol, "endpoint": endpoint, "subscription_arn": answer}
                                      for (protocol, endpoint), answer in zip(wanted, answers)]
        return topic

    def update(self, current: dict[str, Any], subscriptions: list[dict[str, str]]) -> dict[str, Any]:
        """Bring the existing topic to the wanted settings; the topic after (as planned in check mode)."""
        p = self.params
        after = dict(current)
        attributes = {}
        if p["display_name"] is not None and p["display_name"] != current["display_name"]:
            attributes["DisplayName"] = after["display_name"] = p["display_name"]
        if self.key_changes(current["kms_master_key_id"]):
            attributes["KmsMasterKeyId"] = after["kms_master_key_id"] = p["kms_master_key_id"]
        plan = self.plan_subscriptions(subscriptions) if p["subscriptions"] is not None else None
        tags = plan_tags(current.get("tags", {}), p["tags"], p["purge_tags"])
        self.changes = [name for name, changed in (("display_name", "DisplayName" in attributes),
                                                   ("kms_master_key_id", "KmsMasterKeyId" in attributes),
                                                   ("subscriptions", plan is not None and plan.changed),
                                                   ("tags", tags.changed)) if changed]
        if p["tags"] is not None:
            after["tags"] = tags.after
        answers: list[str | None] = [None] * len(plan.to_add if plan else [])
        if not self.module.check_mode:
            for name, value in attributes.items():
                set_topic_attribute(self.sns, self.arn, name, value)
            if plan:
                answers = [subscribe(self.sns, self.arn, protocol, endpoint) for protocol, endpoint in plan.to_add]
                for subscription in plan.to_remove:
                    unsubscribe(self.sns, subscription["SubscriptionArn"])
            tags.apply(partial(untag_topic, self.sns, self.arn), partial(tag_topic, self.sns, self.arn))
        if plan is not None:
            after["subscriptions"] = [subscription_view(s) for s in plan.kept] + [
                {"protocol": protocol, "endpoint": endpoint, "subscription_arn": answer}
                for (protocol, endpoint), answer in zip(plan.to_add, answers)]
        return after

    def delete(self, current: dict[str, Any] | None) -> dict[str, Any]:
        if current is not None:
            self.changes = ["deleted"]
            if not self.module.check_mode:
                delete_topic(self.sns, self.arn)  # deleted meanwhile: the outcome asked for
        return {}


def main() -> None:
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            account_id=dict(type="str"),
            state=dict(type="str", default="present", choices=["present", "absent"]),
            display_name=dict(type="str"),
            kms_master_key_id=dict(type="str", no_log=False),
            subscriptions=dict(type="list", elements="dict", options=dict(
                protocol=dict(type="str", default="email", choices=["email", "email-json"]),
                endpoint=dict(type="str", required=True),
            )),
            purge_subscriptions=dict(type="bool", default=True),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    try:
        validate(module.params)
    except InvalidInput as e:
        module.fail_json(msg=str(e))
    try:
        manager = TopicManager(module, topic_arn(module))
        before, subscriptions = manager.read()
        if module.params["state"] == "absent":
            after = manager.delete(before)
        elif before is None:
            after = manager.create()
        else:
            after = manager.update(before, subscriptions)
    except AnsibleAWSError as e:  # SNSError or KMSError
        module.fail_json_aws_error(e)
    result: dict[str, Any] = {"changed": bool(manager.changes), "changes": manager.changes, "topic": after}
    if module._diff:
        header = f"SNS topic {module.params['name']}"
        result["diff"] = {"before": diff_view(before), "after": diff_view(after),
                          "before_header": header, "after_header": header}
    module.exit_json(**result)


if __name__ == "__main__":
    main()
