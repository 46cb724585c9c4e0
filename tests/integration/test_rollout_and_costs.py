"""Cost-first defaults and safe code rollout, on one stack deployed once with the defaults (tests in file order):

- the first deploy, in one run, wires the layers to each other (tests/integration/wiring.py: the API's CORS names
  the site's origin, config.json and the CSP name the API, the alarms notify the topic, the function names the
  table, the run's summary names every layer) in an account that holds only this stack;
- docs/costs.md's block is what tools/scripts/costs computes from the deployed stack, and with the defaults the
  always-free column at 10,000 visits a month stays under the seed's $0.40;
- the topic's customer managed key and the dashboard switch on and off (monitoring layer only), the cost follows;
- the first deploy published version 1, the API invokes the `live` alias, and only the alias may be invoked;
- a rerun publishes nothing and makes no mutating call;
- a handler change (a temporary copy of files/lambda) with X-Ray on publishes version 2 and moves the alias;
- playbooks/rollback.yml in check mode shows 2 -> 1 and changes nothing; the rollback moves the alias back and the
  API answers through the old handler (the preview runs the alias's code in-process); a second rollback fails.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from preview.api import Request, handle
from preview.deployment import read_api
from preview.function import Runner
from preview.server import fetch_url
from tests.integration.conftest import ROOT, emulator_fixture, run_playbook
from tests.integration.wiring import assert_layers_wired

emulator = emulator_fixture()
FUNCTION, ALIAS = "cloudresume-counter", "live"
MARKER = "X-Counter-Build"


def costs(emulator, *args: str) -> subprocess.CompletedProcess:
    outputs = ROOT / "build" / f"outputs-{emulator.port}.json"
    environment = {**os.environ, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    return subprocess.run([str(ROOT / "tools" / "scripts" / "costs"), "--outputs", str(outputs), *args], cwd=ROOT,
                          env=environment, capture_output=True, text=True, timeout=120, check=False)


def total(table: str, column: str) -> float:
    """The **Total** of a column (header text) of tools/scripts/costs' table."""
    rows = [line.split("|")[1:-1] for line in table.splitlines() if line.startswith("| ")]
    index = [cell.strip() for cell in rows[0]].index(column)
    (totals,) = [row for row in rows if row[0].strip() == "**Total**"]
    return float(totals[index].strip().strip("*$"))


def line(table: str, label: str) -> list[str]:
    (row,) = [r for r in table.splitlines() if r.startswith(f"| {label}")]
    return [cell.strip() for cell in row.split("|")[2:-1]]


@pytest.fixture(scope="module")
def deployed(emulator):
    run = run_playbook(emulator, "playbooks/site.yml")
    assert run.returncode == 0, run.output[-3000:]
    return run


def alias_version(emulator) -> str:
    return emulator.client("lambda").get_alias(FunctionName=FUNCTION, Name=ALIAS)["FunctionVersion"]


def versions(emulator) -> list[str]:
    return [v["Version"] for v in emulator.client("lambda").list_versions_by_function(FunctionName=FUNCTION)["Versions"]]


