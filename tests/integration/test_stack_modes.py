"""The whole stack as a product: a change seen in check mode exactly, tag-scoped deploys that touch only their
layer's services, --skip-tags. (Check mode on an empty account is in test_iam_lifecycle.py, under the check role.)"""
from __future__ import annotations

import shutil

import pytest

from .conftest import ROOT, emulator_fixture, run_playbook

emulator = emulator_fixture()

# The AWS services each layer may change; any other service is only read.
LAYER_SERVICES = {
    "counter_db": {"dynamodb"},
    "counter_api": {"iam", "lambda", "apigatewayv2", "logs"},
    "static_site": {"s3", "cloudfront"},
    "monitoring": {"sns", "kms", "cloudwatch", "logs"},
}


@pytest.mark.parametrize("layer", list(LAYER_SERVICES))
def test_a_tagged_run_changes_only_its_layer(emulator, layer):
    if layer == "counter_db":
        emulator.command("reset")
    run = run_playbook(emulator, "site.yml", "--tags", layer)
    assert run.returncode == 0, run.output[-4000:]
    assert run.mutating, f"--tags {layer} on a stack without it created nothing"
    touched = {call.split(":")[0] for call in run.mutating}
    assert touched <= LAYER_SERVICES[layer], f"--tags {layer} changed {sorted(touched)}: {run.mutating}"


def test_the_layers_deployed_one_by_one_then_the_whole_run_wires_them(emulator):
    """After layer-by-layer deploys, a full run only wires the API's CORS to the site (created after the API)."""
    run = run_playbook(emulator, "site.yml")
    assert run.returncode == 0, run.output[-4000:]
    assert run.mutating == ["apigatewayv2:UpdateApi"], run.mutating


def test_skip_tags_leaves_the_skipped_layers_alone(emulator):
    run = run_playbook(emulator, "site.yml", "--skip-tags", "static_site,monitoring")
    assert run.returncode == 0, run.output[-4000:]
    assert run.mutating == []
    assert "cloudresume.aws.static_site" not in run.output
    assert "cloudresume.aws.monitoring" not in run.output


def test_check_mode_shows_exactly_the_inventory_changes(emulator, tmp_path):
    """A throttling change and a changed site file: check mode reports those two, and changes nothing.

    (Check mode on the converged stack reporting changed=0 is asserted by test_iam_lifecycle.py, under the check role.)
    """
    site = tmp_path / "site"
    shutil.copytree(ROOT / "files" / "site", site)
    (site / "style.css").write_text((site / "style.css").read_text() + "\n/* changed */\n")
    run = run_playbook(emulator, "site.yml", "--check", "--diff",
                       extra_vars={"counter_api_throttling_rate_limit": 25, "static_site_source_dir": str(site)})
    assert run.returncode == 0, run.output[-4000:]
    assert run.stats["changed"] == 2, run.output[-4000:]
    assert "throttling_rate_limit" in run.output
    assert "style.css" in run.output
    assert run.mutating == []
