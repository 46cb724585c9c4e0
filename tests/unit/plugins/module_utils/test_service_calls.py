"""The shared call functions of module_utils (API Gateway v2, DynamoDB, Lambda, SNS) against in-process moto."""
from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.cloudresume.aws.plugins.module_utils.apigatewayv2 import get_api
from ansible_collections.cloudresume.aws.plugins.module_utils.apigatewayv2 import get_default_stage
from ansible_collections.cloudresume.aws.plugins.module_utils.apigatewayv2 import list_apis
from ansible_collections.cloudresume.aws.plugins.module_utils.awslambda import get_function_concurrency
from ansible_collections.cloudresume.aws.plugins.module_utils.awslambda import get_function_configuration
from ansible_collections.cloudresume.aws.plugins.module_utils.dynamodb import DynamoDBError
from ansible_collections.cloudresume.aws.plugins.module_utils.dynamodb import describe_continuous_backups
from ansible_collections.cloudresume.aws.plugins.module_utils.dynamodb import describe_table
from ansible_collections.cloudresume.aws.plugins.module_utils.dynamodb import wait_table_active
from ansible_collections.cloudresume.aws.plugins.module_utils.sns import get_topic_attributes
from ansible_collections.cloudresume.aws.plugins.module_utils.sns import SNSError
from ansible_collections.cloudresume.aws.plugins.module_utils.sns import delete_topic
from ansible_collections.cloudresume.aws.plugins.module_utils.sns import list_subscriptions_by_topic
from ansible_collections.cloudresume.aws.plugins.module_utils.sns import list_tags

REGION = "us-east-2"


def test_http_api_reads(aws) -> None:
    client = boto3.client("apigatewayv2", region_name=REGION)
    api_id = client.create_api(Name="api", ProtocolType="HTTP")["ApiId"]
    assert [a["ApiId"] for a in list_apis(client)] == [api_id]
    assert get_api(client, api_id)["Name"] == "api" and "ResponseMetadata" not in get_api(client, api_id)
    assert get_api(client, "nope123") is None
    assert get_default_stage(client, api_id) is None
    client.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
    assert get_default_stage(client, api_id)["AutoDeploy"] is True


def test_dynamodb_reads_and_wait(aws) -> None:
    client = boto3.client("dynamodb", region_name=REGION)
    assert describe_table(client, "visitors") is None
    assert describe_continuous_backups(client, "visitors") is None
    client.create_table(TableName="visitors", BillingMode="PAY_PER_REQUEST",
                        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
    wait_table_active(client, "visitors", timeout=10, pause=1)
    assert describe_table(client, "visitors")["TableStatus"] == "ACTIVE"
    assert "ContinuousBackupsStatus" in describe_continuous_backups(client, "visitors")


def test_waiting_uses_the_timeout_given() -> None:
    client = boto3.client("dynamodb", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="y")
    creating = {"Table": {"TableName": "visitors", "TableStatus": "CREATING"}}
    with Stubber(client) as stub:
        for _attempt in range(4):  # custom_waiter_config(3, 1): a pause of 1 s, 4 attempts
            stub.add_response("describe_table", creating, {"TableName": "visitors"})
        with pytest.raises(DynamoDBError) as caught:
            wait_table_active(client, "visitors", timeout=3, pause=1)
        stub.assert_no_pending_responses()
    assert caught.value.message == "Timeout trying to wait for table visitors to become ACTIVE"


def test_lambda_reads(aws) -> None:
    client = boto3.client("lambda", region_name=REGION)
    assert get_function_configuration(client, "counter") is None
    assert get_function_concurrency(client, "counter") is None


def test_sns_calls(aws) -> None:
    client = boto3.client("sns", region_name=REGION)
    arn = client.create_topic(Name="alarms", Tags=[{"Key": "Stack", "Value": "s"}])["TopicArn"]
    assert get_topic_attributes(client, arn)["TopicArn"] == arn
    assert get_topic_attributes(client, arn + "-gone") is None
    assert list_tags(client, arn) == {"Stack": "s"}
    for n in range(101):  # more than one page of ListSubscriptionsByTopic (100)
        client.subscribe(TopicArn=arn, Protocol="email", Endpoint=f"ops{n}@example.com")
    assert len(list_subscriptions_by_topic(client, arn)) == 101
    with pytest.raises(SNSError) as caught:
        list_subscriptions_by_topic(client, arn + "-gone")
    assert caught.value.message == f"Failed to list the subscriptions of topic {arn}-gone"
    assert delete_topic(client, arn) is True
