#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: iam_role_with_policies
short_description: Manage an IAM role with its trust policy, managed and inline policies and tags, in one task
version_added: 0.1.0
description:
  - Creates, updates or deletes an IAM role by its exact name, together with its trust policy, description,
    maximum session duration, attached managed policies, inline policies and tags.
  - One process and few reads. C(GetRole) (which also returns the tags), C(ListAttachedRolePolicies) when
    O(managed_policy_arns) is given, and C(ListRolePolicies) with one C(GetRolePolicy) per inline policy it
    compares when O(inline_policies) is given. A write happens only for what differs.
  - Policies are compared as IAM means them (statement order, a single value or a one-element list, and so on),
    so a document that IAM stores reformatted is not rewritten on every run.
  - Check mode plans everything, the inline policies of a role that does not exist yet included; diff mode shows
    the role before and after.
  - Bad input (a document that is not JSON or not a policy, a bad name, tag or session duration) fails naming the
    field, for example C(inline_policies.FunctionAccess), before any call that changes something. A document that
    IAM itself refuses fails naming the field too.
  - IAM cannot move a role to another path. O(path) is used only when the role is created; an existing role at
    another path is left there, with a warning, and the diff shows both paths.
  - With O(state=absent) the role's inline policies are deleted and its managed policies detached, then the role.
    Instance profiles are never created or deleted; a role still in an instance profile is not deleted (IAM
    answers C(DeleteConflict)) and the task fails saying so.
  - Throttling is retried. IAM is eventually consistent, so the calls following C(CreateRole) retry while IAM does not
    see the new role yet.
author:
  - cloudresume.aws maintainers (@cloudresume)
options:
  name:
    description: Name of the role (1 to 64 letters, digits and C(+=,.@_-)), unique in the account.
    type: str
    required: true
    aliases: [role_name]
  state:
    description: Whether the role should exist.
    type: str
    choices: [present, absent]
    default: present
  path:
    description:
      - Path of the role when it is created (C(/) when omitted), starting and ending with C(/).
      - An existing role keeps its path (IAM cannot change it); a different O(path) is reported as a warning.
    type: str
  description:
    description: Description of the role (at most 1000 characters). Left as it is when omitted.
    type: str
  assume_role_policy_document:
    description:
      - The trust policy, as a mapping or as JSON text. Required to create the role; an existing role's trust
        policy is left as it is when omitted.
    type: raw
  max_session_duration:
    description:
      - Maximum session duration in seconds, 3600 to 43200. IAM's default (3600) when the role is created without
        it; left as it is when omitted.
    type: int
  managed_policy_arns:
    description:
      - ARNs of the managed policies the role has attached. Left as they are when omitted.
    type: list
    elements: str
  purge_managed_policies:
    description: Detach the managed policies that are not in O(managed_policy_arns).
    type: bool
    default: true
  inline_policies:
    description:
      - The role's inline policies, each name (1 to 128 letters, digits and C(+=,.@_-)) mapped to its document
        (a mapping or JSON text). Left as they are when omitted.
      - IAM allows 10,240 characters of inline policies per role, whitespace not counted.
    type: dict
  purge_inline_policies:
    description: Delete the inline policies that are not in O(inline_policies).
    type: bool
    default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - Replaces the pair M(amazon.aws.iam_role) and M(amazon.aws.iam_policy) (two processes), which cannot plan the
    inline policy of a role that does not exist yet in check mode.
  - Permissions for a run that changes nothing are C(iam:GetRole), and C(iam:ListAttachedRolePolicies),
    C(iam:ListRolePolicies), C(iam:GetRolePolicy) when the module manages those policies.
