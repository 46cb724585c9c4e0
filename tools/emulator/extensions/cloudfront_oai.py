"""CloudFront origin access identities (the legacy way to reach a private bucket), which moto 5.2.5 lacks.

A real account often holds some: ``community.aws.cloudfront_distribution_info`` with ``summary: true`` calls
``GetCloudFrontOriginAccessIdentity`` for each of them, so a crowded account needs them to show it. In the shape
AWS documents (API version 2020-05-31):

- ``CreateCloudFrontOriginAccessIdentity`` (201, ``Location``, ``ETag``): an id like ``E2QWRUHAPOMQZL`` and a
  96-hex-digit ``S3CanonicalUserId``. The same ``CallerReference`` with the same comment answers the existing
  identity; with another comment ``CloudFrontOriginAccessIdentityAlreadyExists`` (409).
- ``GetCloudFrontOriginAccessIdentity``, ``GetCloudFrontOriginAccessIdentityConfig`` (with the ``ETag``);
  ``NoSuchCloudFrontOriginAccessIdentity`` (404) for an unknown id.
- ``ListCloudFrontOriginAccessIdentities``: summaries (``Id``, ``S3CanonicalUserId``, ``Comment``) in creation
  order, pages of ``MaxItems`` (default 100) with ``Marker``/``NextMarker``/``IsTruncated``.
- ``UpdateCloudFrontOriginAccessIdentity`` and ``DeleteCloudFrontOriginAccessIdentity`` (204) require the current
  ``ETag`` as ``IfMatch`` (``InvalidIfMatchVersion`` when missing, ``PreconditionFailed`` when stale); an update
  gets a new ETag and may not change the ``CallerReference`` (``IllegalUpdate``); an identity that a distribution's
  origin uses cannot be deleted (``CloudFrontOriginAccessIdentityInUse``).
"""
from __future__ import annotations

import random
import string
from typing import Any

from moto.cloudfront import urls
from moto.cloudfront.exceptions import CloudFrontException
from moto.cloudfront.models import CloudFrontBackend, random_id
from moto.cloudfront.responses import CloudFrontResponse
from moto.core.responses import ActionResult, EmptyResult

PREFIX = "origin-access-identity/cloudfront/"
DEFAULT_MAX_ITEMS = 100


class NoSuchIdentity(CloudFrontException):
    code = 404

    def __init__(self) -> None:
        super().__init__("NoSuchCloudFrontOriginAccessIdentity", "The specified origin access identity does not exist.")


class IdentityAlreadyExists(CloudFrontException):
    code = 409

    def __init__(self) -> None:
        super().__init__("CloudFrontOriginAccessIdentityAlreadyExists",
                         "If the CallerReference is a value you already sent in a previous request to create an "
                         "identity but the content of the CloudFrontOriginAccessIdentityConfig is different from the "
                         "original request, CloudFront returns a CloudFrontOriginAccessIdentityAlreadyExists error.")


class IdentityInUse(CloudFrontException):
    code = 409

    def __init__(self) -> None:
        super().__init__("CloudFrontOriginAccessIdentityInUse", "The Origin Access Identity specified is already in use.")


class IllegalUpdate(CloudFrontException):
    def __init__(self) -> None:
        super().__init__("IllegalUpdate", "The CallerReference of an origin access identity cannot be changed.")


class InvalidIfMatchVersion(CloudFrontException):
    def __init__(self) -> None:
        super().__init__("InvalidIfMatchVersion", "The If-Match version is missing or not valid for the resource.")


class PreconditionFailed(CloudFrontException):
    code = 412

    def __init__(self) -> None:
        super().__init__("PreconditionFailed", "The If-Match version is missing or not valid for the resource.")


class Identity:
    def __init__(self, config: dict[str, Any]) -> None:
        self.id = "E" + "".join(random.choices(string.ascii_uppercase + string.digits, k=13))
        self.canonical_user_id = "".join(random.choices("0123456789abcdef", k=96))
        self.config = {"CallerReference": config["CallerReference"], "Comment": config.get("Comment", "")}
        self.etag = random_id()

    def to_dict(self) -> dict[str, Any]:
        return {"Id": self.id, "S3CanonicalUserId": self.canonical_user_id,
                "CloudFrontOriginAccessIdentityConfig": self.config}

    def summary(self) -> dict[str, str]:
        return {"Id": self.id, "S3CanonicalUserId": self.canonical_user_id, "Comment": self.config["Comment"]}


def _identities(backend: CloudFrontBackend) -> dict[str, Identity]:
    if not hasattr(backend, "origin_access_identities"):
        backend.origin_access_identities = {}  # type: ignore[attr-defined]
    return backend.origin_access_identities  # type: ignore[attr-defined]


