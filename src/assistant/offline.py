"""Close every download path before any third-party import can open one.

spaCy, Presidio (through tldextract) and huggingface libraries all try to
fetch things by default. The program must never open a network socket at run
time, so ``enforce_offline()`` is called first thing by the CLI, the TUI and
the tests. It only sets environment variables and library switches; the proof
that nothing connects lives in tests/test_offline.py.
"""

from __future__ import annotations

import os

_OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "SPACY_WARNING_IGNORE": "W095",
    # tldextract would otherwise refresh the public suffix list over HTTP.
    "TLDEXTRACT_CACHE_TIMEOUT": "0",
    "DO_NOT_TRACK": "1",
}

_done = False


def enforce_offline() -> None:
    """Set the switches that keep spaCy, Presidio and tldextract offline."""
    global _done
    for key, value in _OFFLINE_ENV.items():
        os.environ.setdefault(key, value)
    if _done:
        return
    _done = True
    _patch_tldextract()


def _patch_tldextract() -> None:
    # Presidio's e-mail recognizer calls tldextract.extract(), whose default
    # extractor downloads the public suffix list on first use. The snapshot
    # bundled with the package is enough to validate an e-mail domain.
    # tldextract imports requests -> urllib3, whose import binds a probe socket to
    # ::1 to learn whether IPv6 works. We never connect through urllib3 (the
    # optional HTTP backend uses http.client), so the answer is useless, and the
    # promise is "no network socket at all": report IPv6 as absent while importing.
    import socket

    has_ipv6 = socket.has_ipv6
    socket.has_ipv6 = False
    try:
        import tldextract
    except ImportError:  # pragma: no cover - dependency of presidio
        return
    finally:
        socket.has_ipv6 = has_ipv6
    offline_extractor = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    tldextract.extract = offline_extractor
    try:
        import tldextract.tldextract as module

        module.TLD_EXTRACTOR = offline_extractor
    except ImportError:  # pragma: no cover
        pass
