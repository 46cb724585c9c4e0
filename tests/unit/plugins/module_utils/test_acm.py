"""module_utils/acm.py: the ACM, Route 53 and tagging calls and their errors (botocore Stubber)."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.cloudresume.aws.plugins.module_utils import acm
from ansible_collections.cloudresume.aws.plugins.module_utils import route53
from ansible_collections.cloudresume.aws.plugins.module_utils.acm import AnsibleACMError
from ansible_collections.cloudresume.aws.plugins.module_utils.acm import AnsibleTaggingAPIError
from ansible_collections.cloudresume.aws.plugins.module_utils.route53 import AnsibleRoute53Error

ARN = "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"
ZONE = "Z0123456789ABCDEFGHIJ"


def stubbed(service: str) -> Iterator[tuple[Any, Stubber]]:
    client = boto3.client(service, region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
    with Stubber(client) as stub:
        yield client, stub
        stub.assert_no_pending_responses()


@pytest.fixture
def acm_stub() -> Iterator[tuple[Any, Stubber]]:
    yield from stubbed("acm")


@pytest.fixture
def route53_stub() -> Iterator[tuple[Any, Stubber]]:
    yield from stubbed("route53")


@pytest.fixture
def tagging_stub() -> Iterator[tuple[Any, Stubber]]:
    yield from stubbed("resourcegroupstaggingapi")


def test_a_missing_certificate_is_none(acm_stub: tuple[Any, Stubber]) -> None:
    client, stub = acm_stub
    stub.add_client_error("describe_certificate", "ResourceNotFoundException", http_status_code=400,
                          expected_params={"CertificateArn": ARN})
    assert acm.describe_certificate(client, ARN) is None


def test_a_denied_describe_names_the_certificate(acm_stub: tuple[Any, Stubber]) -> None:
    client, stub = acm_stub
    stub.add_client_error("describe_certificate", "AccessDeniedException", http_status_code=400)
    with pytest.raises(AnsibleACMError) as caught:
        acm.describe_certificate(client, ARN)
    assert caught.value.message == f"Failed to read the certificate {ARN}"
    assert caught.value.exception.response["Error"]["Code"] == "AccessDeniedException"


def test_deleting_a_missing_certificate_is_false(acm_stub: tuple[Any, Stubber]) -> None:
    client, stub = acm_stub
    stub.add_client_error("delete_certificate", "ResourceNotFoundException", http_status_code=400)
    stub.add_response("delete_certificate", {}, {"CertificateArn": ARN})
    assert acm.delete_certificate(client, ARN) is False
    assert acm.delete_certificate(client, ARN) is True


def test_a_certificate_in_use_says_so(acm_stub: tuple[Any, Stubber]) -> None:
    client, stub = acm_stub
    stub.add_client_error("delete_certificate", "ResourceInUseException", http_status_code=400)
    with pytest.raises(AnsibleACMError) as caught:
        acm.delete_certificate(client, ARN)
    assert caught.value.message == f"The certificate {ARN} is still in use; remove that use first"
    assert caught.value.exception.response["Error"]["Code"] == "ResourceInUseException"


def test_a_denied_tag_change_names_the_certificate(acm_stub: tuple[Any, Stubber]) -> None:
    client, stub = acm_stub
    stub.add_client_error("add_tags_to_certificate", "AccessDeniedException", http_status_code=400)
    with pytest.raises(AnsibleACMError) as caught:
        acm.add_tags(client, ARN, [{"Key": "Stack", "Value": "cloudresume"}])
    assert caught.value.message == f"Failed to add tags to the certificate {ARN}"


def test_the_tag_search_reads_every_page(tagging_stub: tuple[Any, Stubber]) -> None:
    client, stub = tagging_stub
    search = {"TagFilters": [{"Key": "Name", "Values": ["site"]}], "ResourceTypeFilters": ["acm:certificate"]}
    stub.add_response("get_resources", {"ResourceTagMappingList": [{"ResourceARN": ARN}], "PaginationToken": "p2"},
                      search)
    stub.add_response("get_resources", {"ResourceTagMappingList": [{"ResourceARN": ARN + "2"}]},
                      dict(search, PaginationToken="p2"))
    assert [m["ResourceARN"] for m in acm.certificates_tagged(client, "site")] == [ARN, ARN + "2"]


def test_a_denied_tag_search_names_the_tag(tagging_stub: tuple[Any, Stubber]) -> None:
    client, stub = tagging_stub
    stub.add_client_error("get_resources", "AccessDeniedException", http_status_code=400)
    with pytest.raises(AnsibleTaggingAPIError) as caught:
        acm.certificates_tagged(client, "site")
    assert caught.value.message == "Failed to find the certificate by its Name tag site"


def test_a_denied_record_change_names_the_zone(route53_stub: tuple[Any, Stubber]) -> None:
    client, stub = route53_stub
    stub.add_client_error("change_resource_record_sets", "AccessDenied", http_status_code=403)
    with pytest.raises(AnsibleRoute53Error) as caught:
        route53.change_record_sets(client, ZONE, [{"Action": "DELETE", "ResourceRecordSet": {
            "Name": "_x.example.com.", "Type": "CNAME", "TTL": 300, "ResourceRecords": [{"Value": "_y.acm."}]}}],
            "remove the validation records from the hosted zone")
    assert caught.value.message == f"Failed to remove the validation records from the hosted zone {ZONE}"


def test_the_first_record_of_an_empty_zone_is_none(route53_stub: tuple[Any, Stubber]) -> None:
    client, stub = route53_stub
    stub.add_response("list_resource_record_sets", {"ResourceRecordSets": [], "IsTruncated": False, "MaxItems": "1"},
                      {"HostedZoneId": ZONE, "StartRecordName": "_x.example.com.", "StartRecordType": "CNAME",
                       "MaxItems": "1"})
    assert route53.first_record_from(client, ZONE, "_x.example.com.", "CNAME") is None
