#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: stack_info
short_description: The caller's account and the stack's resources a run needs to know, in one module process
version_added: 0.1.0
description:
  - Identifies the caller (C(sts:GetCallerIdentity)) and, for each option given, finds one resource of the stack the
    way the collection's roles find it, so that a run asks AWS about its account in one module process instead of
    one process per lookup (each costs about 0.8 s before its first call).
  - O(site_comment) finds the CloudFront distribution with this comment in the C(ListDistributions) summaries (one
    page per 100 distributions of the account); no distribution is read beyond the listing.
  - O(table_name) describes one DynamoDB table (C(DescribeTable)), O(function_name) reads one Lambda function's
    configuration (C(GetFunctionConfiguration)), O(role_name) one IAM role (C(GetRole)), each by its exact name.
  - O(api_name) finds the HTTP API that M(cloudresume.aws.http_api) manages under that name (the name and the tag
    C(cloudresume.aws.http_api) with the name as its value) in the C(GetApis) listing; its routes and stage are not
    read (M(cloudresume.aws.http_api_info) reads them).
  - O(release) reads what M(cloudresume.aws.lambda_release) reads of a function's release (C(ListVersionsByFunction),
    C(GetAlias), and C(GetPolicy) of the alias when it exists) and returns it condensed as RV(release), which that
    module's O(cloudresume.aws.lambda_release#module:known_state) takes, so that a run that changes nothing starts no
    process for the release.
  - O(dashboard_name) reads one CloudWatch dashboard (C(GetDashboard)) as M(cloudresume.aws.cloudwatch_dashboard)
    reads it, for that module's O(cloudresume.aws.cloudwatch_dashboard#module:known_state).
  - A resource that does not exist is answered as an empty dict, not an error; any other error (a denied read, for
    example) fails the module with a message that names the lookup's option.
  - With O(expected_account_id) set and the caller in another account, nothing but the caller is read and no lookup
    is returned, so a playbook can refuse the credentials before anything of that account is read.
  - Read only; supports check mode.
author:
  - cloudresume.aws maintainers (@cloudresume)
options:
  expected_account_id:
    description:
      - The account the lookups are meant for. When the caller's account differs, the module returns the caller
        only (RV(account_matches=false)) and reads nothing else.
      - Omitted or empty, the lookups run in the caller's account.
    type: str
  site_comment:
    description:
      - Comment of the site's CloudFront distribution (for the stack's roles C(stack_site_comment)).
      - Returns RV(site_distribution).
    type: str
  table_name:
    description: Name of a DynamoDB table. Returns RV(table).
    type: str
  function_name:
    description: Name or ARN of a Lambda function. Returns RV(function).
    type: str
  api_name:
    description: Name of an HTTP API managed by M(cloudresume.aws.http_api). Returns RV(api).
    type: str
  role_name:
    description: Name of an IAM role (without its path). Returns RV(role).
    type: str
  dashboard_name:
    description: Name of a CloudWatch dashboard. Returns RV(dashboard).
    type: str
  release:
    description: A function and its alias whose release to read. Returns RV(release).
    type: dict
    suboptions:
      function_name:
        description: Name of the Lambda function.
        type: str
        required: true
      alias:
        description: Name of the alias, for example V(live).
        type: str
        required: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: cloudresume.aws.http_api_info
  - module: cloudresume.aws.lambda_function_info
  - module: amazon.aws.aws_caller_info
"""

EXAMPLES = r"""
- name: Who am I?
  cloudresume.aws.stack_info:
  register: caller

- name: The caller and what a monitoring layer run alone needs, in one process
  cloudresume.aws.stack_info:
    expected_account_id: "123456789012"
    site_comment: cloudresume résumé site (us-east-2)
    table_name: cloudresume-visitors
    function_name: cloudresume-counter
    api_name: cloudresume-api
  register: stack

- name: Use the answers (an empty dict is a resource that does not exist)
  ansible.builtin.debug:
    msg:
      account: "{{ stack.account }}"
      distribution: "{{ stack.site_distribution.DomainName | default('none yet') }}"
      api: "{{ stack.api.api_endpoint | default('none yet') }}"
      table: "{{ 'exists' if stack.table else 'missing' }}"
"""

RETURN = r"""
account:
  description: The caller's account id.
  returned: always
  type: str
  sample: "123456789012"
arn:
  description: The caller's ARN.
  returned: always
  type: str
  sample: arn:aws:sts::123456789012:assumed-role/cloudresume-deploy/GitHubActions
partition:
  description: The caller's partition (the ARN's second field).
  returned: always
  type: str
  sample: aws
user_id:
  description: The caller's unique id.
  returned: always
  type: str
  sample: AROA3XFRBF535PLBIFPI4:GitHubActions
