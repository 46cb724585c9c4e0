# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Action of cloudresume.aws.stack_outputs: the run's outputs as a JSON file on the controller."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ansible.plugins.action import ActionBase

from ansible_collections.cloudresume.aws.plugins.plugin_utils.files import write_atomically

OCTAL_MODE = re.compile(r"0?[0-7]{3}")


def check(args: dict[str, Any]) -> tuple[Path, dict[str, Any], int]:
    """The options converted, or ValueError naming the field."""
    unknown = sorted(set(args) - {"path", "outputs", "mode"})
    if unknown:
        raise ValueError(f"{unknown[0]}: unknown option (expected path, outputs, mode)")
    path, outputs, mode = args.get("path"), args.get("outputs"), str(args.get("mode", "0644"))
    if not isinstance(path, str) or not path:
        raise ValueError("path: required, the file to write")
    if not isinstance(outputs, dict):
        raise ValueError(f"outputs: must be a mapping, got {type(outputs).__name__}")
    if not OCTAL_MODE.fullmatch(mode):
        raise ValueError(f"mode: {mode!r} is not an octal mode like '0644'")
    target = Path(path).expanduser().absolute()
    if target.is_dir():
        raise ValueError(f"path: {target} is a folder; give the path of a file")
    return target, outputs, int(mode, 8)


def render(outputs: dict[str, Any]) -> str:
    try:
        return json.dumps(outputs, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    except (TypeError, ValueError) as e:
        raise ValueError(f"outputs: cannot be written as JSON: {e}") from e


def current(path: Path) -> tuple[str | None, int | None]:
    """The file's text and permission bits, (None, None) when it does not exist."""
    try:
        return path.read_text(encoding="utf-8"), path.stat().st_mode & 0o7777
    except FileNotFoundError:
        return None, None


class ActionModule(ActionBase):
    """Write the outputs on the controller; no module process, no connection."""

    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp: Any = None, task_vars: dict[str, Any] | None = None) -> dict[str, Any]:
        result = super().run(tmp, task_vars or {})
        try:
            path, outputs, mode = check(self._task.args)
            text = render(outputs)
        except ValueError as e:
            return {**result, "failed": True, "changed": False, "msg": str(e)}
        before, before_mode = current(path)
        changed = before != text or before_mode != mode
        result.update(changed=changed, path=str(path))
        if self._task.diff and changed:
            result["diff"] = {"before": before or "", "after": text, "before_header": str(path),
                              "after_header": str(path)}
        if changed and not self._task.check_mode:
            try:
                write_atomically(path, text.encode("utf-8"), mode)
            except OSError as e:
                return {**result, "failed": True, "changed": False, "msg": f"path: cannot write {path}: {e.strerror}"}
        return result
