"""CloudFront gaps in moto 5.2.5, filled in the shape AWS documents.

- Origins keep ``OriginAccessControlId`` and ``S3OriginConfig`` (moto drops both from the stored config).
- A cache behavior with a ``CachePolicyId`` has no legacy ``ForwardedValues``/TTL settings (moto invents them,
  and AWS rejects an update that sends both).
- Distributions and origin access controls get a new ``ETag`` on every update; ``UpdateDistribution``,
  ``DeleteDistribution``, ``UpdateOriginAccessControl`` and ``DeleteOriginAccessControl`` reject a stale
  ``IfMatch`` with ``PreconditionFailed`` (moto accepts any value and never changes the ETag). Deleting an
  enabled distribution fails with ``DistributionNotDisabled``.
- Origin access control names are unique (``OriginAccessControlAlreadyExists``), and one that a distribution
  uses cannot be deleted (``OriginAccessControlInUse``).
- Response headers policies (Create/Get/GetConfig/List/Update/Delete), which moto lacks entirely: custom
  policies only, unique names, ETag/IfMatch, ``ResponseHeadersPolicyInUse`` while a distribution uses one.
- ``CreateInvalidation`` with a ``CallerReference`` already used on the distribution returns the earlier
  invalidation when the paths are the same, and fails with ``InvalidationBatchAlreadyExists`` when they
  differ (moto makes a new invalidation every time).
"""
from __future__ import annotations

import copy
import uuid
from typing import Any

from moto.cloudfront import models, urls
from moto.cloudfront.exceptions import CloudFrontException, NoSuchDistribution, NoSuchOriginAccessControl
from moto.cloudfront.models import CloudFrontBackend, random_id
from moto.cloudfront.responses import CloudFrontResponse
from moto.core.responses import ActionResult, EmptyResult
from moto.core.utils import utcnow


class PreconditionFailed(CloudFrontException):
    def __init__(self) -> None:
        super().__init__("PreconditionFailed", "The If-Match version is missing or not valid for the resource.")


class DistributionNotDisabled(CloudFrontException):
    def __init__(self) -> None:
        super().__init__("DistributionNotDisabled", "The distribution you are trying to delete has not been disabled.")


class InvalidationBatchAlreadyExists(CloudFrontException):
    def __init__(self) -> None:
        super().__init__("InvalidationBatchAlreadyExists",
                         "The CallerReference was already used for an invalidation batch with different paths.")


class OriginAccessControlAlreadyExists(CloudFrontException):
    def __init__(self, name: str) -> None:
        super().__init__("OriginAccessControlAlreadyExists", f"An origin access control named {name} already exists.")


class OriginAccessControlInUse(CloudFrontException):
    def __init__(self) -> None:
        super().__init__("OriginAccessControlInUse", "The origin access control is in use by a distribution.")


class NoSuchResponseHeadersPolicy(CloudFrontException):
    def __init__(self) -> None:
        super().__init__("NoSuchResponseHeadersPolicy", "The response headers policy does not exist.")


class ResponseHeadersPolicyAlreadyExists(CloudFrontException):
    def __init__(self, name: str) -> None:
        super().__init__(
            "ResponseHeadersPolicyAlreadyExists", f"A response headers policy named {name} already exists."
        )


class ResponseHeadersPolicyInUse(CloudFrontException):
    def __init__(self) -> None:
        super().__init__("ResponseHeadersPolicyInUse", "The response headers policy is in use by a distribution.")


class ResponseHeadersPolicy:
    def __init__(self, config: dict[str, Any]) -> None:
        self.id = str(uuid.uuid4())
        self.config = config
        self.last_modified_time = utcnow()
        self.etag = random_id()

    def update(self, config: dict[str, Any]) -> None:
        self.config = config
        self.last_modified_time = utcnow()
        self.etag = random_id()

    def to_dict(self) -> dict[str, Any]:
        return {"Id": self.id, "LastModifiedTime": self.last_modified_time, "ResponseHeadersPolicyConfig": self.config}


# ---- stored configuration --------------------------------------------------------------------------------
def _origins_keep_access_settings() -> None:
    original = models.Origin.__init__

    def init(self: models.Origin, origin: dict[str, Any]) -> None:
        original(self, origin)
        self.origin_access_control_id = origin.get("OriginAccessControlId", "")
        if "S3OriginConfig" in origin:
            self.s3_origin_config = {"OriginAccessIdentity": origin["S3OriginConfig"].get("OriginAccessIdentity", "")}

    models.Origin.__init__ = init  # type: ignore[method-assign]


