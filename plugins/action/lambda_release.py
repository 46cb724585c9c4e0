# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Action of cloudresume.aws.lambda_release: with ``known_state`` (cloudresume.aws.stack_info's ``release``) that needs
no change, the module's result is answered on the controller (plugin_utils/known_state.py)."""

from __future__ import annotations

from typing import Any

from ansible_collections.cloudresume.aws.plugins.module_utils import releases
from ansible_collections.cloudresume.aws.plugins.plugin_utils.known_state import KnownStateAction


def answer_release(params: dict[str, Any], known: Any, diff: bool) -> dict[str, Any] | None:
    """None (the module runs) for a function that did not exist when stack_info read it ({}), or for permissions the
    module refuses; a failure for a state that is not stack_info's release."""
    if known == {} or releases.permission_problem(params["permissions"]):
        return None
    problem = releases.state_problem(known, params["function_name"], params["alias"])
    if problem:
        return {"failed": True, "changed": False, "msg": problem}
    return releases.unchanged_result(known, params, diff)


class ActionModule(KnownStateAction):
    SPEC = releases.ARGUMENT_SPEC
    answer = staticmethod(answer_release)
