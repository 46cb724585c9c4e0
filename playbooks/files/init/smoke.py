"""Smoke test of the deployed résumé, from the run's summary (build/outputs.json): the page answers 200 with its
security headers, config.json names the counter, and the counter increments (this counts one visit).

    python3 scripts/smoke.py build/outputs.json [--wait SECONDS]

The site's and the counter's URLs are read from the summary (static_site.url, static_site.counter_url), so the
same script checks any deployment the summary describes. Standard library only. Exit status 0 when every check
passes, 1 otherwise (each failure is printed).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
from typing import Any, Dict, List, Optional, Tuple

HEADERS = {
    "strict-transport-security": "max-age=",
    "content-security-policy": "default-src",
    "x-content-type-options": "nosniff",
    "x-frame-options": "",
    "referrer-policy": "",
}
TIMEOUT = 20


def request(url: str, method: str = "GET") -> Tuple[int, Dict[str, str], bytes]:
    req = urllib.request.Request(url, method=method, headers={"User-Agent": "cloudresume-smoke/1"})
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as response:  # noqa: S310 - the deployment's own URLs
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def urls(summary: Dict[str, Any]) -> Tuple[str, str]:
    site = summary.get("static_site") or {}
    page, counter = site.get("url") or "", site.get("counter_url") or ""
    if not page.startswith(("https://", "http://")) or not counter.startswith(("https://", "http://")):
        raise ValueError("the summary has no deployed site URL and counter URL (static_site.url, static_site.counter_url)")
    return page.rstrip("/") + "/", counter


def check_page(page: str) -> List[str]:
    status, headers, body = request(page)
    problems = [] if status == 200 else [f"GET {page}: status {status}, expected 200"]
    problems += [f"GET {page}: header {name} missing or without {part!r}" for name, part in HEADERS.items()
                 if part not in headers.get(name, "\0")]
    if b'id="visitor-count"' not in body:
        problems.append(f"GET {page}: the page has no visitor-count element")
    return problems


def count_of(body: bytes) -> Optional[int]:
    try:
        value = json.loads(body).get("count")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def check_counter(page: str, counter: str) -> List[str]:
    status, _headers, body = request(page + "config.json")
    if status != 200:
        return [f"GET {page}config.json: status {status}, expected 200"]
    try:
        named = json.loads(body).get("counterUrl")
    except (ValueError, AttributeError):
        named = None
    if named != counter:
        return [f"config.json names the counter {named!r}, the summary {counter!r}"]
    status, _headers, body = request(counter)
    before = count_of(body)
    if status != 200 or before is None:
        return [f"GET {counter}: status {status}, body {body[:200]!r}, expected 200 and a count"]
    status, _headers, body = request(counter, "POST")
    after = count_of(body)
    if status != 200 or after is None or after <= before:
        return [f"POST {counter}: status {status}, body {body[:200]!r}, expected 200 and a count above {before}"]
    print(f"counter: {before} -> {after}")
    return []


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("summary", nargs="?", default="build/outputs.json", help="the run's summary (outputs.json)")
    parser.add_argument("--wait", type=float, default=0, help="retry the page for up to this many seconds")
    args = parser.parse_args(argv)
    try:
        with open(args.summary, encoding="utf-8") as handle:
            page, counter = urls(json.load(handle))
    except (OSError, ValueError) as error:
        print(f"{args.summary}: {error}", file=sys.stderr)
        return 1
    deadline = time.monotonic() + args.wait
    while True:
        try:
            problems = check_page(page)
        except OSError as error:  # DNS or connection: a new distribution may not answer yet
            problems = [f"GET {page}: {error}"]
        if not problems or time.monotonic() >= deadline:
            break
        time.sleep(15)
    if not problems:
        problems = check_counter(page, counter)
    for problem in problems:
        print(f"FAIL {problem}", file=sys.stderr)
    if not problems:
        print(f"OK {page}: 200 with its security headers; the counter increments")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
