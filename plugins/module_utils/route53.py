# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Route 53 errors and the record calls of the collection's modules (acm_dns_certificate's validation records,
route53_alias_records' alias records).

Route 53 allows five requests a second per account and answers ``PriorRequestNotComplete`` while an earlier change
of the zone is being applied: both are retried with backoff on every call here.
"""
from __future__ import annotations

from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.cloudresume.aws.plugins.module_utils.errors import DescribedErrorHandler

_retry = AWSRetry.jittered_backoff(catch_extra_error_codes=["PriorRequestNotComplete"])


class AnsibleRoute53Error(AnsibleAWSError):
    pass


class Route53ErrorHandler(DescribedErrorHandler):
    """Every Route 53 error fails."""

    _CUSTOM_EXCEPTION = AnsibleRoute53Error


@Route53ErrorHandler.common_error_handler("read the records of the hosted zone {zone_id}")
@_retry
def first_record_from(client: Any, zone_id: str, name: str, record_type: str) -> dict[str, Any] | None:
    """The first record set at or after (``name``, ``record_type``) in the zone's order, or None."""
    page = client.list_resource_record_sets(HostedZoneId=zone_id, StartRecordName=name, StartRecordType=record_type,
                                            MaxItems="1")
    return next(iter(page.get("ResourceRecordSets") or []), None)


@Route53ErrorHandler.common_error_handler("read the records of {name} in the hosted zone {zone_id}")
@_retry
def _page_from(client: Any, zone_id: str, name: str, start: dict[str, str]) -> dict[str, Any]:
    return client.list_resource_record_sets(HostedZoneId=zone_id, MaxItems="100", **start)


def record_sets_named(client: Any, zone_id: str, name: str) -> list[dict[str, Any]]:
    """Every record set of ``name`` (lower case, with its trailing dot), of any type: the zone is read from that name
    on, page by page, only while its pages still hold that name."""
    found: list[dict[str, Any]] = []
    start = {"StartRecordName": name}
    while True:
        page = _page_from(client, zone_id, name, start)
        sets = page.get("ResourceRecordSets") or []
        found += [s for s in sets if s["Name"].lower() == name]
        if not page.get("IsTruncated") or page.get("NextRecordName", "").lower() != name:
            return found
        start = {"StartRecordName": page["NextRecordName"], "StartRecordType": page["NextRecordType"]}


@Route53ErrorHandler.common_error_handler("{purpose} {zone_id}")
@_retry
def change_record_sets(client: Any, zone_id: str, changes: list[dict[str, Any]], purpose: str,
                       comment: str | None = None) -> str:
    """One ChangeResourceRecordSets (all or nothing, as Route 53 applies a batch); the change's id. ``purpose`` says
    what the change does for the error message ("remove the validation records from the hosted zone")."""
    batch = {"Changes": changes, **({"Comment": comment} if comment else {})}
    answer = client.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch=batch)
    return answer["ChangeInfo"]["Id"]


@Route53ErrorHandler.common_error_handler("wait for the change {change_id} to reach every Route 53 name server")
def wait_in_sync(client: Any, change_id: str, timeout: int) -> None:
    """Wait until the change is INSYNC (polled every 15 seconds, as Route 53's own waiter does)."""
    delay = 15
    client.get_waiter("resource_record_sets_changed").wait(
        Id=change_id, WaiterConfig={"Delay": delay, "MaxAttempts": max(1, timeout // delay)})
