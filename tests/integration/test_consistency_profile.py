"""The lifecycle under AWS's consistency profile (tools/emulator/consistency.py): deploy, rerun, teardown all converge,
and the first deploy, in one run, wires the layers to each other (tests/integration/wiring.py) in this account, which
holds only the stack.

The emulator answers as a real account does right after a change (a new role not yet assumable by Lambda, point-in-
time recovery not yet available on a new table, a function Pending, a distribution InProgress) and throttles every
4th call of each CloudFront, IAM and API Gateway operation. The roles and modules converge with bounded retries; the
test prints, per step, the answers the profile gave (the retries they cost) from the emulator's logs.
"""
from __future__ import annotations

import time
from collections import Counter
from typing import Any

from emulator.requestlog import read_log

from .conftest import Emulator, emulator_fixture, run_playbook
from .wiring import assert_layers_wired

# role=20: the function's role is created three tasks (5-15 s) before the function, so CreateFunction meets it.
# throttle=4: a whole lifecycle makes only four calls of its most called CloudFront operation (ListDistributions, once
# per run and once more when the distribution is new), so every 4th call is refused for CloudFront to be throttled too.
PROFILE = "role=20,pitr=3,lambda=3,cloudfront=5,throttle=4"
emulator = emulator_fixture(consistency=PROFILE)
STEPS = (("deploy", "site.yml", {}), ("rerun", "site.yml", {}),
         ("teardown", "playbooks/teardown.yml", {"stack_destroy_data": "true"}))
THROTTLES = ("Throttling", "TooManyRequestsException")


def run_steps(emulator: Emulator) -> dict[str, dict[str, Any]]:
    steps = {}
    for name, playbook, extra_vars in STEPS:
        mark = len(read_log(emulator.consistency_log_path))
        started = time.monotonic()
        run = run_playbook(emulator, playbook, extra_vars=extra_vars)
        steps[name] = {"run": run, "seconds": time.monotonic() - started,
                       "answers": read_log(emulator.consistency_log_path, mark)}
        assert run.returncode == 0, f"{name} failed:\n{run.output[-4000:]}"
        if name == "deploy":
            assert_layers_wired(emulator)  # read before the next step's mark: its answers are not the rerun's
    return steps


def waited(step: dict[str, Any]) -> float:
    """Seconds spent between an answer of the profile and the next successful call of that operation (the retry
    that got through), overlapping spans counted once."""
    spans = []
    for answer in step["answers"]:
        retried = [c["ts"] for c in step["run"].calls if c["ts"] > answer["ts"] and c["status"] < 400
                   and (c["service"], c["operation"]) == (answer["service"], answer["operation"])]
        spans += [(answer["ts"], min(retried))] if retried else []
    total, reached = 0.0, 0.0
    for start, end in sorted(spans):
        total += max(0.0, end - max(start, reached))
        reached = max(reached, end)
    return total


def report(steps: dict[str, dict[str, Any]]) -> str:
    lines = ["step      seconds  calls  retries  retry wait s  answers the profile gave (service:operation code x n)"]
    for name, step in steps.items():
        answers = Counter(f"{a['service']}:{a['operation']} {a['code']}" for a in step["answers"])
        lines.append(f"{name:9} {step['seconds']:7.1f}  {len(step['run'].calls):5}  {len(step['answers']):7}  "
                     f"{waited(step):12.1f}  " + ", ".join(f"{answer} x{n}" for answer, n in sorted(answers.items())))
    teardown = {c["operation"]: c["ts"] for c in steps["teardown"]["run"].calls if c["service"] == "cloudfront"}
    lines.append(f"teardown: distribution disabled -> deleted in "
                 f"{teardown['DeleteDistribution'] - teardown['UpdateDistribution']:.1f} s (waiting for Deployed)")
    return "\n".join(lines)


def test_deploy_rerun_and_teardown_converge_with_bounded_retries(emulator):
    steps = run_steps(emulator)
    print("\n" + report(steps))

    rerun = steps["rerun"]["run"]
    assert rerun.stats["changed"] == 0 and rerun.mutating == []

    # Every answer the profile gave is in the request log with its status: the calls a run retried.
    for name, step in steps.items():
        given = Counter((a["service"], a["operation"], a["status"]) for a in step["answers"])
        logged = Counter((c["service"], c["operation"], c["status"]) for c in step["run"].calls)
        assert not given - logged, f"{name}: answers missing from the request log: {given - logged}"

    deploy_codes = {(a["operation"], a["code"]) for a in steps["deploy"]["answers"]}
    assert ("UpdateContinuousBackups", "ContinuousBackupsUnavailableException") in deploy_codes
    throttled = [a for step in steps.values() for a in step["answers"] if a["code"] in THROTTLES]
    assert {a["service"] for a in throttled} >= {"cloudfront", "iam"}

    assert emulator.client("lambda").list_functions()["Functions"] == []
    assert emulator.client("cloudfront", region="us-east-1").list_distributions()["DistributionList"].get(
        "Items", []) == []
    assert emulator.client("dynamodb").list_tables()["TableNames"] == []
