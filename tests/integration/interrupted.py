"""Shared by the interrupted-run tests: kill a deploy right after a given AWS call, rerun, count resources.

A kill point is a mutating AWS call of a deploy (``service:Operation`` as the emulator logs it, ``#n`` for its n-th
call in the run). The playbook is killed (SIGKILL, with its module processes) as soon as the emulator has answered
that call, the nastiest moment: AWS has created something the run never recorded. The rerun must complete, and the
account must then hold exactly one of each of the stack's resources, and the site must owe no invalidation.

The thirteen points are served by two chains (``KILL_CHAINS``): a deploy of the point's layer (``--tags <layer>``,
as a user redeploys one layer) is killed at a chain's first point, the next point's layer deploy at the second, and
so on; one last whole run (``site.yml``) must complete. A layer deploy meets the orphans the earlier kills left in its
layer, adopts them and runs the tasks that use them before it reaches its point (the next point of a layer is after
the tasks that use the orphan: the function after its role, the distribution after the bucket's settings and its
headers policy, the uploads after the distribution, the topic after its key); the last run meets what every kill left
in every layer at once, the hardest rerun, and must adopt it all. After every kill the account holds at most one of
each resource, and at the end exactly one. A point may carry checks of its own (``interrupt_chain_then_rerun``'s
``checks``: what the kill left, what a later run made of it). One chain costs its killed layer runs plus one full run
(a killed layer run skips the layers before it: about 40% less than killing whole runs, and eleven full runs fewer
than one full rerun per point).
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from botocore.exceptions import ClientError

from .conftest import BIN, ROOT, Emulator, run_playbook

# Spread over the four layers, each chain in deploy order (see the module's docstring for why a chain holds). Chain 1
# also holds the points of work a kill used to lose (test_interrupted_chain_1.py: the bucket before anything points
# at it, the second upload of the site after the record of what to invalidate), chain 2 the alarm topic's key
# before its alias (test_interrupted_chain_2.py).
KILL_CHAINS = (
    ("dynamodb:CreateTable", "iam:CreateRole", "apigatewayv2:CreateApi", "s3:CreateBucket",
     "cloudfront:CreateDistributionWithTags", "s3:PutObject#2", "cloudwatch:PutMetricAlarm"),
    ("dynamodb:UpdateContinuousBackups", "lambda:CreateFunction", "cloudfront:CreateResponseHeadersPolicy",
     "s3:PutObject", "kms:CreateKey", "sns:CreateTopic"),
)
ONE_OF_EACH = {"distribution": 1, "origin access control": 1, "headers policy": 1, "api": 1, "role": 1,
               "function": 1, "table": 1, "topic": 1, "dashboard": 1, "bucket": 1, "kms key": 1}
# Where s3_site_sync records the paths it still has to invalidate (its pending_invalidation_key default).
PENDING_INVALIDATION = ".deploy/pending-invalidation.json"


def resources(emulator: Emulator) -> Counter[str]:
    """How many of each of the stack's resources the account holds."""
    cloudfront = emulator.client("cloudfront", region="us-east-1")
    found: Counter[str] = Counter()
    found["distribution"] = len(cloudfront.list_distributions()["DistributionList"].get("Items", []))
    found["origin access control"] = len(
        cloudfront.list_origin_access_controls()["OriginAccessControlList"].get("Items", []))
    policies = cloudfront.list_response_headers_policies(Type="custom")["ResponseHeadersPolicyList"]
    found["headers policy"] = len(policies.get("Items", []))
    found["api"] = len(emulator.client("apigatewayv2").get_apis()["Items"])
    found["role"] = len(emulator.client("iam").list_roles()["Roles"])
    found["function"] = len(emulator.client("lambda").list_functions()["Functions"])
    found["table"] = len(emulator.client("dynamodb").list_tables()["TableNames"])
    found["topic"] = len(emulator.client("sns").list_topics()["Topics"])
    found["dashboard"] = len(emulator.client("cloudwatch").list_dashboards()["DashboardEntries"])
    found["bucket"] = len(emulator.client("s3").list_buckets()["Buckets"])
    found["kms key"] = len(customer_keys(emulator))
    return found


