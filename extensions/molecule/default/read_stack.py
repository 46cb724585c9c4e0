"""Read the deployed stack back from the emulator as one JSON document (for verify.yml)."""
from __future__ import annotations

import json
import re
import sys

import boto3


def main(endpoint: str, region: str, stack: str) -> dict:
    def client(service: str, region_name: str = region):
        return boto3.client(service, endpoint_url=endpoint, region_name=region_name,
                            aws_access_key_id="testing", aws_secret_access_key="testing")

    cloudfront = client("cloudfront", "us-east-1")
    summaries = cloudfront.list_distributions()["DistributionList"].get("Items", [])
    distribution = summaries[0]
    config = cloudfront.get_distribution_config(Id=distribution["Id"])["DistributionConfig"]
    policy_id = config["DefaultCacheBehavior"]["ResponseHeadersPolicyId"]
    policy = cloudfront.get_response_headers_policy(Id=policy_id)["ResponseHeadersPolicy"]
    csp = policy["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    apis = client("apigatewayv2").get_apis()["Items"]
    bucket = re.sub(r"\.s3\..*$", "", config["Origins"]["Items"][0]["DomainName"])
    config_json = json.loads(client("s3").get_object(Bucket=bucket, Key="config.json")["Body"].read())
    functions = client("lambda").list_functions()["Functions"]
    alarms = client("cloudwatch").describe_alarms()["MetricAlarms"]
    topics = client("sns").list_topics()["Topics"]
    return {
        "counts": {
            "distribution": len(summaries), "api": len(apis), "function": len(functions),
            "table": len(client("dynamodb").list_tables()["TableNames"]), "topic": len(topics),
            "dashboard": len(client("cloudwatch").list_dashboards()["DashboardEntries"]),
        },
        "distribution": {"Id": distribution["Id"], "DomainName": distribution["DomainName"]},
        "api": apis[0],
        "csp": csp,
        "config_json": config_json,
        "function_table": functions[0]["Environment"]["Variables"].get("COUNTER_TABLE_NAME"),
        "topic_arn": topics[0]["TopicArn"],
        "alarm_count": len(alarms),
        "alarm_actions": sorted({a for alarm in alarms for a in alarm["AlarmActions"] + alarm["OKActions"]}),
    }


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:4]), default=str))
