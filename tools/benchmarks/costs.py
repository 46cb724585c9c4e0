"""The monthly cost of a deployed stack, read from the account (or the emulator), at list price and with the
always-free tiers: the tables of docs/costs.md, so that they cannot drift from what the roles deploy.

    tools/scripts/costs [--outputs build/outputs.json] [--write docs/costs.md | --check docs/costs.md]

The stack, region and endpoint come from the deploy's summary (``--outputs``, or ``--stack``/``--region``/
``--endpoint-url``); everything priced is read from AWS: the function's memory, architecture and tracing, the HTTP
API, the table's billing mode, PITR and size, the site's files (requests and bytes per visit), the alarms that
notify the stack's topic, the dashboard, the custom metrics of the metric filters, the log groups' retention, the
topic's encryption key and who manages it. Unit prices and free tiers are in PRICES below, with their source.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError, NoCredentialsError

BEGIN, END = "<!-- costs:begin (tools/scripts/costs --write docs/costs.md) -->", "<!-- costs:end -->"
VISITS = (1_000, 10_000, 1_000_000)
GB = 1024 ** 3

# AWS's public on-demand list prices for us-east-2 (us-east-1 is the same for every line), USD before tax, from the
# service pricing pages (aws.amazon.com/<service>/pricing) as published in 2025, DynamoDB after its November 2024
# on-demand reduction. "free" is the always-free tier (the tiers that do not expire after 12 months), per account
# and month; API Gateway's and S3's free tiers last 12 months and are never applied.
PRICES: dict[str, dict[str, float]] = {
    "lambda_requests": {"unit": 0.20 / 1e6, "free": 1_000_000},
    "lambda_gb_seconds": {"unit": 0.0000166667, "free": 400_000},
    "lambda_gb_seconds_arm64": {"unit": 0.0000133334, "free": 400_000},
    "http_api_requests": {"unit": 1.00 / 1e6, "free": 0},
    "dynamodb_write_units": {"unit": 0.625 / 1e6, "free": 0},
    "dynamodb_storage_gb": {"unit": 0.25, "free": 25},
    "dynamodb_pitr_gb": {"unit": 0.20, "free": 0},
    "cloudfront_gb_out": {"unit": 0.085, "free": 1024},
    "cloudfront_https_requests": {"unit": 0.0100 / 10_000, "free": 10_000_000},
    "s3_get_requests": {"unit": 0.0004 / 1000, "free": 0},
    "s3_storage_gb": {"unit": 0.023, "free": 0},
    "logs_ingested_gb": {"unit": 0.50, "free": 5},
    "logs_stored_gb": {"unit": 0.03, "free": 0},  # the 5 GB always-free cover ingestion and storage together
    "dashboards": {"unit": 3.00, "free": 3},
    "alarms": {"unit": 0.10, "free": 10},
    "custom_metrics": {"unit": 0.30, "free": 10},
    "kms_customer_keys": {"unit": 1.00, "free": 0},
    "xray_traces": {"unit": 5.00 / 1e6, "free": 100_000},
}
# The traffic model: what one visit costs besides the site's files (docs/costs.md, "What one visit does").
LAMBDA_MS_PER_VISIT = 25          # one UpdateItem; billed in 1 ms steps
LOG_BYTES_PER_VISIT = 1024        # the handler's JSON line, START/END/REPORT, the API's access-log line
CLOUDFRONT_MISS_RATE = 0.05       # S3 GETs: CloudFront misses only
UNEXPIRING_LOG_MONTHS = 12        # a log group that never expires is modelled at a year of logs


@dataclass
class Clients:
    """boto3 clients of one region and endpoint (credentials from the environment, as the AWS CLI finds them)."""
    region: str
    endpoint: str | None

    def client(self, service: str) -> Any:
        return boto3.client(service, region_name=self.region, endpoint_url=self.endpoint)


@dataclass
class Stack:
    """What the account holds for the stack: the settings that decide its bill."""
    name: str
    region: str
    memory_mb: int = 0
    arm64: bool = False
    tracing: bool = False
    http_api: bool = False
    table: bool = False
    pitr: bool = False
    table_bytes: int = 0
    site_files: int = 0
    site_bytes: int = 0
    bucket_bytes: int = 0
    distribution: bool = False
    alarms: int = 0
    dashboard: bool = False
    custom_metrics: int = 0
    retention_days: list[int | None] = field(default_factory=list)
    topic: bool = False
    topic_key: str = "none"  # none, AWS managed, customer managed


def _exists(call: Any, *missing: str) -> Any:
    try:
        return call()
    except ClientError as error:
        if error.response["Error"]["Code"] in missing:
            return None
        raise


def _pages(client: Any, operation: str, key: str, **kwargs: Any) -> list[Any]:
    return [item for page in client.get_paginator(operation).paginate(**kwargs) for item in page.get(key, [])]


def read_stack(session: Clients, name: str, region: str) -> Stack:
    """The stack's resources by the names roles/stack/defaults/main.yml gives them, and their settings."""
    stack, function = Stack(name, region), f"{name}-counter"
    client = session.client
    config = _exists(lambda: client("lambda").get_function_configuration(FunctionName=function), "ResourceNotFoundException")
    if config:
        stack.memory_mb, stack.arm64 = config["MemorySize"], config.get("Architectures", ["x86_64"]) == ["arm64"]
        stack.tracing = config.get("TracingConfig", {}).get("Mode") == "Active"
    stack.http_api = any(api["Name"] == f"{name}-api" for api in _pages(client("apigatewayv2"), "get_apis", "Items"))
    read_table(client("dynamodb"), stack, f"{name}-visitors")
    read_site(client("cloudfront"), client("s3"), stack, f"{name} résumé site ({region})")
    read_monitoring(session, stack, function)
    return stack