def _cache_policy_replaces_legacy_settings() -> None:
    for cls in (models.DefaultCacheBehaviour, models.CacheBehaviour):
        original = cls.__init__

        def init(self: Any, config: dict[str, Any], _original: Any = original) -> None:
            _original(self, config)
            if config.get("CachePolicyId"):
                self.forwarded_values = None
                self.min_ttl = self.default_ttl = self.max_ttl = None

        cls.__init__ = init  # type: ignore[method-assign]


# ---- ETag and IfMatch ------------------------------------------------------------------------------------
def _check(if_match: str | None, etag: str) -> None:
    if if_match != etag:
        raise PreconditionFailed()


def _distribution_etags() -> None:
    original_update = CloudFrontBackend.update_distribution

    def update_distribution(self: CloudFrontBackend, dist_config: dict[str, Any], _id: str, if_match: str) -> Any:
        if _id not in self.distributions:
            raise NoSuchDistribution()
        _check(if_match, self.distributions[_id].etag)
        dist, location, _ = original_update(self, dist_config, _id, if_match)
        dist.etag = random_id()
        return dist, location, dist.etag

    def delete_distribution(self: CloudFrontBackend, distribution_id: str, if_match: str) -> None:
        if distribution_id not in self.distributions:
            raise NoSuchDistribution()
        dist = self.distributions[distribution_id]
        _check(if_match, dist.etag)
        if dist.distribution_config.Enabled:
            raise DistributionNotDisabled()
        del self.distributions[distribution_id]

    CloudFrontBackend.update_distribution = update_distribution  # type: ignore[method-assign]
    CloudFrontBackend.delete_distribution = delete_distribution  # type: ignore[method-assign]


def _uses(backend: CloudFrontBackend, field: str, value: str) -> bool:
    for dist in backend.distributions.values():
        config = dist.distribution_config
        if field == "origin_access_control_id":
            if any(getattr(o, field, "") == value for o in config.Origins["Items"]):
                return True
        else:
            behaviors = [config.DefaultCacheBehavior] + list(config.CacheBehaviors.get("Items") or [])
            if any(getattr(b, field, None) == value for b in behaviors):
                return True
    return False


def _origin_access_control_rules() -> None:
    original_create = CloudFrontBackend.create_origin_access_control
    original_update = CloudFrontBackend.update_origin_access_control

    def create(self: CloudFrontBackend, config_dict: dict[str, str]) -> Any:
        if any(c.name == config_dict.get("Name") for c in self.origin_access_controls.values()):
            raise OriginAccessControlAlreadyExists(config_dict["Name"])
        return original_create(self, config_dict)

    def update(self: CloudFrontBackend, control_id: str, config: dict[str, str], if_match: str | None = None) -> Any:
        control = self.get_origin_access_control(control_id)
        _check(if_match, control.etag)
        if any(c.name == config.get("Name") and c.id != control_id for c in self.origin_access_controls.values()):
            raise OriginAccessControlAlreadyExists(config["Name"])
        control = original_update(self, control_id, config)
        control.etag = random_id()
        return control

    def delete(self: CloudFrontBackend, control_id: str, if_match: str | None = None) -> None:
        if control_id not in self.origin_access_controls:
            raise NoSuchOriginAccessControl()
        _check(if_match, self.origin_access_controls[control_id].etag)
        if _uses(self, "origin_access_control_id", control_id):
            raise OriginAccessControlInUse()
        del self.origin_access_controls[control_id]

    def update_response(self: CloudFrontResponse) -> ActionResult:
        control = self.backend.update_origin_access_control(
            self._get_param("Id"), self._get_param("OriginAccessControlConfig", {}), self._get_param("IfMatch")
        )
        return ActionResult({"OriginAccessControl": {"Id": control.id, "OriginAccessControlConfig": control},
                             "ETag": control.etag})

    def delete_response(self: CloudFrontResponse) -> EmptyResult:
        self.backend.delete_origin_access_control(self._get_param("Id"), self._get_param("IfMatch"))
        return EmptyResult()

    CloudFrontBackend.create_origin_access_control = create  # type: ignore[method-assign]
    CloudFrontBackend.update_origin_access_control = update  # type: ignore[method-assign]
    CloudFrontBackend.delete_origin_access_control = delete  # type: ignore[method-assign]
    CloudFrontResponse.update_origin_access_control = update_response  # type: ignore[method-assign]
    CloudFrontResponse.delete_origin_access_control = delete_response  # type: ignore[method-assign]