def _identity(backend: CloudFrontBackend, identity_id: str) -> Identity:
    identity = _identities(backend).get(identity_id)
    if identity is None:
        raise NoSuchIdentity()
    return identity


def _check(if_match: str | None, etag: str) -> None:
    if not if_match:
        raise InvalidIfMatchVersion()
    if if_match != etag:
        raise PreconditionFailed()


def _in_use(backend: CloudFrontBackend, identity_id: str) -> bool:
    wanted = PREFIX + identity_id
    for distribution in backend.distributions.values():
        for origin in distribution.distribution_config.Origins["Items"]:
            if getattr(origin, "s3_access_identity", "") == wanted:
                return True
    return False


def _result(identity: Identity, location: bool = False) -> ActionResult:
    result: dict[str, Any] = {"CloudFrontOriginAccessIdentity": identity.to_dict(), "ETag": identity.etag}
    if location:
        result["Location"] = f"https://cloudfront.amazonaws.com/2020-05-31/{PREFIX}{identity.id}"
    return ActionResult(result)


def create_cloud_front_origin_access_identity(self: CloudFrontResponse) -> ActionResult:
    config = self._get_param("CloudFrontOriginAccessIdentityConfig", {})
    for identity in _identities(self.backend).values():
        if identity.config["CallerReference"] == config["CallerReference"]:
            if identity.config["Comment"] != config.get("Comment", ""):
                raise IdentityAlreadyExists()
            return _result(identity, location=True)
    identity = Identity(config)
    _identities(self.backend)[identity.id] = identity
    return _result(identity, location=True)


def get_cloud_front_origin_access_identity(self: CloudFrontResponse) -> ActionResult:
    return _result(_identity(self.backend, self._get_param("Id")))


def get_cloud_front_origin_access_identity_config(self: CloudFrontResponse) -> ActionResult:
    identity = _identity(self.backend, self._get_param("Id"))
    return ActionResult({"CloudFrontOriginAccessIdentityConfig": identity.config, "ETag": identity.etag})


def list_cloud_front_origin_access_identities(self: CloudFrontResponse) -> ActionResult:
    marker = self._get_param("Marker") or ""
    max_items = self._get_int_param("MaxItems") or DEFAULT_MAX_ITEMS
    identities = list(_identities(self.backend).values())
    start = next((i for i, identity in enumerate(identities) if identity.id == marker), -1) + 1 if marker else 0
    page = identities[start:start + max_items]
    truncated = start + max_items < len(identities)
    listed: dict[str, Any] = {"Marker": marker, "MaxItems": max_items, "IsTruncated": truncated,
                              "Quantity": len(page)}
    if page:
        listed["Items"] = [identity.summary() for identity in page]
    if truncated:
        listed["NextMarker"] = page[-1].id
    return ActionResult({"CloudFrontOriginAccessIdentityList": listed})


def update_cloud_front_origin_access_identity(self: CloudFrontResponse) -> ActionResult:
    identity = _identity(self.backend, self._get_param("Id"))
    _check(self._get_param("IfMatch"), identity.etag)
    config = self._get_param("CloudFrontOriginAccessIdentityConfig", {})
    if config["CallerReference"] != identity.config["CallerReference"]:
        raise IllegalUpdate()
    identity.config = {"CallerReference": config["CallerReference"], "Comment": config.get("Comment", "")}
    identity.etag = random_id()
    return _result(identity)


def delete_cloud_front_origin_access_identity(self: CloudFrontResponse) -> EmptyResult:
    identity = _identity(self.backend, self._get_param("Id"))
    _check(self._get_param("IfMatch"), identity.etag)
    if _in_use(self.backend, identity.id):
        raise IdentityInUse()
    del _identities(self.backend)[identity.id]
    return EmptyResult()


def install() -> None:
    for handler in (create_cloud_front_origin_access_identity, get_cloud_front_origin_access_identity,
                    get_cloud_front_origin_access_identity_config, list_cloud_front_origin_access_identities,
                    update_cloud_front_origin_access_identity, delete_cloud_front_origin_access_identity):
        setattr(CloudFrontResponse, handler.__name__, handler)
    urls.url_paths.update({
        "{0}/2020-05-31/origin-access-identity/cloudfront$": CloudFrontResponse.dispatch,
        "{0}/2020-05-31/origin-access-identity/cloudfront/(?P<oai_id>[^/]+)$": CloudFrontResponse.dispatch,
        "{0}/2020-05-31/origin-access-identity/cloudfront/(?P<oai_id>[^/]+)/config$": CloudFrontResponse.dispatch,
    })
