"""plugins/action/lambda_package.py: reproducible bytes, CodeSha256, check mode, diff, input errors, on the controller."""
from __future__ import annotations

import base64
import hashlib
import os
import stat
import zipfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from ansible_collections.cloudresume.aws.plugins.action.lambda_package import ActionModule

ROOT = Path(__file__).resolve().parents[4]


@pytest.fixture
def playbook_dir(tmp_path: Path) -> Path:
    """The play's folder: relative paths start there, as for a module run on the controller."""
    folder = tmp_path / "playbook"
    folder.mkdir()
    return folder


@pytest.fixture
def run_action(playbook_dir: Path):
    """``run_action(args, check_mode=False, diff=False) -> (result, failed)``: the action as a task runs it."""

    def run(args: dict[str, Any], check_mode: bool = False, diff: bool = False) -> tuple[dict[str, Any], bool]:
        task = SimpleNamespace(args=args, check_mode=check_mode, diff=diff, async_val=0,
                               action="cloudresume.aws.lambda_package")
        action = ActionModule(task, connection=SimpleNamespace(_shell=SimpleNamespace(tmpdir=None)),
                              play_context=SimpleNamespace(check_mode=check_mode),
                              loader=SimpleNamespace(get_basedir=lambda: str(playbook_dir)), templar=None,
                              shared_loader_obj=None)
        result = action.run(task_vars={})
        return result, bool(result.get("failed"))

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


def test_packages_sorted_files_with_fixed_metadata(run_action, source, tmp_path):
    dest = tmp_path / "out" / "code.zip"
    result, failed = run_action({"src": str(source), "dest": str(dest)})
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


def test_same_source_same_bytes_whatever_the_timestamps_permissions_and_creation_order(run_action, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for directory, order in ((first, ["x.py", "b/y.py"]), (second, ["b/y.py", "x.py"])):
        for name in order:
            path = directory / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"# {name}\n")
    os.utime(second / "x.py", (1_000_000_000, 1_000_000_000))
    os.chmod(second / "x.py", 0o755)
    hashes = [run_action({"src": str(d), "dest": str(d) + ".zip"})[0]["sha256"]
              for d in (first, second)]
    assert hashes[0] == hashes[1]


def test_content_change_changes_the_hash(run_action, source, tmp_path):
    dest = str(tmp_path / "code.zip")
    before = run_action({"src": str(source), "dest": dest})[0]["sha256"]
    (source / "handler.py").write_text("def handler(event, context):\n    return 2\n")
    after = run_action({"src": str(source), "dest": dest})[0]
    assert after["changed"] and after["sha256"] != before


def test_second_run_is_unchanged(run_action, source, tmp_path):
    args = {"src": str(source), "dest": str(tmp_path / "code.zip")}
    run_action(args)
    result, failed = run_action(args)
    assert not failed and not result["changed"]


def test_check_mode_reports_without_writing(run_action, source, tmp_path):
    dest = tmp_path / "code.zip"
    result, failed = run_action({"src": str(source), "dest": str(dest)}, check_mode=True, diff=True)
    assert not failed and result["changed"]
    assert not dest.exists()
    assert result["diff"] == {"before": {"sha256": None, "files": []},
                              "after": {"sha256": result["sha256"], "files": ["handler.py", "pkg/util.py"]}}
    written = run_action({"src": str(source), "dest": str(dest)})[0]
    assert written["sha256"] == result["sha256"] and written["code_sha256"] == result["code_sha256"]
    again, _failed = run_action({"src": str(source), "dest": str(dest)}, check_mode=True)
    assert not again["changed"]


def test_mode_is_enforced(run_action, source, tmp_path):
    dest = tmp_path / "code.zip"
    args = {"src": str(source), "dest": str(dest)}
    run_action(args)
    dest.chmod(0o600)
    result, _failed = run_action(args)
    assert result["changed"] and stat.S_IMODE(dest.stat().st_mode) == 0o644


def test_exclude_patterns(run_action, source, tmp_path):
    result, _failed = run_action({"src": str(source), "dest": str(tmp_path / "c.zip"), "exclude": ["pkg"]})
    assert result["files"] == [".hidden", "handler.py"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"src": "/nonexistent/dir"}, "src: /nonexistent/dir is not a directory"),
        ({"exclude": ["*"]}, "holds no file to package"),
        ({"dest": "{tmp}"}, "is a directory"),
    ],
)
def test_bad_input_fails_naming_the_field(run_action, source, tmp_path, args, message):
    full = {"src": str(source), "dest": str(tmp_path / "c.zip")}
    full.update({k: v.format(tmp=tmp_path) if isinstance(v, str) else v for k, v in args.items()})
    result, failed = run_action(full)
    assert failed and message in result["msg"]


def test_the_counter_handler_package_is_reproducible(run_action, tmp_path):
    src = str(ROOT / "files" / "lambda")
    first = run_action({"src": src, "dest": str(tmp_path / "1.zip")})[0]
    second = run_action({"src": src, "dest": str(tmp_path / "2.zip")})[0]
    assert first["files"] == ["counter.py"]
    assert (tmp_path / "1.zip").read_bytes() == (tmp_path / "2.zip").read_bytes()
    assert first["code_sha256"] == second["code_sha256"]


def test_symlinked_folder_leaving_src_is_refused(run_action, source, tmp_path):
    (source / "certs").symlink_to("/etc/ssl/certs")
    result, failed = run_action({"src": str(source), "dest": str(tmp_path / "c.zip")})
    assert failed and result["msg"].startswith("src: certs is a symbolic link to /etc/ssl/certs")
    assert not (tmp_path / "c.zip").exists()


