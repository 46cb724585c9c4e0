#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: cloudfront_origin_access_control
short_description: Manage a CloudFront origin access control (OAC)
version_added: 0.1.0
description:
  - Creates, updates or deletes a CloudFront origin access control, the successor of origin access
    identities (OAI). An OAC lets CloudFront sign its requests to a private S3 bucket with SigV4, so the
    bucket policy can grant C(s3:GetObject) to the C(cloudfront.amazonaws.com) service principal for one
    distribution only. OAC also works with SSE-KMS encrypted objects and in every region, which OAI does not.
  - The control is found by I(name), which is unique in the account, so a rerun or an interrupted run
    never creates a second one.
  - Updates send the ETag of the control just read (C(IfMatch)), and only when a setting differs.
  - Supports check mode and diff mode.
author:
  - cloudresume.aws maintainers (@cloudresume)
options:
  name:
    description: Name of the origin access control, unique in the account (at most 64 characters).
    type: str
    required: true
  state:
    description: Whether the origin access control should exist.
    type: str
    choices: [present, absent]
    default: present
  description:
    description: Description of the origin access control.
    type: str
    default: ""
  origin_type:
    description: Type of origin the control signs requests for.
    type: str
    choices: [s3, mediastore, mediapackagev2, lambda]
    default: s3
  signing_behavior:
    description:
      - C(always) signs every origin request (recommended), C(never) signs none, C(no-override) signs only
        requests without an C(Authorization) header from the viewer.
    type: str
    choices: [always, never, no-override]
    default: always
  signing_protocol:
    description: Signing protocol. C(sigv4) is the only one.
    type: str
    choices: [sigv4]
    default: sigv4
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Origin access control for the résumé bucket
  cloudresume.aws.cloudfront_origin_access_control:
    name: cloudresume-site
    description: CloudFront access to the cloudresume site bucket
  register: oac

- name: Remove it (fails while a distribution still uses it)
  cloudresume.aws.cloudfront_origin_access_control:
    name: cloudresume-site
    state: absent
"""

RETURN = r"""
origin_access_control:
  description: The origin access control after the task (empty when absent).
  returned: always
  type: dict
  contains:
    id:
      description: Id of the origin access control, to use as an origin's C(OriginAccessControlId).
      type: str
      sample: E2QWRUHAPOMQZL
    name:
      description: Name.
      type: str
      sample: cloudresume-site
    description:
      description: Description.
      type: str
    origin_type:
      description: Origin type.
      type: str
      sample: s3
    signing_behavior:
      description: Signing behavior.
      type: str
      sample: always
    signing_protocol:
      description: Signing protocol.
      type: str
      sample: sigv4
"""

from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_name

from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront import CloudFront
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront import find_one

FIELDS = {
    "name": "Name",
    "description": "Description",
    "origin_type": "OriginAccessControlOriginType",
    "signing_behavior": "SigningBehavior",
    "signing_protocol": "SigningProtocol",
}


def view(control_id: str, config: dict[str, Any]) -> dict[str, Any]:
    return {"id": control_id, **{field: config.get(key, "") for field, key in FIELDS.items()}}


class OriginAccessControlManager:
    def __init__(self, module: AnsibleAWSModule) -> None:
        self.module = module
        self.cf = CloudFront(module)
        self.changed = False

    def find(self) -> tuple[dict[str, Any], str] | None:
        """The control named ``name`` as (view, etag), or None."""
        summaries = self.cf.list_all("list_origin_access_controls", "OriginAccessControlList",
                                     "Failed to list origin access controls")
        summary = find_one(summaries, lambda s: s["Name"] == self.module.params["name"], self.module,
                           f"origin access controls named {self.module.params['name']}")
        if summary is None:
            return None
        result = self.cf.call("get_origin_access_control", "Failed to read the origin access control",
                              Id=summary["Id"])
        control = result["OriginAccessControl"]
        return view(control["Id"], control["OriginAccessControlConfig"]), result["ETag"]

    def wanted_config(self) -> dict[str, str]:
        return {key: self.module.params[field] for field, key in FIELDS.items()}

    def ensure_present(self, found: tuple[dict[str, Any], str] | None) -> dict[str, Any]:
        config = self.wanted_config()
        if found is None:
            self.changed = True
            if self.module.check_mode:
                return view("", config)
            result = self.cf.call("create_origin_access_control", "Failed to create the origin access control",
                                  OriginAccessControlConfig=config)
            control = result["OriginAccessControl"]
            return view(control["Id"], control["OriginAccessControlConfig"])
        current, etag = found
        wanted = view(current["id"], config)
        if wanted == current:
            return current
        self.changed = True
        if self.module.check_mode:
            return wanted
        result = self.cf.call("update_origin_access_control", "Failed to update the origin access control",
                              Id=current["id"], IfMatch=etag, OriginAccessControlConfig=config)
        control = result["OriginAccessControl"]
        return view(control["Id"], control["OriginAccessControlConfig"])

    def ensure_absent(self, found: tuple[dict[str, Any], str] | None) -> dict[str, Any]:
        if found is None:
            return {}
        self.changed = True
        if not self.module.check_mode:
            current, etag = found
            self.cf.call("delete_origin_access_control",
                         "Failed to delete the origin access control (a distribution may still use it)",
                         Id=current["id"], IfMatch=etag)
        return {}


def validate(module: AnsibleAWSModule) -> None:
    name = module.params["name"]
    problem = check_name("cloudfront_oac", name)
    if problem:
        module.fail_json(msg=f"name: {problem}")
    if len(module.params["description"]) > 256:
        module.fail_json(msg="description: at most 256 characters")


def main() -> None:
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        description=dict(type="str", default=""),
        origin_type=dict(type="str", default="s3", choices=["s3", "mediastore", "mediapackagev2", "lambda"]),
        signing_behavior=dict(type="str", default="always", choices=["always", "never", "no-override"]),
        signing_protocol=dict(type="str", default="sigv4", choices=["sigv4"]),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)
    manager = OriginAccessControlManager(module)
    found = manager.find()
    if module.params["state"] == "present":
        control = manager.ensure_present(found)
    else:
        control = manager.ensure_absent(found)
    result: dict[str, Any] = {"changed": manager.changed, "origin_access_control": control}
    if module._diff:
        result["diff"] = {"before": found[0] if found else {}, "after": control}
    module.exit_json(**result)


if __name__ == "__main__":
    main()
