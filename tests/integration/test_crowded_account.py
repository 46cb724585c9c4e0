"""The stack's lifecycle in a crowded account: no neighbour is changed, deleted, or read beyond a listing.

The account holds the neighbours of tests/integration/neighbours.py and the same stack deployed in us-west-2.
One deployment in us-east-2 serves every step, in order: deploy, rerun, check mode, teardown keeping the data,
teardown with the data (teardown's check mode is in test_teardown.py). After each step every neighbour's configuration and tags
equal the snapshot taken before the first, and moto's request recording shows no request naming a neighbour other
than a listing. The figures of each step are written to build/crowded-account.json.
"""
from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest

from . import neighbours
from .conftest import ROOT, Emulator, PlaybookRun, free_port, run_playbook

OTHER_REGION = "us-west-2"
DESTROY = {"stack_destroy_data": "true"}
FIGURES = ROOT / "build" / "crowded-account.json"


class CrowdedEmulator(Emulator):
    """An emulator whose every request moto also records with its URL and body (MOTO_ENABLE_RECORDING)."""

    @property
    def recording(self):
        return self.log_path.parent / "recording.jsonl"

    def start(self) -> None:
        env = {**os.environ, "MOTO_ENABLE_RECORDING": "true", "MOTO_RECORDER_FILEPATH": str(self.recording)}
        for action in ("start", "reset"):
            subprocess.run([str(ROOT / "tools" / "scripts" / "emulator"), action, "--port", str(self.port)], check=True,
                           capture_output=True, env=env)
        self.recording.write_text("", encoding="utf-8")

    def mark(self) -> int:
        return len(self.recording.read_text(encoding="utf-8").splitlines())


@pytest.fixture(scope="module")
def emulator() -> Iterator[CrowdedEmulator]:
    emulator = CrowdedEmulator(free_port())
    emulator.start()
    yield emulator
    emulator.command("stop")


@pytest.fixture(scope="module")
def account(emulator) -> str:
    return emulator.client("sts").get_caller_identity()["Account"]


@pytest.fixture(scope="module")
def crowd(emulator, account) -> neighbours.Crowd:
    crowd = neighbours.seed(emulator, account)
    west = run_playbook(emulator, "site.yml", extra_vars={"stack_region": OTHER_REGION})
    assert west.returncode == 0, west.output[-4000:]
    neighbours.add_deployed_stack(emulator, crowd, OTHER_REGION, account)
    return crowd


@pytest.fixture(scope="module")
def before(crowd) -> dict[str, Any]:
    return neighbours.snapshot(crowd)


@pytest.fixture(scope="module")
def figures() -> Iterator[dict[str, Any]]:
    collected: dict[str, Any] = {}
    yield collected
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    FIGURES.write_text(json.dumps(collected, indent=2) + "\n", encoding="utf-8")


def step(emulator: CrowdedEmulator, crowd: neighbours.Crowd, before: dict[str, Any], figures: dict[str, Any],
         name: str, playbook: str, *args: str, extra_vars: dict[str, str] | None = None) -> PlaybookRun:
    """Run one lifecycle step and assert that it left every neighbour alone."""
    mark = emulator.mark()
    run = run_playbook(emulator, playbook, *args, extra_vars=extra_vars)
    assert run.returncode == 0, run.output[-4000:]
    named = neighbours.named_in(neighbours.recorded(emulator.recording, mark), crowd)
    touched = neighbours.changed(before, neighbours.snapshot(crowd))
    figures[name] = {"calls": len(run.calls), "mutating calls": len(run.mutating), "changed": run.stats.get("changed"),
                     "neighbours": len(crowd.neighbours), "neighbours touched": len(touched),
                     "neighbour requests beyond a listing": len(neighbours.beyond_listing(named)),
                     "neighbour listings by name": sorted({f"{op} ({kind})" for op, kind, _name in named})}
    assert touched == [], touched
    assert neighbours.beyond_listing(named) == [], named
    return run


def test_the_account_is_crowded(emulator, crowd, before):
    kinds = crowd.kinds()
    assert kinds["distribution"] == neighbours.EXTRA_DISTRIBUTIONS > neighbours.DISTRIBUTION_PAGE
    assert kinds["origin access identity"] >= 1 and kinds["lambda function"] >= 2
    assert all(not isinstance(value, dict) or "missing" not in value for value in before.values())
    pages = emulator.client("cloudfront", "us-east-1").get_paginator("list_distributions").paginate()
    assert len(list(pages)) > 1


def test_deploy(emulator, crowd, before, figures):
    run = step(emulator, crowd, before, figures, "deploy", "site.yml")
    assert "lambda:CreateFunction" in run.mutating and "cloudfront:CreateDistributionWithTags" in run.mutating


def test_rerun_changes_nothing(emulator, crowd, before, figures):
    run = step(emulator, crowd, before, figures, "rerun", "site.yml")
    assert run.stats["changed"] == 0 and run.mutating == []


def test_check_mode_changes_nothing(emulator, crowd, before, figures):
    run = step(emulator, crowd, before, figures, "check mode", "site.yml", "--check", "--diff")
    assert run.mutating == []


def test_teardown_keeps_the_data_and_only_the_stacks_resources_go(emulator, crowd, before, figures, account):
    step(emulator, crowd, before, figures, "teardown", "playbooks/teardown.yml")
    assert emulator.client("dynamodb").describe_table(TableName="cloudresume-visitors")["Table"]["TableName"]
    emulator.client("s3").head_bucket(Bucket=f"cloudresume-site-us-east-2-{account}")
    assert "cloudresume-counter" not in [f["FunctionName"] for f in emulator.client("lambda").list_functions()["Functions"]]
    roles = [r["RoleName"] for r in emulator.client("iam").list_roles()["Roles"]]
    assert "cloudresume-counter-us-east-2" not in roles and f"cloudresume-counter-{OTHER_REGION}" in roles


def test_teardown_with_the_data(emulator, crowd, before, figures, account):
    run = step(emulator, crowd, before, figures, "teardown with data", "playbooks/teardown.yml", extra_vars=DESTROY)
    assert "dynamodb:DeleteTable" in run.mutating
    assert "cloudresume-visitors" not in emulator.client("dynamodb").list_tables()["TableNames"]
    buckets = [b["Name"] for b in emulator.client("s3").list_buckets()["Buckets"]]
    assert f"cloudresume-site-us-east-2-{account}" not in buckets and f"cloudresume-site-{account}" in buckets