"""

EXAMPLES = r"""
- name: A Lambda function's role with its one inline policy
  cloudresume.aws.iam_role_with_policies:
    name: cloudresume-counter-us-east-2
    description: cloudresume visitor counter function
    assume_role_policy_document:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Principal: {Service: lambda.amazonaws.com}
          Action: sts:AssumeRole
    managed_policy_arns: []
    inline_policies:
      cloudresume-counter-access:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: [dynamodb:GetItem, dynamodb:UpdateItem]
            Resource: arn:aws:dynamodb:us-east-2:123456789012:table/cloudresume-visitors
    tags:
      Stack: cloudresume
  register: function_role

- name: A role for GitHub Actions under its own path, sessions of up to two hours, an AWS managed policy
  cloudresume.aws.iam_role_with_policies:
    name: cloudresume-deploy
    path: /github-actions/
    max_session_duration: 7200
    assume_role_policy_document: "{{ lookup('ansible.builtin.template', 'trust-policy.json.j2') }}"
    managed_policy_arns:
      - arn:aws:iam::aws:policy/ReadOnlyAccess
    inline_policies: {}
    purge_tags: false

- name: Remove the role, its inline policies and its attachments
  cloudresume.aws.iam_role_with_policies:
    name: cloudresume-counter-us-east-2
    state: absent
"""

RETURN = r"""
iam_role:
  description:
    - The role after the task (in check mode, as it would be). Empty when O(state=absent).
    - C(arn), C(role_id) and C(create_date) are missing in check mode for a role that does not exist yet.
  returned: always
  type: dict
  contains:
    arn:
      description: ARN of the role.
      type: str
      returned: when the role exists
      sample: arn:aws:iam::123456789012:role/cloudresume-counter-us-east-2
    role_id:
      description: The role's unique id.
      type: str
      returned: when the role exists
      sample: AROAEXAMPLEID1234567
    create_date:
      description: When the role was created (ISO 8601).
      type: str
      returned: when the role exists
      sample: "2026-11-27T19:45:00+00:00"
    role_name:
      description: Name of the role.
      type: str
      sample: cloudresume-counter-us-east-2
    path:
      description: Path of the role.
      type: str
      sample: /
    description:
      description: Description of the role (empty when it has none).
      type: str
      sample: cloudresume visitor counter function
    max_session_duration:
      description: Maximum session duration in seconds.
      type: int
      sample: 3600
    assume_role_policy_document:
      description: The trust policy.
      type: dict
      sample: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}
    managed_policy_arns:
      description: ARNs of the attached managed policies (returned when O(managed_policy_arns) is given).
      type: list
      elements: str
      returned: when O(managed_policy_arns) is given
      sample: []
    inline_policies:
      description: The inline policies, name to document (returned when O(inline_policies) is given).
      type: dict
      returned: when O(inline_policies) is given
      sample: {cloudresume-counter-access: {Version: "2012-10-17", Statement: []}}
    tags:
      description: Tags of the role.
      type: dict
      sample: {Stack: cloudresume}
"""

import json
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.arn import validate_aws_arn
from ansible_collections.amazon.aws.plugins.module_utils.iam import AnsibleIAMError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.cloudresume.aws.plugins.module_utils import iam
from ansible_collections.cloudresume.aws.plugins.module_utils.tagging import plan_tags
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import InvalidInput
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_tags
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import require
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import require_name

MAX_DESCRIPTION = 1000


@dataclass
class Wanted:
    """The module's parameters, checked and parsed (documents as mappings)."""

    name: str
    path: str | None
    description: str | None
    trust: dict[str, Any] | None
    max_session_duration: int | None
    managed: list[str] | None
    purge_managed: bool
    inline: dict[str, dict[str, Any]] | None
    purge_inline: bool
    tags: dict[str, str] | None
    purge_tags: bool


