"""The outputs file (plugins/action/stack_outputs.py): written on the controller, atomically, only when it differs."""
from __future__ import annotations

import json
import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from ansible_collections.cloudresume.aws.plugins.action.stack_outputs import ActionModule

OUTPUTS = {"stack": "cloudresume", "region": "us-east-2", "static_site": {"url": "https://d1.cloudfront.net/"},
           "name": "Zoë"}


def run(args: dict[str, Any], check_mode: bool = False, diff: bool = False) -> dict[str, Any]:
    task = SimpleNamespace(args=args, check_mode=check_mode, diff=diff, async_val=0,
                           action="cloudresume.aws.stack_outputs")
    connection = SimpleNamespace(_shell=SimpleNamespace(tmpdir=None))
    action = ActionModule(task, connection=connection, play_context=SimpleNamespace(check_mode=check_mode),
                          loader=None, templar=None, shared_loader_obj=None)
    return action.run(task_vars={})


def test_writes_sorted_json_and_makes_the_folders(tmp_path: Path) -> None:
    path = tmp_path / "build" / "deep" / "outputs.json"
    result = run({"path": str(path), "outputs": OUTPUTS})
    assert result["changed"] and not result.get("failed")
    assert result["path"] == str(path)
    text = path.read_text(encoding="utf-8")
    assert text == json.dumps(OUTPUTS, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert "Zoë" in text
    assert oct(path.stat().st_mode & 0o777) == "0o644"
    assert oct(path.parent.stat().st_mode & 0o777) == "0o755"


def test_same_content_is_no_change_and_no_write(tmp_path: Path) -> None:
    path = tmp_path / "outputs.json"
    run({"path": str(path), "outputs": OUTPUTS})
    os.utime(path, (1, 1))
    result = run({"path": str(path), "outputs": dict(reversed(list(OUTPUTS.items())))})
    assert result["changed"] is False
    assert path.stat().st_mtime == 1


def test_a_mode_change_alone_is_a_change(tmp_path: Path) -> None:
    path = tmp_path / "outputs.json"
    run({"path": str(path), "outputs": OUTPUTS})
    assert run({"path": str(path), "outputs": OUTPUTS, "mode": "0600"})["changed"]
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_check_mode_reports_the_diff_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "build" / "outputs.json"
    result = run({"path": str(path), "outputs": OUTPUTS}, check_mode=True, diff=True)
    assert result["changed"]
    assert result["diff"]["before"] == "" and json.loads(result["diff"]["after"]) == OUTPUTS
    assert not path.parent.exists()


def test_an_interrupted_write_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "outputs.json"
    run({"path": str(path), "outputs": OUTPUTS})

    def fail(*_: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    result = run({"path": str(path), "outputs": {"stack": "other"}})
    assert result["failed"] and result["msg"].startswith("path: cannot write")
    assert json.loads(path.read_text(encoding="utf-8")) == OUTPUTS
    assert [p.name for p in tmp_path.iterdir()] == ["outputs.json"]  # no temporary file left behind


@pytest.mark.parametrize(("args", "message"), [
    ({"outputs": OUTPUTS}, "path: required"),
    ({"path": "x.json", "outputs": ["a"]}, "outputs: must be a mapping"),
    ({"path": "x.json", "outputs": OUTPUTS, "mode": "rw-r--r--"}, "mode: 'rw-r--r--' is not an octal mode"),
    ({"path": "x.json", "outputs": OUTPUTS, "owner": "root"}, "owner: unknown option"),
    ({"path": "x.json", "outputs": {"when": object()}}, "outputs: cannot be written as JSON"),
])
def test_bad_input_names_the_field_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      args: dict[str, Any], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(args)
    assert result["failed"] and result["msg"].startswith(message)
    assert list(tmp_path.iterdir()) == []


def test_a_folder_is_refused(tmp_path: Path) -> None:
    result = run({"path": str(tmp_path), "outputs": OUTPUTS})
    assert result["failed"] and result["msg"] == f"path: {tmp_path} is a folder; give the path of a file"
