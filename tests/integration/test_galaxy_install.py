"""The collection as a user gets it from Galaxy, on ONE deployed stack: build the tarball, check that it ships
only what a user runs, install it offline into an empty collections path (with amazon.aws and community.aws), deploy
from an empty folder with no variable but the inventory's connection (endpoint, credentials, region), then make a
résumé repository with ``cloudresume.aws.init``, edit it as its README says, deploy it over the same stack and run
its smoke test against the project's preview of the deployment.

Every run meets AWS's consistency profile (tools/emulator/consistency.py): the emulator answers as a real account
does right after a change (a new role not yet assumable by Lambda, point-in-time recovery not yet available on a new
table, a function Pending, a distribution InProgress) and throttles every 4th call of each CloudFront, IAM and API
Gateway operation. The roles and modules converge with bounded retries: the first deploy, in one run, wires the
layers to each other (tests/integration/wiring.py) in this account, which holds only the stack; a rerun of it
changes nothing and makes no mutating call; the generated repository's deploy converges too; at the end a teardown
with the data leaves no function, distribution or table. The last test prints, per step, the answers the profile
gave (the retries they cost) from the emulator's logs.
"""
from __future__ import annotations

import fnmatch
import json
import os
import re
import subprocess
import tarfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from emulator.requestlog import read_log
from preview.server import Preview, Settings

from .conftest import BIN, RECAP, ROOT, Emulator, PlaybookRun, emulator_fixture, free_port
from .wiring import assert_layers_wired

# role=20: the function's role is created three tasks (5-15 s) before the function, so CreateFunction meets it.
# throttle=4: the runs make few calls of their most called CloudFront operation (ListDistributions, once per run and
# once more when the distribution is new), so every 4th call is refused for CloudFront to be throttled too (the
# test's own reads are counted as well; boto3 retries them).
PROFILE = "role=20,pitr=3,lambda=3,cloudfront=5,throttle=4"
emulator = emulator_fixture(consistency=PROFILE)
THROTTLES = ("Throttling", "TooManyRequestsException")
REGION = "us-east-2"
ACCOUNT = "123456789012"  # the emulator's account
# What a user runs, and nothing else: the tarball's top-level entries.
SHIPPED = {"MANIFEST.json", "FILES.json", "README.md", "LICENSE", "requirements.txt", "requirements.yml", "meta",
           "plugins", "roles", "playbooks", "files", "docs", "changelogs"}
FORBIDDEN = [".venv/*", "build/*", "tests/*", "*/__pycache__/*", "*.pyc", ".pytest_cache/*", ".cache/*", ".git/*",
             ".github/*", "*.tar.gz", "*node_modules/*", ".ansible/*", "extensions/*", "*/.molecule/*", "benchmarks/*",
             "emulator/*", "preview/*", "scripts/*", "tools/*", "inventories/*", "changelogs/fragments/*",
             "docs/development.md", "docs/emulator-gaps.md", "docs/preview.md", "ansible.cfg", "pytest.ini",
             "Makefile", "requirements-dev.txt", "requirements.lock", ".ansible-lint", ".yamllint", "site.yml",
             "*.pem", "*.key", "*.env", ".env", "*credentials*", "*id_rsa*", "*.log",
             "tests/integration/cloud-config-*.ini"]  # ansible-test's cloud config: real credentials
# An access key id, a 40-character secret key given literally, or a private key.
SECRET = re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b|secret_access_key\W{1,4}[A-Za-z0-9/+]{40}\b|BEGIN [A-Z ]*PRIVATE KEY")
VERSION = yaml.safe_load((ROOT / "galaxy.yml").read_text())["version"]
ANSWERS = {"init_stack_name": "cloudresume", "init_region": REGION, "init_account_id": ACCOUNT,
           "init_alarm_email": "ada@example.com", "init_domain": "", "init_github_repository": "ada/resume"}


