# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The deterministic zip of a folder for a Lambda function's code (the lambda_package action, on the controller)."""

from __future__ import annotations

import fnmatch
import hashlib
import io
import zipfile
from pathlib import Path, PurePosixPath

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


def existing_state(content: bytes | None) -> dict[str, object]:
    """SHA-256 and entry names of an existing archive's bytes (no name when it is not a zip); None: no archive."""
    if content is None:
        return {"sha256": None, "files": []}
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        names = []
    return {"sha256": hashlib.sha256(content).hexdigest(), "files": names}
