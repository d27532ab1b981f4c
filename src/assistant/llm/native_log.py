"""Keep llama.cpp's own output off the terminal (it would break the TUI).

llama.cpp and ggml write their messages through one process-wide callback.
We install ours before any model is created and send every line to a log file
(or drop it when no file is given). llama-cpp-python's own way to be quiet
(``verbose=False``) redirects file descriptors 1 and 2 to /dev/null for the
whole process while a model loads — that would also swallow the TUI's output
drawn from another thread during the load — so we neutralise that redirection:
with our callback in place there is nothing left for it to hide.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import threading
from pathlib import Path
from typing import IO

_lock = threading.Lock()
_handle: IO[str] | None = None
_handle_path: Path | None = None
_callback: object | None = None  # the ctypes callback: must stay referenced
_last_level = 1

# ggml_log_level: 0 none, 1 info, 2 warn, 3 error, 4 debug, 5 continuation.
_LEVEL_NAMES = {0: "", 1: "INFO", 2: "WARN", 3: "ERROR", 4: "DEBUG"}


class _NoRedirect:
    """Stand-in for llama_cpp's suppress_stdout_stderr: leaves fds 1/2 alone."""

    def __init__(self, disable: bool = True) -> None:
        self.disable = disable

    def __enter__(self) -> _NoRedirect:
        return self

    def __exit__(self, *_: object) -> None:
        return None


def _write(level: int, text: bytes) -> None:
    global _last_level
    if level == 5:
        level = _last_level
    else:
        _last_level = level
    if level == 4:  # debug chatter: per-token noise, not worth the disk
        return
    handle = _handle
    if handle is None:
        return
    with _lock:
        try:
            handle.write(text.decode("utf-8", errors="replace"))
            handle.flush()
        except (OSError, ValueError):
            pass


def install(log_file: Path | None) -> None:
    """Route llama.cpp/ggml logging to ``log_file`` (None: discard). Idempotent.

    Must run before the first ``Llama`` is created.
    """
    global _callback, _handle, _handle_path
    import llama_cpp
    import llama_cpp._internals as internals
    import llama_cpp.llama as llama_module

    llama_module.suppress_stdout_stderr = _NoRedirect  # type: ignore[assignment,misc]
    internals.suppress_stdout_stderr = _NoRedirect  # type: ignore[assignment,misc]

    with _lock:
        if log_file is not None and (_handle_path is None or Path(log_file) != _handle_path):
            path = Path(log_file)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                # The log sits in the private data directory and names the model
                # and its load errors: owner-only, like every file there.
                fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                os.fchmod(fd, 0o600)
                new = os.fdopen(fd, "a", encoding="utf-8")
            except OSError:
                new = None
            if new is not None:
                old, _handle, _handle_path = _handle, new, path
                if old is not None:
                    with contextlib.suppress(OSError):
                        old.close()
        if _callback is None:

            def _cb(level: int, text: bytes, _user_data: ctypes.c_void_p) -> None:
                # Never raise here: ctypes would print the traceback to stderr.
                with contextlib.suppress(Exception):
                    _write(level, text)

            _callback = llama_cpp.llama_log_callback(_cb)
            llama_cpp.llama_log_set(_callback, ctypes.c_void_p(0))


def current_log_file() -> Path | None:
    return _handle_path
