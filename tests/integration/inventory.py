"""Every resource of the stack's kinds an account holds, by name: what a teardown leaves behind is compared with
what the account held before the stack was deployed (only the data may be added, nothing may be gone)."""
from __future__ import annotations

from typing import Any

from .conftest import Emulator


def _all(client: Any, operation: str, key: str, **kwargs: Any) -> list[dict[str, Any]]:
    """Every item of a paginated listing."""
    return [item for page in client.get_paginator(operation).paginate(**kwargs) for item in page[key]]


def stack_resources(emulator: Emulator) -> dict[str, list[str]]:
    """Every resource of the stack's kinds the account holds in us-east-2 and globally (by name), data stores
    included; keys pending deletion and the AWS managed keys (moto makes alias/aws/dynamodb) are not counted. With a
    custom domain: the certificates (us-east-1 for CloudFront, us-east-2 for the API), the API Gateway domain names
    and every record of every hosted zone (the zones themselves are the user's)."""
    cloudfront = emulator.client("cloudfront", region="us-east-1")
    route53 = emulator.client("route53", region="us-east-1")
    logs, keys, cloudwatch, sns = (emulator.client(s) for s in ("logs", "kms", "cloudwatch", "sns"))
    managed = {a["TargetKeyId"] for a in _all(keys, "list_aliases", "Aliases")
               if a["AliasName"].startswith("alias/aws/") and "TargetKeyId" in a}
    return {
        "distributions": [d["Id"] for page in cloudfront.get_paginator("list_distributions").paginate()
                          for d in page["DistributionList"].get("Items", [])],
        "origin access controls": [o["Name"] for page in cloudfront.get_paginator("list_origin_access_controls")
                                   .paginate() for o in page["OriginAccessControlList"].get("Items", [])],
        "headers policies": [p["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"]["Name"] for p in
                             cloudfront.list_response_headers_policies(Type="custom")
                             ["ResponseHeadersPolicyList"].get("Items", [])],
        "apis": [a["Name"] for a in _all(emulator.client("apigatewayv2"), "get_apis", "Items")],
        "functions": [f["FunctionName"] for f in _all(emulator.client("lambda"), "list_functions", "Functions")],
        "roles": [r["RoleName"] for r in _all(emulator.client("iam"), "list_roles", "Roles")],
        "log groups": [g["logGroupName"] for g in _all(logs, "describe_log_groups", "logGroups")],
        "metric filters": [f"{f['logGroupName']} {f['filterName']}"
                           for f in _all(logs, "describe_metric_filters", "metricFilters")],
        "alarms": [a["AlarmName"] for a in _all(cloudwatch, "describe_alarms", "MetricAlarms")],
        "dashboards": [d["DashboardName"] for d in _all(cloudwatch, "list_dashboards", "DashboardEntries")],
        "topics": [t["TopicArn"] for t in _all(sns, "list_topics", "Topics")],
        "subscriptions": [s["SubscriptionArn"] for s in _all(sns, "list_subscriptions", "Subscriptions")],
        "usable keys": [k["KeyId"] for k in _all(keys, "list_keys", "Keys") if k["KeyId"] not in managed
                        and keys.describe_key(KeyId=k["KeyId"])["KeyMetadata"]["KeyState"] != "PendingDeletion"],
        "tables": _all(emulator.client("dynamodb"), "list_tables", "TableNames"),
        "buckets": [b["Name"] for b in emulator.client("s3").list_buckets()["Buckets"]],
        "certificates": [c["CertificateArn"] for region in ("us-east-1", "us-east-2") for c in
                         _all(emulator.client("acm", region=region), "list_certificates", "CertificateSummaryList")],
        "api domain names": [d["DomainName"] for d in emulator.client("apigatewayv2").get_domain_names()["Items"]],
        "records": [f"{z['Name']} {r['Name']} {r['Type']}" for z in _all(route53, "list_hosted_zones", "HostedZones")
                    for r in _all(route53, "list_resource_record_sets", "ResourceRecordSets", HostedZoneId=z["Id"])],
    }


def difference(now: dict[str, list[str]], before: dict[str, list[str]]) -> dict[str, dict[str, list[str]]]:
    """What the account holds beyond ``before`` ("added") and what of ``before`` it no longer holds ("gone"), by
    kind; kinds with neither are left out."""
    added = {kind: sorted(set(names) - set(before.get(kind, []))) for kind, names in now.items()}
    gone = {kind: sorted(set(names) - set(now.get(kind, []))) for kind, names in before.items()}
    return {"added": {k: v for k, v in added.items() if v}, "gone": {k: v for k, v in gone.items() if v}}
