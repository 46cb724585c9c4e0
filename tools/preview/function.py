"""Run a deployed function's code in-process: its zip, its handler, its environment, one invocation at a time.

The function's AWS calls go where the preview's own calls go (``AWS_ENDPOINT_URL`` when the preview reads an
emulator), so the deployed code meets the deployed table. Only Python runtimes can run in-process.
"""
from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import sys
import threading
import time
import uuid
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any, TextIO

from .deployment import Function


class CannotRun(Exception):
    """The function cannot run in the preview (runtime, handler or package)."""


@contextlib.contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """``os.environ`` holds exactly the given extra values for the duration, then is restored."""
    saved = dict(os.environ)
    os.environ.update(values)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def context_for(function: Function, request_id: str) -> SimpleNamespace:
    """The Lambda context object's documented attributes."""
    deadline = time.monotonic() + function.timeout
    return SimpleNamespace(
        function_name=function.name, function_version=function.version, invoked_function_arn=function.arn,
        memory_limit_in_mb=function.memory_size, aws_request_id=request_id,
        log_group_name=f"/aws/lambda/{function.name}", log_stream_name=f"preview/[{function.version}]{request_id}",
        get_remaining_time_in_millis=lambda: max(0, int((deadline - time.monotonic()) * 1000)),
    )


class Runner:
    """Loads each function's package once per code hash and invokes its handler."""

    def __init__(self, fetch: Callable[[str], bytes], workdir: Path, aws_environment: dict[str, str],
                 log: TextIO) -> None:
        self._fetch = fetch
        self._workdir = workdir
        self._aws_environment = aws_environment
        self._log = log
        self._lock = threading.Lock()
        self._handlers: dict[tuple[str, ...], Callable[[dict[str, Any], Any], Any]] = {}

    def _environment(self, function: Function) -> dict[str, str]:
        region = function.arn.split(":")[3]
        return {
            **self._aws_environment, "AWS_REGION": region, "AWS_DEFAULT_REGION": region,
            "AWS_LAMBDA_FUNCTION_NAME": function.name, "AWS_LAMBDA_FUNCTION_VERSION": function.version,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.memory_size), **function.environment,
        }

    def _load(self, function: Function) -> Callable[[dict[str, Any], Any], Any]:
        if not function.runtime.startswith("python"):
            raise CannotRun(f"runtime {function.runtime} cannot run in-process (Python runtimes only)")
        module_name, _, attribute = function.handler.rpartition(".")
        if not module_name or not attribute:
            raise CannotRun(f"handler {function.handler!r} is not <module>.<function>")
        directory = self._workdir / function.code_sha256.replace("/", "_").replace("+", "-").rstrip("=")
        if not directory.exists():
            with zipfile.ZipFile(io.BytesIO(self._fetch(function.code_location))) as archive:
                archive.extractall(directory)
        source = directory / (module_name.replace(".", "/") + ".py")
        if not source.exists():
            raise CannotRun(f"handler module {module_name} is not in the package")
        spec = importlib.util.spec_from_file_location(f"_preview_{directory.name}_{module_name}", source)
        module: ModuleType = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        sys.path.insert(0, str(directory))
        try:
            spec.loader.exec_module(module)  # type: ignore[union-attr]
        finally:
            sys.path.remove(str(directory))
        return getattr(module, attribute)

    def invoke(self, function: Function, event: dict[str, Any]) -> Any:
        """The handler's return value; its exceptions propagate (the caller answers as API Gateway does)."""
        request_id = str(uuid.uuid4())
        with self._lock, environment(self._environment(function)), contextlib.redirect_stdout(self._log):
            # A new package or a new configuration gets a new execution environment, as on Lambda.
            key = (function.code_sha256, *sorted(f"{k}={v}" for k, v in function.environment.items()))
            handler = self._handlers.get(key)
            if handler is None:
                handler = self._handlers[key] = self._load(function)
            self._log.write(f"START RequestId: {request_id} Version: {function.version}\n")
            try:
                return handler(event, context_for(function, request_id))
            finally:
                self._log.write(f"END RequestId: {request_id}\n")
                self._log.flush()
