"""A first deploy killed at 10 different points, then rerun: every rerun completes, nothing is duplicated.

The kill points are spread over the mutating AWS calls of a reference first deploy (read from the emulator's
request log), so each interruption leaves the account in a different half-built state.
"""
from __future__ import annotations

import os
import signal
import subprocess
import time
from collections import Counter
from typing import Any

import pytest

from .conftest import BIN, ROOT, Emulator, emulator_fixture, run_playbook

emulator = emulator_fixture(4615)
KILL_POINTS = 10


def resources(emulator: Emulator) -> Counter[str]:
    """How many of each of the stack's resources the account holds."""
    cloudfront = emulator.client("cloudfront", region="us-east-1")
    found: Counter[str] = Counter()
    found["distribution"] = len(cloudfront.list_distributions()["DistributionList"].get("Items", []))
    found["origin access control"] = len(
        cloudfront.list_origin_access_controls()["OriginAccessControlList"].get("Items", []))
    policies = cloudfront.list_response_headers_policies(Type="custom")["ResponseHeadersPolicyList"]
    found["headers policy"] = len(policies.get("Items", []))
    found["api"] = len(emulator.client("apigatewayv2").get_apis()["Items"])
    found["role"] = len([r for r in emulator.client("iam").list_roles()["Roles"] if r["RoleName"].startswith("cloudresume")])
    found["function"] = len(emulator.client("lambda").list_functions()["Functions"])
    found["table"] = len(emulator.client("dynamodb").list_tables()["TableNames"])
    found["topic"] = len(emulator.client("sns").list_topics()["Topics"])
    found["dashboard"] = len(emulator.client("cloudwatch").list_dashboards()["DashboardEntries"])
    found["bucket"] = len(emulator.client("s3").list_buckets()["Buckets"])
    return found


def start_deploy(emulator: Emulator) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}", "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
           "ANSIBLE_COLLECTIONS_PATH": str(ROOT / ".venv" / "collections"), "EMULATOR_PORT": str(emulator.port)}
    return subprocess.Popen([str(BIN / "ansible-playbook"), "-i", str(ROOT / "inventories" / "local"), "site.yml"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def kill_after(emulator: Emulator, process: subprocess.Popen[bytes], mutating_calls: int) -> list[dict[str, Any]]:
    """Kill the playbook (and its module processes) as soon as it has made ``mutating_calls`` mutating calls."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        calls = emulator.calls()
        if sum(c["mutating"] for c in calls) >= mutating_calls:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return calls
        time.sleep(0.02)
    pytest.fail(f"the deploy ended before its mutating call number {mutating_calls}")


@pytest.fixture(scope="module")
def reference(emulator: Emulator) -> dict[str, Any]:
    emulator.command("reset")
    first = run_playbook(emulator, "site.yml")
    assert first.returncode == 0, first.output[-3000:]
    expected = resources(emulator)
    assert set(expected.values()) == {1}, expected
    return {"mutating": len(first.mutating), "resources": expected}


@pytest.mark.parametrize("point", range(KILL_POINTS))
def test_rerun_after_a_kill_completes_without_duplicates(emulator, reference, point):
    emulator.command("reset")
    total = reference["mutating"]
    kill_at = 1 + point * (total - 1) // KILL_POINTS  # spread over the whole first deploy
    calls = kill_after(emulator, start_deploy(emulator), kill_at)
    killed_after = [c["operation"] for c in calls if c["mutating"]][-1]
    rerun = run_playbook(emulator, "site.yml")
    assert rerun.returncode == 0, f"rerun after a kill at {killed_after} failed:\n{rerun.output[-3000:]}"
    assert resources(emulator) == reference["resources"], f"after a kill at {killed_after}"
