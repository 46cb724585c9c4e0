# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What cloudresume.aws.lambda_release decides from what it reads of a function's release (its versions, its alias and
the alias's policy), written once for the three places that decide it: the module; cloudresume.aws.stack_info, which
reads the same state earlier in a run (its ``release`` lookup); and the module's action plugin, which answers from that
state on the controller when nothing is to change. No AWS import here: the action plugin loads it on the controller."""
from __future__ import annotations

import hashlib
import json
import re
from typing import Any

# What a published version captures of $LATEST (PublishVersion's documented snapshot of code and settings); the
# per-version fields (Version, FunctionArn, RevisionId, LastModified, state) are not compared.
VERSIONED_FIELDS = ("CodeSha256", "Handler", "Runtime", "MemorySize", "Timeout", "Environment", "Role", "TracingConfig",
                    "Description", "Layers", "EphemeralStorage", "Architectures", "DeadLetterConfig", "KMSKeyArn",
                    "VpcConfig", "LoggingConfig")
NEW_VERSION = "new"
# AddPermission's StatementId pattern and length; an account id; an account's root principal as Lambda returns it.
STATEMENT_ID = re.compile(r"^[a-zA-Z0-9_-]{1,100}$")
ACCOUNT_ID = re.compile(r"^\d{12}$")
ACCOUNT_ROOT = re.compile(r"^arn:[a-z-]+:iam::(\d{12}):root$")

PERMISSION_OPTIONS: dict[str, Any] = dict(
    statement_id=dict(type="str", required=True),
    action=dict(type="str", required=True),
    principal=dict(type="str", required=True),
    source_arn=dict(type="str", required=True),
    source_account=dict(type="str"),
)
# The module's own options (the AWS connection options come from AnsibleAWSModule).
ARGUMENT_SPEC: dict[str, Any] = dict(
    function_name=dict(type="str", required=True),
    alias=dict(type="str", required=True),
    target=dict(type="str", default="latest", choices=["latest", "previous"]),
    permissions=dict(type="list", elements="dict", options=PERMISSION_OPTIONS),
    purge_permissions=dict(type="bool", default=False),
    known_state=dict(type="dict"),
)
STATE_KEYS = ("function_arn", "latest", "newest", "alias", "statements")


def digest(configuration: dict[str, Any]) -> str:
    """SHA-256 of the fields a published version captures: equal digests, nothing to publish. A digest rather than the
    fields themselves, so that the state stack_info returns holds no environment variable's value."""
    snapshot = {key: configuration.get(key) for key in VERSIONED_FIELDS}
    return hashlib.sha256(json.dumps(snapshot, sort_keys=True, default=str).encode()).hexdigest()


def version_state(configuration: dict[str, Any]) -> dict[str, Any]:
    return {"version": configuration["Version"], "code_sha256": configuration["CodeSha256"], "digest": digest(configuration)}


def function_arn(latest: dict[str, Any]) -> str:
    """The function's unqualified ARN, from $LATEST's configuration."""
    return latest["FunctionArn"].split(":function:", 1)[0] + ":function:" + latest["FunctionName"]


def weighted(alias: dict[str, Any] | None) -> bool:
    """Whether the alias also sends traffic to another version (a weighted routing configuration)."""
    return bool((alias or {}).get("RoutingConfig", {}).get("AdditionalVersionWeights"))


def release_state(latest: dict[str, Any], published: list[dict[str, Any]], alias: dict[str, Any] | None,
                  policy: dict[str, Any] | None) -> dict[str, Any]:
    """What the decisions below need: $LATEST and the newest published version (``published`` oldest first), the
    alias (None when it does not exist) and the statements of its policy (``policy`` None when it has none)."""
    return {
        "function_arn": function_arn(latest),
        "latest": version_state(latest),
        "newest": version_state(published[-1]) if published else None,
        "alias": None if alias is None else {
            "function_version": alias["FunctionVersion"], "alias_arn": alias["AliasArn"], "weighted": weighted(alias)},
        "statements": current_statements(policy),
    }


def publication(state: dict[str, Any]) -> tuple[bool, str | None, str]:
    """(whether $LATEST must be published, the alias's version now (None: no alias), the version it should point at:
    NEW_VERSION for the one to publish)."""
    newest = state["newest"]
    needs_publish = newest is None or newest["digest"] != state["latest"]["digest"]
    before = state["alias"]["function_version"] if state["alias"] else None
    return needs_publish, before, NEW_VERSION if needs_publish else newest["version"]


def alias_changes(needs_publish: bool, before: str | None, after: str, is_weighted: bool) -> bool:
    """Whether the alias is created or moved (a weighted routing still sends traffic to another version)."""
    return needs_publish or before != after or is_weighted


def result_of(alias: str, *, changed: bool, before: str | None, after: str, published: bool, alias_arn: str,
              code_sha256: str, statements: list[dict[str, dict[str, Any]]] | None, diff: bool) -> dict[str, Any]:
    """The module's result: ``statements`` the alias's statements before and after (None without permissions)."""
    result: dict[str, Any] = {"changed": changed, "function_version": after, "previous_version": before,
                              "published": published, "alias_arn": alias_arn, "code_sha256": code_sha256}
    diff_before: dict[str, Any] = {"alias": alias, "function_version": before}
    diff_after: dict[str, Any] = {"alias": alias, "function_version": after}
    if statements is not None:
        result["permissions"] = list(statements[1].values())
        diff_before["permissions"], diff_after["permissions"] = list(statements[0].values()), result["permissions"]
    if diff:
        result["diff"] = {"before": diff_before, "after": diff_after}
    return result


