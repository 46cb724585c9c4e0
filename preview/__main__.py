"""Command line: ``python -m preview start|stop|status|serve`` (see docs/preview.md).

``start`` runs the preview in the background (PID file and log in ``build/preview/<site port>/``), waits until
both ports answer and is safe to call twice; ``stop`` ends it; ``status`` tells; ``serve`` runs in the
foreground. By default it reads the deployment from the local emulator (``EMULATOR_PORT``, default 4599);
``--endpoint-url ''`` reads real AWS with the usual credential chain.
"""
from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from .server import HOST, Preview, Settings

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SITE_PORT = 4621
DEFAULT_API_PORT = 4622


def state_dir(site_port: int) -> Path:
    return Path(os.environ.get("PREVIEW_STATE_DIR", ROOT / "build" / "preview")) / str(site_port)


def answers(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((HOST, port)) == 0


def running_pid(site_port: int) -> int | None:
    try:
        pid = int((state_dir(site_port) / "pid").read_text())
        os.kill(pid, 0)
    except (FileNotFoundError, ValueError, ProcessLookupError, PermissionError):
        return None
    return pid


def start(args: argparse.Namespace, argv: list[str], timeout: float = 30.0) -> int:
    if running_pid(args.site_port):
        print(f"preview already running at http://{HOST}:{args.site_port}/ (pid {running_pid(args.site_port)})")
        return 0
    taken = [port for port in (args.site_port, args.api_port) if answers(port)]
    if taken:
        print(f"port {taken[0]} is taken by a process this script did not start", file=sys.stderr)
        return 1
    directory = state_dir(args.site_port)
    directory.mkdir(parents=True, exist_ok=True)
    serve_argv = ["serve" if a == "start" else a for a in argv]
    with (directory / "server.log").open("ab") as log:
        process = subprocess.Popen([sys.executable, "-m", "preview", *serve_argv], cwd=ROOT, stdout=log,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    (directory / "pid").write_text(str(process.pid))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            print(f"preview exited with {process.returncode}; see {directory / 'server.log'}", file=sys.stderr)
            (directory / "pid").unlink(missing_ok=True)
            return 1
        if answers(args.site_port) and answers(args.api_port):
            print(f"preview running at http://{HOST}:{args.site_port}/ (API http://{HOST}:{args.api_port}, "
                  f"pid {process.pid})")
            return 0
        time.sleep(0.1)
    print(f"preview did not answer within {timeout:.0f}s; see {directory / 'server.log'}", file=sys.stderr)
    return 1


def stop(args: argparse.Namespace) -> int:
    pid = running_pid(args.site_port)
    if pid is None:
        print("preview not running")
        return 0
    os.kill(pid, signal.SIGTERM)
    for _ in range(100):
        if running_pid(args.site_port) is None:
            break
        time.sleep(0.05)
    else:
        os.kill(pid, signal.SIGKILL)
    (state_dir(args.site_port) / "pid").unlink(missing_ok=True)
    print(f"preview stopped (pid {pid})")
    return 0


def status(args: argparse.Namespace) -> int:
    pid = running_pid(args.site_port)
    if pid and answers(args.site_port):
        print(f"running at http://{HOST}:{args.site_port}/ (API http://{HOST}:{args.api_port}, pid {pid})")
        return 0
    print("not running")
    return 3


def serve(args: argparse.Namespace) -> int:
    if args.endpoint_url and "AWS_ACCESS_KEY_ID" not in os.environ and "AWS_PROFILE" not in os.environ:
        # A local endpoint accepts any credentials; AWS itself gets the usual credential chain.
        os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
    settings = Settings(
        stack_name=args.stack_name, api_name=args.api_name or f"{args.stack_name}-api", region=args.region,
        endpoint_url=args.endpoint_url or None, site_port=args.site_port, api_port=args.api_port,
        state_dir=state_dir(args.site_port),
    )
    preview = Preview(settings)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        preview.serve_forever()
    finally:
        preview.stop()
    return 0


def parser() -> argparse.ArgumentParser:
    emulator = f"http://{HOST}:{os.environ.get('EMULATOR_PORT', '4599')}"
    p = argparse.ArgumentParser(prog="preview", description="Local preview of the deployed cloudresume stack.")
    p.add_argument("command", choices=["start", "stop", "status", "serve"])
    p.add_argument("--site-port", type=int, default=int(os.environ.get("PREVIEW_SITE_PORT", DEFAULT_SITE_PORT)))
    p.add_argument("--api-port", type=int, default=int(os.environ.get("PREVIEW_API_PORT", DEFAULT_API_PORT)))
    p.add_argument("--endpoint-url", default=os.environ.get("PREVIEW_ENDPOINT_URL", emulator),
                   help="where the deployment is read (default: the local emulator); '' for AWS itself")
    p.add_argument("--region", default=os.environ.get("AWS_REGION", "us-east-2"))
    p.add_argument("--stack-name", default=os.environ.get("STACK_NAME", "cloudresume"),
                   help="finds the distribution tagged Stack: <name> and the HTTP API <name>-api")
    p.add_argument("--api-name", default=None, help="the HTTP API's name (default: <stack-name>-api)")
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parser().parse_args(argv)
    if args.command == "start":
        return start(args, argv)
    return {"stop": stop, "status": status, "serve": serve}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
