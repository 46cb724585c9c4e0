"""API Gateway v2 custom domain names and API mappings in the shape AWS documents (moto 5.2.5 checks almost nothing).

- ``CreateDomainName`` and ``UpdateDomainName`` (which moto lacks) check each domain name configuration as AWS does:
  only ``REGIONAL`` endpoints; an ACM certificate of the caller's account in the API's region that exists, is
  ``ISSUED`` and covers the name (exactly or by a one-label wildcard), else ``BadRequestException``; a security
  policy ``TLS_1_0`` or ``TLS_1_2`` (default ``TLS_1_2``). The answer carries what AWS adds:
  ``ApiGatewayDomainName`` (``d-<10 characters>.execute-api.<region>.amazonaws.com``), ``HostedZoneId`` (the
  region's API Gateway zone from AWS's endpoints table), ``DomainNameStatus`` ``AVAILABLE``, ``EndpointType``,
  ``SecurityPolicy`` and ``IpAddressType`` (``ipv4`` unless ``dualstack`` is asked). moto stores the configuration
  as sent.
- A custom domain name is unique in a region across all accounts: a second one is a ``ConflictException``
  (moto checked the caller's own account only).
- ``TagResource``/``UntagResource`` of a domain name's ARN show in ``GetDomainName`` (moto kept the tags of the
  creation only), and ``GetTags`` of that ARN answers the creation's tags too.
- ``GetApiMappings`` of an unknown domain name is a ``NotFoundException`` (moto answered an empty list);
  ``CreateApiMapping`` checks that the stage exists (``NotFoundException``) and that no other mapping of the
  domain has the key (``ConflictException``); ``UpdateApiMapping`` (which moto lacks) makes the same checks;
  ``DeleteDomainName`` of a domain with mappings removes them with
  it (moto failed with a 500 while deleting them).
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

from moto.apigatewayv2.exceptions import APIGatewayV2Error, ApiMappingNotFound, BadRequestException, \
    DomainNameAlreadyExists, DomainNameNotFound
from moto.apigatewayv2.models import ApiGatewayV2Backend, ApiMapping, DomainName
from moto.apigatewayv2.responses import ApiGatewayV2Response
from moto.core.responses import TYPE_RESPONSE

from .cloudfront_certificates import covers

# The hosted zone of API Gateway's regional endpoints per region (AWS General Reference, "Amazon API Gateway
# endpoints and quotas"): the alias target zone of a Route 53 record that points at a regional custom domain name.
REGIONAL_ZONES = {
    "us-east-1": "Z1UJRXOUMOOFQ8", "us-east-2": "ZOJJZC49E0EPZ", "us-west-1": "Z2MUQ32089INYE",
    "us-west-2": "Z2OJLYMUO9EFXC", "af-south-1": "Z2DHW2332DAMTN", "ap-east-1": "Z3FD1VL90ND7K5",
    "ap-south-1": "Z3VO1THU9YC4UR", "ap-northeast-1": "Z1YSHQZHG15GKL", "ap-northeast-2": "Z20JF4UZKIW1U8",
    "ap-northeast-3": "Z22ILHG95FLSZ2", "ap-southeast-1": "ZL327KTPIQFUL", "ap-southeast-2": "Z2RPCDW04V8134",
    "ca-central-1": "Z19DQILCV0OWEC", "eu-central-1": "Z1U9ULNL0V5AJ3", "eu-west-1": "ZLY8HYME6SFDD",
    "eu-west-2": "ZJ5UAJN8Y3Z2Q", "eu-west-3": "Z3KY65QIEKYHQQ", "eu-north-1": "Z3UWIKFBOOGXPP",
    "eu-south-1": "Z3BT4WSQ9TDYZV", "me-south-1": "Z20ZBPC0SS8806", "sa-east-1": "ZCMLWB8V5SYIT",
}
SECURITY_POLICIES = ("TLS_1_0", "TLS_1_2")
IP_ADDRESS_TYPES = ("ipv4", "dualstack")


class ConflictException(APIGatewayV2Error):
    code = 409

    def __init__(self, message: str) -> None:
        super().__init__("ConflictException", message)


class StageNotFound(APIGatewayV2Error):
    code = 404

    def __init__(self, stage: str) -> None:
        super().__init__("NotFoundException", f"Invalid stage identifier specified {stage}")


def _certificate_names(backend: ApiGatewayV2Backend, arn: str) -> list[str]:
    """The names the ISSUED ACM certificate ``arn`` of the backend's account and region covers."""
    from moto.acm.models import acm_backends

    parts = arn.split(":")
    if len(parts) < 6 or parts[2] != "acm" or parts[3] != backend.region_name or parts[4] != backend.account_id:
        raise BadRequestException(f"Certificate {arn} not found in account {backend.account_id} and region "
                                  f"{backend.region_name}: a Regional custom domain name needs an ACM certificate "
                                  "in the API's region")
    cert = acm_backends[backend.account_id][backend.region_name]._certificates.get(arn)
    if cert is None:
        raise BadRequestException(f"Certificate {arn} not found")
    cert.check()
    if cert.status != "ISSUED":
        raise BadRequestException(f"Certificate {arn} is in status {cert.status}: it must be ISSUED")
    return [cert.common_name, *cert.sans]