def read_table(dynamodb: Any, stack: Stack, table: str) -> None:
    described = _exists(lambda: dynamodb.describe_table(TableName=table)["Table"], "ResourceNotFoundException")
    if described:
        stack.table, stack.table_bytes = True, described.get("TableSizeBytes", 0)
        backups = dynamodb.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"]
        stack.pitr = backups.get("PointInTimeRecoveryDescription", {}).get("PointInTimeRecoveryStatus") == "ENABLED"


def read_site(cloudfront: Any, s3: Any, stack: Stack, comment: str) -> None:
    """The distribution (by its comment) and its bucket's current files: a visit loads each page file once."""
    items = cloudfront.list_distributions()["DistributionList"].get("Items", [])
    found = [d for d in items if d.get("Comment") == comment]
    if not found:
        return
    stack.distribution = True
    bucket = found[0]["Origins"]["Items"][0]["DomainName"].split(".s3.", 1)[0]
    objects = _pages(s3, "list_objects_v2", "Contents", Bucket=bucket)
    page_files = [o for o in objects if o["Key"] != "404.html"]  # the error page is served only on a miss
    stack.site_files, stack.site_bytes = len(page_files), sum(o["Size"] for o in page_files)
    stack.bucket_bytes = sum(v["Size"] for v in _pages(s3, "list_object_versions", "Versions", Bucket=bucket))


