"""cloudresume.aws.s3_site_sync against in-process moto."""
from __future__ import annotations

import pytest

from ansible_collections.cloudresume.aws.plugins.modules import s3_site_sync

BUCKET = "site-bucket"  # made by the s3 fixture (conftest.py)
RULES = [{"pattern": "*.html", "value": "no-cache"}, {"pattern": "config.json", "value": "no-cache"}]


@pytest.fixture
def site(tmp_path):
    (tmp_path / "css").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>cv</title>")
    (tmp_path / "404.html").write_text("<!doctype html><title>not found</title>")
    (tmp_path / "css" / "site.css").write_text("body{margin:0}")
    (tmp_path / "app.js").write_text("export {};")
    (tmp_path / "favicon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (tmp_path / ".DS_Store").write_bytes(b"\0")
    return tmp_path


def sync(run_module, site, check_mode=False, **extra):
    args = {"bucket": BUCKET, "src": str(site), "cache_control": RULES, "delete": True,
            "default_cache_control": "public, max-age=31536000, immutable",
            "generated_files": {"config.json": '{"counterUrl": null}'}, **extra}
    return run_module(s3_site_sync, args, check_mode=check_mode, diff=True)


def test_first_run_uploads_everything_with_types_and_cache_control(run_module, s3, site):
    result, failed = sync(run_module, site)
    assert not failed and result["changed"]
    assert result["uploaded"] == ["404.html", "app.js", "config.json", "css/site.css", "favicon.svg", "index.html"]
    expected = {
        "index.html": ("text/html; charset=utf-8", "no-cache"),
        "config.json": ("application/json; charset=utf-8", "no-cache"),
        "css/site.css": ("text/css; charset=utf-8", "public, max-age=31536000, immutable"),
        "app.js": ("text/javascript; charset=utf-8", "public, max-age=31536000, immutable"),
        "favicon.svg": ("image/svg+xml; charset=utf-8", "public, max-age=31536000, immutable"),
    }
    for key, (kind, cache) in expected.items():
        head = s3.head_object(Bucket=BUCKET, Key=key)
        assert (head["ContentType"], head["CacheControl"]) == (kind, cache), key
    assert s3.get_object(Bucket=BUCKET, Key="config.json")["Body"].read() == b'{"counterUrl": null}'
    assert "/" in result["invalidation_paths"] and "/index.html" in result["invalidation_paths"]


def test_rerun_uploads_nothing_and_invalidates_nothing(run_module, s3, site, operations):
    sync(run_module, site)
    operations.clear()
    result, _failed = sync(run_module, site)
    assert not result["changed"] and result["uploaded"] == [] and result["invalidation_paths"] == []
    assert result["unchanged"] == 6
    assert [o for o in operations if o not in ("ListObjectsV2", "HeadObject")] == []


def test_one_changed_file_is_one_upload_and_one_path(run_module, s3, site):
    sync(run_module, site)
    (site / "css" / "site.css").write_text("body{margin:1rem}")
    result, _failed = sync(run_module, site)
    assert result["uploaded"] == ["css/site.css"] and result["invalidation_paths"] == ["/css/site.css"]


def test_touching_a_file_without_changing_it_uploads_nothing(run_module, s3, site):
    sync(run_module, site)
    (site / "app.js").write_text("export {};")  # new mtime, same content
    result, _failed = sync(run_module, site)
    assert not result["changed"]


def test_changed_cache_rule_reuploads_the_matching_objects(run_module, s3, site):
    sync(run_module, site)
    result, _failed = sync(run_module, site, default_cache_control="public, max-age=60")
    assert result["uploaded"] == ["app.js", "css/site.css", "favicon.svg"]


def test_removed_file_is_deleted_and_its_old_version_kept(run_module, s3, site):
    sync(run_module, site)
    (site / "app.js").unlink()
    result, _failed = sync(run_module, site)
    assert result["deleted"] == ["app.js"] and result["invalidation_paths"] == ["/app.js"]
    assert result["diff"]["after"] == {"app.js": "absent"}
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert "app.js" not in keys
    versions = s3.list_object_versions(Bucket=BUCKET, Prefix="app.js")
    assert len(versions["Versions"]) == 1 and len(versions["DeleteMarkers"]) == 1


def test_without_delete_extra_objects_stay(run_module, s3, site):
    s3.put_object(Bucket=BUCKET, Key="keep.txt", Body=b"x")
    result, _failed = sync(run_module, site, delete=False)
    assert result["deleted"] == []
    assert s3.head_object(Bucket=BUCKET, Key="keep.txt")


def test_check_mode_reports_without_uploading(run_module, s3, site, operations):
    result, _failed = sync(run_module, site, check_mode=True)
    assert result["changed"] and len(result["uploaded"]) == 6
    assert [o for o in operations if o not in ("ListObjectsV2", "HeadObject")] == []
    assert "Contents" not in s3.list_objects_v2(Bucket=BUCKET)


def test_many_changes_collapse_to_one_wildcard(run_module, s3, site):
    result, _failed = sync(run_module, site, invalidation_max_paths=3)
    assert result["invalidation_paths"] == ["/*"]


@pytest.mark.parametrize(("change", "field"), [
    ({"src": "/nonexistent/site"}, "src:"),
    ({"generated_files": {"/config.json": "{}"}}, "generated_files:"),
    ({"generated_files": {"../x": "{}"}}, "generated_files:"),
    ({"invalidation_max_paths": 0}, "invalidation_max_paths:"),
    ({"generated_files": {"config.json": {"counterUrl": None}}}, "generated_files.config.json: the content must be a string"),
    ({"generated_files": {"config.json": 5}}, "generated_files.config.json: the content must be a string"),
    ({"generated_files": {"x" * 1025: "{}"}}, "generated_files:"),
    ({"content_types": {".md": 5}}, "content_types..md: 5 is not a media type"),
    ({"content_types": {".md": ["text/markdown"]}}, "content_types..md:"),
    ({"content_types": {".md": "text/markdown\n"}}, "content_types..md:"),
    ({"content_types": {"md": "text/markdown"}}, "content_types: 'md' is not a file extension"),
    ({"bucket": "Site_Bucket"}, "bucket:"),
    ({"bucket": "site-bucket\n"}, "bucket:"),
])
def test_bad_input_fails_before_any_call(run_module, site, operations, change, field):
    result, failed = sync(run_module, site, **change)
    assert failed and result["msg"].startswith(field)
    assert operations == []


def test_missing_bucket_names_the_field(run_module, aws, site):
    result, failed = run_module(s3_site_sync, {"bucket": "no-such-bucket", "src": str(site)})
    assert failed and result["msg"].startswith("bucket:")


def test_missing_bucket_in_check_mode_counts_as_empty(run_module, aws, site):
    result, failed = run_module(s3_site_sync, {"bucket": "no-such-bucket", "src": str(site)}, check_mode=True)
    assert not failed and result["changed"] and "index.html" in result["uploaded"]


def test_symlink_leaving_the_folder_is_refused_before_any_call(run_module, site, operations, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.txt").write_text("not for the web")
    (site / "notes.txt").symlink_to(outside / "secret.txt")
    result, failed = sync(run_module, site)
    assert failed and result["msg"].startswith("src: notes.txt is a symbolic link to ")
    assert "outside" in result["msg"] and operations == []


def test_symlinked_folder_leaving_the_folder_is_refused(run_module, site, operations):
    (site / "certs").symlink_to("/etc/ssl/certs")
    result, failed = sync(run_module, site)
    assert failed and result["msg"].startswith("src: certs is a symbolic link to /etc/ssl/certs")
    assert operations == []


def test_symlink_inside_the_folder_is_uploaded(run_module, s3, site):
    (site / "cv.html").symlink_to(site / "index.html")
    result, failed = sync(run_module, site)
    assert not failed and "cv.html" in result["uploaded"]
    assert s3.get_object(Bucket=BUCKET, Key="cv.html")["Body"].read() == (site / "index.html").read_bytes()


def test_excluded_symlink_is_not_looked_at(run_module, s3, site):
    (site / ".git").symlink_to("/etc")
    result, failed = sync(run_module, site)
    assert not failed and not any(k.startswith(".git") for k in result["objects"])
