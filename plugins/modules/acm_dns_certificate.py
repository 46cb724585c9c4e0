#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: acm_dns_certificate
short_description: A public ACM certificate validated by DNS in a Route 53 hosted zone
version_added: 0.1.0
description:
  - Requests a public AWS Certificate Manager certificate for O(domain_names) with DNS validation, writes its
    validation CNAME records in the Route 53 hosted zone O(hosted_zone_id), and waits until ACM has issued it.
  - The certificate is found by its C(Name) tag O(name) with the Resource Groups Tagging API
    (C(tag:GetResources)), so no other certificate of the account is read. The request carries an idempotency
    token made from O(name) and the domain names, so a rerun within an hour of an interrupted run gets the same
    certificate back instead of a second one. When the certificate ACM answers was deleted meanwhile (a teardown,
    then a deploy within the hour), the request is made again with a token of its own.
  - When O(domain_names) change, a new certificate is requested; the earlier ones with the same C(Name) tag are
    deleted once nothing uses them (those still in use, for example by the distribution about to be switched to
    the new one, are reported in RV(superseded_in_use) and deleted by a later run).
  - An existing validation record with another value is never replaced; the module fails naming it.
  - With O(state=absent), every certificate with the C(Name) tag is deleted, with its validation records when
    O(hosted_zone_id) is given and no other certificate listed in the region covers the same domain name (ACM
    gives every certificate of the account for a domain the same validation record). A certificate still in use
    fails the module and is not deleted (in check mode the deletion is planned, since an earlier task may remove
    that use).
  - Supports check mode and diff mode.
  - M(community.aws.acm_certificate) only imports certificates; it cannot request one, write its validation
    records or wait for it to be issued.
author:
  - cloudresume.aws maintainers (@cloudresume)
options:
  name:
    description: Value of the certificate's C(Name) tag, which identifies it.
    type: str
    required: true
  state:
    description: Whether the certificate should exist.
    type: str
    choices: [present, absent]
    default: present
  domain_names:
    description:
      - The names the certificate covers; the first is its domain name, the others its subject alternative names.
        Required with O(state=present).
    type: list
    elements: str
  hosted_zone_id:
    description:
      - Id of the Route 53 public hosted zone in which the validation records are written (or removed).
      - Required with O(state=present).
    type: str
  validation_record_ttl:
    description: TTL of the validation CNAME records, in seconds.
    type: int
    default: 300
  wait:
    description: Wait until ACM has issued the certificate (it then serves CloudFront or API Gateway).
    type: bool
    default: true
  wait_timeout:
    description:
      - How long to wait for the validation records and then for the certificate to be issued, in seconds.
      - ACM checks public DNS; it usually issues within minutes once the records resolve, but a zone that is not
        (yet) the one the registrar delegates to is never seen.
    type: int
    default: 900
  wait_delay:
    description: Seconds between two reads of the certificate while waiting.
    type: int
    default: 10
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Certificate of the résumé site (CloudFront takes certificates from us-east-1 only)
  cloudresume.aws.acm_dns_certificate:
    name: cloudresume-site-us-east-2
    domain_names: [example.com, www.example.com]
    hosted_zone_id: Z0123456789ABCDEFGHIJ
    region: us-east-1
    tags:
      Stack: cloudresume
  register: certificate

- name: Remove it and its validation records
  cloudresume.aws.acm_dns_certificate:
    name: cloudresume-site-us-east-2
    hosted_zone_id: Z0123456789ABCDEFGHIJ
    region: us-east-1
    state: absent
"""

RETURN = r"""
certificate:
  description: The certificate after the task (empty when absent).
  returned: always
  type: dict
  contains:
    arn:
      description: ARN of the certificate (empty in check mode before it is requested).
      type: str
      sample: arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012
    domain_names:
      description: The names it covers, its domain name first.
      type: list
      elements: str
    status:
      description: C(PENDING_VALIDATION), C(ISSUED), ... or C((planned)) in check mode before it exists.
      type: str
    validation_records:
      description: The validation CNAME records (C(name), C(type), C(value)); empty before ACM has made them.
      type: list
      elements: dict
    tags:
      description: Tags of the certificate.
      type: dict