def customer_keys(emulator: Emulator) -> list[str]:
    """Ids of the customer managed KMS keys (not those AWS manages, such as aws/dynamodb)."""
    kms = emulator.client("kms")
    return [k["KeyId"] for k in kms.list_keys()["Keys"]
            if kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"]["KeyManager"] == "CUSTOMER"]


def pending_invalidation(emulator: Emulator) -> dict | None:
    """The invalidation the site's bucket records as owed, None when none is."""
    s3 = emulator.client("s3")
    buckets = s3.list_buckets()["Buckets"]
    if not buckets:
        return None
    try:
        return json.loads(s3.get_object(Bucket=buckets[0]["Name"], Key=PENDING_INVALIDATION)["Body"].read())
    except ClientError:
        return None


def invalidations(emulator: Emulator) -> list[tuple[str, list[str]]]:
    """(caller reference, paths) of every invalidation of the site's distribution."""
    cloudfront = emulator.client("cloudfront", region="us-east-1")
    distribution_id = cloudfront.list_distributions()["DistributionList"]["Items"][0]["Id"]
    listed = cloudfront.list_invalidations(DistributionId=distribution_id)["InvalidationList"].get("Items", [])
    batches = [cloudfront.get_invalidation(DistributionId=distribution_id, Id=i["Id"])["Invalidation"]["InvalidationBatch"]
               for i in listed]
    return [(b["CallerReference"], sorted(b["Paths"].get("Items", []))) for b in batches]


def assert_site_owes_nothing(emulator: Emulator) -> None:
    """No recorded invalidation is left, and every object of the site was invalidated at least once."""
    assert pending_invalidation(emulator) is None
    s3 = emulator.client("s3")
    bucket = s3.list_buckets()["Buckets"][0]["Name"]
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])}
    invalidated = {path for _reference, paths in invalidations(emulator) for path in paths}
    assert "/*" in invalidated or {f"/{k}" for k in keys} <= invalidated, (keys, invalidated)


# The alarm topic's customer managed key is opt-in: these deploys include it, so an interruption around CreateKey is
# covered too.
DEPLOY_VARS = {"monitoring_topic_cmk": "true"}


# The layer (site.yml's tag) each kill point's service belongs to.
LAYER_OF = {"dynamodb": "counter_db", "iam": "counter_api", "lambda": "counter_api", "apigatewayv2": "counter_api",
            "s3": "static_site", "cloudfront": "static_site", "kms": "monitoring", "sns": "monitoring",
            "cloudwatch": "monitoring"}
# Points whose run takes more layers, as a user would: monitoring refuses to start while the HTTP API is missing
# ("Run the counter_db and counter_api layers first"), and chain 2's kill at lambda:CreateFunction came before it.
RUN_LAYERS = {"kms:CreateKey": "counter_api,monitoring"}


def start_deploy(emulator: Emulator, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}", "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
           "ANSIBLE_COLLECTIONS_PATH": str(ROOT / ".venv" / "collections"), "EMULATOR_PORT": str(emulator.port)}
    extra = [arg for key, value in DEPLOY_VARS.items() for arg in ("-e", f"{key}={value}")]
    return subprocess.Popen([str(BIN / "ansible-playbook"), "-i", str(ROOT / "inventories" / "local"), "site.yml", *extra, *args],
                            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def kill_after(emulator: Emulator, process: subprocess.Popen[bytes], point: str, nth: int = 1) -> None:
    """SIGKILL the playbook's process group as soon as the emulator has answered the ``nth`` call ``point``."""
    deadline = time.monotonic() + 600
    seen = len(emulator.calls())  # the playbook makes no AWS call in its first second: nothing is missed
    count = 0
    while time.monotonic() < deadline and process.poll() is None:
        calls = emulator.calls(seen)  # only the lines logged since the last look
        seen += len(calls)
        count += [f"{c['service']}:{c['operation']}" for c in calls if c["mutating"]].count(point)
        if count >= nth:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return
        time.sleep(0.02)
    pytest.fail(f"the deploy ended (rc {process.returncode}) after {count} of {nth} calls {point}")


# A check of what a kill left: the emulator, and a dict the chain's checks share.
Check = Callable[[Emulator, dict[str, Any]], None]


def interrupt_chain_then_rerun(emulator: Emulator, chain: tuple[str, ...],
                               checks: dict[str, Check] | None = None) -> dict[str, Any]:
    """A deploy of each point's layer killed at that point, in the chain's order, then a whole run that completes.

    ``checks[point]`` runs right after the kill at ``point`` (before the next run); ``checks["end"]`` after the
    completed run. Returns the dict the checks shared."""
    emulator.command("reset")
    shared: dict[str, Any] = {}
    for point in chain:
        call, _sep, nth = point.partition("#")
        layers = RUN_LAYERS.get(point, LAYER_OF[call.split(":")[0]])
        kill_after(emulator, start_deploy(emulator, "--tags", layers), call, int(nth or 1))
        half_built = resources(emulator)
        assert all(count <= 1 for count in half_built.values()), (point, half_built)
        (checks or {}).get(point, lambda *unused: None)(emulator, shared)
    rerun = run_playbook(emulator, "site.yml", extra_vars=DEPLOY_VARS)
    assert rerun.returncode == 0, f"the whole run after kills at {', '.join(chain)} failed:\n{rerun.output[-3000:]}"
    assert resources(emulator) == ONE_OF_EACH, f"after kills at {', '.join(chain)}"
    assert_site_owes_nothing(emulator)
    (checks or {}).get("end", lambda *unused: None)(emulator, shared)
    return shared
