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
  - The control is found by O(name), which is unique in the account, so a rerun or an interrupted run
    never creates a second one.
  - Updates send the ETag of the control just read (C(IfMatch)), and only when a setting differs.
  - Supports check mode and diff mode.
  - M(cloudresume.aws.cloudfront_s3_distribution) manages an origin access control with the same options and code in
    the distribution's own task (its O(cloudresume.aws.cloudfront_s3_distribution#module:origin_access_control)
    option), one module process for both.
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
      - V(always) signs every origin request (recommended), V(never) signs none, V(no-override) signs only
        requests without an C(Authorization) header from the viewer.
    type: str
    choices: [always, never, no-override]
    default: always
  signing_protocol:
    description: Signing protocol. V(sigv4) is the only one.
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

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront_configs import ORIGIN_ACCESS_CONTROL
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront_configs import run_standalone


def main() -> None:
    argument_spec = dict(ORIGIN_ACCESS_CONTROL.options, state=dict(type="str", default="present", choices=["present", "absent"]))
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    try:
        result = run_standalone(module, ORIGIN_ACCESS_CONTROL)
    except AnsibleAWSError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
