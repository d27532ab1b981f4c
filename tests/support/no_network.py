"""Import this first in a process to make any network socket fail loudly.

Every attempt is also appended to the file named by ASSISTANT_NET_TRAP, so a
test sees it even when the code under test swallows the exception (Presidio
and tldextract both catch network errors and carry on).
"""

from __future__ import annotations

import os
import socket
import traceback

_ALLOWED_FAMILIES = {socket.AF_UNIX}
_real_socket = socket.socket


class NetworkAttempt(RuntimeError):
    pass


def _record(what: str) -> None:
    trap = os.environ.get("ASSISTANT_NET_TRAP")
    if trap:
        with open(trap, "a", encoding="utf-8") as fh:
            fh.write(what + "\n" + "".join(traceback.format_stack(limit=12)) + "\n---\n")


class _GuardedSocket(_real_socket):
    def __init__(self, family: int = -1, type: int = -1, proto: int = -1, fileno=None):
        fam = socket.AF_INET if family == -1 else family
        if fileno is None and fam not in _ALLOWED_FAMILIES:
            _record(f"socket(family={fam})")
            raise NetworkAttempt(f"network socket attempted (family {fam})")
        super().__init__(family, type, proto, fileno)


def _guarded_getaddrinfo(*args, **kwargs):
    _record(f"getaddrinfo{args!r}")
    raise NetworkAttempt("DNS lookup attempted")


def _guarded_create_connection(*args, **kwargs):
    _record(f"create_connection{args!r}")
    raise NetworkAttempt("connection attempted")


def install() -> None:
    socket.socket = _GuardedSocket  # type: ignore[misc]
    socket.getaddrinfo = _guarded_getaddrinfo  # type: ignore[assignment]
    socket.create_connection = _guarded_create_connection  # type: ignore[assignment]


install()
