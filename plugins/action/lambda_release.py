# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Action of cloudresume.aws.lambda_release: with ``known_state`` (what cloudresume.aws.stack_info read of the release
earlier in the run) that needs no change, the module's result is answered on the controller, without a module process
(about a second each) or a call; otherwise the module runs and reads everything itself."""

from __future__ import annotations

from typing import Any

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase

from ansible_collections.cloudresume.aws.plugins.module_utils import releases


def answer(args: dict[str, Any], diff: bool) -> dict[str, Any] | None:
    """The result without the module: None when the module must run (no known state, a change to make, a rollback,
    or options the module itself would refuse: it reports those with its own message); a failure for a known state
    that is not stack_info's release."""
    known = args.get("known_state")
    if known is None or known == {}:  # {}: the function did not exist when stack_info read it
        return None
    validated = ArgumentSpecValidator(releases.ARGUMENT_SPEC).validate(
        {key: value for key, value in args.items() if key in releases.ARGUMENT_SPEC})
    if validated.error_messages or releases.permission_problem(validated.validated_parameters["permissions"]):
        return None
    problem = releases.state_problem(known)
    if problem:
        return {"failed": True, "changed": False, "msg": problem}
    return releases.unchanged_result(known, validated.validated_parameters, diff)


class ActionModule(ActionBase):
    """Answer from the known state when it needs no change, else run the module (without the known state)."""

    def run(self, tmp: Any = None, task_vars: dict[str, Any] | None = None) -> dict[str, Any]:
        result = super().run(tmp, task_vars or {})
        args = dict(self._task.args)
        answered = answer(args, bool(self._task.diff))
        if answered is not None:
            return {**result, **answered}
        args.pop("known_state", None)
        result.update(self._execute_module(module_name=self._task.resolved_action or "cloudresume.aws.lambda_release",
                                           module_args=args, task_vars=task_vars))
        return result
