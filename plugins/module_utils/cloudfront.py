# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""CloudFront for the collection's modules: error handler, calls, and the manager of named configurations.

CloudFront is a global service with optimistic locking: every Get returns an ``ETag`` that the next
Update or Delete must send as ``IfMatch``. Each call below fails with an :class:`AnsibleCloudFrontError`
(``Failed to ...``) that a module's ``main()`` hands to ``fail_json_aws_error``. Marker-paginated lists are read
to their last page, and CloudFront's ``{"Quantity", "Items"}`` lists convert to and from plain lists.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.cloudresume.aws.plugins.module_utils.errors import DescribedErrorHandler


class AnsibleCloudFrontError(AnsibleAWSError):
    pass


class CloudFrontErrorHandler(DescribedErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleCloudFrontError

    @classmethod
    def _is_missing(cls) -> type[Exception]:
        return is_boto3_error_code(["NoSuchDistribution", "NoSuchOriginAccessControl", "NoSuchResponseHeadersPolicy"])


def cloudfront_client(module: AnsibleAWSModule) -> Any:
    """A CloudFront client whose calls retry (throttling, eventual consistency) when given ``aws_retry=True``."""
    return module.client("cloudfront", retry_decorator=AWSRetry.jittered_backoff())


def items(values: list[Any]) -> dict[str, Any]:
    """A CloudFront list: ``{"Quantity": n, "Items": [...]}`` (no ``Items`` key when empty, as AWS returns it)."""
    return {"Quantity": len(values), "Items": list(values)} if values else {"Quantity": 0}


def from_items(value: dict[str, Any] | None) -> list[Any]:
    return list((value or {}).get("Items") or [])


def _all_pages(client: Any, operation: str, list_key: str, **kwargs: Any) -> list[dict[str, Any]]:
    """Every item of a marker-paginated List call (some CloudFront lists have no boto3 paginator)."""
    found: list[dict[str, Any]] = []
    marker = ""
    while True:
        page = getattr(client, operation)(aws_retry=True, **kwargs, **({"Marker": marker} if marker else {}))[list_key]
        found.extend(page.get("Items") or [])
        marker = page.get("NextMarker") or ""
        if not marker:
            return found


# ---- distributions -----------------------------------------------------------------------------------------
@CloudFrontErrorHandler.common_error_handler("list distributions")
def list_distributions(client: Any) -> list[dict[str, Any]]:
    return _all_pages(client, "list_distributions", "DistributionList")


@CloudFrontErrorHandler.common_error_handler("read a distribution's configuration")
def get_distribution_config(client: Any, distribution_id: str) -> dict[str, Any]:
    return client.get_distribution_config(aws_retry=True, Id=distribution_id)


@CloudFrontErrorHandler.list_error_handler("read a distribution")
def get_distribution(client: Any, distribution_id: str) -> dict[str, Any] | None:
    """``{"Distribution", "ETag"}``, or None when no distribution has that id."""
    return client.get_distribution(aws_retry=True, Id=distribution_id)


@CloudFrontErrorHandler.common_error_handler("read the distribution's status")
def get_distribution_status(client: Any, distribution_id: str) -> str:
    return client.get_distribution(aws_retry=True, Id=distribution_id)["Distribution"]["Status"]


@CloudFrontErrorHandler.common_error_handler("create the distribution")
def create_distribution(client: Any, config: dict[str, Any], tags: dict[str, str]) -> dict[str, Any]:
    """The new distribution (``create_distribution_with_tags`` when there are tags)."""
    try:
        if tags:
            return client.create_distribution_with_tags(aws_retry=True, DistributionConfigWithTags={
                "DistributionConfig": config, "Tags": {"Items": ansible_dict_to_boto3_tag_list(tags)}})["Distribution"]
        return client.create_distribution(aws_retry=True, DistributionConfig=config)["Distribution"]
    except is_boto3_error_code("DistributionAlreadyExists") as e:
        raise AnsibleCloudFrontError(
            message=f"caller_reference: a distribution with caller reference {config['CallerReference']!r} exists, "
            "but neither its comment nor its origin is the one given, so it was not read; set its comment back to "
            f"{config['Comment']!r} to manage it here", exception=e) from e


@CloudFrontErrorHandler.common_error_handler("update the distribution")
def update_distribution(client: Any, distribution_id: str, etag: str, config: dict[str, Any]) -> dict[str, Any]:
    return client.update_distribution(aws_retry=True, Id=distribution_id, IfMatch=etag, DistributionConfig=config)


@CloudFrontErrorHandler.common_error_handler("disable the distribution")
def disable_distribution(client: Any, distribution_id: str, etag: str, config: dict[str, Any]) -> str:
    """The new ETag of the distribution, now disabled."""
    return client.update_distribution(aws_retry=True, Id=distribution_id, IfMatch=etag,
                                      DistributionConfig=dict(config, Enabled=False))["ETag"]


@CloudFrontErrorHandler.common_error_handler("delete the distribution")
def delete_distribution(client: Any, distribution_id: str, etag: str) -> None:
    client.delete_distribution(aws_retry=True, Id=distribution_id, IfMatch=etag)


@CloudFrontErrorHandler.common_error_handler(
    "invalidate {batch[Paths][Quantity]} paths of distribution {distribution_id}; "
    "they stay recorded and the next run invalidates them")
def create_invalidation(client: Any, distribution_id: str, batch: dict[str, Any]) -> str:
    """The id of the invalidation; CloudFront answers a repeated (caller reference, paths) with the first one."""
    return client.create_invalidation(aws_retry=True, DistributionId=distribution_id,
                                      InvalidationBatch=batch)["Invalidation"]["Id"]


# ---- tags (distributions) ------------------------------------------------------------------------------------
@CloudFrontErrorHandler.common_error_handler("list the tags")
def list_tags(client: Any, arn: str) -> dict[str, str]:
    return boto3_tag_list_to_ansible_dict(client.list_tags_for_resource(aws_retry=True, Resource=arn)["Tags"].get("Items") or [])


@CloudFrontErrorHandler.common_error_handler("remove tags")
def untag_resource(client: Any, arn: str, keys: list[str]) -> None:
    client.untag_resource(aws_retry=True, Resource=arn, TagKeys={"Items": keys})


@CloudFrontErrorHandler.common_error_handler("add tags")
def tag_resource(client: Any, arn: str, tags: dict[str, str]) -> None:
    client.tag_resource(aws_retry=True, Resource=arn, Tags={"Items": ansible_dict_to_boto3_tag_list(tags)})


# ---- named configurations ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class NamedConfigKind:
    """A kind of CloudFront configuration whose name is unique in the account (origin access control, policy).

    ``resource`` is the boto3 operation suffix (``origin_access_control``: ``list_origin_access_controls``,
    ``get_origin_access_control``...) and ``shape`` the response key (``OriginAccessControl``, whose
    configuration is ``OriginAccessControlConfig``). ``summary`` gives the (id, name) of a listed item.
    """

    noun: str
    plural: str
    resource: str
    list_operation: str
    shape: str
    summary: Callable[[dict[str, Any]], tuple[str, str]]
    list_kwargs: dict[str, Any] = field(default_factory=dict)

    @property
    def config_key(self) -> str:
        return f"{self.shape}Config"


@CloudFrontErrorHandler.common_error_handler("list {kind.plural}")
def list_named(client: Any, kind: NamedConfigKind) -> list[dict[str, Any]]:
    return _all_pages(client, kind.list_operation, f"{kind.shape}List", **kind.list_kwargs)


@CloudFrontErrorHandler.common_error_handler("read the {kind.noun}")
def get_named(client: Any, kind: NamedConfigKind, config_id: str) -> dict[str, Any]:
    return getattr(client, f"get_{kind.resource}")(aws_retry=True, Id=config_id)


@CloudFrontErrorHandler.list_error_handler("read the {kind.noun} {config_id}")
def get_named_if_exists(client: Any, kind: NamedConfigKind, config_id: str) -> dict[str, Any] | None:
    """The configuration with that id and its ETag, or None when there is none."""
    return getattr(client, f"get_{kind.resource}")(aws_retry=True, Id=config_id)


@CloudFrontErrorHandler.common_error_handler("create the {kind.noun}")
def create_named(client: Any, kind: NamedConfigKind, config: dict[str, Any]) -> dict[str, Any]:
    return getattr(client, f"create_{kind.resource}")(aws_retry=True, **{kind.config_key: config})[kind.shape]


@CloudFrontErrorHandler.common_error_handler("update the {kind.noun}")
def update_named(client: Any, kind: NamedConfigKind, config_id: str, etag: str, config: dict[str, Any]) -> dict[str, Any]:
    return getattr(client, f"update_{kind.resource}")(aws_retry=True, Id=config_id, IfMatch=etag,
                                                      **{kind.config_key: config})[kind.shape]


@CloudFrontErrorHandler.common_error_handler("delete the {kind.noun} (a distribution may still use it)")
def delete_named(client: Any, kind: NamedConfigKind, config_id: str, etag: str) -> None:
    getattr(client, f"delete_{kind.resource}")(aws_retry=True, Id=config_id, IfMatch=etag)


class NamedConfigManager:
    """Keeps the configuration of one ``kind`` named ``name`` as wanted: found by name, created, updated with its
    ETag as ``IfMatch`` only when a setting differs, or deleted; check mode and diff.

    ``view(id, config)`` gives the module's return value of a configuration; both sides of the comparison go
    through it, so only the settings the module manages are compared.
    """

    def __init__(self, module: AnsibleAWSModule, kind: NamedConfigKind,
                 view: Callable[[str, dict[str, Any]], dict[str, Any]], client: Any = None) -> None:
        """``client``: a client of :func:`cloudfront_client` to share (a module ensuring several things), or a new one."""
        self.module = module
        self.kind = kind
        self.view = view
        self.client = client or cloudfront_client(module)
        self.changed = False

    def find(self, name: str, known_id: str | None = None) -> tuple[dict[str, Any], str] | None:
        """The configuration named ``name`` as (view, etag), or None; fails if several have the name.

        ``known_id``, the id a distribution's configuration names, is read first (no listing) and used when its
        name is ``name``; otherwise every page of the listing is searched by name.
        """
        if known_id:
            result = get_named_if_exists(self.client, self.kind, known_id)
            if result and result[self.kind.shape][self.kind.config_key]["Name"] == name:
                return self._found(result)
        found = [s for s in list_named(self.client, self.kind) if self.kind.summary(s)[1] == name]
        if len(found) > 1:
            self.module.fail_json(msg=f"Found {len(found)} {self.kind.plural} named {name}; resolve the duplicates first",
                                  ids=[self.kind.summary(s)[0] for s in found])
        if not found:
            return None
        return self._found(get_named(self.client, self.kind, self.kind.summary(found[0])[0]))

    def _found(self, result: dict[str, Any]) -> tuple[dict[str, Any], str]:
        current = result[self.kind.shape]
        return self.view(current["Id"], current[self.kind.config_key]), result["ETag"]

    def ensure_present(self, found: tuple[dict[str, Any], str] | None, config: dict[str, Any]) -> dict[str, Any]:
        if found is None:
            self.changed = True
            if self.module.check_mode:
                return self.view("", config)
            created = create_named(self.client, self.kind, config)
            return self.view(created["Id"], created[self.kind.config_key])
        current, etag = found
        wanted = self.view(current["id"], config)
        if wanted == current:
            return current
        self.changed = True
        if self.module.check_mode:
            return wanted
        updated = update_named(self.client, self.kind, current["id"], etag, config)
        return self.view(updated["Id"], updated[self.kind.config_key])

    def ensure_absent(self, found: tuple[dict[str, Any], str] | None) -> dict[str, Any]:
        if found is None:
            return {}
        self.changed = True
        if not self.module.check_mode:
            current, etag = found
            delete_named(self.client, self.kind, current["id"], etag)
        return {}

    def ensure(self, name: str, config: dict[str, Any] | None,
               known_id: str | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
        """(before, after) of the configuration named ``name`` once it is ``config`` (None: absent)."""
        found = self.find(name, known_id)
        after = self.ensure_absent(found) if config is None else self.ensure_present(found, config)
        return (found[0] if found else {}), after

    def run(self, name: str, config: dict[str, Any] | None, result_key: str) -> dict[str, Any]:
        """The module's result once the configuration named ``name`` is ``config`` (None: absent)."""
        before, after = self.ensure(name, config)
        result: dict[str, Any] = {"changed": self.changed, result_key: after}
        if self.module._diff:
            result["diff"] = {"before": before, "after": after}
        return result
