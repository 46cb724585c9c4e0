"""plugins/module_utils/validation.py: AWS's documented limits, full-match patterns, symbolic links."""
from __future__ import annotations

from pathlib import Path

import pytest

from ansible_collections.cloudresume.aws.plugins.module_utils.validation import KMS_KEY
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import KMS_KEY_ID
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import InvalidInput
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_arn
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_name
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_origin
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_region
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_tags
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import files_under
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import json_object
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import require_name


@pytest.mark.parametrize(("kind", "good", "bad"), [
    ("dynamodb_table", ["abc", "a.b-c_d", "x" * 255], ["ab", "x" * 256, "tbl\n", "visités", "a b"]),
    ("lambda_function", ["cloudresume-counter", "x" * 64], ["", "x" * 65, "f\n", "a.b"]),
    ("iam_role", ["role+=,.@_-", "x" * 64], ["x" * 65, "role\n", "a/b"]),
    ("iam_policy", ["x" * 128], ["x" * 129, "p\n"]),
    ("iam_path", ["/", "/github-actions/"], ["github/", "/a b/", "/x/\n"]),
    ("http_api", ["my api", "x" * 128], ["", "x" * 129, "api\n"]),
    ("sns_topic", ["cloudresume-alarms"], ["a.b", "t\n", "x" * 257]),
    ("log_group", ["/aws/lambda/x", "x" * 512], ["x" * 513, "/aws/lambda/x\n", "a:b"]),
    ("metric_filter", ["cloudresume-visits"], ["a:b", "a*b", "f\n"]),
    ("metric_name", ["Visits"], ["a$b", "x" * 256]),
    ("metric_namespace", ["CloudResume/cv"], ["AWS/Lambda", "ns\n", "a:b"]),
    ("dashboard", ["cloudresume"], ["a b", "d\n"]),
    ("kms_alias", ["alias/cloudresume-alarms"], ["alias/aws/sns", "cloudresume", "alias/x\n"]),
    ("cloudfront_oac", ["cloudresume-site"], ["x" * 65, "o\n"]),
    ("cloudfront_policy", ["cloudresume-site-security-headers"], ["a b", "x" * 129]),
    ("s3_bucket", ["my-site", "my.site", "abc"],
     ["ab", "My-Site", "a..b", "192.168.1.1", "xn--abc", "abc-s3alias", "abc-", "-abc", "my-site\n", "x" * 64]),
])
def test_names(kind, good, bad):
    assert [check_name(kind, n) for n in good] == [None] * len(good)
    assert all(check_name(kind, n) for n in bad), [n for n in bad if not check_name(kind, n)]


def test_a_name_that_is_not_a_string_is_named_not_raised():
    assert check_name("dynamodb_table", 5) == "must be a string, got int"
    with pytest.raises(InvalidInput, match="^name: "):
        require_name("name", "dynamodb_table", ["x"])


@pytest.mark.parametrize(("tags", "problem"), [
    ({}, None),
    ({"Project": "résumé", "Owner": "me@example.com", "Path": "a/b:c=d+e-f_g.h"}, None),
    ({f"k{i}": "v" for i in range(50)}, None),
    ({f"k{i}": "v" for i in range(51)}, "51 tags, at most 50"),
    ({"aws:owner": "x"}, "reserved"),
    ({"AWS:Owner": "x"}, "reserved"),
    ({"": "x"}, "1 to 128"),
    ({"k" * 129: "x"}, "1 to 128"),
    ({"k": "v" * 257}, "at most 256"),
    ({"k": "line\n"}, "may contain only"),
    ({"k!": "v"}, "may contain only"),
    ({"k": {"nested": 1}}, "must be a string"),
    ({"k": True}, "must be a string"),
    (["k", "v"], "mapping"),
])
def test_tags(tags, problem):
    found = check_tags(tags)
    assert (found is None) if problem is None else (problem in found), found


def test_tags_with_a_lower_limit():
    assert "at most 47" in check_tags({f"k{i}": "v" for i in range(48)}, max_count=47)


@pytest.mark.parametrize(("region", "problem"), [
    ("us-east-2", None), ("eu-west-1", None), ("us-gov-west-1", None), ("cn-north-1", None),
    ("us-esat-2", "is not a region of partition aws known to botocore"),
    ("cn-south-9", "is not a region of partition aws-cn"),
    ("mars-1", "is not an AWS region name"), ("us-east-2\n", "is not"), ("", "is empty"), (None, "is empty"),
])
def test_region_among_botocores_known_regions(region, problem):
    found = check_region(region)
    assert (found is None) if problem is None else (problem in found), found


@pytest.mark.parametrize(("origin", "ok"), [
    ("https://example.com", True), ("http://localhost:8080", True), ("https://x.com\n", False),
    ("https://x.com/", False), ("https://*.x.com", False), ("x.com", False),
])
def test_origin_is_matched_in_full(origin, ok):
    assert (check_origin(origin) is None) == ok