@dataclass
class Role:
    """A role as the module compares and returns it; ``managed``/``inline`` are None when not read."""

    name: str
    path: str
    description: str
    trust: dict[str, Any]
    max_session_duration: int
    tags: dict[str, str]
    managed: list[str] | None = None
    inline: dict[str, dict[str, Any]] | None = None
    identity: dict[str, str] = field(default_factory=dict)

    def view(self) -> dict[str, Any]:
        view: dict[str, Any] = dict(self.identity)
        view.update(role_name=self.name, path=self.path, description=self.description,
                    max_session_duration=self.max_session_duration, assume_role_policy_document=self.trust,
                    tags=self.tags)
        if self.managed is not None:
            view["managed_policy_arns"] = sorted(self.managed)
        if self.inline is not None:
            view["inline_policies"] = dict(sorted(self.inline.items()))
        return view


def parse(params: dict[str, Any]) -> Wanted:
    """The parameters checked locally; InvalidInput naming the field."""
    require_name("name", "iam_role", params["name"])
    if params["path"] is not None:
        require_name("path", "iam_path", params["path"])
    if params["description"] is not None and len(params["description"]) > MAX_DESCRIPTION:
        raise InvalidInput(f"description: at most {MAX_DESCRIPTION} characters (it has {len(params['description'])})")
    duration = params["max_session_duration"]
    low, high = iam.SESSION_DURATION
    if duration is not None and not low <= duration <= high:
        raise InvalidInput(f"max_session_duration: {duration} is not between {low} and {high} seconds")
    trust = None
    if params["assume_role_policy_document"] is not None:
        trust = iam.parse_policy("assume_role_policy_document", params["assume_role_policy_document"])
        iam.check_policy("assume_role_policy_document", trust, trust=True)
    for index, arn in enumerate(params["managed_policy_arns"] or []):
        if not validate_aws_arn(arn, service="iam") or ":policy/" not in arn:
            raise InvalidInput(f"managed_policy_arns[{index}]: {arn!r} is not the ARN of an IAM managed policy")
    if params["tags"] is not None:
        require("tags", check_tags(params["tags"]))
    return Wanted(
        name=params["name"], path=params["path"], description=params["description"], trust=trust,
        max_session_duration=duration,
        managed=None if params["managed_policy_arns"] is None else list(dict.fromkeys(params["managed_policy_arns"])),
        purge_managed=params["purge_managed_policies"], inline=parse_inline(params["inline_policies"]),
        purge_inline=params["purge_inline_policies"],
        tags=None if params["tags"] is None else {k: str(v) for k, v in params["tags"].items()},
        purge_tags=params["purge_tags"])


def parse_inline(policies: dict[str, Any] | None) -> dict[str, dict[str, Any]] | None:
    if policies is None:
        return None
    parsed = {}
    for name, document in policies.items():
        require_name(f"inline_policies.{name}", "iam_policy", name)
        parsed[name] = iam.parse_policy(f"inline_policies.{name}", document)
        iam.check_policy(f"inline_policies.{name}", parsed[name], trust=False)
    size = sum(iam.policy_characters(d) for d in parsed.values())
    if size > iam.INLINE_POLICIES_MAX_CHARACTERS:
        raise InvalidInput(f"inline_policies: {size} characters without whitespace, IAM allows "
                           f"{iam.INLINE_POLICIES_MAX_CHARACTERS} per role")
    return parsed


def from_aws(found: dict[str, Any]) -> Role:
    created = found.get("CreateDate")
    return Role(
        name=found["RoleName"], path=found["Path"], description=found.get("Description", ""),
        trust=found.get("AssumeRolePolicyDocument") or {}, max_session_duration=found.get("MaxSessionDuration", 3600),
        tags=boto3_tag_list_to_ansible_dict(found.get("Tags", [])),
        identity={"arn": found["Arn"], "role_id": found["RoleId"],
                  "create_date": created.isoformat() if hasattr(created, "isoformat") else str(created)})


