"""The deployed stack as a visitor sees it, in Chromium, through the preview. Tests run in file order: the last
one takes the preview's API down."""
from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

from tests.e2e.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS, ROOT

LIGHTHOUSE = ROOT / ".cache" / "browser-deps" / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
MAX_FIRST_VIEW_BYTES = 30 * 1024


def visit(context: Any, url: str, requests: list[str] | None = None) -> tuple[Any, str]:
    """Open the page, wait for the counter to settle; returns the page and the counter's state."""
    page = context.new_page()
    if requests is not None:
        page.on("request", lambda request: requests.append(request.url))
    page.goto(url)
    # Waits by selector: the deployed CSP forbids eval, so no wait_for_function.
    page.wait_for_selector("#visitor-count:not([data-state=pending])", timeout=10_000)
    return page, page.get_attribute("#visitor-count", "data-state")


def count_of(page: Any) -> int:
    return int(page.text_content("#visitor-count").replace(",", ""))


def test_counter_counts_a_session_once_and_matches_the_table(browser, site_url, preview, aws_session):
    requests: list[str] = []
    first = browser.new_context()
    page, state = visit(first, site_url + "/", requests)
    assert state == "ready"
    assert page.locator("h1").text_content() == "Jordan Rivera"
    count = count_of(page)
    page.reload()
    page.wait_for_selector("#visitor-count[data-state=ready]")
    assert count_of(page) == count, "a reload in the same session must not count again"
    second = browser.new_context()
    page2, _requests = visit(second, site_url + "/", requests)
    assert count_of(page2) == count + 1, "a new browser session counts one visit"
    item = aws_session.client("dynamodb").get_item(TableName="cloudresume-visitors",
                                                   Key={"counter_id": {"S": "visitors"}})["Item"]
    assert int(item["count"]["N"]) == count + 1
    local = (preview.settings.site_url + "/", preview.settings.api_url + "/")
    assert requests and all(url.startswith(local) for url in requests), requests
    first.close()
    second.close()


def test_missing_page_is_the_styled_404(browser, site_url):
    context = browser.new_context()
    page = context.new_page()
    response = page.goto(site_url + "/missing")
    assert response.status == 404
    assert page.title().startswith("Page not found")
    assert page.locator(".masthead").evaluate("e => getComputedStyle(e).borderBottomStyle") == "solid"
    context.close()


def test_security_headers_come_from_the_headers_policy(browser, site_url, preview):
    context = browser.new_context()
    headers = context.new_page().goto(site_url + "/").headers
    assert headers["strict-transport-security"].startswith("max-age=31536000")
    assert "includesubdomains" in headers["strict-transport-security"].lower()
    assert preview.settings.api_url in headers["content-security-policy"].split("connect-src", 1)[1].split(";")[0]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    context.close()


def test_screenshots_desktop_and_mobile(browser, site_url):
    for name, viewport in {"desktop": (1280, 900), "mobile": (390, 844)}.items():
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        page, state = visit(context, site_url + "/")
        assert state == "ready"
        path = ARTIFACTS / f"resume-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000
        context.close()


def test_lighthouse_scores_and_page_weight(preview, site_url):
    report_path = ARTIFACTS / "lighthouse.json"
    started = time.monotonic()
    subprocess.run(
        ["node", str(LIGHTHOUSE), site_url + "/", "--quiet", "--output=json", f"--output-path={report_path}",
         f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={' '.join(CHROMIUM_FLAGS)}"],
        check=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=240,
        stdin=subprocess.DEVNULL, capture_output=True,  # node would leave the shared pipes non-blocking
    )
    report = json.loads(report_path.read_text())
    scores = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    weight = report["audits"]["total-byte-weight"]["numericValue"]
    requests = report["audits"]["network-requests"]["details"]["items"]
    print(f"\nlighthouse {report['lighthouseVersion']} ({time.monotonic() - started:.0f}s): "
          + ", ".join(f"{k} {v}" for k, v in scores.items())
          + f"; first view {weight:.0f} bytes in {len(requests)} requests")
    Path(ARTIFACTS / "lighthouse-summary.json").write_text(json.dumps(
        {"scores": scores, "bytes": weight, "requests": [r["url"] for r in requests]}, indent=2))
    failing = {k: v for k, v in scores.items() if v < 95}
    assert not failing, f"Lighthouse categories under 95: {failing}"
    assert weight <= MAX_FIRST_VIEW_BYTES


def test_api_down_leaves_the_placeholder_without_errors(browser, site_url, preview):
    preview.stop_api()
    context = browser.new_context()
    page = context.new_page()
    messages: list[Any] = []
    errors: list[Any] = []

    # Playwright inspects the handler's signature, which a bound built-in like list.append does not have.
    def on_console(message: Any) -> None:
        messages.append(message)

    def on_page_error(error: Any) -> None:
        errors.append(error)

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    page.goto(site_url + "/")
    page.wait_for_selector("#visitor-count[data-state=unavailable]", timeout=10_000)
    assert page.text_content("#visitor-count") == "–"
    assert page.locator("h1").is_visible()
    assert not errors
    # Chromium itself reports the refused connection; the page adds nothing of its own.
    assert all(m.text.startswith("Failed to load resource") for m in messages), [m.text for m in messages]
    context.close()
