#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: s3_private_bucket
short_description: Ensure a private S3 bucket with its versioning, encryption, ownership, tags, policy and lifecycle rules
version_added: 0.1.0
description:
  - Creates an S3 general purpose bucket in the task's region, or brings an existing one of the caller's account to
    the wanted settings, in one task. Public access is always blocked (the bucket's four public access block
    settings are on); the other settings are each left as they are (and unread) when their option is omitted.
  - Each setting given costs one read (C(GetBucketVersioning), C(GetBucketEncryption), C(GetPublicAccessBlock),
    C(GetBucketOwnershipControls), C(GetBucketTagging), C(GetBucketPolicy), C(GetBucketLifecycleConfiguration)) and
    a write only when it differs. The first read also tells whether the bucket exists, so no C(HeadBucket) is made;
    nothing is listed, so the reads do not grow with the account's other buckets.
  - A bucket name is global. When another account owns it, AWS answers C(CreateBucket) with C(BucketAlreadyExists)
    (409) and every read with C(AccessDenied) (403); the module then fails before any write, and the result's
    C(error.code) holds that code.
  - Supports check mode (a missing bucket is planned with all its settings) and diff mode.
  - Deleting a bucket stays with M(amazon.aws.s3_bucket) (O(amazon.aws.s3_bucket#module:state=absent)), which
    removes its objects only with O(amazon.aws.s3_bucket#module:force=true).
author:
  - cloudresume.aws maintainers (@cloudresume)
options:
  name:
    description: Name of the bucket (3 to 63 lowercase letters, digits, C(.) and C(-)).
    type: str
    required: true
  versioning:
    description:
      - V(true) enables versioning; V(false) suspends it on a bucket where it was enabled (S3 cannot turn it off).
      - Omitted, versioning is left as it is.
    type: bool
  encryption:
    description:
      - The default encryption of new objects, V(AES256) (SSE-S3) or V(aws:kms) (SSE-KMS).
      - Omitted, the default encryption is left as it is.
    type: str
    choices: [AES256, "aws:kms"]
  encryption_key_id:
    description:
      - With O(encryption=aws:kms), the KMS key (id, ARN or alias ARN) as S3 should store it; compared as given.
      - Omitted with V(aws:kms), the AWS managed key C(aws/s3).
    type: str
  object_ownership:
    description:
      - Who owns the objects written to the bucket. V(BucketOwnerEnforced) disables ACLs.
      - Omitted, the setting is left as it is (a new bucket gets S3's default, V(BucketOwnerEnforced)).
    type: str
    choices: [BucketOwnerEnforced, BucketOwnerPreferred, ObjectWriter]
  policy:
    description:
      - The bucket policy, as a JSON document or a mapping.
      - It is compared with the bucket's as IAM reads them, not as text. The order of statements and of the values of
        C(Action), C(Resource), C(Principal) and conditions does not matter, nor does a single value written as a
        one-item list, nor an account id written as its root ARN.
      - Omitted, the policy is left as it is. The module never removes a policy.
    type: json
  lifecycle_rules:
    description:
      - Lifecycle rules, each identified by its O(lifecycle_rules[].id). A rule of the bucket with the same id is
        replaced by this one when it differs.
      - Omitted, the lifecycle configuration is left as it is (and unread).
    type: list
    elements: dict
    suboptions:
      id:
        description: The rule's id (at most 255 characters), unique among the bucket's rules.
        type: str
        required: true
      prefix:
        description: The rule applies to the keys that start with this prefix; V("") to every object.
        type: str
        default: ""
      status:
        description: Whether S3 applies the rule.
        type: str
        choices: [enabled, disabled]
        default: enabled
      noncurrent_version_expiration_days:
        description: Days after an object version stops being the current one before S3 deletes it.
        type: int
      abort_incomplete_multipart_upload_days:
        description: Days after a multipart upload starts before S3 aborts it if it is still incomplete.
        type: int
  purge_lifecycle_rules:
    description:
      - With O(lifecycle_rules), remove the bucket's rules whose id is not among them.
      - V(false) keeps the bucket's other rules (set by someone else) as they are, as
        M(community.aws.s3_lifecycle) does.
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - S3 has no call that adds or removes one tag, so a change of the tags writes the whole set (C(PutBucketTagging)), or
    deletes it when no tag remains (C(DeleteBucketTagging)).
  - S3 keeps one lifecycle configuration per bucket, so a change writes all its rules (C(PutBucketLifecycleConfiguration),
    with the configuration's C(TransitionDefaultMinimumObjectSize) as it was), or deletes the configuration when
    O(purge_lifecycle_rules) leaves none (C(DeleteBucketLifecycle)).
  - The IAM actions of the calls are C(s3:CreateBucket), C(s3:GetBucketVersioning), C(s3:PutBucketVersioning),
    C(s3:GetEncryptionConfiguration), C(s3:PutEncryptionConfiguration), C(s3:GetBucketPublicAccessBlock),
    C(s3:PutBucketPublicAccessBlock), C(s3:GetBucketOwnershipControls), C(s3:PutBucketOwnershipControls),
    C(s3:GetBucketTagging), C(s3:PutBucketTagging), C(s3:GetBucketPolicy), C(s3:PutBucketPolicy),
    C(s3:GetLifecycleConfiguration) and C(s3:PutLifecycleConfiguration), each only for the options given.
seealso:
  - module: amazon.aws.s3_bucket
  - module: community.aws.s3_lifecycle
"""

EXAMPLES = r"""
- name: The site's bucket, private, versioned and encrypted, old versions expired
  cloudresume.aws.s3_private_bucket:
    name: cloudresume-site-123456789012-us-east-2
    versioning: true
    encryption: AES256
    object_ownership: BucketOwnerEnforced
    tags:
      Stack: cloudresume
    lifecycle_rules:
      - id: noncurrent-versions-and-incomplete-uploads
        noncurrent_version_expiration_days: 30
        abort_incomplete_multipart_upload_days: 7
  register: site_bucket
# site_bucket.changes lists what changed, e.g. ["created"] or ["tags", "lifecycle_rules"]

- name: Let only one CloudFront distribution read it
  cloudresume.aws.s3_private_bucket:
    name: cloudresume-site-123456789012-us-east-2
    policy:
      Version: "2012-10-17"
      Statement:
        - Sid: AllowCloudFront
          Effect: Allow
          Principal: {Service: cloudfront.amazonaws.com}
          Action: s3:GetObject
          Resource: arn:aws:s3:::cloudresume-site-123456789012-us-east-2/*
          Condition:
            StringEquals:
              AWS:SourceArn: arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE

- name: Encrypted with a customer managed key, only these lifecycle rules
  cloudresume.aws.s3_private_bucket:
    name: cloudresume-logs-123456789012-us-east-2
    encryption: aws:kms
    encryption_key_id: arn:aws:kms:us-east-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
    lifecycle_rules: []
    purge_lifecycle_rules: true
"""

RETURN = r"""
bucket:
  description: The bucket after the task (as planned in check mode), with the settings the task was given.
  returned: always
  type: dict
  contains:
    name:
      description: Name of the bucket.
      type: str
      sample: cloudresume-site-123456789012-us-east-2
    arn:
      description: ARN of the bucket.
      type: str
      sample: arn:aws:s3:::cloudresume-site-123456789012-us-east-2
    public_access_block:
      description: The bucket's public access block (all four V(true) after the task).
      type: dict
      sample: {"BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": true, "RestrictPublicBuckets": true}
    versioning:
      description: V(Enabled), V(Suspended), or V("") (never enabled).
      returned: when O(versioning) is given
      type: str
      sample: Enabled
    encryption:
      description: The default encryption, C(algorithm) and C(key_id) (V("") for SSE-S3 or the AWS managed key).
      returned: when O(encryption) is given
      type: dict
      sample: {"algorithm": "AES256", "key_id": ""}
    object_ownership:
      description: The object ownership setting (V("") when the bucket has none).
      returned: when O(object_ownership) is given
      type: str
      sample: BucketOwnerEnforced
    tags:
      description: The bucket's tags.
      returned: when O(tags) is given
      type: dict
      sample: {"Stack": "cloudresume"}
    policy:
      description: The bucket policy (null when the bucket has none).
      returned: when O(policy) is given
      type: dict
    lifecycle_rules:
      description: The bucket's lifecycle rules, as S3 answers C(GetBucketLifecycleConfiguration) (C(Rules)).
      returned: when O(lifecycle_rules) is given
      type: list
      elements: dict
      sample: [{"ID": "noncurrent-versions-and-incomplete-uploads", "Filter": {"Prefix": ""}, "Status": "Enabled",
                "NoncurrentVersionExpiration": {"NoncurrentDays": 30},
                "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7}}]
changes:
  description: What the task changed (or would change in check mode), among V(created), V(public_access_block),
    V(encryption), V(versioning), V(object_ownership), V(tags), V(policy) and V(lifecycle_rules). A new bucket is
    V(created) alone.
  returned: always
  type: list
  elements: str
  sample: [tags, lifecycle_rules]
"""

import json
from collections.abc import Callable
from typing import Any

try:
    import botocore.session
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.cloudresume.aws.plugins.module_utils.s3 import S3_RETRY_CODES
from ansible_collections.cloudresume.aws.plugins.module_utils.s3 import AnsibleS3Error
from ansible_collections.cloudresume.aws.plugins.module_utils.s3 import BucketMissing
from ansible_collections.cloudresume.aws.plugins.module_utils.s3 import create_bucket
from ansible_collections.cloudresume.aws.plugins.module_utils.s3 import read_bucket_setting
from ansible_collections.cloudresume.aws.plugins.module_utils.s3 import write_bucket_setting
from ansible_collections.cloudresume.aws.plugins.module_utils.tagging import plan_tags
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import InvalidInput
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_tags
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import json_object
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import require
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import require_name

PRIVATE = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}
MAX_RULES = 1000
MAX_RULE_ID = 255
POLICY_EFFECTS = ("Allow", "Deny")
# The settings in the order they are read, and written on an existing bucket (privacy first).
SETTINGS = ("public_access_block", "encryption", "versioning", "object_ownership", "tags", "policy", "lifecycle_rules")


# ---- input ----------------------------------------------------------------------------------------------------------
def parse_policy(text: str) -> dict[str, Any]:
    """The policy document of the ``policy`` option (a JSON string: Ansible's ``json`` type), checked for shape."""
    policy = json_object("policy", text, "a JSON object")
    statements = policy.get("Statement")
    statements = [statements] if isinstance(statements, dict) else statements
    if not isinstance(statements, list) or not statements:
        raise InvalidInput("policy: needs a 'Statement' (one statement or a non-empty list of them)")
    for index, statement in enumerate(statements):
        if not isinstance(statement, dict) or statement.get("Effect") not in POLICY_EFFECTS:
            raise InvalidInput(f"policy: Statement[{index}] needs an 'Effect' of 'Allow' or 'Deny'")
    return policy


def validate(params: dict[str, Any]) -> dict[str, Any] | None:
    """Raise InvalidInput naming the first bad field (no AWS call is made before); the parsed policy."""
    require_name("name", "s3_bucket", params["name"])
    if params["encryption_key_id"] is not None and params["encryption"] != "aws:kms":
        raise InvalidInput("encryption_key_id: is only used with encryption 'aws:kms'")
    if params["encryption_key_id"] == "":
        raise InvalidInput("encryption_key_id: must not be empty (omit it for the AWS managed key)")
    if params["tags"] is not None:
        require("tags", check_tags(params["tags"]))
    rules = params["lifecycle_rules"] or []
    if len(rules) > MAX_RULES:
        raise InvalidInput(f"lifecycle_rules: {len(rules)} rules, S3 allows at most {MAX_RULES}")
    seen: set[str] = set()
    for index, rule in enumerate(rules):
        field = f"lifecycle_rules[{index}]"
        if not rule["id"] or len(rule["id"]) > MAX_RULE_ID:
            raise InvalidInput(f"{field}.id: must be 1 to {MAX_RULE_ID} characters long")
        if rule["id"] in seen:
            raise InvalidInput(f"{field}.id: {rule['id']!r} is given twice")
        seen.add(rule["id"])
        days = {name: rule[name] for name in ("noncurrent_version_expiration_days",
                                              "abort_incomplete_multipart_upload_days") if rule[name] is not None}
        if not days:
            raise InvalidInput(f"{field}: needs noncurrent_version_expiration_days or "
                               "abort_incomplete_multipart_upload_days")
        for name, value in days.items():
            if value < 1:
                raise InvalidInput(f"{field}.{name}: must be a positive number of days, got {value}")
    return parse_policy(params["policy"]) if params["policy"] is not None else None


def wanted_rule(rule: dict[str, Any]) -> dict[str, Any]:
    """A ``lifecycle_rules`` item as S3 stores it (the shape GetBucketLifecycleConfiguration answers)."""
    raw: dict[str, Any] = {"ID": rule["id"], "Filter": {"Prefix": rule["prefix"]}, "Status": rule["status"].capitalize()}
    if rule["noncurrent_version_expiration_days"] is not None:
        raw["NoncurrentVersionExpiration"] = {"NoncurrentDays": rule["noncurrent_version_expiration_days"]}
    if rule["abort_incomplete_multipart_upload_days"] is not None:
        raw["AbortIncompleteMultipartUpload"] = {"DaysAfterInitiation": rule["abort_incomplete_multipart_upload_days"]}
    return raw


def normalized_rule(rule: dict[str, Any]) -> dict[str, Any]:
    """A rule as read, with the equivalent ways S3 may give its scope written one way (``Filter.Prefix``)."""
    rule = dict(rule)
    if "Prefix" in rule:  # the legacy top-level prefix
        rule["Filter"] = {"Prefix": rule.pop("Prefix")}
    if rule.get("Filter") == {}:
        rule["Filter"] = {"Prefix": ""}
    return rule


# ---- the bucket -----------------------------------------------------------------------------------------------------
class BucketManager:
    def __init__(self, module: AnsibleAWSModule, policy: dict[str, Any] | None) -> None:
        self.module = module
        self.params = module.params
        self.name: str = module.params["name"]
        self.policy = policy
        self.s3 = module.client("s3", retry_decorator=AWSRetry.jittered_backoff(catch_extra_error_codes=S3_RETRY_CODES))
        self.changes: list[str] = []
        self.transition_default: str | None = None

    def given(self, setting: str) -> bool:
        """Whether the task manages ``setting`` (the public access block always; the others are named as their option)."""
        return setting == "public_access_block" or self.params[setting] is not None

    # ---- reading ----------------------------------------------------------------------------------------------
    def read(self) -> dict[str, Any] | None:
        """The bucket's settings the task manages, one read each; None when there is no bucket."""
        readers: dict[str, Callable[[], Any]] = {
            "public_access_block": self.read_public_access_block, "encryption": self.read_encryption,
            "versioning": self.read_versioning, "object_ownership": self.read_object_ownership,
            "tags": self.read_tags, "policy": self.read_policy, "lifecycle_rules": self.read_lifecycle_rules,
        }
        try:
            return {setting: readers[setting]() for setting in SETTINGS if self.given(setting)}
        except BucketMissing:
            return None

    def _read(self, operation: str, what: str) -> dict[str, Any] | None:
        return read_bucket_setting(self.s3, operation, self.name, what)

    def read_public_access_block(self) -> dict[str, bool]:
        answer = self._read("get_public_access_block", "public access block")
        return dict(answer["PublicAccessBlockConfiguration"]) if answer else {}

    def read_encryption(self) -> dict[str, Any]:
        answer = self._read("get_bucket_encryption", "default encryption")
        rules = answer["ServerSideEncryptionConfiguration"]["Rules"] if answer else []
        if not rules:
            return {"algorithm": "", "key_id": ""}
        default = rules[0].get("ApplyServerSideEncryptionByDefault", {})
        current = {"algorithm": default.get("SSEAlgorithm", ""), "key_id": default.get("KMSMasterKeyID", "")}
        return current | ({"bucket_key_enabled": True} if rules[0].get("BucketKeyEnabled") else {})

    def read_versioning(self) -> str:
        answer = self._read("get_bucket_versioning", "versioning") or {}
        return answer.get("Status", "")

    def read_object_ownership(self) -> str:
        answer = self._read("get_bucket_ownership_controls", "object ownership")
        rules = answer["OwnershipControls"]["Rules"] if answer else []
        return rules[0]["ObjectOwnership"] if rules else ""

    def read_tags(self) -> dict[str, str]:
        answer = self._read("get_bucket_tagging", "tags")
        return boto3_tag_list_to_ansible_dict(answer["TagSet"]) if answer else {}

    def read_policy(self) -> dict[str, Any] | None:
        answer = self._read("get_bucket_policy", "policy")
        return json.loads(answer["Policy"]) if answer else None

    def read_lifecycle_rules(self) -> list[dict[str, Any]]:
        answer = self._read("get_bucket_lifecycle_configuration", "lifecycle configuration") or {}
        # Not a rule but part of the configuration: a write without it would reset it to S3's default.
        self.transition_default = answer.get("TransitionDefaultMinimumObjectSize")
        return list(answer.get("Rules", []))

    # ---- planning -------------------------------------------------------------------------------------------------
    def wanted_encryption(self, current: dict[str, Any]) -> dict[str, Any]:
        wanted = {"algorithm": self.params["encryption"], "key_id": self.params["encryption_key_id"] or ""}
        if current.get("bucket_key_enabled"):
            wanted["bucket_key_enabled"] = True  # kept as it is
        return wanted

    def wanted_lifecycle_rules(self, current: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The bucket's rules after the task: ours replace those of the same id; others kept unless purged."""
        wanted = {rule["id"]: wanted_rule(rule) for rule in self.params["lifecycle_rules"]}
        after = [wanted.pop(rule.get("ID", ""), rule) for rule in current
                 if rule.get("ID") in wanted or not self.params["purge_lifecycle_rules"]]
        return after + list(wanted.values())

    def plan(self, current: dict[str, Any]) -> dict[str, Any]:
        """The settings after the task (``current`` where they already are as wanted); sets ``changes``."""
        p = self.params
        after = dict(current)
        after["public_access_block"] = PRIVATE
        if p["encryption"] is not None:
            after["encryption"] = self.wanted_encryption(current["encryption"])
        if p["versioning"] is not None:
            after["versioning"] = "Enabled" if p["versioning"] else ("Suspended" if current["versioning"] else "")
        if p["object_ownership"] is not None:
            after["object_ownership"] = p["object_ownership"]
        if p["tags"] is not None:
            after["tags"] = plan_tags(current["tags"], p["tags"], p["purge_tags"]).after
        if self.policy is not None and (current["policy"] is None or compare_policies(current["policy"], self.policy)):
            after["policy"] = self.policy
        if p["lifecycle_rules"] is not None:
            after["lifecycle_rules"] = self.wanted_lifecycle_rules(current["lifecycle_rules"])
        self.changes = [setting for setting in SETTINGS if setting in current and self.differs(setting, current, after)]
        return after

    @staticmethod
    def differs(setting: str, current: dict[str, Any], after: dict[str, Any]) -> bool:
        if setting == "lifecycle_rules":
            return [normalized_rule(r) for r in current[setting]] != [normalized_rule(r) for r in after[setting]]
        return current[setting] != after[setting]

    # ---- writing ------------------------------------------------------------------------------------------------
    def _write(self, operation: str, description: str, **params: Any) -> None:
        write_bucket_setting(self.s3, operation, self.name, description, **params)

    def write(self, setting: str, after: dict[str, Any]) -> None:
        value = after[setting]
        if setting == "public_access_block":
            self._write("put_public_access_block", "block public access",
                        PublicAccessBlockConfiguration=value)
        elif setting == "encryption":
            default = {"SSEAlgorithm": value["algorithm"]} | ({"KMSMasterKeyID": value["key_id"]} if value["key_id"] else {})
            rule = {"ApplyServerSideEncryptionByDefault": default} | (
                {"BucketKeyEnabled": True} if value.get("bucket_key_enabled") else {})
            self._write("put_bucket_encryption", "set the default encryption (encryption)",
                        ServerSideEncryptionConfiguration={"Rules": [rule]})
        elif setting == "versioning":
            self._write("put_bucket_versioning", "set the versioning (versioning)",
                        VersioningConfiguration={"Status": value})
        elif setting == "object_ownership":
            self._write("put_bucket_ownership_controls", "set the object ownership (object_ownership)",
                        OwnershipControls={"Rules": [{"ObjectOwnership": value}]})
        elif setting == "tags" and value:
            self._write("put_bucket_tagging", "set the tags (tags)",
                        Tagging={"TagSet": ansible_dict_to_boto3_tag_list(value)})
        elif setting == "tags":
            self._write("delete_bucket_tagging", "remove the tags (tags)")
        elif setting == "policy":
            self._write("put_bucket_policy", "set the policy (policy)", Policy=json.dumps(value))
        elif setting == "lifecycle_rules" and value:
            kept = {"TransitionDefaultMinimumObjectSize": self.transition_default} if self.transition_default else {}
            self._write("put_bucket_lifecycle_configuration", "set the lifecycle rules (lifecycle_rules)",
                        LifecycleConfiguration={"Rules": value}, **kept)
        elif setting == "lifecycle_rules":
            self._write("delete_bucket_lifecycle", "remove the lifecycle rules (lifecycle_rules)")

    def update(self, current: dict[str, Any]) -> dict[str, Any]:
        after = self.plan(current)
        if not self.module.check_mode:
            for setting in self.changes:
                self.write(setting, after)
        return after

    def create(self) -> dict[str, Any]:
        """Create the bucket and write every setting given; the settings as created (or planned)."""
        p = self.params
        empty = {"public_access_block": {}, "encryption": {"algorithm": "", "key_id": ""}, "versioning": "",
                 "object_ownership": "", "tags": {}, "policy": None, "lifecycle_rules": []}
        after = self.plan({setting: empty[setting] for setting in SETTINGS if self.given(setting)})
        # The object ownership is given to CreateBucket itself; S3's default for a new bucket is BucketOwnerEnforced.
        writes = [setting for setting in self.changes if setting != "object_ownership"]
        self.changes = ["created"]
        if not self.module.check_mode:
            create_bucket(self.s3, self.name, self.module.region, p["object_ownership"])
            for setting in writes:
                self.write(setting, after)
        return after


def bucket_view(name: str, region: str, settings: dict[str, Any]) -> dict[str, Any]:
    """The ``bucket`` result: its name, ARN and the settings the task was given."""
    partition = botocore.session.get_session().get_partition_for_region(region)
    view = {"name": name, "arn": f"arn:{partition}:s3:::{name}"} | settings
    if "encryption" in view:
        view["encryption"] = {"algorithm": view["encryption"]["algorithm"], "key_id": view["encryption"]["key_id"]}
    return view


def diff_view(settings: dict[str, Any] | None) -> dict[str, Any]:
    if settings is None:
        return {}
    view = dict(settings)
    if "lifecycle_rules" in view:
        view["lifecycle_rules"] = [normalized_rule(rule) for rule in view["lifecycle_rules"]]
    return view


def main() -> None:
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            versioning=dict(type="bool"),
            encryption=dict(type="str", choices=["AES256", "aws:kms"]),
            encryption_key_id=dict(type="str", no_log=False),
            object_ownership=dict(type="str", choices=["BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"]),
            policy=dict(type="json"),
            lifecycle_rules=dict(type="list", elements="dict", options=dict(
                id=dict(type="str", required=True),
                prefix=dict(type="str", default=""),
                status=dict(type="str", default="enabled", choices=["enabled", "disabled"]),
                noncurrent_version_expiration_days=dict(type="int"),
                abort_incomplete_multipart_upload_days=dict(type="int"),
            )),
            purge_lifecycle_rules=dict(type="bool", default=False),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    try:
        policy = validate(module.params)
    except InvalidInput as e:
        module.fail_json(msg=str(e))
    manager = BucketManager(module, policy)
    try:
        before = manager.read()
        after = manager.create() if before is None else manager.update(before)
    except AnsibleS3Error as e:
        module.fail_json_aws_error(e)
    result: dict[str, Any] = {"changed": bool(manager.changes), "changes": manager.changes,
                              "bucket": bucket_view(module.params["name"], module.region, after)}
    if module._diff:
        header = f"S3 bucket {module.params['name']}"
        result["diff"] = {"before": diff_view(before), "after": diff_view(after),
                          "before_header": header, "after_header": header}
    module.exit_json(**result)


if __name__ == "__main__":
    main()
