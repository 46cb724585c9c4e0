#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudresume.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Deterministic zip of a directory, for a Lambda function's code."""
from __future__ import annotations

DOCUMENTATION = r"""
---
module: lambda_package
short_description: Build a reproducible zip of a directory for AWS Lambda
version_added: 0.1.0
description:
  - Zips the files of a directory so that the same source always gives the same bytes, on any clone and any day
    the source is checked out, and reports the archive's SHA-256 both as hex and in the base64 form AWS Lambda
    reports as C(CodeSha256). Comparing RV(code_sha256) with a function's C(CodeSha256) tells whether its code
    needs an update.
  - Reproducible means that the entries are in a fixed order (sorted by their path), carry a fixed timestamp
    (1980-01-01 00:00:00, the earliest a zip can hold) and fixed permissions (C(0644)), no directory entries,
    and are stored uncompressed, so the bytes do not depend on the zlib build either.
  - The archive is written only when its content differs from O(dest). This module makes no AWS call.
  - It runs where the task runs; delegate it to C(localhost) to package files of the controller.
author:
  - cloudresume.aws maintainers (@cloudresume)
options:
  src:
    description:
      - The directory to package. Its files are stored under their path relative to O(src).
      - Symbolic links are followed while they stay inside O(src) (the archive holds the content they point to); a
        link leaving O(src), or a loop, fails the task, so nothing outside the folder goes into the archive.
    type: path
    required: true
  dest:
    description:
      - Path of the zip file to write. Its parent directory is created when missing.
    type: path
    required: true
  exclude:
    description:
      - Shell-style patterns (C(fnmatch)) of names to leave out. A pattern matches any component of a file's
        relative path, so C(__pycache__) leaves out a whole directory.
    type: list
    elements: str
    default: ["__pycache__", "*.pyc", ".*"]
  mode:
    description:
      - Permissions of the written zip file.
    type: raw
    default: "0644"
attributes:
  check_mode:
    support: full
    description: In check mode the archive is built in memory and compared with O(dest), which is not written.
  diff_mode:
    support: full
    description: Shows the SHA-256 and the file list of O(dest) before and after.
  platform:
    support: full
    platforms: posix
    description: Runs where the task runs; the collection's playbooks run it on the controller.
notes:
  - The archive holds regular files only; an empty directory is not packaged.
"""

EXAMPLES = r"""
- name: Package the function's code
  cloudresume.aws.lambda_package:
    src: "{{ role_path }}/../../files/lambda"
    dest: "{{ lookup('ansible.builtin.env', 'HOME') }}/.cache/cloudresume.aws/counter.zip"
  delegate_to: localhost
  register: package

- name: Deploy it only when the code changed
  amazon.aws.lambda:
    name: counter
    zip_file: "{{ package.path }}"
    runtime: python3.13
    handler: counter.handler
    role: "{{ role_arn }}"
"""

RETURN = r"""
path:
  description: Path of the zip file (O(dest)).
  returned: always
  type: str
  sample: /home/me/.cache/cloudresume.aws/counter.zip
sha256:
  description: SHA-256 of the archive, hex.
  returned: always
  type: str
  sample: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
code_sha256:
  description: SHA-256 of the archive, base64, the form of a Lambda function's C(CodeSha256).
  returned: always
  type: str
  sample: n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=
size:
  description: Size of the archive in bytes.
  returned: always
  type: int
  sample: 6144
files:
  description: Paths stored in the archive, in archive order.
  returned: always
  type: list
  elements: str
  sample: [counter.py]
"""

import base64
import fnmatch
import hashlib
import io
import zipfile
from pathlib import Path, PurePosixPath

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.cloudresume.aws.plugins.module_utils.validation import InvalidInput
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import files_under

FIXED_DATE_TIME = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o100644  # regular file, rw-r--r--


def _excluded(relative: PurePosixPath, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatchcase(part, pattern) for part in relative.parts for pattern in patterns)


def collect(src: Path, patterns: list[str]) -> list[tuple[str, Path]]:
    """(archive name, source file) of every regular file under ``src``, sorted by archive name.

    Raises InvalidInput when a symbolic link leaves ``src``: nothing outside the folder goes into the archive.
    """
    return sorted(files_under(src, "src", lambda key: _excluded(PurePosixPath(key), patterns)))


def build(files: list[tuple[str, Path]]) -> bytes:
    """The archive's bytes: fixed order, timestamp, permissions and creator system, stored entries."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, path in files:
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE_TIME)
            info.create_system = 3  # Unix, so external_attr carries the permissions
            info.external_attr = FILE_MODE << 16
            info.compress_type = zipfile.ZIP_STORED
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def existing_state(dest: Path) -> dict[str, object]:
    if not dest.is_file():
        return {"sha256": None, "files": []}
    content = dest.read_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        names = []
    return {"sha256": hashlib.sha256(content).hexdigest(), "files": names}


def main() -> None:
    module = AnsibleModule(
        argument_spec=dict(
            src=dict(type="path", required=True),
            dest=dict(type="path", required=True),
            exclude=dict(type="list", elements="str", default=["__pycache__", "*.pyc", ".*"]),
            mode=dict(type="raw", default="0644"),
        ),
        supports_check_mode=True,
    )
    src, dest = Path(module.params["src"]), Path(module.params["dest"])
    if not src.is_dir():
        module.fail_json(msg=f"src: {src} is not a directory")
    try:
        files = collect(src, module.params["exclude"])
    except InvalidInput as e:
        module.fail_json(msg=str(e))
    if not files:
        module.fail_json(msg=f"src: {src} holds no file to package (after exclude)")
    if dest.is_dir():
        module.fail_json(msg=f"dest: {dest} is a directory; give the zip file's path")

    content = build(files)
    digest = hashlib.sha256(content)
    before = existing_state(dest)
    after = {"sha256": digest.hexdigest(), "files": [name for name, _path in files]}
    changed = before["sha256"] != after["sha256"]
    if changed and not module.check_mode:
        dest.parent.mkdir(parents=True, exist_ok=True)
        temporary = dest.with_name(f".{dest.name}.tmp")
        temporary.write_bytes(content)
        module.atomic_move(str(temporary), str(dest))
    if dest.exists():  # in check mode, set_mode_if_different only reports
        changed = module.set_mode_if_different(str(dest), module.params["mode"], changed)

    result = dict(
        changed=changed, path=str(dest), sha256=after["sha256"], size=len(content), files=after["files"],
        code_sha256=base64.b64encode(digest.digest()).decode("ascii"),
    )
    if module._diff:
        result["diff"] = {"before": before, "after": after}
    module.exit_json(**result)


if __name__ == "__main__":
    main()
