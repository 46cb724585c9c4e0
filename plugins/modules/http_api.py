#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: http_api
short_description: Manage an API Gateway HTTP API (v2) with Lambda routes, CORS and its default stage
version_added: 0.1.0
description:
  - Creates, updates or deletes an Amazon API Gateway HTTP API (API Gateway v2), its routes with their
    Lambda proxy integrations, its CORS configuration and its C($default) stage.
  - The amazon.aws and community.aws collections only manage REST APIs (API Gateway v1); this module fills
    that gap.
  - AWS does not make API names unique. The module finds the API by O(name) B(and) the ownership tag
    C(cloudresume.aws.http_api) whose value is the name; it sets that tag when it creates the API (in the
    same call, so an interrupted run never leaves an untagged API behind). Two tagged APIs with the same name
    are an error listing their ids. An API with that name but without the tag is never adopted silently;
    the task fails and names its id; pass O(api_id) to adopt it (the module then adds the tag).
  - Each route gets a Lambda proxy integration (C(AWS_PROXY)). Routes that ask for the same function,
    payload format version and timeout share one integration; an integration is reused as long as nothing
    about it changes. Changing a route only touches that route, and an integration that the run leaves
    without any route is deleted.
  - All input is validated before any AWS call; each error message starts with the name of the field.
  - Supports check mode (no mutating call is made) and diff mode (before and after of every setting).
author:
  - cloudresume.aws maintainers (@cloudresume)
