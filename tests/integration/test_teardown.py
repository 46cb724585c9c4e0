"""playbooks/teardown.yml: reverse-order removal that keeps the data unless stack_destroy_data=true."""
from __future__ import annotations

from typing import Any

from .conftest import Emulator, emulator_fixture, run_playbook
from .wiring import assert_layers_wired

emulator = emulator_fixture()

TABLE = "cloudresume-visitors"
KEY = {"counter_id": {"S": "visitors"}}
DESTROY = {"stack_destroy_data": "true"}


def bucket_name(emulator: Emulator) -> str:
    return f"cloudresume-site-us-east-2-{emulator.client('sts').get_caller_identity()['Account']}"


def stack_resources(emulator: Emulator) -> dict[str, list[str]]:
    """Every resource of the stack's kinds the account holds (by name), data stores included."""
    cloudfront = emulator.client("cloudfront", region="us-east-1")
    logs = emulator.client("logs")
    keys = emulator.client("kms")
    return {
        "distributions": [d["Id"] for d in cloudfront.list_distributions()["DistributionList"].get("Items", [])],
        "origin access controls": [o["Name"] for o in cloudfront.list_origin_access_controls()
                                   ["OriginAccessControlList"].get("Items", [])],
        "headers policies": [p["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"]["Name"] for p in
                             cloudfront.list_response_headers_policies(Type="custom")
                             ["ResponseHeadersPolicyList"].get("Items", [])],
        "apis": [a["Name"] for a in emulator.client("apigatewayv2").get_apis()["Items"]],
        "functions": [f["FunctionName"] for f in emulator.client("lambda").list_functions()["Functions"]],
        "roles": [r["RoleName"] for r in emulator.client("iam").list_roles()["Roles"]],
        "log groups": [g["logGroupName"] for g in logs.describe_log_groups()["logGroups"]],
        "metric filters": [f["filterName"] for f in logs.describe_metric_filters()["metricFilters"]],
        "alarms": [a["AlarmName"] for a in emulator.client("cloudwatch").describe_alarms()["MetricAlarms"]],
        "dashboards": [d["DashboardName"] for d in emulator.client("cloudwatch").list_dashboards()["DashboardEntries"]],
        "topics": [t["TopicArn"] for t in emulator.client("sns").list_topics()["Topics"]],
        "subscriptions": [s["SubscriptionArn"] for s in emulator.client("sns").list_subscriptions()["Subscriptions"]],
        "usable keys": [k["KeyId"] for k in keys.list_keys()["Keys"]
                        if keys.describe_key(KeyId=k["KeyId"])["KeyMetadata"]["KeyState"] != "PendingDeletion"],
        "tables": emulator.client("dynamodb").list_tables()["TableNames"],
        "buckets": [b["Name"] for b in emulator.client("s3").list_buckets()["Buckets"]],
    }


def only_data_left(emulator: Emulator) -> dict[str, list[str]]:
    left = {kind: names for kind, names in stack_resources(emulator).items() if names}
    # moto creates the AWS managed key of DynamoDB's encryption (alias/aws/dynamodb), which is not the stack's.
    managed = {k["TargetKeyId"] for k in emulator.client("kms").list_aliases()["Aliases"]
               if k["AliasName"].startswith("alias/aws/") and "TargetKeyId" in k}
    left["usable keys"] = [k for k in left.pop("usable keys", []) if k not in managed]
    return {kind: names for kind, names in left.items() if names}


def bump(emulator: Emulator, times: int) -> int:
    ddb = emulator.client("dynamodb")
    for unused in range(times):
        ddb.update_item(TableName=TABLE, Key=KEY, UpdateExpression="ADD #c :one",
                        ExpressionAttributeNames={"#c": "count"}, ExpressionAttributeValues={":one": {"N": "1"}})
    return count(emulator)


def count(emulator: Emulator) -> int:
    return int(emulator.client("dynamodb").get_item(TableName=TABLE, Key=KEY)["Item"]["count"]["N"])


def table(emulator: Emulator) -> dict[str, Any]:
    ddb = emulator.client("dynamodb")
    pitr = ddb.describe_continuous_backups(TableName=TABLE)["ContinuousBackupsDescription"]
    return {"arn": ddb.describe_table(TableName=TABLE)["Table"]["TableArn"],
            "pitr": pitr["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"]}


def versions(emulator: Emulator, bucket: str) -> int:
    listed = emulator.client("s3").list_object_versions(Bucket=bucket)
    return len(listed.get("Versions", [])) + len(listed.get("DeleteMarkers", []))


def succeeded(run) -> None:
    assert run.returncode == 0, run.output[-4000:]


def test_teardown_keeps_the_data_until_told_and_a_redeploy_reuses_it(emulator):
    succeeded(run_playbook(emulator, "site.yml"))
    assert_layers_wired(emulator)  # the first deploy, in one run, wires the layers to each other
    assert bump(emulator, 3) == 3
    bucket = bucket_name(emulator)
    deployed_table = table(emulator)
    assert deployed_table["pitr"] == "ENABLED"

    checked = run_playbook(emulator, "playbooks/teardown.yml", "--check", "--diff")
    succeeded(checked)
    assert checked.stats["changed"] > 0
    assert checked.mutating == []

    kept = run_playbook(emulator, "playbooks/teardown.yml")
    succeeded(kept)
    assert only_data_left(emulator) == {"tables": [TABLE], "buckets": [bucket]}
    assert table(emulator) == deployed_table
    assert count(emulator) == 3
    assert versions(emulator, bucket) > 0
    assert f"DynamoDB table {TABLE}" in kept.output and f"S3 bucket {bucket}" in kept.output

    again = run_playbook(emulator, "playbooks/teardown.yml")
    succeeded(again)
    assert again.stats["changed"] == 0
    assert again.mutating == []

    redeployed = run_playbook(emulator, "site.yml")
    succeeded(redeployed)
    assert "dynamodb:CreateTable" not in redeployed.mutating
    assert table(emulator) == deployed_table
    assert count(emulator) == 3

    # A noncurrent version and a delete marker: the bucket goes only once every version is gone.
    s3 = emulator.client("s3")
    s3.put_object(Bucket=bucket, Key="extra.txt", Body=b"one")
    s3.put_object(Bucket=bucket, Key="extra.txt", Body=b"two")
    s3.delete_object(Bucket=bucket, Key="extra.txt")
    destroyed = run_playbook(emulator, "playbooks/teardown.yml", extra_vars=DESTROY)
    succeeded(destroyed)
    assert "s3:DeleteObjects" in destroyed.mutating
    assert only_data_left(emulator) == {}


def test_teardown_of_a_partly_deployed_stack(emulator):
    # The keep-data path on a partly deployed stack is the rerun above (only the table and the bucket were left).
    emulator.command("reset")
    succeeded(run_playbook(emulator, "site.yml", "--tags", "counter_db"))
    assert only_data_left(emulator) == {"tables": [TABLE]}

    destroyed = run_playbook(emulator, "playbooks/teardown.yml", extra_vars=DESTROY)
    succeeded(destroyed)
    assert destroyed.mutating == ["dynamodb:UpdateTable", "dynamodb:DeleteTable"]
    assert only_data_left(emulator) == {}


def test_a_bad_stack_destroy_data_fails_before_any_aws_call(emulator):
    run = run_playbook(emulator, "playbooks/teardown.yml", extra_vars={"stack_destroy_data": "maybe"})
    assert run.returncode != 0
    assert "stack_destroy_data" in run.output
    assert run.calls == []
