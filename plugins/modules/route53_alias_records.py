#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: route53_alias_records
short_description: Point several names at one alias target in a Route 53 hosted zone, in one change
version_added: 0.1.0
description:
  - Ensures the alias records (C(A) and C(AAAA) by default) of several names in a hosted zone point at one alias
    target, such as a CloudFront distribution or an API Gateway custom domain name, or removes those that do.
  - Reads the records of each name once and sends every change in one C(ChangeResourceRecordSets) batch, which
    Route 53 applies all or nothing. M(amazon.aws.route53) manages one record per task, so the A and AAAA records of
    two names took four module runs and four changes.
  - A record of one of the names and types that exists with another value (not an alias, or an alias to another
    target) is never replaced unless O(overwrite=true); the module then fails naming it, and changes nothing. A
    C(CNAME) of one of the names always fails so (it excludes every other record of its name). With
    O(state=absent) such records are kept and reported in RV(kept).
  - With O(state=absent) the records to remove are those that alias O(target), or, when the target is no longer known
    (an API Gateway domain name already deleted), those whose alias target ends with O(target_suffix); the records
    are read and removed by the same task.
  - Throttling (Route 53 allows five requests a second per account) and C(PriorRequestNotComplete) (an earlier
    change of the zone still being applied) are retried with backoff.
  - Supports check mode and diff mode.
author:
  - cloudresume.aws maintainers (@cloudresume)
options:
  hosted_zone_id:
    description: Id of the hosted zone (with or without its C(/hostedzone/) prefix).
    type: str
    required: true
  names:
    description:
      - The names whose records point at O(target), each in the zone (C(www.example.com); a trailing dot is
        optional, upper case is read as lower case).
    type: list
    elements: str
    required: true
  types:
    description: The record types of each name.
    type: list
    elements: str
    choices: [A, AAAA]
    default: [A, AAAA]
  target:
    description:
      - DNS name of the alias target, for example the distribution's C(d111111abcdef8.cloudfront.net) or an API
        Gateway domain name's C(d-abcde12345.execute-api.us-east-2.amazonaws.com).
      - Required with O(state=present). With O(state=absent) only records that alias this target are removed; give
        it or O(target_suffix).
    type: str
  target_suffix:
    description:
      - With O(state=absent) and no O(target), remove the records whose alias target's DNS name ends with this
        suffix, which starts with a dot (C(.execute-api.us-east-2.amazonaws.com) for any Regional API Gateway domain
        name of a region). A trailing dot is optional, upper case is read as lower case.
    type: str
  target_hosted_zone_id:
    description:
      - Hosted zone id of the alias target as AWS documents it, C(Z2FDTNDATAQYW2) for every CloudFront distribution,
        the Regional API Gateway zone of the region for a Regional custom domain name.
      - Required with O(state=present). With O(state=absent), when given, a record is removed only if its target is
        in this zone too.
    type: str
  evaluate_target_health:
    description: Whether Route 53 checks the target's health before answering with it.
    type: bool
    default: false
  overwrite:
    description: Replace a record of these names and types that has another value (see the description).
    type: bool
    default: false
  state:
    description: >-
      V(present) creates or updates the records; V(absent) removes the records that alias O(target) (or a target
      ending with O(target_suffix)).
    type: str
    choices: [present, absent]
    default: present
  wait:
    description: Wait until the change has reached every Route 53 name server (C(INSYNC)).
    type: bool
    default: false
  wait_timeout:
    description: Seconds to wait with O(wait=true).
    type: int
    default: 300
notes:
  - Route 53 is global; the module's region only selects the endpoint's signing region.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Point the site's names at its distribution (A and AAAA, one change)
  cloudresume.aws.route53_alias_records:
    hosted_zone_id: Z0123456789ABCDEFGHIJ
    names: [example.com, www.example.com]
    target: d111111abcdef8.cloudfront.net
    target_hosted_zone_id: Z2FDTNDATAQYW2

- name: Remove them again (records that point elsewhere are kept)
  cloudresume.aws.route53_alias_records:
    hosted_zone_id: Z0123456789ABCDEFGHIJ
    names: [example.com, www.example.com]
    target: d111111abcdef8.cloudfront.net
    target_hosted_zone_id: Z2FDTNDATAQYW2
    state: absent

- name: Remove the API name's records that alias any Regional API Gateway domain name of us-east-2
  cloudresume.aws.route53_alias_records:
    hosted_zone_id: Z0123456789ABCDEFGHIJ
    names: [api.example.com]
    target_suffix: .execute-api.us-east-2.amazonaws.com
    state: absent
"""

RETURN = r"""
records:
  description: The alias records of O(names) and O(types) after the task (with O(state=absent), those still there).
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Record name, lower case with its trailing dot.
      type: str
      sample: www.example.com.
    type:
      description: Record type.
      type: str
      sample: AAAA
    target:
      description: DNS name of the alias target, with its trailing dot.
      type: str
      sample: d111111abcdef8.cloudfront.net.
    target_hosted_zone_id:
      description: Hosted zone id of the alias target.
      type: str
      sample: Z2FDTNDATAQYW2
    evaluate_target_health:
      description: Whether Route 53 checks the target's health.
      type: bool
      sample: false
