#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: cloudfront_security_headers_policy
short_description: Manage a CloudFront response headers policy that sets security headers
version_added: 0.1.0
description:
  - Creates, updates or deletes a custom CloudFront response headers policy with the security headers
    (HSTS, Content-Security-Policy, X-Content-Type-Options, X-Frame-Options, Referrer-Policy) and optional
    custom headers that CloudFront adds to every response of the distributions that use it.
  - The policy is found by O(name), which is unique in the account, so a rerun never creates a second one.
  - Compared with M(community.aws.cloudfront_response_headers_policy), which calls
    C(UpdateResponseHeadersPolicy) on every run and reports a change in check mode whatever the state,
    this module updates only when a setting differs (sending the policy's ETag as C(IfMatch)), and
    supports check mode and diff mode.
  - A header whose option is not set is not added by the policy.
  - M(cloudresume.aws.cloudfront_s3_distribution) manages a policy with the same options and code in the
    distribution's own task (its O(cloudresume.aws.cloudfront_s3_distribution#module:response_headers_policy)
    option), one module process for both.
author:
  - cloudresume.aws maintainers (@cloudresume)
options:
  name:
    description: Name of the policy, unique in the account (letters, digits, C(-) and C(_), at most 128).
    type: str
    required: true
  state:
    description: Whether the policy should exist. Deleting fails while a distribution uses the policy.
    type: str
    choices: [present, absent]
    default: present
  comment:
    description: Comment of the policy.
    type: str
    default: ""
  override:
    description: Whether the policy's values replace the same headers from the origin.
    type: bool
    default: true
  strict_transport_security:
    description: C(Strict-Transport-Security) header. Not set when omitted.
    type: dict
    suboptions:
      max_age:
        description: C(max-age) in seconds.
        type: int
        default: 31536000
      include_subdomains:
        description: Add C(includeSubDomains).
        type: bool
        default: true
      preload:
        description: Add C(preload).
        type: bool
        default: false
  content_security_policy:
    description: Value of the C(Content-Security-Policy) header (at most 1783 characters). Not set when omitted.
    type: str
  content_type_options:
    description: Add C(X-Content-Type-Options nosniff).
    type: bool
    default: false
  frame_options:
    description: Value of the C(X-Frame-Options) header. Not set when omitted.
    type: str
    choices: [DENY, SAMEORIGIN]
  referrer_policy:
    description: Value of the C(Referrer-Policy) header. Not set when omitted.
    type: str
    choices: [no-referrer, no-referrer-when-downgrade, origin, origin-when-cross-origin, same-origin,
              strict-origin, strict-origin-when-cross-origin, unsafe-url]
  custom_headers:
    description: Further headers to add, as a mapping of header name to value.
    type: dict
    default: {}
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Security headers for the résumé site
  cloudresume.aws.cloudfront_security_headers_policy:
    name: cloudresume-security-headers
    comment: Security headers of the cloudresume site
    strict_transport_security:
      max_age: 31536000
      include_subdomains: true
    content_security_policy: "default-src 'self'; connect-src 'self' https://abc123.execute-api.us-east-2.amazonaws.com"
    content_type_options: true
    frame_options: DENY
    referrer_policy: strict-origin-when-cross-origin
  register: headers

- name: Use it in a distribution
  cloudresume.aws.cloudfront_s3_distribution:
    caller_reference: cloudresume-site
    comment: cloudresume résumé site
    origin_domain_name: cloudresume-site-123456789012.s3.us-east-2.amazonaws.com
    origin_access_control_id: E2QWRUHAPOMQZL
    response_headers_policy_id: "{{ headers.response_headers_policy.id }}"
"""

RETURN = r"""
response_headers_policy:
  description: The policy after the task, in the shape of the module's options (empty when absent).
  returned: always
  type: dict
  contains:
    id:
      description: Id of the policy, for a cache behavior's C(ResponseHeadersPolicyId).
      type: str
      sample: 5cc3b908-e619-4b99-88e5-2cf7f45965bd
    name:
      description: Name.
      type: str
    comment:
      description: Comment.
      type: str
    override:
      description: Whether the headers override the origin's.
      type: bool
    strict_transport_security:
      description: HSTS settings (the suboptions of O(strict_transport_security)), or null.
      type: dict
    content_security_policy:
      description: Content-Security-Policy, or null.
      type: str
    content_type_options:
      description: Whether X-Content-Type-Options is added.
      type: bool
    frame_options:
      description: X-Frame-Options, or null.
      type: str
    referrer_policy:
      description: Referrer-Policy, or null.
      type: str
    custom_headers:
      description: Custom headers.
      type: dict
"""

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront_configs import RESPONSE_HEADERS_POLICY
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront_configs import run_standalone


def main() -> None:
    argument_spec = dict(RESPONSE_HEADERS_POLICY.options, state=dict(type="str", default="present", choices=["present", "absent"]))
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    try:
        result = run_standalone(module, RESPONSE_HEADERS_POLICY)
    except AnsibleAWSError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
