"""The whole stack as a product, cost-first defaults and safe code rollout, on one stack (tests in file order):

- deployed layer by layer with the defaults (--tags, in site.yml's order, from an empty account): each tagged run
  changes only its layer's services; then one whole run only wires the API's CORS to the site (created after the
  API), and the layers are wired to each other (tests/integration/wiring.py: the API's CORS names the site's
  origin, config.json and the CSP name the API, the alarms notify the topic, the function names the table, the
  run's summary names every layer) in an account that holds only this stack (the same after a first deploy made in
  one run: test_galaxy_install.py);
- --skip-tags leaves the skipped layers alone; the run it makes of counter_db and counter_api publishes nothing and
  makes no mutating call;
- a throttling change and a changed site file: check mode reports exactly those two and changes nothing (check mode
  on an empty account and on the converged stack: test_iam_lifecycle.py, under the check role);
- docs/costs.md's block is what tools/scripts/costs computes from the deployed stack, and with the defaults the
  always-free column at 10,000 visits a month stays under the seed's $0.40;
- the topic's customer managed key and the dashboard switch on and off (monitoring layer only), the cost follows;
- the first deploy published version 1, the API invokes the `live` alias, and only the alias may be invoked;
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
from tests.integration.conftest import ROOT, PlaybookRun, emulator_fixture, run_playbook
from tests.integration.wiring import assert_layers_wired

emulator = emulator_fixture()
FUNCTION, ALIAS = "cloudresume-counter", "live"
MARKER = "X-Counter-Build"
# The AWS services each layer may change; any other service is only read.
LAYER_SERVICES = {
    "counter_db": {"dynamodb"},
    "counter_api": {"iam", "lambda", "apigatewayv2", "logs"},
    "static_site": {"s3", "cloudfront"},
    "monitoring": {"sns", "kms", "cloudwatch", "logs"},
}


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
def deployed(emulator) -> dict[str, PlaybookRun]:
    """The stack deployed layer by layer (one tagged run each, in site.yml's order), then by one whole run."""
    runs = {layer: run_playbook(emulator, "site.yml", "--tags", layer) for layer in LAYER_SERVICES}
    runs["whole"] = run_playbook(emulator, "site.yml")
    return runs


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


@pytest.mark.parametrize("layer", list(LAYER_SERVICES))
def test_a_tagged_run_changes_only_its_layer(deployed, layer):
    run = deployed[layer]
    assert run.returncode == 0, run.output[-4000:]
    assert run.mutating, f"--tags {layer} on a stack without it created nothing"
    touched = {call.split(":")[0] for call in run.mutating}
    assert touched <= LAYER_SERVICES[layer], f"--tags {layer} changed {sorted(touched)}: {run.mutating}"


def test_the_layers_deployed_one_by_one_then_the_whole_run_wires_them(emulator, deployed):
    """After layer-by-layer deploys, a full run only wires the API's CORS to the site (created after the API)."""
    run = deployed["whole"]
    assert run.returncode == 0, run.output[-4000:]
    assert run.mutating == ["apigatewayv2:UpdateApi"], run.mutating
    assert_layers_wired(emulator)


def test_skip_tags_leaves_the_skipped_layers_alone_and_publishes_nothing(emulator, deployed):
    run = run_playbook(emulator, "site.yml", "--skip-tags", "static_site,monitoring")
    assert run.returncode == 0 and run.stats["changed"] == 0, run.output[-4000:]
    assert run.mutating == []
    assert "cloudresume.aws.static_site" not in run.output
    assert "cloudresume.aws.monitoring" not in run.output
    assert versions(emulator) == ["$LATEST", "1"]


def test_check_mode_shows_exactly_the_inventory_changes(emulator, deployed, tmp_path):
    """A throttling change and a changed site file: check mode reports those two, and changes nothing."""
    site = tmp_path / "site"
    shutil.copytree(ROOT / "files" / "site", site)
    (site / "style.css").write_text((site / "style.css").read_text() + "\n/* changed */\n")
    run = run_playbook(emulator, "site.yml", "--check", "--diff",
                       extra_vars={"counter_api_throttling_rate_limit": 25, "static_site_source_dir": str(site)})
    assert run.returncode == 0, run.output[-4000:]
    assert run.stats["changed"] == 2, run.output[-4000:]
    assert "throttling_rate_limit" in run.output
    assert "style.css" in run.output
    assert run.mutating == []


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