class RoleManager:
    def __init__(self, module: AnsibleAWSModule, wanted: Wanted) -> None:
        self.module = module
        self.wanted = wanted
        self.client = module.client("iam", retry_decorator=AWSRetry.jittered_backoff())
        self.changed = False
        self.new_role = False

    @property
    def name(self) -> str:
        return self.wanted.name

    def write(self, call: Any, *args: Any, field_name: str | None = None) -> Any:
        """A change: made unless in check mode; a document IAM refuses fails naming ``field_name``."""
        self.changed = True
        if self.module.check_mode:
            return None
        try:
            return call(self.client, *args)
        except AnsibleIAMError as e:
            refused = iam.document_error(e) if field_name else None
            if refused:
                self.module.fail_json(msg=f"{field_name}: {refused}")
            raise

    # ---- reads -----------------------------------------------------------------------------------------------
    def read(self, with_documents: bool) -> Role | None:
        """The role, with the policies the task manages; ``with_documents``: also the inline documents."""
        found = iam.get_role(self.client, self.name)
        if found is None:
            return None
        role = from_aws(found)
        if self.wanted.managed is not None:
            role.managed = iam.list_managed_policy_arns(self.client, self.name)
        if self.wanted.inline is not None:
            names = iam.list_inline_policy_names(self.client, self.name)
            role.inline = {policy: self.inline_document(policy) if with_documents or policy in self.wanted.inline else {}
                           for policy in names}
        return role

    def inline_document(self, policy: str) -> dict[str, Any]:
        return iam.get_inline_policy(self.client, self.name, policy) or {}

    # ---- present ---------------------------------------------------------------------------------------------
    def create(self) -> Role:
        wanted = self.wanted
        if wanted.trust is None:
            raise InvalidInput(f"assume_role_policy_document: required to create role {self.name}")
        request: dict[str, Any] = {"RoleName": self.name, "Path": wanted.path or "/",
                                   "AssumeRolePolicyDocument": json.dumps(wanted.trust)}
        if wanted.description:
            request["Description"] = wanted.description
        if wanted.max_session_duration is not None:
            request["MaxSessionDuration"] = wanted.max_session_duration
        if wanted.tags:
            request["Tags"] = ansible_dict_to_boto3_tag_list(wanted.tags)
        planned = Role(name=self.name, path=request["Path"], description=wanted.description or "", trust=wanted.trust,
                       max_session_duration=wanted.max_session_duration or iam.SESSION_DURATION[0],
                       tags=dict(wanted.tags or {}), managed=[] if wanted.managed is not None else None,
                       inline={} if wanted.inline is not None else None)
        created = self.write(iam.create_role, request, field_name="assume_role_policy_document")
        self.new_role = True
        if created is not None:
            planned.identity = from_aws(created).identity
        return planned

    def update(self, role: Role) -> Role:
        wanted = self.wanted
        if wanted.path is not None and wanted.path != role.path:
            self.module.warn(f"path: role {self.name} stays at {role.path} (IAM cannot move a role to {wanted.path}; "
                             "delete and recreate it to change its path)")
        if wanted.trust is not None and compare_policies(role.trust, wanted.trust):
            self.write(iam.update_trust_policy, self.name, wanted.trust, field_name="assume_role_policy_document")
            role.trust = wanted.trust
        settings = {"Description": role.description, "MaxSessionDuration": role.max_session_duration}
        if wanted.description is not None:
            settings["Description"] = wanted.description
        if wanted.max_session_duration is not None:
            settings["MaxSessionDuration"] = wanted.max_session_duration
        if (settings["Description"], settings["MaxSessionDuration"]) != (role.description, role.max_session_duration):
            self.write(iam.update_role, self.name, settings)
            role.description, role.max_session_duration = settings["Description"], settings["MaxSessionDuration"]
        plan = plan_tags(role.tags, wanted.tags, wanted.purge_tags)
        if plan.to_set:
            self.write(iam.tag_role, self.name, plan.to_set)
        if plan.to_remove:
            self.write(iam.untag_role, self.name, plan.to_remove)
        role.tags = plan.after
        return role

    def ensure_managed(self, role: Role) -> None:
        if self.wanted.managed is None or role.managed is None:
            return
        current = list(role.managed)
        for arn in [a for a in self.wanted.managed if a not in current]:
            self.write(iam.attach_managed_policy, self.name, arn, self.new_role)
        kept = [a for a in current if a in self.wanted.managed or not self.wanted.purge_managed]
        for arn in [a for a in current if a not in kept]:
            self.write(iam.detach_managed_policy, self.name, arn)
        role.managed = kept + [a for a in self.wanted.managed if a not in current]

    def ensure_inline(self, role: Role) -> None:
        if self.wanted.inline is None or role.inline is None:
            return
        after = {}
        for policy, document in self.wanted.inline.items():
            if policy not in role.inline or compare_policies(role.inline[policy], document):
                self.write(iam.put_inline_policy, self.name, policy, document, self.new_role,
                           field_name=f"inline_policies.{policy}")
                after[policy] = document
            else:
                after[policy] = role.inline[policy]
        for policy in [p for p in role.inline if p not in self.wanted.inline]:
            if self.wanted.purge_inline:
                self.write(iam.delete_inline_policy, self.name, policy)
            else:
                after[policy] = role.inline[policy]
        role.inline = after

    def present(self) -> tuple[Role | None, Role]:
        before = self.read(with_documents=self.module._diff)
        after = self.create() if before is None else self.update(copy_role(before))
        self.ensure_managed(after)
        self.ensure_inline(after)
        return before, after

    # ---- absent ----------------------------------------------------------------------------------------------
    def absent(self) -> Role | None:
        """Deletes the inline policies, detaches the managed ones, then deletes the role; the role before."""
        found = iam.get_role(self.client, self.name)
        if found is None:
            return None
        before = from_aws(found)
        names = iam.list_inline_policy_names(self.client, self.name)
        before.inline = {p: self.inline_document(p) if self.module._diff else {} for p in names}
        before.managed = iam.list_managed_policy_arns(self.client, self.name)
        for policy in names:
            self.write(iam.delete_inline_policy, self.name, policy)
        for arn in before.managed:
            self.write(iam.detach_managed_policy, self.name, arn)
        self.write(iam.delete_role, self.name)
        return before


