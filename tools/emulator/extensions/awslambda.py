"""Lambda gap in moto 5.2.5, filled in the shape AWS documents.

- GetFunction's ``Code.Location`` is a presigned URL that downloads the deployment package for 10 minutes;
  moto's Location downloads nothing (``NoSuchBucket``), so nothing can read back the code that was deployed.
  The extension answers a Location in AWS's shape
  (``https://awslambda-<region>-tasks.s3.<region>.amazonaws.com/snapshots/<account>/<function>-<id>?...``);
  a plain unsigned GET of it (no ``Authorization`` header), sent to the emulator with that URL's ``Host``, or
  made in-process under ``mock_aws``, answers the zip while the function still has that code, and
  ``403 AccessDenied`` otherwise (as an expired or stale presigned URL does).
"""
from __future__ import annotations

import base64
import re
import time
from typing import Any
from urllib.parse import urlencode

from moto.awslambda.models import LambdaFunction, lambda_backends
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
        return response

    LambdaFunction.get_code = get_code  # type: ignore[method-assign]


def _snapshot_bytes(bucket: str, key: str) -> bytes | None:
    bucket_match, key_match = _SNAPSHOT_BUCKET.match(bucket), _SNAPSHOT_KEY.match(key)
    if not bucket_match or not key_match:
        return None
    backend = lambda_backends[key_match["account"]][bucket_match["region"]]
    try:
        function = backend.get_function(key_match["function"])
    except Exception:  # noqa: BLE001 - any lookup failure is an unknown snapshot
        return b""
    return function.code_bytes if _token(function) == key_match["token"] else b""


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


def install() -> None:
    _get_code_with_location()
    _serve_snapshots()