def keys(root: Path, excluded=lambda key: False) -> list[str]:
    return [key for key, unused in files_under(root, "src", excluded)]


def test_files_under_follows_links_inside_and_skips_excluded(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text("x")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    (tmp_path / "y.txt").symlink_to(tmp_path / "a" / "x.txt")
    (tmp_path / ".git").symlink_to("/etc")
    assert keys(tmp_path, lambda key: key.startswith(".")) == ["a/x.txt", "b/x.txt", "y.txt"]


@pytest.mark.parametrize("target", ["/etc/ssl/certs", "/etc/hostname", "../outside"])
def test_files_under_refuses_links_leaving_the_root(tmp_path, target):
    root = tmp_path / "root"
    root.mkdir()
    (tmp_path / "outside").write_text("secret")
    (root / "link").symlink_to(target)
    with pytest.raises(InvalidInput, match=r"^src: link is a symbolic link to .*, outside "):
        keys(root)


def test_files_under_refuses_a_loop(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "up").symlink_to(tmp_path)
    with pytest.raises(InvalidInput, match="a loop"):
        keys(tmp_path)


FUNCTION = r"[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]+)?"


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:lambda:us-east-2:123456789012:function:counter",
        "arn:aws:lambda:us-east-2:123456789012:function:counter:live",
        "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:counter",
    ],
)
def test_check_arn_accepts(arn: str) -> None:
    assert check_arn(arn, "lambda", "function", FUNCTION) is None


@pytest.mark.parametrize(
    "arn",
    [
        "counter",
        "arn:aws:lambda:us-east-2:123456789012:function:counter\n",
        "xarn:aws:lambda:us-east-2:123456789012:function:counter",
        "arn:aws:lambda::123456789012:function:counter",
        "arn:aws:lambda:us-east-2:1234:function:counter",
        "arn:aws:lambda:us-east-2:123456789012:layer:counter",
        "arn:aws:logs:us-east-2:123456789012:function:counter",
        "arn:aws:lambda:us-east-2:123456789012:function:" + "x" * 65,
        None,
    ],
)
def test_check_arn_refuses(arn: str) -> None:
    assert check_arn(arn, "lambda", "function", FUNCTION).endswith("is not an ARN of lambda function")


def test_check_arn_without_resource_type_matches_the_whole_resource() -> None:
    assert check_arn("arn:aws:sns:us-east-2:123456789012:alarms.fifo", "sns", None, r"[A-Za-z0-9_-]+(\.fifo)?") is None
    assert check_arn("arn:aws:sns:us-east-2:123456789012:a/b", "sns", None, r"[A-Za-z0-9_-]+") is not None


KEY_UUID = "1234abcd-12ab-34cd-56ef-1234567890ab"


@pytest.mark.parametrize(("value", "ok"), [
    (KEY_UUID, True),
    ("mrk-" + "0" * 32, True),
    ("alias/cloudresume", True),
    (f"arn:aws:kms:us-east-2:123456789012:key/{KEY_UUID}", True),
    (f"arn:aws:kms:us-east-2:123456789012:key/mrk-{'a' * 32}", True),
    ("arn:aws:kms:us-east-2:123456789012:alias/cloudresume", True),
    ("arn:aws:kms:us-east-2:123456789012:key/" + "-" * 36, False),  # 36 characters, but not a key id
    (KEY_UUID.upper(), False),
    ("alias/cloudresume\n", False),
    ("my key", False),
])
def test_kms_key_takes_what_a_keyid_parameter_takes(value: str, ok: bool) -> None:
    assert bool(KMS_KEY.fullmatch(value)) is ok


def test_a_key_arn_is_checked_with_the_same_key_id() -> None:
    assert check_arn(f"arn:aws:kms:us-east-2:123456789012:key/{KEY_UUID}", "kms", "key", KMS_KEY_ID) is None
    assert check_arn("arn:aws:kms:us-east-2:123456789012:alias/cloudresume", "kms", "key", KMS_KEY_ID) is not None


@pytest.mark.parametrize(("value", "message"), [
    ('{"Version": ', "policy: not valid JSON (Expecting value"),
    ("[1]", "policy: must be a policy document, got list"),
    (7, "policy: must be a policy document, got int"),
])
def test_json_object_names_the_field_of_a_bad_document(value, message):
    with pytest.raises(InvalidInput) as caught:
        json_object("policy", value, "a policy document")
    assert str(caught.value).startswith(message)


def test_json_object_takes_a_mapping_or_its_json():
    assert json_object("body", {"widgets": []}, "x") == json_object("body", '{"widgets": []}', "x") == {"widgets": []}
