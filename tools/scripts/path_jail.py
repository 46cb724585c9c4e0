#!/usr/bin/env python3
"""A PATH that holds only the commands the project may call, so that `make test` fails on any machine when a
script calls a command that a fresh machine lacks (issue 13: `rsync` was there by accident, and nowhere else).

    path_jail.py build DIR            DIR/<command> -> the machine's command, for each name in
                                      tools/scripts/external-commands.txt; prints DIR (put it on PATH after .venv/bin)
    path_jail.py trace DIR LOG        DIR/<command> for EVERY command in the system's folders (and python3), each
                                      a wrapper that appends its name to LOG and runs the real one: how the list
                                      was made
    path_jail.py check LOG            the traced names that the list lacks (exit 1 if any)

The list says where each command comes from: the fresh Debian image of this kind of machine, `tools/scripts/bootstrap`
or `tools/scripts/install-browser-deps`. docs/development.md explains it.
"""
from __future__ import annotations

import os
import shutil
import stat
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIST = ROOT / "tools" / "scripts" / "external-commands.txt"
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def allowed() -> dict[str, str]:
    """command -> where it comes from, from the list (comments and blank lines skipped)."""
    commands: dict[str, str] = {}
    for line in LIST.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, source, *_ = line.split("\t")
            commands[name] = source
    return commands


def outer_path(jail: Path) -> str:
    """The caller's PATH without the jail and the project's virtualenv (those are not the machine's)."""
    skip = {str(jail), str(ROOT / ".venv" / "bin")}
    return os.pathsep.join(p for p in os.environ.get("PATH", SYSTEM_PATH).split(os.pathsep) if p and p not in skip)


def real_python() -> str:
    """The machine's Python itself (pyenv shims, for one, need more than the jail holds)."""
    found = shutil.which("python3", path=os.environ.get("PATH"))
    return os.path.realpath(sys.executable if found is None else found)


def fresh(directory: Path) -> None:
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)


def build(directory: Path) -> int:
    search = outer_path(directory)
    fresh(directory)
    missing = []
    for name in allowed():
        target = real_python() if name == "python3" else shutil.which(name, path=search)
        if target is None:
            missing.append(name)
            continue
        (directory / name).symlink_to(target)
    if missing:  # not an error here: a script that needs one fails by itself, naming it
        print(f"path jail: not on this machine: {' '.join(missing)}", file=sys.stderr)
    print(directory)
    return 0


def trace(directory: Path, log: Path) -> int:
    python = real_python()
    fresh(directory)
    log.parent.mkdir(parents=True, exist_ok=True)
    commands = {"python3": python}
    for folder in reversed(SYSTEM_PATH.split(os.pathsep)):  # the first folder on PATH wins
        if os.path.isdir(folder):
            commands |= {e.name: e.path for e in os.scandir(folder) if e.is_file() and os.access(e.path, os.X_OK)}
    for name, target in commands.items():
        wrapper = directory / name
        if name.endswith(".sh"):  # a shell library that scripts source (git's gettext.sh): not run, so not traced
            wrapper.symlink_to(target)
            continue
        wrapper.write_text(f'#!/bin/bash\necho {name} >> "{log}"\nexec -a "{name}" "{target}" "$@"\n')
        wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    print(directory)
    return 0


def check(log: Path) -> int:
    used = set(log.read_text(encoding="utf-8").split())
    lacking = sorted(used - set(allowed()))
    for name in lacking:
        print(f"called but not in tools/scripts/external-commands.txt: {name}")
    print(f"{len(used)} commands called, {len(lacking)} not listed")
    return 1 if lacking else 0


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "build":
        return build(Path(argv[1]).resolve())
    if len(argv) == 3 and argv[0] == "trace":
        return trace(Path(argv[1]).resolve(), Path(argv[2]).resolve())
    if len(argv) == 2 and argv[0] == "check":
        return check(Path(argv[1]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
