"""The preflight: every bad input stops every playbook before its first AWS call, with the variable named.

``test_every_variable_with_a_bad_value`` walks every option of every role's meta/argument_specs.yml (and every value
rule of roles/stack/vars/main.yml) with bad values in ONE ansible-playbook run: each case is an inventory host of
its own (local connection) holding one bad value, and the play runs the stack role's preflight for all of them at
once (Ansible's start-up is paid once, not per value). The other tests run the real playbooks for the cases the
issue reported: a bad value under --tags and --check, missing credentials and the wrong account; and every log
retention CloudWatch allows (amazon.aws's log group module deleted log groups for some) passes the preflight.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from botocore.loaders import Loader

from .conftest import BIN, ROOT, emulator_fixture, run_playbook

emulator = emulator_fixture()

SPEC_FILES = sorted(ROOT.glob("roles/*/meta/argument_specs.yml"))
RULES: dict[str, dict[str, Any]] = yaml.safe_load((ROOT / "roles/stack/vars/main.yml").read_text())["stack_preflight_rules"]

# A bad value for each type of option: Ansible cannot convert it (a string option must not be a list).
BAD_BY_TYPE: dict[str, Any] = {
    "int": "ten", "float": "ten", "bool": "maybe", "dict": "not-a-mapping", "list": {"not": "a list"},
    "str": ["a", "list"], "path": ["a", "list"],
}
# Valid values that a trailing newline makes invalid (a pattern applied with re.match and '$' would accept them).
GOOD: dict[str, str] = {
    "stack_name": "cloudresume", "stack_aws_endpoint_url": "http://127.0.0.1:4599", "stack_aws_access_key": "testing",
    "stack_aws_profile": "default", "stack_site_bucket_prefix": "cloudresume-site", "static_site_bucket_name": "my-site",
    "static_site_error_page": "/404.html", "static_site_revalidate_cache_control": "no-cache",
    "static_site_asset_cache_control": "no-cache", "bootstrap_github_repository": "owner/repo",
    "bootstrap_github_branch": "main", "bootstrap_oidc_url": "https://token.actions.githubusercontent.com",
    "bootstrap_oidc_audience": "sts.amazonaws.com", "bootstrap_role_path": "/github-actions/",
    "monitoring_topic_kms_key_alias": "alias/cloudresume-alarms", "stack_function_log_group": "/aws/lambda/x",
    "stack_api_access_log_group": "/aws/apigateway/x", "stack_metric_namespace": "CloudResume/x",
    "monitoring_metric_namespace": "CloudResume/x",
}
FILTER = {"name": "visits", "pattern": "{ $.status = 200 }", "metric": "Visits", "value": "1"}
BAD_BY_CHECK: dict[str, list[Any]] = {
    "region": ["us-esat-2", "mars-1", ""],
    "tags": [{"aws:owner": "me"}, {"Project": "résumé\n"}, {f"k{i}": "v" for i in range(48)}, {"a" * 129: "v"}],
    "tag_value": ["local\n", "x" * 257],
    "origins": [["https://x.com\n"], ["https://x.com/path"], ["*"]],
    "domain_names": [["example.com", "example.com"], ["*.example.com"], ["Example.com"], ["example.com."], ["localhost"]],
    "account_id": ["12345678901", "123456789012\n"],
    "email": ["me@example", "me@example.com\n"],
    "kms_key": ["my key", "alias/ok\n"],
    "uuid": ["not-a-uuid"],
    "lambda_python_runtime": ["python3.9", "nodejs22.x", "python3.13\n"],
    "site_folder": ["/nonexistent-site", str(ROOT / "roles")],
    "file_path": ["/tmp"],
    "metric_filters": [[{**FILTER, "name": "a*b"}], [{**FILTER, "metric": "a:b"}], [FILTER, FILTER],
                       [{**FILTER, "unit": "Parsecs"}], [{"name": "visits"}]],
    "alarm_window": [1000],
    "content_security_policy": [{"Img_Src": ["'self'"]}, {"img-src": ["'self'; script-src *"]}, {"img-src": "'self'"},
                                {"object-src": ["'none'", "'self'"]}, {"img-src": ["https://x.example"] * 200}],
}


@dataclass(frozen=True)
class Case:
    variable: str
    value: Any
    why: str


def spec_options() -> dict[str, dict[str, Any]]:
    """Every option of every entry point of every role, by variable name; except what another entry point requires
    from the task that includes it, which is no inventory input."""
    options: dict[str, dict[str, Any]] = {}
    for path in SPEC_FILES:
        for name, entry in yaml.safe_load(path.read_text())["argument_specs"].items():
            options.update({k: v for k, v in (entry.get("options") or {}).items()
                            if name == "main" or not v.get("required")})
    return options


def rule_cases(name: str, rule: dict[str, Any]) -> list[Case]:
    cases = []
    if "min" in rule:
        cases.append(Case(name, rule["min"] - 1, "below min"))
    if "max" in rule:
        cases.append(Case(name, rule["max"] + 1, "above max"))
    if "multiple_of" in rule:
        cases.append(Case(name, rule.get("min", 0) + rule["multiple_of"] + 1, "not a multiple"))
    if "pattern" in rule or "name" in rule:
        cases.append(Case(name, GOOD.get(name, "valid") + "\n", "trailing newline"))
        cases.append(Case(name, "x" * 1025, "too long"))
    if "check" in rule:
        cases += [Case(name, value, f"check {rule['check']}") for value in BAD_BY_CHECK[rule["check"]]]
    if "only_with" in rule:
        cases.append(Case(name, "alias/my-key", "set without " + ", ".join(f"{k}={v}" for k, v in rule["only_with"].items())))
    return cases


def all_cases() -> list[Case]:
    cases = []
    for name, spec in sorted(spec_options().items()):
        kind = spec.get("type", "str")
        if kind == "list" and spec.get("elements") == "dict":
            cases.append(Case(name, [{"name": "x"}, "not-a-mapping"], "element of the wrong type"))
        cases.append(Case(name, BAD_BY_TYPE[kind], f"not a {kind}"))
        if "choices" in spec:
            cases.append(Case(name, 2 if kind == "int" else "NOT_A_CHOICE", "not a choice"))
    for name, rule in sorted(RULES.items()):
        cases += rule_cases(name, rule)
    return cases


CASES = all_cases()


def test_every_argument_spec_option_and_rule_has_cases():
    """The walk covers every option of every role and every rule: a new variable gets cases automatically."""
    covered = {c.variable for c in CASES}
    assert set(spec_options()) <= covered
    assert set(RULES) <= covered
    assert len(CASES) > 150


# Variables whose checks read each other: never bad together in one host, so that one cannot mask the other.
LINKED = [{"counter_db_kms_key_id", "counter_db_encryption"}, {"static_site_source_dir", "static_site_error_page"},
          {"monitoring_metric_filters", "stack_name"}] + [
    {f"monitoring_{alarm}_period", f"monitoring_{alarm}_evaluation_periods"}
    for alarm in ("lambda_errors", "api_latency", "lambda_throttles", "dynamodb_throttles")]
STACK_SPEC = yaml.safe_load((ROOT / "roles/stack/meta/argument_specs.yml").read_text())["argument_specs"]["main"]["options"]


def caught_by_ansible(case: Case) -> bool:
    """Ansible's own check of the stack role's argument spec runs first and stops at its type and choice errors."""
    spec = STACK_SPEC.get(case.variable)
    return spec is not None and (case.why == "not a choice" or spec.get("type", "str") not in ("str", "path")) \
        and case.why.startswith("not a")


def hosts_of(cases: list[Case]) -> list[list[Case]]:
    """Cases packed into hosts: each host holds one bad value per variable, of unrelated variables, all caught by
    the same check (the preflight reports every invalid variable at once)."""
    hosts: list[list[Case]] = []
    for case in cases:
        related = set().union(*[group for group in LINKED if case.variable in group]) | {case.variable}
        host = next((h for h in hosts if caught_by_ansible(h[0]) == caught_by_ansible(case)
                     and not related & {c.variable for c in h}), None)
        if host is None:
            hosts.append(host := [])
        host.append(case)
    return hosts


HOSTS = hosts_of(CASES)


def write_inventory(directory: Path, emulator_url: str, hosts: dict[str, dict[str, Any]]) -> Path:
    """The local inventory's variables with ``hosts`` (name: its own variables), each a local connection."""
    base = yaml.safe_load((ROOT / "inventories/local/group_vars/all.yml").read_text())
    base.update(stack_aws_endpoint_url=emulator_url, bootstrap_github_repository="owner/repo")
    local = {"ansible_connection": "local", "ansible_python_interpreter": str(BIN / "python")}
    path = directory / "inventory.yml"
    path.write_text(yaml.safe_dump({"all": {"hosts": {name: {**local, **values} for name, values in hosts.items()},
                                            "vars": base}}, allow_unicode=True))
    return path


