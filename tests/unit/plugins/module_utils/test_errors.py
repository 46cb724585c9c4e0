"""DescribedErrorHandler: amazon.aws's error handler, with descriptions that name the call's arguments."""
from __future__ import annotations

from typing import Any

import boto3
import botocore.exceptions
import pytest
from botocore.stub import Stubber

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudwatch import AnsibleCloudWatchError
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudwatch import CloudWatchErrorHandler
from ansible_collections.cloudresume.aws.plugins.module_utils.errors import DescribedErrorHandler
from ansible_collections.cloudresume.aws.plugins.module_utils.s3 import AnsibleS3Error
from ansible_collections.cloudresume.aws.plugins.module_utils.s3 import S3ErrorHandler


class WidgetError(AnsibleAWSError):
    pass


class WidgetErrorHandler(DescribedErrorHandler):
    _CUSTOM_EXCEPTION = WidgetError

    @classmethod
    def _is_missing(cls) -> type[Exception]:
        return is_boto3_error_code("NoSuchWidget")


def client_error(code: str) -> botocore.exceptions.ClientError:
    return botocore.exceptions.ClientError({"Error": {"Code": code, "Message": code}}, "GetWidget")


def raising(error: Exception | None, value: Any = "done"):
    def call(widget: dict[str, str], name: str = "default name") -> Any:
        if error is not None:
            raise error
        return value

    return call


def test_the_message_names_the_arguments_even_nested_and_defaulted() -> None:
    error = client_error("AccessDenied")
    call = WidgetErrorHandler.common_error_handler("read widget {widget[id]} ({name})")(raising(error))
    with pytest.raises(WidgetError) as caught:
        call({"id": "w-1"})
    assert caught.value.message == "Failed to read widget w-1 (default name)"
    assert caught.value.exception is error


def test_a_value_passes_through() -> None:
    call = WidgetErrorHandler.common_error_handler("read widget {name}")(raising(None))
    assert call({"id": "w-1"}, name="x") == "done"


def test_a_waiter_timeout_says_so() -> None:
    error = botocore.exceptions.WaiterError("widget_ready", "Max attempts exceeded", {})
    call = WidgetErrorHandler.common_error_handler("wait for widget {widget[id]}")(raising(error))
    with pytest.raises(WidgetError, match="Timeout trying to wait for widget w-2"):
        call({"id": "w-2"})


def test_list_answers_the_default_when_missing_and_fails_otherwise() -> None:
    missing = WidgetErrorHandler.list_error_handler("list widgets of {name}", [])(raising(client_error("NoSuchWidget")))
    assert missing({}, "x") == []
    denied = WidgetErrorHandler.list_error_handler("list widgets of {name}", [])(raising(client_error("AccessDenied")))
    with pytest.raises(WidgetError, match="Failed to list widgets of x"):
        denied({}, "x")


def test_deletion_answers_false_when_already_gone() -> None:
    gone = WidgetErrorHandler.deletion_error_handler("delete widget {name}")(raising(client_error("NoSuchWidget")))
    assert gone({}, "x") is False
    denied = WidgetErrorHandler.deletion_error_handler("delete widget {name}")(raising(client_error("Throttling")))
    with pytest.raises(WidgetError, match="Failed to delete widget x"):
        denied({}, "x")


def test_other_exceptions_are_not_touched() -> None:
    call = WidgetErrorHandler.common_error_handler("read widget {name}")(raising(KeyError("Id")))
    with pytest.raises(KeyError):
        call({})


# ---- the per-service handlers, through botocore's Stubber --------------------------------------------------
def test_s3_missing_key_or_bucket_is_not_there_and_a_denied_read_fails() -> None:
    client = boto3.client("s3", region_name="us-east-2", aws_access_key_id="a", aws_secret_access_key="b")

    @S3ErrorHandler.list_error_handler("read {key}")
    def get(client: Any, key: str) -> bytes | None:
        return client.get_object(Bucket="bucket", Key=key)["Body"].read()

    with Stubber(client) as stub:
        stub.add_client_error("get_object", "NoSuchKey", http_status_code=404)
        stub.add_client_error("get_object", "NoSuchBucket", http_status_code=404)
        stub.add_client_error("get_object", "AccessDenied", http_status_code=403)
        assert get(client, "a") is None
        assert get(client, "b") is None
        with pytest.raises(AnsibleS3Error) as caught:
            get(client, "c")
    assert caught.value.message == "Failed to read c"
    assert caught.value.exception.response["Error"]["Code"] == "AccessDenied"


def test_cloudwatch_missing_dashboard_is_not_there() -> None:
    client = boto3.client("cloudwatch", region_name="us-east-2", aws_access_key_id="a", aws_secret_access_key="b")

    @CloudWatchErrorHandler.deletion_error_handler("delete dashboard {name}")
    def delete(client: Any, name: str) -> bool:
        client.delete_dashboards(DashboardNames=[name])
        return True

    with Stubber(client) as stub:
        stub.add_client_error("delete_dashboards", "ResourceNotFound", http_status_code=404)
        stub.add_client_error("delete_dashboards", "InvalidParameterValue", http_status_code=400)
        assert delete(client, "site") is False
        with pytest.raises(AnsibleCloudWatchError, match="Failed to delete dashboard site"):
            delete(client, "site")
