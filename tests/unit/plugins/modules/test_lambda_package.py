"""plugins/modules/lambda_package.py: reproducible bytes, CodeSha256, check mode, diff, input errors."""
from __future__ import annotations

import base64
import hashlib
import json
import os
import stat
import zipfile
from pathlib import Path
from typing import Any

import pytest
from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes

from plugins.modules import lambda_package

ROOT = Path(__file__).resolve().parents[4]


class Exited(Exception):
    def __init__(self, result: dict[str, Any], failed: bool) -> None:
        super().__init__(result.get("msg", ""))
        self.result, self.failed = result, failed


@pytest.fixture
def run_module(monkeypatch: pytest.MonkeyPatch):
    """Like the shared run_module fixture, without the AWS connection parameters (this module makes no AWS call)."""

    def exit_json(self: Any, **kwargs: Any) -> None:
        raise Exited(kwargs, failed=False)

    def fail_json(self: Any, msg: str, **kwargs: Any) -> None:
        raise Exited({"msg": msg, **kwargs}, failed=True)

    monkeypatch.setattr(basic.AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", fail_json)

    def run(module: Any, args: dict[str, Any], check_mode: bool = False, diff: bool = False) -> tuple[dict, bool]:
        payload = {"ANSIBLE_MODULE_ARGS": {**args, "_ansible_check_mode": check_mode, "_ansible_diff": diff,
                                           "_ansible_remote_tmp": "/tmp", "_ansible_keep_remote_files": False}}
        monkeypatch.setattr(basic, "_ANSIBLE_ARGS", to_bytes(json.dumps(payload)))
        monkeypatch.setattr(basic, "_ANSIBLE_PROFILE", "legacy", raising=False)
        with pytest.raises(Exited) as caught:
            module.main()
        return caught.value.result, caught.value.failed

    return run


@pytest.fixture
def source(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    (src / "pkg" / "__pycache__").mkdir(parents=True)
    (src / "handler.py").write_text("def handler(event, context):\n    return 1\n")
    (src / "pkg" / "util.py").write_text("X = 1\n")
    (src / "pkg" / "__pycache__" / "util.cpython-311.pyc").write_bytes(b"\x00")
    (src / ".hidden").write_text("secret")
    return src


def test_packages_sorted_files_with_fixed_metadata(run_module, source, tmp_path):
    dest = tmp_path / "out" / "code.zip"
    result, failed = run_module(lambda_package, {"src": str(source), "dest": str(dest)})
    assert not failed and result["changed"]
    assert result["files"] == ["handler.py", "pkg/util.py"]
    content = dest.read_bytes()
    assert result["sha256"] == hashlib.sha256(content).hexdigest()
    assert result["code_sha256"] == base64.b64encode(hashlib.sha256(content).digest()).decode()
    assert result["size"] == len(content)
    with zipfile.ZipFile(dest) as archive:
        for info in archive.infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert stat.S_IMODE(info.external_attr >> 16) == 0o644
            assert info.compress_type == zipfile.ZIP_STORED
        assert archive.read("pkg/util.py") == b"X = 1\n"
    assert stat.S_IMODE(dest.stat().st_mode) == 0o644


def test_same_source_same_bytes_whatever_the_timestamps_permissions_and_creation_order(run_module, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for directory, order in ((first, ["x.py", "b/y.py"]), (second, ["b/y.py", "x.py"])):
        for name in order:
            path = directory / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"# {name}\n")
    os.utime(second / "x.py", (1_000_000_000, 1_000_000_000))
    os.chmod(second / "x.py", 0o755)
    hashes = [run_module(lambda_package, {"src": str(d), "dest": str(d) + ".zip"})[0]["sha256"]
              for d in (first, second)]
    assert hashes[0] == hashes[1]


def test_content_change_changes_the_hash(run_module, source, tmp_path):
    dest = str(tmp_path / "code.zip")
    before = run_module(lambda_package, {"src": str(source), "dest": dest})[0]["sha256"]
    (source / "handler.py").write_text("def handler(event, context):\n    return 2\n")
    after = run_module(lambda_package, {"src": str(source), "dest": dest})[0]
    assert after["changed"] and after["sha256"] != before


def test_second_run_is_unchanged(run_module, source, tmp_path):
    args = {"src": str(source), "dest": str(tmp_path / "code.zip")}
    run_module(lambda_package, args)
    result, failed = run_module(lambda_package, args)
    assert not failed and not result["changed"]


def test_check_mode_reports_without_writing(run_module, source, tmp_path):
    dest = tmp_path / "code.zip"
    result, failed = run_module(lambda_package, {"src": str(source), "dest": str(dest)}, check_mode=True, diff=True)
    assert not failed and result["changed"]
    assert not dest.exists()
    assert result["diff"] == {"before": {"sha256": None, "files": []},
                              "after": {"sha256": result["sha256"], "files": ["handler.py", "pkg/util.py"]}}
    written = run_module(lambda_package, {"src": str(source), "dest": str(dest)})[0]
    assert written["sha256"] == result["sha256"] and written["code_sha256"] == result["code_sha256"]
    again, _failed = run_module(lambda_package, {"src": str(source), "dest": str(dest)}, check_mode=True)
    assert not again["changed"]


def test_mode_is_enforced(run_module, source, tmp_path):
    dest = tmp_path / "code.zip"
    args = {"src": str(source), "dest": str(dest)}
    run_module(lambda_package, args)
    dest.chmod(0o600)
    result, _failed = run_module(lambda_package, args)
    assert result["changed"] and stat.S_IMODE(dest.stat().st_mode) == 0o644


def test_exclude_patterns(run_module, source, tmp_path):
    result, _failed = run_module(lambda_package, {"src": str(source), "dest": str(tmp_path / "c.zip"), "exclude": ["pkg"]})
    assert result["files"] == [".hidden", "handler.py"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"src": "/nonexistent/dir"}, "src: /nonexistent/dir is not a directory"),
        ({"exclude": ["*"]}, "holds no file to package"),
        ({"dest": "{tmp}"}, "is a directory"),
    ],
)
def test_bad_input_fails_naming_the_field(run_module, source, tmp_path, args, message):
    full = {"src": str(source), "dest": str(tmp_path / "c.zip")}
    full.update({k: v.format(tmp=tmp_path) if isinstance(v, str) else v for k, v in args.items()})
    result, failed = run_module(lambda_package, full)
    assert failed and message in result["msg"]


