"""tools/emulator/requestlog.py: operations named from real boto3 requests, mutating or not, and the log's reader."""
from __future__ import annotations

import io
import json
import threading

import boto3
import pytest
from werkzeug.serving import make_server

from emulator.requestlog import RequestLog, is_mutating, read_log
from emulator.server import LoggingMiddleware, build_app


@pytest.mark.parametrize(("operation", "mutating"), [
    ("DescribeTable", False), ("GetApis", False), ("ListObjectsV2", False), ("HeadObject", False),
    ("PutObject", True), ("CreateDistributionWithTags", True), ("UpdateStage", True), ("TagResource", True),
    ("GET /unknown", False), ("POST /unknown", True),
])
def test_mutating_or_not(operation, mutating):
    assert is_mutating(operation) is mutating


def test_a_line_still_being_written_is_not_read(tmp_path):
    log = tmp_path / "requests.jsonl"
    done = json.dumps({"service": "s3", "operation": "PutObject", "mutating": True, "status": 200})
    log.write_text(done + "\n" + '{"service": "s3", "oper')
    assert read_log(log) == [json.loads(done)]
    assert read_log(log, 1) == []


def test_boto3_calls_are_named_by_service_and_operation(tmp_path):
    """Requests as boto3 signs them, through the emulator's WSGI app, name the right operation."""
    log = tmp_path / "requests.jsonl"
    server = make_server("127.0.0.1", 0, build_app(log), threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        endpoint = f"http://127.0.0.1:{server.server_port}"
        kw = {"endpoint_url": endpoint, "region_name": "us-east-2", "aws_access_key_id": "testing",
              "aws_secret_access_key": "testing"}
        s3 = boto3.client("s3", **kw)
        s3.create_bucket(Bucket="log-test-bucket", CreateBucketConfiguration={"LocationConstraint": "us-east-2"})
        s3.put_object(Bucket="log-test-bucket", Key="a/index.html", Body=b"x")
        s3.copy_object(Bucket="log-test-bucket", Key="b.html", CopySource="log-test-bucket/a/index.html")
        s3.list_objects_v2(Bucket="log-test-bucket")
        boto3.client("apigatewayv2", **kw).get_apis()
        boto3.client("dynamodb", **kw).list_tables()
        boto3.client("sns", **kw).list_topics()
    finally:
        server.shutdown()
    named = [(c["service"], c["operation"], c["mutating"]) for c in read_log(log)]
    assert named == [
        ("s3", "CreateBucket", True), ("s3", "PutObject", True), ("s3", "CopyObject", True),
        ("s3", "ListObjectsV2", False), ("apigatewayv2", "GetApis", False), ("dynamodb", "ListTables", False),
        ("sns", "ListTopics", False),
    ]


def test_a_call_on_which_moto_raised_is_logged(tmp_path):
    """issue 15: the log line is written even when the application raises (werkzeug then answers 500)."""
    log = tmp_path / "requests.jsonl"

    def failing_backend(environ, start_response):
        raise RuntimeError("moto failed")

    app = LoggingMiddleware(failing_backend, RequestLog(log))
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/", "QUERY_STRING": "", "CONTENT_LENGTH": "2",
               "wsgi.input": io.BytesIO(b"{}"), "HTTP_X_AMZ_TARGET": "DynamoDB_20120810.DescribeTable",
               "HTTP_AUTHORIZATION": "AWS4-HMAC-SHA256 Credential=testing/20261127/us-east-2/dynamodb/aws4_request"}
    with pytest.raises(RuntimeError):
        app(environ, lambda *args: None)
    assert [(c["service"], c["operation"], c["status"]) for c in read_log(log)] == [
        ("dynamodb", "DescribeTable", 500)]
