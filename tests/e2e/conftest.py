"""Browser tests against the preview of a deployed stack, on their own emulator (port 4625) and preview (4626/4627).

The stack is deployed by ``ansible-playbook site.yml -i inventories/local``, exactly as a user deploys it.
Chromium is Debian's (/usr/bin/chromium), driven by Playwright through ``executable_path``;
tools/scripts/install-browser-deps installs all of it. Artifacts go to build/artifacts/.
"""
from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from preview.server import Preview, Settings
from servers import free_ports

ROOT = Path(__file__).resolve().parents[2]

EMULATOR_PORT, SITE_PORT, API_PORT = free_ports(3)
ENDPOINT = f"http://127.0.0.1:{EMULATOR_PORT}"
REGION = "us-east-2"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "build" / "artifacts"
AWS_ENV = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": REGION,
           "AWS_DEFAULT_REGION": REGION}


def _emulator(command: str) -> None:
    subprocess.run([str(ROOT / "tools" / "scripts" / "emulator"), command, "--port", str(EMULATOR_PORT)], check=True,
                   stdout=subprocess.DEVNULL)


def deploy() -> str:
    env = {**os.environ, **AWS_ENV, "EMULATOR_PORT": str(EMULATOR_PORT),
           "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
           "ANSIBLE_COLLECTIONS_PATH": str(ROOT / ".venv" / "collections")}
    # Pipes of its own: ansible-playbook refuses non-blocking stdio, which tools run earlier (npm) may leave behind.
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "ansible-playbook"), "site.yml", "-i", "inventories/local"],
                          cwd=ROOT, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return "ansible-playbook site.yml"


@pytest.fixture(scope="session")
def aws_session() -> boto3.session.Session:
    os.environ.update(AWS_ENV)
    session = boto3.session.Session(region_name=REGION)
    original = session.client
    session.client = lambda name, **kw: original(name, endpoint_url=ENDPOINT, **kw)  # type: ignore[method-assign]
    return session


@pytest.fixture(scope="session")
def preview(aws_session: boto3.session.Session) -> Iterator[Preview]:
    _emulator("start")
    _emulator("reset")
    how = deploy()
    print(f"\ndeployed with {how}")
    server = Preview(Settings(stack_name="cloudresume", api_name="cloudresume-api", region=REGION,
                              endpoint_url=ENDPOINT, site_port=SITE_PORT, api_port=API_PORT,
                              state_dir=ROOT / "build" / "preview" / "e2e"))
    server.start()
    try:
        yield server
    finally:
        server.stop()
        _emulator("stop")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def site_url(preview: Preview) -> str:
    return preview.settings.site_url
