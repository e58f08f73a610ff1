"""Loopback ports for test servers, and an address where nothing listens."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A port free on 127.0.0.1 right now (the kernel's pick; the caller binds it next)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def dead_url() -> str:
    """An http:// address on loopback where nobody listens once the probe is closed (a server that is down)."""
    return f"http://127.0.0.1:{free_port()}"
