"""The layers reference each other as deployed (formerly the verify of the molecule scenario ``default``): the API's
CORS names the site's CloudFront origin, the page's config.json and CSP name the API's origin, the alarms notify the
stack's topic, the function names the stack's table, and the run's summary names every layer's resources."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from .conftest import ROOT, Emulator

# Lambda errors, Lambda throttles, API latency, DynamoDB read and write throttles.
ALARMS = 5


def read_stack(emulator: Emulator) -> dict[str, Any]:
    """The deployed stack read back from an emulator that holds only this stack."""
    cloudfront = emulator.client("cloudfront", region="us-east-1")
    summaries = cloudfront.list_distributions()["DistributionList"].get("Items", [])
    config = cloudfront.get_distribution_config(Id=summaries[0]["Id"])["DistributionConfig"]
    policy_id = config["DefaultCacheBehavior"]["ResponseHeadersPolicyId"]
    policy = cloudfront.get_response_headers_policy(Id=policy_id)["ResponseHeadersPolicy"]
    bucket = re.sub(r"\.s3\..*$", "", config["Origins"]["Items"][0]["DomainName"])
    apis = emulator.client("apigatewayv2").get_apis()["Items"]
    functions = emulator.client("lambda").list_functions()["Functions"]
    alarms = emulator.client("cloudwatch").describe_alarms()["MetricAlarms"]
    topics = emulator.client("sns").list_topics()["Topics"]
    return {
        "counts": {"distribution": len(summaries), "api": len(apis), "function": len(functions),
                   "table": len(emulator.client("dynamodb").list_tables()["TableNames"]), "topic": len(topics),
                   "dashboard": len(emulator.client("cloudwatch").list_dashboards()["DashboardEntries"])},
        "site_origin": f"https://{summaries[0]['DomainName']}",
        "api": apis[0],
        "csp": policy["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"],
        "config_json": json.loads(emulator.client("s3").get_object(Bucket=bucket, Key="config.json")["Body"].read()),
        "function_table": functions[0]["Environment"]["Variables"].get("COUNTER_TABLE_NAME"),
        "topic_arn": topics[0]["TopicArn"],
        "alarm_count": len(alarms),
        "alarm_actions": sorted({a for alarm in alarms for a in alarm["AlarmActions"] + alarm["OKActions"]}),
    }


def outputs_file(emulator: Emulator) -> Path:
    """The run's summary file (inventories/local: build/outputs-<port>.json under the directory the run started in)."""
    return Path(os.environ.get("PWD", str(ROOT))) / "build" / f"outputs-{emulator.port}.json"


def assert_layers_wired(emulator: Emulator, table: str = "cloudresume-visitors", outputs: Path | None = None) -> None:
    """``outputs``: the run's summary file, when the run did not write it where inventories/local does."""
    stack = read_stack(emulator)
    api_origin = stack["api"]["ApiEndpoint"]
    assert set(stack["counts"].values()) == {1}, stack
    assert stack["api"]["CorsConfiguration"]["AllowOrigins"] == [stack["site_origin"]], stack
    assert stack["config_json"]["counterUrl"] == f"{api_origin}/count", stack
    assert re.search(r"connect-src [^;]*" + re.escape(api_origin), stack["csp"]), stack
    assert stack["alarm_actions"] == [stack["topic_arn"]], stack
    assert stack["alarm_count"] == ALARMS, stack
    assert stack["function_table"] == table, stack

    summary = json.loads((outputs or outputs_file(emulator)).read_text())
    assert summary["region"] == "us-east-2" and summary["endpoint_url"] == emulator.url, summary
    assert summary["counter_db"]["table_name"] == table, summary
    assert re.match(r"^https://", summary["static_site"]["url"]), summary
    assert "counter_api" in summary and "monitoring" in summary, summary
