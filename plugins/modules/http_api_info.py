#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: http_api_info
short_description: List API Gateway HTTP APIs (v2) with their routes, CORS, stage and tags
version_added: 0.1.0
description:
  - Lists Amazon API Gateway HTTP APIs by name, id or tags, each in the shape M(cloudresume.aws.http_api)
    returns.
  - All filters given must match. Without filters, every HTTP API of the region is listed.
  - WebSocket APIs are never listed.
  - Read-only; safe in check mode.
author:
  - cloudresume.aws maintainers (@cloudresume)
options:
  account_id:
    description:
      - The AWS account id of the APIs, to build RV(apis[].execution_arn) without asking STS (C(GetCallerIdentity)).
      - Omitted, the module asks STS once.
    type: str
    version_added: 0.1.0
  name:
    description: Only APIs with exactly this name.
    type: str
  api_id:
    description: Only the API with this id.
    type: str
  tags:
    description:
      - Only APIs carrying all these tags (key and value).
      - To find only the API M(cloudresume.aws.http_api) manages under a name, add the tag
        C(cloudresume.aws.http_api) with that name as its value.
    type: dict
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: cloudresume.aws.http_api
"""

EXAMPLES = r"""
- name: Find the API the http_api module manages as cloudresume-api
  cloudresume.aws.http_api_info:
    name: cloudresume-api
    tags:
      cloudresume.aws.http_api: cloudresume-api
  register: counter_api

- name: Use its endpoint
  ansible.builtin.debug:
    msg: "{{ counter_api.apis[0].api_endpoint }}/count"
  when: counter_api.apis | length > 0

- name: All HTTP APIs of a project
  cloudresume.aws.http_api_info:
    tags:
      Project: cloudresume
"""

RETURN = r"""
apis:
  description: The matching HTTP APIs, sorted by name then id.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Id of the API.
      type: str
      sample: a1b2c3d4e5
    name:
      description: Name of the API.
      type: str
      sample: cloudresume-api
    description:
      description: Description of the API.
      type: str
    api_endpoint:
      description: Endpoint URL; the C($default) stage serves requests at this URL without a path prefix.
      type: str
      sample: https://a1b2c3d4e5.execute-api.us-east-2.amazonaws.com
    execution_arn:
      description: ARN to use as the source of a Lambda permission.
      type: str
      sample: arn:aws:execute-api:us-east-2:123456789012:a1b2c3d4e5
    cors:
      description:
        - CORS configuration (C(allow_origins), C(allow_methods), C(allow_headers), C(expose_headers),
          C(max_age), C(allow_credentials)), empty when there is none.
      type: dict
    routes:
      description:
        - Routes sorted by route key, each with C(route_key), C(route_id), C(integration_id), C(lambda_arn),
          C(payload_format_version) and C(timeout_ms).
      type: list
      elements: dict
    stage:
      description:
        - The C($default) stage (C(stage_name), C(auto_deploy), C(throttling_burst_limit),
          C(throttling_rate_limit), C(detailed_metrics), C(access_log_destination_arn), C(access_log_format)),
          empty when the API has none.
      type: dict
    tags:
      description: Tags of the API.
      type: dict
"""

from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudresume.aws.plugins.module_utils.apigatewayv2 import HttpApiError
from ansible_collections.cloudresume.aws.plugins.module_utils.apigatewayv2 import HttpApis


def matches(api: dict[str, Any], params: dict[str, Any]) -> bool:
    if params["name"] is not None and api["Name"] != params["name"]:
        return False
    tags = api.get("Tags") or {}
    return all(tags.get(key) == value for key, value in (params["tags"] or {}).items())


def find(module: AnsibleAWSModule) -> list[dict[str, Any]]:
    """The matching HTTP APIs, described, sorted by name then id."""
    apis = HttpApis(module)
    if module.params["api_id"]:
        found = apis.get(module.params["api_id"])
        candidates = [found] if found and found["ProtocolType"] == "HTTP" else []
    else:
        candidates = apis.all_http_apis()
    selected = sorted((a for a in candidates if matches(a, module.params)), key=lambda a: (a["Name"], a["ApiId"]))
    return [apis.describe(api) for api in selected]


def main() -> None:
    module = AnsibleAWSModule(
        argument_spec={"name": {"type": "str"}, "api_id": {"type": "str"}, "tags": {"type": "dict"}, "account_id": {"type": "str"}},
        supports_check_mode=True,
    )
    try:
        apis = find(module)
    except HttpApiError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=False, apis=apis)


if __name__ == "__main__":
    main()