def test_the_counter_handler_package_is_reproducible(run_module, tmp_path):
    src = str(ROOT / "files" / "lambda")
    first = run_module(lambda_package, {"src": src, "dest": str(tmp_path / "1.zip")})[0]
    second = run_module(lambda_package, {"src": src, "dest": str(tmp_path / "2.zip")})[0]
    assert first["files"] == ["counter.py"]
    assert (tmp_path / "1.zip").read_bytes() == (tmp_path / "2.zip").read_bytes()
    assert first["code_sha256"] == second["code_sha256"]


def test_symlinked_folder_leaving_src_is_refused(run_module, source, tmp_path):
    (source / "certs").symlink_to("/etc/ssl/certs")
    result, failed = run_module(lambda_package, {"src": str(source), "dest": str(tmp_path / "c.zip")})
    assert failed and result["msg"].startswith("src: certs is a symbolic link to /etc/ssl/certs")
    assert not (tmp_path / "c.zip").exists()


def test_symlinked_file_leaving_src_is_refused(run_module, source, tmp_path):
    (tmp_path / "secret.py").write_text("KEY = 'x'\n")
    (source / "pkg" / "config.py").symlink_to(tmp_path / "secret.py")
    result, failed = run_module(lambda_package, {"src": str(source), "dest": str(tmp_path / "c.zip")})
    assert failed and result["msg"].startswith("src: pkg/config.py is a symbolic link to ")


def test_symlink_loop_is_refused(run_module, source, tmp_path):
    (source / "pkg" / "again").symlink_to(source)
    result, failed = run_module(lambda_package, {"src": str(source), "dest": str(tmp_path / "c.zip")})
    assert failed and "a loop" in result["msg"]


def test_symlink_inside_src_is_packaged_with_its_content(run_module, source, tmp_path):
    (source / "alias.py").symlink_to(source / "handler.py")
    result, failed = run_module(lambda_package, {"src": str(source), "dest": str(tmp_path / "c.zip")})
    assert not failed and result["files"] == ["alias.py", "handler.py", "pkg/util.py"]
    with zipfile.ZipFile(tmp_path / "c.zip") as archive:
        assert archive.read("alias.py") == (source / "handler.py").read_bytes()
