"""Both sides of the preview on two local ports, from the deployment read back with boto3."""
from __future__ import annotations

import json
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

import boto3
from werkzeug.serving import BaseWSGIServer, make_server

from . import api as api_side
from . import site as site_side
from .deployment import Api, NotDeployed, Site, read_api, read_site
from .function import Runner
from .origins import OriginMap

HOST = "127.0.0.1"
StartResponse = Callable[..., Any]


@dataclass(frozen=True)
class Settings:
    stack_name: str
    api_name: str
    region: str
    endpoint_url: str | None
    site_port: int
    api_port: int
    state_dir: Path
    refresh_seconds: float = 2.0

    @property
    def site_url(self) -> str:
        return f"http://{HOST}:{self.site_port}"

    @property
    def api_url(self) -> str:
        return f"http://{HOST}:{self.api_port}"


def fetch_url(url: str, endpoint_url: str | None) -> bytes:
    """GET a URL an AWS API handed out (a presigned Location); with an endpoint, send it there under its Host."""
    if not endpoint_url:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - an AWS-issued https URL
            return response.read()
    parts = urlsplit(url)
    target = endpoint_url.rstrip("/") + parts.path + (f"?{parts.query}" if parts.query else "")
    request = urllib.request.Request(target, headers={"Host": parts.netloc})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - the configured endpoint
        return response.read()


