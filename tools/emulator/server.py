"""The emulator's WSGI application and its single-threaded server."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterable

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server

from . import consistency
from .extensions import install_all
from .iam.middleware import ENVIRON_KEY as IAM_ENVIRON_KEY
from .iam.middleware import IamEnforcement
from .requestlog import RequestLog, buffered_body, operation_of, service_of

StartResponse = Callable[..., Any]
WsgiApp = Callable[..., Iterable[bytes]]


class LoggingMiddleware:
    """Log one JSON line per AWS call; moto's own endpoints (/moto-api) are not AWS calls."""

    def __init__(self, app: WsgiApp, log: RequestLog) -> None:
        self.app = app
        self.log = log

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        service = service_of(environ)
        if service is None:
            return self.app(environ, start_response)
        body = buffered_body(environ)
        status: list[int] = [0]

        def recording_start_response(status_line: str, headers: Any, exc_info: Any = None) -> Any:
            status[0] = int(status_line.split()[0])
            return start_response(status_line, headers, exc_info)

        try:
            return self.app(environ, recording_start_response)
        finally:  # also when moto raised: werkzeug then answers 500
            self.log.write(service, operation_of(service, environ, body), status[0] or 500,
                           **environ.get(IAM_ENVIRON_KEY, {}))


def build_app(request_log: Path, iam: str = "off", profile: consistency.Profile | None = None) -> LoggingMiddleware:
    """moto, wrapped from the inside out by each optional layer, then by the request log (which sees every answer).

    ``iam``: ``off``, ``enforce`` (IAM callers' requests are authorised, denials answered) or ``audit`` (evaluated
    and logged, never denied: to list every denial of a run at once). ``profile``: AWS's consistency behaviours
    (tools/emulator/consistency.py), applied to what IAM allowed.
    """
    install_all()
    app: WsgiApp = consistency.wrap(DomainDispatcherApplication(create_backend_app), profile, request_log)
    if iam != "off":
        app = IamEnforcement(app, deny=iam == "enforce")
    return LoggingMiddleware(app, RequestLog(request_log))


def serve(host: str, port: int, request_log: Path, iam: str = "off", profile: consistency.Profile | None = None) -> None:
    """Serve forever, one request at a time: every AWS call is atomic, as it is on AWS."""
    server = make_server(host, port, build_app(request_log, iam, profile), threaded=False, processes=1,
                         request_handler=MotoRequestHandler)
    server.serve_forever()
