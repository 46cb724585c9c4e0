#!/usr/bin/env python3
"""Install amazon.aws and community.aws offline-friendly, without the 473 MB `ansible` bundle.

Galaxy may be unreachable; PyPI is not. The `ansible` wheel on PyPI carries every community
collection; we download that one wheel (no dependencies), and extract only the collections listed in
COLLECTIONS into ``<dest>/ansible_collections``. Versions are pinned: the wheel version fixes them,
and the extracted MANIFEST.json is checked against the pins below.

Users with Galaxy access run instead:  ansible-galaxy collection install -r requirements.yml
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ANSIBLE_WHEEL = "ansible==12.3.0"
# pip checks the downloaded wheel against this hash (--require-hashes), as it does for requirements.lock.
ANSIBLE_WHEEL_SHA256 = "cd156f82fa87f7a899212b0efa9f7ca3a24d609212de9f78428a572eb01e5414"
COLLECTIONS = {"amazon/aws": "10.1.2", "community/aws": "10.0.0"}


def installed_version(dest: Path, name: str) -> str | None:
    manifest = dest / "ansible_collections" / name / "MANIFEST.json"
    if not manifest.is_file():
        return None
    return json.loads(manifest.read_text())["collection_info"]["version"]


def download_wheel(workdir: Path) -> Path:
    pinned = workdir / "ansible.lock"
    pinned.write_text(f"{ANSIBLE_WHEEL} --hash=sha256:{ANSIBLE_WHEEL_SHA256}\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--require-hashes", "--only-binary=:all:",
         "--dest", str(workdir), "-r", str(pinned)],
        check=True,
    )
    return next(workdir.glob("ansible-*.whl"))


def extract(wheel: Path, dest: Path) -> None:
    prefixes = tuple(f"ansible_collections/{name}/" for name in COLLECTIONS)
    with zipfile.ZipFile(wheel) as archive:
        members = [m for m in archive.namelist() if m.startswith(prefixes)]
        archive.extractall(dest, members)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path, help="collections path (ansible_collections/ is created inside)")
    args = parser.parse_args()
    missing = [n for n, v in COLLECTIONS.items() if installed_version(args.dest, n) != v]
    if not missing:
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        extract(download_wheel(Path(tmp)), args.dest)
    wrong = {n: installed_version(args.dest, n) for n, v in COLLECTIONS.items() if installed_version(args.dest, n) != v}
    if wrong:
        print(f"collection versions do not match the pins {COLLECTIONS}: {wrong}", file=sys.stderr)
        return 1
    print("installed " + ", ".join(f"{n.replace('/', '.')} {v}" for n, v in COLLECTIONS.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
