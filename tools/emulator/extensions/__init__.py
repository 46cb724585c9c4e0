"""Extensions of moto for calls the stack makes and moto lacks or gets wrong.

Each module in this package defines ``install() -> None``, which patches moto's backends, responses and
URL routes in the shape AWS documents (botocore parses every response, so the shape is checked).
``install_all()`` is idempotent and is called by the server before it builds its app, and by the unit
tests' conftest before ``mock_aws`` so in-process tests see the same behaviour. Every extension is listed
in docs/emulator-gaps.md with its boto3 round-trip test.
"""
from __future__ import annotations

import importlib
import pkgutil

_installed = False


def install_all() -> None:
    global _installed
    if _installed:
        return
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        importlib.import_module(f"{__name__}.{info.name}").install()
    _installed = True