superseded:
  description: ARNs of earlier certificates with the same C(Name) tag that were (or in check mode would be) deleted.
  returned: always
  type: list
  elements: str
superseded_in_use:
  description: ARNs of earlier certificates with the same C(Name) tag kept because something still uses them.
  returned: always
  type: list
  elements: str
records_changed:
  description: Names of the validation records written or removed (or that would be in check mode).
  returned: always
  type: list
  elements: str
"""

import hashlib
import time
from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import is_ansible_aws_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.cloudresume.aws.plugins.module_utils import acm
from ansible_collections.cloudresume.aws.plugins.module_utils import route53
from ansible_collections.cloudresume.aws.plugins.module_utils.tagging import plan_tags
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_domain_names
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_tags

UNUSABLE = {"FAILED", "VALIDATION_TIMED_OUT", "REVOKED", "EXPIRED", "INACTIVE"}
MAX_NAMES = 10  # ACM's default quota of names per certificate


def fqdn(name: str) -> str:
    """A DNS name as Route 53 returns it: lower case, with the trailing dot."""
    return name.lower().rstrip(".") + "."


def idempotency_token(name: str, domains: list[str]) -> str:
    """ACM's IdempotencyToken (\\w{1,32}): the same request within an hour answers the same certificate."""
    return hashlib.sha256("\n".join([name, *domains]).encode()).hexdigest()[:32]


def validation_records(cert: dict[str, Any]) -> list[dict[str, str]]:
    """The certificate's validation CNAMEs, one per record name (the same record may validate several names)."""
    records: dict[str, dict[str, str]] = {}
    for option in cert.get("DomainValidationOptions") or []:
        record = option.get("ResourceRecord")
        if record:
            records[fqdn(record["Name"])] = {"name": fqdn(record["Name"]), "type": record["Type"],
                                             "value": record["Value"]}
    return sorted(records.values(), key=lambda r: r["name"])


def same_names(have: list[str], want: list[str]) -> bool:
    """The same domain name (first) and the same names in all (ACM does not promise the order of the others)."""
    return have[:1] == want[:1] and sorted(have) == sorted(want)


def covered(cert: dict[str, Any]) -> list[str]:
    return [cert["DomainName"]] + [n for n in cert.get("SubjectAlternativeNames") or [] if n != cert["DomainName"]]


