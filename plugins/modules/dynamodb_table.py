#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: dynamodb_table
short_description: Manage a DynamoDB table with point-in-time recovery, encryption and deletion protection
version_added: 0.1.0
description:
  - Creates, updates or deletes a DynamoDB table keyed by a partition key (and optional sort key).
  - Unlike M(community.aws.dynamodb_table), manages point-in-time recovery, deletion protection and
    server-side encryption (AWS owned key, AWS managed key or a customer managed KMS key).
  - Deleting a table is never a side effect. With O(state=absent), a table whose deletion protection is on
    is only deleted when O(deletion_protection=false) is given explicitly in the same task.
  - Supports check mode and diff mode.
author:
  - cloudresume.aws maintainers (@cloudresume)
options:
  name:
    description: Name of the table.
    type: str
    required: true
  state:
    description: Whether the table should exist.
    type: str
    choices: [present, absent]
    default: present
  hash_key_name:
    description:
      - Name of the partition key. Required to create a table.
      - The key schema of an existing table cannot change; a different value is an error.
    type: str
  hash_key_type:
    description: Type of the partition key.
    type: str
    choices: [STRING, NUMBER, BINARY]
    default: STRING
  range_key_name:
    description: Name of the sort key, if any. Only used when the table is created.
    type: str
  range_key_type:
    description: Type of the sort key.
    type: str
    choices: [STRING, NUMBER, BINARY]
    default: STRING
  billing_mode:
    description: V(PAY_PER_REQUEST) (on-demand) or V(PROVISIONED).
    type: str
    choices: [PAY_PER_REQUEST, PROVISIONED]
    default: PAY_PER_REQUEST
  read_capacity:
    description: Provisioned read capacity units. Only with O(billing_mode=PROVISIONED).
    type: int
  write_capacity:
    description: Provisioned write capacity units. Only with O(billing_mode=PROVISIONED).
    type: int
  point_in_time_recovery:
    description:
      - Whether continuous backups with point-in-time recovery are enabled.
      - When not set, the current setting is left as it is (new tables get it enabled).
    type: bool
  deletion_protection:
    description:
      - Whether deletion protection is enabled.
      - When not set, the current setting is left as it is (new tables get it enabled).
      - With O(state=absent), V(false) disables the protection before the table is deleted.
    type: bool
  encryption:
    description:
      - Server-side encryption at rest. V(aws_owned) uses a key owned by DynamoDB, V(aws_managed) the
        AWS managed key C(aws/dynamodb), V(customer_managed) the KMS key in O(kms_key_id).
    type: str
    choices: [aws_owned, aws_managed, customer_managed]
    default: aws_managed
  kms_key_id:
    description: KMS key id, ARN or alias, required with O(encryption=customer_managed).
    type: str
  wait:
    description: Wait for the table to become C(ACTIVE) (or to be deleted) before returning.
    type: bool
    default: true
  wait_timeout:
    description: How long to wait, in seconds.
    type: int
    default: 300
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Create the visitor counter table (on-demand, PITR, AWS managed key, deletion protection)
  cloudresume.aws.dynamodb_table:
    name: cloudresume-visitors
    hash_key_name: counter_id
    billing_mode: PAY_PER_REQUEST
    point_in_time_recovery: true
    deletion_protection: true
    encryption: aws_managed
    tags:
      Project: cloudresume

- name: Delete a protected table (explicitly lifts the protection first)
  cloudresume.aws.dynamodb_table:
    name: cloudresume-visitors
    state: absent
    deletion_protection: false
"""

RETURN = r"""
table:
  description: The table after the task (empty when absent).
  returned: always
  type: dict
  contains:
    table_name:
      description: Name of the table.
      type: str
      sample: cloudresume-visitors
    table_arn:
      description: ARN of the table.
      type: str
      sample: arn:aws:dynamodb:us-east-2:123456789012:table/cloudresume-visitors
    table_id:
      description: Unique identifier of the table.
      type: str
    table_status:
      description: Status, for example V(ACTIVE).
      type: str
    hash_key_name:
      description: Partition key name.
      type: str
      sample: counter_id
    hash_key_type:
      description: Partition key type.
      type: str
      sample: STRING
    range_key_name:
      description: Sort key name, if any.
      type: str
    billing_mode:
      description: Billing mode.
      type: str
      sample: PAY_PER_REQUEST
    point_in_time_recovery:
      description: Whether point-in-time recovery is enabled.
      type: bool
    deletion_protection:
      description: Whether deletion protection is enabled.
      type: bool
    encryption:
      description: Encryption setting (V(aws_owned), V(aws_managed) or V(customer_managed)).
      type: str
    kms_key_arn:
      description: ARN of the KMS key, for KMS encryption.
      type: str
    item_count:
      description: Approximate number of items (updated by AWS about every six hours).
      type: int
    tags:
      description: Tags of the table.
      type: dict
