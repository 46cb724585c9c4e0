"""Verify the deployed counter: download the function's code and environment, run that handler in-process
against the emulated table, and read the API's CORS, throttling and access-log settings back.

Usage: python verify_deployed.py ENDPOINT REGION FUNCTION_NAME API_NAME; prints one JSON object.
"""
from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import os
import sys
import tempfile
import urllib.request
import zipfile
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import boto3


def event(method: str, path: str = "/count") -> dict[str, Any]:
    return {"version": "2.0", "rawPath": path, "requestContext": {"http": {"method": method, "path": path}},
            "body": None, "isBase64Encoded": False}


def run_handler(code: bytes, environment: dict[str, str]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as directory:
        zipfile.ZipFile(io.BytesIO(code)).extractall(directory)
        os.environ.update(environment)
        spec = importlib.util.spec_from_file_location("deployed_counter", os.path.join(directory, "counter.py"))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    calls = [("GET", "/count"), ("POST", "/count"), ("POST", "/count"), ("GET", "/count"), ("DELETE", "/count"),
             ("GET", "/other")]
    logged = io.StringIO()
    with contextlib.redirect_stdout(logged):
        responses = [module.handler(event(m, p), SimpleNamespace(aws_request_id=f"verify-{i}"))
                     for i, (m, p) in enumerate(calls)]
    return {"calls": [{"route": f"{m} {p}", "status": r["statusCode"], "body": json.loads(r["body"]),
                       "allow": r["headers"].get("Allow")} for (m, p), r in zip(calls, responses)],
            "log": [json.loads(line) for line in logged.getvalue().splitlines()]}


def download(location: str, endpoint: str) -> bytes:
    """GET the presigned Code.Location through the endpoint, with the location's Host header."""
    parts = urlsplit(location)
    request = urllib.request.Request(f"{endpoint}{parts.path}?{parts.query}", headers={"Host": parts.netloc})
    with urllib.request.urlopen(request) as response:
        return response.read()


def main(endpoint: str, region: str, function_name: str, api_name: str) -> None:
    # What Lambda's runtime provides besides the function's own variables (and where the emulator answers).
    os.environ.update({"AWS_ENDPOINT_URL": endpoint, "AWS_REGION": region, "AWS_DEFAULT_REGION": region})
    kwargs = {"region_name": region}
    # The API invokes the alias live (a published version), and only the alias may be invoked by it.
    function = boto3.client("lambda", **kwargs).get_function(FunctionName=function_name, Qualifier="live")
    code = download(function["Code"]["Location"], endpoint)
    config = function["Configuration"]
    apis = boto3.client("apigatewayv2", **kwargs)
    (api,) = [a for a in apis.get_apis()["Items"] if a["Name"] == api_name]
    stage = apis.get_stage(ApiId=api["ApiId"], StageName="$default")
    routes = sorted(r["RouteKey"] for r in apis.get_routes(ApiId=api["ApiId"])["Items"])
    policy = json.loads(boto3.client("lambda", **kwargs).get_policy(FunctionName=function_name, Qualifier="live")["Policy"])
    print(json.dumps({
        "config": {k: config[k] for k in ("Runtime", "MemorySize", "Timeout", "Handler", "CodeSha256")},
        "environment": config["Environment"]["Variables"],
        "handler": run_handler(code, config["Environment"]["Variables"]),
        "cors": api.get("CorsConfiguration", {}),
        "routes": routes,
        "integration_uris": sorted({i["IntegrationUri"] for i in apis.get_integrations(ApiId=api["ApiId"])["Items"]}),
        "stage": {"throttling": stage.get("DefaultRouteSettings", {}), "access_log": stage.get("AccessLogSettings", {}),
                  "auto_deploy": stage.get("AutoDeploy")},
        "policy": policy["Statement"],
        "api_id": api["ApiId"],
    }, default=str))


if __name__ == "__main__":
    main(*sys.argv[1:5])