class Certificates:
    def __init__(self, module: AnsibleAWSModule) -> None:
        self.module = module
        self.params = module.params
        self.acm = module.client("acm")
        self.tagging = module.client("resourcegroupstaggingapi")
        self.route53 = module.client("route53")
        self.changed = False
        self.superseded: list[str] = []
        self.superseded_in_use: list[str] = []
        self.records_changed: list[str] = []

    # ---- reading -----------------------------------------------------------------------------------------
    def ours(self) -> list[dict[str, Any]]:
        """Every certificate with our Name tag (DescribeCertificate's answer plus ``Tags``), oldest first."""
        found = []
        for mapping in acm.certificates_tagged(self.tagging, self.params["name"]):
            # None: deleted since the tag index was read (the index lags behind)
            cert = acm.describe_certificate(self.acm, mapping["ResourceARN"])
            if cert:
                found.append(dict(cert, Tags=boto3_tag_list_to_ansible_dict(mapping.get("Tags") or [])))
        return sorted(found, key=lambda c: c.get("CreatedAt") or 0)

    def view(self, cert: dict[str, Any], tags: dict[str, str]) -> dict[str, Any]:
        return {"arn": cert["CertificateArn"], "domain_names": covered(cert), "status": cert["Status"],
                "validation_records": validation_records(cert), "tags": tags}

    def record(self, name: str) -> dict[str, Any] | None:
        """The CNAME record named ``name`` in the hosted zone, or None."""
        rrset = route53.first_record_from(self.route53, self.params["hosted_zone_id"], name, "CNAME")
        if rrset and fqdn(rrset["Name"]) == name and rrset["Type"] == "CNAME":
            return rrset
        return None

    # ---- present -----------------------------------------------------------------------------------------
    def ensure_present(self, ours: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
        domains = [d.lower() for d in self.params["domain_names"]]
        wanted_tags = dict(self.params["tags"] or {}, Name=self.params["name"])
        matching = [c for c in ours if same_names(covered(c), domains) and c["Status"] not in UNUSABLE]
        current = matching[-1] if matching else None
        before = self.view(current, current["Tags"]) if current else {}
        for old in ours:
            if old is not current:
                self.supersede(old)
        if current is None:
            self.changed = True
            if self.module.check_mode:
                return before, {"arn": "", "domain_names": domains, "status": "(planned)", "validation_records": [],
                                "tags": wanted_tags}
            arn = self.request(domains, wanted_tags)
            current, tags = self.wait_for_records(arn), wanted_tags
        else:
            tags = self.update_tags(current["CertificateArn"], current["Tags"], wanted_tags)
            if not validation_records(current) and not self.module.check_mode:  # a run interrupted after the request
                current = self.wait_for_records(current["CertificateArn"])
        self.write_records(validation_records(current))
        if self.params["wait"] and not self.module.check_mode and current["Status"] != "ISSUED":
            current = self.wait_issued(current)
        return before, self.view(current, tags)

    def request(self, domains: list[str], tags: dict[str, str]) -> str:
        """One certificate for the request, whatever a killed run asked before: the same idempotency token within an
        hour answers the same certificate. When that certificate was deleted meanwhile (a teardown, then a deploy
        within the hour), ACM still answers its ARN: the request is made again with a token of its own."""
        tag_list = ansible_dict_to_boto3_tag_list(tags)
        arn = acm.request_certificate(self.acm, domains, idempotency_token(self.params["name"], domains), tag_list)
        if not self.exists(arn):
            arn = acm.request_certificate(self.acm, domains, idempotency_token(self.params["name"], [*domains, arn]),
                                          tag_list)
        return arn

    def exists(self, arn: str) -> bool:
        """Whether the certificate ACM answered a request with is there. A deleted one is not found, or, to a role
        allowed certificates by their tags (the bootstrap's deploy role), denied: it has no tags any more."""
        try:
            return acm.describe_certificate(self.acm, arn) is not None
        except is_ansible_aws_error_code(["AccessDeniedException", "AccessDenied"]):
            return False

    def update_tags(self, arn: str, current: dict[str, str], wanted: dict[str, str]) -> dict[str, str]:
        plan = plan_tags(current, wanted, self.params["purge_tags"])
        if plan.changed:
            self.changed = True
            if not self.module.check_mode:
                plan.apply(lambda keys: acm.remove_tags(self.acm, arn, [{"Key": k, "Value": current[k]} for k in keys]),
                           lambda tags: acm.add_tags(self.acm, arn, ansible_dict_to_boto3_tag_list(tags)))
        return plan.after

    def supersede(self, old: dict[str, Any]) -> None:
        """An earlier certificate of ours for other names: deleted once nothing uses it."""
        if old.get("InUseBy"):
            self.superseded_in_use.append(old["CertificateArn"])
            return
        self.changed = True
        self.superseded.append(old["CertificateArn"])
        self.delete(old, {old["CertificateArn"]})

    def write_records(self, records: list[dict[str, str]]) -> None:
        changes = []
        for record in records:
            existing = self.record(record["name"])
            if existing is None:
                changes.append({"Action": "CREATE", "ResourceRecordSet": {
                    "Name": record["name"], "Type": "CNAME", "TTL": self.params["validation_record_ttl"],
                    "ResourceRecords": [{"Value": record["value"]}]}})
            elif [r["Value"] for r in existing.get("ResourceRecords") or []] != [record["value"]]:
                self.module.fail_json(
                    msg=f"hosted_zone_id: the zone {self.params['hosted_zone_id']} already has a CNAME record "
                    f"{record['name']} with another value than the certificate's validation value {record['value']}; "
                    "it was not replaced: remove it (or set it to that value) and rerun")
        if changes:
            self.changed = True
            self.records_changed.extend(c["ResourceRecordSet"]["Name"] for c in changes)
            if not self.module.check_mode:
                route53.change_record_sets(self.route53, self.params["hosted_zone_id"], changes,
                                           "write the validation records in the hosted zone",
                                           f"ACM DNS validation of {self.params['name']}")

    def poll(self, arn: str, done: Any, what: str) -> dict[str, Any]:
        """Reads the certificate until ``done``; the last one read at the timeout (the caller says what was missing).

        A hand poll rather than ACM's ``certificate_validated`` waiter: it also waits for the validation records
        (no waiter does), and a timeout returns the certificate so that the failure names the records and the
        delegation to check instead of a bare waiter error.
        """
        started = time.monotonic()
        while True:
            cert = acm.describe_certificate(self.acm, arn)
            if cert is None:
                self.module.fail_json(msg=f"The certificate {arn} disappeared while waiting for {what}")
            if done(cert):
                return cert
            elapsed = time.monotonic() - started
            if elapsed >= self.params["wait_timeout"]:
                return cert
            time.sleep(min(self.params["wait_delay"], max(1.0, self.params["wait_timeout"] - elapsed)))

    def wait_for_records(self, arn: str) -> dict[str, Any]:
        """ACM adds the validation records to a new certificate within seconds, not at once."""
        cert = self.poll(arn, lambda c: all(o.get("ResourceRecord") for o in c.get("DomainValidationOptions") or [{}]),
                         "its validation records")
        if not validation_records(cert):
            self.module.fail_json(msg=f"ACM gave the certificate {arn} no validation records within "
                                  f"{self.params['wait_timeout']} s; rerun later")
        return cert

    def wait_issued(self, cert: dict[str, Any]) -> dict[str, Any]:
        arn = cert["CertificateArn"]
        cert = self.poll(arn, lambda c: c["Status"] != "PENDING_VALIDATION", "its validation")
        if cert["Status"] == "PENDING_VALIDATION":
            names = ", ".join(r["name"] for r in validation_records(cert))
            self.module.fail_json(
                msg=f"Timed out after {self.params['wait_timeout']} s waiting for ACM to issue the certificate {arn}: "
                f"still PENDING_VALIDATION. Its validation records ({names}) are in the hosted zone "
                f"{self.params['hosted_zone_id']}, but ACM reads public DNS: once the domain's registrar delegates to "
                "this zone's name servers, validation usually takes minutes (DNS propagation can take up to 48 hours "
                "after a delegation change). Rerun later: nothing is requested twice.", certificate=self.view(cert, {}))
        if cert["Status"] != "ISSUED":
            self.module.fail_json(msg=f"ACM did not issue the certificate {arn}: {cert['Status']} "
                                  f"({cert.get('FailureReason', 'no reason given')})", certificate=self.view(cert, {}))
        return cert

    # ---- absent ------------------------------------------------------------------------------------------
    def ensure_absent(self, ours: list[dict[str, Any]]) -> dict[str, Any]:
        before = self.view(ours[-1], ours[-1]["Tags"]) if ours else {}
        for cert in ours:
            # In check mode the use may be planned away by an earlier task (a playbook deleting the distribution).
            if cert.get("InUseBy") and not self.module.check_mode:
                self.module.fail_json(msg=f"The certificate {cert['CertificateArn']} is still used by "
                                      f"{', '.join(cert['InUseBy'])}; remove that use first. Nothing was deleted.")
        leaving = {c["CertificateArn"] for c in ours}
        for cert in ours:
            self.changed = True
            self.superseded.append(cert["CertificateArn"])
            self.delete(cert, leaving)
        return before

    def delete(self, cert: dict[str, Any], leaving: set[str]) -> None:
        """The certificate and its validation records (in check mode: only planned)."""
        self.remove_records(cert, leaving)
        if not self.module.check_mode:
            acm.delete_certificate(self.acm, cert["CertificateArn"])

    def remove_records(self, cert: dict[str, Any], leaving: set[str]) -> None:
        """Its validation records, unless another certificate of the region (not leaving) covers the same name."""
        if not self.params["hosted_zone_id"]:
            return
        still_needed = self.names_of_other_certificates(leaving)
        shared = {fqdn(o["ResourceRecord"]["Name"]) for o in cert.get("DomainValidationOptions") or []
                  if o.get("ResourceRecord") and o["DomainName"].lower() in still_needed}
        changes = []
        for record in validation_records(cert):
            existing = self.record(record["name"])
            if record["name"] in shared or existing is None:
                continue
            if [r["Value"] for r in existing.get("ResourceRecords") or []] == [record["value"]]:
                changes.append({"Action": "DELETE", "ResourceRecordSet": existing})
        if changes:
            self.changed = True
            self.records_changed.extend(c["ResourceRecordSet"]["Name"] for c in changes)
            if not self.module.check_mode:
                route53.change_record_sets(self.route53, self.params["hosted_zone_id"], changes,
                                           "remove the validation records from the hosted zone")

    def names_of_other_certificates(self, leaving: set[str]) -> set[str]:
        names: set[str] = set()
        for summary in acm.list_certificates(self.acm):
            if summary["CertificateArn"] not in leaving:
                names.add(summary["DomainName"].lower())
                names.update(n.lower() for n in summary.get("SubjectAlternativeNameSummaries") or [])
        return names


def validate(module: AnsibleAWSModule) -> None:
    p = module.params
    problem = check_tags(p["tags"]) if p["tags"] is not None else None
    if problem:
        module.fail_json(msg=f"tags: {problem}")
    if "Name" in (p["tags"] or {}):
        module.fail_json(msg="tags: the Name tag is the module's name option; do not set it in tags")
    if not p["name"]:
        module.fail_json(msg="name: must not be empty")
    for option in ("wait_timeout", "wait_delay", "validation_record_ttl"):
        if p[option] < 1:
            module.fail_json(msg=f"{option}: must be at least 1")
    if p["state"] == "absent":
        return
    # required_if refuses these options when they are left out; an explicit null passes it.
    if not p["hosted_zone_id"]:
        module.fail_json(msg="hosted_zone_id: required with state=present")
    domains = [d.lower().rstrip(".") for d in p["domain_names"] or []]
    if not domains:
        module.fail_json(msg="domain_names: give at least one name with state=present")
    problem = check_domain_names(domains, MAX_NAMES)
    if problem:
        module.fail_json(msg=f"domain_names: {problem}")
    p["domain_names"] = domains


def main() -> None:
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        domain_names=dict(type="list", elements="str"),
        hosted_zone_id=dict(type="str"),
        validation_record_ttl=dict(type="int", default=300),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=900),
        wait_delay=dict(type="int", default=10),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True,
                              required_if=[("state", "present", ["domain_names", "hosted_zone_id"])])
    validate(module)
    certificates = Certificates(module)
    try:
        ours = certificates.ours()
        if module.params["state"] == "present":
            before, after = certificates.ensure_present(ours)
        else:
            before, after = certificates.ensure_absent(ours), {}
    except AnsibleAWSError as e:
        module.fail_json_aws_error(e)
    result: dict[str, Any] = {"changed": certificates.changed, "certificate": after,
                              "superseded": certificates.superseded,
                              "superseded_in_use": certificates.superseded_in_use,
                              "records_changed": certificates.records_changed}
    if module._diff:
        result["diff"] = {"before": before, "after": after}
    module.exit_json(**result)


if __name__ == "__main__":
    main()
