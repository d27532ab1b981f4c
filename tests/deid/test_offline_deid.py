"""Building the analyzer and de-identifying open no network connection."""

from __future__ import annotations

import socket

import pytest

from assistant.deid import Deidentifier, reidentify


def test_fresh_load_and_pseudonymise_never_connect(monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("réseau interdit pendant le test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    # A fresh instance: the whole build path (spaCy, Presidio, tldextract) runs here.
    deid = Deidentifier()
    deid.load()
    text = "Mme Awa KONATÉ, awa.konate@exemple.fr, www.exemple.fr, tél. 06 12 34 56 78."
    result = deid.pseudonymise(text)
    assert "KONATÉ" not in result.text and "awa.konate" not in result.text
    assert reidentify(result.text, result.mapping).text == text
    assert attempts == []