def write_playbook(directory: Path) -> Path:
    """The preflight of every playbook, with every role of the collection in the play (as their defaults)."""
    layers = [{"name": f"Load the {role} role's defaults", "ansible.builtin.import_role": {"name": f"cloudresume.aws.{role}"},
               "when": False, "tags": ["never"]}
              for role in ("counter_db", "counter_api", "static_site", "monitoring", "bootstrap")]
    play = {"name": "Preflight of every case", "hosts": "all", "gather_facts": False,
            "module_defaults": {"group/cloudresume.aws.aws": {"region": "{{ stack_region }}",
                                                               "endpoint_url": "{{ stack_aws_endpoint_url }}"}},
            "roles": [{"role": "cloudresume.aws.stack"}], "tasks": layers}
    path = directory / "preflight.yml"
    path.write_text(yaml.safe_dump([play]))
    return path


def failures(output: str) -> dict[str, list[str]]:
    """The failure messages of each host, from the oneline callback (one JSON result per line), one per line."""
    found = {}
    for host, payload in re.findall(r"^(case-\d+) \| FAILED! => (\{.*\})$", output, re.MULTILINE):
        result = json.loads(payload)
        found[host] = str(result.get("msg", "")).splitlines()
    return found


def named_in(case: Case, lines: list[str]) -> str | None:
    """The line of the failure that is about this case's variable: the preflight starts each with the name."""
    prefix = f"- {case.variable}: " if not caught_by_ansible(case) else None
    return next((line for line in lines if (line.startswith(prefix) if prefix else case.variable in line)), None)


