"""Authorise one request: the action(s) its operation needs (Service Authorization Reference), the resources it
touches, the actions AWS evaluates besides (``iam:PassRole`` for a role the request passes, ``TagResource`` for
tags given on creation), and for each the decision of policy.py, with the resource's policy where AWS evaluates one
(KMS key policies, S3 bucket policies).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from . import sar, state
from .context import RequestContext, request_tags
from .policy import Decision, Policy, ResourcePolicy, decide
from .request import service_model
from .resources import Target, resources

_NO_PERMISSION = "No permissions are required to perform this operation"
_ROLE_ARN = re.compile(r"^arn:[^:]+:iam::\d{12}:role/")


@dataclass(frozen=True)
class Check:
    action: str
    resource: str
    decision: Decision


# Services whose IAM prefix is none of botocore's names for them (the Resource Groups Tagging API signs as "tagging").
_IAM_PREFIXES = {"resourcegroupstaggingapi": "tag"}


def sar_prefix(service: str) -> str:
    model = service_model(service)
    for candidate in (_IAM_PREFIXES.get(service, service), model.signing_name, model.endpoint_prefix):
        try:
            sar.service(candidate)
            return candidate
        except LookupError:
            continue
    raise LookupError(f"no Service Authorization Reference entry for {service}")


def _documented_actions(service: str, prefix: str, operation: str) -> tuple[sar.Action, ...]:
    """The first action the API reference's text for the operation names (S3: HeadBucket needs s3:ListBucket)."""
    try:
        text = service_model(service).operation_model(operation).documentation or ""
    except Exception:  # operation unknown to botocore
        return ()
    for name in re.findall(rf"\b{re.escape(prefix)}:([A-Za-z]+)", text):
        found = sar.action(prefix, name)
        if found is not None:
            return (found,)
    return ()


def needs_no_permission(service: str, operation: str) -> bool:
    try:
        return _NO_PERMISSION in (service_model(service).operation_model(operation).documentation or "")
    except Exception:  # operation unknown to botocore
        return False


def actions(service: str, operation: str, method: str = "") -> tuple[sar.Action, ...]:
    prefix = sar_prefix(service)
    by_method = sar.action(prefix, method) if method and service_model(service).protocol.startswith("rest") else None
    if by_method is not None and by_method.name == method:  # API Gateway: the action is the HTTP method
        return (by_method,)
    found = sar.actions_for_operation(prefix, operation)
    if not found and operation.endswith("WithTags"):
        found = sar.actions_for_operation(prefix, operation.removesuffix("WithTags"))
    return found or _documented_actions(service, prefix, operation)


def _tag_action(primary: sar.Action, resource_type: str) -> sar.Action | None:
    """The action that tags the resource type (TagResource, or IAM's TagRole/TagUser/...)."""
    names = [f"Tag{resource_type.title().replace('-', '')}", "TagResource"]
    return next((a for a in (sar.action(primary.prefix, n) for n in names) if a is not None), None)


_AWS_MANAGED_KEY_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "Allow access through the service for all principals in the account that are authorized to use it",
         "Effect": "Allow", "Principal": {"AWS": "*"},
         "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant",
                    "kms:DescribeKey"],
         "Resource": "*",
         "Condition": {"StringEquals": {"kms:ViaService": "{service}.{region}.amazonaws.com",
                                        "kms:CallerAccount": "{account}"}}},
        {"Sid": "Allow direct access to key metadata to the account", "Effect": "Allow",
         "Principal": {"AWS": "arn:aws:iam::{account}:root"},
         "Action": ["kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant"], "Resource": "*"},
    ],
}


def _managed_key_policy(key: state.KmsKey, account: str, region: str) -> str:
    """The key policy AWS gives an AWS managed key (``alias/aws/<service>``): use via that service, metadata to IAM."""
    service = next((a.split("/")[2] for a in key.aliases if a.startswith("alias/aws/")), "*")
    text = json.dumps(_AWS_MANAGED_KEY_POLICY)
    return text.replace("{service}", service).replace("{region}", region).replace("{account}", account)


def _principals(principal: Any) -> list[str]:
    if principal == "*":
        return ["*"]
    if isinstance(principal, dict):
        value = principal.get("AWS", [])
        return value if isinstance(value, list) else [value]
    return []


def _resource_policy(text: str, name: str, caller: state.Caller, required: bool) -> ResourcePolicy:
    account_names = {caller.account, f"arn:aws:iam::{caller.account}:root"}
    role_arn = _role_arn(caller)
    caller_names = {"*", caller.principal.arn} | ({role_arn} if role_arn else set())
    return ResourcePolicy(
        Policy.parse(text, name), required=required,
        names_caller=lambda p: bool(set(_principals(p)) & caller_names),
        names_account=lambda p: bool(set(_principals(p)) & account_names),
    )


def key_policy(key: state.KmsKey, caller: state.Caller, region: str) -> ResourcePolicy:
    """A KMS key's policy: KMS requires it to allow the caller, or the account and then an identity policy."""
    text = _managed_key_policy(key, caller.account, region) if key.manager == "AWS" else key.policy
    return _resource_policy(text, "key policy", caller, required=True)


def resource_policy(action: sar.Action, arn: str, caller: state.Caller, region: str) -> ResourcePolicy | None:
    """The resource-based policy AWS evaluates with the identity's: a KMS key policy, an S3 bucket policy."""
    if action.prefix == "kms" and ":key/" in arn:
        key = state.kms_key(caller.account, region, arn)
        return key_policy(key, caller, region) if key is not None else None
    if action.prefix == "s3" and arn.startswith("arn:aws:s3:::"):
        text = state.bucket_policy(caller.account, arn)
        return _resource_policy(text, "bucket policy", caller, required=False) if text else None
    return None


