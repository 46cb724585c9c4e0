"""Benchmarks of the stack on its own emulator: deploy, no-op rerun, check mode, one tagged layer (wall time,
ratio to an Ansible floor with the same number of trivial tasks, read/mutating AWS calls per resource), where the
time goes (the slowest tasks, the module processes each run starts, and what one such process costs before its
first AWS call), the handler (DynamoDB calls per request, import time, lost updates at N concurrent increments
against a read-then-write handler in the same harness) and the page (bytes and requests). See tools/benchmarks/README.md."""
from __future__ import annotations

import argparse
import contextlib
import io
import importlib.util
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import boto3

from emulator.__main__ import reset, start, state_dir, stop, url
from emulator.requestlog import read_log

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
STACK = "cloudresume"
TASK_LINE = re.compile(r"^TASK \[", re.MULTILINE)
ASSET = re.compile(r'(?:href|src)="([^"#:]+)"')
# The module interpreter that logs each process Ansible starts, and the callback that times each task.
COUNTED_PYTHON = ROOT / "tools" / "benchmarks" / "python-counted"
CALLBACKS = ROOT / "tools" / "benchmarks" / "callback_plugins"
TOP_TASKS = 10
# Each run is made REPEATS times (the median kept), and each floor is the median of REPEATS.
REPEATS = 3
CROWDED_RUN = "no-op rerun, crowded account"
AWS_ACTIONS = ("amazon.aws.", "community.aws.", "cloudresume.aws.")  # modules that import boto3 and make AWS calls
# What one module process pays before its first AWS call, step by step (each a fresh interpreter).
PROCESS_STEPS = {
    "python start": "pass",
    "+ import ansible.module_utils.basic": "import ansible.module_utils.basic",
    "+ import AnsibleAWSModule (amazon.aws)":
        "import ansible.module_utils.basic\n"
        "from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule",
    "+ import boto3 and create a client":
        "import ansible.module_utils.basic\n"
        "from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule\n"
        "import boto3\nboto3.client('dynamodb', region_name='us-east-2', aws_access_key_id='x', aws_secret_access_key='x')",
}


