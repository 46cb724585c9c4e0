"""cloudresume.aws.iam_oidc_provider against in-process moto (with the emulator's extensions)."""
from __future__ import annotations

from unittest import mock

import boto3
import pytest
from botocore.exceptions import ClientError

from tests.unit.aws_calls import record_calls
from ansible_collections.cloudresume.aws.plugins.modules import iam_oidc_provider

URL = "https://token.actions.githubusercontent.com"
BASE = {"url": URL, "tags": {"Stack": "cloudresume"}}
THUMB = "6938fd4d98bab03faadb97b34396831e3780aea1"


@pytest.fixture
def iam(aws):
    return boto3.client("iam", region_name="us-east-2")


def arns(iam) -> list[str]:
    return [p["Arn"] for p in iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]]


def api_calls(run_module, args, **kwargs):
    """Run the module and return (result, names of the IAM operations it called)."""
    (result, failed), names = record_calls(lambda: run_module(iam_oidc_provider, args, **kwargs))
    assert not failed, result
    return result, names


def test_create_then_rerun_is_a_no_op(run_module, iam):
    result, _second = api_calls(run_module, BASE, diff=True)
    assert result["changed"] and result["diff"]["before"] == {}
    provider = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=result["oidc_provider"]["arn"])
    assert provider["ClientIDList"] == ["sts.amazonaws.com"]
    assert result["oidc_provider"]["url"] == URL
    again, names = api_calls(run_module, BASE, diff=True)
    assert not again["changed"] and again["diff"]["before"] == again["diff"]["after"]
    assert set(names) == {"ListOpenIDConnectProviders", "GetOpenIDConnectProvider"}


def test_check_mode_creates_nothing(run_module, iam):
    result, names = api_calls(run_module, BASE, check_mode=True)
    assert result["changed"] and arns(iam) == []
    assert names == ["ListOpenIDConnectProviders"]


def test_updates_audiences_thumbprints_and_tags_in_place(run_module, iam):
    arn = api_calls(run_module, BASE)[0]["oidc_provider"]["arn"]
    change = {"url": URL, "client_ids": ["sts.amazonaws.com", "other"], "thumbprints": [THUMB],
              "tags": {"Stack": "cloudresume", "Owner": "me"}}
    checked, names = api_calls(run_module, change, check_mode=True, diff=True)
    assert checked["changed"] and checked["diff"]["after"]["client_ids"] == ["sts.amazonaws.com", "other"]
    assert iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)["ClientIDList"] == ["sts.amazonaws.com"]
    result, _second = api_calls(run_module, change)
    provider = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert provider["ClientIDList"] == ["sts.amazonaws.com", "other"] and provider["ThumbprintList"] == [THUMB]
    assert {t["Key"]: t["Value"] for t in provider["Tags"]} == {"Stack": "cloudresume", "Owner": "me"}
    assert result["oidc_provider"]["tags"] == {"Stack": "cloudresume", "Owner": "me"}
    removed, _second = api_calls(run_module, {"url": URL, "client_ids": ["other"]})
    assert removed["changed"]
    assert iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)["ClientIDList"] == ["other"]


def test_without_purge_audiences_are_only_added(run_module, iam):
    api_calls(run_module, BASE)
    result, _second = api_calls(run_module, {"url": URL, "client_ids": ["other"], "purge_client_ids": False})
    assert result["oidc_provider"]["client_ids"] == ["sts.amazonaws.com", "other"]


def test_absent_deletes_and_is_idempotent(run_module, iam):
    api_calls(run_module, BASE)
    checked, _second = api_calls(run_module, {"url": URL, "state": "absent"}, check_mode=True)
    assert checked["changed"] and len(arns(iam)) == 1
    assert api_calls(run_module, {"url": URL, "state": "absent"})[0]["changed"]
    assert arns(iam) == []
    assert not api_calls(run_module, {"url": URL, "state": "absent"})[0]["changed"]


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"url": "http://token.actions.githubusercontent.com"}, "url"),
        ({"url": URL + "?x=1"}, "url"),
        ({"url": URL, "client_ids": []}, "client_ids"),
        ({"url": URL, "thumbprints": ["abc"]}, "thumbprints"),
        ({"url": URL, "thumbprints": ["a" * 40 + "\n"]}, "thumbprints"),
        ({"url": URL, "tags": {"aws:owner": "x"}}, "tags"),
    ],
)
def test_bad_input_fails_before_any_call(run_module, iam, args, field):
    with mock.patch("botocore.client.BaseClient._make_api_call") as call:
        result, failed = run_module(iam_oidc_provider, args)
    assert failed and result["msg"].startswith(f"{field}:")
    call.assert_not_called()


def test_an_aws_error_fails_naming_the_action(run_module, iam):
    denied = ClientError({"Error": {"Code": "AccessDenied", "Message": "not allowed"}}, "ListOpenIDConnectProviders")
    with mock.patch("botocore.client.BaseClient._make_api_call", side_effect=denied):
        result, failed = run_module(iam_oidc_provider, BASE)
    assert failed and result["msg"].startswith("Failed to list OIDC providers: ")
    assert result["error"]["code"] == "AccessDenied"


def test_a_programming_error_is_not_swallowed(run_module, iam):
    with mock.patch("botocore.client.BaseClient._make_api_call", side_effect=KeyError("Arn")):
        with pytest.raises(KeyError):
            run_module(iam_oidc_provider, BASE)
