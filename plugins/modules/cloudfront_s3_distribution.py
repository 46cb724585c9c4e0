#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: cloudfront_s3_distribution
short_description: Manage a CloudFront distribution in front of a private S3 bucket (origin access control)
version_added: 0.1.0
description:
  - Creates, updates or deletes a CloudFront distribution for a static site kept in a private S3 bucket, with
    one S3 origin reached through an origin access control (see M(cloudresume.aws.cloudfront_origin_access_control)),
    a default cache behavior with a cache policy and an optional response headers policy, custom error
    responses, HTTP/2 and HTTP/3, compression, IPv6 and a price class.
  - The origin access control and the response headers policy are either given by id (O(origin_access_control_id),
    O(response_headers_policy_id)) or managed by the same task (O(origin_access_control), O(response_headers_policy),
    with the options of M(cloudresume.aws.cloudfront_origin_access_control) and
    M(cloudresume.aws.cloudfront_security_headers_policy), which share their code with this module). Managed here,
    each is created or updated before the distribution exactly as its own module would, found by the id the
    distribution's configuration names when that one has the given name (one C(GetOriginAccessControl) or
    C(GetResponseHeadersPolicy), no listing), else by name across every page of the account's listing. A new stack
    then costs one task instead of three, and a rerun reads neither listing.
  - In check mode the origin access control and the policy that do not exist yet are planned, and the distribution
    is planned (or compared with the current one) with "(planned)" as their id.
  - The distribution is found by O(caller_reference), which CloudFront keeps unique, so a rerun or an
    interrupted run never creates a second distribution. Only the configurations of the listed distributions
    whose comment is O(comment) or whose origin is O(origin_domain_name) are read (one, normally); other
    distributions in the account are never read beyond the listing. A distribution whose caller reference is
    ours but whose comment and origin were both changed outside this module is reported, not adopted.
  - An update reads the configuration and its ETag, changes only the settings this module manages, keeps
    everything else (logging, WAF, further cache behaviors; the aliases and the certificate unless O(aliases)
    is given), and sends it with the
    ETag as C(IfMatch). No update is sent when nothing differs; tags are updated without touching the
    configuration.
  - With O(state=absent), an enabled distribution is disabled first, then deleted once it is deployed. With
    O(origin_access_control) and O(response_headers_policy), the origin access control and the policy with those
    names are deleted after it (only O(origin_access_control.name) and O(response_headers_policy.name) matter
    then). CloudFront refuses to delete one that another distribution still uses (C(OriginAccessControlInUse),
    C(ResponseHeadersPolicyInUse)); the task then fails with the message their own modules give, after the other
    one was deleted, and a rerun once it is free deletes it.
  - Supports check mode and diff mode (the diff holds the managed origin access control and policy under the
    names of their options).
  - M(community.aws.cloudfront_distribution) documents only origin access identities and has no check mode.
author:
  - cloudresume.aws maintainers (@cloudresume)