# ---- response headers policies ---------------------------------------------------------------------------
def _policies(backend: CloudFrontBackend) -> dict[str, ResponseHeadersPolicy]:
    if not hasattr(backend, "response_headers_policies"):
        backend.response_headers_policies = {}  # type: ignore[attr-defined]
    return backend.response_headers_policies  # type: ignore[attr-defined]


def _policy(backend: CloudFrontBackend, policy_id: str) -> ResponseHeadersPolicy:
    policy = _policies(backend).get(policy_id)
    if policy is None:
        raise NoSuchResponseHeadersPolicy()
    return policy


def _unique_name(backend: CloudFrontBackend, name: str, own_id: str | None = None) -> None:
    if any(p.config.get("Name") == name and p.id != own_id for p in _policies(backend).values()):
        raise ResponseHeadersPolicyAlreadyExists(name)


def _policy_result(policy: ResponseHeadersPolicy, location: bool = False) -> ActionResult:
    result: dict[str, Any] = {"ResponseHeadersPolicy": policy.to_dict(), "ETag": policy.etag}
    if location:
        result["Location"] = f"https://cloudfront.amazonaws.com/2020-05-31/response-headers-policy/{policy.id}"
    return ActionResult(result)


def create_response_headers_policy(self: CloudFrontResponse) -> ActionResult:
    config = self._get_param("ResponseHeadersPolicyConfig", {})
    _unique_name(self.backend, config["Name"])
    policy = ResponseHeadersPolicy(config)
    _policies(self.backend)[policy.id] = policy
    return _policy_result(policy, location=True)


def get_response_headers_policy(self: CloudFrontResponse) -> ActionResult:
    return _policy_result(_policy(self.backend, self._get_param("Id")))


def get_response_headers_policy_config(self: CloudFrontResponse) -> ActionResult:
    policy = _policy(self.backend, self._get_param("Id"))
    return ActionResult({"ResponseHeadersPolicyConfig": policy.config, "ETag": policy.etag})


def list_response_headers_policies(self: CloudFrontResponse) -> ActionResult:
    kind = self._get_param("Type")
    policies = [] if kind == "managed" else list(_policies(self.backend).values())
    items = [{"Type": "custom", "ResponseHeadersPolicy": p.to_dict()} for p in policies]
    return ActionResult({"ResponseHeadersPolicyList": {"MaxItems": 100, "Quantity": len(items), "Items": items}})


def update_response_headers_policy(self: CloudFrontResponse) -> ActionResult:
    policy = _policy(self.backend, self._get_param("Id"))
    _check(self._get_param("IfMatch"), policy.etag)
    config = self._get_param("ResponseHeadersPolicyConfig", {})
    _unique_name(self.backend, config["Name"], policy.id)
    policy.update(copy.deepcopy(config))
    return _policy_result(policy)


def delete_response_headers_policy(self: CloudFrontResponse) -> EmptyResult:
    policy = _policy(self.backend, self._get_param("Id"))
    _check(self._get_param("IfMatch"), policy.etag)
    if _uses(self.backend, "response_headers_policy_id", policy.id):
        raise ResponseHeadersPolicyInUse()
    del _policies(self.backend)[policy.id]
    return EmptyResult()


def _response_headers_policies() -> None:
    for handler in (create_response_headers_policy, get_response_headers_policy, get_response_headers_policy_config,
                    list_response_headers_policies, update_response_headers_policy, delete_response_headers_policy):
        setattr(CloudFrontResponse, handler.__name__, handler)
    urls.url_paths.update({
        "{0}/2020-05-31/response-headers-policy$": CloudFrontResponse.dispatch,
        "{0}/2020-05-31/response-headers-policy/(?P<policy_id>[^/]+)$": CloudFrontResponse.dispatch,
        "{0}/2020-05-31/response-headers-policy/(?P<policy_id>[^/]+)/config$": CloudFrontResponse.dispatch,
    })


def _invalidation_caller_references() -> None:
    original = CloudFrontBackend.create_invalidation

    def create_invalidation(self: CloudFrontBackend, dist_id: str, paths: list[str], caller_ref: str) -> Any:
        for earlier in self.invalidations.get(dist_id, []):
            if earlier.caller_ref == caller_ref:
                if sorted(earlier.paths) != sorted(paths):
                    raise InvalidationBatchAlreadyExists()
                return earlier
        return original(self, dist_id, paths, caller_ref)

    CloudFrontBackend.create_invalidation = create_invalidation  # type: ignore[method-assign]


def install() -> None:
    _invalidation_caller_references()
    _origins_keep_access_settings()
    _cache_policy_replaces_legacy_settings()
    _distribution_etags()
    _origin_access_control_rules()
    _response_headers_policies()