def run_preflight(inventory: Path, playbook: Path) -> subprocess.CompletedProcess:
    """ansible-playbook with the oneline callback (one JSON result a line)."""
    environment = {**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
                   "ANSIBLE_COLLECTIONS_PATH": str(ROOT / ".venv" / "collections"), "ANSIBLE_DEPRECATION_WARNINGS": "0",
                   "ANSIBLE_STDOUT_CALLBACK": "ansible.builtin.oneline", "ANSIBLE_NOCOLOR": "1"}
    return subprocess.run([str(BIN / "ansible-playbook"), "-i", str(inventory), str(playbook)], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=600, check=False)


def test_every_variable_with_a_bad_value(emulator, tmp_path):
    hosts = {f"case-{i:02d}": {case.variable: case.value for case in cases} for i, cases in enumerate(HOSTS)}
    inventory, playbook = write_inventory(tmp_path, emulator.url, hosts), write_playbook(tmp_path)
    mark = len(emulator.calls())
    done = run_preflight(inventory, playbook)
    output = done.stdout + done.stderr
    assert done.returncode != 0
    failed = failures(output)
    assert sorted(failed) == [f"case-{i:02d}" for i in range(len(HOSTS))], output[-3000:]
    table, missed = [], []
    for i, cases in enumerate(HOSTS):
        for case in cases:
            line = named_in(case, failed[f"case-{i:02d}"])
            if line is None:
                missed.append((case.variable, case.value, case.why))
            table.append({"variable": case.variable, "value": case.value, "why": case.why, "error": line})
    assert not missed, f"accepted, or not named: {missed}"
    # Each host stopped at a check (no exception: Ansible would say "Task failed: <error>").
    assert {lines[0] for lines in failed.values()} <= {"Invalid variables, nothing was done (no AWS call was made):",
                                                       "Validation of arguments failed:"}
    assert "Traceback" not in output
    assert emulator.calls(mark) == []
    (ROOT / "build").mkdir(exist_ok=True)
    (ROOT / "build" / "bad-input-table.json").write_text(json.dumps(table, indent=1, default=str, ensure_ascii=False))


