"""Run the real handler (files/lambda/counter.py) once against the emulator and print its log line.

Usage: run_handler.py <lambda dir> <METHOD> <path>; the table, counter id and endpoint come from the environment
(COUNTER_TABLE_NAME, COUNTER_ID, AWS_ENDPOINT_URL, ...), as in the function's configuration.
"""
from __future__ import annotations

import sys
import types
import uuid


def main(lambda_dir: str, method: str, path: str) -> None:
    sys.path.insert(0, lambda_dir)
    import counter  # noqa: PLC0415 - the handler reads its configuration at import

    request_id = str(uuid.uuid4())
    event = {
        "version": "2.0", "routeKey": "$default", "rawPath": path, "headers": {}, "isBase64Encoded": False,
        "requestContext": {"http": {"method": method, "path": path}, "requestId": request_id},
    }
    counter.handler(event, types.SimpleNamespace(aws_request_id=request_id))


if __name__ == "__main__":
    main(*sys.argv[1:4])