changes:
  description: The changes made (planned in check mode), in the order of the batch.
  returned: always
  type: list
  elements: dict
  sample: [{"action": "CREATE", "name": "example.com.", "type": "A"}]
kept:
  description: >-
    With O(state=absent), the records of O(names) and O(types) that alias another target (or are not aliases), left
    alone.
  returned: always
  type: list
  elements: dict
  sample: [{"name": "www.example.com.", "type": "A", "target": "other.example.net.", "target_hosted_zone_id": "Z1"}]
change_id:
  description: Id of the Route 53 change, when one was made.
  returned: when changed and not in check mode
  type: str
  sample: /change/C2682N5HXP0BZ4
"""

from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudresume.aws.plugins.module_utils import route53
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import DOMAIN_NAME
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_pattern

MAX_NAMES = 50  # a batch holds at most 1000 changes; the names of a site or an API are a handful


def fqdn(name: str) -> str:
    """Lower case, with the trailing dot Route 53 answers with."""
    return name.lower().rstrip(".") + "."


def alias(record_set: dict[str, Any]) -> dict[str, Any] | None:
    """The record set as the module's record, None when it is not a simple alias record (values, routing policy)."""
    target = record_set.get("AliasTarget")
    if not target or record_set.get("SetIdentifier"):
        return None
    return {"name": record_set["Name"].lower(), "type": record_set["Type"], "target": fqdn(target["DNSName"]),
            "target_hosted_zone_id": target["HostedZoneId"],
            "evaluate_target_health": bool(target.get("EvaluateTargetHealth"))}


def describe(record_set: dict[str, Any]) -> str:
    found = alias(record_set)
    if found:
        return f"an alias to {found['target']} (zone {found['target_hosted_zone_id']})"
    values = ", ".join(r["Value"] for r in record_set.get("ResourceRecords", []))
    return f"the value {values}" if values else "a routing policy of its own"


def record_set_of(record: dict[str, Any]) -> dict[str, Any]:
    return {"Name": record["name"], "Type": record["type"],
            "AliasTarget": {"HostedZoneId": record["target_hosted_zone_id"], "DNSName": record["target"],
                            "EvaluateTargetHealth": record["evaluate_target_health"]}}


