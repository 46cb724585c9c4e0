"""Unit-test helpers: run an Ansible module's main() in-process against moto (with the project's extensions)."""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from moto import mock_aws

from emulator.extensions import install_all
from tests.unit.aws_calls import AwsCalls


class ModuleExit(Exception):
    """Raised instead of sys.exit by exit_json/fail_json; ``result`` holds what the module returned."""

    def __init__(self, result: dict[str, Any], failed: bool) -> None:
        super().__init__(result.get("msg", ""))
        self.result = result
        self.failed = failed


@pytest.fixture
def aws() -> Iterator[None]:
    """moto in-process, with the emulator's extensions installed."""
    install_all()
    with mock_aws():
        yield


@pytest.fixture
def operations() -> Iterator[list[str]]:
    """Names of the AWS operations called while the fixture is active."""
    with AwsCalls() as calls:
        yield calls.operations


@pytest.fixture
def run_module(monkeypatch: pytest.MonkeyPatch):
    """``run_module(module, args, check_mode=False, diff=False) -> (result, failed)``."""
    from ansible.module_utils import basic
    from ansible.module_utils.common.text.converters import to_bytes

    def exit_json(self: Any, **kwargs: Any) -> None:
        raise ModuleExit(kwargs, failed=False)

    def fail_json(self: Any, msg: str, **kwargs: Any) -> None:
        raise ModuleExit({"msg": msg, **kwargs}, failed=True)

    monkeypatch.setattr(basic.AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", fail_json)

    def run(module: Any, args: dict[str, Any], check_mode: bool = False, diff: bool = False) -> tuple[dict, bool]:
        payload = {
            "ANSIBLE_MODULE_ARGS": {
                "region": "us-east-2",
                **args,
                "_ansible_check_mode": check_mode,
                "_ansible_diff": diff,
                "_ansible_remote_tmp": "/tmp",
                "_ansible_keep_remote_files": False,
            }
        }
        monkeypatch.setattr(basic, "_ANSIBLE_ARGS", to_bytes(json.dumps(payload)))
        monkeypatch.setattr(basic, "_ANSIBLE_PROFILE", "legacy", raising=False)
        with pytest.raises(ModuleExit) as caught:
            module.main()
        return caught.value.result, caught.value.failed

    return run
