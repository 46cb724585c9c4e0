#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: http_api_domain
short_description: A Regional API Gateway custom domain name with the API mapping of an HTTP API's stage
version_added: 0.1.0
description:
  - Creates or updates an API Gateway (v2) Regional custom domain name O(domain_name) served with the ACM
    certificate O(certificate_arn) (in the module's region), and maps O(api_id)'s stage O(stage) to it under
    O(api_mapping_key), so that C(https://<domain_name>/<path>) serves the API.
  - Reads the domain name with C(GetDomainName) and, when it exists, its mappings with C(GetApiMappings); nothing
    else of the account is read.
  - The module tags the domain names it creates with C(cloudresume.aws.http_api_domain) (in the same call). A
    domain name without that tag was made elsewhere and is never changed or deleted; the task fails naming it.
  - With O(state=absent), the mapping under O(api_mapping_key) and then the domain name are deleted. A domain name
    that has mappings under other keys (added outside this module) is not deleted; the task fails naming them.
  - The module does not write the domain name's DNS record (an alias to RV(domain.target_domain_name) in
    RV(domain.hosted_zone_id)); M(cloudresume.aws.route53_alias_records) does that.
  - Supports check mode and diff mode.
  - Neither amazon.aws nor community.aws has a module for API Gateway v2 custom domain names or API mappings.
author:
  - cloudresume.aws maintainers (@cloudresume)
options:
  domain_name:
    description: The custom domain name, lower case, for example C(api.example.com).
    type: str
    required: true
  state:
    description: Whether the domain name and its mapping should exist.
    type: str
    choices: [present, absent]
    default: present
  certificate_arn:
    description:
      - ARN of the ACM certificate that covers O(domain_name), in the module's region and C(ISSUED). Required with
        O(state=present).
    type: str
  security_policy:
    description: The minimum TLS version the domain name accepts.
    type: str
    choices: [TLS_1_2, TLS_1_0]
    default: TLS_1_2
  ip_address_type:
    description:
      - V(dualstack) serves IPv4 and IPv6 (an AAAA alias record then resolves); V(ipv4) serves IPv4 only.
    type: str
    choices: [dualstack, ipv4]
    default: dualstack
  api_id:
    description: Id of the HTTP API to map. Required with O(state=present).
    type: str
  stage:
    description: The API's stage to map.
    type: str
    default: $default
  api_mapping_key:
    description:
      - The path under which the stage is served; empty serves it at the root of the domain name.
      - No leading or trailing C(/), no C(//).
    type: str
    default: ""
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - The ownership tag C(cloudresume.aws.http_api_domain) is always kept, also with O(purge_tags=true).
  - A Regional custom domain name costs nothing beyond the API's requests; its DNS name resolves once the record
    that points at it has propagated.
"""

EXAMPLES = r"""
- name: Serve the counter API at https://api.example.com
  cloudresume.aws.http_api_domain:
    domain_name: api.example.com
    certificate_arn: arn:aws:acm:us-east-2:123456789012:certificate/12345678-1234-1234-1234-123456789012
    api_id: a1b2c3d4e5
    tags:
      Stack: cloudresume
  register: api_domain

- name: Point the name at it (A and AAAA)
  cloudresume.aws.route53_alias_records:
    hosted_zone_id: Z0123456789ABCDEFGHIJ
    names: [api.example.com]
    target: "{{ api_domain.domain.target_domain_name }}"
    target_hosted_zone_id: "{{ api_domain.domain.hosted_zone_id }}"

- name: Remove the mapping and the domain name
  cloudresume.aws.http_api_domain:
    domain_name: api.example.com
    state: absent
"""

RETURN = r"""
domain:
  description:
    - The domain name after the task (empty when absent; with O(state=absent), a domain name made elsewhere is
      kept and returned). In check mode, what it would look like.
  returned: always
  type: dict
  contains:
    domain_name:
      description: The custom domain name.
      type: str
      sample: api.example.com
    arn:
      description: ARN of the domain name (empty in check mode before it exists).
      type: str
      sample: arn:aws:apigateway:us-east-2::/domainnames/api.example.com
    certificate_arn:
      description: The certificate it is served with.
      type: str
    security_policy:
      description: C(TLS_1_2) or C(TLS_1_0).
      type: str
    ip_address_type:
      description: C(dualstack) or C(ipv4).
      type: str
    endpoint_type:
      description: Always C(REGIONAL).
      type: str
    target_domain_name:
      description: The Regional API Gateway name a DNS record points at (empty in check mode before it exists).
      type: str
      sample: d-abcde12345.execute-api.us-east-2.amazonaws.com
    hosted_zone_id:
      description: The Route 53 zone of that name, for an alias record (empty in check mode before it exists).
      type: str
      sample: ZOJJZC49E0EPZ
    status:
      description: C(AVAILABLE), C(UPDATING), ... or C((planned)) in check mode before it exists.
      type: str
    tags:
      description: Tags of the domain name.
      type: dict
mapping:
  description: The API mapping under O(api_mapping_key) after the task (empty when absent).
  returned: always
  type: dict
  contains:
    api_mapping_id:
      description: Id of the mapping (empty in check mode before it exists).
      type: str
    api_id:
      description: The mapped API.
      type: str
    stage:
      description: The mapped stage.
      type: str
    api_mapping_key:
      description: The path it is served under.
      type: str
previous:
  description:
    - The domain name before the task, in the shape of RV(domain) (empty when there was none). With
      O(state=absent), its C(target_domain_name) names the target whose DNS records now point nowhere.
  returned: always
  type: dict
url:
  description: C(https://<domain_name>[/<api_mapping_key>]), or empty when absent.
  returned: always
  type: str
  sample: https://api.example.com
"""

import re
from functools import partial
from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.cloudresume.aws.plugins.module_utils import api_domains as calls
from ansible_collections.cloudresume.aws.plugins.module_utils.apigatewayv2 import HttpApiError
from ansible_collections.cloudresume.aws.plugins.module_utils.apigatewayv2 import tag_resource
from ansible_collections.cloudresume.aws.plugins.module_utils.apigatewayv2 import untag_resource
from ansible_collections.cloudresume.aws.plugins.module_utils.tagging import plan_tags
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import MAX_TAGS
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import UUID
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import InvalidInput
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_arn
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_domain_names
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_tags
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import require

OWNERSHIP_TAG = "cloudresume.aws.http_api_domain"
_API_ID = re.compile(r"[a-z0-9]{1,64}")
_STAGE = re.compile(r"\$default|[A-Za-z0-9_-]{1,128}")
_MAPPING_KEY = re.compile(r"(?!/)(?!.*//)(?!.*/\Z)[A-Za-z0-9._~/-]{0,1024}")


def validate(params: dict[str, Any], region: str) -> None:
    """Every input, before any AWS call; InvalidInput names the field."""
    require("domain_name", check_domain_names([params["domain_name"]], 1))
    require("api_mapping_key", None if _MAPPING_KEY.fullmatch(params["api_mapping_key"]) else
            f"{params['api_mapping_key']!r} is not a mapping key (letters, digits, '._~-' and inner single '/')")
    if params["tags"] is not None:
        if OWNERSHIP_TAG in params["tags"]:
            raise InvalidInput(f"tags: the tag {OWNERSHIP_TAG} is reserved for the module")
        require("tags", check_tags(params["tags"], max_count=MAX_TAGS - 1))
    if params["state"] == "absent":
        return
    for option in ("certificate_arn", "api_id"):
        if not params[option]:
            raise InvalidInput(f"{option}: required with state=present")
    require("certificate_arn", check_arn(params["certificate_arn"], "acm", "certificate", UUID))
    certificate_region = params["certificate_arn"].split(":")[3]
    if certificate_region != region:
        raise InvalidInput(f"certificate_arn: the certificate is in {certificate_region}; a Regional custom domain "
                           f"name needs a certificate in its own region, {region}")
    require("api_id", None if _API_ID.fullmatch(params["api_id"]) else f"{params['api_id']!r} is not an API id")
    require("stage", None if _STAGE.fullmatch(params["stage"]) else f"{params['stage']!r} is not a stage name")


def domain_view(domain: dict[str, Any]) -> dict[str, Any]:
    if not domain:
        return {}
    config = (domain.get("DomainNameConfigurations") or [{}])[0]
    return {
        "domain_name": domain["DomainName"],
        "arn": domain.get("DomainNameArn") or "",
        "certificate_arn": config.get("CertificateArn") or "",
        "security_policy": config.get("SecurityPolicy") or "",
        "ip_address_type": config.get("IpAddressType") or "ipv4",
        "endpoint_type": config.get("EndpointType") or "",
        "target_domain_name": config.get("ApiGatewayDomainName") or "",
        "hosted_zone_id": config.get("HostedZoneId") or "",
        "status": config.get("DomainNameStatus") or "",
        "tags": dict(domain.get("Tags") or {}),
    }


def mapping_view(mapping: dict[str, Any] | None) -> dict[str, Any]:
    if not mapping:
        return {}
    return {"api_mapping_id": mapping.get("ApiMappingId") or "", "api_id": mapping["ApiId"],
            "stage": mapping["Stage"], "api_mapping_key": mapping.get("ApiMappingKey") or ""}


class DomainManager:
    def __init__(self, module: AnsibleAWSModule) -> None:
        self.module = module
        self.params = module.params
        self.name = module.params["domain_name"]
        self.client = module.client("apigatewayv2", retry_decorator=AWSRetry.jittered_backoff())
        self.changed = False
        self.mapping_before: dict[str, Any] = {}

    def find(self) -> tuple[dict[str, Any] | None, bool]:
        """The domain name (or None), and whether this module made it (its ownership tag)."""
        domain = calls.get_domain_name(self.client, self.name)
        owned = domain is not None and (domain.get("Tags") or {}).get(OWNERSHIP_TAG) == self.name
        if domain is not None and not owned:
            message = (f"domain_name: the custom domain name {self.name} exists in {self.module.region} without the "
                       f"tag {OWNERSHIP_TAG}: it was made elsewhere, and the module never changes or deletes it. ")
            if self.params["state"] == "present":
                self.module.fail_json(msg=message + "Delete it (or choose another name). Nothing was changed.")
            self.module.warn(message + "It was left as it is.")
        return domain, owned

    def ours(self, mappings: list[dict[str, Any]]) -> dict[str, Any] | None:
        return next((m for m in mappings if (m.get("ApiMappingKey") or "") == self.params["api_mapping_key"]), None)

    # ---- present --------------------------------------------------------------------------------------------
    def configuration(self) -> dict[str, str]:
        return {"CertificateArn": self.params["certificate_arn"], "EndpointType": "REGIONAL",
                "SecurityPolicy": self.params["security_policy"], "IpAddressType": self.params["ip_address_type"]}

    def ensure_present(self, domain: dict[str, Any] | None) -> tuple[dict[str, Any], dict[str, Any]]:
        if domain is None:
            return self.create()
        domain = self.update(domain)
        mapping = self.ours(calls.get_api_mappings(self.client, self.name))
        self.mapping_before = mapping_view(mapping)
        return domain, self.ensure_mapping(mapping)

    def create(self) -> tuple[dict[str, Any], dict[str, Any]]:
        self.changed = True
        tags = dict(self.params["tags"] or {}, **{OWNERSHIP_TAG: self.name})
        wanted = {"ApiId": self.params["api_id"], "Stage": self.params["stage"],
                  "ApiMappingKey": self.params["api_mapping_key"]}
        if self.module.check_mode:
            planned = {"DomainName": self.name, "Tags": tags, "DomainNameConfigurations": [
                dict(self.configuration(), DomainNameStatus="(planned)")]}
            return planned, wanted
        domain = calls.create_domain_name(self.client, self.name, self.configuration(), tags)
        mapping = calls.create_api_mapping(self.client, self.name, self.params["api_id"], self.params["stage"],
                                           self.params["api_mapping_key"])
        return domain, mapping

    def update(self, domain: dict[str, Any]) -> dict[str, Any]:
        current = (domain.get("DomainNameConfigurations") or [{}])[0]
        wanted = self.configuration()
        if any((current.get(k) or ("ipv4" if k == "IpAddressType" else "")) != v for k, v in wanted.items()):
            self.changed = True
            if self.module.check_mode:
                domain = dict(domain, DomainNameConfigurations=[dict(current, **wanted)])
            else:
                domain = dict(calls.update_domain_name(self.client, self.name, wanted), Tags=domain.get("Tags"))
        wanted_tags = None if self.params["tags"] is None else dict(self.params["tags"], **{OWNERSHIP_TAG: self.name})
        plan = plan_tags(dict(domain.get("Tags") or {}), wanted_tags, self.params["purge_tags"])
        if plan.changed:
            self.changed = True
            if not self.module.check_mode:
                arn = domain["DomainNameArn"]
                plan.apply(partial(untag_resource, self.client, arn), partial(tag_resource, self.client, arn))
        return dict(domain, Tags=plan.after)

    def ensure_mapping(self, mapping: dict[str, Any] | None) -> dict[str, Any]:
        api_id, stage, key = self.params["api_id"], self.params["stage"], self.params["api_mapping_key"]
        if mapping is not None and (mapping["ApiId"], mapping["Stage"]) == (api_id, stage):
            return mapping
        self.changed = True
        if self.module.check_mode:
            return dict(mapping or {}, ApiId=api_id, Stage=stage, ApiMappingKey=key)
        if mapping is None:
            return calls.create_api_mapping(self.client, self.name, api_id, stage, key)
        return calls.update_api_mapping(self.client, self.name, mapping["ApiMappingId"], api_id, stage)

    # ---- absent ---------------------------------------------------------------------------------------------
    def ensure_absent(self, domain: dict[str, Any]) -> None:
        mappings = calls.get_api_mappings(self.client, self.name)
        ours = self.ours(mappings)
        self.mapping_before = mapping_view(ours)
        others = [m for m in mappings if m is not ours]
        if others:
            listed = ", ".join(f"'{m.get('ApiMappingKey') or ''}' -> API {m['ApiId']} stage {m['Stage']}" for m in others)
            self.module.fail_json(msg=f"domain_name: {self.name} also has the API mappings {listed}, which this "
                                  "module did not make; remove them first. Nothing was deleted.")
        self.changed = True
        if not self.module.check_mode:
            if ours is not None:
                calls.delete_api_mapping(self.client, self.name, ours["ApiMappingId"])
            calls.delete_domain_name(self.client, self.name)


def argument_spec() -> dict[str, Any]:
    return {
        "domain_name": {"type": "str", "required": True},
        "state": {"type": "str", "choices": ["present", "absent"], "default": "present"},
        "certificate_arn": {"type": "str"},
        "security_policy": {"type": "str", "choices": ["TLS_1_2", "TLS_1_0"], "default": "TLS_1_2"},
        "ip_address_type": {"type": "str", "choices": ["dualstack", "ipv4"], "default": "dualstack"},
        "api_id": {"type": "str"},
        "stage": {"type": "str", "default": "$default"},
        "api_mapping_key": {"type": "str", "default": "", "no_log": False},
        "tags": {"type": "dict", "aliases": ["resource_tags"]},
        "purge_tags": {"type": "bool", "default": True},
    }


def main() -> None:
    module = AnsibleAWSModule(argument_spec=argument_spec(), supports_check_mode=True,
                              required_if=[("state", "present", ["certificate_arn", "api_id"])])
    module.params["domain_name"] = module.params["domain_name"].lower().rstrip(".")
    try:
        validate(module.params, module.region)
    except InvalidInput as e:
        module.fail_json(msg=str(e))
    manager = DomainManager(module)
    try:
        domain, owned = manager.find()
        before = domain_view(domain or {})
        if module.params["state"] == "present":
            after_domain, after_mapping = manager.ensure_present(domain)
            after, mapping = domain_view(after_domain), mapping_view(after_mapping)
        elif owned:
            manager.ensure_absent(domain)
            after, mapping = {}, {}
        else:  # none, or one made elsewhere: left as it is
            after, mapping = before, {}
    except HttpApiError as e:
        module.fail_json_aws_error(e)
    key = module.params["api_mapping_key"]
    url = f"https://{manager.name}{'/' + key if key else ''}" if after else ""
    module.exit_json(changed=manager.changed, domain=after, mapping=mapping, url=url, previous=before,
                     diff={"before": {"domain": before, "mapping": manager.mapping_before},
                           "after": {"domain": after, "mapping": mapping}})


if __name__ == "__main__":
    main()
