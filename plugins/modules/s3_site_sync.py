#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: s3_site_sync
short_description: Upload a static site folder to S3, only what changed, and invalidate it in CloudFront
version_added: 0.1.0
description:
  - Makes the objects of an S3 bucket match a local folder (read on the host the task runs on) plus
    objects generated at deploy time (O(generated_files)), for a static site served through CloudFront.
  - A file is uploaded only when its content differs (SHA-256 of the content, kept in the object's
    C(sha256) metadata; timestamps are never compared), or when its C(Content-Type) or C(Cache-Control)
    differs from what the module would set.
  - C(Content-Type) comes from the file extension (text types with C(charset=utf-8)), C(Cache-Control)
    from the first matching rule of O(cache_control).
  - With O(delete=true), objects that are not in the folder are deleted (in a versioned bucket their
    older versions stay). Deleted keys are always listed in RV(deleted).
  - Returns the CloudFront paths to invalidate for the objects this run changed in RV(invalidation_paths), none
    when nothing changed.
  - With O(distribution_id), the module also creates the CloudFront invalidation, and an invalidation that is
    owed survives an interrupted run. Before the first upload or delete it writes the paths still to invalidate
    and a new caller reference to the object O(pending_invalidation_key) in the bucket; it removes that object
    only after CloudFront has accepted the invalidation. A rerun (from any machine) that finds the object
    invalidates those paths too, even when it has nothing to upload. Each invalidation has its own caller
    reference, so a site reverted to earlier content is invalidated again; a rerun after CloudFront accepted the
    invalidation but before the object was removed sends the same reference and paths, and CloudFront answers
    the invalidation it already made instead of making a second one.
  - Supports check mode and diff mode. In check mode a bucket that does not exist yet counts as empty.
  - Unlike M(community.aws.s3_sync), one task sets per-file C(Cache-Control), compares content hashes
    whatever the upload method, and returns the invalidation paths.
author:
  - cloudresume.aws maintainers (@cloudresume)
