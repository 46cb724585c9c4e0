"""A deploy killed at five AWS calls, one per run, each rerun meeting the previous kill's orphan, then a rerun that
completes with one of each resource (chain 1 of interrupted.KILL_CHAINS; the two chains cover the ten points)."""
from __future__ import annotations

from .conftest import emulator_fixture
from .interrupted import KILL_CHAINS, interrupt_chain_then_rerun

emulator = emulator_fixture()


def test_reruns_after_kills_complete_with_one_of_each_resource(emulator):
    interrupt_chain_then_rerun(emulator, KILL_CHAINS[0])
