"""The GitHub Actions workflows: valid against SchemaStore's workflow schema (check-jsonschema's vendored copy),
free of zizmor findings, and shaped as docs/deploy-aws.md promises: OIDC only, check mode before deploy."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
BIN = Path(sys.executable).parent
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")
KEY_INPUTS = {"aws-access-key-id", "aws-secret-access-key", "aws-session-token"}


def load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the bare key `on` as true
    return data


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def tool(name: str) -> str:
    path = BIN / name
    return str(path) if path.exists() else (shutil.which(name) or pytest.fail(f"{name} is not installed (make venv)"))


def schema_check(*paths: Path) -> subprocess.CompletedProcess[str]:
    command = [tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *map(str, paths)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_workflows_match_the_github_workflow_schema() -> None:
    result = schema_check(*sorted(WORKFLOWS.glob("*.yml")))
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_check_rejects_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    step: []\n")
    assert schema_check(broken).returncode != 0


def test_zizmor_finds_nothing() -> None:
    result = subprocess.run([tool("zizmor"), "--offline", "--no-progress", str(WORKFLOWS)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", ["ci.yml", "deploy.yml"])
def test_no_secret_and_no_access_key(name: str) -> None:
    text = (WORKFLOWS / name).read_text()
    assert "secrets." not in text
    assert not re.search(r"AKIA[0-9A-Z]{16}", text)
    for step in steps(load(name)):
        assert not KEY_INPUTS & set(step.get("with", {})), step["name"]
        assert not {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} & set(step.get("env", {})), step["name"]


@pytest.mark.parametrize("name", ["ci.yml", "deploy.yml"])
def test_actions_are_pinned_to_a_commit(name: str) -> None:
    for step in steps(load(name)):
        if "uses" in step:
            assert PINNED.match(step["uses"]), step["uses"]


@pytest.mark.parametrize("name", ["ci.yml", "deploy.yml"])
def test_default_token_is_read_only(name: str) -> None:
    assert load(name)["permissions"] == {"contents": "read"}


def test_ci_runs_every_stage_of_the_test_command_on_prs_and_pushes() -> None:
    ci = load("ci.yml")
    assert {"push", "pull_request"} <= set(ci["on"])
    stages = re.search(r'stages=\$\{TEST_STAGES:-"([^"]+)"\}', (ROOT / "scripts" / "run-tests").read_text())
    assert stages, "scripts/run-tests no longer names its default stages"
    assert ci["jobs"]["test"]["strategy"]["matrix"]["stage"] == stages.group(1).split()
    assert all("id-token" not in job.get("permissions", {}) for job in ci["jobs"].values())


def test_deploy_assumes_a_role_through_oidc() -> None:
    deploy = load("deploy.yml")
    assert deploy["on"]["push"]["branches"] == ["main"]
    assert "pull_request" in deploy["on"]
    (job,) = deploy["jobs"].values()
    assert job["permissions"] == {"contents": "read", "id-token": "write"}
    (login,) = [s for s in job["steps"] if s.get("uses", "").startswith("aws-actions/configure-aws-credentials@")]
    role = login["with"]["role-to-assume"]
    assert "vars.AWS_CHECK_ROLE_ARN" in role and "vars.AWS_DEPLOY_ROLE_ARN" in role
    assert "pull_request" in role  # pull requests get the read-only check role


def test_deploy_runs_check_mode_first_and_deploys_only_outside_pull_requests() -> None:
    (job,) = load("deploy.yml")["jobs"].values()
    runs = [(s.get("run", ""), s.get("if", "")) for s in job["steps"]]
    playbook_runs = [(i, run, cond) for i, (run, cond) in enumerate(runs) if "ansible-playbook" in run]
    assert len(playbook_runs) == 2
    (check_index, check, check_if), (deploy_index, deploy, deploy_if) = playbook_runs
    assert check_index < deploy_index
    assert "--check --diff" in check and "-i inventories/aws" in check and not check_if
    assert "--check" not in deploy and "-i inventories/aws" in deploy
    assert deploy_if == "github.event_name != 'pull_request'"
    summary = next(run for run, _name in runs[check_index + 1:deploy_index] if "GITHUB_STEP_SUMMARY" in run)
    assert "build/check.log" in summary