def _configuration(backend: ApiGatewayV2Backend, domain_name: str, target: str,
                   config: dict[str, Any]) -> dict[str, Any]:
    """One domain name configuration as AWS stores and answers it, after AWS's checks."""
    endpoint_type = config.get("endpointType") or "REGIONAL"
    if endpoint_type != "REGIONAL":
        raise BadRequestException(f"Invalid endpoint type {endpoint_type}: only REGIONAL is supported")
    policy = config.get("securityPolicy") or "TLS_1_2"
    if policy not in SECURITY_POLICIES:
        raise BadRequestException(f"Invalid security policy {policy}")
    ip_address_type = config.get("ipAddressType") or "ipv4"
    if ip_address_type not in IP_ADDRESS_TYPES:
        raise BadRequestException(f"Invalid IP address type {ip_address_type}")
    arn = config.get("certificateArn") or ""
    if not arn:
        raise BadRequestException("A certificate ARN is required for a Regional custom domain name")
    if not covers(_certificate_names(backend, arn), domain_name):
        raise BadRequestException(f"Certificate {arn} does not cover the domain name {domain_name}")
    if backend.region_name not in REGIONAL_ZONES:
        raise NotImplementedError(f"The emulator has no API Gateway hosted zone id for {backend.region_name}")
    return {
        "apiGatewayDomainName": target,
        "certificateArn": arn,
        **({"certificateName": config["certificateName"]} if config.get("certificateName") else {}),
        "domainNameStatus": "AVAILABLE",
        "endpointType": endpoint_type,
        "hostedZoneId": REGIONAL_ZONES[backend.region_name],
        "ipAddressType": ip_address_type,
        "securityPolicy": policy,
    }


def _target(backend: ApiGatewayV2Backend, domain_name: str) -> str:
    token = hashlib.sha256(f"{backend.account_id}/{backend.region_name}/{domain_name}".encode()).hexdigest()[:10]
    return f"d-{token}.execute-api.{backend.region_name}.amazonaws.com"


def _taken_elsewhere(backend: ApiGatewayV2Backend, domain_name: str) -> bool:
    from moto.apigatewayv2.models import apigatewayv2_backends

    return any(domain_name in other.domain_names for account, regions in apigatewayv2_backends.items()
               if account != backend.account_id and backend.region_name in regions
               for other in [regions[backend.region_name]])


def _domain_names() -> None:
    original_create = ApiGatewayV2Backend.create_domain_name
    original_delete = ApiGatewayV2Backend.delete_domain_name

    def create_domain_name(self: ApiGatewayV2Backend, domain_name: str,
                           domain_name_configurations: list[dict[str, Any]],
                           mutual_tls_authentication: dict[str, str], tags: dict[str, str]) -> DomainName:
        if domain_name in self.domain_names or _taken_elsewhere(self, domain_name):
            raise DomainNameAlreadyExists()
        configurations = [_configuration(self, domain_name, _target(self, domain_name), c)
                          for c in domain_name_configurations or [{}]]
        domain = original_create(self, domain_name, configurations, mutual_tls_authentication, tags)
        if tags:
            self.tag_resource(domain.domain_name_arn, tags)
        return domain

    def update_domain_name(self: ApiGatewayV2Backend, domain_name: str,
                           domain_name_configurations: list[dict[str, Any]] | None) -> DomainName:
        domain = self.get_domain_name(domain_name)
        if domain_name_configurations is not None:
            domain.domain_name_configurations = [
                _configuration(self, domain_name, _target(self, domain_name), c) for c in domain_name_configurations]
        return domain

    def delete_domain_name(self: ApiGatewayV2Backend, domain_name: str) -> None:
        domain = self.get_domain_name(domain_name)
        for mapping_id in [i for i, m in self.api_mappings.items() if m.domain_name == domain_name]:
            del self.api_mappings[mapping_id]
        original_delete(self, domain_name)
        self.tagger.delete_all_tags_for_resource(domain.domain_name_arn)

    ApiGatewayV2Backend.create_domain_name = create_domain_name  # type: ignore[method-assign]
    ApiGatewayV2Backend.update_domain_name = update_domain_name  # type: ignore[attr-defined]
    ApiGatewayV2Backend.delete_domain_name = delete_domain_name  # type: ignore[method-assign]


