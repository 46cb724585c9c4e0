#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: http_api
short_description: Manage an API Gateway HTTP API (v2) with Lambda routes, CORS and its default stage
version_added: 0.1.0
description:
  - Creates, updates or deletes an Amazon API Gateway HTTP API (API Gateway v2), its routes with their
    Lambda proxy integrations, its CORS configuration and its C($default) stage.
  - M(amazon.aws) and M(community.aws) only manage REST APIs (API Gateway v1); this module fills that gap.
  - AWS does not make API names unique. The module finds the API by I(name) B(and) the ownership tag
    C(cloudresume.aws.http_api) whose value is the name; it sets that tag when it creates the API (in the
    same call, so an interrupted run never leaves an untagged API behind). Two tagged APIs with the same name
    are an error listing their ids. An API with that name but without the tag is never adopted silently;
    the task fails and names its id; pass I(api_id) to adopt it (the module then adds the tag).
  - Each route gets a Lambda proxy integration (C(AWS_PROXY)). Routes that ask for the same function,
    payload format version and timeout share one integration; an integration is reused as long as nothing
    about it changes. Changing a route only touches that route, and an integration that the run leaves
    without any route is deleted.
  - All input is validated before any AWS call; each error message starts with the name of the field.
  - Supports check mode (no mutating call is made) and diff mode (before and after of every setting).
author:
  - cloudresume.aws maintainers
options:
  name:
    description:
      - Name of the HTTP API. Required unless I(api_id) is given.
      - With I(api_id), a different name renames the API.
    type: str
  api_id:
    description:
      - Id of an existing HTTP API to manage instead of looking it up by I(name).
      - An API adopted this way gets the ownership tag, so later runs find it by name.
    type: str
  state:
    description: Whether the API should exist. C(absent) deletes the API with its routes, integrations and stages.
    type: str
    choices: [present, absent]
    default: present
  description:
    description: Description of the API. When not set, the current description is left as it is.
    type: str
  cors:
    description:
      - The CORS configuration API Gateway answers preflight requests with.
      - When not set, the current CORS configuration is left as it is. C({}) removes it.
      - Suboptions that are not set mean empty lists, no credentials and a max age of C(0).
    type: dict
    suboptions:
      allow_origins:
        description:
          - Exact origins allowed to call the API, C(scheme://host) or C(scheme://host:port), without path
            or trailing slash, for example C(https://d111111abcdef8.cloudfront.net).
          - C(*) is refused unless I(cors.allow_any_origin=true).
        type: list
        elements: str
      allow_any_origin:
        description: Explicit opt-in to accept C(*) in I(cors.allow_origins) (any web site may call the API).
        type: bool
        default: false
      allow_methods:
        description: HTTP methods allowed, for example C([GET, POST, OPTIONS]), or C(*).
        type: list
        elements: str
      allow_headers:
        description: Request headers allowed, for example C([content-type]).
        type: list
        elements: str
      expose_headers:
        description: Response headers the browser may expose to the calling script.
        type: list
        elements: str
      max_age:
        description: Seconds a browser may cache the preflight response, C(-1) to C(86400).
        type: int
      allow_credentials:
        description: Whether credentials (cookies, authorization headers) are allowed. Not with C(*) origins.
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
            C(ANY); path segments may be C({param}), the last one C({proxy+})), or C($default).
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
        description: Integration timeout in milliseconds, C(50) to C(30000).
        type: int
        default: 30000
  purge_routes:
    description: Delete routes that are not listed in I(routes). Has no effect when I(routes) is not set.
    type: bool
    default: true
  stage:
    description:
      - Settings of the C($default) stage, which serves the API at its endpoint URL without a path prefix.
      - When not set, the stage is left as it is (and none is created). Set C({}) for a stage with
        automatic deployment.
      - Changes are deployed only with I(stage.auto_deploy=true); this module does not create deployments.
    type: dict
    suboptions:
      auto_deploy:
        description: Whether API Gateway deploys every change to the stage automatically.
        type: bool
        default: true
      throttling_burst_limit:
        description:
          - Default route burst limit (requests), C(0) to C(5000) (the default account quota).
          - Set it together with I(stage.throttling_rate_limit). When neither is set, the current stage
            throttling is left as it is (a new stage has none, so account limits apply).
          - AWS cannot remove stage throttling once it is set; raise the limits instead.
        type: int
      throttling_rate_limit:
        description:
          - Default route steady-state rate limit (requests per second), C(0) to C(10000) (the default account
            quota). Set it together with I(stage.throttling_burst_limit).
        type: float
      detailed_metrics:
        description: Whether per-route CloudWatch metrics are enabled.
        type: bool
        default: false
      access_log_destination_arn:
        description:
          - ARN of the CloudWatch Logs log group access logs go to (without a trailing C(:*)).
          - Requires I(stage.access_log_format). When not set, access logging is off.
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
  - The ownership tag C(cloudresume.aws.http_api) is always kept, also with I(purge_tags=true).
  - Invoking the Lambda function also needs a resource policy on the function allowing
    C(apigateway.amazonaws.com) with the API's RV(api.execution_arn) as source, see M(amazon.aws.lambda_policy).
seealso:
  - module: cloudresume.aws.http_api_info
  - module: amazon.aws.lambda_policy
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
          description: Always C($default).
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