"""

from functools import partial
from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.amazon.aws.plugins.module_utils.waiter import custom_waiter_config

from ansible_collections.cloudresume.aws.plugins.module_utils.dynamodb import DynamoDBErrorHandler
from ansible_collections.cloudresume.aws.plugins.module_utils.dynamodb import describe_continuous_backups
from ansible_collections.cloudresume.aws.plugins.module_utils.dynamodb import describe_table
from ansible_collections.cloudresume.aws.plugins.module_utils.dynamodb import wait_table_active
from ansible_collections.cloudresume.aws.plugins.module_utils.kms import list_aliases
from ansible_collections.cloudresume.aws.plugins.module_utils.kms import resolve_key
from ansible_collections.cloudresume.aws.plugins.module_utils.tagging import plan_tags
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import KMS_KEY
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_name
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_tags

KEY_TYPES = {"STRING": "S", "NUMBER": "N", "BINARY": "B"}
KEY_TYPE_NAMES = {v: k for k, v in KEY_TYPES.items()}
DYNAMODB_MANAGED_KEY_ALIAS = "alias/aws/dynamodb"
UPDATABLE = ("billing_mode", "read_capacity", "write_capacity", "encryption", "kms_key_arn",
             "deletion_protection", "point_in_time_recovery")
WAIT_PAUSE = 1  # seconds between DescribeTable calls while waiting


@DynamoDBErrorHandler.common_error_handler("list the table's tags")
@AWSRetry.jittered_backoff()
def list_tags(client: Any, arn: str) -> dict[str, str]:
    tags = client.get_paginator("list_tags_of_resource").paginate(ResourceArn=arn).build_full_result().get("Tags", [])
    return boto3_tag_list_to_ansible_dict(tags)


@DynamoDBErrorHandler.common_error_handler("create the table")
@AWSRetry.jittered_backoff()
def create_table(client: Any, request: dict[str, Any]) -> None:
    client.create_table(**request)


@DynamoDBErrorHandler.common_error_handler("update the table")
@AWSRetry.jittered_backoff()
def update_table(client: Any, name: str, request: dict[str, Any]) -> None:
    client.update_table(TableName=name, **request)


# Right after CreateTable, AWS answers ContinuousBackupsUnavailableException until backups are enabled.
@DynamoDBErrorHandler.common_error_handler("update point-in-time recovery")
@AWSRetry.jittered_backoff(catch_extra_error_codes=["ContinuousBackupsUnavailableException"])
def set_pitr(client: Any, name: str, enabled: bool) -> None:
    client.update_continuous_backups(TableName=name,
                                     PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": enabled})


@DynamoDBErrorHandler.common_error_handler("tag the table")
@AWSRetry.jittered_backoff()
def tag_table(client: Any, arn: str, tags: dict[str, str]) -> None:
    client.tag_resource(ResourceArn=arn, Tags=ansible_dict_to_boto3_tag_list(tags))


@DynamoDBErrorHandler.common_error_handler("untag the table")
@AWSRetry.jittered_backoff()
def untag_table(client: Any, arn: str, keys: list[str]) -> None:
    client.untag_resource(ResourceArn=arn, TagKeys=keys)


@DynamoDBErrorHandler.common_error_handler("delete the table")
@AWSRetry.jittered_backoff()
def delete_table(client: Any, name: str) -> None:
    client.delete_table(TableName=name)


@DynamoDBErrorHandler.common_error_handler("wait for the table's deletion")
def wait_table_deleted(client: Any, name: str, timeout: int) -> None:
    client.get_waiter("table_not_exists").wait(TableName=name, WaiterConfig=custom_waiter_config(timeout, WAIT_PAUSE))


class TableManager:
    def __init__(self, module: AnsibleAWSModule) -> None:
        self.module = module
        self.client = module.client("dynamodb", retry_decorator=AWSRetry.jittered_backoff())
        self.kms = module.client("kms", retry_decorator=AWSRetry.jittered_backoff())
        self.params = module.params
        self.changed = False

    # ---- reading ---------------------------------------------------------------------------------------
    def describe(self) -> dict[str, Any] | None:
        table = describe_table(self.client, self.params["name"])
        return self.normalize(table) if table else None

    def normalize(self, table: dict[str, Any]) -> dict[str, Any]:
        attribute_types = {a["AttributeName"]: a["AttributeType"] for a in table.get("AttributeDefinitions", [])}
        keys = {k["KeyType"]: k["AttributeName"] for k in table["KeySchema"]}
        sse = table.get("SSEDescription") or {}
        throughput = table.get("ProvisionedThroughput") or {}
        billing = (table.get("BillingModeSummary") or {}).get("BillingMode", "PROVISIONED")
        result = {
            "table_name": table["TableName"],
            "table_arn": table["TableArn"],
            "table_id": table.get("TableId"),
            "table_status": table.get("TableStatus"),
            "hash_key_name": keys["HASH"],
            "hash_key_type": KEY_TYPE_NAMES[attribute_types[keys["HASH"]]],
            "range_key_name": keys.get("RANGE"),
            "range_key_type": KEY_TYPE_NAMES[attribute_types[keys["RANGE"]]] if "RANGE" in keys else None,
            "billing_mode": billing,
            "read_capacity": throughput.get("ReadCapacityUnits") if billing == "PROVISIONED" else None,
            "write_capacity": throughput.get("WriteCapacityUnits") if billing == "PROVISIONED" else None,
            "deletion_protection": bool(table.get("DeletionProtectionEnabled", False)),
            "encryption": self.encryption_kind(sse),
            "kms_key_arn": sse.get("KMSMasterKeyArn") if sse.get("SSEType") == "KMS" else None,
            "item_count": table.get("ItemCount", 0),
        }
        result["point_in_time_recovery"] = self.read_pitr()
        result["tags"] = list_tags(self.client, table["TableArn"])
        return result

    def encryption_kind(self, sse: dict[str, Any]) -> str:
        if sse.get("Status") not in ("ENABLED", "ENABLING", "UPDATING") or sse.get("SSEType") != "KMS":
            return "aws_owned"
        return "aws_managed" if self.is_dynamodb_managed_key(sse["KMSMasterKeyArn"]) else "customer_managed"

    def is_dynamodb_managed_key(self, key_arn: str) -> bool:
        """Whether the table's key is DynamoDB's AWS managed key: the one the reserved alias aws/dynamodb names.

        ListAliases is authorised on "*" alone, whereas DescribeKey on the AWS managed key would need a grant on a key
        that carries no tag to scope it by."""
        aliases = list_aliases(self.kms, KeyId=key_arn)
        return any(alias["AliasName"] == DYNAMODB_MANAGED_KEY_ALIAS for alias in aliases)

    def read_pitr(self) -> bool:
        backups = describe_continuous_backups(self.client, self.params["name"]) or {}
        status = backups.get("PointInTimeRecoveryDescription", {})
        return status.get("PointInTimeRecoveryStatus") == "ENABLED"

    # ---- desired state ---------------------------------------------------------------------------------
    def desired(self, current: dict[str, Any] | None) -> dict[str, Any]:
        """The settings this task asks for; unset optional booleans keep the current value (new: True)."""
        p = self.params
        want: dict[str, Any] = {
            "billing_mode": p["billing_mode"],
            "read_capacity": p["read_capacity"] if p["billing_mode"] == "PROVISIONED" else None,
            "write_capacity": p["write_capacity"] if p["billing_mode"] == "PROVISIONED" else None,
            "encryption": p["encryption"],
            "kms_key_arn": None,
        }
        if p["encryption"] == "customer_managed":
            want["kms_key_arn"] = resolve_key(self.kms, p["kms_key_id"], "kms_key_id")["Arn"]
        elif p["encryption"] == "aws_managed" and current and current["encryption"] == "aws_managed":
            want["kms_key_arn"] = current["kms_key_arn"]
        for flag in ("point_in_time_recovery", "deletion_protection"):
            default = current[flag] if current else True
            want[flag] = default if p[flag] is None else p[flag]
        return want

    # ---- present ---------------------------------------------------------------------------------------
    def ensure_present(self, current: dict[str, Any] | None) -> dict[str, Any]:
        want = self.desired(current)
        if current is None:
            return self.create(want)
        self.check_key_schema(current)
        self.update(current, want)
        self.ensure_tags(current)
        if not self.changed:
            return current
        if self.module.check_mode:
            return self.planned(current, want)
        return self.describe() or {}

    def planned(self, current: dict[str, Any], want: dict[str, Any]) -> dict[str, Any]:
        after = dict(current, **want)
        if want["encryption"] == "aws_managed" and current["encryption"] != "aws_managed":
            after["kms_key_arn"] = None  # AWS picks the managed key
        after["tags"] = plan_tags(current["tags"], self.params["tags"], self.params["purge_tags"]).after
        return after

    def check_key_schema(self, current: dict[str, Any]) -> None:
        p = self.params
        for field in ("hash_key_name", "range_key_name"):
            if p[field] is not None and p[field] != current[field]:
                self.module.fail_json(
                    msg=f"{field}: the table's key schema cannot change ({current[field]!r} -> {p[field]!r}); "
                    "create a new table instead"
                )
        if p["hash_key_name"] is not None and p["hash_key_type"] != current["hash_key_type"]:
            self.module.fail_json(
                msg=f"hash_key_type: the table's key schema cannot change ({current['hash_key_type']} -> "
                f"{p['hash_key_type']})"
            )

    def create(self, want: dict[str, Any]) -> dict[str, Any]:
        p = self.params
        if not p["hash_key_name"]:
            self.module.fail_json(msg="hash_key_name: required to create the table")
        self.changed = True
        planned = {"table_name": p["name"], "hash_key_name": p["hash_key_name"], "hash_key_type": p["hash_key_type"],
                   "range_key_name": p["range_key_name"], **want, "tags": p["tags"] or {}}
        if self.module.check_mode:
            return planned
        create_table(self.client, self.create_request(want))
        self.wait_active(always=want["point_in_time_recovery"])  # PITR can only be enabled on an ACTIVE table
        if want["point_in_time_recovery"]:
            set_pitr(self.client, p["name"], True)
        return self.describe() or planned

    def create_request(self, want: dict[str, Any]) -> dict[str, Any]:
        p = self.params
        keys = [(p["hash_key_name"], p["hash_key_type"], "HASH")]
        if p["range_key_name"]:
            keys.append((p["range_key_name"], p["range_key_type"], "RANGE"))
        request: dict[str, Any] = {
            "TableName": p["name"],
            "KeySchema": [{"AttributeName": key[0], "KeyType": key[2]} for key in keys],
            "AttributeDefinitions": [{"AttributeName": key[0], "AttributeType": KEY_TYPES[key[1]]} for key in keys],
            "BillingMode": want["billing_mode"],
            "DeletionProtectionEnabled": want["deletion_protection"],
            "SSESpecification": self.sse_specification(want),
        }
        if want["billing_mode"] == "PROVISIONED":
            request["ProvisionedThroughput"] = self.throughput(want)
        if p["tags"]:
            request["Tags"] = ansible_dict_to_boto3_tag_list(p["tags"])
        return request

    @staticmethod
    def throughput(want: dict[str, Any]) -> dict[str, int]:
        return {"ReadCapacityUnits": want["read_capacity"], "WriteCapacityUnits": want["write_capacity"]}

    def sse_specification(self, want: dict[str, Any]) -> dict[str, Any]:
        if want["encryption"] == "aws_owned":
            return {"Enabled": False}
        spec = {"Enabled": True, "SSEType": "KMS"}
        if want["encryption"] == "customer_managed":
            spec["KMSMasterKeyId"] = self.params["kms_key_id"]
        return spec

    def update(self, current: dict[str, Any], want: dict[str, Any]) -> None:
        """Apply each differing setting with its own call (AWS allows one kind of change per UpdateTable)."""
        after = self.planned(current, want)
        changes = [field for field in UPDATABLE if after[field] != current[field]]
        if not changes:
            return
        self.changed = True
        if self.module.check_mode:
            return
        if {"billing_mode", "read_capacity", "write_capacity"} & set(changes):
            request = {"BillingMode": want["billing_mode"]}
            if want["billing_mode"] == "PROVISIONED":
                request["ProvisionedThroughput"] = self.throughput(want)
            self.update_table(**request)
        if {"encryption", "kms_key_arn"} & set(changes):
            self.update_table(SSESpecification=self.sse_specification(want))
        if "deletion_protection" in changes:
            self.update_table(DeletionProtectionEnabled=want["deletion_protection"])
        if "point_in_time_recovery" in changes:
            set_pitr(self.client, self.params["name"], want["point_in_time_recovery"])

    def update_table(self, **request: Any) -> None:
        update_table(self.client, self.params["name"], request)
        self.wait_active(always=True)  # AWS accepts the next update only once the table is ACTIVE again

    def ensure_tags(self, current: dict[str, Any]) -> None:
        plan = plan_tags(current["tags"], self.params["tags"], self.params["purge_tags"])
        if not plan.changed:
            return
        self.changed = True
        if self.module.check_mode:
            return
        arn = current["table_arn"]
        plan.apply(partial(untag_table, self.client, arn), partial(tag_table, self.client, arn))

    def wait_active(self, always: bool = False) -> None:
        if self.params["wait"] or always:
            wait_table_active(self.client, self.params["name"], self.params["wait_timeout"], WAIT_PAUSE)

    # ---- absent ----------------------------------------------------------------------------------------
    def ensure_absent(self, current: dict[str, Any] | None) -> dict[str, Any]:
        if current is None:
            return {}
        if current["deletion_protection"] and self.params["deletion_protection"] is not False:
            self.module.fail_json(
                msg=f"deletion_protection: table {self.params['name']} has deletion protection on and holds data; "
                "set deletion_protection=false in this task to lift the protection and delete it",
                table=current,
            )
        self.changed = True
        if self.module.check_mode:
            return {}
        if current["deletion_protection"]:
            self.update_table(DeletionProtectionEnabled=False)
        delete_table(self.client, self.params["name"])
        if self.params["wait"]:
            wait_table_deleted(self.client, self.params["name"], self.params["wait_timeout"])
        return {}


def diff_view(table: dict[str, Any]) -> dict[str, Any]:
    volatile = ("table_status", "item_count", "table_id")
    return {k: v for k, v in table.items() if k not in volatile}


def validate(module: AnsibleAWSModule) -> None:
    p = module.params
    name = p["name"]
    problem = check_name("dynamodb_table", name)
    if problem:
        module.fail_json(msg=f"name: {problem}")
    problem = check_tags(p["tags"]) if p["tags"] is not None else None
    if problem:
        module.fail_json(msg=f"tags: {problem}")
    if p["kms_key_id"] and not KMS_KEY.fullmatch(p["kms_key_id"]):
        module.fail_json(msg=f"kms_key_id: {p['kms_key_id']!r} is not a KMS key id, key ARN, alias name or alias ARN")
    provisioned = p["billing_mode"] == "PROVISIONED"
    for field in ("read_capacity", "write_capacity"):
        value = p[field]
        if provisioned and value < 1:
            module.fail_json(msg=f"{field}: a positive integer is required with billing_mode=PROVISIONED")
        if not provisioned and value is not None:
            module.fail_json(msg=f"{field}: only valid with billing_mode=PROVISIONED")
    if p["kms_key_id"] and p["encryption"] != "customer_managed":
        module.fail_json(msg="kms_key_id: required with encryption=customer_managed, and only valid with it")
    if p["wait_timeout"] < 1:
        module.fail_json(msg="wait_timeout: must be at least 1 second")


def main() -> None:
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        hash_key_name=dict(type="str", no_log=False),
        hash_key_type=dict(type="str", default="STRING", choices=list(KEY_TYPES), no_log=False),
        range_key_name=dict(type="str", no_log=False),
        range_key_type=dict(type="str", default="STRING", choices=list(KEY_TYPES), no_log=False),
        billing_mode=dict(type="str", default="PAY_PER_REQUEST", choices=["PAY_PER_REQUEST", "PROVISIONED"]),
        read_capacity=dict(type="int"),
        write_capacity=dict(type="int"),
        point_in_time_recovery=dict(type="bool"),
        deletion_protection=dict(type="bool"),
        encryption=dict(type="str", default="aws_managed", choices=["aws_owned", "aws_managed", "customer_managed"]),
        kms_key_id=dict(type="str", no_log=False),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=300),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        required_if=[
            ("billing_mode", "PROVISIONED", ["read_capacity", "write_capacity"]),
            ("encryption", "customer_managed", ["kms_key_id"]),
        ],
        supports_check_mode=True,
    )
    validate(module)
    manager = TableManager(module)
    try:
        before = manager.describe()
        if module.params["state"] == "present":
            table = manager.ensure_present(before)
        else:
            table = manager.ensure_absent(before)
    except AnsibleAWSError as e:  # DynamoDBError or KMSError
        module.fail_json_aws_error(e)
    result: dict[str, Any] = {"changed": manager.changed, "table": table}
    if module._diff:
        result["diff"] = {"before": diff_view(before) if before else {}, "after": diff_view(table) if table else {}}
    module.exit_json(**result)


if __name__ == "__main__":
    main()
