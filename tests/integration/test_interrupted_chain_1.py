"""Layer deploys killed at seven AWS calls, one per run, each meeting the orphans earlier kills left in its layer, then
a whole run that completes with one of each resource (chain 1 of interrupted.KILL_CHAINS; the two chains cover the thirteen points).

Two of its points are interruptions that used to lose work, with checks of their own:

- ``s3:CreateBucket``: the bucket comes before anything of the site points at it (no distribution yet).
- The second ``s3:PutObject`` of the site: s3_site_sync has recorded the paths to invalidate (the first PutObject)
  and uploaded one file, not invalidated it. Before the record, the rerun found that file unchanged and never
  invalidated it; now the completing run invalidates every recorded path under the recorded caller reference, once.
"""
from __future__ import annotations

import warnings
from typing import Any

from .conftest import ROOT, Emulator, emulator_fixture
from .interrupted import KILL_CHAINS, interrupt_chain_then_rerun, invalidations, pending_invalidation, resources

emulator = emulator_fixture()
SITE = ROOT / "files" / "site"
# The site's files (dot files are not uploaded), the config.json the role writes, and the 404 page and favicon it
# adds from the collection when the folder has none (the sample has none).
SITE_OBJECTS = sorted({p.relative_to(SITE).as_posix() for p in SITE.rglob("*") if p.is_file()
                       and not any(part.startswith(".") for part in p.relative_to(SITE).parts)}
                      | {"config.json", "404.html", "favicon.svg"})


def bucket_before_the_distribution(emulator: Emulator, shared: dict[str, Any]) -> None:
    found = resources(emulator)
    assert (found["bucket"], found["distribution"]) == (1, 0), found


def uploads_recorded(emulator: Emulator, shared: dict[str, Any]) -> None:
    owed = shared["owed"] = pending_invalidation(emulator)
    made = invalidations(emulator)
    if made:
        # The rest of the uploads and the invalidation took less time than the kill needed to land (a busy
        # machine). Killed after CreateInvalidation, the record may still be there: the rerun then sends the same
        # reference and paths, which CloudFront answers with the same invalidation. The owed rerun itself is
        # unit-tested (tests/unit/plugins/modules/test_s3_site_sync_invalidation.py); say it was not exercised here.
        warnings.warn("the kill at the 2nd s3:PutObject came after the invalidation: the owed-invalidation rerun "
                      "was not exercised in this run")
        assert owed is None or (owed["caller_reference"], owed["paths"]) in made
    else:
        assert owed is not None and owed["paths"] == sorted({f"/{key}" for key in SITE_OBJECTS} | {"/"})


def owed_invalidation_made_once(emulator: Emulator, shared: dict[str, Any]) -> None:
    owed = shared["owed"]
    if owed is not None:
        assert (owed["caller_reference"], owed["paths"]) in invalidations(emulator)
    assert pending_invalidation(emulator) is None
    assert len(invalidations(emulator)) == 1  # no second invalidation of the same content


def test_reruns_after_kills_complete_with_one_of_each_resource_and_lose_no_invalidation(emulator):
    interrupt_chain_then_rerun(emulator, KILL_CHAINS[0], {
        "s3:CreateBucket": bucket_before_the_distribution, "s3:PutObject#2": uploads_recorded,
        "end": owed_invalidation_made_once})
