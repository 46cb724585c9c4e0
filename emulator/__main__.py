"""Command line: ``python -m emulator start|stop|status|reset|serve [--port N]``.

``start`` runs the server in the background (PID file, log file), waits until it answers and is safe to
call twice; ``stop`` ends it; ``reset`` empties moto's state and the request log; ``serve`` runs in the
foreground. ``--enforce-iam`` (start, serve) evaluates IAM policies for requests signed by IAM role sessions
and users and denies what they do not allow (emulator/iam/); ``--audit-iam`` evaluates and logs, never denies.
Files live in ``build/emulator/<port>/`` (pid, server.log, requests.jsonl).
"""
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PORT = 4599
HOST = "127.0.0.1"


def state_dir(port: int) -> Path:
    return Path(os.environ.get("EMULATOR_STATE_DIR", ROOT / "build" / "emulator")) / str(port)


def url(port: int) -> str:
    return f"http://{HOST}:{port}"


def answers(port: int) -> bool:
    try:
        # moto's dashboard page: static, so it answers whatever the state (data.json fails once a Lambda exists)
        with urllib.request.urlopen(f"{url(port)}/moto-api/", timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def running_pid(port: int) -> int | None:
    pid_file = state_dir(port) / "pid"
    try:
        pid = int(pid_file.read_text())
        os.kill(pid, 0)
    except (FileNotFoundError, ValueError, ProcessLookupError, PermissionError):
        return None
    return pid


def wait_until_answering(port: int, process: subprocess.Popen[bytes] | None, pid: int, timeout: float) -> int:
    directory = state_dir(port)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            print(f"emulator exited with {process.returncode}; see {directory / 'server.log'}", file=sys.stderr)
            return 1
        if answers(port):
            print(f"emulator {'running' if process else 'already running'} at {url(port)} (pid {pid})")
            return 0
        time.sleep(0.1)
    print(f"emulator did not answer within {timeout:.0f}s; see {directory / 'server.log'}", file=sys.stderr)
    return 1


def start(port: int, iam: str = "off", timeout: float = 90.0, consistency: str | None = None) -> int:
    pid = running_pid(port)
    if pid:  # ours: already serving, or still starting up
        return wait_until_answering(port, None, pid, timeout)
    if answers(port):
        print(f"port {port} is taken by a process this script did not start", file=sys.stderr)
        return 1
    directory = state_dir(port)
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / "server.log").open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "emulator", "serve", "--port", str(port),
             *([f"--{iam}-iam"] if iam != "off" else []),
             *([f"--consistency={consistency}"] if consistency is not None else [])],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )
    (directory / "pid").write_text(str(process.pid))
    status = wait_until_answering(port, process, process.pid, timeout)
    if status:
        if process.poll() is None:
            process.kill()
        (directory / "pid").unlink(missing_ok=True)
    return status


def stop(port: int) -> int:
    pid = running_pid(port)
    if pid is None:
        print("emulator not running")
        return 0
    os.kill(pid, signal.SIGTERM)
    for _ in range(100):
        if running_pid(port) is None:
            break
        time.sleep(0.05)
    else:
        os.kill(pid, signal.SIGKILL)
    (state_dir(port) / "pid").unlink(missing_ok=True)
    print(f"emulator stopped (pid {pid})")
    return 0


def status(port: int) -> int:
    pid = running_pid(port)
    if pid and answers(port):
        print(f"running at {url(port)} (pid {pid})")
        return 0
    print("not running")
    return 3


def reset(port: int) -> int:
    request = urllib.request.Request(f"{url(port)}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=10):
        pass
    (state_dir(port) / "requests.jsonl").unlink(missing_ok=True)
    print(f"emulator at {url(port)} reset")
    return 0


def serve(port: int, iam: str = "off", consistency: str | None = None) -> int:
    from .consistency import Profile
    from .server import serve as run

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    run(HOST, port, state_dir(port) / "requests.jsonl", iam, None if consistency is None else Profile.parse(consistency))
    return 0


def consistency_settings(settings: str) -> str:
    """argparse type of ``--consistency``: the SETTINGS string, once it parses (see emulator/consistency.py)."""
    from .consistency import Profile

    try:
        Profile.parse(settings)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="emulator", description="The project's local AWS (moto, serialised).")
    parser.add_argument("command", choices=["start", "stop", "status", "reset", "serve"])
    parser.add_argument("--port", type=int, default=int(os.environ.get("EMULATOR_PORT", DEFAULT_PORT)))
    parser.add_argument("--consistency", nargs="?", const="", type=consistency_settings, metavar="SETTINGS",
                        help="start|serve: AWS's consistency profile (emulator/consistency.py), e.g. role=3,throttle=4")
    iam = parser.add_mutually_exclusive_group()
    iam.add_argument("--enforce-iam", dest="iam", action="store_const", const="enforce", default="off",
                     help="start/serve: deny what the IAM policies of a role session or user do not allow")
    iam.add_argument("--audit-iam", dest="iam", action="store_const", const="audit",
                     help="start/serve: evaluate and log IAM decisions, deny nothing")
    args = parser.parse_args(argv)
    if args.command in ("start", "serve"):
        return {"start": start, "serve": serve}[args.command](args.port, iam=args.iam, consistency=args.consistency)
    return {"stop": stop, "status": status, "reset": reset}[args.command](args.port)


if __name__ == "__main__":
    sys.exit(main())
