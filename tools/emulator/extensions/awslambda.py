"""Lambda gap in moto 5.2.5, filled in the shape AWS documents.

- GetFunction's ``Code.Location`` is a presigned URL that downloads the deployment package for 10 minutes;
  moto's Location downloads nothing (``NoSuchBucket``), so nothing can read back the code that was deployed.
  The extension answers a Location in AWS's shape
  (``https://awslambda-<region>-tasks.s3.<region>.amazonaws.com/snapshots/<account>/<function>-<id>?...``);
  a plain unsigned GET of it (no ``Authorization`` header), sent to the emulator with that URL's ``Host``, or
  made in-process under ``mock_aws``, answers the zip while the function (or one of its published versions) still
  has that code, and ``403 AccessDenied`` otherwise (as an expired or stale presigned URL does).
- Resource-based policies are per qualifier: AddPermission, GetPolicy and RemovePermission with a ``Qualifier``
  (or a qualified name or ARN) act on the policy of that version or alias only, and without one on the unqualified
  function's policy ("the permission you grant applies only to the ARN used in the add permission request",
  Lambda developer guide, "Using aliases in event sources and permissions policies"). moto keeps one policy per
  function, which published versions share, so a permission granted on an alias showed on the function.
  A qualifier that names no version or alias answers ``ResourceNotFoundException``.
- UpdateFunctionConfiguration's ``TracingConfig`` (X-Ray ``Active``/``PassThrough``) is kept; moto ignored it.
- GetFunction answers ``Concurrency.ReservedConcurrentExecutions`` whenever the function has a reserved concurrency,
  0 included (0 throttles every invocation; AWS reports it); moto left the key out for 0, so a function that may
  not run looked like one with no reservation.
"""
from __future__ import annotations

import base64
import re
import time
from typing import Any
from urllib.parse import unquote, urlencode

from moto.awslambda.models import LambdaBackend, LambdaFunction, lambda_backends
from moto.awslambda.policy import Policy
from moto.awslambda.responses import LambdaResponse
from moto.s3.responses import S3Response

_SNAPSHOT_BUCKET = re.compile(r"^awslambda-(?P<region>[a-z0-9-]+)-tasks$")
_SNAPSHOT_KEY = re.compile(r"^snapshots/(?P<account>\d{12})/(?P<function>[A-Za-z0-9_-]+)-(?P<token>[0-9a-f]{64})$")
_EXPIRES_SECONDS = 600


def _token(function: LambdaFunction) -> str:
    return base64.b64decode(function.code_sha_256).hex()


def snapshot_location(function: LambdaFunction) -> str:
    query = urlencode({
        "versionId": _token(function)[:32],
        "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
        "X-Amz-Date": time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()),
        "X-Amz-Expires": str(_EXPIRES_SECONDS),
        "X-Amz-SignedHeaders": "host",
    })
    host = f"awslambda-{function.region}-tasks.s3.{function.region}.amazonaws.com"
    return f"https://{host}/snapshots/{function.account_id}/{function.function_name}-{_token(function)}?{query}"


def _get_code_with_location() -> None:
    original = LambdaFunction.get_code

    def get_code(self: LambdaFunction) -> dict[str, Any]:
        response = original(self)
        if self.package_type == "Zip" and getattr(self, "code_bytes", b""):
            response["Code"] = {"RepositoryType": "S3", "Location": snapshot_location(self)}
        if self.reserved_concurrency is not None:
            response["Concurrency"] = {"ReservedConcurrentExecutions": int(self.reserved_concurrency)}
        return response

    LambdaFunction.get_code = get_code  # type: ignore[method-assign]