def test_symlinked_file_leaving_src_is_refused(run_action, source, tmp_path):
    (tmp_path / "secret.py").write_text("KEY = 'x'\n")
    (source / "pkg" / "config.py").symlink_to(tmp_path / "secret.py")
    result, failed = run_action({"src": str(source), "dest": str(tmp_path / "c.zip")})
    assert failed and result["msg"].startswith("src: pkg/config.py is a symbolic link to ")


def test_symlink_loop_is_refused(run_action, source, tmp_path):
    (source / "pkg" / "again").symlink_to(source)
    result, failed = run_action({"src": str(source), "dest": str(tmp_path / "c.zip")})
    assert failed and "a loop" in result["msg"]


def test_symlink_inside_src_is_packaged_with_its_content(run_action, source, tmp_path):
    (source / "alias.py").symlink_to(source / "handler.py")
    result, failed = run_action({"src": str(source), "dest": str(tmp_path / "c.zip")})
    assert not failed and result["files"] == ["alias.py", "handler.py", "pkg/util.py"]
    with zipfile.ZipFile(tmp_path / "c.zip") as archive:
        assert archive.read("alias.py") == (source / "handler.py").read_bytes()


def test_the_bytes_are_those_the_module_wrote(run_action, tmp_path):
    """The archive of a fixed source, byte for byte what lambda_package wrote as a module (its SHA-256 then): a
    deployed function's CodeSha256 does not change because the package is built on the controller now."""
    src = tmp_path / "fixed"
    (src / "pkg").mkdir(parents=True)
    (src / "handler.py").write_text("def handler(event, context):\n    return 1\n")
    (src / "pkg" / "util.py").write_text("X = 1\n")
    (src / "pkg" / "data.bin").write_bytes(b"\x00\x01\xff")
    result, failed = run_action({"src": str(src), "dest": str(tmp_path / "c.zip")})
    assert not failed and result["size"] == 367
    assert result["sha256"] == "2961727b56a1c2ecab994c1121b171f0ef43008cdb535a5cd60bec83ebcf8e35"


def test_relative_paths_start_at_the_playbook_folder_not_the_working_directory(
        run_action, source, tmp_path, playbook_dir, monkeypatch):
    (playbook_dir / "lambda").symlink_to(source, target_is_directory=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result, failed = run_action({"src": "lambda", "dest": "build/code.zip"})
    assert not failed and result["path"] == str(playbook_dir / "build" / "code.zip")
    assert (playbook_dir / "build" / "code.zip").is_file() and list(elsewhere.iterdir()) == []


def test_an_unchanged_archive_is_not_written_again(run_action, source, tmp_path):
    dest = tmp_path / "code.zip"
    run_action({"src": str(source), "dest": str(dest)})
    os.utime(dest, (1, 1))
    inode = dest.stat().st_ino
    result, _failed = run_action({"src": str(source), "dest": str(dest)})
    assert not result["changed"] and dest.stat().st_mtime == 1 and dest.stat().st_ino == inode


def test_a_mode_alone_is_set_without_writing_the_archive(run_action, source, tmp_path):
    dest = tmp_path / "code.zip"
    run_action({"src": str(source), "dest": str(dest)})
    inode = dest.stat().st_ino
    planned, _failed = run_action({"src": str(source), "dest": str(dest), "mode": "0600"}, check_mode=True)
    assert planned["changed"] and stat.S_IMODE(dest.stat().st_mode) == 0o644
    result, _failed = run_action({"src": str(source), "dest": str(dest), "mode": "u=rw,go="})
    assert result["changed"] and stat.S_IMODE(dest.stat().st_mode) == 0o600 and dest.stat().st_ino == inode
    assert not run_action({"src": str(source), "dest": str(dest), "mode": 0o600})[0]["changed"]


def test_a_changed_archive_replaces_the_old_one_atomically(run_action, source, tmp_path, monkeypatch):
    dest = tmp_path / "out" / "code.zip"
    run_action({"src": str(source), "dest": str(dest)})
    old = dest.read_bytes()
    (source / "handler.py").write_text("def handler(event, context):\n    return 3\n")

    def fail(*_: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    result, failed = run_action({"src": str(source), "dest": str(dest)})
    assert failed and result["msg"] == f"dest: cannot write {dest}: No space left on device"
    assert dest.read_bytes() == old and [p.name for p in dest.parent.iterdir()] == ["code.zip"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"mode": "rw-r--r--"}, "mode: 'rw-r--r--' is not an octal or symbolic mode"),
        ({"mode": "01777777"}, "mode: '01777777' holds more than permission bits"),
        ({"mode": ["0644"]}, "mode: must be an octal or symbolic mode like '0644', got list"),
        ({"owner": "root"}, "Unsupported parameters for (cloudresume.aws.lambda_package) module: owner."),
        ({"exclude": {"a": 1}}, "exclude"),
        ({"src": None}, "src: must not be empty"),
        ({"dest": ""}, "dest: must not be empty"),
    ],
)
def test_bad_input_fails_before_anything_is_written(run_action, source, tmp_path, args, message):
    dest = tmp_path / "c.zip"
    result, failed = run_action({"src": str(source), "dest": str(dest), **args})
    assert failed and not result["changed"] and message in result["msg"]
    assert not dest.exists()
