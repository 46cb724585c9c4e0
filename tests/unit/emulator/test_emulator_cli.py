"""tools/scripts/emulator: start is safe to call twice (also once a Lambda function exists), status, reset, stop."""
from __future__ import annotations

import io
import subprocess
import time
import zipfile
from pathlib import Path

import boto3
import pytest
from servers import free_port

ROOT = Path(__file__).resolve().parents[3]
PORT = free_port()


def emulator(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(ROOT / "tools" / "scripts" / "emulator"), *args, "--port", str(PORT)], capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, check=False, timeout=120)


@pytest.fixture
def running():
    started = emulator("start")
    assert started.returncode == 0, started.stderr
    yield boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-2")
    emulator("stop")


def test_start_twice_with_a_function_deployed_answers_at_once(running):
    kw = {"endpoint_url": f"http://127.0.0.1:{PORT}"}
    role = running.client("iam", **kw).create_role(RoleName="fn-role", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("counter.py", "def handler(event, context):\n    return {}\n")
    running.client("lambda", **kw).create_function(FunctionName="fn", Runtime="python3.13", Role=role,
                                                   Handler="counter.handler", Code={"ZipFile": archive.getvalue()})
    began = time.monotonic()
    again = emulator("start")
    assert again.returncode == 0 and "already running" in again.stdout, again.stderr
    assert time.monotonic() - began < 10
    assert emulator("status").returncode == 0


def test_reset_empties_state_and_request_log(running):
    kw = {"endpoint_url": f"http://127.0.0.1:{PORT}"}
    running.client("sns", **kw).create_topic(Name="alarms")
    log = ROOT / "build" / "emulator" / str(PORT) / "requests.jsonl"
    assert log.exists()
    assert emulator("reset").returncode == 0
    assert not log.exists()
    assert running.client("sns", **kw).list_topics()["Topics"] == []


def test_stop_twice_is_fine():
    assert emulator("start").returncode == 0
    assert "stopped" in emulator("stop").stdout
    assert emulator("stop").stdout.strip() == "emulator not running"
    assert emulator("status").returncode == 3


@pytest.mark.parametrize(("options", "iam"), [([], "off"), (["--enforce-iam"], "enforce"), (["--audit-iam"], "audit")])
def test_iam_option_reaches_the_server_process(monkeypatch, tmp_path, options, iam):
    """start hands --enforce-iam/--audit-iam to the background serve process (the option lives with the server)."""
    import emulator.__main__ as cli
    import servers

    launched = []

    class Process:
        pid = 1
        returncode = None

        def __init__(self, command, **kwargs):
            launched.append(command)

        def poll(self):
            return None

    monkeypatch.setenv("EMULATOR_STATE_DIR", str(tmp_path))
    monkeypatch.setattr(cli, "answers", lambda port: bool(launched))
    monkeypatch.setattr(servers.subprocess, "Popen", Process)
    assert cli.main(["start", "--port", "4649", *options]) == 0
    (command,) = launched
    assert command[command.index("serve"):] == ["serve", "--port", "4649", *([f"--{iam}-iam"] if iam != "off" else [])]