def _snapshot_bytes(bucket: str, key: str) -> bytes | None:
    bucket_match, key_match = _SNAPSHOT_BUCKET.match(bucket), _SNAPSHOT_KEY.match(key)
    if not bucket_match or not key_match:
        return None
    backend = lambda_backends[key_match["account"]][bucket_match["region"]]
    name = key_match["function"]
    try:
        candidates = [backend.get_function(name), *backend._lambdas._functions[name]["versions"]]
    except Exception:  # noqa: BLE001 - any lookup failure is an unknown snapshot
        return b""
    return next((f.code_bytes for f in candidates if _token(f) == key_match["token"]), b"")


def _serve_snapshots() -> None:
    original = S3Response.key_response

    def key_response(self: S3Response, request: Any, full_url: str, headers: dict[str, Any]) -> Any:
        if request.method == "GET" and "Authorization" not in request.headers:
            self.setup_class(request)
            code = _snapshot_bytes(self.parse_bucket_name_from_url(request, full_url), self.parse_key_name())
            if code:
                return 200, {"Content-Type": "application/zip", "Content-Length": str(len(code))}, code
            if code == b"":
                body = "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>"
                return 403, {"Content-Type": "application/xml"}, body
        return original(self, request, full_url, headers)

    S3Response.key_response = key_response  # type: ignore[method-assign]


def _split(backend: LambdaBackend, name: str, qualifier: str | None) -> tuple[str, str | None]:
    """The function's name and the qualifier, from a name, ``name:qualifier``, an ARN or a qualified ARN."""
    if name.startswith("arn:"):
        _, name, in_name = backend._lambdas.split_function_arn(name)
    else:
        name, _, in_name = name.partition(":")
    qualifier = in_name or qualifier
    return name, None if qualifier in (None, "", "$LATEST") else qualifier


def policy_of(backend: LambdaBackend, name: str, qualifier: str | None) -> Policy:
    """The resource-based policy of the function (no qualifier) or of one of its versions or aliases."""
    name, qualifier = _split(backend, name, qualifier)
    function = backend.get_function(name)
    if qualifier is None:
        return function.policy
    backend.get_function(name, qualifier)  # ResourceNotFoundException for an unknown version or alias
    policies: dict[str, Policy] = function.__dict__.setdefault("qualified_policies", {})
    return policies.setdefault(qualifier, Policy(function))


def _policies_per_qualifier() -> None:
    def add_permission(self: LambdaBackend, function_name: str, qualifier: str | None, raw: str) -> dict[str, Any]:
        name, qualifier = _split(self, function_name, qualifier)
        statement, _ = policy_of(self, name, qualifier).add_statement(raw, qualifier)
        return statement

    def get_policy(self: LambdaBackend, function_name: str, qualifier: str | None = None) -> str:
        return policy_of(self, function_name, qualifier).wire_format()

    def remove_permission(self: LambdaResponse) -> tuple[int, dict[str, Any], str]:
        function_name = unquote(self.path.split("/")[-3])
        statement_id = unquote(self.path.split("/")[-1].split("?")[0])
        qualifier = self.querystring.get("Qualifier", [None])[0]
        revision = self.querystring.get("RevisionId", [""])[0]
        policy_of(self.backend, function_name, qualifier).del_statement(statement_id, revision)
        return 204, {"status": 204}, "{}"

    LambdaBackend.add_permission = add_permission  # type: ignore[method-assign]
    LambdaBackend.get_policy = get_policy  # type: ignore[method-assign]
    LambdaResponse.remove_permission = remove_permission  # type: ignore[method-assign]


def _tracing_config_kept() -> None:
    original = LambdaFunction.update_configuration

    def update_configuration(self: LambdaFunction, config_updates: dict[str, Any]) -> dict[str, Any]:
        if "TracingConfig" in config_updates:
            self.tracing_config = {"Mode": config_updates["TracingConfig"].get("Mode", "PassThrough")}
        return original(self, config_updates)

    LambdaFunction.update_configuration = update_configuration  # type: ignore[method-assign]


def install() -> None:
    _get_code_with_location()
    _serve_snapshots()
    _policies_per_qualifier()
    _tracing_config_kept()