def read_monitoring(session: Clients, stack: Stack, function: str) -> None:
    account = session.client("sts").get_caller_identity()["Account"]
    topic_arn = f"arn:aws:sns:{stack.region}:{account}:{stack.name}-alarms"
    attributes = _exists(lambda: session.client("sns").get_topic_attributes(TopicArn=topic_arn)["Attributes"], "NotFound")
    if attributes is not None:
        stack.topic = True
        key = attributes.get("KmsMasterKeyId")
        if key:
            manager = session.client("kms").describe_key(KeyId=key)["KeyMetadata"]["KeyManager"]
            stack.topic_key = "customer managed" if manager == "CUSTOMER" else "AWS managed"
    cloudwatch = session.client("cloudwatch")
    alarms = _pages(cloudwatch, "describe_alarms", "MetricAlarms", AlarmNamePrefix=f"{stack.name}-")
    stack.alarms = sum(1 for a in alarms if topic_arn in a.get("AlarmActions", []))
    stack.dashboard = _exists(lambda: cloudwatch.get_dashboard(DashboardName=f"{stack.name}-{stack.region}"),
                              "ResourceNotFound", "ResourceNotFoundException") is not None
    logs = session.client("logs")
    groups = [f"/aws/lambda/{function}", f"/aws/apigateway/{stack.name}-api/access"]
    for group in groups:
        found = [g for g in _pages(logs, "describe_log_groups", "logGroups", logGroupNamePrefix=group) if g["logGroupName"] == group]
        if found:
            stack.retention_days.append(found[0].get("retentionInDays"))
    if stack.retention_days:
        filters = _pages(logs, "describe_metric_filters", "metricFilters", logGroupName=groups[0])
        stack.custom_metrics = len({(t["metricNamespace"], t["metricName"]) for f in filters for t in f["metricTransformations"]})


def charge(item: str, quantity: float, free_tier: bool) -> float:
    price = PRICES[item]
    return max(quantity - (price["free"] if free_tier else 0), 0) * price["unit"]


def lines(stack: Stack, visits: int, free_tier: bool) -> list[tuple[str, float]]:
    """(line, monthly USD) for one traffic level."""
    api_visits = visits if stack.http_api and stack.memory_mb else 0
    gb_seconds = api_visits * LAMBDA_MS_PER_VISIT / 1000 * stack.memory_mb / 1024
    log_gb = (api_visits * LOG_BYTES_PER_VISIT / GB) if stack.retention_days else 0
    months_kept = [UNEXPIRING_LOG_MONTHS if days is None else days / 30 for days in stack.retention_days]
    stored_log_gb = log_gb * max(months_kept, default=0)
    fixed = {"dashboards": int(stack.dashboard), "alarms": stack.alarms, "custom_metrics": stack.custom_metrics}
    site_visits = visits if stack.distribution else 0
    rows = [
        ("Lambda requests", charge("lambda_requests", api_visits, free_tier)),
        (f"Lambda duration ({stack.memory_mb} MB, {LAMBDA_MS_PER_VISIT} ms a visit)",
         charge("lambda_gb_seconds_arm64" if stack.arm64 else "lambda_gb_seconds", gb_seconds, free_tier)),
        ("API Gateway HTTP API requests", charge("http_api_requests", api_visits, free_tier)),
        ("DynamoDB on-demand writes", charge("dynamodb_write_units", api_visits if stack.table else 0, free_tier)),
        ("DynamoDB storage" + (" and PITR" if stack.pitr else ""),
         charge("dynamodb_storage_gb", stack.table_bytes / GB, free_tier)
         + (charge("dynamodb_pitr_gb", stack.table_bytes / GB, free_tier) if stack.pitr else 0)),
        ("CloudFront data out", charge("cloudfront_gb_out", site_visits * stack.site_bytes / GB, free_tier)),
        ("CloudFront HTTPS requests", charge("cloudfront_https_requests", site_visits * stack.site_files, free_tier)),
        ("S3 GET requests (CloudFront misses)",
         charge("s3_get_requests", site_visits * stack.site_files * CLOUDFRONT_MISS_RATE, free_tier)),
        ("S3 storage (all object versions)", charge("s3_storage_gb", stack.bucket_bytes / GB, free_tier)),
        ("CloudWatch Logs ingestion and storage",
         charge("logs_ingested_gb", log_gb + stored_log_gb, free_tier) if free_tier
         else charge("logs_ingested_gb", log_gb, False) + charge("logs_stored_gb", stored_log_gb, False)),
        (f"CloudWatch dashboard ({fixed['dashboards']})", charge("dashboards", fixed["dashboards"], free_tier)),
        (f"CloudWatch alarms ({fixed['alarms']})", charge("alarms", fixed["alarms"], free_tier)),
        (f"Custom metrics of the metric filters ({fixed['custom_metrics']})",
         charge("custom_metrics", fixed["custom_metrics"], free_tier)),
        ("KMS customer managed key of the alarm topic",
         charge("kms_customer_keys", int(stack.topic_key == "customer managed"), free_tier)),
        ("X-Ray traces", charge("xray_traces", api_visits if stack.tracing else 0, free_tier)),
    ]
    return rows


