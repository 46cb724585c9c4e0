"""module_utils/cloudfront.py: the named-config manager (against in-process moto) and the calls (botocore Stubber)."""
from __future__ import annotations

from functools import partial
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper
from ansible_collections.cloudresume.aws.plugins.module_utils import cloudfront
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront import AnsibleCloudFrontError
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront import NamedConfigKind
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront import NamedConfigManager
from ansible_collections.cloudresume.aws.plugins.module_utils.tagging import plan_tags
from tests.unit.aws_calls import mutating_operations

CONTROL = NamedConfigKind(noun="origin access control", plural="origin access controls",
                          resource="origin_access_control", list_operation="list_origin_access_controls",
                          shape="OriginAccessControl", summary=lambda s: (s["Id"], s["Name"]))
POLICY = NamedConfigKind(noun="response headers policy", plural="response headers policies",
                         resource="response_headers_policy", list_operation="list_response_headers_policies",
                         shape="ResponseHeadersPolicy", list_kwargs={"Type": "custom"},
                         summary=lambda s: (s["ResponseHeadersPolicy"]["Id"],
                                            s["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"]["Name"]))


DISTRIBUTION = {
    "CallerReference": "site", "Comment": "résumé", "Enabled": True,
    "Origins": cloudfront.items([{"Id": "s3", "DomainName": "site.s3.us-east-2.amazonaws.com"}]),
    "DefaultCacheBehavior": {"TargetOriginId": "s3", "ViewerProtocolPolicy": "redirect-to-https"},
}


class Failed(Exception):
    pass


class FakeModule:
    """What the manager uses of AnsibleAWSModule: a retrying client, check mode, diff, fail_json."""

    def __init__(self, check_mode: bool = False, diff: bool = False, client: Any = None) -> None:
        self.check_mode = check_mode
        self._diff = diff
        self._client = client

    def client(self, service: str, retry_decorator: Any) -> Any:
        return RetryingBotoClientWrapper(self._client or boto3.client(service, region_name="us-east-1"), retry_decorator)

    def fail_json(self, msg: str, **kwargs: Any) -> None:
        raise Failed(msg, kwargs)


def oac(name: str, description: str = "") -> dict[str, str]:
    return {"Name": name, "Description": description, "SigningProtocol": "sigv4", "SigningBehavior": "always",
            "OriginAccessControlOriginType": "s3"}


def oac_view(control_id: str, config: dict[str, Any]) -> dict[str, Any]:
    return {"id": control_id, "name": config["Name"], "description": config.get("Description", "")}


def test_create_then_the_same_config_is_found_and_left_alone(aws: None, operations: list[str]) -> None:
    created = NamedConfigManager(FakeModule(), CONTROL, oac_view).run("site", oac("site"), "control")
    assert created["changed"] and created["control"]["id"]
    operations.clear()
    again = NamedConfigManager(FakeModule(diff=True), CONTROL, oac_view).run("site", oac("site"), "control")
    assert not again["changed"] and again["control"] == created["control"]
    assert again["diff"] == {"before": created["control"], "after": created["control"]}
    assert operations == ["ListOriginAccessControls", "GetOriginAccessControl"]


def test_update_sends_the_etag_just_read(aws: None, operations: list[str]) -> None:
    manager = NamedConfigManager(FakeModule(), CONTROL, oac_view)
    control_id = manager.run("site", oac("site"), "control")["control"]["id"]
    etag = boto3.client("cloudfront", region_name="us-east-1").get_origin_access_control(Id=control_id)["ETag"]
    sent: list[dict[str, Any]] = []
    client = boto3.client("cloudfront", region_name="us-east-1")
    client.meta.events.register("provide-client-params.cloudfront.UpdateOriginAccessControl",
                                lambda params, **kwargs: sent.append(dict(params)))
    updated = NamedConfigManager(FakeModule(client=client), CONTROL, oac_view).run("site", oac("site", "new"), "control")
    assert updated["changed"] and updated["control"]["description"] == "new"
    assert [(p["Id"], p["IfMatch"]) for p in sent] == [(control_id, etag)]