def permission_problem(permissions: list[dict[str, Any]] | None) -> str | None:
    """The message naming the field of a statement AddPermission would refuse, None when all are valid."""
    seen: set[str] = set()
    for index, statement in enumerate(permissions or []):
        field = f"permissions[{index}]"
        if not STATEMENT_ID.match(statement["statement_id"]):
            return f"{field}.statement_id: {statement['statement_id']!r} must be 1 to 100 letters, digits, - or _"
        if statement["statement_id"] in seen:
            return f"{field}.statement_id: {statement['statement_id']} is listed twice"
        seen.add(statement["statement_id"])
        if not statement["source_arn"].startswith("arn:"):
            return f"{field}.source_arn: {statement['source_arn']!r} is not an ARN"
        if statement["source_account"] is not None and not ACCOUNT_ID.match(statement["source_account"]):
            return f"{field}.source_account: {statement['source_account']!r} is not a 12-digit account id"
    return None


def principal_of(principal: Any) -> str:
    """A principal as one string: a service's name, an account's id (also for its root ARN), or an ARN."""
    if isinstance(principal, dict):
        principal = principal.get("Service") or principal.get("AWS")
    found = ACCOUNT_ROOT.match(str(principal))
    return found.group(1) if found else str(principal)


def wanted_statement(statement: dict[str, Any]) -> dict[str, Any]:
    """A listed statement in the form Lambda keeps it in the policy document (see current_statements)."""
    condition: dict[str, Any] = {"ArnLike": {"AWS:SourceArn": statement["source_arn"]}}
    if statement["source_account"] is not None:
        condition["StringEquals"] = {"AWS:SourceAccount": statement["source_account"]}
    return {"statement_id": statement["statement_id"], "action": statement["action"],
            "principal": principal_of(statement["principal"]), "condition": condition}


def current_statements(policy: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """The alias's statements by id, as compared with the listed ones (Lambda adds Effect Allow and the alias's ARN
    as Resource to each)."""
    statements = (policy or {}).get("Policy", {}).get("Statement", [])
    return {s["Sid"]: {"statement_id": s["Sid"], "action": s.get("Action"), "principal": principal_of(s.get("Principal")),
                       "condition": s.get("Condition", {})} for s in statements}


def permission_changes(before: dict[str, dict[str, Any]], permissions: list[dict[str, Any]],
                       purge: bool) -> tuple[list[str], list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """(the ids of the statements to remove, the listed statements to add (a changed one is removed first), the
    statements after)."""
    listed = {s["statement_id"]: s for s in permissions}
    after = {sid: s for sid, s in before.items() if sid in listed or not purge}
    removed = [sid for sid in before if sid not in after]
    added = []
    for sid, statement in listed.items():
        after[sid] = wanted_statement(statement)
        if before.get(sid) != after[sid]:
            added.append(statement)
    return removed, added, after


def state_problem(state: Any, function_name: str, alias: str) -> str | None:
    """The message naming what is missing from a known state (stack_info's ``release``), or that it is another
    function's or alias's; None when it is this release's."""
    if not isinstance(state, dict):
        return f"known_state: must be the release stack_info returns (a mapping), got {type(state).__name__}"
    missing = [key for key in STATE_KEYS if key not in state]
    if missing:
        return f"known_state.{missing[0]}: missing; give the release cloudresume.aws.stack_info returns"
    if not isinstance(state["latest"], dict) or not isinstance(state["statements"], dict):
        return "known_state.latest: not the release cloudresume.aws.stack_info returns"
    if function_name not in (state["function_arn"], state["function_arn"].rsplit(":", 1)[-1]):
        return f"known_state.function_arn: {state['function_arn']} is not this task's function {function_name}"
    if state["alias"] and not state["alias"].get("alias_arn", "").endswith(f":{alias}"):
        return f"known_state.alias: {state['alias'].get('alias_arn')} is not this task's alias {alias}"
    return None


def unchanged_result(state: dict[str, Any], params: dict[str, Any], diff: bool) -> dict[str, Any] | None:
    """The module's result for ``params`` when ``state`` (read earlier) needs no change; None when something would
    change (or for a rollback, which the module decides from the versions themselves)."""
    if params["target"] != "latest" or state["alias"] is None:
        return None
    needs_publish, before, after = publication(state)
    if alias_changes(needs_publish, before, after, state["alias"]["weighted"]):
        return None
    statements = None
    if params["permissions"] is not None:
        removed, added, after_statements = permission_changes(state["statements"], params["permissions"],
                                                              params["purge_permissions"])
        if removed or added:
            return None
        statements = [state["statements"], after_statements]
    return result_of(params["alias"], changed=False, before=before, after=after, published=False,
                     alias_arn=state["alias"]["alias_arn"], code_sha256=state["newest"]["code_sha256"],
                     statements=statements, diff=diff)
