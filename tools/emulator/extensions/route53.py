"""Route 53 gaps in moto, filled in the shape AWS documents.

ChangeResourceRecordSets refuses a CREATE (``InvalidChangeBatch``, "Tried to create resource record set ... but it
already exists") only when a record set of that name, type and set identifier exists. moto also refused a CREATE
identical to one in its change journal whenever any record set of the zone sorted after it (its check listed the
zone from that name on, not that name): a record deleted and then created again with the same values (a teardown,
then a redeploy with the same alias target) failed while the zone held, say, a validation CNAME below the name.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from moto.route53.exceptions import ResourceRecordAlreadyExists
from moto.route53.models import ChangeList, FakeZone, Route53Backend


class _NoJournalMembership(ChangeList):
    """The journal while moto's own CREATE check runs: that check is made here, on the zone's record sets."""

    def __contains__(self, item: Any) -> bool:
        return False


@contextmanager
def _journal_not_consulted(zone: FakeZone) -> Iterator[None]:
    zone.rr_changes.__class__ = _NoJournalMembership
    try:
        yield
    finally:
        zone.rr_changes.__class__ = ChangeList


def _normalised(name: str) -> str:
    return name.lower().strip(".")


def _refuse_existing(zone: FakeZone, change_list: list[dict[str, Any]]) -> None:
    for change in change_list:
        if change["Action"] != "CREATE":
            continue
        wanted = change["ResourceRecordSet"]
        key = (_normalised(wanted["Name"]), wanted["Type"], wanted.get("SetIdentifier"))
        if any((_normalised(r.name), r.type, r.set_identifier) == key for r in zone.rrsets):
            raise ResourceRecordAlreadyExists(name=key[0] + ".", _type=key[1])


def install() -> None:
    original = Route53Backend.change_resource_record_sets

    def change_resource_record_sets(self: Route53Backend, zoneid: str, change_list: list[dict[str, Any]]) -> None:
        zone = self.get_hosted_zone(zoneid)
        _refuse_existing(zone, change_list)
        with _journal_not_consulted(zone):
            original(self, zoneid, change_list)

    Route53Backend.change_resource_record_sets = change_resource_record_sets  # type: ignore[method-assign]