class Bench:
    def __init__(self, port: int) -> None:
        self.port = port
        self.log = state_dir(port) / "requests.jsonl"
        self.env = {**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "EMULATOR_PORT": str(port),
                    "ANSIBLE_COLLECTIONS_PATH": str(ROOT / ".venv" / "collections"), "ANSIBLE_NOCOLOR": "1",
                    "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                    "ANSIBLE_CALLBACK_PLUGINS": str(CALLBACKS), "ANSIBLE_CALLBACKS_ENABLED": "task_times"}

    def client(self, service: str, region: str = "us-east-2") -> Any:
        """A client of the benchmark's emulator (also what tests/integration/neighbours.py seeds an account with)."""
        return boto3.client(service, endpoint_url=url(self.port), region_name=region,
                            aws_access_key_id="testing", aws_secret_access_key="testing")

    def playbook(self, playbook: str, *args: str) -> dict[str, Any]:
        """One run: its wall time and AWS calls, the module processes it started and each task's wall time."""
        mark = len(read_log(self.log))
        with tempfile.TemporaryDirectory() as folder:
            processes, times = Path(folder) / "processes.log", Path(folder) / "tasks.json"
            processes.touch()
            env = {**self.env, "BENCH_PROCESS_LOG": str(processes), "BENCH_TASK_TIMES": str(times)}
            began = time.perf_counter()
            done = subprocess.run([str(BIN / "ansible-playbook"), "-i", "inventories/local", playbook, *args,
                                   "-e", f"ansible_python_interpreter={COUNTED_PYTHON}"],
                                  cwd=ROOT, env=env, capture_output=True, text=True, check=False)
            seconds = time.perf_counter() - began
            if done.returncode != 0:
                sys.exit(f"{playbook} {' '.join(args)} failed:\n{done.stdout[-3000:]}{done.stderr[-2000:]}")
            started = [float(line) for line in processes.read_text().splitlines()]
            tasks = json.loads(times.read_text())
        for task in tasks:
            began, ended = task.pop("start"), task.pop("end")
            task["processes"] = sum(began <= at < ended for at in started)
        calls = read_log(self.log, mark)
        return {"seconds": round(seconds, 2), "tasks": len(TASK_LINE.findall(done.stdout)),
                "reads": sum(not c["mutating"] for c in calls), "mutating": sum(c["mutating"] for c in calls),
                "mutating_calls": sorted({f"{c['service']}:{c['operation']}" for c in calls if c["mutating"]}),
                "module_processes": len(started),
                "aws_module_processes": sum(t["processes"] for t in tasks if t["action"].startswith(AWS_ACTIONS)),
                "task_times": tasks}

    def floor(self, tasks: int) -> float:
        """Median wall time of REPEATS playbooks with ``tasks`` trivial tasks: what Ansible costs before any AWS
        call."""
        return statistics.median(self._floor_once(tasks) for _ in range(REPEATS))

    def _floor_once(self, tasks: int) -> float:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "floor.yml"
            body = "".join(f"    - name: Task {i}\n      ansible.builtin.debug:\n        msg: {i}\n"
                           for i in range(tasks))
            path.write_text(f"- name: Floor\n  hosts: localhost\n  gather_facts: false\n  tasks:\n{body}")
            began = time.perf_counter()
            subprocess.run([str(BIN / "ansible-playbook"), "-i", "inventories/local", str(path)], cwd=ROOT,
                           env=self.env, capture_output=True, check=True)
            return time.perf_counter() - began

    def resources(self) -> dict[str, int]:
        """The stack's resources in the emulator, by kind."""
        prefix = f"{STACK}-"
        s3 = self.client("s3")
        buckets = [b["Name"] for b in s3.list_buckets()["Buckets"] if b["Name"].startswith(prefix)]
        logs = self.client("logs")
        groups = [g["logGroupName"] for p in (f"/aws/lambda/{prefix}", f"/aws/apigateway/{prefix}")
                  for g in logs.describe_log_groups(logGroupNamePrefix=p)["logGroups"]]
        counts = {
            "dynamodb tables": len([t for t in self.client("dynamodb").list_tables()["TableNames"]
                                    if t.startswith(prefix)]),
            "lambda functions": len([f for f in self.client("lambda").list_functions()["Functions"]
                                     if f["FunctionName"].startswith(prefix)]),
            "iam roles": len([r for r in self.client("iam").list_roles()["Roles"] if r["RoleName"].startswith(prefix)]),
            "http apis": len([a for a in self.client("apigatewayv2").get_apis()["Items"]
                              if a["Name"].startswith(prefix)]),
            "log groups": len(groups),
            "metric filters": sum(len(logs.describe_metric_filters(logGroupName=g)["metricFilters"]) for g in groups),
            "s3 buckets": len(buckets),
            "s3 objects": sum(s3.list_objects_v2(Bucket=b).get("KeyCount", 0) for b in buckets),
            "cloudfront distributions": self.client("cloudfront").list_distributions()["DistributionList"]
            .get("Quantity", 0),
            "sns topics": len([t for t in self.client("sns").list_topics()["Topics"]
                               if t["TopicArn"].split(":")[-1].startswith(prefix)]),
            "kms aliases": len([a for a in self.client("kms").list_aliases()["Aliases"]
                                if a["AliasName"].startswith(f"alias/{prefix}")]),
            "alarms": len(self.client("cloudwatch").describe_alarms(AlarmNamePrefix=prefix)["MetricAlarms"]),
            "dashboards": len(self.client("cloudwatch").list_dashboards(DashboardNamePrefix=STACK)["DashboardEntries"]),
        }
        return {kind: n for kind, n in counts.items() if n}


def stack_runs(bench: Bench) -> tuple[list[dict[str, Any]], dict[str, int]]:
    runs = [("first deploy", ("site.yml",)), ("no-op rerun", ("site.yml",)),
            ("check mode, deployed", ("site.yml", "--check", "--diff")),
            ("one layer (--tags counter_api)", ("site.yml", "--tags", "counter_api"))]
    results = [{"run": name, **measured(bench, args, fresh=name == "first deploy")} for name, args in runs]
    resources = bench.resources()
    results.append(crowded_rerun(bench))
    total = sum(resources.values())
    for result in results:
        result["ratio_to_floor"] = round(result["seconds"] / result["floor_seconds"], 1)
        result["reads_per_resource"] = round(result["reads"] / total, 2)
        result["mutating_per_resource"] = round(result["mutating"] / total, 2)
    return results, resources


def measured(bench: Bench, args: tuple[str, ...], fresh: bool = False) -> dict[str, Any]:
    """The run made REPEATS times, the one of median wall time kept, with its floor measured right after it: the
    VM's speed drifts by 10-20% from one quarter hour to the next, and a run compared with a floor measured minutes
    later, or one run alone, moved the ratio by a module process's worth. ``fresh``: each run on a reset emulator (a
    first deploy; the last one leaves the stack for the runs after it), else the runs repeat one that changes nothing."""
    def once() -> dict[str, Any]:
        if fresh:
            reset(bench.port)
        return bench.playbook(*args)

    made = sorted((once() for _ in range(REPEATS)), key=lambda r: r["seconds"])
    chosen = made[len(made) // 2]
    chosen["runs_seconds"] = [r["seconds"] for r in made]
    chosen["floor_seconds"] = round(bench.floor(chosen["tasks"]), 2)
    return chosen


def crowded_rerun(bench: Bench) -> dict[str, Any]:
    """The no-op rerun again once the account holds the neighbours of the crowded-account test (other stacks'
    functions, more than a page of distributions, HTTP APIs, tables, topics, alarms, log groups, buckets, keys):
    its wall time and reads against the empty account's show what the neighbours cost."""
    sys.path.insert(0, str(ROOT))
    from tests.integration import neighbours  # pylint: disable=import-outside-toplevel

    crowd = neighbours.seed(bench, bench.client("sts").get_caller_identity()["Account"])
    return {"run": CROWDED_RUN, **measured(bench, ("site.yml",)), "neighbours": crowd.kinds()}


def process_cost(repeat: int = 5) -> dict[str, float]:
    """Median wall seconds of a fresh interpreter doing each step of PROCESS_STEPS (cumulative), as a module does."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / ".venv" / "collections")}
    costs = {}
    for step, code in PROCESS_STEPS.items():
        samples = []
        for _ in range(repeat):
            began = time.perf_counter()
            subprocess.run([str(BIN / "python"), "-c", code], env=env, check=True)
            samples.append(time.perf_counter() - began)
        costs[step] = round(statistics.median(samples), 3)
    return costs


def where_time_goes(results: list[dict[str, Any]], cost: dict[str, float]) -> list[dict[str, Any]]:
    """Per run: Ansible's own floor, what its module processes cost before their first AWS call (an AWS module
    process the whole of PROCESS_STEPS, another module process up to the ansible import), and what is left: the
    AWS calls and the emulator's answers, the modules' own work, Ansible's work per module task beyond a debug task."""
    aws_module, other_module = cost[list(PROCESS_STEPS)[-1]], cost[list(PROCESS_STEPS)[1]]
    rows = []
    for r in results:
        processes = (r["aws_module_processes"] * aws_module
                     + (r["module_processes"] - r["aws_module_processes"]) * other_module)
        rest = r["seconds"] - r["floor_seconds"] - processes
        rows.append({"run": r["run"], "seconds": r["seconds"], "module_processes": r["module_processes"],
                     "aws_module_processes": r["aws_module_processes"], "ansible_floor_seconds": r["floor_seconds"],
                     "process_start_seconds": round(processes, 2), "rest_seconds": round(rest, 2),
                     "explained_share": round((r["floor_seconds"] + processes) / r["seconds"], 2)})
    return rows


def top_tasks(result: dict[str, Any], count: int = TOP_TASKS) -> list[dict[str, Any]]:
    return sorted(result["task_times"], key=lambda t: t["seconds"], reverse=True)[:count]


def load_handler(env: dict[str, str]) -> tuple[Any, float]:
    os.environ.update(env)
    spec = importlib.util.spec_from_file_location("counter_bench", ROOT / "files" / "lambda" / "counter.py")
    module = importlib.util.module_from_spec(spec)
    began = time.perf_counter()
    spec.loader.exec_module(module)
    return module, time.perf_counter() - began


def handler_bench(bench: Bench, visits: int) -> dict[str, Any]:
    ddb = bench.client("dynamodb")
    key = {"counter_id": {"S": "visitors"}}
    tables = []
    for name in ("bench-atomic", "bench-read-then-write"):
        ddb.create_table(TableName=name, KeySchema=[{"AttributeName": "counter_id", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "counter_id", "AttributeType": "S"}],
                         BillingMode="PAY_PER_REQUEST")
        tables.append(name)
    import_time = min(load_handler({"AWS_ENDPOINT_URL": url(bench.port), "COUNTER_TABLE_NAME": tables[0],
                                    "COUNTER_ID": "visitors", "AWS_DEFAULT_REGION": "us-east-2",
                                    "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"})[1]
                      for _ in range(5))
    handler, _ = load_handler({})
    event = {"version": "2.0", "routeKey": "POST /count", "rawPath": "/count", "rawQueryString": "",
             "headers": {}, "requestContext": {"http": {"method": "POST", "path": "/count"}, "requestId": "b",
                                               "stage": "$default"}, "body": None, "isBase64Encoded": False}
    context = type("Context", (), {"aws_request_id": "bench"})()
    calls_per_request = {}
    for method in ("POST", "GET"):
        mark = len(read_log(bench.log))
        with contextlib.redirect_stdout(io.StringIO()):
            handler.handler({**event, "routeKey": f"{method} /count",
                             "requestContext": {**event["requestContext"],
                                                "http": {"method": method, "path": "/count"}}}, context)
        calls_per_request[method] = sum(c["service"] == "dynamodb" for c in read_log(bench.log, mark))
    ddb.delete_item(TableName=tables[0], Key=key)

    def read_then_write(_: int) -> None:
        item = ddb.get_item(TableName=tables[1], Key=key, ConsistentRead=True).get("Item", {})
        count = int(item.get("count", {}).get("N", "0")) + 1
        ddb.put_item(TableName=tables[1], Item={**key, "count": {"N": str(count)}})

    def stored(table: str) -> int:
        return int(ddb.get_item(TableName=table, Key=key, ConsistentRead=True)["Item"]["count"]["N"])

    with ThreadPoolExecutor(max_workers=50) as pool, contextlib.redirect_stdout(io.StringIO()):
        list(pool.map(lambda _: handler.handler(event, context), range(visits)))
        list(pool.map(read_then_write, range(visits)))
    return {"dynamodb_calls_per_request": calls_per_request, "import_seconds": round(import_time, 4),
            "concurrent_increments": visits, "lost_updates_atomic_add": visits - stored(tables[0]),
            "lost_updates_read_then_write": visits - stored(tables[1])}


def page_bench() -> dict[str, Any]:
    site = ROOT / "files" / "site"
    index = (site / "index.html").read_text()
    assets = sorted({a.lstrip("./") for a in ASSET.findall(index)} | {"config.json"})
    sizes = {"index.html": (site / "index.html").stat().st_size}
    sizes |= {a: (site / a).stat().st_size for a in assets if (site / a).exists()}
    sizes.setdefault("config.json", len(json.dumps({"counterUrl": "https://xxxxxxxxxx.execute-api.us-east-2.amazonaws.com/count"})))
    return {"requests": len(sizes) + 1, "bytes": sum(sizes.values()), "files": sizes,
            "api_requests": 1}


def time_table(results: list[dict[str, Any]], cost: dict[str, float], split: list[dict[str, Any]]) -> str:
    lines = ["where the time goes (one module process = one task, or one loop item, run by a fresh Python):",
             f"{'run':34} {'wall s':>7} {'procs':>5} {'aws':>4} {'floor s':>7} {'procs s':>7} {'rest s':>7} "
             f"{'explained':>9}"]
    lines += [f"{w['run']:34} {w['seconds']:7.2f} {w['module_processes']:5d} {w['aws_module_processes']:4d} "
              f"{w['ansible_floor_seconds']:7.2f} "
              f"{w['process_start_seconds']:7.2f} {w['rest_seconds']:7.2f} {w['explained_share']:9.0%}" for w in split]
    lines += ["", "one module process before its first AWS call (median wall s, each line includes the one above):"]
    lines += [f"  {step:42} {seconds:6.3f}" for step, seconds in cost.items()]
    for r in results[:2]:
        lines += ["", f"slowest tasks, {r['run']} (wall s, module processes, task):"]
        lines += [f"  {t['seconds']:6.2f} {t['processes']:3d}  {t['name']}" for t in top_tasks(r)]
    return "\n".join(lines)


def table(results: list[dict[str, Any]], resources: dict[str, int], handler: dict[str, Any],
          page: dict[str, Any]) -> str:
    lines = [f"{'run':34} {'tasks':>5} {'wall s':>7} {'floor s':>7} {'x floor':>7} {'reads':>6} {'muts':>5} "
             f"{'reads/res':>9} {'muts/res':>8}"]
    lines += [f"{r['run']:34} {r['tasks']:5d} {r['seconds']:7.2f} {r['floor_seconds']:7.2f} {r['ratio_to_floor']:7.1f} "
              f"{r['reads']:6d} {r['mutating']:5d} {r['reads_per_resource']:9.2f} {r['mutating_per_resource']:8.2f}"
              for r in results]
    lines += [f"  mutating in {r['run']}: {', '.join(r['mutating_calls'])}" for r in results[1:] if r["mutating_calls"]]
    empty = next(r for r in results if r["run"] == "no-op rerun")
    for crowded in (r for r in results if r["run"] == CROWDED_RUN):
        lines += [f"  crowded account ({sum(crowded['neighbours'].values())} neighbours: "
                  + ", ".join(f"{n} {kind}" for kind, n in sorted(crowded["neighbours"].items(), key=lambda i: -i[1])[:4])
                  + f", ...): no-op rerun {crowded['seconds'] / empty['seconds']:.2f}x the empty account's wall time, "
                  f"{crowded['reads'] - empty['reads']:+d} reads"]
    lines += ["", f"resources ({sum(resources.values())}): " + ", ".join(f"{k} {v}" for k, v in resources.items()), "",
              f"handler: DynamoDB calls per request POST {handler['dynamodb_calls_per_request']['POST']}, "
              f"GET {handler['dynamodb_calls_per_request']['GET']}; import {handler['import_seconds'] * 1000:.1f} ms; "
              f"{handler['concurrent_increments']} concurrent increments lost: atomic ADD "
              f"{handler['lost_updates_atomic_add']}, read-then-write {handler['lost_updates_read_then_write']}",
              f"page: {page['requests']} requests ({page['requests'] - page['api_requests']} files + "
              f"{page['api_requests']} API), {page['bytes']} bytes uncompressed"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tools/benchmarks/run", description=__doc__)
    parser.add_argument("--port", type=int, default=4630, help="emulator port of the benchmark (default 4630)")
    parser.add_argument("--visits", type=int, default=500, help="concurrent increments (default 500)")
    parser.add_argument("--output", type=Path, default=ROOT / "build" / "benchmarks" / "results.json")
    args = parser.parse_args(argv)
    if start(args.port) != 0:
        return 1
    try:
        reset(args.port)
        bench = Bench(args.port)
        results, resources = stack_runs(bench)
        handler = handler_bench(bench, args.visits)
    finally:
        stop(args.port)
    page = page_bench()
    cost = process_cost()
    split = where_time_goes(results, cost)
    report = {"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "python": sys.version.split()[0],
              "runs": results, "resources": resources, "handler": handler, "page": page,
              "process_cost_seconds": cost, "where_time_goes": split}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(table(results, resources, handler, page))
    print("\n" + time_table(results, cost, split))
    print(f"\nwritten to {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
