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
    stages = re.search(r'stages=\$\{TEST_STAGES:-"([^"]+)"\}', (ROOT / "tools" / "scripts" / "run-tests").read_text())
    assert stages, "tools/scripts/run-tests no longer names its default stages"
    assert ci["jobs"]["test"]["strategy"]["matrix"]["stage"] == stages.group(1).split()
    assert all("id-token" not in job.get("permissions", {}) for job in ci["jobs"].values())


def test_deploy_assumes_a_role_through_oidc_in_the_jobs_that_need_one_only() -> None:
    deploy = load("deploy.yml")
    assert deploy["on"]["push"]["branches"] == ["main"]
    assert "pull_request" in deploy["on"]
    jobs = deploy["jobs"]
    assert set(jobs) == {"plan", "deploy"}
    assert "pull_request" in jobs["plan"]["if"] and "head.repo.full_name == github.repository" in jobs["plan"]["if"]
    assert jobs["deploy"]["if"] == "github.event_name != 'pull_request'"
    for name, role in (("plan", "vars.AWS_CHECK_ROLE_ARN"), ("deploy", "vars.AWS_DEPLOY_ROLE_ARN")):
        job = jobs[name]
        assert job["permissions"] == {"contents": "read", "id-token": "write"}
        (login,) = [s for s in job["steps"] if s.get("uses", "").startswith("aws-actions/configure-aws-credentials@")]
        assert login["with"]["role-to-assume"] == "${{ " + role + " }}"


def test_deploy_installs_hash_checked_wheels_before_asking_for_credentials() -> None:
    for job in load("deploy.yml")["jobs"].values():
        names = [s.get("run", "") + s.get("uses", "") for s in job["steps"]]
        install = next(i for i, text in enumerate(names) if "tools/scripts/bootstrap" in text)
        login = next(i for i, text in enumerate(names) if "configure-aws-credentials" in text)
        assert names[install].strip() == "tools/scripts/bootstrap requirements.lock" and install < login
    bootstrap = (ROOT / "tools" / "scripts" / "bootstrap").read_text()
    assert "--require-hashes --only-binary=:all:" in bootstrap
    assert "--require-hashes" in (ROOT / "tools" / "scripts" / "install_collections.py").read_text()


def pins(text: str) -> dict[str, str]:
    return dict(re.findall(r"^([A-Za-z0-9_.-]+)==([^\s;]+)", text, re.MULTILINE))


def test_lock_file_pins_the_development_versions_with_hashes() -> None:
    """requirements.txt holds the users' ranges; the lock holds requirements-dev.txt's exact versions of them."""
    lock = (ROOT / "requirements.lock").read_text()
    assert "pip-compile" in lock and "--generate-hashes" in lock
    locked = {name.lower(): version for name, version in pins(lock).items()}
    ranged = re.findall(r"^([A-Za-z0-9_.-]+)\s*[<>=!~]", (ROOT / "requirements.txt").read_text(), re.MULTILINE)
    assert ranged and pins((ROOT / "requirements.txt").read_text()) == {}
    dev = {name.lower(): version for name, version in pins((ROOT / "requirements-dev.txt").read_text()).items()}
    for name in [*ranged, "ansible-core"]:
        assert locked.get(name.lower()) == dev[name.lower()], f"requirements.lock is stale for {name}: rerun pip-compile"
    entries = re.findall(r"^[A-Za-z0-9_.-]+==.*?(?=^[A-Za-z0-9_.-]+==|\Z)", lock, re.MULTILINE | re.DOTALL)
    assert len(entries) == len(locked)
    assert [entry.split()[0] for entry in entries if "--hash=sha256:" not in entry] == []


def test_deploy_runs_check_mode_first_and_deploys_only_outside_pull_requests() -> None:
    jobs = load("deploy.yml")["jobs"]
    for name, playbooks in (("plan", 1), ("deploy", 2)):
        runs = [s.get("run", "") for s in jobs[name]["steps"]]
        playbook_runs = [(i, run) for i, run in enumerate(runs) if "ansible-playbook" in run]
        assert len(playbook_runs) == playbooks
        check_index, check = playbook_runs[0]
        assert "--check --diff" in check and "-i inventories/aws" in check
        summary = next(run for run in runs[check_index + 1:] if "GITHUB_STEP_SUMMARY" in run)
        assert "build/check.log" in summary
    (_check_index, _check), (deploy_index, deploy) = [
        (i, s["run"]) for i, s in enumerate(jobs["deploy"]["steps"]) if "ansible-playbook" in s.get("run", "")]
    assert "--check" not in deploy and "-i inventories/aws" in deploy and deploy_index == len(jobs["deploy"]["steps"]) - 1
