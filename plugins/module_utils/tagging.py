# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The tag plan every module of the collection shares: what to set, what to remove, and the tags after."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any
from typing import NamedTuple

from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags


class TagPlan(NamedTuple):
    """``to_set``/``to_remove`` as :func:`compare_aws_tags` gives them, and ``after``: the tags once applied."""

    to_set: dict[str, str]
    to_remove: list[str]
    after: dict[str, str]

    @property
    def changed(self) -> bool:
        return bool(self.to_set or self.to_remove)

    def apply(self, untag: Callable[[list[str]], Any], tag: Callable[[dict[str, str]], Any]) -> None:
        """Remove, then set, the plan's tags: ``untag(to_remove)`` and ``tag(to_set)``, each only when not empty.

        Removing first keeps a resource under its service's tag limit while tags are replaced.
        """
        if self.to_remove:
            untag(self.to_remove)
        if self.to_set:
            tag(self.to_set)


def plan_tags(current: dict[str, str], wanted: dict[str, str] | None, purge: bool) -> TagPlan:
    """The plan that brings ``current`` to ``wanted`` (None: leave the tags as they are)."""
    if wanted is None:
        return TagPlan({}, [], dict(current))
    to_set, to_remove = compare_aws_tags(current, wanted, purge_tags=purge)
    after = {k: v for k, v in current.items() if k not in to_remove} | to_set
    return TagPlan(to_set, list(to_remove), after)