def _role_arn(caller: state.Caller) -> str | None:
    if caller.role_name is None:
        return None
    path = state.role_path(caller.account, caller.role_name) or "/"
    return f"arn:aws:iam::{caller.account}:role{path}{caller.role_name}"


@dataclass(frozen=True)
class Request:
    service: str
    operation: str
    region: str
    params: dict[str, Any]
    path: str
    method: str = ""


def _record_change_keys(params: dict[str, Any]) -> dict[str, list[str]]:
    """Route 53's keys of a ChangeResourceRecordSets batch: each change's action, record type and record name as
    Route 53 normalises it (lower case, no trailing dot)."""
    changes = (params.get("ChangeBatch") or {}).get("Changes") or []
    if isinstance(changes, dict):  # the wire's <Changes><Change>...</Change></Changes>
        changes = changes.get("Change") or []
    changes = [changes] if isinstance(changes, dict) else changes
    record_sets = [c.get("ResourceRecordSet") or {} for c in changes]
    return {"route53:changeresourcerecordsetsactions": [str(c.get("Action", "")) for c in changes],
            "route53:changeresourcerecordsetsrecordtypes": [str(r.get("Type", "")) for r in record_sets],
            "route53:changeresourcerecordsetsnormalizedrecordnames": [
                str(r.get("Name", "")).lower().rstrip(".") for r in record_sets]}


def _extra_keys(request: Request, caller: state.Caller, action: sar.Action, arn: str) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    if action.prefix == "kms":
        extra["kms:calleraccount"] = caller.account
        key_id = request.params.get("KeyId")
        if isinstance(key_id, str) and "alias/" in key_id:
            extra["kms:requestalias"] = "alias/" + key_id.split("alias/", 1)[1]
        if ":key/" in arn:
            key = state.kms_key(caller.account, request.region, arn)
            extra["kms:resourcealiases"] = list(key.aliases) if key and key.aliases else None
    if (action.prefix, action.name) == ("route53", "ChangeResourceRecordSets"):
        extra.update(_record_change_keys(request.params))
    if action.prefix == "iam":
        boundary = request.params.get("PermissionsBoundary")
        if boundary is None and ":role/" in arn:
            boundary = state.permissions_boundary(caller.account, arn.rsplit("/", 1)[-1])
        extra["iam:permissionsboundary"] = boundary
    return extra


def _check(request: Request, caller: state.Caller, action: sar.Action, resource_type: str, arn: str,
           extra: dict[str, Any]) -> Check:
    context = RequestContext(caller.principal.arn, _role_arn(caller) or caller.principal.arn, caller.account,
                             request.region, action, resource_type, arn, request.params,
                             {**_extra_keys(request, caller, action, arn), **extra})
    return Check(action.qualified, arn, decide(caller.principal, action.qualified, arn, context.lookup,
                                               resource_policy(action, arn, caller, request.region)))


def checks(request: Request, caller: state.Caller) -> list[Check]:
    """Every (action, resource) AWS would evaluate for the request, with its decision."""
    if needs_no_permission(request.service, request.operation):
        return []
    target = Target(caller.account, request.region, request.params, request.operation, request.path)
    found = actions(request.service, request.operation, request.method)
    if not found:
        return [Check(f"{sar_prefix(request.service)}:{request.operation}", "*",
                      Decision(False, "because the Service Authorization Reference documents no action for it"))]
    result: list[Check] = []
    for action in found:
        for resource_type, arn in resources(action, target):
            result.append(_check(request, caller, action, resource_type, arn, {}))
            result += _dependent_checks(request, caller, action, resource_type, arn)
    return result


def _created_resources(request: Request, caller: state.Caller, tag_action: sar.Action, resource_type: str,
                       arn: str) -> list[tuple[str, str]]:
    """The resource being created, as the tagging action names it: the creating action's own ARN, or when that
    action has no resource type (KMS CreateKey, CloudFront CreateDistribution) the tagging action's resource type
    the operation creates, its id being the service's to assign (``key/*``)."""
    if resource_type:
        return [(resource_type, arn)]
    operation = request.operation.lower()
    created = [r for r in tag_action.resources if r.resource_type and r.resource_type.replace("-", "") in operation]
    if not created:
        return [("", "*")]
    target = Target(caller.account, request.region, request.params, request.operation, request.path)
    narrowed = sar.Action(tag_action.prefix, tag_action.name, tuple(created))
    return resources(narrowed, target)


def _dependent_checks(request: Request, caller: state.Caller, action: sar.Action, resource_type: str,
                      arn: str) -> list[Check]:
    dependent = {d for r in action.resources for d in r.dependent_actions}
    result: list[Check] = []
    if "iam:PassRole" in dependent:
        pass_role = sar.action("iam", "PassRole")
        for value in request.params.values():
            if isinstance(value, str) and _ROLE_ARN.match(value) and pass_role is not None:
                result.append(_check(request, caller, pass_role, "role", value,
                                     {"iam:passedtoservice": f"{action.prefix}.amazonaws.com"}))
    creates = request.operation.startswith(("Create", "Put"))
    if creates and request_tags(request.params) and any(
            "aws:RequestTag/${TagKey}" in r.condition_keys for r in action.resources):
        tag_action = _tag_action(action, resource_type)
        if tag_action is not None and tag_action.name != action.name:
            for tag_type, tag_arn in _created_resources(request, caller, tag_action, resource_type, arn):
                result.append(_check(request, caller, tag_action, tag_type, tag_arn, {}))
    return result