def copy_role(role: Role) -> Role:
    return Role(name=role.name, path=role.path, description=role.description, trust=role.trust,
                max_session_duration=role.max_session_duration, tags=dict(role.tags),
                managed=None if role.managed is None else list(role.managed),
                inline=None if role.inline is None else dict(role.inline), identity=dict(role.identity))


def ensure(module: AnsibleAWSModule, wanted: Wanted) -> dict[str, Any]:
    """Bring the role to the wanted state; the module's result."""
    manager = RoleManager(module, wanted)
    if module.params["state"] == "absent":
        before, after_view = manager.absent(), {}
    else:
        before, after = manager.present()
        after_view = after.view()
    result: dict[str, Any] = {"changed": manager.changed, "iam_role": after_view}
    if module._diff:
        before_view = before.view() if before else {}
        for key in ("arn", "role_id", "create_date"):
            before_view.pop(key, None)
        result["diff"] = {"before": before_view,
                          "after": {k: v for k, v in after_view.items() if k not in ("arn", "role_id", "create_date")}}
        if before and wanted.path is not None and wanted.path != before.path:
            result["diff"]["after"]["path"] = f"{before.path} (IAM cannot move a role to {wanted.path})"
    return result


def main() -> None:
    argument_spec = dict(
        name=dict(type="str", required=True, aliases=["role_name"]),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        path=dict(type="str"),
        description=dict(type="str"),
        assume_role_policy_document=dict(type="raw"),
        max_session_duration=dict(type="int"),
        managed_policy_arns=dict(type="list", elements="str"),
        purge_managed_policies=dict(type="bool", default=True),
        inline_policies=dict(type="dict"),
        purge_inline_policies=dict(type="bool", default=True),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    try:
        wanted = parse(module.params)
        result = ensure(module, wanted)
    except InvalidInput as e:
        module.fail_json(msg=str(e))
    except AnsibleIAMError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
