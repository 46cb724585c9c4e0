"""Command line: ``python -m emulator start|stop|status|reset|serve [--port N]``.

``start`` runs the server in the background (PID file, log file), waits until it answers and is safe to
call twice; ``stop`` ends it; ``reset`` empties moto's state and the request log; ``serve`` runs in the
foreground. ``--enforce-iam`` (start, serve) evaluates IAM policies for requests signed by IAM role sessions
and users and denies what they do not allow (tools/emulator/iam/); ``--audit-iam`` evaluates and logs, never denies.
Files live in ``build/emulator/<port>/`` (pid, server.log, requests.jsonl).
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import urllib.error
import urllib.request
from pathlib import Path

from servers import BackgroundServer

ROOT = Path(__file__).resolve().parents[2]
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


def server(port: int) -> BackgroundServer:
    return BackgroundServer("emulator", state_dir(port), lambda: answers(port), lambda pid: f"{url(port)} (pid {pid})")


def start(port: int, iam: str = "off", timeout: float = 90.0, consistency: str | None = None) -> int:
    argv = ["emulator", "serve", "--port", str(port), *([f"--{iam}-iam"] if iam != "off" else []),
            *([f"--consistency={consistency}"] if consistency is not None else [])]
    return server(port).start(argv, ROOT, timeout, lambda: port if answers(port) else None)


def stop(port: int) -> int:
    return server(port).stop()


def status(port: int) -> int:
    return server(port).status()


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
    """argparse type of ``--consistency``: the SETTINGS string, once it parses (see tools/emulator/consistency.py)."""
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
                        help="start|serve: AWS's consistency profile (tools/emulator/consistency.py), e.g. role=3,throttle=4")
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
