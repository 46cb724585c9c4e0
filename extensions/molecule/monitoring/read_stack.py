"""Print, as one JSON document, what the monitoring layer deployed and how its metric filters match log lines.

Usage: read_stack.py <endpoint> <region> <names as JSON> <log lines as JSON>. The log lines are written to the
handler's log group, read back, and each metric filter's pattern is tested against them with TestMetricFilter.
"""
from __future__ import annotations

import json
import sys
import time

import boto3


def main(endpoint: str, region: str, names_json: str, lines_json: str) -> None:
    names, lines = json.loads(names_json), json.loads(lines_json)
    kw = {"endpoint_url": endpoint, "region_name": region, "aws_access_key_id": "testing",
          "aws_secret_access_key": "testing"}
    cw, logs, sns, kms = (boto3.client(s, **kw) for s in ("cloudwatch", "logs", "sns", "kms"))
    alarms = cw.describe_alarms(AlarmNamePrefix=names["stack"] + "-")["MetricAlarms"]
    topic = next(t["TopicArn"] for t in sns.list_topics()["Topics"] if t["TopicArn"].endswith(":" + names["topic"]))
    topic_attributes = sns.get_topic_attributes(TopicArn=topic)["Attributes"]
    key = kms.describe_key(KeyId=topic_attributes["KmsMasterKeyId"])["KeyMetadata"]
    key_policy = json.loads(kms.get_key_policy(KeyId=key["KeyId"], PolicyName="default")["Policy"])
    groups = {g["logGroupName"]: g for g in logs.describe_log_groups(logGroupNamePrefix="/aws/")["logGroups"]}
    group = names["function_log_group"]
    stream = f"verify-{int(time.time() * 1000)}"
    logs.create_log_stream(logGroupName=group, logStreamName=stream)
    now = int(time.time() * 1000)
    logs.put_log_events(logGroupName=group, logStreamName=stream,
                        logEvents=[{"timestamp": now, "message": line} for line in lines])
    stored = [e["message"] for e in logs.filter_log_events(logGroupName=group, logStreamNames=[stream])["events"]]
    filters = logs.describe_metric_filters(logGroupName=group)["metricFilters"]
    matches = {
        f["filterName"]: [m["eventMessage"] for m in
                          logs.test_metric_filter(filterPattern=f["filterPattern"], logEventMessages=stored)["matches"]]
        for f in filters
    }
    dashboard = json.loads(cw.get_dashboard(DashboardName=names["dashboard"])["DashboardBody"])
    api_id = next(a["ApiId"] for a in boto3.client("apigatewayv2", **kw).get_apis()["Items"] if a["Name"] == names["api"])
    distribution = boto3.client("cloudfront", **kw).list_distributions()["DistributionList"]["Items"][0]["Id"]
    print(json.dumps({"alarms": alarms, "topic_arn": topic, "topic": topic_attributes, "key": key,
                      "key_policy": key_policy, "log_groups": groups, "stored_lines": stored, "filters": filters,
                      "matches": matches, "dashboard": dashboard,
                      "widgets": widgets(dashboard), "api_id": api_id, "distribution_id": distribution}, default=str))


def widgets(dashboard: dict) -> dict:
    """Metric widgets by title: region, default stat and metrics as "Namespace Metric Dim=Value ... [stat]"."""
    found = {}
    for widget in dashboard["widgets"]:
        properties = widget["properties"]
        if widget["type"] != "metric":
            continue
        lines = []
        for metric in properties["metrics"]:
            options = metric[-1] if isinstance(metric[-1], dict) else {}
            parts = [p for p in metric if not isinstance(p, dict)]
            dimensions = " ".join(f"{k}={v}" for k, v in zip(parts[2::2], parts[3::2]))
            lines.append(f"{parts[0]} {parts[1]} {dimensions} [{options.get('stat', properties['stat'])}]".replace("  ", " "))
        found[properties["title"]] = {"region": properties["region"], "metrics": lines}
    return found


if __name__ == "__main__":
    main(*sys.argv[1:5])
