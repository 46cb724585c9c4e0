# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Helpers shared by the collection's CloudFront modules.

CloudFront is a global service with optimistic locking: every Get returns an ``ETag`` that the next
Update or Delete must send as ``IfMatch``. These helpers wrap the calls (retry, error reporting), list
every page of a marker-paginated list, and convert between CloudFront's ``{"Quantity", "Items"}`` lists
and plain Python lists.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags


class CloudFront:
    """A CloudFront client bound to a module: every call retries and fails the module with a clear message."""

    def __init__(self, module: AnsibleAWSModule) -> None:
        self.module = module
        self.client = module.client("cloudfront", retry_decorator=AWSRetry.jittered_backoff())

    def call(self, operation: str, msg: str, **kwargs: Any) -> dict[str, Any]:
        try:
            return getattr(self.client, operation)(aws_retry=True, **kwargs)
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
            self.module.fail_json_aws(e, msg=msg)
        raise AssertionError("unreachable")  # fail_json_aws exits

    def get_or_none(self, operation: str, missing_code: str, msg: str, **kwargs: Any) -> dict[str, Any] | None:
        """``operation`` (a Get), or None when the resource does not exist (``missing_code``)."""
        try:
            return getattr(self.client, operation)(aws_retry=True, **kwargs)
        except is_boto3_error_code(missing_code):
            return None
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:  # pylint: disable=duplicate-except
            self.module.fail_json_aws(e, msg=msg)
        raise AssertionError("unreachable")

    def list_all(self, operation: str, list_key: str, msg: str, **kwargs: Any) -> Iterator[dict[str, Any]]:
        """Every item of a marker-paginated List call (some CloudFront lists have no boto3 paginator)."""
        marker = ""
        while True:
            page = self.call(operation, msg, **kwargs, **({"Marker": marker} if marker else {}))[list_key]
            yield from page.get("Items") or []
            marker = page.get("NextMarker") or ""
            if not marker:
                return

    # ---- tags (distributions) ----------------------------------------------------------------------------
    def tags(self, arn: str) -> dict[str, str]:
        result = self.call("list_tags_for_resource", "Failed to list the tags", Resource=arn)
        return boto3_tag_list_to_ansible_dict(result["Tags"].get("Items") or [])

    def update_tags(self, arn: str, current: dict[str, str], wanted: dict[str, str] | None, purge: bool) -> bool:
        """Bring the tags to ``wanted`` (None: leave them); True if they differ. No call in check mode."""
        if wanted is None:
            return False
        to_set, to_remove = compare_aws_tags(current, wanted, purge)
        if not to_set and not to_remove:
            return False
        if self.module.check_mode:
            return True
        if to_remove:
            self.call("untag_resource", "Failed to remove tags", Resource=arn, TagKeys={"Items": to_remove})
        if to_set:
            self.call("tag_resource", "Failed to add tags", Resource=arn,
                      Tags={"Items": ansible_dict_to_boto3_tag_list(to_set)})
        return True


def planned_tags(current: dict[str, str], wanted: dict[str, str] | None, purge: bool) -> dict[str, str]:
    """The tags a resource will have after :meth:`CloudFront.update_tags`."""
    if wanted is None:
        return current
    to_set, to_remove = compare_aws_tags(current, wanted, purge)
    return {k: v for k, v in current.items() if k not in to_remove} | to_set


def items(values: list[Any]) -> dict[str, Any]:
    """A CloudFront list: ``{"Quantity": n, "Items": [...]}`` (no ``Items`` key when empty, as AWS returns it)."""
    return {"Quantity": len(values), "Items": list(values)} if values else {"Quantity": 0}


def from_items(value: dict[str, Any] | None) -> list[Any]:
    return list((value or {}).get("Items") or [])


def find_one(candidates: Iterator[dict[str, Any]], match: Callable[[dict[str, Any]], bool],
             module: AnsibleAWSModule, what: str) -> dict[str, Any] | None:
    """The single candidate that matches, None if none; fails if several do (never pick one at random)."""
    found = [c for c in candidates if match(c)]
    if len(found) > 1:
        module.fail_json(msg=f"Found {len(found)} {what}; resolve the duplicates first",
                         ids=[c.get("Id") for c in found])
    return found[0] if found else None
