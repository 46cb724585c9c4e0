# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Action of cloudresume.aws.validate_variables: every role variable checked on the controller, no AWS call."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import yaml
from ansible.errors import AnsibleError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase

from ansible_collections.cloudresume.aws.plugins.module_utils.validation import ACCOUNT_ID
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import EMAIL
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import KMS_KEY
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import UUID
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_alarm_window as alarm_window_problem
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_domain_names
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_name
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_origin
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_pattern
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_region
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_tags

COLLECTION = "cloudresume.aws."
ROLES_DIR = Path(__file__).resolve().parents[2] / "roles"
STRING_TYPES = ("str", "path")
RULE_KEYS = {"min", "max", "multiple_of", "pattern", "what", "name", "check", "allow_empty", "only_with", "max_count",
             "period"}
MIN_PYTHON_MINOR = 10  # Lambda blocks creating functions on python3.9 and older (deprecated runtimes)
CSP_DIRECTIVE = re.compile(r"[a-z]+(-[a-z]+)*")
CSP_SOURCE = re.compile(r"[!-+\--:<-~]+")  # printable ASCII but space, ',' and ';'
# CloudFront's limit for the Content-Security-Policy of a response headers policy, less room for the counter API's
# origin (https://<id>.execute-api.<region>.amazonaws.com) that static_site adds to connect-src.
CSP_MAX_LENGTH = 1783 - 100


def load_specs(roles: list[str], roles_dir: Path = ROLES_DIR) -> dict[str, dict[str, Any]]:
    """The options of the ``main`` entry point of each role, merged (a variable shared by two roles has one spec)."""
    options: dict[str, dict[str, Any]] = {}
    for role in roles:
        path = roles_dir / role / "meta" / "argument_specs.yml"
        if path.is_file():
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
            options.update(data["argument_specs"]["main"]["options"])
    return options