class Deployment:
    """The deployed configuration, read again when older than ``refresh_seconds``; a missing part is None."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        session = boto3.session.Session(region_name=settings.region)
        client = lambda name, **kw: session.client(name, endpoint_url=settings.endpoint_url, **kw)  # noqa: E731
        self.cloudfront, self.s3 = client("cloudfront"), client("s3")
        self.apigw, self.lambda_client, self.sts = client("apigatewayv2"), client("lambda"), client("sts")
        self._lock = threading.Lock()
        self._read_at = 0.0
        self._site: Site | None = None
        self._api: Api | None = None
        self.problems: list[str] = []

    def _read(self) -> None:
        self.problems = []
        try:
            self._site = read_site(self.cloudfront, self.s3, self.settings.stack_name)
        except NotDeployed as error:
            self._site, self.problems = None, [*self.problems, str(error)]
        try:
            account = self.sts.get_caller_identity()["Account"]
            self._api = read_api(self.apigw, self.lambda_client, self.settings.api_name, account)
        except NotDeployed as error:
            self._api, self.problems = None, [*self.problems, str(error)]

    def current(self) -> tuple[Site | None, Api | None]:
        with self._lock:
            if time.monotonic() - self._read_at > self.settings.refresh_seconds:
                self._read()
                self._read_at = time.monotonic()
            return self._site, self._api

    def origins(self) -> OriginMap:
        site, api = self.current()
        origins = OriginMap()
        if site:
            origins.add(site.origin, self.settings.site_url)
        if api:
            origins.add(api.endpoint, self.settings.api_url)
        return origins

    def get_object(self, bucket: str, key: str) -> dict[str, Any]:
        return self.s3.get_object(Bucket=bucket, Key=key)


def raw_path(environ: dict[str, Any]) -> str:
    """The request path as the client sent it (still percent-encoded), without the query."""
    return (environ.get("RAW_URI") or environ.get("PATH_INFO") or "/").split("?", 1)[0] or "/"


def _headers(environ: dict[str, Any]) -> list[tuple[str, str]]:
    headers = [(k[5:].replace("_", "-").title(), v) for k, v in environ.items() if k.startswith("HTTP_")]
    if environ.get("CONTENT_TYPE"):
        headers.append(("Content-Type", environ["CONTENT_TYPE"]))
    return headers


def _send(start_response: StartResponse, reply: api_side.Reply, method: str) -> Iterable[bytes]:
    status = f"{reply.status} {_REASONS.get(reply.status, 'Status')}"
    headers = [(k, v) for k, v in reply.headers if k.lower() != "content-length"]
    headers.append(("Content-Length", str(len(reply.body))))
    start_response(status, headers)
    return [] if method == "HEAD" else [reply.body]


_REASONS = {200: "OK", 204: "No Content", 304: "Not Modified", 400: "Bad Request", 403: "Forbidden",
            404: "Not Found", 405: "Method Not Allowed", 500: "Internal Server Error", 502: "Bad Gateway",
            503: "Service Unavailable"}


def _not_deployed(what: str, problems: list[str]) -> api_side.Reply:
    return api_side.Reply(502, [("Content-Type", "text/plain; charset=utf-8")],
                          f"preview: the {what} is not deployed: {'; '.join(problems)}\n".encode())


class SiteApp:
    def __init__(self, deployment: Deployment) -> None:
        self.deployment = deployment

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        site, _ = self.deployment.current()
        method = environ["REQUEST_METHOD"]
        if site is None:
            return _send(start_response, _not_deployed("site", self.deployment.problems), method)
        headers = {k.lower(): v for k, v in _headers(environ)}
        reply = site_side.handle(site, self.deployment.get_object, method, raw_path(environ),
                                 headers, self.deployment.origins().localize)
        return _send(start_response, reply, method)


class ApiApp:
    def __init__(self, deployment: Deployment, runner: Runner, log: Callable[[str], None]) -> None:
        self.deployment = deployment
        self.runner = runner
        self.log = log

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        _, deployed_api = self.deployment.current()
        method = environ["REQUEST_METHOD"]
        if deployed_api is None:
            return _send(start_response, _not_deployed("API", self.deployment.problems), method)
        origins = self.deployment.origins()
        length = int(environ.get("CONTENT_LENGTH") or 0)
        request = api_side.Request(
            method=method, path=raw_path(environ), query=environ.get("QUERY_STRING", ""),
            headers=[(k, origins.deploy(v) if k.lower() == "origin" else v) for k, v in _headers(environ)],
            body=environ["wsgi.input"].read(length) if length else b"",
            source_ip=environ.get("REMOTE_ADDR", HOST),
        )
        reply = api_side.handle(deployed_api, request, self.runner.invoke, self.log)
        reply.headers = [(k, origins.localize(v)) for k, v in reply.headers]
        return _send(start_response, reply, method)


class Preview:
    """The two servers, each in its own thread; ``stop_api()`` takes the API down and leaves the site up."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        settings.state_dir.mkdir(parents=True, exist_ok=True)
        self.deployment = Deployment(settings)
        self._function_log = (settings.state_dir / "function.log").open("a", encoding="utf-8")
        aws_environment = {"AWS_ENDPOINT_URL": settings.endpoint_url} if settings.endpoint_url else {}
        self.runner = Runner(lambda url: fetch_url(url, settings.endpoint_url), settings.state_dir / "functions",
                             aws_environment, self._function_log)
        self.site_server = make_server(HOST, settings.site_port, SiteApp(self.deployment), threaded=True)
        self.api_server: BaseWSGIServer | None = make_server(
            HOST, settings.api_port, ApiApp(self.deployment, self.runner, self._log), threaded=True)
        self._threads: list[threading.Thread] = []

    def _log(self, message: str) -> None:
        self._function_log.write(f"preview: {message}\n")
        self._function_log.flush()

    def start(self) -> None:
        for server in (self.site_server, self.api_server):
            thread = threading.Thread(target=server.serve_forever, daemon=True)  # type: ignore[union-attr]
            thread.start()
            self._threads.append(thread)

    def stop_api(self) -> None:
        if self.api_server is not None:
            self.api_server.shutdown()
            self.api_server.server_close()
            self.api_server = None

    def stop(self) -> None:
        self.stop_api()
        self.site_server.shutdown()
        self.site_server.server_close()
        self._function_log.close()

    def summary(self) -> dict[str, Any]:
        site, deployed_api = self.deployment.current()
        return {
            "site_url": self.settings.site_url, "api_url": self.settings.api_url,
            "origins": self.deployment.origins().to_local,
            "distribution": site.distribution_id if site else None,
            "api": deployed_api.api_id if deployed_api else None, "problems": self.deployment.problems,
        }

    def serve_forever(self) -> None:
        self.start()
        print(json.dumps(self.summary()), flush=True)
        for thread in self._threads:
            thread.join()