def test_check_mode_changes_nothing(aws: None, operations: list[str]) -> None:
    planned = NamedConfigManager(FakeModule(check_mode=True), CONTROL, oac_view).run("site", oac("site"), "control")
    assert planned["changed"] and planned["control"] == {"id": "", "name": "site", "description": ""}
    NamedConfigManager(FakeModule(), CONTROL, oac_view).run("site", oac("site"), "control")
    operations.clear()
    for config in (oac("site", "changed"), None):
        result = NamedConfigManager(FakeModule(check_mode=True), CONTROL, oac_view).run("site", config, "control")
        assert result["changed"]
    assert mutating_operations(operations) == []


def test_delete_then_absent_is_no_change(aws: None) -> None:
    NamedConfigManager(FakeModule(), CONTROL, oac_view).run("site", oac("site"), "control")
    assert NamedConfigManager(FakeModule(), CONTROL, oac_view).run("site", None, "control") == {
        "changed": True, "control": {}}
    assert not NamedConfigManager(FakeModule(), CONTROL, oac_view).run("site", None, "control")["changed"]


def test_only_the_named_one_is_touched(aws: None) -> None:
    cf = boto3.client("cloudfront", region_name="us-east-1")
    neighbour = cf.create_origin_access_control(OriginAccessControlConfig=oac("other stack", "theirs"))
    NamedConfigManager(FakeModule(), CONTROL, oac_view).run("site", None, "control")
    kept = cf.get_origin_access_control(Id=neighbour["OriginAccessControl"]["Id"])["OriginAccessControl"]
    assert kept["OriginAccessControlConfig"]["Description"] == "theirs"


def test_a_known_id_with_the_name_is_read_without_listing(aws: None, operations: list[str]) -> None:
    cf = boto3.client("cloudfront", region_name="us-east-1")
    other = cf.create_origin_access_control(OriginAccessControlConfig=oac("other stack"))["OriginAccessControl"]["Id"]
    created = NamedConfigManager(FakeModule(), CONTROL, oac_view).run("site", oac("site"), "control")["control"]
    manager = NamedConfigManager(FakeModule(), CONTROL, oac_view)
    operations.clear()
    assert manager.ensure("site", oac("site"), known_id=created["id"]) == (created, created)
    assert operations == ["GetOriginAccessControl"]
    # Another name behind the id (a distribution pointed elsewhere), or no such id: the listing, by name.
    for known_id in (other, "E0000000000000"):
        operations.clear()
        assert manager.find("site", known_id)[0] == created
        assert operations == ["GetOriginAccessControl", "ListOriginAccessControls", "GetOriginAccessControl"]
    assert not manager.changed


def test_policies_are_found_by_the_name_inside_their_config(aws: None) -> None:
    def view(policy_id: str, config: dict[str, Any]) -> dict[str, Any]:
        return {"id": policy_id, "name": config["Name"], "comment": config.get("Comment", "")}

    config = {"Name": "headers", "Comment": "c", "SecurityHeadersConfig": {"ContentTypeOptions": {"Override": True}}}
    created = NamedConfigManager(FakeModule(), POLICY, view).run("headers", config, "policy")
    again = NamedConfigManager(FakeModule(), POLICY, view).run("headers", config, "policy")
    assert created["changed"] and not again["changed"] and again["policy"]["id"] == created["policy"]["id"]


