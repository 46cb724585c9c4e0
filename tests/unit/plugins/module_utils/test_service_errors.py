"""The per-service AWSErrorHandler subclasses: which error code means "missing", and which exception they raise."""
from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError, WaiterError

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.cloudresume.aws.plugins.module_utils.apigatewayv2 import HttpApiError
from ansible_collections.cloudresume.aws.plugins.module_utils.apigatewayv2 import HttpApiErrorHandler
from ansible_collections.cloudresume.aws.plugins.module_utils.awslambda import LambdaError
from ansible_collections.cloudresume.aws.plugins.module_utils.awslambda import LambdaErrorHandler
from ansible_collections.cloudresume.aws.plugins.module_utils.dynamodb import DynamoDBError
from ansible_collections.cloudresume.aws.plugins.module_utils.dynamodb import DynamoDBErrorHandler
from ansible_collections.cloudresume.aws.plugins.module_utils.kms import KMSError
from ansible_collections.cloudresume.aws.plugins.module_utils.kms import KMSErrorHandler
from ansible_collections.cloudresume.aws.plugins.module_utils.sns import SNSError
from ansible_collections.cloudresume.aws.plugins.module_utils.sns import SNSErrorHandler

HANDLERS = [
    (HttpApiErrorHandler, HttpApiError, ["NotFoundException"]),
    (LambdaErrorHandler, LambdaError, ["ResourceNotFoundException"]),
    (DynamoDBErrorHandler, DynamoDBError, ["ResourceNotFoundException", "TableNotFoundException"]),
    (KMSErrorHandler, KMSError, ["NotFoundException"]),
    (SNSErrorHandler, SNSError, ["NotFound"]),
]


def client_error(code: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": f"{code} happened"}}, "SomeOperation")


def raising(error: Exception) -> Any:
    def call() -> None:
        raise error
    return call


@pytest.mark.parametrize(("handler", "error", "missing_codes"), HANDLERS)
def test_a_missing_resource_is_the_default_value(handler, error, missing_codes) -> None:
    for code in missing_codes:
        assert handler.list_error_handler("read it", default_value={})(raising(client_error(code)))() == {}
        assert handler.deletion_error_handler("delete it")(raising(client_error(code)))() is False


@pytest.mark.parametrize(("handler", "error", "missing_codes"), HANDLERS)
def test_other_errors_raise_the_services_exception(handler, error, missing_codes) -> None:
    denied = client_error("AccessDeniedException")
    for wrap in (handler.common_error_handler, handler.list_error_handler, handler.deletion_error_handler):
        with pytest.raises(error) as caught:
            wrap("read it")(raising(denied))()
        assert isinstance(caught.value, AnsibleAWSError)
        assert caught.value.message == "Failed to read it" and caught.value.exception is denied
    with pytest.raises(error) as caught:
        handler.common_error_handler("create it")(raising(client_error(missing_codes[0])))()
    assert caught.value.message == "Failed to create it"  # missing only counts for list and deletion calls


@pytest.mark.parametrize(("handler", "error", "missing_codes"), HANDLERS)
def test_a_waiter_timeout_is_named(handler, error, missing_codes) -> None:
    timeout = WaiterError(name="TableExists", reason="Max attempts exceeded", last_response={})
    with pytest.raises(error) as caught:
        handler.common_error_handler("wait for it")(raising(timeout))()
    assert caught.value.message == "Timeout trying to wait for it"