def run(*command: str, cwd: Path, env: dict[str, str], ok: bool = True) -> subprocess.CompletedProcess[str]:
    """The command run from ``cwd`` as a shell would (PWD is where it runs); ``ok``: it must succeed."""
    done = subprocess.run(command, cwd=cwd, env={**env, "PWD": str(cwd)}, capture_output=True, text=True,
                          timeout=900, check=False, stdin=subprocess.DEVNULL)
    if ok:
        assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    return done


@pytest.fixture(scope="module")
def user(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("user")


@pytest.fixture(scope="module")
def user_env(user: Path) -> dict[str, str]:
    """A user's shell: only the temporary collections path, no project ansible.cfg, no checkout on any path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "EMULATOR_"))}
    return {**env, "PATH": f"{BIN}:{env['PATH']}", "ANSIBLE_COLLECTIONS_PATH": str(user / "collections"),
            "ANSIBLE_NOCOLOR": "1", "ANSIBLE_HOME": str(user / ".ansible")}


@pytest.fixture(scope="module")
def tarball(user: Path, user_env: dict[str, str]) -> Path:
    run(str(BIN / "ansible-galaxy"), "collection", "build", "--force", "--output-path", str(user / "dist"), str(ROOT),
        cwd=user, env=user_env)
    return user / "dist" / f"cloudresume-aws-{VERSION}.tar.gz"


@pytest.fixture(scope="module")
def installed(tarball: Path, user: Path, user_env: dict[str, str]) -> Path:
    target = user / "collections" / "ansible_collections"
    for namespace in ("amazon", "community"):
        (target / namespace).mkdir(parents=True)
        source = ROOT / ".venv" / "collections" / "ansible_collections" / namespace / "aws"
        (target / namespace / "aws").symlink_to(source, target_is_directory=True)
    run(str(BIN / "ansible-galaxy"), "collection", "install", "--offline", "-p", str(user / "collections"),
        str(tarball), cwd=user, env=user_env)
    return target / "cloudresume" / "aws"


def members(tarball: Path) -> list[str]:
    with tarfile.open(tarball) as archive:
        return [m.name.removeprefix("./") for m in archive.getmembers() if m.isfile()]


def test_tarball_ships_the_collection_and_nothing_else(tarball: Path) -> None:
    names = members(tarball)
    for required in ("MANIFEST.json", "FILES.json", "meta/runtime.yml", "meta/execution-environment.yml",
                     "requirements.txt", "playbooks/site.yml", "playbooks/init.yml", "playbooks/files/init/smoke.py",
                     "files/lambda/counter.py", "files/site/index.html", "roles/static_site/templates/404.html.j2",
                     "roles/stack/meta/argument_specs.yml", "plugins/modules/dynamodb_table.py"):
        assert required in names
    assert sorted({n.split("/")[0] for n in names} - SHIPPED) == []
    assert sorted(n for n in names if any(fnmatch.fnmatch(n, p) for p in FORBIDDEN)) == []


def test_tarball_requirements_are_ranges_that_leave_ansible_core_alone(tarball: Path) -> None:
    with tarfile.open(tarball) as archive:
        text = archive.extractfile("requirements.txt").read().decode()
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    assert lines and all(">=" in line and "<" in line and "==" not in line for line in lines)
    assert not any(line.startswith("ansible") for line in lines)


def test_tarball_holds_no_secret(tarball: Path) -> None:
    with tarfile.open(tarball) as archive:
        leaks = [m.name for m in archive.getmembers()
                 if m.isfile() and SECRET.search(archive.extractfile(m).read().decode("utf-8", "replace"))]
    assert leaks == []


def test_installed_collection_is_the_tarball_not_the_checkout(
        installed: Path, user_env: dict[str, str], user: Path) -> None:
    assert not installed.is_symlink() and (installed / "MANIFEST.json").exists()
    listed = run(str(BIN / "ansible-galaxy"), "collection", "list", "cloudresume.aws", cwd=user, env=user_env).stdout
    assert str(user / "collections") in listed and str(ROOT) not in listed
    doc = run(str(BIN / "ansible-doc"), "cloudresume.aws.dynamodb_table", cwd=user, env=user_env).stdout
    assert str(installed) in doc


def connection(emulator: Emulator) -> dict[str, str]:
    """The only variables a Galaxy user's inventory needs here: where AWS answers, with which credentials."""
    return {"stack_region": REGION, "stack_aws_endpoint_url": emulator.url, "stack_aws_access_key": "testing",
            "stack_aws_secret_key": "testing"}


@pytest.fixture(scope="module")
def steps() -> dict[str, dict[str, Any]]:
    """The playbook runs on the stack, in order, by name: the run, its seconds, the answers the profile gave, its
    standard output."""
    return {}


def playbook(emulator: Emulator, steps: dict[str, dict[str, Any]], name: str, *args: str, cwd: Path,
             env: dict[str, str]) -> PlaybookRun:
    """``ansible-playbook *args`` run from ``cwd`` (it must succeed: it converged under the profile), recorded in
    ``steps`` as ``name`` with the AWS calls it made and the answers the profile gave meanwhile."""
    calls, answers = len(emulator.calls()), len(read_log(emulator.consistency_log_path))
    started = time.monotonic()
    done = run(str(BIN / "ansible-playbook"), *args, cwd=cwd, env=env)
    seconds = time.monotonic() - started
    recap = RECAP.findall(done.stdout)
    stats = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", recap[-1])} if recap else {}
    steps[name] = {"run": PlaybookRun(done.returncode, done.stdout + done.stderr, stats, emulator.calls(calls)),
                   "seconds": seconds, "answers": read_log(emulator.consistency_log_path, answers),
                   "stdout": done.stdout}
    return steps[name]["run"]


@pytest.fixture(scope="module")
def first_deploy(installed: Path, emulator: Emulator, user: Path, user_env: dict[str, str],
                 steps: dict[str, dict[str, Any]]) -> tuple[Path, str]:
    """``ansible-playbook cloudresume.aws.site -i inventory`` from an empty folder, the inventory only connecting."""
    project = user / "project"
    (project / "inventory" / "group_vars").mkdir(parents=True)
    (project / "inventory" / "hosts.yml").write_text(
        "all:\n  hosts:\n    localhost:\n      ansible_connection: local\n"
        "      ansible_python_interpreter: \"{{ ansible_playbook_python }}\"\n")
    (project / "inventory" / "group_vars" / "all.yml").write_text(yaml.safe_dump(connection(emulator)))
    playbook(emulator, steps, "deploy", "cloudresume.aws.site", "-i", "inventory", cwd=project, env=user_env)
    return project, steps["deploy"]["stdout"]


def site_objects(emulator: Emulator, stack: str) -> dict[str, bytes]:
    s3 = emulator.client("s3")
    (bucket,) = [b["Name"] for b in s3.list_buckets()["Buckets"] if b["Name"].startswith(f"{stack}-site")]
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
    return {key: s3.get_object(Bucket=bucket, Key=key)["Body"].read() for key in keys}


def test_installed_collection_deploys_from_an_empty_folder_and_prints_its_summary(
        first_deploy: tuple[Path, str], installed: Path, emulator: Emulator) -> None:
    project, output = first_deploy
    summary = json.loads((project / "build" / "outputs.json").read_text())
    assert summary["stack"] == "cloudresume" and summary["region"] == REGION
    assert "TASK [cloudresume.aws.stack : Show what was deployed]" in output and summary["static_site"]["url"] in output
    function = emulator.client("lambda").get_function(FunctionName="cloudresume-counter")
    assert function["Configuration"]["Handler"] == "counter.handler"
    assert emulator.client("dynamodb").describe_table(TableName="cloudresume-visitors")["Table"]["TableStatus"] == "ACTIVE"
    objects = site_objects(emulator, "cloudresume")
    for same in ("main.js", "style.css", "robots.txt"):
        assert objects[same] == (installed / "files" / "site" / same).read_bytes()
    # The sample's head filled from the role's defaults; the 404 page and favicon from the collection.
    page = objects["index.html"].decode()
    assert "<!-- cloudresume.aws:head -->" not in page and "<title>Jordan Rivera · Cloud Engineer</title>" in page
    assert f'<meta property="og:url" content="{summary["static_site"]["url"]}/">' in page
    assert "<title>Page not found · Jordan Rivera</title>" in objects["404.html"].decode()
    assert ">JR</text>" in objects["favicon.svg"].decode()


def assert_answers_logged(steps: dict[str, dict[str, Any]]) -> None:
    """Every answer the profile gave during a step is in the request log with its status: the calls it retried."""
    for name, step in steps.items():
        given = Counter((a["service"], a["operation"], a["status"]) for a in step["answers"])
        logged = Counter((c["service"], c["operation"], c["status"]) for c in step["run"].calls)
        assert not given - logged, f"{name}: answers missing from the request log: {given - logged}"


def test_the_first_deploy_converges_under_the_consistency_profile_and_wires_the_layers(
        first_deploy: tuple[Path, str], emulator: Emulator, steps: dict[str, dict[str, Any]]) -> None:
    project = first_deploy[0]
    # Read before the rerun: the stack as the first deploy, made in one run, left it.
    assert_layers_wired(emulator, outputs=project / "build" / "outputs.json")
    assert_answers_logged({"deploy": steps["deploy"]})
    deploy_codes = {(a["operation"], a["code"]) for a in steps["deploy"]["answers"]}
    assert ("UpdateContinuousBackups", "ContinuousBackupsUnavailableException") in deploy_codes


@pytest.fixture(scope="module")
def rerun(first_deploy: tuple[Path, str], emulator: Emulator, user_env: dict[str, str],
          steps: dict[str, dict[str, Any]]) -> PlaybookRun:
    """The first deploy run again from its folder, before anything else changes the stack."""
    project = first_deploy[0]
    return playbook(emulator, steps, "rerun", "cloudresume.aws.site", "-i", "inventory", cwd=project, env=user_env)


def test_a_rerun_of_the_first_deploy_changes_nothing_under_the_profile(
        rerun: PlaybookRun, steps: dict[str, dict[str, Any]]) -> None:
    assert rerun.stats["changed"] == 0 and rerun.mutating == []
    assert_answers_logged({"rerun": steps["rerun"]})


def init(user: Path, user_env: dict[str, str], dest: Path, ok: bool = True, **answers: str) -> subprocess.CompletedProcess[str]:
    extra = [arg for name, value in {**ANSWERS, "init_dest": str(dest), **answers}.items() for arg in ("-e", f"{name}={value}")]
    return run(str(BIN / "ansible-playbook"), "cloudresume.aws.init", *extra, cwd=user, env=user_env, ok=ok)


@pytest.fixture(scope="module")
def starter(installed: Path, user: Path, user_env: dict[str, str]) -> Path:
    init(user, user_env, user / "my-resume")
    return user / "my-resume"


def test_init_makes_a_repository_of_the_answers(starter: Path, installed: Path) -> None:
    files = sorted(str(p.relative_to(starter)) for p in starter.rglob("*") if p.is_file())
    assert files == sorted([".github/workflows/deploy.yml", ".gitignore", "README.md", "inventory/group_vars/all.yml",
                            "inventory/hosts.yml", "requirements.txt", "requirements.yml", "scripts/smoke.py",
                            *(f"site/{p.name}" for p in (installed / "files" / "site").iterdir())])
    settings = yaml.safe_load((starter / "inventory" / "group_vars" / "all.yml").read_text())
    assert {k: settings[k] for k in ("stack_name", "stack_region", "stack_expected_account_id", "monitoring_alarm_email",
                                     "bootstrap_github_repository")} == {
        "stack_name": "cloudresume", "stack_region": REGION, "stack_expected_account_id": ACCOUNT,
        "monitoring_alarm_email": "ada@example.com", "bootstrap_github_repository": "ada/resume"}
    assert settings["static_site_source_dir"] == "{{ inventory_dir }}/../site"
    assert yaml.safe_load((starter / "requirements.yml").read_text())["collections"] == [
        {"name": "cloudresume.aws", "version": f"=={VERSION}"}]
    assert "ansible-core==" in (starter / "requirements.txt").read_text()


def test_init_workflow_plans_pull_requests_deploys_main_and_smoke_tests(starter: Path, user: Path) -> None:
    path = starter / ".github" / "workflows" / "deploy.yml"
    schema = subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(path)],
                            capture_output=True, text=True, check=False, timeout=120)
    assert schema.returncode == 0, schema.stdout + schema.stderr
    workflow = yaml.safe_load(path.read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key "on" as true
    assert triggers["push"]["paths"] == triggers["pull_request"]["paths"]
    assert {"site/**", "inventory/**", "requirements.yml"} <= set(triggers["push"]["paths"])
    jobs = workflow["jobs"]
    for name, role in (("plan", "AWS_CHECK_ROLE_ARN"), ("deploy", "AWS_DEPLOY_ROLE_ARN")):
        assert jobs[name]["permissions"] == {"contents": "read", "id-token": "write"} and role in jobs[name]["if"]
        runs = [s.get("run", "") for s in jobs[name]["steps"]]
        assert any("ansible-playbook cloudresume.aws.site -i inventory --check --diff" in r for r in runs)
        (login,) = [s for s in jobs[name]["steps"] if s.get("uses", "").startswith("aws-actions/configure-aws-credentials@")]
        assert login["with"]["role-to-assume"] == "${{ vars." + role + " }}"
    assert "pull_request" in jobs["plan"]["if"] and "!= 'pull_request'" in jobs["deploy"]["if"]
    runs = [s.get("run", "") for s in jobs["deploy"]["steps"]]
    deploy = runs.index("ansible-playbook cloudresume.aws.site -i inventory")
    assert "scripts/smoke.py build/outputs.json" in runs[deploy + 1]
    assert "permissions" not in jobs["setup"] and "AWS_DEPLOY_ROLE_ARN == ''" in jobs["setup"]["if"]


def test_init_never_writes_into_a_folder_that_holds_anything(starter: Path, user: Path, user_env: dict[str, str]) -> None:
    before = {p: p.read_bytes() for p in starter.rglob("*") if p.is_file()}
    done = init(user, user_env, starter, ok=False)
    assert done.returncode != 0 and f"init_dest: {starter} is not empty" in done.stdout
    assert {p: p.read_bytes() for p in starter.rglob("*") if p.is_file()} == before
    done = init(user, user_env, user / "not-made", ok=False, init_region="us-esat-2", init_account_id="12345")
    assert done.returncode != 0 and not (user / "not-made").exists()
    assert "init_region: 'us-esat-2' is not a region" in done.stdout and "init_account_id: '12345'" in done.stdout


@pytest.fixture(scope="module")
def starter_deploy(starter: Path, first_deploy: tuple[Path, str], rerun: PlaybookRun, emulator: Emulator,
                   user_env: dict[str, str], steps: dict[str, dict[str, Any]]) -> Path:
    """The user makes it theirs as the generated README says, and deploys over the same stack (the generated
    inventory, plus the emulator's connection as extra variables), after the first deploy's rerun."""
    settings = starter / "inventory" / "group_vars" / "all.yml"
    settings.write_text(settings.read_text().replace("Jordan Rivera · Cloud Engineer", "Ada Lovelace · Analyst")
                        .replace("static_site_page_name: Jordan Rivera", "static_site_page_name: Ada Lovelace"))
    page = starter / "site" / "index.html"
    page.write_text(page.read_text().replace("<h1>Jordan Rivera</h1>", "<h1>Ada Lovelace</h1>"))
    (starter / "connection.yml").write_text(yaml.safe_dump({k: v for k, v in connection(emulator).items() if k != "stack_region"}))
    playbook(emulator, steps, "starter", "cloudresume.aws.site", "-i", "inventory", "-e", "@connection.yml",
             cwd=starter, env=user_env)
    return starter


@pytest.fixture
def preview(emulator: Emulator, user: Path) -> Iterator[Preview]:
    server = Preview(Settings(stack_name="cloudresume", api_name="cloudresume-api", region=REGION,
                              endpoint_url=emulator.url, site_port=free_port(), api_port=free_port(),
                              state_dir=user / "preview"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


def smoke(repository: Path, summary: dict[str, Any], user_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    path = repository / "build" / "smoke-outputs.json"
    path.write_text(json.dumps(summary))
    # -I -S: no site-packages, so the script proves it needs the standard library only.
    return run(str(BIN / "python3"), "-I", "-S", "scripts/smoke.py", str(path), cwd=repository, env=user_env, ok=False)


def test_the_generated_repository_deploys_and_passes_its_smoke_test(
        starter_deploy: Path, emulator: Emulator, preview: Preview, user_env: dict[str, str]) -> None:
    objects = site_objects(emulator, "cloudresume")
    page = objects["index.html"].decode()
    assert "<h1>Ada Lovelace</h1>" in page and "<title>Ada Lovelace · Analyst</title>" in page
    assert '<meta property="og:site_name" content="Ada Lovelace">' in page and ">AL</text>" in objects["favicon.svg"].decode()
    subscriptions = emulator.client("sns").list_subscriptions()["Subscriptions"]
    assert [s["Endpoint"] for s in subscriptions if s["Protocol"] == "email"] == ["ada@example.com"]
    # The summary's URLs mapped to the preview's local origins, as the preview maps the deployed ones.
    summary = json.loads((starter_deploy / "build" / "outputs.json").read_text())
    summary["static_site"]["url"] = preview.settings.site_url
    summary["static_site"]["counter_url"] = preview.settings.api_url + "/count"
    done = smoke(starter_deploy, summary, user_env)
    assert done.returncode == 0, done.stdout + done.stderr
    before, after = map(int, re.search(r"counter: (\d+) -> (\d+)", done.stdout).groups())
    assert after == before + 1
    # The same script fails on a counter that does not answer, and on a summary without URLs.
    summary["static_site"]["counter_url"] = preview.settings.api_url + "/missing"
    done = smoke(starter_deploy, summary, user_env)
    assert done.returncode == 1 and "FAIL" in done.stderr
    done = smoke(starter_deploy, {"static_site": {"url": "(planned)"}}, user_env)
    assert done.returncode == 1 and "no deployed site URL" in done.stderr


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


def test_teardown_with_the_data_converges_under_the_profile_and_leaves_nothing(
        starter_deploy: Path, emulator: Emulator, user_env: dict[str, str], steps: dict[str, dict[str, Any]]) -> None:
    """Last: the generated repository tears down the stack it deployed, data included."""
    playbook(emulator, steps, "teardown", "cloudresume.aws.teardown", "-i", "inventory", "-e", "@connection.yml",
             "-e", "stack_destroy_data=true", cwd=starter_deploy, env=user_env)
    print("\n" + report(steps))

    assert_answers_logged(steps)
    throttled = [a for step in steps.values() for a in step["answers"] if a["code"] in THROTTLES]
    assert {a["service"] for a in throttled} >= {"cloudfront", "iam"}

    assert emulator.client("lambda").list_functions()["Functions"] == []
    assert emulator.client("cloudfront", region="us-east-1").list_distributions()["DistributionList"].get(
        "Items", []) == []
    assert emulator.client("dynamodb").list_tables()["TableNames"] == []
