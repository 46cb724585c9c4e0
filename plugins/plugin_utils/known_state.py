# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The action plugins of modules that take ``known_state``: what cloudresume.aws.stack_info read of the resource
earlier in the run. When that state already is what the task asks for, the module's own no-change result is answered
on the controller, without a module process (about a second each) or a call; otherwise the module runs, without the
known state, and reads everything itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase

# (the module's options validated with its own spec and defaults, the known state, diff mode) -> the module's result
# when nothing is to change, a failure for a known state that is not stack_info's, or None: the module decides.
Answer = Callable[[dict[str, Any], Any, bool], "dict[str, Any] | None"]


def answer_from_known_state(args: dict[str, Any], spec: dict[str, Any], required_if: list[Any] | None,
                            answer: Answer, diff: bool) -> dict[str, Any] | None:
    """None (the module runs) without a known state, or for options the module itself refuses: it reports those with
    its own message."""
    known = args.get("known_state")
    if known is None:
        return None
    names = set(spec).union(*(option.get("aliases", []) for option in spec.values()))  # not the AWS connection's
    validated = ArgumentSpecValidator(spec, required_if=required_if).validate(
        {key: value for key, value in args.items() if key in names})
    if validated.error_messages:
        return None
    return answer(validated.validated_parameters, known, diff)


class KnownStateAction(ActionBase):
    """Set SPEC (the module's own options, known_state included), REQUIRED_IF and answer."""

    SPEC: dict[str, Any] = {}
    REQUIRED_IF: list[Any] | None = None

    @staticmethod
    def answer(params: dict[str, Any], known: Any, diff: bool) -> dict[str, Any] | None:
        raise NotImplementedError

    @classmethod
    def answer_for(cls, args: dict[str, Any], diff: bool) -> dict[str, Any] | None:
        """The task's result from its arguments without the module, or None: the module runs."""
        return answer_from_known_state(args, cls.SPEC, cls.REQUIRED_IF, cls.answer, diff)

    def run(self, tmp: Any = None, task_vars: dict[str, Any] | None = None) -> dict[str, Any]:
        result = super().run(tmp, task_vars or {})
        args = dict(self._task.args)
        answered = self.answer_for(args, bool(self._task.diff))
        if answered is not None:
            return {**result, **answered}
        args.pop("known_state", None)
        result.update(self._execute_module(module_name=self._task.resolved_action, module_args=args, task_vars=task_vars))
        return result
