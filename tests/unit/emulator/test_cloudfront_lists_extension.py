"""boto3 round trips for tools/emulator/extensions/cloudfront_lists.py."""
from __future__ import annotations

import boto3


def test_list_streaming_distributions_is_empty(aws):
    listed = boto3.client("cloudfront").list_streaming_distributions()["StreamingDistributionList"]
    assert listed["Quantity"] == 0 and listed["IsTruncated"] is False and "Items" not in listed


def test_paginators_work(aws):
    client = boto3.client("cloudfront")
    pages = list(client.get_paginator("list_streaming_distributions").paginate())
    assert [page["StreamingDistributionList"]["Quantity"] for page in pages] == [0]