class AliasRecords:
    """The records the task names, what the zone holds of them, and the batch that makes the zone hold them."""

    def __init__(self, module: AnsibleAWSModule, client: Any) -> None:
        self.module = module
        self.client = client
        self.params = module.params
        self.zone_id = self.params["hosted_zone_id"].rsplit("/", 1)[-1]

    def validate(self) -> None:
        problems = [f"names[{i}]: {p}" for i, n in enumerate(self.params["names"])
                    if (p := check_pattern(DOMAIN_NAME, n.lower().rstrip("."), "a domain name like www.example.com"))]
        names = [fqdn(n) for n in self.params["names"]]
        if not names:
            problems.append("names: give at least one name")
        if len(names) > MAX_NAMES:
            problems.append(f"names: at most {MAX_NAMES} names")
        if len(set(names)) != len(names):
            problems.append("names: each name may appear once")
        if not self.params["types"] or len(set(self.params["types"])) != len(self.params["types"]):
            problems.append("types: give A, AAAA or both, each once")
        for field in ("hosted_zone_id", "target", "target_suffix", "target_hosted_zone_id"):
            if self.params[field] is not None and not self.params[field].strip():
                problems.append(f"{field}: must not be empty")
        problems += self.target_problems()
        if problems:
            self.module.fail_json(msg="; ".join(problems))

    def target_problems(self) -> list[str]:
        params = self.params
        if params["state"] == "present":
            missing = [f for f in ("target", "target_hosted_zone_id") if params[f] is None]
            problems = [f"{f}: required with state=present" for f in missing]
            return problems + (["target_suffix: only with state=absent"] if params["target_suffix"] is not None else [])
        if params["target"] is None and params["target_suffix"] is None:
            return ["target: give target or target_suffix with state=absent"]
        if params["target_suffix"] is not None and not params["target_suffix"].strip().startswith("."):
            return [f"target_suffix: must start with a dot, like .execute-api.us-east-2.amazonaws.com, got "
                    f"{params['target_suffix']!r}"]
        return []

    def wanted(self) -> list[dict[str, Any]]:
        return [{"name": fqdn(n), "type": t, "target": fqdn(self.params["target"]),
                 "target_hosted_zone_id": self.params["target_hosted_zone_id"],
                 "evaluate_target_health": self.params["evaluate_target_health"]}
                for n in self.params["names"] for t in self.params["types"]]

    def existing(self) -> dict[tuple[str, str], dict[str, Any]]:
        """The zone's record sets of the names and types, by (name, type)."""
        found = {}
        for name in dict.fromkeys(fqdn(n) for n in self.params["names"]):
            for record_set in route53.record_sets_named(self.client, self.zone_id, name):
                if record_set["Type"] in (*self.params["types"], "CNAME"):
                    found[(name, record_set["Type"])] = record_set
        return found

    def plan_present(self, existing: dict[tuple[str, str], dict[str, Any]]) -> tuple[list[dict], list[dict]]:
        changes: list[dict] = []
        # A CNAME excludes every other record of its name: Route 53 would refuse the batch.
        conflicts = [f"CNAME {name} already has {describe(existing[(name, t)])}" for name, t in existing if t == "CNAME"]
        for record in self.wanted():
            current = existing.get((record["name"], record["type"]))
            if current is None:
                changes.append({"Action": "CREATE", "ResourceRecordSet": record_set_of(record)})
            elif alias(current) != record:
                if not self.params["overwrite"] and not self.same_target(current, record):
                    conflicts.append(f"{record['type']} {record['name']} already has {describe(current)}")
                    continue
                changes.append({"Action": "UPSERT", "ResourceRecordSet": record_set_of(record)})
        return changes, conflicts

    @staticmethod
    def same_target(current: dict[str, Any], record: dict[str, Any]) -> bool:
        """The record already aliases the target and only its health evaluation differs: no one's record is lost."""
        found = alias(current)
        return bool(found) and (found["target"], found["target_hosted_zone_id"]) == (
            record["target"], record["target_hosted_zone_id"])

    def removable(self, current: dict[str, Any]) -> bool:
        """The record aliases the target (or a target ending with target_suffix), in target_hosted_zone_id if given."""
        found = alias(current)
        if not found:
            return False
        zone = self.params["target_hosted_zone_id"]
        if zone is not None and found["target_hosted_zone_id"] != zone:
            return False
        if self.params["target"] is not None:
            return found["target"] == fqdn(self.params["target"])
        return found["target"].endswith(fqdn(self.params["target_suffix"].strip()))

    def plan_absent(self, existing: dict[tuple[str, str], dict[str, Any]]) -> tuple[list[dict], list[dict]]:
        changes, kept = [], []
        for name in dict.fromkeys(fqdn(n) for n in self.params["names"]):
            for record_type in self.params["types"]:
                current = existing.get((name, record_type))
                if current is None:
                    continue
                if self.removable(current):
                    changes.append({"Action": "DELETE", "ResourceRecordSet": current})  # DELETE takes the exact set
                else:
                    kept.append(alias(current) or {"name": name, "type": record_type})
        return changes, kept

    def run(self) -> dict[str, Any]:
        self.validate()
        existing = self.existing()
        before = [alias(existing[key]) or {"name": key[0], "type": key[1]} for key in sorted(existing)
                  if key[1] != "CNAME"]
        kept: list[dict[str, Any]] = []
        if self.params["state"] == "present":
            changes, conflicts = self.plan_present(existing)
            if conflicts:
                self.module.fail_json(msg=f"names: {'; '.join(conflicts)}, which the alias records would replace. "
                                          "Remove it, choose another name, or set overwrite=true (not for a CNAME). "
                                          "Nothing was changed.")
            after = self.wanted()
        else:
            changes, kept = self.plan_absent(existing)
            deleted = {(c["ResourceRecordSet"]["Name"].lower(), c["ResourceRecordSet"]["Type"]) for c in changes}
            after = [r for r in before if (r["name"], r["type"]) not in deleted]
        result: dict[str, Any] = {
            "changed": bool(changes), "records": [r for r in after if "target" in r], "kept": kept,
            "changes": [{"action": c["Action"], "name": c["ResourceRecordSet"]["Name"].lower(),
                         "type": c["ResourceRecordSet"]["Type"]} for c in changes],
        }
        if changes and not self.module.check_mode:
            result["change_id"] = route53.change_record_sets(self.client, self.zone_id, changes,
                                                             "change the records of the hosted zone",
                                                             "cloudresume.aws.route53_alias_records")
            if self.params["wait"]:
                route53.wait_in_sync(self.client, result["change_id"], self.params["wait_timeout"])
        if self.module._diff:
            result["diff"] = {"before": {"records": before}, "after": {"records": sorted(
                after, key=lambda r: (r["name"], r["type"]))}}
        return result


def main() -> None:
    module = AnsibleAWSModule(
        argument_spec=dict(
            hosted_zone_id=dict(type="str", required=True),
            names=dict(type="list", elements="str", required=True),
            types=dict(type="list", elements="str", choices=["A", "AAAA"], default=["A", "AAAA"]),
            target=dict(type="str"),
            target_suffix=dict(type="str"),
            target_hosted_zone_id=dict(type="str"),
            evaluate_target_health=dict(type="bool", default=False),
            overwrite=dict(type="bool", default=False),
            state=dict(type="str", default="present", choices=["present", "absent"]),
            wait=dict(type="bool", default=False),
            wait_timeout=dict(type="int", default=300),
        ),
        mutually_exclusive=[("target", "target_suffix")],
        supports_check_mode=True,
    )
    try:
        result = AliasRecords(module, module.client("route53")).run()
    except route53.AnsibleRoute53Error as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