account_matches:
  description: False when O(expected_account_id) is set and the caller is in another account (no lookup was made).
  returned: always
  type: bool
  sample: true
site_distribution:
  description:
    - The distribution's summary as C(ListDistributions) gives it (CloudFront's keys, for example C(Id), C(ARN),
      C(DomainName), C(Comment), C(Status), C(Aliases)); the first one listed when several carry the comment.
    - Empty when no distribution has the comment.
  returned: when O(site_comment) is given and the account matches
  type: dict
  sample: {Id: E2QWRUHAPOMQZL, ARN: "arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL",
           DomainName: d111111abcdef8.cloudfront.net, Comment: cloudresume résumé site (us-east-2),
           Aliases: {Quantity: 0}}
table:
  description: The table (C(DescribeTable), snake_case keys, no tags), empty when it does not exist.
  returned: when O(table_name) is given and the account matches
  type: dict
  sample: {table_name: cloudresume-visitors, table_status: ACTIVE,
           table_arn: "arn:aws:dynamodb:us-east-2:123456789012:table/cloudresume-visitors"}
function:
  description:
    - The function's configuration (C(GetFunctionConfiguration), snake_case keys, environment variable names as
      set, as M(cloudresume.aws.lambda_function_info) returns it), empty when it does not exist.
  returned: when O(function_name) is given and the account matches
  type: dict
  sample: {function_name: cloudresume-counter, runtime: python3.13, state: Active}
api:
  description:
    - The HTTP API in the shape of M(cloudresume.aws.http_api_info) without C(routes) and C(stage) (C(id), C(name),
      C(description), C(api_endpoint), C(execution_arn), C(cors), C(tags)), empty when there is none.
  returned: when O(api_name) is given and the account matches
  type: dict
  sample: {id: a1b2c3d4e5, name: cloudresume-api, api_endpoint: "https://a1b2c3d4e5.execute-api.us-east-2.amazonaws.com",
           execution_arn: "arn:aws:execute-api:us-east-2:123456789012:a1b2c3d4e5"}
role:
  description: The role's C(role_name), C(role_id), C(path) and C(arn), empty when it does not exist.
  returned: when O(role_name) is given and the account matches
  type: dict
  sample: {role_name: cloudresume-counter-us-east-2, role_id: AROA3XFRBF535PLBIFPI4, path: /,
           arn: "arn:aws:iam::123456789012:role/cloudresume-counter-us-east-2"}
dashboard:
  description:
    - The dashboard in the shape M(cloudresume.aws.cloudwatch_dashboard) returns it (C(dashboard_name),
      C(dashboard_arn), C(dashboard_body) parsed), empty when it does not exist.
  returned: when O(dashboard_name) is given and the account matches
  type: dict
  sample: {dashboard_name: cloudresume, dashboard_arn: "arn:aws:cloudwatch::123456789012:dashboard/cloudresume",
           dashboard_body: {widgets: []}}
