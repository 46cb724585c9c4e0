"""The CloudFront side: what a viewer gets from the deployed distribution and its S3 origin.

Played from the deployment: the default root object (root URL only, as CloudFront does), origin access (the
origin has an origin access control and the bucket policy grants this distribution ``s3:GetObject``, else S3
answers 403), a missing object (404 if the policy also grants ``s3:ListBucket``, else 403, as S3 answers),
the custom error responses, the response headers policy, compression and conditional GETs. Not played: edge
caching (every request reaches the origin, as after an invalidation), other cache behaviours, TLS.
"""
from __future__ import annotations

import gzip
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from botocore.exceptions import ClientError

from .api import Reply
from .deployment import Site

# Text types: compressible by CloudFront, and where a deployed origin may be written.
TEXT = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")
ACCESS_DENIED = b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>'
NO_SUCH_KEY = b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>'

METHOD_NOT_ALLOWED = b"This distribution is not configured to allow the HTTP request method that was used."

GetObject = Callable[[str, str], dict[str, Any]]


def origin_fetch(site: Site, get_object: GetObject, path: str) -> Reply:
    """What S3 answers CloudFront (signed with the origin access control) for this request path."""
    if not (site.origin_access_control and site.can_get):
        return Reply(403, [("Content-Type", "application/xml")], ACCESS_DENIED)
    key = site.origin_path.strip("/") + "/" if site.origin_path.strip("/") else ""
    key += unquote(path).lstrip("/")
    try:
        obj = get_object(site.bucket, key)
    except ClientError as error:
        if error.response["Error"]["Code"] not in ("NoSuchKey", "404"):
            raise
        if site.can_list:
            return Reply(404, [("Content-Type", "application/xml")], NO_SUCH_KEY)
        return Reply(403, [("Content-Type", "application/xml")], ACCESS_DENIED)
    headers = [("Content-Type", obj.get("ContentType", "binary/octet-stream")), ("ETag", obj["ETag"])]
    if obj.get("CacheControl"):
        headers.append(("Cache-Control", obj["CacheControl"]))
    if obj.get("LastModified"):
        headers.append(("Last-Modified", obj["LastModified"].strftime("%a, %d %b %Y %H:%M:%S GMT")))
    return Reply(200, headers, obj["Body"].read())


def _set(reply: Reply, name: str, value: str, override: bool) -> None:
    if reply.header(name) is not None and not override:
        return
    reply.headers = [(k, v) for k, v in reply.headers if k.lower() != name.lower()] + [(name, value)]


def security_headers(config: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """``(name, value, override)`` for each security header the policy sets, formatted as CloudFront sends them."""
    result = []
    hsts = config.get("StrictTransportSecurity")
    if hsts:
        value = f"max-age={hsts['AccessControlMaxAgeSec']}"
        value += "; includeSubDomains" if hsts.get("IncludeSubdomains") else ""
        value += "; preload" if hsts.get("Preload") else ""
        result.append(("Strict-Transport-Security", value, hsts["Override"]))
    if config.get("ContentSecurityPolicy"):
        csp = config["ContentSecurityPolicy"]
        result.append(("Content-Security-Policy", csp["ContentSecurityPolicy"], csp["Override"]))
    if config.get("ContentTypeOptions"):
        result.append(("X-Content-Type-Options", "nosniff", config["ContentTypeOptions"]["Override"]))
    if config.get("FrameOptions"):
        frame = config["FrameOptions"]
        result.append(("X-Frame-Options", frame["FrameOption"], frame["Override"]))
    if config.get("ReferrerPolicy"):
        referrer = config["ReferrerPolicy"]
        result.append(("Referrer-Policy", referrer["ReferrerPolicy"], referrer["Override"]))
    if config.get("XSSProtection"):
        xss = config["XSSProtection"]
        value = "1" if xss["Protection"] else "0"
        value += "; mode=block" if xss["Protection"] and xss.get("ModeBlock") else ""
        value += f"; report={xss['ReportUri']}" if xss["Protection"] and xss.get("ReportUri") else ""
        result.append(("X-XSS-Protection", value, xss["Override"]))
    return result


def apply_headers_policy(reply: Reply, policy: dict[str, Any] | None) -> None:
    if not policy:
        return
    for name, value, override in security_headers(policy.get("SecurityHeadersConfig", {})):
        _set(reply, name, value, override)
    for item in policy.get("CustomHeadersConfig", {}).get("Items", []):
        _set(reply, item["Header"], item["Value"], item["Override"])
    removed = {item["Header"].lower() for item in policy.get("RemoveHeadersConfig", {}).get("Items", [])}
    reply.headers = [(k, v) for k, v in reply.headers if k.lower() not in removed]


def compress(reply: Reply, accept_encoding: str) -> None:
    """CloudFront compresses 1,000 B to 10 MB of a compressible type for a viewer that accepts gzip."""
    content_type = (reply.header("Content-Type") or "").lower()
    accepted = {part.split(";")[0].strip() for part in accept_encoding.lower().split(",")}
    if "gzip" not in accepted or not content_type.startswith(TEXT):
        return
    if not 1000 <= len(reply.body) <= 10_000_000 or reply.header("Content-Encoding"):
        return
    reply.body = gzip.compress(reply.body, mtime=0)
    reply.headers += [("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")]


def localize(reply: Reply, to_local: Callable[[str], str]) -> None:
    """Deployed origins in header values and text bodies become local ones (see origins.py)."""
    reply.headers = [(k, to_local(v)) for k, v in reply.headers]
    if (reply.header("Content-Type") or "").lower().startswith(TEXT):
        reply.body = to_local(reply.body.decode("utf-8")).encode("utf-8")


def handle(site: Site, get_object: GetObject, method: str, path: str, headers: dict[str, str],
           to_local: Callable[[str], str] = str) -> Reply:
    """One viewer request (``headers`` lower-cased). The body is for GET; the WSGI layer drops it for HEAD."""
    if method not in site.allowed_methods:
        reply = Reply(403, [("Content-Type", "text/plain")], METHOD_NOT_ALLOWED)
        apply_headers_policy(reply, site.headers_policy)
        return reply
    root = path == "/" and site.default_root_object
    reply = origin_fetch(site, get_object, site.default_root_object if root else path)
    error = site.error_responses.get(reply.status)
    if error and error.page_path:
        page = origin_fetch(site, get_object, error.page_path)
        if page.status == 200:
            reply = Reply(error.response_code or reply.status, page.headers, page.body)
    elif error and error.response_code:
        reply.status = error.response_code
    if reply.status == 200 and headers.get("if-none-match") == reply.header("ETag"):
        kept = ("etag", "cache-control", "last-modified")
        reply = Reply(304, [(k, v) for k, v in reply.headers if k.lower() in kept])
    apply_headers_policy(reply, site.headers_policy)
    localize(reply, to_local)
    compress(reply, headers.get("accept-encoding", ""))
    return reply
