"""Whole-stack tests: playbooks run with ansible-playbook against an emulator of the test's own."""
from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import pytest

from emulator.requestlog import read_log
from servers import free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
RECAP = re.compile(r"^localhost\s+:\s+(?P<stats>.*)$", re.MULTILINE)
# About the seconds each file takes on an idle 2-core machine (pytest --durations=0 with 2 workers, summed per file;
# only their order matters). The files run longest first
# (pytest -n 2 --dist loadfile --no-loadscope-reorder), so that the two workers end close together instead of one
# starting a long file when the other is done. A file not listed counts as DEFAULT_SECONDS.
EXPECTED_SECONDS = {
    "test_iam_lifecycle.py": 260, "test_galaxy_install.py": 135, "test_layers_rollout_and_costs.py": 130,
    "test_interrupted_chain_2.py": 70,
    "test_interrupted_chain_1.py": 70, "test_bootstrap.py": 50,
    "test_inputs_and_restore.py": 32, "test_preflight.py": 26, "test_deploy_role_containment.py": 16,
    "test_http_api_playbook.py": 15,
}
DEFAULT_SECONDS = 60


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Longest files first, each file's tests in their own order (they share the file's deployed stack)."""
    order = {id(item): position for position, item in enumerate(items)}
    items.sort(key=lambda item: (-EXPECTED_SECONDS.get(item.path.name, DEFAULT_SECONDS)
                                 if item.path.parent.name == "integration" else 0, order[id(item)]))


@dataclass
class Emulator:
    port: int
    enforce_iam: bool = False
    consistency: str | None = None  # SETTINGS of AWS's consistency profile (tools/emulator/consistency.py); None: off

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return ROOT / "build" / "emulator" / str(self.port) / "requests.jsonl"

    @property
    def consistency_log_path(self) -> Path:
        """The answers the consistency profile gave in place of moto's (one JSON line each)."""
        return self.log_path.with_name("consistency.jsonl")

    def command(self, action: str) -> None:
        options = ["--enforce-iam"] if self.enforce_iam and action == "start" else []
        if action == "start" and self.consistency is not None:
            options.append(f"--consistency={self.consistency}")
        subprocess.run([str(ROOT / "tools" / "scripts" / "emulator"), action, "--port", str(self.port), *options], check=True,
                       capture_output=True)

    def calls(self, start: int = 0) -> list[dict[str, Any]]:
        return read_log(self.log_path, start)

    def client(self, service: str, region: str = "us-east-2") -> Any:
        return boto3.client(service, endpoint_url=self.url, region_name=region,
                            aws_access_key_id="testing", aws_secret_access_key="testing")


@dataclass
class PlaybookRun:
    returncode: int
    output: str
    stats: dict[str, int]
    calls: list[dict[str, Any]] = field(default_factory=list)

    @property
    def mutating(self) -> list[str]:
        return [f"{c['service']}:{c['operation']}" for c in self.calls if c["mutating"]]

    @property
    def denied(self) -> list[str]:
        """Calls IAM enforcement denied: ``service:Operation action resource``."""
        return [f"{c['service']}:{c['operation']} {c['denied_action']} {c['denied_resource']}"
                for c in self.calls if "denied_action" in c]


def emulator_fixture(*, enforce_iam: bool = False, consistency: str | None = None):
    """A module-scoped fixture factory: an emulator on a free port, reset at start, stopped at the end.

    ``enforce_iam`` evaluates IAM policies for requests signed by IAM role sessions and users; ``consistency``:
    SETTINGS of AWS's consistency profile to start it with (``""`` for the defaults).
    """

    @pytest.fixture(scope="module")
    def fixture() -> Iterator[Emulator]:
        emulator = Emulator(free_port(), enforce_iam, consistency)
        emulator.command("start")
        emulator.command("reset")
        yield emulator
        emulator.command("stop")

    return fixture


def run_playbook(emulator: Emulator, playbook: str, *args: str, extra_vars: dict[str, Any] | None = None,
                 timeout: float = 600, cwd: Path = ROOT, env: dict[str, str] | None = None,
                 inventory: Path = ROOT / "inventories" / "local") -> PlaybookRun:
    mark = len(emulator.calls())
    command = [str(BIN / "ansible-playbook"), "-i", str(inventory), playbook, *args]
    for key, value in (extra_vars or {}).items():
        command += ["-e", f"{key}={value}"]
    environment = {
        **os.environ,
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
        "ANSIBLE_COLLECTIONS_PATH": str(ROOT / ".venv" / "collections"),
        "ANSIBLE_NOCOLOR": "1",
        "EMULATOR_PORT": str(emulator.port),
        **(env or {}),
    }
    done = subprocess.run(command, cwd=cwd, env=environment, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=timeout, check=False)
    output = done.stdout + done.stderr
    recap = RECAP.findall(output)
    stats = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", recap[-1])} if recap else {}
    return PlaybookRun(done.returncode, output, stats, emulator.calls(mark))