def type_problems(specs: dict[str, dict[str, Any]], values: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Types, choices and required options as the roles' argument specs say; the values converted to their types.

    A string option must be given a string: Ansible would turn a list or a mapping into its text silently.
    """
    errors = [f"{name}: must be a string, got {kind_of(values[name])}"
              for name, spec in specs.items()
              if spec.get("type", "str") in STRING_TYPES and isinstance(values.get(name), (list, dict, bool))]
    # Without defaults: only the variables the play defines are checked (a spec's default is documentation).
    checked = {name: {k: v for k, v in spec.items() if k != "default"} for name, spec in specs.items()
               if not any(e.startswith(f"{name}:") for e in errors)}
    present = {name: values[name] for name in checked if name in values}
    result = ArgumentSpecValidator(checked).validate(present)
    errors += [named(message, checked) for message in result.error_messages]
    return result.validated_parameters, errors


def kind_of(value: Any) -> str:
    """The YAML kind of a value, for messages (Ansible wraps values in its own list and dict classes)."""
    kind = next((k for t, k in ((bool, "a boolean"), (dict, "a mapping"), (list, "a list")) if isinstance(value, t)), None)
    return f"{kind} ({value!r})" if kind else type(value).__name__


def named(message: str, specs: dict[str, Any]) -> str:
    """Ansible's message, prefixed with the variable it is about (its first quoted option name)."""
    for quoted in re.findall(r"'([A-Za-z0-9_]+)'", message) + re.findall(r"\b([a-z][a-z0-9]*_[a-z0-9_]+)\b", message):
        if quoted in specs:
            return f"{quoted}: {message}"
    return message


def rule_problem(name: str, value: Any, rule: dict[str, Any], values: dict[str, Any]) -> str | None:
    """What is wrong with ``value`` under ``rule`` (see roles/stack/vars/main.yml), None when nothing is."""
    if value is None or (rule.get("allow_empty") and value in ("", [], {})):
        return only_with_problem(value, rule, values)
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not numeric and {"min", "max", "multiple_of"} & set(rule):
        return f"{value!r} is not a number"
    if "min" in rule and value < rule["min"]:
        return f"{value!r} is below the minimum {rule['min']}"
    if "max" in rule and value > rule["max"]:
        return f"{value!r} is above the maximum {rule['max']}"
    if "multiple_of" in rule and value % rule["multiple_of"]:
        return f"{value!r} is not a multiple of {rule['multiple_of']}"
    if "pattern" in rule and (problem := check_pattern(rule["pattern"], value, rule.get("what", f"like {rule['pattern']}"))):
        return problem
    if "name" in rule and (problem := check_name(rule["name"], value)):
        return problem
    if "check" in rule and (problem := CHECKS[rule["check"]](value, rule, values)):
        return problem
    return only_with_problem(value, rule, values)


def only_with_problem(value: Any, rule: dict[str, Any], values: dict[str, Any]) -> str | None:
    """``only_with: {other: wanted}``: the value is set exactly when the other variable has the wanted value."""
    for other, wanted in (rule.get("only_with") or {}).items():
        if bool(value) != (values.get(other) == wanted):
            return f"is required with {other}={wanted}, and only valid with it"
    return None


def check_origins(value: Any, rule: dict[str, Any], values: dict[str, Any]) -> str | None:
    return next((p for p in (check_origin(o) for o in value) if p), None)


def check_tag_map(value: Any, rule: dict[str, Any], values: dict[str, Any]) -> str | None:
    return check_tags(value, max_count=rule.get("max_count", 50))


@functools.lru_cache(maxsize=1)
def python_runtimes() -> tuple[str, ...]:
    """The Python 3 runtimes of botocore's Lambda model that Lambda still lets a function be created with."""
    from botocore.loaders import Loader

    known = Loader().load_service_model("lambda", "service-2")["shapes"]["Runtime"]["enum"]
    return tuple(sorted((r for r in known if re.fullmatch(r"python3\.\d+", r) and int(r.split(".")[1]) >= MIN_PYTHON_MINOR),
                        key=lambda r: int(r.split(".")[1])))


def check_runtime(value: Any, rule: dict[str, Any], values: dict[str, Any]) -> str | None:
    supported = python_runtimes()
    return None if value in supported else f"{value!r} is not a supported Python runtime ({', '.join(supported)})"


def check_site_folder(value: Any, rule: dict[str, Any], values: dict[str, Any]) -> str | None:
    """The site's folder holds index.html (the role adds the error page and favicon.svg when it has none)."""
    folder = Path(value)
    try:
        if not folder.is_dir():
            return f"{value} is not a folder"
        if not (folder / "index.html").is_file():
            return f"{value} must contain index.html"
    except OSError as e:
        return f"{value} cannot be read: {e.strerror}"
    return None


def check_content_security_policy(value: Any, rule: dict[str, Any], values: dict[str, Any]) -> str | None:
    """A mapping of directive to its list of sources, rendered within CloudFront's length limit."""
    for directive, sources in value.items():
        if not CSP_DIRECTIVE.fullmatch(str(directive)):
            return f"{directive!r} is not a directive name (lowercase words joined by '-', like img-src)"
        if not isinstance(sources, list):
            return f"{directive}: must be a list of sources, got {kind_of(sources)}"
        bad = [s for s in sources if not isinstance(s, str) or not CSP_SOURCE.fullmatch(s)]
        if bad:
            return f"{directive}: {bad[0]!r} is not a source (printable characters without spaces, ';' or ',')"
        if "'none'" in sources and len(sources) > 1:
            return f"{directive}: 'none' cannot be combined with other sources"
    length = len("; ".join(" ".join([str(d), *s]) for d, s in value.items()))
    if length > CSP_MAX_LENGTH:
        return f"the policy is {length} characters; at most {CSP_MAX_LENGTH} leave room for the API's origin"
    return None


def check_file_path(value: Any, rule: dict[str, Any], values: dict[str, Any]) -> str | None:
    try:
        return f"{value} is a folder; give the path of a file" if Path(value).is_dir() else None
    except OSError as e:
        return f"{value} cannot be used: {e.strerror}"


def check_metric_filters(value: Any, rule: dict[str, Any], values: dict[str, Any]) -> str | None:
    stack = values.get("stack_name", "")
    names = [item["name"] for item in value]
    for index, item in enumerate(value):
        problem = (check_name("metric_filter", f"{stack}-{item['name']}") or check_name("metric_name", item["metric"])
                   or (None if 1 <= len(item["pattern"]) <= 1024 else "the pattern must be 1 to 1024 characters")
                   or (None if 1 <= len(str(item["value"])) <= 100 else "the value must be 1 to 100 characters")
                   or (f"the name {item['name']!r} is used twice" if names.count(item["name"]) > 1 else None))
        if problem:
            return f"[{index}] ({item['name']}): {problem}"
    return None


def check_alarm_window(value: Any, rule: dict[str, Any], values: dict[str, Any]) -> str | None:
    period = values.get(rule["period"])
    if not isinstance(period, int):
        return None
    return alarm_window_problem(value, period)


def simple(pattern: re.Pattern, what: str):
    def check(value: Any, rule: dict[str, Any], values: dict[str, Any]) -> str | None:
        return check_pattern(pattern, value, what)
    return check


CHECKS = {
    "region": lambda value, rule, values: check_region(value),
    "tags": check_tag_map,
    "tag_value": lambda value, rule, values: check_tags({"Environment": value}),
    "origins": check_origins,
    "domain_names": lambda value, rule, values: check_domain_names(value, rule.get("max_count", 100)),
    "account_id": simple(ACCOUNT_ID, "an AWS account id (12 digits)"),
    "email": simple(EMAIL, "an e-mail address"),
    "kms_key": simple(KMS_KEY, "a KMS key id, key ARN, alias name or alias ARN"),
    "uuid": simple(UUID, "an id like 658327ea-f89d-4fab-a63d-7e88639e58f6"),
    "lambda_python_runtime": check_runtime,
    "site_folder": check_site_folder,
    "content_security_policy": check_content_security_policy,
    "file_path": check_file_path,
    "metric_filters": check_metric_filters,
    "alarm_window": check_alarm_window,
}


def problems(specs: dict[str, dict[str, Any]], rules: dict[str, dict[str, Any]],
             values: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Every problem, each starting with the variable's name; the values converted to their spec types."""
    unknown = [f"{name}: unknown rule keys {sorted(set(rule) - RULE_KEYS)}" for name, rule in rules.items()
               if set(rule) - RULE_KEYS]
    if unknown:
        raise AnsibleError("Invalid validate_variables rules: " + "; ".join(unknown))
    converted, errors = type_problems(specs, values)
    merged = {**values, **converted}
    bad = {e.split(":", 1)[0] for e in errors}
    for name, rule in rules.items():
        if name in merged and name not in bad and (problem := rule_problem(name, merged[name], rule, merged)):
            errors.append(f"{name}: {problem}")
    return {name: merged[name] for name in sorted(set(specs) | set(rules)) if name in merged}, errors


class ActionModule(ActionBase):
    """Validate the variables of every role of the play (of this collection) before anything else runs."""

    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp: Any = None, task_vars: dict[str, Any] | None = None) -> dict[str, Any]:
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        roles = self._task.args.get("roles")
        if roles is None:
            # the play's roles and their dependencies (a layer's play lists only the layer; stack, which runs this
            # preflight, is its dependency), this collection's only
            names = set(task_vars.get("ansible_play_role_names", [])) | set(task_vars.get("ansible_role_names", []))
            roles = sorted({r[len(COLLECTION):] for r in names if r.startswith(COLLECTION)} | {"stack"})
        rules = self._task.args.get("rules") or {}
        if not isinstance(roles, list) or not isinstance(rules, dict):
            raise AnsibleError("validate_variables: roles must be a list and rules a mapping")
        specs = load_specs(roles)
        values, errors = self._values(sorted(set(specs) | set(rules)), task_vars)
        validated, found = problems(specs, rules, values)
        secret = {name for name, spec in specs.items() if spec.get("no_log")}
        errors += [f"{e.split(':', 1)[0]}: is not valid (value not shown)" if e.split(":", 1)[0] in secret else e
                   for e in found]
        result.update(changed=False, roles=roles)
        if errors:
            result.update(failed=True, errors=errors, msg="Invalid variables, nothing was done (no AWS call was made):\n"
                          + "\n".join(f"- {e}" for e in errors))
        else:
            result.update(variables={k: v for k, v in validated.items() if k not in secret},
                          msg=f"{len(validated)} variables of {', '.join(roles)} are valid")
        return result

    def _values(self, names: list[str], task_vars: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        values, errors = {}, []
        for name in names:
            if name not in task_vars:
                continue
            try:
                values[name] = self._templar.template(task_vars[name])
            except AnsibleError as e:
                errors.append(f"{name}: cannot be evaluated: {e}")
        return values, errors
