"""Shared test set-up: import paths for the collection and the development tools (tools/), dummy AWS credentials."""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COLLECTIONS = ROOT / ".venv" / "collections"

for path in (str(ROOT), str(ROOT / "tools"), str(COLLECTIONS)):
    if path not in sys.path:
        sys.path.insert(0, path)

# Never reach a real account from tests.
for key, value in {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-2",
    "AWS_REGION": "us-east-2",
}.items():
    os.environ[key] = value
os.environ.pop("AWS_PROFILE", None)