def money(value: float, total: bool = False) -> str:
    if value == 0:
        return "$0"
    return f"**${value:.2f}**" if total else f"${value:.4f}"


def settings(stack: Stack) -> list[str]:
    retention = ", ".join(sorted({"never expires" if d is None else f"{d} days" for d in stack.retention_days})) or "none"
    return [
        f"- Function: {stack.memory_mb} MB, {'arm64' if stack.arm64 else 'x86_64'}, X-Ray tracing "
        f"{'Active' if stack.tracing else 'off'}; HTTP API {'deployed' if stack.http_api else 'absent'}",
        f"- Table: {'on-demand' if stack.table else 'absent'}, PITR {'on' if stack.pitr else 'off'}, "
        f"{stack.table_bytes} bytes",
        f"- Site: {stack.site_files} files a visit loads, {stack.site_bytes} bytes"
        + ("" if stack.distribution else " (no distribution)"),
        f"- Monitoring: {stack.alarms} alarms, dashboard {'yes' if stack.dashboard else 'no'}, "
        f"{stack.custom_metrics} custom metrics, log retention {retention}",
        f"- Alarm topic: {'present' if stack.topic else 'absent'}, encryption key: {stack.topic_key}",
    ]


def render(stack: Stack) -> str:
    tables = {free: [lines(stack, v, free) for v in VISITS] for free in (False, True)}
    head = ["Line", *(f"{v:,} visits, list" for v in VISITS), *(f"{v:,}, always-free" for v in VISITS)]
    out = ["The deployed configuration read from the account:", "", *settings(stack), "",
           "| " + " | ".join(head) + " |", "| --- |" + " ---: |" * (len(head) - 1)]
    for index, (label, _) in enumerate(tables[False][0]):
        cells = [money(tables[free][level][index][1]) for free in (False, True) for level in range(len(VISITS))]
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    totals = [money(sum(c for _, c in tables[free][level]), total=True) for free in (False, True) for level in range(len(VISITS))]
    out.append("| **Total** | " + " | ".join(totals) + " |")
    return "\n".join(out) + "\n"


def replace_block(document: str, block: str) -> str:
    before, rest = document.split(BEGIN, 1)
    _, after = rest.split(END, 1)
    return f"{before}{BEGIN}\n{block}{END}{after}"


def arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="tools/scripts/costs", description=__doc__.split("\n\n")[0])
    parser.add_argument("--outputs", type=Path, help="the deploy's summary (stack, region, endpoint), e.g. build/outputs.json")
    parser.add_argument("--stack", help="stack_name (default: from --outputs, else cloudresume)")
    parser.add_argument("--region", help="stack_region (default: from --outputs, else AWS_REGION)")
    parser.add_argument("--endpoint-url", help="AWS endpoint (default: from --outputs; none for AWS itself)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", type=Path, help="replace the generated block of this file (docs/costs.md)")
    mode.add_argument("--check", type=Path, help="exit 1 when this file's generated block differs")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = arguments(argv)
    summary = json.loads(args.outputs.read_text()) if args.outputs else {}
    name = args.stack or summary.get("stack") or "cloudresume"
    region = args.region or summary.get("region") or os.environ.get("AWS_REGION", "")
    endpoint = args.endpoint_url or summary.get("endpoint_url") or None
    try:
        block = render(read_stack(Clients(region, endpoint), name, region))
    except NoCredentialsError:
        sys.exit("No AWS credentials: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (any value for the emulator)")
    if args.write:
        args.write.write_text(replace_block(args.write.read_text(), block))
    elif args.check:
        if replace_block(args.check.read_text(), block) != args.check.read_text():
            print(f"{args.check} does not match the deployed configuration; run tools/scripts/costs --write {args.check}:\n")
            print(block)
            return 1
    else:
        print(block, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