# ---- with botocore's Stubber: pages, duplicates, errors ----------------------------------------------------
@pytest.fixture
def stubbed() -> tuple[Any, Stubber]:
    client = boto3.client("cloudfront", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
    with Stubber(client) as stub:
        yield client, stub
        stub.assert_no_pending_responses()


def listing(items: list[dict[str, str]], next_marker: str = "") -> dict[str, Any]:
    page: dict[str, Any] = {"Marker": "", "MaxItems": 1, "IsTruncated": bool(next_marker), "Quantity": len(items),
                            "Items": [dict(item, Description="", SigningProtocol="sigv4", SigningBehavior="always",
                                           OriginAccessControlOriginType="s3") for item in items]}
    if next_marker:
        page["NextMarker"] = next_marker
    return {"OriginAccessControlList": page}


def test_the_name_is_looked_for_on_every_page(stubbed: tuple[Any, Stubber]) -> None:
    client, stub = stubbed
    stub.add_response("list_origin_access_controls", listing([{"Id": "E1", "Name": "other"}], "E1"), {})
    stub.add_response("list_origin_access_controls", listing([{"Id": "E2", "Name": "site"}]), {"Marker": "E1"})
    stub.add_response("get_origin_access_control",
                      {"OriginAccessControl": {"Id": "E2", "OriginAccessControlConfig": oac("site")}, "ETag": "T2"},
                      {"Id": "E2"})
    found = NamedConfigManager(FakeModule(client=client), CONTROL, oac_view).find("site")
    assert found == ({"id": "E2", "name": "site", "description": ""}, "T2")


def test_two_with_the_name_fail_naming_both(stubbed: tuple[Any, Stubber]) -> None:
    client, stub = stubbed
    stub.add_response("list_origin_access_controls", listing([{"Id": "E1", "Name": "site"}, {"Id": "E2", "Name": "site"}]), {})
    with pytest.raises(Failed) as caught:
        NamedConfigManager(FakeModule(client=client), CONTROL, oac_view).find("site")
    assert caught.value.args == ("Found 2 origin access controls named site; resolve the duplicates first",
                                 {"ids": ["E1", "E2"]})


def test_a_control_in_use_fails_with_the_reason(stubbed: tuple[Any, Stubber]) -> None:
    client, stub = stubbed
    stub.add_client_error("delete_origin_access_control", "OriginAccessControlInUse", http_status_code=409)
    manager = NamedConfigManager(FakeModule(client=client), CONTROL, oac_view)
    with pytest.raises(AnsibleCloudFrontError) as caught:
        manager.ensure_absent(({"id": "E1"}, "T1"))
    assert caught.value.message == "Failed to delete the origin access control (a distribution may still use it)"


def test_a_caller_reference_taken_names_the_field(stubbed: tuple[Any, Stubber]) -> None:
    client, stub = stubbed
    stub.add_client_error("create_distribution", "DistributionAlreadyExists", http_status_code=409)
    wrapped = RetryingBotoClientWrapper(client, AWSRetry.jittered_backoff())
    with pytest.raises(AnsibleCloudFrontError) as caught:
        cloudfront.create_distribution(wrapped, DISTRIBUTION, {})
    assert caught.value.message.startswith("caller_reference: a distribution with caller reference 'site' exists")
    assert caught.value.exception.response["Error"]["Code"] == "DistributionAlreadyExists"


def test_an_invalidation_failure_counts_the_paths(stubbed: tuple[Any, Stubber]) -> None:
    client, stub = stubbed
    stub.add_client_error("create_invalidation", "TooManyInvalidationsInProgress", http_status_code=400)
    wrapped = RetryingBotoClientWrapper(client, AWSRetry.jittered_backoff(retries=0))
    batch = {"Paths": cloudfront.items(["/", "/index.html"]), "CallerReference": "ref"}
    with pytest.raises(AnsibleCloudFrontError) as caught:
        cloudfront.create_invalidation(wrapped, "E1", batch)
    assert caught.value.message == ("Failed to invalidate 2 paths of distribution E1; they stay recorded and the next "
                                    "run invalidates them")


def test_a_tag_plan_without_change_makes_no_call(stubbed: tuple[Any, Stubber]) -> None:
    client, stub = stubbed
    wrapped = RetryingBotoClientWrapper(client, AWSRetry.jittered_backoff())
    untag, tag = partial(cloudfront.untag_resource, wrapped, "arn"), partial(cloudfront.tag_resource, wrapped, "arn")
    plan_tags({"a": "1"}, {"a": "1"}, purge=True).apply(untag, tag)
    stub.add_response("untag_resource", {}, {"Resource": "arn", "TagKeys": {"Items": ["b"]}})
    stub.add_response("tag_resource", {}, {"Resource": "arn", "Tags": {"Items": [{"Key": "a", "Value": "2"}]}})
    plan_tags({"a": "1", "b": "2"}, {"a": "2"}, purge=True).apply(untag, tag)
    stub.assert_no_pending_responses()


def test_items_round_trip() -> None:
    assert cloudfront.items([]) == {"Quantity": 0}
    assert cloudfront.from_items(cloudfront.items(["GET", "HEAD"])) == ["GET", "HEAD"]
    assert cloudfront.from_items(None) == []
