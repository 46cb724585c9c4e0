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

from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront import NamedConfigKind
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront import NamedConfigManager
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront import from_items
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront import items
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_name

# CloudFront manages these headers itself or through SecurityHeadersConfig; a custom header cannot set them.
RESERVED_HEADERS = {"strict-transport-security", "content-security-policy", "x-content-type-options",
                    "x-frame-options", "referrer-policy", "x-xss-protection"}
RESPONSE_HEADERS_POLICY = NamedConfigKind(
    noun="response headers policy", plural="response headers policies", resource="response_headers_policy",
    list_operation="list_response_headers_policies", shape="ResponseHeadersPolicy",
    summary=lambda s: (s["ResponseHeadersPolicy"]["Id"], s["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"]["Name"]),
    list_kwargs={"Type": "custom"},
)


def to_config(p: dict[str, Any]) -> dict[str, Any]:
    """The ResponseHeadersPolicyConfig for the module's options."""
    override = p["override"]
    security: dict[str, Any] = {}
    hsts = p["strict_transport_security"]
    if hsts is not None:
        security["StrictTransportSecurity"] = {"Override": override, "AccessControlMaxAgeSec": hsts["max_age"],
                                               "IncludeSubdomains": hsts["include_subdomains"],
                                               "Preload": hsts["preload"]}
    if p["content_security_policy"] is not None:
        security["ContentSecurityPolicy"] = {"Override": override,
                                             "ContentSecurityPolicy": p["content_security_policy"]}
    if p["content_type_options"]:
        security["ContentTypeOptions"] = {"Override": override}
    if p["frame_options"] is not None:
        security["FrameOptions"] = {"Override": override, "FrameOption": p["frame_options"]}
    if p["referrer_policy"] is not None:
        security["ReferrerPolicy"] = {"Override": override, "ReferrerPolicy": p["referrer_policy"]}
    config: dict[str, Any] = {"Name": p["name"], "Comment": p["comment"], "SecurityHeadersConfig": security}
    custom = [{"Header": k, "Value": v, "Override": override} for k, v in sorted(p["custom_headers"].items())]
    if custom:
        config["CustomHeadersConfig"] = items(custom)
    return config


def view(policy_id: str, config: dict[str, Any]) -> dict[str, Any]:
    """The module's options as a policy's config expresses them (both sides of a comparison go through here)."""
    security = config.get("SecurityHeadersConfig") or {}
    hsts = security.get("StrictTransportSecurity")
    custom = from_items(config.get("CustomHeadersConfig"))
    overrides = {h["Override"] for h in security.values()} | {h["Override"] for h in custom}
    return {
        "id": policy_id,
        "name": config["Name"],
        "comment": config.get("Comment", ""),
        "override": overrides != {False},
        "strict_transport_security": None if hsts is None else {
            "max_age": hsts["AccessControlMaxAgeSec"], "include_subdomains": bool(hsts.get("IncludeSubdomains")),
            "preload": bool(hsts.get("Preload"))},
        "content_security_policy": (security.get("ContentSecurityPolicy") or {}).get("ContentSecurityPolicy"),
        "content_type_options": "ContentTypeOptions" in security,
        "frame_options": (security.get("FrameOptions") or {}).get("FrameOption"),
        "referrer_policy": (security.get("ReferrerPolicy") or {}).get("ReferrerPolicy"),
        "custom_headers": {h["Header"]: h["Value"] for h in custom},
    }


def validate(module: AnsibleAWSModule) -> None:
    p = module.params
    problem = check_name("cloudfront_policy", p["name"])
    if problem:
        module.fail_json(msg=f"name: {problem}")
    if len(p["comment"]) > 128:
        module.fail_json(msg="comment: at most 128 characters")
    hsts = p["strict_transport_security"]
    if hsts is not None and hsts["max_age"] < 0:
        module.fail_json(msg="strict_transport_security.max_age: must not be negative")
    csp = p["content_security_policy"]
    if csp is not None and not 0 < len(csp) <= 1783:
        module.fail_json(msg="content_security_policy: must be 1 to 1783 characters")
    for header in p["custom_headers"]:
        if header.lower() in RESERVED_HEADERS:
            module.fail_json(msg=f"custom_headers: {header} is a security header; use its own option instead")


def main() -> None:
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        comment=dict(type="str", default=""),
        override=dict(type="bool", default=True),
        strict_transport_security=dict(type="dict", options=dict(
            max_age=dict(type="int", default=31536000),
            include_subdomains=dict(type="bool", default=True),
            preload=dict(type="bool", default=False),
        )),
        content_security_policy=dict(type="str"),
        content_type_options=dict(type="bool", default=False),
        frame_options=dict(type="str", choices=["DENY", "SAMEORIGIN"]),
        referrer_policy=dict(type="str", choices=[
            "no-referrer", "no-referrer-when-downgrade", "origin", "origin-when-cross-origin", "same-origin",
            "strict-origin", "strict-origin-when-cross-origin", "unsafe-url"]),
        custom_headers=dict(type="dict", default={}),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)
    config = to_config(module.params) if module.params["state"] == "present" else None
    try:
        result = NamedConfigManager(module, RESPONSE_HEADERS_POLICY, view).run(
            module.params["name"], config, "response_headers_policy")
    except AnsibleAWSError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
