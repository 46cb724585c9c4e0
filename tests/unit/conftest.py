"""Unit-test helpers: run an Ansible module's main() in-process against moto (with the project's extensions)."""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import botocore.session
import pytest
from botocore.loaders import Loader
from botocore.loaders import create_loader
from moto import mock_aws

from emulator.extensions import install_all
from tests.unit.aws_calls import AwsCalls


# Every module run creates its own boto3 session, and each session parses botocore's JSON data again (endpoints.json,
# the endpoint rule sets, paginators, the list of services): most of this suite's time (173 s -> 81 s). Those are
# parsed once per test process and shared, as all the clients of one session share them. Service models (service-2)
# stay per session: botocore edits them in place (S3 strips /{Bucket} from its request URIs), and the emulator's
# request log and IAM layer read the unedited ones (shared, tests/unit/emulator caught it).
_SHARED: dict[tuple[Any, str], Any] = {}


class _SharedDataLoader(Loader):
    def load_data_with_path(self, name: str) -> Any:
        if name.endswith("/service-2"):
            return super().load_data_with_path(name)
        key = (tuple(self.search_paths), name)
        if key not in _SHARED:
            _SHARED[key] = super().load_data_with_path(name)
        return _SHARED[key]

    def list_available_services(self, type_name: str) -> list[str]:
        key = (tuple(self.search_paths), f"services/{type_name}")
        if key not in _SHARED:
            _SHARED[key] = super().list_available_services(type_name)
        return list(_SHARED[key])


def _shared_loader(search_path_string: str | None = None) -> Loader:
    """botocore's own loader for that data path, with the shared reads."""
    loader = create_loader(search_path_string)
    loader.__class__ = _SharedDataLoader
    return loader


botocore.session.create_loader = _shared_loader


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
