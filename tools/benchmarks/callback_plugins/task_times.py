"""Writes each task's wall time to the JSON file named by BENCH_TASK_TIMES (the benchmark's profile_tasks).

One entry per task: its name, its role, its action, the seconds from its start to the start of the next task (or the
end of the play), its start and end as epoch seconds (to match the module processes benchmarks/python-counted logs),
and the number of loop items it ran. Not shipped with the collection (tools/benchmarks/ only).
"""
from __future__ import annotations

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: task_times
type: aggregate
short_description: each task's wall time, for tools/benchmarks/run
description: Writes every task's wall time, role, action and loop item count to the file named by BENCH_TASK_TIMES.
requirements: [enable in callbacks_enabled]
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "task_times"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self) -> None:
        super().__init__()
        self.tasks: list[dict] = []
        self.current: dict | None = None

    def _close(self) -> None:
        if self.current is not None:
            self.current["seconds"] = round(time.perf_counter() - self.current.pop("began"), 3)
            self.current["end"] = time.time()
            self.tasks.append(self.current)
            self.current = None

    def _start(self, task, handler: bool = False) -> None:
        self._close()
        role = task._role.get_name() if task._role else ""
        self.current = {"name": task.get_name(), "role": role, "action": task.action, "handler": handler,
                        "items": 0, "start": time.time(), "began": time.perf_counter()}

    def v2_playbook_on_task_start(self, task, is_conditional) -> None:
        self._start(task)

    def v2_playbook_on_handler_task_start(self, task) -> None:
        self._start(task, handler=True)

    def _item(self, result) -> None:
        if self.current is not None:
            self.current["items"] += 1

    v2_runner_item_on_ok = _item
    v2_runner_item_on_failed = _item
    v2_runner_item_on_skipped = _item

    def v2_playbook_on_stats(self, stats) -> None:
        self._close()
        path = os.environ.get("BENCH_TASK_TIMES")
        if path:
            with open(path, "w", encoding="utf-8") as out:
                json.dump(self.tasks, out)