release:
  description:
    - The function's release as M(cloudresume.aws.lambda_release) decides it, for its O(cloudresume.aws.lambda_release#module:known_state)
      (empty when the function does not exist).
    - C(latest) and C(newest) (the newest published version, null when none) hold C(version), C(code_sha256) and
      C(digest), a SHA-256 of the settings a version captures (no environment variable's value is returned);
      C(alias) its C(function_version), C(alias_arn) and whether it is C(weighted) (null when there is no alias);
      C(statements) the alias's policy statements by id, in the module's form; C(function_arn) the function's ARN.
  returned: when O(release) is given and the account matches
  type: dict
  sample: {function_arn: "arn:aws:lambda:us-east-2:123456789012:function:cloudresume-counter",
           latest: {version: $LATEST, code_sha256: "f3Qp...", digest: "9b1c..."},
           newest: {version: "3", code_sha256: "f3Qp...", digest: "9b1c..."},
           alias: {function_version: "3", weighted: false,
                   alias_arn: "arn:aws:lambda:us-east-2:123456789012:function:cloudresume-counter:live"},
           statements: {}}
"""

from collections.abc import Callable
from typing import Any

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.iam import get_iam_role
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.cloudresume.aws.plugins.module_utils.apigatewayv2 import HttpApiError
from ansible_collections.cloudresume.aws.plugins.module_utils.apigatewayv2 import HttpApis
from ansible_collections.cloudresume.aws.plugins.module_utils.awslambda import function_configuration
from ansible_collections.cloudresume.aws.plugins.module_utils.awslambda import read_release
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront import cloudfront_client
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudfront import list_distributions
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudwatch import get_dashboard
from ansible_collections.cloudresume.aws.plugins.module_utils.dashboards import dashboard_of
from ansible_collections.cloudresume.aws.plugins.module_utils.dynamodb import describe_table
from ansible_collections.cloudresume.aws.plugins.module_utils.sts import get_caller_identity

Caller = dict[str, str]


def find_distribution(module: AnsibleAWSModule, comment: str, caller: Caller) -> dict[str, Any]:
    return next((d for d in list_distributions(cloudfront_client(module)) if d.get("Comment") == comment), {})


def find_table(module: AnsibleAWSModule, name: str, caller: Caller) -> dict[str, Any]:
    table = describe_table(module.client("dynamodb", retry_decorator=AWSRetry.jittered_backoff()), name)
    return camel_dict_to_snake_dict(table) if table else {}


def find_function(module: AnsibleAWSModule, name: str, caller: Caller) -> dict[str, Any]:
    return function_configuration(module.client("lambda", retry_decorator=AWSRetry.jittered_backoff()), name)


def find_api(module: AnsibleAWSModule, name: str, caller: Caller) -> dict[str, Any]:
    apis = HttpApis(module, account=(caller["account"], caller["partition"]))
    owned, _others = apis.owned(name)
    if len(owned) > 1:
        raise HttpApiError(message=f"{len(owned)} HTTP APIs named {name!r} carry its ownership tag: "
                                   f"{', '.join(sorted(api['ApiId'] for api in owned))}; remove all but one")
    return apis.summary(owned[0]) if owned else {}


def find_role(module: AnsibleAWSModule, name: str, caller: Caller) -> dict[str, Any]:
    role = get_iam_role(module.client("iam", retry_decorator=AWSRetry.jittered_backoff()), name)
    if not role:
        return {}
    return {"role_name": role["RoleName"], "role_id": role["RoleId"], "path": role["Path"], "arn": role["Arn"]}


def find_dashboard(module: AnsibleAWSModule, name: str, caller: Caller) -> dict[str, Any]:
    client = module.client("cloudwatch", retry_decorator=AWSRetry.jittered_backoff())
    return dashboard_of(get_dashboard(client, name)) or {}


def find_release(module: AnsibleAWSModule, release: dict[str, str], caller: Caller) -> dict[str, Any]:
    client = module.client("lambda", retry_decorator=AWSRetry.jittered_backoff())
    return read_release(client, release["function_name"], release["alias"])


# option -> (returned key, what is looked up, the lookup)
LOOKUPS: dict[str, tuple[str, str, Callable[[AnsibleAWSModule, Any, Caller], dict[str, Any]]]] = {
    "site_comment": ("site_distribution", "the CloudFront distribution with the comment", find_distribution),
    "table_name": ("table", "the DynamoDB table", find_table),
    "function_name": ("function", "the Lambda function", find_function),
    "api_name": ("api", "the HTTP API", find_api),
    "role_name": ("role", "the IAM role", find_role),
    "dashboard_name": ("dashboard", "the CloudWatch dashboard", find_dashboard),
    "release": ("release", "the release of the Lambda function", find_release),
}
RELEASE_OPTIONS = {"function_name": {"type": "str", "required": True}, "alias": {"type": "str", "required": True}}


def look_up(module: AnsibleAWSModule, caller: Caller) -> dict[str, dict[str, Any]]:
    """Each lookup whose option is given; an error names the option and the resource it was looking for."""
    found = {}
    for option, (key, what, lookup) in LOOKUPS.items():
        value = module.params[option]
        if value is None:
            continue
        try:
            found[key] = lookup(module, value, caller)
        except AnsibleAWSError as e:
            shown = value if isinstance(value, str) else f"{value['function_name']}:{value['alias']}"
            e.message = f"{option}: could not look up {what} {shown!r}: {e.message}"
            raise
    return found


def main() -> None:
    module = AnsibleAWSModule(
        argument_spec={"expected_account_id": {"type": "str"}, **{option: {"type": "str"} for option in LOOKUPS},
                       "release": {"type": "dict", "options": RELEASE_OPTIONS}},
        supports_check_mode=True,
    )
    for option in LOOKUPS:
        if module.params[option] == "":
            module.fail_json(msg=f"{option}: give a name, or leave the option out")
    for key in RELEASE_OPTIONS:
        if (module.params["release"] or {}).get(key, None) == "":
            module.fail_json(msg=f"release.{key}: give a name")
    try:
        caller = get_caller_identity(module.client("sts", retry_decorator=AWSRetry.jittered_backoff()))
        expected = module.params["expected_account_id"]
        matches = not expected or expected == caller["account"]
        found = look_up(module, caller) if matches else {}
    except AnsibleAWSError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=False, account_matches=matches, **caller, **found)


if __name__ == "__main__":
    main()