@pytest.mark.parametrize(
    ("args", "extra_vars", "named"),
    [
        # The cases: a bad rate limit used to fail only after CreateTable; a region typo reached the network.
        (["--tags", "counter_api", "--check"], {"counter_api_throttling_rate_limit": "-1", "stack_region": "us-esat-2"},
         ["counter_api_throttling_rate_limit", "stack_region"]),
        ([], {"stack_name": "Bad_Name", "counter_db_billing_mode": "FREE", "counter_db_table_name": "'a b'",
              "stack_aws_endpoint_url": "not-a-url"},
         ["stack_name", "counter_db_billing_mode", "counter_db_table_name", "stack_aws_endpoint_url"]),
        (["--tags", "static_site"], {"stack_region": "''"}, ["stack_region"]),
    ],
)
def test_site_stops_before_any_aws_call(emulator, args, extra_vars, named):
    run = run_playbook(emulator, "site.yml", *args, extra_vars=extra_vars)
    assert run.returncode != 0
    for variable in named:
        assert variable in run.output, variable
    assert run.calls == [], run.calls


def test_a_bad_stack_destroy_data_stops_the_teardown_before_any_aws_call(emulator):
    run = run_playbook(emulator, "playbooks/teardown.yml", extra_vars={"stack_destroy_data": "maybe"})
    assert run.returncode != 0
    assert "stack_destroy_data 'maybe' is not a boolean" in run.output, run.output[-3000:]
    assert run.calls == [], run.calls


@pytest.mark.parametrize("playbook", ["playbooks/teardown.yml", "playbooks/restore.yml"])
def test_teardown_and_restore_run_the_preflight(emulator, playbook):
    bad = {"stack_region": "us-esat-2", "restore_latest": "true", "restore_confirm": "cloudresume-visitors"}
    run = run_playbook(emulator, playbook, extra_vars=bad)
    assert run.returncode != 0
    assert "stack_region: 'us-esat-2' is not a region of partition aws" in run.output
    assert run.calls == [], run.calls


def test_the_long_log_retentions_pass_the_preflight(emulator, tmp_path):
    """1096 to 3288 days (amazon.aws's log group module deleted groups for those; no role gives it one now): one host a
    value, in one run of the preflight (one fork batch). That the argument spec's choices are exactly CloudWatch's
    documented values is tests/unit/test_log_retention.py's."""
    documented = Loader().load_service_model("logs", "service-2")["shapes"]["Days"]["documentation"]
    values = [int(n) for n in re.findall(r"\d+", documented.split("Possible values are:")[1].split(".")[0])]
    values = [days for days in values if 1096 <= days <= 3288]
    assert values == [1096, 1827, 2192, 2557, 2922, 3288]
    hosts = {f"days-{days}": {"stack_log_retention_days": days} for days in values}
    run = run_preflight(write_inventory(tmp_path, emulator.url, hosts), write_playbook(tmp_path))
    assert run.returncode == 0, (run.stdout + run.stderr)[-3000:]
    assert len(re.findall(r"^days-\d+ \| (?:SUCCESS|CHANGED)", run.stdout, re.MULTILINE)) >= len(values)


def test_no_credentials_is_named_before_anything_else(emulator, tmp_path):
    inventory = tmp_path / "inventory"
    (inventory / "group_vars").mkdir(parents=True)
    (inventory / "hosts.yml").write_text((ROOT / "inventories/local/hosts.yml").read_text())
    variables = yaml.safe_load((ROOT / "inventories/local/group_vars/all.yml").read_text())
    for key in ("stack_aws_access_key", "stack_aws_secret_key"):
        variables.pop(key)
    (inventory / "group_vars" / "all.yml").write_text(yaml.safe_dump(variables))
    # botocore treats an empty variable as unset; no shared files, no instance metadata lookup.
    no_credentials = {"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "",
                      "AWS_CONFIG_FILE": str(tmp_path / "none"), "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
                      "AWS_EC2_METADATA_DISABLED": "true"}
    run = run_playbook(emulator, "site.yml", "--check", env=no_credentials, inventory=inventory)
    assert run.returncode != 0
    assert "No AWS credentials were found" in run.output
    assert "describe the table" not in run.output
    assert run.calls == [], run.calls


def test_wrong_account_stops_after_one_read(emulator):
    run = run_playbook(emulator, "site.yml", "--tags", "monitoring", extra_vars={"stack_expected_account_id": "111111111111"})
    assert run.returncode != 0
    assert "stack_expected_account_id is 111111111111 but the credentials" in run.output
    assert "belong to account 123456789012" in run.output
    assert run.mutating == []
    assert [f"{c['service']}:{c['operation']}" for c in run.calls] == ["sts:GetCallerIdentity"]
