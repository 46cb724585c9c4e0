"""boto3 round trip of the IAM extension: OIDC provider audiences can be added and removed."""
from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

URL = "https://token.actions.githubusercontent.com"


@pytest.fixture
def iam(aws):
    return boto3.client("iam", region_name="us-east-2")


def test_add_and_remove_client_id(iam) -> None:
    arn = iam.create_open_id_connect_provider(Url=URL, ClientIDList=["sts.amazonaws.com"])["OpenIDConnectProviderArn"]
    iam.add_client_id_to_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="other")
    iam.add_client_id_to_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="other")
    assert iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)["ClientIDList"] == ["sts.amazonaws.com", "other"]
    iam.remove_client_id_from_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="sts.amazonaws.com")
    iam.remove_client_id_from_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="absent")
    assert iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)["ClientIDList"] == ["other"]


def test_unknown_provider_is_no_such_entity(iam) -> None:
    with pytest.raises(ClientError) as caught:
        iam.add_client_id_to_open_id_connect_provider(
            OpenIDConnectProviderArn="arn:aws:iam::123456789012:oidc-provider/example.com", ClientID="x")
    assert caught.value.response["Error"]["Code"] == "NoSuchEntity"
