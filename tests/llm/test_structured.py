"""Structured output: the grammar from a JSON schema, then validation."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from assistant.config import default_prompts_dir
from assistant.errors import ModelError
from assistant.llm import GenerationParams, parse_structured
from assistant.llm.llama_backend import LlamaCppBackend
from assistant.llm.structured import schema_errors

PISTES = {
    "type": "array",
    "minItems": 1,
    "maxItems": 3,
    "items": {
        "type": "object",
        "properties": {
            "axe": {"type": "string", "minLength": 3, "maxLength": 40},
            "objectif": {"type": "string", "minLength": 3, "maxLength": 150},
            "actions": {
                "type": "array",
                "minItems": 1,
                "maxItems": 3,
                "items": {"type": "string", "minLength": 3, "maxLength": 100},
            },
        },
        "required": ["axe", "objectif", "actions"],
        "additionalProperties": False,
    },
}


def _library_schema() -> dict:
    path = default_prompts_dir() / "pistes-projet-personnalise.toml"
    if not path.exists():
        return PISTES
    return json.loads(tomllib.loads(path.read_text(encoding="utf-8"))["output"]["schema"])


def test_validator_accepts_and_rejects() -> None:
    good = [{"axe": "logement", "objectif": "Obtenir un T3", "actions": ["Relancer le SIAO"]}]
    assert parse_structured(json.dumps(good), PISTES) == good
    assert schema_errors([], PISTES)
    assert schema_errors([{"axe": "lo", "objectif": "x" * 200, "actions": []}], PISTES)
    assert schema_errors([good[0] | {"autre": 1}], PISTES)
    with pytest.raises(ModelError, match="JSON complet"):
        parse_structured('[{"axe": "logem', PISTES)
    with pytest.raises(ModelError, match="format attendu"):
        parse_structured('{"axe": "logement"}', PISTES)


@pytest.mark.e2e
def test_grammar_forces_the_library_schema(test_model_path: Path) -> None:
    schema = _library_schema()
    backend = LlamaCppBackend(test_model_path, n_ctx=1024, n_threads=1)
    try:
        messages = [
            {"role": "system", "content": "Tu proposes des pistes de travail en JSON."},
            {
                "role": "user",
                "content": "Note : Mme <PERSONNE_1> cherche un logement plus grand et un emploi.",
            },
        ]
        result = backend.generate(
            messages, GenerationParams(max_tokens=600, seed=3), json_schema=schema
        )
        assert result.finish_reason == "stop", result.text
        value = parse_structured(result.text, schema)
        assert 1 <= len(value) <= 3
    finally:
        backend.close()
