"""Compatibility path: the server process lives in tests/harness (imported from here by older tests and
benchmarks/live_propagation.py)."""

from __future__ import annotations

from tests.harness.databases import PASSWORD
from tests.harness.ports import free_port
from tests.harness.processes import CHANNEL_KEY, ServerProcess, start_server

__all__ = ["CHANNEL_KEY", "PASSWORD", "ServerProcess", "free_port", "start_server"]
