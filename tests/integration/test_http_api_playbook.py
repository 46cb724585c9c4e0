"""cloudresume.aws.http_api in a playbook against an emulator of its own.

Creates an API with two routes, CORS and throttling; a second run changes nothing and makes no mutating call;
a check-mode run after a change shows the change in the diff and leaves the API as it was; applying it then
makes exactly one mutating call (UpdateStage, served by the emulator extension).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import emulator_fixture, run_playbook

emulator = emulator_fixture()

PLAYBOOK = """
- name: HTTP API with two routes, CORS and throttling
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/cloudresume.aws.aws:
      region: "{{ stack_region }}"
      endpoint_url: "{{ stack_aws_endpoint_url }}"
      access_key: "{{ stack_aws_access_key }}"
      secret_key: "{{ stack_aws_secret_key }}"
  vars:
    function_arn: arn:aws:lambda:us-east-2:123456789012:function:counter
    rate_limit: 10
  tasks:
    - name: Counter API
      cloudresume.aws.http_api:
        name: playbook-api
        description: Visitor counter
        cors:
          allow_origins: [https://d111111abcdef8.cloudfront.net]
          allow_methods: [GET, POST]
          allow_headers: [content-type]
          max_age: 300
        routes:
          - route_key: GET /count
            lambda_arn: "{{ function_arn }}"
          - route_key: POST /count
            lambda_arn: "{{ function_arn }}"
        stage:
          throttling_burst_limit: 20
          throttling_rate_limit: "{{ rate_limit }}"
        tags:
          Project: cloudresume
      register: counter_api

    - name: Write what the module returned
      ansible.builtin.copy:
        content: "{{ counter_api.api | to_json }}"
        dest: "{{ result_file }}"
        mode: "0644"
      check_mode: false
      changed_when: false  # a test aid: only the module's result counts
"""


@pytest.fixture(scope="module")
def playbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("http_api") / "http_api.yml"
    path.write_text(PLAYBOOK)
    return path


def run(emulator, playbook: Path, *args: str, **extra_vars):
    result_file = playbook.parent / "api.json"
    done = run_playbook(emulator, str(playbook), *args, extra_vars={"result_file": result_file, **extra_vars})
    assert done.returncode == 0, done.output[-3000:]
    return done, json.loads(result_file.read_text())


def test_create_rerun_and_check_mode(emulator, playbook):
    created, api = run(emulator, playbook)
    assert created.stats["changed"] == 1
    assert [r["route_key"] for r in api["routes"]] == ["GET /count", "POST /count"]
    assert api["cors"]["allow_origins"] == ["https://d111111abcdef8.cloudfront.net"]
    assert api["stage"]["throttling_burst_limit"] == 20 and api["stage"]["throttling_rate_limit"] == 10.0
    assert {"apigatewayv2:CreateApi", "apigatewayv2:CreateStage"} <= set(created.mutating)

    again, same = run(emulator, playbook)
    assert again.stats["changed"] == 0, again.output[-3000:]
    assert again.mutating == []
    assert same == api
    operations = [c["operation"] for c in again.calls]
    assert operations == ["GetApis", "GetCallerIdentity", "GetRoutes", "GetIntegrations", "GetStage"]

    planned, plan = run(emulator, playbook, "--check", "--diff", rate_limit=25)
    assert planned.stats["changed"] == 1
    assert planned.mutating == []
    changes = [line for line in planned.output.splitlines()
               if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))]
    assert changes == ["-        throttling_rate_limit: 10.0", "+        throttling_rate_limit: 25.0"]
    assert plan["stage"]["throttling_rate_limit"] == 25.0
    stage = emulator.client("apigatewayv2").get_stage(ApiId=api["id"], StageName="$default")
    assert stage["DefaultRouteSettings"]["ThrottlingRateLimit"] == 10.0

    applied, result = run(emulator, playbook, rate_limit=25)
    assert applied.stats["changed"] == 1
    assert applied.mutating == ["apigatewayv2:UpdateStage"]
    assert result["stage"]["throttling_rate_limit"] == 25.0 and result["routes"] == api["routes"]
