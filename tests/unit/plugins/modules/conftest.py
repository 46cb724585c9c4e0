"""Fixtures shared by the modules' unit tests."""
from __future__ import annotations

from typing import Any

import boto3
import pytest

SITE_BUCKET = "site-bucket"


@pytest.fixture
def s3(aws: Any) -> Any:
    """The site's bucket, versioned as static_site makes it, in the in-process emulator."""
    client = boto3.client("s3", region_name="us-east-2")
    client.create_bucket(Bucket=SITE_BUCKET, CreateBucketConfiguration={"LocationConstraint": "us-east-2"})
    client.put_bucket_versioning(Bucket=SITE_BUCKET, VersioningConfiguration={"Status": "Enabled"})
    return client