def _domain_of(backend: ApiGatewayV2Backend, arn: str) -> DomainName | None:
    marker = "::/domainnames/"
    if marker not in arn:
        return None
    return backend.domain_names.get(arn.split(marker, 1)[1])


def _tags() -> None:
    original_tag = ApiGatewayV2Backend.tag_resource
    original_untag = ApiGatewayV2Backend.untag_resource

    def tag_resource(self: ApiGatewayV2Backend, resource_arn: str, tags: dict[str, str]) -> None:
        original_tag(self, resource_arn, tags)
        domain = _domain_of(self, resource_arn)
        if domain is not None:
            domain.tags = self.get_tags(resource_arn)

    def untag_resource(self: ApiGatewayV2Backend, resource_arn: str, tag_keys: list[str]) -> None:
        original_untag(self, resource_arn, tag_keys)
        domain = _domain_of(self, resource_arn)
        if domain is not None:
            domain.tags = self.get_tags(resource_arn)

    ApiGatewayV2Backend.tag_resource = tag_resource  # type: ignore[method-assign]
    ApiGatewayV2Backend.untag_resource = untag_resource  # type: ignore[method-assign]


def _api_mappings() -> None:
    original_create = ApiGatewayV2Backend.create_api_mapping

    def get_api_mappings(self: ApiGatewayV2Backend, domain_name: str) -> list[ApiMapping]:
        self.get_domain_name(domain_name)
        return [m for m in self.api_mappings.values() if m.domain_name == domain_name]

    def create_api_mapping(self: ApiGatewayV2Backend, api_id: str, api_mapping_key: str, domain_name: str,
                           stage: str) -> ApiMapping:
        if domain_name not in self.domain_names:
            raise DomainNameNotFound()
        if api_id in self.apis and stage not in self.apis[api_id].stages:
            raise StageNotFound(stage)
        if any(m.domain_name == domain_name and m.api_mapping_key == api_mapping_key
               for m in self.api_mappings.values()):
            raise ConflictException(f"An ApiMapping with key '{api_mapping_key}' already exists for domain name "
                                    f"{domain_name}")
        return original_create(self, api_id, api_mapping_key, domain_name, stage)

    def update_api_mapping(self: ApiGatewayV2Backend, domain_name: str, mapping_id: str,
                           update: dict[str, Any]) -> ApiMapping:
        mapping = self.get_api_mapping(mapping_id, domain_name)
        if mapping.domain_name != domain_name:
            raise ApiMappingNotFound()
        api_id = update.get("apiId") or mapping.api_id
        stage = update.get("stage", mapping.stage)
        self.get_api(api_id)
        if stage not in self.apis[api_id].stages:
            raise StageNotFound(stage)
        key = update.get("apiMappingKey", mapping.api_mapping_key)
        if any(m is not mapping and m.domain_name == domain_name and m.api_mapping_key == key
               for m in self.api_mappings.values()):
            raise ConflictException(f"An ApiMapping with key '{key}' already exists for domain name {domain_name}")
        mapping.api_id, mapping.stage, mapping.api_mapping_key = api_id, stage, key
        return mapping

    ApiGatewayV2Backend.update_api_mapping = update_api_mapping  # type: ignore[attr-defined]
    ApiGatewayV2Backend.get_api_mappings = get_api_mappings  # type: ignore[method-assign]
    ApiGatewayV2Backend.create_api_mapping = create_api_mapping  # type: ignore[method-assign]


def update_domain_name_response(self: ApiGatewayV2Response) -> TYPE_RESPONSE:
    params = json.loads(self.body or "{}")
    domain = self.apigatewayv2_backend.update_domain_name(  # type: ignore[attr-defined]
        self.path.split("/")[-1], params.get("domainNameConfigurations"))
    return 200, {}, json.dumps(domain.to_json())


def update_api_mapping_response(self: ApiGatewayV2Response) -> TYPE_RESPONSE:
    parts = self.path.split("/")
    mapping = self.apigatewayv2_backend.update_api_mapping(  # type: ignore[attr-defined]
        parts[-3], parts[-1], json.loads(self.body or "{}"))
    return 200, {}, json.dumps(mapping.to_json())


def install() -> None:
    _domain_names()
    _tags()
    _api_mappings()
    ApiGatewayV2Response.update_domain_name = update_domain_name_response  # type: ignore[attr-defined]
    ApiGatewayV2Response.update_api_mapping = update_api_mapping_response  # type: ignore[attr-defined]
