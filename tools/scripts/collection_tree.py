"""Lay out the collection the way ansible-test needs it: a copy of what the collection ships at
<tree>/ansible_collections/cloudresume/aws (a real directory), amazon.aws and community.aws linked beside it.

Used by tools/scripts/sanity and tools/scripts/ansible-test-integration. The copy is made with Python's shutil (no rsync or
other tool a fresh machine may lack) and leaves out tools/, as galaxy.yml's build_ignore does.
"""

import shutil
import sys
from pathlib import Path

TOP_LEVEL = {".venv", "build", ".cache", "node_modules", ".git", "tools"}
ANYWHERE = {"__pycache__", ".pytest_cache", ".molecule"}


def copy_collection(root: Path, tree: Path) -> Path:
    """A fresh copy of the checkout at root as tree/ansible_collections/cloudresume/aws; returns that path."""
    dest = tree / "ansible_collections" / "cloudresume" / "aws"

    def ignore(directory: str, names: list[str]) -> set[str]:
        here = Path(directory)
        skipped = {n for n in names if n in ANYWHERE or n.endswith(".pyc")}
        if here == root:
            skipped |= TOP_LEVEL & set(names)
        if here == root / "tests":
            skipped |= {"output"} & set(names)
        return skipped

    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(root, dest, symlinks=True, ignore=ignore)
    for namespace in ("amazon", "community"):
        link = tree / "ansible_collections" / namespace / "aws"
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.is_symlink():
            link.unlink()
        link.symlink_to(root / ".venv" / "collections" / "ansible_collections" / namespace / "aws")
    return dest


if __name__ == "__main__":
    print(copy_collection(Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()))
