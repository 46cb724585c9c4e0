"""The collection as a user gets it: build the tarball, check what it ships, install it offline into an empty
collections path (with amazon.aws and community.aws), and deploy the stack to the emulator from the
installed collection only, with an inventory outside the checkout and the user's own site folder."""
from __future__ import annotations

import fnmatch
import os
import re
import subprocess
import tarfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import BIN, ROOT, Emulator, emulator_fixture

emulator = emulator_fixture()
FORBIDDEN = [".venv/*", "build/*", "tests/output/*", "*/__pycache__/*", "*.pyc", ".pytest_cache/*", ".cache/*",
             ".git/*", ".github/*", "*.tar.gz", "*node_modules/*", ".ansible/*", "*/.molecule/*", "tools/*",
             "*.pem", "*.key", "*.env", ".env", "*credentials*", "*id_rsa*", "*.log"]
# An access key id, a 40-character secret key given literally, or a private key.
SECRET = re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b|secret_access_key\W{1,4}[A-Za-z0-9/+]{40}\b|BEGIN [A-Z ]*PRIVATE KEY")
VERSION = yaml.safe_load((ROOT / "galaxy.yml").read_text())["version"]
MY_PAGE = "<!doctype html><title>Ada Lovelace</title><p>My own résumé, not the sample.</p>\n"


def run(*command: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    return done


@pytest.fixture(scope="module")
def user(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("user")


@pytest.fixture(scope="module")
def user_env(user: Path) -> dict[str, str]:
    """A user's shell: only the temporary collections path, no project ansible.cfg, no checkout on any path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "EMULATOR_"))}
    return {**env, "PATH": f"{BIN}:{env['PATH']}", "ANSIBLE_COLLECTIONS_PATH": str(user / "collections"),
            "ANSIBLE_NOCOLOR": "1", "ANSIBLE_HOME": str(user / ".ansible")}


@pytest.fixture(scope="module")
def tarball(user: Path, user_env: dict[str, str]) -> Path:
    run(str(BIN / "ansible-galaxy"), "collection", "build", "--force", "--output-path", str(user / "dist"), str(ROOT),
        cwd=user, env=user_env)
    return user / "dist" / f"cloudresume-aws-{VERSION}.tar.gz"


@pytest.fixture(scope="module")
def installed(tarball: Path, user: Path, user_env: dict[str, str]) -> Path:
    target = user / "collections" / "ansible_collections"
    for namespace in ("amazon", "community"):
        (target / namespace).mkdir(parents=True)
        source = ROOT / ".venv" / "collections" / "ansible_collections" / namespace / "aws"
        (target / namespace / "aws").symlink_to(source, target_is_directory=True)
    run(str(BIN / "ansible-galaxy"), "collection", "install", "--offline", "-p", str(user / "collections"),
        str(tarball), cwd=user, env=user_env)
    return target / "cloudresume" / "aws"


def members(tarball: Path) -> list[str]:
    with tarfile.open(tarball) as archive:
        return [m.name.removeprefix("./") for m in archive.getmembers() if m.isfile()]


def test_tarball_ships_the_collection_and_nothing_else(tarball: Path) -> None:
    names = members(tarball)
    for required in ("MANIFEST.json", "FILES.json", "meta/runtime.yml", "playbooks/site.yml", "files/lambda/counter.py",
                     "files/site/index.html", "roles/stack/meta/argument_specs.yml", "plugins/modules/dynamodb_table.py"):
        assert required in names
    unwanted = sorted(n for n in names if any(fnmatch.fnmatch(n, p) for p in FORBIDDEN))
    assert unwanted == []


def test_tarball_holds_no_secret(tarball: Path) -> None:
    with tarfile.open(tarball) as archive:
        leaks = [m.name for m in archive.getmembers()
                 if m.isfile() and SECRET.search(archive.extractfile(m).read().decode("utf-8", "replace"))]
    assert leaks == []


def test_installed_collection_is_the_tarball_not_the_checkout(
        installed: Path, user_env: dict[str, str], user: Path) -> None:
    assert not installed.is_symlink() and (installed / "MANIFEST.json").exists()
    listed = run(str(BIN / "ansible-galaxy"), "collection", "list", "cloudresume.aws", cwd=user, env=user_env).stdout
    assert str(user / "collections") in listed and str(ROOT) not in listed
    doc = run(str(BIN / "ansible-doc"), "cloudresume.aws.dynamodb_table", cwd=user, env=user_env).stdout
    assert str(installed) in doc


@pytest.fixture(scope="module")
def my_site(user: Path) -> Path:
    site = user / "my-site"
    site.mkdir()
    (site / "index.html").write_text(MY_PAGE)
    (site / "404.html").write_text("<!doctype html><title>Not found</title>\n")
    return site


def inventory(user: Path, emulator: Emulator, my_site: Path | None) -> Path:
    folder = user / ("inventory-own-site" if my_site else "inventory")
    (folder / "group_vars").mkdir(parents=True)
    (folder / "hosts.yml").write_text(
        "all:\n  hosts:\n    localhost:\n      ansible_connection: local\n"
        "      ansible_python_interpreter: \"{{ ansible_playbook_python }}\"\n")
    settings: dict[str, Any] = {
        "stack_name": "galaxy", "stack_region": "us-east-2",
        "stack_aws_endpoint_url": emulator.url, "stack_aws_access_key": "testing", "stack_aws_secret_key": "testing",
        "stack_outputs_file": str(folder / "outputs.json"),
    }
    if my_site:
        settings["static_site_source_dir"] = str(my_site)
    (folder / "group_vars" / "all.yml").write_text(yaml.safe_dump(settings))
    return folder


def deploy(user: Path, user_env: dict[str, str], folder: Path, *args: str) -> str:
    return run(str(BIN / "ansible-playbook"), "cloudresume.aws.site", "-i", str(folder), *args,
               cwd=user, env=user_env).stdout


def site_objects(emulator: Emulator, stack: str) -> dict[str, bytes]:
    s3 = emulator.client("s3")
    (bucket,) = [b["Name"] for b in s3.list_buckets()["Buckets"] if b["Name"].startswith(f"{stack}-site")]
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
    return {key: s3.get_object(Bucket=bucket, Key=key)["Body"].read() for key in keys}


def test_installed_collection_deploys_the_stack(installed: Path, emulator: Emulator, user: Path,
                                                user_env: dict[str, str]) -> None:
    deploy(user, user_env, inventory(user, emulator, None))
    function = emulator.client("lambda").get_function(FunctionName="galaxy-counter")
    assert function["Configuration"]["Handler"] == "counter.handler"
    assert emulator.client("dynamodb").describe_table(TableName="galaxy-visitors")["Table"]["TableStatus"] == "ACTIVE"
    objects = site_objects(emulator, "galaxy")
    assert objects["index.html"] == (installed / "files" / "site" / "index.html").read_bytes()


def test_user_points_the_site_at_their_own_folder(installed: Path, emulator: Emulator, user: Path,
                                                  user_env: dict[str, str], my_site: Path) -> None:
    """The same stack, its site layer pointed at the user's folder: the sample's files give way to the user's."""
    deploy(user, user_env, inventory(user, emulator, my_site), "--tags", "static_site")
    objects = site_objects(emulator, "galaxy")
    assert objects["index.html"].decode() == MY_PAGE
    assert "main.js" not in objects  # nothing of the sample site is left (older versions stay in the bucket)
