"""CloudFront alternate domain names (aliases) and viewer certificates as AWS checks them (moto 5.2.5 checks none).

On ``CreateDistribution``, ``CreateDistributionWithTags`` and ``UpdateDistribution``:

- An alias needs a viewer certificate from ACM (or IAM): with the default ``*.cloudfront.net`` certificate the
  request fails with ``InvalidViewerCertificate``, as AWS answers.
- An ACM certificate must be in us-east-1, exist in the caller's account and be ``ISSUED``
  (``InvalidViewerCertificate``), and cover every alias, exactly or by a one-label wildcard
  (``InvalidViewerCertificate``).
- An alias another distribution already has, in any account, fails with ``CNAMEAlreadyExists``.
- A distribution with an ACM or IAM certificate answers ``CloudFrontDefaultCertificate: false`` and
  ``CertificateSource: acm``/``iam`` (moto keeps ``true`` and ``cloudfront``).
"""
from __future__ import annotations

from typing import Any

from moto.cloudfront.exceptions import CloudFrontException
from moto.cloudfront.models import CloudFrontBackend, ViewerCertificate

NEEDS_CERTIFICATE = (
    "To add an alternate domain name (CNAME) to a CloudFront distribution, you must attach a trusted certificate that "
    "validates your authorization to use the domain name. For more details, see: "
    "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/CNAMEs.html#alternate-domain-names-requirements")
NOT_VALID = ("The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't valid, or doesn't include "
             "a valid certificate chain.")
NOT_COVERED = ("The certificate that is attached to your distribution doesn't cover the alternate domain name (CNAME) "
               "that you're trying to add. For more details, see: "
               "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/CNAMEs.html#alternate-domain-names-requirements")


class InvalidViewerCertificate(CloudFrontException):
    def __init__(self, message: str) -> None:
        super().__init__("InvalidViewerCertificate", message)


class CNAMEAlreadyExists(CloudFrontException):
    def __init__(self) -> None:
        super().__init__("CNAMEAlreadyExists",
                         "One or more of the CNAMEs you provided are already associated with a different resource.")


def covers(names: list[str], alias: str) -> bool:
    alias = alias.lower()
    for name in (n.lower() for n in names):
        if name == alias or (name.startswith("*.") and alias.count(".") >= 2
                             and alias.split(".", 1)[1] == name[2:]):
            return True
    return False


def _certificate_names(account_id: str, arn: str) -> list[str] | None:
    """The names an ISSUED ACM certificate of ``account_id`` in us-east-1 covers, or None."""
    from moto.acm.models import acm_backends

    parts = arn.split(":")
    if len(parts) < 6 or parts[2] != "acm" or parts[3] != "us-east-1" or parts[4] != account_id:
        return None
    cert = acm_backends[account_id]["us-east-1"]._certificates.get(arn)
    if cert is None:
        return None
    cert.check()
    if cert.status != "ISSUED":
        return None
    return [cert.common_name, *cert.sans]


def _aliases_elsewhere(own_id: str | None) -> set[str]:
    from moto.cloudfront.models import cloudfront_backends

    taken: set[str] = set()
    for backends in cloudfront_backends.values():
        for backend in backends.values():
            for dist in backend.distributions.values():
                if dist.distribution_id != own_id:
                    taken.update(a.lower() for a in dist.distribution_config.Aliases.get("Items") or [])
    return taken


def check(account_id: str, config: dict[str, Any], own_id: str | None) -> None:
    aliases = list((config.get("Aliases") or {}).get("Items") or [])
    viewer = config.get("ViewerCertificate") or {}
    arn = viewer.get("ACMCertificateArn") or ""
    if arn:
        names = _certificate_names(account_id, arn)
        if names is None:
            raise InvalidViewerCertificate(NOT_VALID)
        if not all(covers(names, alias) for alias in aliases):
            raise InvalidViewerCertificate(NOT_COVERED)
    elif aliases and not viewer.get("IAMCertificateId"):
        raise InvalidViewerCertificate(NEEDS_CERTIFICATE)
    if {a.lower() for a in aliases} & _aliases_elsewhere(own_id):
        raise CNAMEAlreadyExists()


def _checked_writes() -> None:
    original_create = CloudFrontBackend.create_distribution_with_tags
    original_update = CloudFrontBackend.update_distribution

    def create_distribution_with_tags(self: CloudFrontBackend, distribution_config: dict[str, Any],
                                      tags: list[dict[str, str]]) -> Any:
        check(self.account_id, distribution_config, None)
        return original_create(self, distribution_config, tags)

    def update_distribution(self: CloudFrontBackend, dist_config: dict[str, Any], _id: str, if_match: str) -> Any:
        if dist_config and _id in self.distributions:
            check(self.account_id, dist_config, _id)
        return original_update(self, dist_config, _id, if_match)

    CloudFrontBackend.create_distribution_with_tags = create_distribution_with_tags  # type: ignore[method-assign]
    CloudFrontBackend.update_distribution = update_distribution  # type: ignore[method-assign]


def _certificate_source() -> None:
    original = ViewerCertificate.__init__

    def init(self: ViewerCertificate, config: dict[str, Any]) -> None:
        original(self, config)
        if self.acm_certificate_arn or self.iam_certificate_id:
            self.cloud_front_default_certificate = False
            self.certificate_source = "acm" if self.acm_certificate_arn else "iam"
            self.certificate = self.acm_certificate_arn or self.iam_certificate_id

    ViewerCertificate.__init__ = init  # type: ignore[method-assign]


def install() -> None:
    _checked_writes()
    _certificate_source()