options:
  bucket:
    description: Name of the bucket.
    type: str
    required: true
  src:
    description:
      - Local folder with the site. Its relative paths become the object keys.
      - Symbolic links are followed only while they stay inside the folder; a link leaving it (or a loop) fails
        the task before any AWS call, so nothing outside the folder is ever published.
    type: path
    required: true
  generated_files:
    description:
      - Objects whose content is given here instead of read from O(src), as a mapping of key to text
        (for example C(config.json)). They replace a file of the same key in O(src).
      - Keys are relative object keys (at most 1024 bytes, no C(..) segment); values are strings.
    type: dict
    default: {}
  exclude:
    description: Shell patterns of keys (or of any of their path segments) that are neither uploaded nor deleted.
    type: list
    elements: str
    default: [".*"]
  cache_control:
    description:
      - Rules giving the C(Cache-Control) of a key; the first rule whose O(cache_control[].pattern) (a shell pattern) matches the
        key wins, and keys no rule matches get O(default_cache_control).
    type: list
    elements: dict
    default: []
    suboptions:
      pattern:
        description: Shell pattern of keys, for example V(*.html).
        type: str
        required: true
      value:
        description: C(Cache-Control) header value.
        type: str
        required: true
  default_cache_control:
    description: C(Cache-Control) of keys no rule of O(cache_control) matches.
    type: str
    default: public, max-age=300
  content_types:
    description:
      - C(Content-Type) by extension (with the dot), added to and overriding the built-in ones, for example
        C(.md) to C(text/markdown). Values are media types (C(type/subtype)).
    type: dict
    default: {}
  delete:
    description: Delete objects that are neither in O(src) nor in O(generated_files) (except excluded keys).
    type: bool
    default: false
  distribution_id:
    description:
      - Id of the CloudFront distribution serving the bucket. When given, the module invalidates the changed
        paths (and those an interrupted run still owes) itself; when omitted it only returns them.
    type: str
  pending_invalidation_key:
    description:
      - Key of the object that records an owed invalidation (JSON C(caller_reference) and C(paths)) while
        O(distribution_id) is given. It is never uploaded or deleted as part of the site, whatever O(exclude),
        and no file of the site may have this key.
      - The record is written and removed with C(s3:PutObject) and C(s3:DeleteObject) and read with
        C(s3:GetObject); it holds only the site's own paths.
    type: str
    default: .deploy/pending-invalidation.json
  invalidation_max_paths:
    description:
      - When more paths than this changed, the single path V(/*) is returned instead (one invalidation path
        costs the same whatever it matches).
    type: int
    default: 25
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Upload the site, only changed files
  cloudresume.aws.s3_site_sync:
    bucket: cloudresume-site-123456789012
    src: "{{ playbook_dir }}/files/site"
    generated_files:
      config.json: '{"counterUrl": "https://abc123.execute-api.us-east-2.amazonaws.com/count"}'
    cache_control:
      - pattern: "*.html"
        value: no-cache
      - pattern: config.json
        value: no-cache
    default_cache_control: public, max-age=31536000, immutable
    delete: true
  register: sync

- name: Upload what changed and invalidate it (an invalidation owed by an interrupted run included)
  cloudresume.aws.s3_site_sync:
    bucket: cloudresume-site-123456789012
    src: "{{ playbook_dir }}/files/site"
    distribution_id: E1ABCDEF2GHIJK
    delete: true
"""

RETURN = r"""
uploaded:
  description: Keys uploaded (or that would be, in check mode), sorted.
  returned: always
  type: list
  elements: str
  sample: [index.html]
deleted:
  description: Keys deleted (or that would be), sorted.
  returned: always
  type: list
  elements: str
unchanged:
  description: Number of objects left as they were.
  returned: always
  type: int
invalidation_paths:
  description:
    - CloudFront paths of the changed objects (a folder's C(index.html) also gives the folder's path), with the
      paths an interrupted run still owed when O(distribution_id) is given.
  returned: always
  type: list
  elements: str
  sample: [/, /index.html]
invalidation:
  description: The invalidation created (or, in check mode, that would be), empty when none was needed.
  returned: when O(distribution_id) is given
  type: dict
  contains:
    id:
      description: Id of the invalidation (empty in check mode).
      type: str
    caller_reference:
      description: Its caller reference, unique to this invalidation (empty in check mode).
      type: str
    paths:
      description: Paths invalidated.
      type: list
      elements: str
    owed_from_earlier_run:
      description: Whether an earlier, interrupted run had recorded paths still to invalidate.
      type: bool
objects:
  description: Every object of the site after the task, by key (C(sha256), C(content_type), C(cache_control)).
  returned: always
  type: dict
"""

import fnmatch
import hashlib
import json
import mimetypes
import os
import uuid
from dataclasses import dataclass
from datetime import datetime
from datetime import timezone
from typing import Any
from urllib.parse import quote

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront import cloudfront_client
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront import create_invalidation
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront import items
from ansible_collections.cloudresume.aws.plugins.module_utils.s3 import AnsibleS3Error
from ansible_collections.cloudresume.aws.plugins.module_utils.s3 import S3ErrorHandler
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import FILE_EXTENSION
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import MEDIA_TYPE
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import InvalidInput
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import files_under
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import require_name

CONTENT_TYPES = {
    ".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".mjs": "text/javascript",
    ".json": "application/json", ".txt": "text/plain", ".xml": "application/xml", ".svg": "image/svg+xml",
    ".ico": "image/x-icon", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
    ".webp": "image/webp", ".avif": "image/avif", ".woff2": "font/woff2", ".pdf": "application/pdf",
    ".webmanifest": "application/manifest+json",
}
TEXTUAL = ("text/", "application/json", "application/xml", "image/svg+xml", "application/manifest+json")
DELETE_BATCH = 1000
MAX_KEY_BYTES = 1024


@dataclass(frozen=True)
class LocalObject:
    key: str
    body: bytes
    sha256: str
    content_type: str
    cache_control: str

    def view(self) -> dict[str, str]:
        return {"sha256": self.sha256, "content_type": self.content_type, "cache_control": self.cache_control}


def excluded(key: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatchcase(part, p) or fnmatch.fnmatchcase(key, p) for p in patterns for part in key.split("/"))


def content_type(key: str, overrides: dict[str, str]) -> str:
    ext = os.path.splitext(key)[1].lower()
    kind = overrides.get(ext) or CONTENT_TYPES.get(ext) or mimetypes.guess_type(key)[0] or "application/octet-stream"
    if kind.startswith(TEXTUAL) and "charset" not in kind:
        kind += "; charset=utf-8"
    return kind


def cache_control(key: str, rules: list[dict[str, str]], default: str) -> str:
    return next((r["value"] for r in rules if fnmatch.fnmatchcase(key, r["pattern"])), default)


def local_objects(p: dict[str, Any]) -> dict[str, LocalObject]:
    """Every object the bucket should hold, by key."""
    bodies = {key: path.read_bytes()
              for key, path in files_under(p["src"], "src", lambda key: excluded(key, p["exclude"]))}
    bodies.update({k: v.encode("utf-8") for k, v in p["generated_files"].items()})
    return {
        key: LocalObject(key, body, hashlib.sha256(body).hexdigest(), content_type(key, p["content_types"]),
                         cache_control(key, p["cache_control"], p["default_cache_control"]))
        for key, body in sorted(bodies.items())
    }


def invalidation_paths(keys: list[str], limit: int) -> list[str]:
    paths = set()
    for key in keys:
        paths.add("/" + quote(key, safe="/~-_.!*'()"))
        if key == "index.html" or key.endswith("/index.html"):
            paths.add("/" + quote(key[: -len("index.html")], safe="/~-_.!*'()"))
    return ["/*"] if len(paths) > limit else sorted(paths)


def owed_paths(pending: list[str], changed: list[str], limit: int) -> list[str]:
    """The paths still owed by an earlier run plus the paths this run changes, collapsed to /* past ``limit``."""
    paths = set(pending) | set(changed)
    return ["/*"] if "/*" in paths or len(paths) > limit else sorted(paths)


def new_caller_reference(bucket: str) -> str:
    """A caller reference used by one invalidation only (time and a random part: never reused for new content)."""
    return f"{bucket}-{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:12]}"


@S3ErrorHandler.list_error_handler("list the objects of {bucket}")
def list_keys(client: Any, bucket: str) -> list[str] | None:
    """Every key of ``bucket``; None when the bucket does not exist."""
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return [o["Key"] for page in pages for o in page.get("Contents", [])]


@S3ErrorHandler.common_error_handler("read object {key}")
def head_object(client: Any, bucket: str, key: str) -> dict[str, Any]:
    return client.head_object(aws_retry=True, Bucket=bucket, Key=key)


@S3ErrorHandler.common_error_handler("upload {obj.key}")
def put_site_object(client: Any, bucket: str, obj: LocalObject) -> None:
    client.put_object(aws_retry=True, Bucket=bucket, Key=obj.key, Body=obj.body, ContentType=obj.content_type,
                      CacheControl=obj.cache_control, Metadata={"sha256": obj.sha256})


@S3ErrorHandler.list_error_handler("read the pending invalidation record {key}")
def get_record(client: Any, bucket: str, key: str) -> bytes | None:
    """The record's content; None when there is none (or no bucket)."""
    return client.get_object(aws_retry=True, Bucket=bucket, Key=key)["Body"].read()


@S3ErrorHandler.common_error_handler("record the paths to invalidate in {key}")
def put_record(client: Any, bucket: str, key: str, record: dict[str, Any]) -> None:
    client.put_object(aws_retry=True, Bucket=bucket, Key=key, Body=json.dumps(record).encode(),
                      ContentType="application/json", CacheControl="no-store")


@S3ErrorHandler.common_error_handler("remove the record {key}")
def delete_record(client: Any, bucket: str, key: str) -> None:
    client.delete_object(aws_retry=True, Bucket=bucket, Key=key)


@S3ErrorHandler.common_error_handler("delete objects")
def delete_batch(client: Any, bucket: str, keys: list[str]) -> list[dict[str, Any]]:
    """The keys S3 could not delete (its ``Errors``)."""
    return client.delete_objects(aws_retry=True, Bucket=bucket,
                                 Delete={"Objects": [{"Key": k} for k in keys], "Quiet": True}).get("Errors") or []


class SiteSync:
    def __init__(self, module: AnsibleAWSModule) -> None:
        self.module = module
        self.bucket = module.params["bucket"]
        self.record_key = module.params["pending_invalidation_key"]
        self.client = module.client("s3", retry_decorator=AWSRetry.jittered_backoff())

    def remote_keys(self) -> list[str]:
        keys = list_keys(self.client, self.bucket)
        if keys is None and not self.module.check_mode:
            raise AnsibleS3Error(message=f"bucket: {self.bucket} does not exist")
        return keys or []  # in check mode an earlier task would have created it: everything would be uploaded

    def remote_view(self, key: str) -> dict[str, str]:
        head = head_object(self.client, self.bucket, key)
        return {"sha256": head.get("Metadata", {}).get("sha256", ""), "content_type": head.get("ContentType", ""),
                "cache_control": head.get("CacheControl", "")}

    def upload(self, obj: LocalObject) -> None:
        put_site_object(self.client, self.bucket, obj)

    def pending_invalidation(self) -> dict[str, Any] | None:
        """The invalidation an interrupted run recorded (``caller_reference``, ``paths``), None when none is owed."""
        body = get_record(self.client, self.bucket, self.record_key)
        if body is None:
            return None
        try:
            record = json.loads(body)
            paths = [str(p) for p in record["paths"]]
            return {"caller_reference": str(record["caller_reference"]), "paths": paths}
        except (ValueError, KeyError, TypeError):
            # Not written by this module: invalidate everything rather than guess (and replace the record).
            return {"caller_reference": "", "paths": ["/*"]}

    def record_pending(self, record: dict[str, Any]) -> None:
        put_record(self.client, self.bucket, self.record_key, record)

    def clear_pending(self) -> None:
        try:
            delete_record(self.client, self.bucket, self.record_key)
        except AnsibleS3Error as e:
            raise AnsibleS3Error(message=f"Invalidated, but failed to remove the record {self.record_key}",
                                 exception=e.exception) from e

    def delete(self, keys: list[str]) -> None:
        for start in range(0, len(keys), DELETE_BATCH):
            errors = delete_batch(self.client, self.bucket, keys[start:start + DELETE_BATCH])
            if errors:
                self.module.fail_json(msg="Failed to delete some objects", errors=errors)


class Invalidator:
    """Creates the distribution's invalidations; CloudFront answers a repeated (reference, paths) with the first."""

    def __init__(self, module: AnsibleAWSModule) -> None:
        self.module = module
        self.client = cloudfront_client(module)

    def invalidate(self, paths: list[str], caller_reference: str) -> str:
        return create_invalidation(self.client, self.module.params["distribution_id"],
                                   {"Paths": items(paths), "CallerReference": caller_reference})


def invalidate_owed(module: AnsibleAWSModule, sync: SiteSync, record: dict[str, Any] | None, owed_earlier: bool,
                    paths: list[str]) -> dict[str, Any]:
    """Invalidate ``paths`` under the caller reference of ``record`` (written before the uploads), then remove it."""
    if not paths:
        return {}
    invalidation = {"id": "", "caller_reference": "", "paths": paths, "owed_from_earlier_run": owed_earlier}
    if module.check_mode or record is None:  # record_owed() writes one whenever paths are owed, except in check mode
        return invalidation
    invalidation["caller_reference"] = record["caller_reference"]
    invalidation["id"] = Invalidator(module).invalidate(paths, record["caller_reference"])
    sync.clear_pending()
    return invalidation


def record_owed(module: AnsibleAWSModule, sync: SiteSync, pending: dict[str, Any] | None,
                paths: list[str]) -> dict[str, Any] | None:
    """Write the paths owed (with a new caller reference) before any change; the record now in force."""
    if not paths or module.check_mode or (pending and pending["paths"] == paths and pending["caller_reference"]):
        return pending
    record = {"caller_reference": new_caller_reference(sync.bucket), "paths": paths}
    sync.record_pending(record)
    return record


def refuse_record_key_in_site(module: AnsibleAWSModule, wanted: dict[str, LocalObject]) -> None:
    key = module.params["pending_invalidation_key"]
    if key in wanted:
        module.fail_json(msg=f"pending_invalidation_key: {key!r} is also a file of the site; choose another key")


def validate(p: dict[str, Any]) -> None:
    """Every input checked before any AWS call; raises InvalidInput naming the field."""
    require_name("bucket", "s3_bucket", p["bucket"])
    if not os.path.isdir(p["src"]):
        raise InvalidInput(f"src: {p['src']} is not a folder")
    for key, text in p["generated_files"].items():
        if not key or key.startswith("/") or "\\" in key or ".." in key.split("/") or len(key.encode()) > MAX_KEY_BYTES:
            raise InvalidInput(f"generated_files: {key!r} is not a relative object key of at most {MAX_KEY_BYTES} bytes")
        if not isinstance(text, str):
            raise InvalidInput(f"generated_files.{key}: the content must be a string, got {type(text).__name__} "
                               "(use the to_json filter for data)")
    for extension, kind in p["content_types"].items():
        if not FILE_EXTENSION.fullmatch(extension):
            raise InvalidInput(f"content_types: {extension!r} is not a file extension with its dot, like '.md'")
        if not isinstance(kind, str) or not MEDIA_TYPE.fullmatch(kind):
            raise InvalidInput(f"content_types.{extension}: {kind!r} is not a media type like 'text/markdown'")
    if p["invalidation_max_paths"] < 1:
        raise InvalidInput("invalidation_max_paths: must be at least 1")


def sync_site(module: AnsibleAWSModule, wanted: dict[str, LocalObject]) -> dict[str, Any]:
    """Upload and delete what differs, invalidate what changed (and what an earlier run owes); the result."""
    p = module.params
    sync = SiteSync(module)
    remote = [k for k in sync.remote_keys() if not excluded(k, p["exclude"]) and k != p["pending_invalidation_key"]]
    before = {k: sync.remote_view(k) for k in remote if k in wanted}
    uploads = [k for k, obj in wanted.items() if before.get(k) != obj.view()]
    deletes = sorted(set(remote) - set(wanted)) if p["delete"] else []
    changed_keys = uploads + deletes
    paths = invalidation_paths(changed_keys, p["invalidation_max_paths"])
    pending = sync.pending_invalidation() if p["distribution_id"] else None
    if pending:
        paths = owed_paths(pending["paths"], paths, p["invalidation_max_paths"])
    record = record_owed(module, sync, pending, paths) if p["distribution_id"] else None
    if not module.check_mode:
        for key in uploads:
            sync.upload(wanted[key])
        sync.delete(deletes)
    after = {k: obj.view() for k, obj in wanted.items()}
    result: dict[str, Any] = {
        "changed": bool(changed_keys or paths),
        "uploaded": uploads,
        "deleted": deletes,
        "unchanged": len(wanted) - len(uploads),
        "invalidation_paths": paths,
        "objects": after,
    }
    if p["distribution_id"]:
        result["invalidation"] = invalidate_owed(module, sync, record, pending is not None, paths)
    if module._diff:
        result["diff"] = {"before": {k: before.get(k, "absent") for k in uploads} | {k: "present" for k in deletes},
                          "after": {k: after[k] for k in uploads} | {k: "absent" for k in deletes}}
    return result


def main() -> None:
    argument_spec = dict(
        bucket=dict(type="str", required=True),
        src=dict(type="path", required=True),
        generated_files=dict(type="dict", default={}),
        exclude=dict(type="list", elements="str", default=[".*"]),
        cache_control=dict(type="list", elements="dict", default=[], options=dict(
            pattern=dict(type="str", required=True),
            value=dict(type="str", required=True),
        )),
        default_cache_control=dict(type="str", default="public, max-age=300"),
        content_types=dict(type="dict", default={}),
        delete=dict(type="bool", default=False),
        invalidation_max_paths=dict(type="int", default=25),
        distribution_id=dict(type="str"),
        pending_invalidation_key=dict(type="str", default=".deploy/pending-invalidation.json", no_log=False),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    p = module.params
    try:
        validate(p)
        wanted = local_objects(p)
    except InvalidInput as e:
        module.fail_json(msg=str(e))
    refuse_record_key_in_site(module, wanted)
    try:
        result = sync_site(module, wanted)
    except AnsibleAWSError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
