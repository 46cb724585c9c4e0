"""ACM DNS validation in the shape AWS documents (moto 5.2.5 issues every requested certificate after 60 s).

- A public certificate requested with DNS validation stays ``PENDING_VALIDATION`` until, for each of its names,
  the validation CNAME resolves in "public DNS" with ACM's value; then it is ``ISSUED`` (per-name
  ``ValidationStatus`` ``SUCCESS``). The emulator's public DNS is Route 53: the record must be in the public
  hosted zone (of any account) whose name is the longest suffix of the record's name, as a delegated zone would
  answer. ``ACM_VALIDATION_WAIT`` no longer issues anything by time alone.
- Each name gets its own validation record, derived from the account and the name as ACM does (every certificate
  of an account for a name shares it); moto gives all names the same token and value.
- ``SubjectAlternativeNames`` (and the validation options) come back in the order requested, the domain name
  first (moto keeps them as a set, in random order).
- ``InUseBy`` lists the CloudFront distributions (of the certificate's account) whose viewer certificate it is and
  the API Gateway custom domain names (of its account and region) that use it, and ``DeleteCertificate`` of a
  certificate in use fails with ``ResourceInUseException``.
"""
from __future__ import annotations

import hashlib
from typing import Any

from moto.acm.models import AWSCertificateManagerBackend, CertBundle
from moto.core.exceptions import JsonRESTError
from moto.core.utils import utcnow


class ResourceInUseException(JsonRESTError):
    def __init__(self, arn: str) -> None:
        super().__init__("ResourceInUseException", f"Certificate {arn} is in use.")


def _token(*parts: str) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:32]


def validation_record(account_id: str, domain: str) -> dict[str, str]:
    """ACM's CNAME for ``domain`` in ``account_id`` (a wildcard is validated at its parent)."""
    base = domain[2:] if domain.startswith("*.") else domain
    return {"Name": f"_{_token(account_id, base, 'name')}.{base}.", "Type": "CNAME",
            "Value": f"_{_token(account_id, base, 'value')}.{_token(base)[:10]}.acm-validations.aws."}


def _resolves(record: dict[str, str]) -> bool:
    """Whether public DNS answers the CNAME ``record``: the public zone that holds its name decides."""
    from moto.route53.models import route53_backends

    name, value = _fqdn(record["Name"]), record["Value"]
    zones = [zone for backends in route53_backends.values() for backend in backends.values()
             for zone in backend.zones.values()
             if not zone.private_zone and (name == _fqdn(zone.name) or name.endswith("." + _fqdn(zone.name)))]
    if not zones:
        return False
    longest = max(len(_fqdn(z.name)) for z in zones)
    for zone in (z for z in zones if len(_fqdn(z.name)) == longest):
        for rrset in zone.rrsets:
            values = [r["Value"] if isinstance(r, dict) else r for r in rrset.records or []]
            if _fqdn(rrset.name) == name and rrset.type == "CNAME" and [_fqdn(v) for v in values] == [_fqdn(value)]:
                return True
    return False


def _fqdn(name: str) -> str:
    return name.lower().rstrip(".") + "."


def _account(cert: CertBundle) -> str:
    return cert.arn.split(":")[4]


def _names(cert: CertBundle) -> list[str]:
    """The domain name first, then the other names in the order requested (moto keeps them as a set)."""
    requested = getattr(cert, "requested_names", None) or cert.sans
    return [cert.common_name] + [n for n in requested if n != cert.common_name]


def _in_use_by(cert: CertBundle) -> list[str]:
    from moto.cloudfront.models import cloudfront_backends

    backend = cloudfront_backends[_account(cert)][cert.arn.split(":")[1]] if _account(cert) in cloudfront_backends else None
    return sorted([dist.arn for dist in (backend.distributions.values() if backend else [])
                   if dist.distribution_config.ViewerCertificate.acm_certificate_arn == cert.arn]
                  + _api_domains_using(cert))


def _api_domains_using(cert: CertBundle) -> list[str]:
    """ARNs of the API Gateway custom domain names (same account and region) whose certificate it is."""
    from moto.apigatewayv2.models import apigatewayv2_backends

    region = cert.arn.split(":")[3]
    regions = apigatewayv2_backends[_account(cert)] if _account(cert) in apigatewayv2_backends else {}
    backend = regions[region] if region in regions else None
    return [domain.domain_name_arn for domain in (backend.domain_names.values() if backend else [])
            if any(c.get("certificateArn") == cert.arn for c in domain.domain_name_configurations or [])]


def _check_dns_validation() -> None:
    def check(self: CertBundle) -> None:
        if self._not_valid_after(self._cert) <= utcnow():
            self.status = "EXPIRED"
            return
        if self.type == "AMAZON_ISSUED" and self.status == "PENDING_VALIDATION" and all(
                _resolves(validation_record(_account(self), n)) for n in _names(self)):
            self.status = "ISSUED"

    original_describe = CertBundle.describe

    def describe(self: CertBundle) -> dict[str, Any]:
        self.check()
        result = original_describe(self)
        certificate = result["Certificate"]
        certificate["InUseBy"] = _in_use_by(self)
        certificate["SubjectAlternativeNames"] = _names(self)
        if self.type == "AMAZON_ISSUED":
            certificate["DomainValidationOptions"] = [
                {"DomainName": n, "ValidationDomain": n, "ValidationMethod": "DNS",
                 "ValidationStatus": "SUCCESS" if self.status == "ISSUED" else (
                     "PENDING_VALIDATION" if self.status == "PENDING_VALIDATION" else "FAILED"),
                 "ResourceRecord": validation_record(_account(self), n)}
                for n in _names(self)]
            if self.status != "ISSUED":
                certificate.pop("IssuedAt", None)
        return result

    CertBundle.check = check  # type: ignore[method-assign]
    CertBundle.describe = describe  # type: ignore[method-assign]


def _names_in_request_order() -> None:
    original = AWSCertificateManagerBackend.request_certificate

    def request_certificate(self: AWSCertificateManagerBackend, domain_name: str, idempotency_token: str,
                            subject_alt_names: list[str], *args: Any, **kwargs: Any) -> str:
        # The same token within the hour answers the same certificate, as ACM does, even one deleted meanwhile
        # (moto looked the deleted certificate up and failed with a KeyError: a 500).
        remembered = self._get_arn_from_idempotency_token(idempotency_token) if idempotency_token else None
        if remembered and remembered not in self._certificates:
            return remembered
        arn = original(self, domain_name, idempotency_token, subject_alt_names, *args, **kwargs)
        cert = self._certificates[arn]
        if not getattr(cert, "requested_names", None):
            cert.requested_names = [domain_name, *(subject_alt_names or [])]
        return arn

    AWSCertificateManagerBackend.request_certificate = request_certificate  # type: ignore[method-assign]


def _delete_in_use() -> None:
    original = AWSCertificateManagerBackend.delete_certificate

    def delete_certificate(self: AWSCertificateManagerBackend, arn: str) -> None:
        cert = self._certificates.get(arn)
        if cert is not None and _in_use_by(cert):
            raise ResourceInUseException(arn)
        original(self, arn)

    AWSCertificateManagerBackend.delete_certificate = delete_certificate  # type: ignore[method-assign]


def install() -> None:
    _check_dns_validation()
    _delete_in_use()
    _names_in_request_order()
