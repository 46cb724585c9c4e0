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
import sys
from pathlib import Path

from servers import BackgroundServer

from .server import HOST, Preview, Settings

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SITE_PORT = 4621
DEFAULT_API_PORT = 4622


def state_dir(site_port: int) -> Path:
    return Path(os.environ.get("PREVIEW_STATE_DIR", ROOT / "build" / "preview")) / str(site_port)


def answers(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((HOST, port)) == 0


def server(args: argparse.Namespace) -> BackgroundServer:
    return BackgroundServer(
        "preview", state_dir(args.site_port), lambda: answers(args.site_port) and answers(args.api_port),
        lambda pid: f"http://{HOST}:{args.site_port}/ (API http://{HOST}:{args.api_port}, pid {pid})")


def start(args: argparse.Namespace, argv: list[str], timeout: float = 30.0) -> int:
    taken = [port for port in (args.site_port, args.api_port) if answers(port)]
    serve_argv = ["serve" if a == "start" else a for a in argv]
    return server(args).start(["preview", *serve_argv], ROOT, timeout, lambda: taken[0] if taken else None)


def stop(args: argparse.Namespace) -> int:
    return server(args).stop()


def status(args: argparse.Namespace) -> int:
    return server(args).status()


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