def call_api(emulator, tmp_path: Path):
    """GET /count through the deployed HTTP API, its integration and the function's code, run in-process."""
    api = read_api(emulator.client("apigatewayv2"), emulator.client("lambda"), "cloudresume-api", "123456789012")
    aws = {"AWS_ENDPOINT_URL": emulator.url, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    log_path = tmp_path / "handler.log"
    with log_path.open("w") as log:
        runner = Runner(lambda url: fetch_url(url, emulator.url), tmp_path / "functions", aws, log)
        return api, handle(api, Request("GET", "/count", "", [], b""), runner.invoke)


def test_the_first_deploy_wires_the_layers(emulator, deployed):
    assert_layers_wired(emulator)


def test_costs_doc_matches_the_deployed_defaults(emulator, deployed):
    checked = costs(emulator, "--check", "docs/costs.md")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    table = costs(emulator).stdout
    assert "dashboard yes" in table and "encryption key: none" in table and "X-Ray tracing off" in table
    assert total(table, "10,000, always-free") < 0.40
    assert line(table, "KMS customer managed key") == ["$0"] * 6
    attributes = emulator.client("sns").get_topic_attributes(
        TopicArn="arn:aws:sns:us-east-2:123456789012:cloudresume-alarms")["Attributes"]
    assert "KmsMasterKeyId" not in attributes or not attributes["KmsMasterKeyId"]


def test_topic_key_and_dashboard_switch_on_and_off(emulator, deployed):
    run = run_playbook(emulator, "playbooks/site.yml", "--tags", "monitoring",
                       extra_vars={"monitoring_topic_cmk": "true", "monitoring_dashboard": "false"})
    assert run.returncode == 0, run.output[-3000:]
    table = costs(emulator).stdout
    assert "dashboard no" in table and "encryption key: customer managed" in table
    assert line(table, "KMS customer managed key") == ["$1.0000"] * 6
    assert line(table, "CloudWatch dashboard (0)") == ["$0"] * 6
    kms = emulator.client("kms")
    key = kms.describe_key(KeyId="alias/cloudresume-alarms")["KeyMetadata"]
    assert key["KeyManager"] == "CUSTOMER" and key["KeyState"] == "Enabled"
    assert emulator.client("cloudwatch").list_dashboards()["DashboardEntries"] == []

    back = run_playbook(emulator, "playbooks/site.yml", "--tags", "monitoring")
    assert back.returncode == 0, back.output[-3000:]
    assert kms.describe_key(KeyId=key["Arn"])["KeyMetadata"]["KeyState"] == "PendingDeletion"
    assert costs(emulator, "--check", "docs/costs.md").returncode == 0


def test_the_api_invokes_the_live_alias_only(emulator, deployed):
    assert versions(emulator) == ["$LATEST", "1"] and alias_version(emulator) == "1"
    lam, apigw = emulator.client("lambda"), emulator.client("apigatewayv2")
    (api,) = [a for a in apigw.get_apis()["Items"] if a["Name"] == "cloudresume-api"]
    uris = {i["IntegrationUri"] for i in apigw.get_integrations(ApiId=api["ApiId"])["Items"]}
    assert uris == {f"arn:aws:lambda:us-east-2:123456789012:function:{FUNCTION}:{ALIAS}"}
    statement = json.loads(lam.get_policy(FunctionName=FUNCTION, Qualifier=ALIAS)["Policy"])["Statement"]
    assert [s["Sid"] for s in statement] == ["cloudresume-api-invoke"]
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_policy(FunctionName=FUNCTION)  # the unqualified function ($LATEST) may not be invoked by the API


def test_a_rerun_publishes_nothing_and_changes_nothing(emulator, deployed):
    run = run_playbook(emulator, "playbooks/site.yml", "--tags", "counter_api")
    assert run.returncode == 0 and run.stats["changed"] == 0, run.output[-3000:]
    assert run.mutating == []
    assert versions(emulator) == ["$LATEST", "1"]


@pytest.fixture(scope="module")
def changed_source(tmp_path_factory) -> Path:
    """A copy of files/lambda whose handler adds the MARKER header."""
    source = tmp_path_factory.mktemp("lambda")
    shutil.copytree(ROOT / "files" / "lambda", source, dirs_exist_ok=True)
    handler = source / "counter.py"
    text = handler.read_text()
    assert '"Cache-Control": "no-store",' in text
    handler.write_text(text.replace('"Cache-Control": "no-store",', f'"Cache-Control": "no-store", "{MARKER}": "2",'))
    return source


@pytest.fixture(scope="module")
def changed_handler(emulator, deployed, changed_source):
    run = run_playbook(emulator, "playbooks/site.yml", "--tags", "counter_api",
                       extra_vars={"counter_api_source_path": str(changed_source), "counter_api_tracing": "true"})
    assert run.returncode == 0, run.output[-3000:]
    return run


def test_a_handler_change_publishes_a_version_and_moves_the_alias(emulator, changed_handler, tmp_path):
    assert versions(emulator) == ["$LATEST", "1", "2"] and alias_version(emulator) == "2"
    # amazon.aws.lambda publishes with the code (UpdateFunctionCode with Publish), after the configuration update:
    # version 2 carries both, so lambda_release only moves the alias.
    assert "lambda:UpdateAlias" in changed_handler.mutating
    lam = emulator.client("lambda")
    version, latest = (lam.get_function_configuration(FunctionName=FUNCTION, Qualifier=q) for q in ("2", "$LATEST"))
    assert version["TracingConfig"] == {"Mode": "Active"} and version["CodeSha256"] == latest["CodeSha256"]
    role_policy = emulator.client("iam").get_role_policy(RoleName="cloudresume-counter-us-east-2",
                                                         PolicyName="cloudresume-counter-access")["PolicyDocument"]
    xray = [s for s in role_policy["Statement"] if s["Sid"] == "SendItsTraces"]
    assert xray and set(xray[0]["Action"]) == {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}
    api, reply = call_api(emulator, tmp_path)
    assert reply.status == 200 and reply.header(MARKER) == "2"
    assert next(iter(api.functions.values())).version == "2"


def package_of(source: Path) -> Path:
    """The role's default package path for a source folder (counter_api_package_path)."""
    digest = hashlib.sha1(os.path.realpath(source).encode()).hexdigest()[:12]  # noqa: S324 - a file name, not security
    return Path.home() / ".cache" / "cloudresume.aws" / f"{FUNCTION}-{digest}.zip"


def test_each_source_folder_has_its_own_package(changed_handler, changed_source):
    # Deploys side by side from another folder (the other test worker deploys files/lambda meanwhile) never
    # overwrite the zip this run uploads, nor this run theirs.
    with zipfile.ZipFile(package_of(ROOT / "files" / "lambda")) as default:
        assert MARKER.encode() not in default.read("counter.py")
    with zipfile.ZipFile(package_of(changed_source)) as patched:
        assert MARKER.encode() in patched.read("counter.py")


def test_rollback_check_mode_shows_the_versions_and_changes_nothing(emulator, changed_handler):
    run = run_playbook(emulator, "playbooks/rollback.yml", "--check", "--diff")
    assert run.returncode == 0, run.output[-3000:]
    assert run.mutating == [] and alias_version(emulator) == "2"
    assert re.search(r"^-\s*function_version: '2'$", run.output, re.MULTILINE)
    assert re.search(r"^\+\s*function_version: '1'$", run.output, re.MULTILINE)


def test_rollback_points_the_alias_back_and_the_api_runs_the_old_handler(emulator, changed_handler, tmp_path):
    run = run_playbook(emulator, "playbooks/rollback.yml")
    assert run.returncode == 0, run.output[-3000:]
    assert run.mutating == ["lambda:UpdateAlias"] and alias_version(emulator) == "1"
    assert versions(emulator) == ["$LATEST", "1", "2"]
    assert "rolled_back_from: '2'" in run.output and "rolled_back_to: '1'" in run.output
    api, reply = call_api(emulator, tmp_path)
    assert reply.status == 200 and reply.header(MARKER) is None and "count" in json.loads(reply.body)
    assert next(iter(api.functions.values())).version == "1"


def test_a_rollback_with_no_earlier_version_fails_and_changes_nothing(emulator, changed_handler):
    run = run_playbook(emulator, "playbooks/rollback.yml")
    assert run.returncode != 0 and run.mutating == []
    output = " ".join(run.output.split())  # the callback folds long messages
    assert "points at version 1" in output and "no earlier published version to roll back to" in output
    assert alias_version(emulator) == "1"
