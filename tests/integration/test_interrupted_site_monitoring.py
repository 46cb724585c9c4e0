"""A first deploy killed right after each of five AWS calls of its second half, then rerun (see interrupted.py)."""
from __future__ import annotations

import pytest

from .conftest import emulator_fixture
from .interrupted import KILL_POINTS, interrupt_then_rerun

emulator = emulator_fixture()


@pytest.mark.parametrize("point", KILL_POINTS[5:])
def test_rerun_after_a_kill_completes_with_one_of_each_resource(emulator, point):
    interrupt_then_rerun(emulator, point)