options:
  account_id:
    description:
      - The AWS account id of the API, to build RV(api.execution_arn) without asking STS (C(GetCallerIdentity)).
      - Omitted, the module asks STS once.
    type: str
    version_added: 0.1.0
  name:
    description:
      - Name of the HTTP API. Required unless O(api_id) is given.
      - With O(api_id), a different name renames the API.
    type: str
  api_id:
    description:
      - Id of an existing HTTP API to manage instead of looking it up by O(name).
      - An API adopted this way gets the ownership tag, so later runs find it by name.
    type: str
  state:
    description: Whether the API should exist. V(absent) deletes the API with its routes, integrations and stages.
    type: str
    choices: [present, absent]
    default: present
  description:
    description: Description of the API. When not set, the current description is left as it is.
    type: str
  cors:
    description:
      - The CORS configuration API Gateway answers preflight requests with.
      - When not set, the current CORS configuration is left as it is. V({}) removes it.
      - Suboptions that are not set mean empty lists, no credentials and a max age of V(0).
    type: dict
    suboptions:
      allow_origins:
        description:
          - Exact origins allowed to call the API, C(scheme://host) or C(scheme://host:port), without path
            or trailing slash, for example V(https://d111111abcdef8.cloudfront.net).
          - V(*) is refused unless O(cors.allow_any_origin=true).
        type: list
        elements: str
      allow_any_origin:
        description: Explicit opt-in to accept V(*) in O(cors.allow_origins) (any web site may call the API).
        type: bool
        default: false
      allow_methods:
        description: HTTP methods allowed, for example V([GET, POST, OPTIONS]), or V(*).
        type: list
        elements: str
      allow_headers:
        description: Request headers allowed, for example V([content-type]).
        type: list
        elements: str
      expose_headers:
        description: Response headers the browser may expose to the calling script.
        type: list
        elements: str
      max_age:
        description: Seconds a browser may cache the preflight response, V(-1) to V(86400).
        type: int
      allow_credentials:
        description: Whether credentials (cookies, authorization headers) are allowed. Not with V(*) origins.
        type: bool
  routes:
    description:
      - Routes of the API, each with a Lambda proxy integration.
      - When not set, routes are left as they are.
    type: list
    elements: dict
    suboptions:
      route_key:
        description:
          - C(METHOD /path) (method one of C(GET), C(POST), C(PUT), C(PATCH), C(DELETE), C(HEAD), C(OPTIONS),
            C(ANY); path segments may be C({param}), the last one C({proxy+})), or V($default).
        type: str
        required: true
      lambda_arn:
        description: ARN of the Lambda function (optionally with a version or alias) the route invokes.
        type: str
        required: true
      payload_format_version:
        description: Payload format of the Lambda proxy integration.
        type: str
        choices: ['2.0', '1.0']
        default: '2.0'
      timeout_ms:
        description: Integration timeout in milliseconds, V(50) to V(30000).
        type: int
        default: 30000
  purge_routes:
    description: Delete routes that are not listed in O(routes). Has no effect when O(routes) is not set.
    type: bool
    default: true
  stage:
    description:
      - Settings of the C($default) stage, which serves the API at its endpoint URL without a path prefix.
      - When not set, the stage is left as it is (and none is created). Set V({}) for a stage with
        automatic deployment.
      - Changes are deployed only with O(stage.auto_deploy=true); this module does not create deployments.
    type: dict
    suboptions:
      auto_deploy:
        description: Whether API Gateway deploys every change to the stage automatically.
        type: bool
        default: true
      throttling_burst_limit:
        description:
          - Default route burst limit (requests), V(0) to V(5000) (the default account quota).
          - Set it together with O(stage.throttling_rate_limit). When neither is set, the current stage
            throttling is left as it is (a new stage has none, so account limits apply).
          - AWS cannot remove stage throttling once it is set; raise the limits instead.
        type: int
      throttling_rate_limit:
        description:
          - Default route steady-state rate limit (requests per second), V(0) to V(10000) (the default account
            quota). Set it together with O(stage.throttling_burst_limit).
        type: float
      detailed_metrics:
        description: Whether per-route CloudWatch metrics are enabled.
        type: bool
        default: false
      access_log_destination_arn:
        description:
          - ARN of the CloudWatch Logs log group access logs go to (without a trailing C(:*)).
          - Requires O(stage.access_log_format). When not set, access logging is off.
        type: str
      access_log_format:
        description:
          - One line per request; a JSON object is the usual choice. A dict is serialised to compact JSON.
          - Must contain C($context.requestId) or C($context.extendedRequestId).
        type: raw
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - The ownership tag C(cloudresume.aws.http_api) is always kept, also with O(purge_tags=true).
  - Invoking the Lambda function also needs a resource policy on the function allowing
    C(apigateway.amazonaws.com) with the API's RV(api.execution_arn) as source, see M(amazon.aws.lambda_policy); for
    routes to an alias, O(cloudresume.aws.lambda_release#module:permissions) sets it in the release's own task.
seealso:
  - module: cloudresume.aws.http_api_info
  - module: amazon.aws.lambda_policy
  - module: cloudresume.aws.lambda_release
"""

EXAMPLES = r"""
- name: HTTP API for a visitor counter, with CORS for one site and a throttled default stage
  cloudresume.aws.http_api:
    name: cloudresume-api
    description: Visitor counter
    cors:
      allow_origins: [https://d111111abcdef8.cloudfront.net]
      allow_methods: [GET, POST, OPTIONS]
      allow_headers: [content-type]
      max_age: 300
    routes:
      - route_key: GET /count
        lambda_arn: arn:aws:lambda:us-east-2:123456789012:function:cloudresume-counter
      - route_key: POST /count
        lambda_arn: arn:aws:lambda:us-east-2:123456789012:function:cloudresume-counter
        timeout_ms: 10000
    stage:
      auto_deploy: true
      throttling_burst_limit: 20
      throttling_rate_limit: 10
      detailed_metrics: true
      access_log_destination_arn: arn:aws:logs:us-east-2:123456789012:log-group:/aws/apigateway/cloudresume-api
      access_log_format:
        requestId: $context.requestId
        routeKey: $context.routeKey
        status: $context.status
    tags:
      Project: cloudresume
  register: counter_api

- name: Let the API invoke the function
  amazon.aws.lambda_policy:
    function_name: cloudresume-counter
    statement_id: http-api
    action: lambda:InvokeFunction
    principal: apigateway.amazonaws.com
    source_arn: "{{ counter_api.api.execution_arn }}/*/*/count"

- name: Only change the CORS origins, leave routes and stage as they are
  cloudresume.aws.http_api:
    name: cloudresume-api
    cors:
      allow_origins: [https://resume.example.com]
      allow_methods: [GET, POST]

- name: Adopt an API created elsewhere (adds the ownership tag)
  cloudresume.aws.http_api:
    api_id: a1b2c3d4e5
    name: cloudresume-api

- name: Delete the API
  cloudresume.aws.http_api:
    name: cloudresume-api
    state: absent
"""

RETURN = r"""
api:
  description: The API after the task (empty when absent). In check mode, what the API would look like.
  returned: always
  type: dict
  contains:
    id:
      description: Id of the API (empty in check mode when the API would be created).
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
      description: ARN to use as the source of a Lambda permission (append C(/<stage>/<method>/<path>)).
      type: str
      sample: arn:aws:execute-api:us-east-2:123456789012:a1b2c3d4e5
    cors:
      description: CORS configuration, empty when there is none.
      type: dict
      contains:
        allow_origins:
          description: Allowed origins.
          type: list
          elements: str
          sample: [https://d111111abcdef8.cloudfront.net]
        allow_methods:
          description: Allowed methods (upper case, sorted).
          type: list
          elements: str
        allow_headers:
          description: Allowed headers (lower case, sorted).
          type: list
          elements: str
        expose_headers:
          description: Exposed headers (lower case, sorted).
          type: list
          elements: str
        max_age:
          description: Preflight cache duration in seconds.
          type: int
        allow_credentials:
          description: Whether credentials are allowed.
          type: bool
    routes:
      description: Routes, sorted by route key.
      type: list
      elements: dict
      contains:
        route_key:
          description: Route key.
          type: str
          sample: GET /count
        route_id:
          description: Id of the route.
          type: str
        integration_id:
          description: Id of the integration the route targets.
          type: str
        lambda_arn:
          description: Lambda function the integration invokes.
          type: str
        payload_format_version:
          description: Payload format version of the integration.
          type: str
          sample: '2.0'
        timeout_ms:
          description: Integration timeout in milliseconds.
          type: int
          sample: 30000
    stage:
      description: The C($default) stage, empty when the API has none.
      type: dict
      contains:
        stage_name:
          description: Always V($default).
          type: str
        auto_deploy:
          description: Whether changes are deployed automatically.
          type: bool
        throttling_burst_limit:
          description: Default route burst limit, null when the stage has none.
          type: int
        throttling_rate_limit:
          description: Default route rate limit, null when the stage has none.
          type: float
        detailed_metrics:
          description: Whether detailed metrics are enabled.
          type: bool
        access_log_destination_arn:
          description: Log group receiving access logs, null when access logging is off.
          type: str
        access_log_format:
          description: Access log format, null when access logging is off.
          type: str
    tags:
      description: Tags of the API, including the ownership tag.
      type: dict
      sample: {"Project": "cloudresume", "cloudresume.aws.http_api": "cloudresume-api"}
"""

from collections.abc import Iterable
from functools import partial
from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.arn import parse_aws_arn
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.cloudresume.aws.plugins.module_utils.apigatewayv2 import DEFAULT_STAGE
from ansible_collections.cloudresume.aws.plugins.module_utils.apigatewayv2 import OWNERSHIP_TAG
from ansible_collections.cloudresume.aws.plugins.module_utils.apigatewayv2 import HttpApiError
from ansible_collections.cloudresume.aws.plugins.module_utils.apigatewayv2 import HttpApiErrorHandler
from ansible_collections.cloudresume.aws.plugins.module_utils.apigatewayv2 import HttpApis
from ansible_collections.cloudresume.aws.plugins.module_utils.apigatewayv2 import InvalidInput
from ansible_collections.cloudresume.aws.plugins.module_utils.apigatewayv2 import access_log_format
from ansible_collections.cloudresume.aws.plugins.module_utils.apigatewayv2 import cors_request
from ansible_collections.cloudresume.aws.plugins.module_utils.apigatewayv2 import desired_cors
from ansible_collections.cloudresume.aws.plugins.module_utils.apigatewayv2 import settings_view
from ansible_collections.cloudresume.aws.plugins.module_utils.apigatewayv2 import tag_resource
from ansible_collections.cloudresume.aws.plugins.module_utils.apigatewayv2 import untag_resource
from ansible_collections.cloudresume.aws.plugins.module_utils.apigatewayv2 import validate
from ansible_collections.cloudresume.aws.plugins.module_utils.tagging import plan_tags

INTEGRATION_FIELDS = ("lambda_arn", "payload_format_version", "timeout_ms")


@HttpApiErrorHandler.common_error_handler("create the API")
@AWSRetry.jittered_backoff()
def create_api(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    return client.create_api(**request)


@HttpApiErrorHandler.common_error_handler("update the API")
@AWSRetry.jittered_backoff()
def update_api(client: Any, api_id: str, request: dict[str, Any]) -> None:
    client.update_api(ApiId=api_id, **request)


@HttpApiErrorHandler.common_error_handler("delete the CORS configuration")
@AWSRetry.jittered_backoff()
def delete_cors_configuration(client: Any, api_id: str) -> None:
    client.delete_cors_configuration(ApiId=api_id)


@HttpApiErrorHandler.common_error_handler("delete the API")
@AWSRetry.jittered_backoff()
def delete_api(client: Any, api_id: str) -> None:
    client.delete_api(ApiId=api_id)


@HttpApiErrorHandler.common_error_handler("create an integration")
@AWSRetry.jittered_backoff()
def create_integration(client: Any, api_id: str, route: dict[str, Any]) -> str:
    return client.create_integration(
        ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationMethod="POST", IntegrationUri=route["lambda_arn"],
        PayloadFormatVersion=route["payload_format_version"], TimeoutInMillis=route["timeout_ms"],
    )["IntegrationId"]


@HttpApiErrorHandler.common_error_handler("delete an integration")
@AWSRetry.jittered_backoff()
def delete_integration(client: Any, api_id: str, integration_id: str) -> None:
    client.delete_integration(ApiId=api_id, IntegrationId=integration_id)


@HttpApiErrorHandler.common_error_handler("create a route")
@AWSRetry.jittered_backoff()
def create_route(client: Any, api_id: str, route_key: str, target: str) -> None:
    client.create_route(ApiId=api_id, RouteKey=route_key, Target=target)


@HttpApiErrorHandler.common_error_handler("update a route")
@AWSRetry.jittered_backoff()
def update_route(client: Any, api_id: str, route_id: str, target: str) -> None:
    client.update_route(ApiId=api_id, RouteId=route_id, Target=target)


@HttpApiErrorHandler.common_error_handler("delete a route")
@AWSRetry.jittered_backoff()
def delete_route(client: Any, api_id: str, route_id: str) -> None:
    client.delete_route(ApiId=api_id, RouteId=route_id)


@HttpApiErrorHandler.common_error_handler("create the $default stage")
@AWSRetry.jittered_backoff()
def create_stage(client: Any, api_id: str, request: dict[str, Any]) -> None:
    client.create_stage(ApiId=api_id, StageName=DEFAULT_STAGE, **request)


@HttpApiErrorHandler.common_error_handler("update the $default stage")
@AWSRetry.jittered_backoff()
def update_stage(client: Any, api_id: str, request: dict[str, Any]) -> None:
    client.update_stage(ApiId=api_id, StageName=DEFAULT_STAGE, **request)


class HttpApiManager:
    def __init__(self, module: AnsibleAWSModule) -> None:
        self.module = module
        self.params = module.params
        self.apis = HttpApis(module)
        self.client = self.apis.client
        self.changed = False

    # ---- finding -----------------------------------------------------------------------------------------------
    def find(self) -> dict[str, Any] | None:
        """The API this task manages (GetApi/GetApis shape), or None."""
        api_id, name = self.params["api_id"], self.params["name"]
        if api_id:
            api = self.apis.get(api_id)
            if api is None and self.params["state"] == "present":
                raise HttpApiError(message=f"api_id: there is no HTTP API with id {api_id}")
            if api is not None and api["ProtocolType"] != "HTTP":
                raise HttpApiError(message=f"api_id: {api_id} is a {api['ProtocolType']} API, not an HTTP API")
            return api
        owned, untagged = self.apis.owned(name)
        if len(owned) > 1:
            ids = ", ".join(sorted(a["ApiId"] for a in owned))
            raise HttpApiError(message=f"name: {len(owned)} HTTP APIs named {name!r} carry the ownership tag "
                               f"{OWNERSHIP_TAG} ({ids}); delete the extra ones or pass api_id")
        if not owned and untagged:
            ids = ", ".join(sorted(a["ApiId"] for a in untagged))
            if self.params["state"] == "present":
                raise HttpApiError(message=f"name: HTTP API {name!r} exists without the ownership tag "
                                   f"{OWNERSHIP_TAG} ({ids}); pass api_id to adopt it")
            self.module.warn(f"HTTP API {name!r} ({ids}) lacks the ownership tag {OWNERSHIP_TAG} and was left in "
                             "place; pass api_id to delete it")
        return owned[0] if owned else None

    # ---- absent ------------------------------------------------------------------------------------------------
    def ensure_absent(self, api: dict[str, Any] | None) -> dict[str, Any]:
        if api is None:
            return {}
        self.changed = True
        if not self.module.check_mode:
            delete_api(self.client, api["ApiId"])
        return {}

    # ---- present -----------------------------------------------------------------------------------------------
    def ensure_present(self, api: dict[str, Any] | None, current: dict[str, Any]) -> dict[str, Any]:
        planned = self.planned(current)
        if api is None:
            self.changed = True
            if self.module.check_mode:
                return planned
            api = self.create(planned)
            current = {"id": api["ApiId"], "routes": [], "stage": {}}
        else:
            self.update_api(current, planned)
            self.update_tags(current, planned)
        self.update_routes(current, planned)
        self.update_stage(current, planned)
        if not self.changed:
            return current
        if self.module.check_mode:
            return planned
        return self.apis.describe(self.apis.get(current["id"]))

    def planned(self, current: dict[str, Any]) -> dict[str, Any]:
        """The API as this task wants it: the current API with every given setting applied."""
        p = self.params
        name = p["name"] or current["name"]
        new_api = {"id": None, "api_endpoint": None, "execution_arn": None, "description": "", "cors": {},
                   "routes": [], "stage": {}, "tags": {}}
        plan = dict(current) if current else new_api
        plan["name"] = name
        if p["description"] is not None:
            plan["description"] = p["description"]
        if p["cors"] is not None:
            plan["cors"] = desired_cors(p["cors"])
        if p["routes"] is not None:
            plan["routes"] = self.planned_routes(plan["routes"])
        if p["stage"] is not None:
            plan["stage"] = self.planned_stage(plan["stage"])
        plan["tags"] = self.planned_tags(plan["tags"], name)
        return plan

    def planned_tags(self, tags: dict[str, str], name: str) -> dict[str, str]:
        """The given tags (or the current ones) with the ownership tag; purged only when tags are given."""
        wanted = dict(self.params["tags"]) if self.params["tags"] is not None else dict(tags)
        wanted[OWNERSHIP_TAG] = name
        return plan_tags(tags, wanted, self.params["purge_tags"] and self.params["tags"] is not None).after

    def planned_routes(self, routes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Routes after the task. A route keeps its ids when its integration settings do not change; a route
        that needs another integration reuses one with the same settings, or gets a new one (id None)."""
        current = {r["route_key"]: r for r in routes}
        reusable = {self.integration_key(r): r["integration_id"] for r in routes if r["lambda_arn"]}
        result = {} if self.params["purge_routes"] else dict(current)
        for wanted in self.params["routes"]:
            key = self.integration_key(wanted)
            existing = current.get(wanted["route_key"], {})
            integration_id = existing.get("integration_id") if self.integration_key(existing) == key else None
            result[wanted["route_key"]] = {
                "route_key": wanted["route_key"],
                "route_id": existing.get("route_id"),
                "integration_id": integration_id or reusable.get(key),
                **{f: wanted[f] for f in INTEGRATION_FIELDS},
            }
        return sorted(result.values(), key=lambda r: r["route_key"])

    @staticmethod
    def integration_key(route: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(route.get(f) for f in INTEGRATION_FIELDS)

    def planned_stage(self, stage: dict[str, Any]) -> dict[str, Any]:
        wanted = self.params["stage"]
        plan = {
            "stage_name": DEFAULT_STAGE,
            "auto_deploy": wanted["auto_deploy"],
            "detailed_metrics": wanted["detailed_metrics"],
            "throttling_burst_limit": stage.get("throttling_burst_limit"),
            "throttling_rate_limit": stage.get("throttling_rate_limit"),
            "access_log_destination_arn": wanted["access_log_destination_arn"],
            "access_log_format": None,
        }
        if wanted["throttling_burst_limit"] is not None:
            plan["throttling_burst_limit"] = wanted["throttling_burst_limit"]
            plan["throttling_rate_limit"] = float(wanted["throttling_rate_limit"])
        if wanted["access_log_format"] is not None:
            plan["access_log_format"] = access_log_format(wanted["access_log_format"])
        return plan

    # ---- applying ----------------------------------------------------------------------------------------------
    def create(self, planned: dict[str, Any]) -> dict[str, Any]:
        request: dict[str, Any] = {"Name": planned["name"], "ProtocolType": "HTTP", "Tags": planned["tags"]}
        if planned["description"]:
            request["Description"] = planned["description"]
        if planned["cors"]:
            request["CorsConfiguration"] = cors_request(planned["cors"])
        return create_api(self.client, request)

    def update_api(self, current: dict[str, Any], planned: dict[str, Any]) -> None:
        request: dict[str, Any] = {}
        if planned["name"] != current["name"]:
            request["Name"] = planned["name"]
        if planned["description"] != current["description"]:
            request["Description"] = planned["description"]
        if planned["cors"] != current["cors"] and planned["cors"]:
            request["CorsConfiguration"] = cors_request(planned["cors"])
        remove_cors = current["cors"] and not planned["cors"]
        if not request and not remove_cors:
            return
        self.changed = True
        if self.module.check_mode:
            return
        if request:
            update_api(self.client, current["id"], request)
        if remove_cors:
            delete_cors_configuration(self.client, current["id"])

    def update_tags(self, current: dict[str, Any], planned: dict[str, Any]) -> None:
        plan = plan_tags(current["tags"], planned["tags"], purge=True)
        if not plan.changed:
            return
        self.changed = True
        if self.module.check_mode:
            return
        partition = parse_aws_arn(current["execution_arn"])["partition"]
        arn = f"arn:{partition}:apigateway:{self.module.region}::/apis/{current['id']}"
        plan.apply(partial(untag_resource, self.client, arn), partial(tag_resource, self.client, arn))

    def update_routes(self, current: dict[str, Any], planned: dict[str, Any]) -> None:
        if self.params["routes"] is None:
            return
        before = {r["route_key"]: r for r in current["routes"]}
        after = {r["route_key"]: r for r in planned["routes"]}
        changed = [r for key, r in after.items() if before.get(key) != r]
        removed = [r for key, r in before.items() if key not in after]
        if not changed and not removed:
            return
        self.changed = True
        if self.module.check_mode:
            return
        created: dict[tuple[Any, ...], str] = {}
        for route in changed:
            self.apply_route(current["id"], route, created)
        for route in removed:
            delete_route(self.client, current["id"], route["route_id"])
        self.delete_orphans(current["id"], before.values(), after.values())

    def apply_route(self, api_id: str, route: dict[str, Any], created: dict[tuple[Any, ...], str]) -> None:
        integration_id = route["integration_id"] or created.get(self.integration_key(route))
        if integration_id is None:
            integration_id = create_integration(self.client, api_id, route)
            created[self.integration_key(route)] = integration_id
        target = f"integrations/{integration_id}"
        if route["route_id"]:
            update_route(self.client, api_id, route["route_id"], target)
        else:
            create_route(self.client, api_id, route["route_key"], target)

    def delete_orphans(self, api_id: str, before: Iterable[dict[str, Any]], after: Iterable[dict[str, Any]]) -> None:
        """Delete the integrations routes targeted before this task and no route targets now."""
        still_used = {r["integration_id"] for r in after}
        orphans = {r["integration_id"] for r in before if r["integration_id"]} - still_used
        for integration_id in sorted(orphans):
            delete_integration(self.client, api_id, integration_id)

    def update_stage(self, current: dict[str, Any], planned: dict[str, Any]) -> None:
        if self.params["stage"] is None or planned["stage"] == current["stage"]:
            return
        self.changed = True
        if self.module.check_mode:
            return
        request = self.stage_request(current["stage"], planned["stage"])
        if current["stage"]:
            update_stage(self.client, current["id"], request)
        else:
            create_stage(self.client, current["id"], request)

    @staticmethod
    def stage_request(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
        """Only the parts of the stage that change (all of them for a new stage)."""
        def differs(*fields: str) -> bool:
            return not before or any(before.get(f) != after[f] for f in fields)

        request: dict[str, Any] = {}
        if differs("auto_deploy"):
            request["AutoDeploy"] = after["auto_deploy"]
        if differs("detailed_metrics", "throttling_burst_limit", "throttling_rate_limit"):
            settings: dict[str, Any] = {"DetailedMetricsEnabled": after["detailed_metrics"]}
            if after["throttling_burst_limit"] is not None:
                settings["ThrottlingBurstLimit"] = after["throttling_burst_limit"]
                settings["ThrottlingRateLimit"] = after["throttling_rate_limit"]
            request["DefaultRouteSettings"] = settings
        if differs("access_log_destination_arn", "access_log_format"):
            logs = {}
            if after["access_log_destination_arn"]:
                logs = {"DestinationArn": after["access_log_destination_arn"], "Format": after["access_log_format"]}
            if logs or before:
                request["AccessLogSettings"] = logs
        return request


def argument_spec() -> dict[str, Any]:
    return {
        "account_id": {"type": "str"},
        "name": {"type": "str"},
        "api_id": {"type": "str"},
        "state": {"type": "str", "choices": ["present", "absent"], "default": "present"},
        "description": {"type": "str"},
        "cors": {"type": "dict", "options": {
            "allow_origins": {"type": "list", "elements": "str"},
            "allow_any_origin": {"type": "bool", "default": False},
            "allow_methods": {"type": "list", "elements": "str"},
            "allow_headers": {"type": "list", "elements": "str"},
            "expose_headers": {"type": "list", "elements": "str"},
            "max_age": {"type": "int"},
            "allow_credentials": {"type": "bool"},
        }},
        "routes": {"type": "list", "elements": "dict", "options": {
            "route_key": {"type": "str", "required": True, "no_log": False},
            "lambda_arn": {"type": "str", "required": True},
            "payload_format_version": {"type": "str", "choices": ["2.0", "1.0"], "default": "2.0"},
            "timeout_ms": {"type": "int", "default": 30000},
        }},
        "purge_routes": {"type": "bool", "default": True},
        "stage": {"type": "dict", "options": {
            "auto_deploy": {"type": "bool", "default": True},
            "throttling_burst_limit": {"type": "int"},
            "throttling_rate_limit": {"type": "float"},
            "detailed_metrics": {"type": "bool", "default": False},
            "access_log_destination_arn": {"type": "str"},
            "access_log_format": {"type": "raw"},
        }, "required_together": [("throttling_burst_limit", "throttling_rate_limit"),
                                 ("access_log_destination_arn", "access_log_format")]},
        "tags": {"type": "dict", "aliases": ["resource_tags"]},
        "purge_tags": {"type": "bool", "default": True},
    }


def main() -> None:
    module = AnsibleAWSModule(argument_spec=argument_spec(), required_one_of=[("name", "api_id")],
                              supports_check_mode=True)
    try:
        validate(module.params)
    except InvalidInput as e:
        module.fail_json(msg=str(e))
    manager = HttpApiManager(module)
    try:
        api = manager.find()
        current = manager.apis.describe(api) if api else {}
        if module.params["state"] == "absent":
            after = manager.ensure_absent(api)
        else:
            after = manager.ensure_present(api, current)
    except HttpApiError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=manager.changed, api=after,
                     diff={"before": settings_view(current), "after": settings_view(after)})


if __name__ == "__main__":
    main()
