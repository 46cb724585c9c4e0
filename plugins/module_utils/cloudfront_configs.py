# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The origin access control and the security headers policy: their options, checks, configuration and view.

Defined once, for their own modules (``cloudfront_origin_access_control``, ``cloudfront_security_headers_policy``)
and for ``cloudfront_s3_distribution``, whose ``origin_access_control`` and ``response_headers_policy`` options take
the same options and are ensured, with :class:`~.cloudfront.NamedConfigManager`, in the distribution's process.
A check's message starts with the option's name; the distribution's module puts its own option's name before it
(``origin_access_control.name: ...``).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront import NamedConfigKind
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront import NamedConfigManager
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront import from_items
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront import items
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_name


@dataclass(frozen=True)
class NamedConfigSpec:
    """A configuration a module keeps by name: its Ansible options (``state`` aside), how they become the
    configuration CloudFront takes (``to_config``) and how a configuration reads back as the options (``view``,
    the module's return value), and ``check``, the options' limits (a message naming the option, or None)."""

    kind: NamedConfigKind
    result_key: str
    options: dict[str, Any]
    to_config: Callable[[dict[str, Any]], dict[str, Any]]
    view: Callable[[str, dict[str, Any]], dict[str, Any]]
    check: Callable[[dict[str, Any]], str | None]

    def manager(self, module: AnsibleAWSModule, client: Any = None) -> NamedConfigManager:
        return NamedConfigManager(module, self.kind, self.view, client)


# ---- origin access control -----------------------------------------------------------------------------------
OAC_FIELDS = {
    "name": "Name",
    "description": "Description",
    "origin_type": "OriginAccessControlOriginType",
    "signing_behavior": "SigningBehavior",
    "signing_protocol": "SigningProtocol",
}


def oac_view(control_id: str, config: dict[str, Any]) -> dict[str, Any]:
    return {"id": control_id, **{option: config.get(key, "") for option, key in OAC_FIELDS.items()}}


def oac_config(params: dict[str, Any]) -> dict[str, Any]:
    return {key: params[option] for option, key in OAC_FIELDS.items()}


def oac_check(params: dict[str, Any]) -> str | None:
    problem = check_name("cloudfront_oac", params["name"])
    if problem:
        return f"name: {problem}"
    if len(params["description"]) > 256:
        return "description: at most 256 characters"
    return None


ORIGIN_ACCESS_CONTROL = NamedConfigSpec(
    kind=NamedConfigKind(
        noun="origin access control", plural="origin access controls", resource="origin_access_control",
        list_operation="list_origin_access_controls", shape="OriginAccessControl",
        summary=lambda s: (s["Id"], s["Name"]),
    ),
    result_key="origin_access_control",
    options=dict(
        name=dict(type="str", required=True),
        description=dict(type="str", default=""),
        origin_type=dict(type="str", default="s3", choices=["s3", "mediastore", "mediapackagev2", "lambda"]),
        signing_behavior=dict(type="str", default="always", choices=["always", "never", "no-override"]),
        signing_protocol=dict(type="str", default="sigv4", choices=["sigv4"]),
    ),
    to_config=oac_config,
    view=oac_view,
    check=oac_check,
)


# ---- security headers policy ---------------------------------------------------------------------------------
# CloudFront manages these headers itself or through SecurityHeadersConfig; a custom header cannot set them.
RESERVED_HEADERS = {"strict-transport-security", "content-security-policy", "x-content-type-options",
                    "x-frame-options", "referrer-policy", "x-xss-protection"}


def headers_config(p: dict[str, Any]) -> dict[str, Any]:
    """The ResponseHeadersPolicyConfig for the options."""
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


def headers_view(policy_id: str, config: dict[str, Any]) -> dict[str, Any]:
    """The options as a policy's config expresses them (both sides of a comparison go through here)."""
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


def headers_check(p: dict[str, Any]) -> str | None:
    problem = check_name("cloudfront_policy", p["name"])
    if problem:
        return f"name: {problem}"
    if len(p["comment"]) > 128:
        return "comment: at most 128 characters"
    hsts = p["strict_transport_security"]
    if hsts is not None and hsts["max_age"] < 0:
        return "strict_transport_security.max_age: must not be negative"
    csp = p["content_security_policy"]
    if csp is not None and not 0 < len(csp) <= 1783:
        return "content_security_policy: must be 1 to 1783 characters"
    for header in p["custom_headers"]:
        if header.lower() in RESERVED_HEADERS:
            return f"custom_headers: {header} is a security header; use its own option instead"
    return None


RESPONSE_HEADERS_POLICY = NamedConfigSpec(
    kind=NamedConfigKind(
        noun="response headers policy", plural="response headers policies", resource="response_headers_policy",
        list_operation="list_response_headers_policies", shape="ResponseHeadersPolicy",
        summary=lambda s: (s["ResponseHeadersPolicy"]["Id"],
                           s["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"]["Name"]),
        list_kwargs={"Type": "custom"},
    ),
    result_key="response_headers_policy",
    options=dict(
        name=dict(type="str", required=True),
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
    ),
    to_config=headers_config,
    view=headers_view,
    check=headers_check,
)


def run_standalone(module: AnsibleAWSModule, spec: NamedConfigSpec) -> dict[str, Any]:
    """The result of a module that manages one configuration of ``spec`` (its options and ``state``)."""
    problem = spec.check(module.params)
    if problem:
        module.fail_json(msg=problem)
    config = spec.to_config(module.params) if module.params["state"] == "present" else None
    return spec.manager(module).run(module.params["name"], config, spec.result_key)
