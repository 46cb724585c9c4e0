# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Action of cloudresume.aws.cloudwatch_dashboard: with ``known_state`` (cloudresume.aws.stack_info's ``dashboard``)
that already is the dashboard asked for, the module's result is answered on the controller
(plugin_utils/known_state.py)."""

from __future__ import annotations

from typing import Any

from ansible_collections.cloudresume.aws.plugins.module_utils import dashboards
from ansible_collections.cloudresume.aws.plugins.plugin_utils.known_state import KnownStateAction


def answer_dashboard(params: dict[str, Any], known: Any, diff: bool) -> dict[str, Any] | None:
    """None (the module runs) for a name or body the module refuses; a failure for a state that is not stack_info's."""
    problem, body = dashboards.input_problem(params)
    if problem:
        return None
    problem = dashboards.state_problem(known, params["name"])
    if problem:
        return {"failed": True, "changed": False, "msg": problem}
    return dashboards.unchanged_result(known, params, body, diff)


class ActionModule(KnownStateAction):
    SPEC = dashboards.ARGUMENT_SPEC
    REQUIRED_IF = dashboards.REQUIRED_IF
    answer = staticmethod(answer_dashboard)