options:
  caller_reference:
    description: Unique reference of the distribution, set when it is created; identifies it afterwards.
    type: str
    required: true
  state:
    description: Whether the distribution should exist.
    type: str
    choices: [present, absent]
    default: present
  distribution_id:
    description:
      - Id of the distribution when the caller already knows it, for example from a listing earlier in the same
        run. It is read directly (one C(GetDistribution)) and used when its caller reference is O(caller_reference);
        when no distribution has that id, or its caller reference differs, the distribution is looked for in the
        listing as without this option.
    type: str
  comment:
    description:
      - Comment of the distribution (at most 128 characters). Required with O(state=present).
      - Also identifies the distribution in the listing, with O(origin_domain_name); with O(state=absent) give
        at least one of them.
    type: str
  enabled:
    description: Whether the distribution serves requests.
    type: bool
    default: true
  origin_domain_name:
    description:
      - REST endpoint of the bucket, C(<bucket>.s3.<region>.amazonaws.com). Required with O(state=present).
      - Not the S3 website endpoint, which cannot be used with an origin access control.
    type: str
  origin_id:
    description: Id of the origin in the distribution.
    type: str
    default: s3-site
  origin_path:
    description: Folder of the bucket that is the site's root (V(/folder)), or empty for the bucket's root.
    type: str
    default: ""
  origin_access_control_id:
    description:
      - Id of the origin access control CloudFront signs its requests to the bucket with.
      - With O(state=present), this or O(origin_access_control) is required.
    type: str
  origin_access_control:
    description:
      - The origin access control to sign the requests to the bucket with, managed by this task as
        M(cloudresume.aws.cloudfront_origin_access_control) manages it (same options, without O(state), which is
        this task's O(state)); its id becomes the origin's. Mutually exclusive with O(origin_access_control_id).
      - With O(state=absent), it is deleted after the distribution.
    type: dict
    suboptions:
      name:
        description: Name of the origin access control, unique in the account (at most 64 characters).
        type: str
        required: true
      description:
        description: Description of the origin access control (at most 256 characters).
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
  default_root_object:
    description: Object returned for a request to the root URL.
    type: str
    default: index.html
  viewer_protocol_policy:
    description: What viewers may use. V(redirect-to-https) redirects HTTP requests to HTTPS.
    type: str
    choices: [allow-all, https-only, redirect-to-https]
    default: redirect-to-https
  compress:
    description: Whether CloudFront compresses (gzip, Brotli) the responses that viewers accept compressed.
    type: bool
    default: true
  cache_policy_id:
    description: Id of the cache policy of the default cache behavior. The default is the managed CachingOptimized policy.
    type: str
    default: 658327ea-f89d-4fab-a63d-7e88639e58f6
  response_headers_policy_id:
    description:
      - Id of the response headers policy of the default cache behavior; none when omitted (and
        O(response_headers_policy) is omitted too).
    type: str
  response_headers_policy:
    description:
      - The response headers policy of the default cache behavior, managed by this task as
        M(cloudresume.aws.cloudfront_security_headers_policy) manages it (same options, without O(state), which is
        this task's O(state)). Mutually exclusive with O(response_headers_policy_id).
      - A header whose option is not set is not added by the policy.
      - With O(state=absent), it is deleted after the distribution.
    type: dict
    suboptions:
      name:
        description: Name of the policy, unique in the account (letters, digits, C(-) and C(_), at most 128).
        type: str
        required: true
      comment:
        description: Comment of the policy (at most 128 characters).
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
  custom_error_responses:
    description: What CloudFront returns when the origin answers with an error; replaces the current list.
    type: list
    elements: dict
    default: []
    suboptions:
      error_code:
        description: HTTP status from the origin.
        type: int
        required: true
      response_page_path:
        description: Path of the page to return instead, starting with C(/). Requires O(custom_error_responses[].response_code).
        type: str
      response_code:
        description: HTTP status to return with O(custom_error_responses[].response_page_path).
        type: int
      error_caching_min_ttl:
        description: Seconds CloudFront caches the error.
        type: int
        default: 10
  price_class:
    description:
      - Edge locations that serve the site. V(PriceClass_100) (North America, Europe, Israel) is the cheapest;
        other viewers are served from those locations with more latency.
    type: str
    choices: [PriceClass_100, PriceClass_200, PriceClass_All]
    default: PriceClass_100
  http_version:
    description: Highest HTTP version viewers may use.
    type: str
    choices: [http1.1, http2, http3, http2and3]
    default: http2and3
  ipv6_enabled:
    description: Whether the distribution answers over IPv6.
    type: bool
    default: true
  aliases:
    description:
      - Alternate domain names (CNAMEs) the distribution answers for, replacing the current list; C([]) removes
        them. Omitted, the aliases and the viewer certificate are left as they are.
      - Aliases need O(acm_certificate_arn), a certificate covering each of them. Without aliases and without
        O(acm_certificate_arn), the distribution uses CloudFront's default C(*.cloudfront.net) certificate.
    type: list
    elements: str
  acm_certificate_arn:
    description:
      - ARN of an issued ACM certificate in us-east-1 (the only region CloudFront takes certificates from) that
        covers every alias. Served with SNI only and V(TLSv1.2_2021) as the lowest protocol viewers may use.
      - Only with O(aliases).
    type: str
  wait:
    description:
      - Wait until the distribution is deployed after a change (deletion always waits for the disable).
      - While it waits, the module reads the distribution's status every O(wait_delay) seconds and logs each
        sample (status and elapsed seconds) to the system log of the host it runs on as it happens (the
        journal or syslog, messages starting C(ansible-) and the module's name, for example
        C(journalctl -f | grep cloudfront_s3_distribution); not when C(no_target_syslog) is set). An Ansible module
        cannot print while it runs. The samples are returned in RV(waited), and a timeout names the last status
        and the time waited.
    type: bool
    default: false
  wait_timeout:
    description: How long to wait, in seconds.
    type: int
    default: 1800
  wait_delay:
    description: Seconds between two status reads while waiting (CloudFront takes minutes to deploy).
    type: int
    default: 15
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Distribution of the résumé site
  cloudresume.aws.cloudfront_s3_distribution:
    caller_reference: cloudresume-site
    comment: cloudresume résumé site
    origin_domain_name: cloudresume-site-123456789012.s3.us-east-2.amazonaws.com
    origin_access_control_id: "{{ oac.origin_access_control.id }}"
    response_headers_policy_id: "{{ headers.response_headers_policy.id }}"
    custom_error_responses:
      - error_code: 403
        response_page_path: /404.html
        response_code: 404
      - error_code: 404
        response_page_path: /404.html
        response_code: 404
    price_class: PriceClass_100
    tags:
      Stack: cloudresume
  register: site

- name: The same, with its origin access control and security headers policy managed by the same task
  cloudresume.aws.cloudfront_s3_distribution:
    caller_reference: cloudresume-site
    comment: cloudresume résumé site
    origin_domain_name: cloudresume-site-123456789012.s3.us-east-2.amazonaws.com
    origin_access_control:
      name: cloudresume-site
      description: CloudFront access to the cloudresume site bucket
    response_headers_policy:
      name: cloudresume-security-headers
      strict_transport_security:
        max_age: 31536000
      content_security_policy: "default-src 'self'"
      content_type_options: true
      frame_options: DENY
      referrer_policy: strict-origin-when-cross-origin
    tags:
      Stack: cloudresume
  register: site
# site.origin_access_control.id and site.response_headers_policy.id are their ids.

- name: Delete it (disables it and waits first)
  cloudresume.aws.cloudfront_s3_distribution:
    caller_reference: cloudresume-site
    origin_domain_name: cloudresume-site-123456789012.s3.us-east-2.amazonaws.com
    state: absent

- name: Delete it, then its origin access control and headers policy (unless another distribution uses them)
  cloudresume.aws.cloudfront_s3_distribution:
    caller_reference: cloudresume-site
    comment: cloudresume résumé site
    origin_access_control:
      name: cloudresume-site
    response_headers_policy:
      name: cloudresume-security-headers
    state: absent
"""

RETURN = r"""
distribution:
  description: The distribution after the task, in the shape of the module's options (empty when absent).
  returned: always
  type: dict
  contains:
    id:
      description: Id of the distribution (empty in check mode before it exists).
      type: str
      sample: E1ABCDEF2GHIJK
    arn:
      description: ARN of the distribution, for the bucket policy's C(AWS:SourceArn) condition.
      type: str
      sample: arn:aws:cloudfront::123456789012:distribution/E1ABCDEF2GHIJK
    domain_name:
      description: Domain name of the distribution, the site's address.
      type: str
      sample: d111111abcdef8.cloudfront.net
    status:
      description: V(InProgress) while a change deploys, then V(Deployed).
      type: str
    caller_reference:
      description: Caller reference.
      type: str
    comment:
      description: Comment.
      type: str
    enabled:
      description: Whether the distribution is enabled.
      type: bool
    origins:
      description:
        - Origins (C(id), C(domain_name), C(origin_path), C(origin_access_control_id)).
        - In check mode, C(origin_access_control_id) is "(planned)" when O(origin_access_control) does not exist yet.
      type: list
      elements: dict
    default_root_object:
      description: Default root object.
      type: str
    viewer_protocol_policy:
      description: Viewer protocol policy of the default cache behavior.
      type: str
    compress:
      description: Whether responses are compressed.
      type: bool
    allowed_methods:
      description: Methods of the default cache behavior (C(GET) and C(HEAD), also the cached ones).
      type: list
      elements: str
    cache_policy_id:
      description: Cache policy of the default cache behavior.
      type: str
    response_headers_policy_id:
      description:
        - Response headers policy of the default cache behavior, or null.
        - In check mode, "(planned)" when O(response_headers_policy) does not exist yet.
      type: str
    target_origin_id:
      description: Origin of the default cache behavior.
      type: str
    custom_error_responses:
      description: Custom error responses, sorted by error code.
      type: list
      elements: dict
    price_class:
      description: Price class.
      type: str
    http_version:
      description: HTTP version.
      type: str
    ipv6_enabled:
      description: Whether IPv6 is enabled.
      type: bool
    aliases:
      description: Alternate domain names, sorted.
      type: list
      elements: str
    acm_certificate_arn:
      description: ACM certificate viewers are served, or null for CloudFront's default certificate.
      type: str
    minimum_protocol_version:
      description: Lowest TLS version viewers may use.
      type: str
    tags:
      description: Tags.
      type: dict
origin_access_control:
  description:
    - The origin access control after the task, as M(cloudresume.aws.cloudfront_origin_access_control) returns it
      (empty when absent; its RV(origin_access_control.id) empty in check mode before it exists).
  returned: when O(origin_access_control) is given
  type: dict
  contains:
    id:
      description: Id of the origin access control, the origin's C(OriginAccessControlId).
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
response_headers_policy:
  description:
    - The response headers policy after the task, as M(cloudresume.aws.cloudfront_security_headers_policy) returns it
      (empty when absent; its RV(response_headers_policy.id) empty in check mode before it exists).
  returned: when O(response_headers_policy) is given
  type: dict
  contains:
    id:
      description: Id of the policy, the default cache behavior's C(ResponseHeadersPolicyId).
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
      description: HSTS settings (the suboptions of O(response_headers_policy.strict_transport_security)), or null.
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
waited:
  description:
    - The status samples read while waiting for CloudFront, oldest first; empty when the module did not wait.
  returned: always
  type: list
  elements: dict
  contains:
    reason:
      description: What was waited for (V(create), V(update) or V(disable before delete)).
      type: str
    elapsed_seconds:
      description: Seconds since the wait began.
      type: int
    status:
      description: The distribution's status then (V(InProgress) or V(Deployed)).
      type: str
  sample: [{"reason": "create", "elapsed_seconds": 0, "status": "InProgress"},
           {"reason": "create", "elapsed_seconds": 15, "status": "Deployed"}]
"""

import copy
import re
import time
from functools import partial
from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.arn import parse_aws_arn
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront import AnsibleCloudFrontError
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront import NamedConfigManager
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront import cloudfront_client
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront import create_distribution
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront import delete_distribution
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront import disable_distribution
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront import from_items
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront import get_distribution
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront import get_distribution_config
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront import get_distribution_status
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront import items
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront import list_distributions
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront import list_tags
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront import tag_resource
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront import untag_resource
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront import update_distribution
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront_configs import ORIGIN_ACCESS_CONTROL
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront_configs import RESPONSE_HEADERS_POLICY
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront_configs import NamedConfigSpec
from ansible_collections.cloudresume.aws.plugins.module_utils.tagging import plan_tags
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_arn
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_tags

ERROR_CODES = {400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504}
RESPONSE_CODES = {200, 400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504}
S3_REST_ENDPOINT = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\.s3(\.[a-z0-9-]+)?\.amazonaws\.com(\.cn)?")
LEGACY_CACHE_SETTINGS = ("ForwardedValues", "MinTTL", "DefaultTTL", "MaxTTL")
GET_HEAD = items(["GET", "HEAD"])
REQUIRED_WHEN_PRESENT = ["comment", "origin_domain_name"]
ACCESS_CONTROL = ["origin_access_control_id", "origin_access_control"]  # with state=present, one of them
FOUND_BY = ["comment", "origin_domain_name"]  # with state=absent, at least one
BUNDLED = (ORIGIN_ACCESS_CONTROL, RESPONSE_HEADERS_POLICY)  # options named by their result_key, ensured in this order
# The id of an origin access control or headers policy check mode plans to create, in the planned distribution.
PLANNED_ID = "(planned)"


def view(config: dict[str, Any]) -> dict[str, Any]:
    """The managed settings of a DistributionConfig, in the shape of the module's options."""
    behavior = config["DefaultCacheBehavior"]
    return {
        "caller_reference": config["CallerReference"],
        "comment": config["Comment"],
        "enabled": config["Enabled"],
        "origins": [
            {"id": o["Id"], "domain_name": o["DomainName"], "origin_path": o.get("OriginPath", ""),
             "origin_access_control_id": o.get("OriginAccessControlId") or None}
            for o in from_items(config["Origins"])
        ],
        "default_root_object": config.get("DefaultRootObject", ""),
        "target_origin_id": behavior["TargetOriginId"],
        "viewer_protocol_policy": behavior["ViewerProtocolPolicy"],
        "compress": bool(behavior.get("Compress")),
        "allowed_methods": sorted(from_items(behavior.get("AllowedMethods"))),
        "cache_policy_id": behavior.get("CachePolicyId") or None,
        "response_headers_policy_id": behavior.get("ResponseHeadersPolicyId") or None,
        "custom_error_responses": sorted(
            ({"error_code": r["ErrorCode"], "response_page_path": r.get("ResponsePagePath") or None,
              "response_code": int(r["ResponseCode"]) if r.get("ResponseCode") else None,
              "error_caching_min_ttl": r.get("ErrorCachingMinTTL")}
             for r in from_items(config.get("CustomErrorResponses"))),
            key=lambda r: r["error_code"],
        ),
        "price_class": config.get("PriceClass"),
        "http_version": config.get("HttpVersion"),
        "ipv6_enabled": config.get("IsIPV6Enabled"),
        "aliases": sorted(from_items(config.get("Aliases"))),
        "acm_certificate_arn": (config.get("ViewerCertificate") or {}).get("ACMCertificateArn") or None,
        "minimum_protocol_version": (config.get("ViewerCertificate") or {}).get("MinimumProtocolVersion"),
    }


def wanted_config(p: dict[str, Any], current: dict[str, Any] | None) -> dict[str, Any]:
    """``current`` (or a new config) with the managed settings set from the module's options."""
    config = copy.deepcopy(current) if current else {"CallerReference": p["caller_reference"]}
    old_origins = {o["Id"]: o for o in from_items(config.get("Origins"))}
    origin = dict(old_origins.get(p["origin_id"], {}), Id=p["origin_id"], DomainName=p["origin_domain_name"],
                  OriginPath=p["origin_path"], OriginAccessControlId=p["origin_access_control_id"],
                  S3OriginConfig={"OriginAccessIdentity": ""})
    origin.pop("CustomOriginConfig", None)
    behavior = dict(config.get("DefaultCacheBehavior", {}), TargetOriginId=p["origin_id"],
                    ViewerProtocolPolicy=p["viewer_protocol_policy"], Compress=p["compress"],
                    CachePolicyId=p["cache_policy_id"],
                    AllowedMethods=dict(GET_HEAD, CachedMethods=GET_HEAD))
    for key in LEGACY_CACHE_SETTINGS:  # a cache policy replaces them; AWS rejects both together
        behavior.pop(key, None)
    if p["response_headers_policy_id"]:
        behavior["ResponseHeadersPolicyId"] = p["response_headers_policy_id"]
    else:
        behavior.pop("ResponseHeadersPolicyId", None)
    config.update(
        Comment=p["comment"], Enabled=p["enabled"], DefaultRootObject=p["default_root_object"],
        Origins=items([origin]), DefaultCacheBehavior=behavior, PriceClass=p["price_class"],
        HttpVersion=p["http_version"], IsIPV6Enabled=p["ipv6_enabled"],
        CustomErrorResponses=items([error_response(r) for r in p["custom_error_responses"]]),
    )
    if p.get("aliases") is not None:  # omitted: the aliases and the certificate are left as they are
        config.update(Aliases=items(p["aliases"]), ViewerCertificate=viewer_certificate(p["acm_certificate_arn"]))
    return config


def viewer_certificate(arn: str | None) -> dict[str, Any]:
    if arn:
        return {"ACMCertificateArn": arn, "SSLSupportMethod": "sni-only", "MinimumProtocolVersion": "TLSv1.2_2021"}
    return {"CloudFrontDefaultCertificate": True, "MinimumProtocolVersion": "TLSv1"}


def error_response(r: dict[str, Any]) -> dict[str, Any]:
    response: dict[str, Any] = {"ErrorCode": r["error_code"], "ErrorCachingMinTTL": r["error_caching_min_ttl"]}
    if r["response_page_path"]:
        response.update(ResponsePagePath=r["response_page_path"], ResponseCode=str(r["response_code"]))
    return response


class DistributionManager:
    def __init__(self, module: AnsibleAWSModule) -> None:
        self.module = module
        self.params = module.params
        self.client = cloudfront_client(module)
        self.changed = False
        self.waited: list[dict[str, Any]] = []

    # ---- reading -----------------------------------------------------------------------------------------
    def find(self) -> dict[str, Any] | None:
        """``{"summary", "config", "etag"}`` of the distribution with our caller reference, or None.

        Only the listed distributions with our comment or our origin are read: never the account's others.
        """
        known = self.find_by_id(self.params["distribution_id"]) if self.params["distribution_id"] else None
        if known:
            return known
        comment, domain = self.params["comment"], self.params["origin_domain_name"]
        candidates = [s for s in list_distributions(self.client) if (comment and s.get("Comment") == comment)
                      or (domain and any(o["DomainName"] == domain for o in from_items(s["Origins"])))]
        for summary in candidates:
            result = get_distribution_config(self.client, summary["Id"])
            if result["DistributionConfig"]["CallerReference"] == self.params["caller_reference"]:
                return {"summary": summary, "config": result["DistributionConfig"], "etag": result["ETag"]}
        return None

    def find_by_id(self, distribution_id: str) -> dict[str, Any] | None:
        """The distribution with that id if its caller reference is ours (one read, no listing), else None."""
        result = get_distribution(self.client, distribution_id)
        if not result or result["Distribution"]["DistributionConfig"]["CallerReference"] != self.params["caller_reference"]:
            return None
        distribution = result["Distribution"]
        summary = {key: distribution[key] for key in ("Id", "ARN", "DomainName", "Status")}
        return {"summary": summary, "config": distribution["DistributionConfig"], "etag": result["ETag"]}

    def describe(self, found: dict[str, Any]) -> dict[str, Any]:
        summary = found["summary"]
        return {"id": summary["Id"], "arn": summary["ARN"], "domain_name": summary["DomainName"],
                "status": summary["Status"], **view(found["config"]), "tags": list_tags(self.client, summary["ARN"])}

    # ---- present -----------------------------------------------------------------------------------------
    def ensure_present(self, found: dict[str, Any] | None, before: dict[str, Any], ids: dict[str, str]) -> dict[str, Any]:
        """``ids``: the origin access control and headers policy ids ensured in this task (``<option>_id``)."""
        options = dict(self.params, **ids)
        if found is None:
            return self.create(options)
        config = wanted_config(options, found["config"])
        tag_plan = plan_tags(before["tags"], self.params["tags"], self.params["purge_tags"])
        after = dict(before, **view(config), tags=tag_plan.after)
        if view(config) != view(found["config"]):
            self.changed = True
            if not self.module.check_mode:
                result = update_distribution(self.client, before["id"], found["etag"], config)
                after.update(status=result["Distribution"]["Status"], **view(result["Distribution"]["DistributionConfig"]))
                after["status"] = self.wait(before["id"], "update") or after["status"]
        if tag_plan.changed:
            self.changed = True
            if not self.module.check_mode:
                tag_plan.apply(partial(untag_resource, self.client, before["arn"]), partial(tag_resource, self.client, before["arn"]))
        return after

    def create(self, options: dict[str, Any]) -> dict[str, Any]:
        self.changed = True
        config = wanted_config(options, None)
        tags = self.params["tags"] or {}
        planned = {"id": "", "arn": "", "domain_name": "", "status": "", **view(config), "tags": tags}
        if self.module.check_mode:
            return planned
        dist = create_distribution(self.client, config, tags)
        status = self.wait(dist["Id"], "create") or dist["Status"]
        return dict(planned, id=dist["Id"], arn=dist["ARN"], domain_name=dist["DomainName"], status=status,
                    **view(dist["DistributionConfig"]))

    def wait(self, distribution_id: str, reason: str, always: bool = False) -> str | None:
        """Poll until Deployed, recording (and logging) each status with the time waited; the last status.

        Not a botocore waiter: each sample is logged and returned as it is read, which a waiter cannot do.
        """
        if not (self.params["wait"] or always):
            return None
        started = time.monotonic()
        while True:
            status = get_distribution_status(self.client, distribution_id)
            elapsed = int(time.monotonic() - started)
            self.waited.append({"reason": reason, "elapsed_seconds": elapsed, "status": status})
            self.module.log(f"CloudFront distribution {distribution_id} ({reason}): {status} after {elapsed} s")
            if status == "Deployed":
                return status
            if elapsed >= self.params["wait_timeout"]:
                self.module.fail_json(
                    msg=f"Timed out after {elapsed} s waiting for CloudFront to deploy distribution {distribution_id} "
                    f"({reason}): still {status}; rerun later (the change goes on), or raise wait_timeout",
                    waited=self.waited)
            time.sleep(min(self.params["wait_delay"], max(1, self.params["wait_timeout"] - elapsed)))

    # ---- absent ------------------------------------------------------------------------------------------
    def ensure_absent(self, found: dict[str, Any] | None) -> dict[str, Any]:
        if found is None:
            return {}
        self.changed = True
        if self.module.check_mode:
            return {}
        distribution_id, etag = found["summary"]["Id"], found["etag"]
        if found["config"]["Enabled"]:
            etag = disable_distribution(self.client, distribution_id, etag, found["config"])
        # AWS deletes only a disabled distribution that is Deployed: also after a run interrupted during this wait.
        if found["config"]["Enabled"] or found["summary"].get("Status") != "Deployed":
            self.wait(distribution_id, "disable before delete", always=True)
        delete_distribution(self.client, distribution_id, etag)
        return {}


class Bundle:
    """The origin access control and the response headers policy given as options (``origin_access_control``,
    ``response_headers_policy``): ensured before the distribution, deleted after it, each as its own module does.

    Each is found by the id the distribution's configuration names (one Get, no listing) when that configuration
    has its name, else by name in the listing (a new stack, a renamed one, a distribution changed by hand).
    """

    def __init__(self, module: AnsibleAWSModule, client: Any) -> None:
        self.module = module
        self.parts = [(spec, spec.manager(module, client)) for spec in BUNDLED if module.params[spec.result_key]]
        self.before: dict[str, dict[str, Any]] = {}
        self.after: dict[str, dict[str, Any]] = {}

    @property
    def changed(self) -> bool:
        return any(manager.changed for _spec, manager in self.parts)

    def ensure_present(self, config: dict[str, Any] | None) -> dict[str, str]:
        """Each part as its options say; the ids the distribution takes (``<option>_id``, planned in check mode)."""
        ids: dict[str, str] = {}
        for spec, manager in self.parts:
            self._ensure(spec, manager, config, present=True)
            ids[f"{spec.result_key}_id"] = self.after[spec.result_key]["id"] or PLANNED_ID
        return ids

    def ensure_absent(self, config: dict[str, Any] | None) -> None:
        """Each part deleted (``config``: the deleted distribution's). One that CloudFront refuses to delete, being
        in use by another distribution, fails the task as its own module does, once the other was tried too."""
        errors: list[AnsibleCloudFrontError] = []
        for spec, manager in self.parts:
            try:
                self._ensure(spec, manager, config, present=False)
            except AnsibleCloudFrontError as e:
                errors.append(e)
        if len(errors) > 1:
            raise AnsibleCloudFrontError(message="; ".join(str(e) for e in errors))
        if errors:
            raise errors[0]

    def _ensure(self, spec: NamedConfigSpec, manager: NamedConfigManager, config: dict[str, Any] | None, present: bool) -> None:
        options = self.module.params[spec.result_key]
        wanted = spec.to_config(options) if present else None
        known_id = named_ids(config, self.module.params["origin_id"]).get(spec.result_key)
        self.before[spec.result_key], self.after[spec.result_key] = manager.ensure(options["name"], wanted, known_id)

    def results(self) -> dict[str, dict[str, Any]]:
        return {spec.result_key: self.after.get(spec.result_key, {}) for spec, _manager in self.parts}


def named_ids(config: dict[str, Any] | None, origin_id: str) -> dict[str, str]:
    """The origin access control id of the origin ``origin_id`` and the response headers policy id of the default
    cache behavior of a DistributionConfig (None: no distribution), by the names of the module's options."""
    if not config:
        return {}
    origin = next((o for o in from_items(config["Origins"]) if o["Id"] == origin_id), {})
    return {"origin_access_control": origin.get("OriginAccessControlId") or "",
            "response_headers_policy": config["DefaultCacheBehavior"].get("ResponseHeadersPolicyId") or ""}


def validate(module: AnsibleAWSModule) -> None:
    p = module.params
    problem = check_tags(p["tags"]) if p["tags"] is not None else None
    if problem:
        module.fail_json(msg=f"tags: {problem}")
    if not p["caller_reference"]:
        module.fail_json(msg="caller_reference: must not be empty")
    if p["wait_timeout"] < 1:
        module.fail_json(msg="wait_timeout: must be at least 1 second")
    if p["wait_delay"] < 1:
        module.fail_json(msg="wait_delay: must be at least 1 second")
    for spec in BUNDLED:
        problem = spec.check(p[spec.result_key]) if p[spec.result_key] else None
        if problem:
            module.fail_json(msg=f"{spec.result_key}.{problem}")
    # required_if rejects a missing option; an option given as null or empty gets the same answer here.
    if p["state"] == "absent":
        if not (p["comment"] or p["origin_domain_name"]):
            module.fail_json(msg="comment or origin_domain_name: give one to find the distribution by (state=absent)")
        return
    for field in REQUIRED_WHEN_PRESENT:
        if not p[field]:
            module.fail_json(msg=f"{field}: required with state=present")
    if not (p["origin_access_control_id"] or p["origin_access_control"]):
        module.fail_json(msg="origin_access_control_id: required with state=present (or origin_access_control)")
    if len(p["comment"]) > 128:
        module.fail_json(msg="comment: at most 128 characters")
    if not S3_REST_ENDPOINT.fullmatch(p["origin_domain_name"]):
        module.fail_json(msg=f"origin_domain_name: {p['origin_domain_name']!r} is not an S3 REST endpoint "
                         "(<bucket>.s3.<region>.amazonaws.com)")
    if p["origin_path"] and (not p["origin_path"].startswith("/") or p["origin_path"].endswith("/")):
        module.fail_json(msg="origin_path: must start with '/' and not end with '/' (or be empty)")
    if p["default_root_object"].startswith("/"):
        module.fail_json(msg="default_root_object: an object name, without a leading '/'")
    validate_error_responses(module, p["custom_error_responses"])
    validate_aliases(module, p["aliases"], p["acm_certificate_arn"])


def validate_aliases(module: AnsibleAWSModule, aliases: list[str] | None, arn: str | None) -> None:
    if arn and aliases is None:
        module.fail_json(msg="acm_certificate_arn: only with aliases")
    if arn and (check_arn(arn, "acm", "certificate", r"[0-9a-f-]{36}") or parse_aws_arn(arn)["region"] != "us-east-1"):
        module.fail_json(msg=f"acm_certificate_arn: {arn!r} is not the ARN of an ACM certificate in us-east-1, "
                         "the only region CloudFront takes certificates from")
    if aliases and not arn:
        module.fail_json(msg="aliases: CloudFront serves aliases only with acm_certificate_arn, a certificate covering them")
    if aliases is not None and len({a.lower() for a in aliases}) != len(aliases):
        module.fail_json(msg="aliases: each name may appear once")


def validate_error_responses(module: AnsibleAWSModule, responses: list[dict[str, Any]]) -> None:
    codes = [r["error_code"] for r in responses]
    if len(codes) != len(set(codes)):
        module.fail_json(msg="custom_error_responses: each error_code may appear once")
    for i, r in enumerate(responses):
        where = f"custom_error_responses[{i}]"
        if r["error_code"] not in ERROR_CODES:
            module.fail_json(msg=f"{where}.error_code: {r['error_code']} is not one of {sorted(ERROR_CODES)}")
        if bool(r["response_page_path"]) != (r["response_code"] is not None):  # required_together, or one empty
            module.fail_json(msg=f"{where}: response_page_path and response_code go together")
        if r["response_page_path"] and not r["response_page_path"].startswith("/"):
            module.fail_json(msg=f"{where}.response_page_path: must start with '/'")
        if r["response_code"] is not None and r["response_code"] not in RESPONSE_CODES:
            module.fail_json(msg=f"{where}.response_code: {r['response_code']} is not one of {sorted(RESPONSE_CODES)}")
        if r["error_caching_min_ttl"] < 0:
            module.fail_json(msg=f"{where}.error_caching_min_ttl: must not be negative")


def main() -> None:
    argument_spec = dict(
        caller_reference=dict(type="str", required=True),
        distribution_id=dict(type="str"),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        comment=dict(type="str"),
        enabled=dict(type="bool", default=True),
        origin_domain_name=dict(type="str"),
        origin_id=dict(type="str", default="s3-site"),
        origin_path=dict(type="str", default=""),
        origin_access_control_id=dict(type="str"),
        default_root_object=dict(type="str", default="index.html"),
        viewer_protocol_policy=dict(type="str", default="redirect-to-https",
                                    choices=["allow-all", "https-only", "redirect-to-https"]),
        compress=dict(type="bool", default=True),
        cache_policy_id=dict(type="str", default="658327ea-f89d-4fab-a63d-7e88639e58f6"),
        response_headers_policy_id=dict(type="str"),
        origin_access_control=dict(type="dict", options=ORIGIN_ACCESS_CONTROL.options),
        response_headers_policy=dict(type="dict", options=RESPONSE_HEADERS_POLICY.options),
        custom_error_responses=dict(type="list", elements="dict", default=[], options=dict(
            error_code=dict(type="int", required=True),
            response_page_path=dict(type="str"),
            response_code=dict(type="int"),
            error_caching_min_ttl=dict(type="int", default=10),
        ), required_together=[["response_page_path", "response_code"]]),
        price_class=dict(type="str", default="PriceClass_100",
                         choices=["PriceClass_100", "PriceClass_200", "PriceClass_All"]),
        http_version=dict(type="str", default="http2and3", choices=["http1.1", "http2", "http3", "http2and3"]),
        ipv6_enabled=dict(type="bool", default=True),
        aliases=dict(type="list", elements="str"),
        acm_certificate_arn=dict(type="str"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        wait=dict(type="bool", default=False),
        wait_timeout=dict(type="int", default=1800),
        wait_delay=dict(type="int", default=15),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        required_if=[("state", "present", REQUIRED_WHEN_PRESENT), ("state", "present", ACCESS_CONTROL, True),
                     ("state", "absent", FOUND_BY, True)],
        mutually_exclusive=[("origin_access_control_id", "origin_access_control"),
                            ("response_headers_policy_id", "response_headers_policy")],
    )
    validate(module)
    manager = DistributionManager(module)
    bundle = Bundle(module, manager.client)
    try:
        found = manager.find()
        before = manager.describe(found) if found else {}
        config = found["config"] if found else None
        if module.params["state"] == "present":
            distribution = manager.ensure_present(found, before, bundle.ensure_present(config))
        else:
            distribution = manager.ensure_absent(found)
            bundle.ensure_absent(config)
    except AnsibleAWSError as e:
        module.fail_json_aws_error(e)
    result: dict[str, Any] = {"changed": manager.changed or bundle.changed, "distribution": distribution,
                              "waited": manager.waited, **bundle.results()}
    if module._diff:
        volatile = ("status",)
        result["diff"] = {"before": {k: v for k, v in before.items() if k not in volatile} | bundle.before,
                          "after": {k: v for k, v in distribution.items() if k not in volatile} | bundle.after}
    module.exit_json(**result)


if __name__ == "__main__":
    main()
