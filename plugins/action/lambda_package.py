# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Action of cloudresume.aws.lambda_package: the deterministic zip of a folder, built on the controller."""

from __future__ import annotations

import base64
import hashlib
import os
import stat
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.errors import UnsupportedError
from ansible.plugins.action import ActionBase

from ansible_collections.cloudresume.aws.plugins.module_utils.validation import InvalidInput
from ansible_collections.cloudresume.aws.plugins.plugin_utils.files import write_atomically
from ansible_collections.cloudresume.aws.plugins.plugin_utils.lambda_zip import build
from ansible_collections.cloudresume.aws.plugins.plugin_utils.lambda_zip import collect
from ansible_collections.cloudresume.aws.plugins.plugin_utils.lambda_zip import existing_state

ARGUMENT_SPEC = {
    "src": {"type": "path", "required": True},
    "dest": {"type": "path", "required": True},
    "exclude": {"type": "list", "elements": "str", "default": ["__pycache__", "*.pyc", ".*"]},
    "mode": {"type": "raw", "default": "0644"},
}


def validated(args: dict[str, Any], action: str) -> dict[str, Any]:
    """The options with their defaults and types, as a module would get them; InvalidInput with its message."""
    validation = ArgumentSpecValidator(ARGUMENT_SPEC).validate(args)
    if validation.error_messages:
        unsupported = isinstance(validation.errors[0], UnsupportedError)
        raise InvalidInput(f"Unsupported parameters for ({action}) module: {validation.errors.msg}" if unsupported
                           else validation.errors.msg)
    return validation.validated_parameters


def paths(args: dict[str, Any], basedir: str) -> tuple[Path, Path]:
    """O(src) and O(dest), a relative one from the play's folder (where a module run on the controller starts)."""
    for name in ("src", "dest"):
        if not args[name]:
            raise InvalidInput(f"{name}: must not be empty")
    return Path(basedir, args["src"]), Path(basedir, args["dest"])


def sources(src: Path, exclude: list[str]) -> list[tuple[str, Path]]:
    """The files to package, or InvalidInput naming the field."""
    if not src.is_dir():
        raise InvalidInput(f"src: {src} is not a directory")
    files = collect(src, exclude)
    if not files:
        raise InvalidInput(f"src: {src} holds no file to package (after exclude)")
    return files


def current(dest: Path) -> tuple[bytes | None, int | None]:
    """The archive's bytes and permission bits, (None, None) when there is none; InvalidInput naming the field."""
    if dest.is_dir():
        raise InvalidInput(f"dest: {dest} is a directory; give the zip file's path")
    try:
        return dest.read_bytes(), stat.S_IMODE(dest.stat().st_mode)
    except FileNotFoundError:
        return None, None
    except OSError as e:
        raise InvalidInput(f"dest: cannot read {dest}: {e.strerror}") from e


def new_file_mode() -> int:
    """What a new file gets when no mode is asked: 0666 less the umask (as Ansible's atomic_move gives it)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def mode_bits(mode: Any, before: int | None) -> int:
    """The permission bits ``mode`` asks for: octal (a string or a number) or symbolic (``u=rw,g=r,o=r``) applied
    to the archive's current bits, or to a new file's. InvalidInput naming the field otherwise."""
    base = new_file_mode() if before is None else before
    if mode is None:
        return base
    if isinstance(mode, bool) or not isinstance(mode, (int, str)):
        raise InvalidInput(f"mode: must be an octal or symbolic mode like '0644', got {type(mode).__name__}")
    bits = mode
    if isinstance(mode, str):
        try:
            bits = int(mode, 8)
        except ValueError:
            try:
                bits = AnsibleModule._symbolic_mode_to_octal(SimpleNamespace(st_mode=stat.S_IFREG | base), mode)
            except ValueError as e:
                raise InvalidInput(f"mode: {mode!r} is not an octal or symbolic mode: {e}") from e
    if bits < 0 or bits != stat.S_IMODE(bits):
        raise InvalidInput(f"mode: {mode!r} holds more than permission bits")
    return bits


class ActionModule(ActionBase):
    """Package a folder of the controller; no module process, no connection."""

    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp: Any = None, task_vars: dict[str, Any] | None = None) -> dict[str, Any]:
        result = super().run(tmp, task_vars or {})
        try:
            args = validated(self._task.args, self._task.action)
            src, dest = paths(args, self._loader.get_basedir())
            files = sources(src, args["exclude"])
            before_content, before_mode = current(dest)
            mode = mode_bits(args["mode"], before_mode)
            content = build(files)
        except InvalidInput as e:
            return {**result, "failed": True, "changed": False, "msg": str(e)}
        except OSError as e:
            return {**result, "failed": True, "changed": False, "msg": f"src: cannot read {e.filename}: {e.strerror}"}
        digest = hashlib.sha256(content)
        before = existing_state(before_content)
        after = {"sha256": digest.hexdigest(), "files": [name for name, _path in files]}
        rewrite = before["sha256"] != after["sha256"]
        changed = rewrite or before_mode != mode
        if changed and not self._task.check_mode:
            try:
                if rewrite:
                    write_atomically(dest, content, mode)
                else:
                    os.chmod(dest, mode)
            except OSError as e:
                return {**result, "failed": True, "changed": False, "msg": f"dest: cannot write {dest}: {e.strerror}"}
        result.update(changed=changed, path=str(dest), sha256=after["sha256"], size=len(content), files=after["files"],
                      code_sha256=base64.b64encode(digest.digest()).decode("ascii"))
        if self._task.diff:
            result["diff"] = {"before": before, "after": after}
        return result
