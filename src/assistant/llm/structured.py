"""Validate a structured answer against the JSON schema it was generated with.

The grammar makes the model produce the schema's shape token by token, but an
answer cut by ``max_tokens`` (or one from a server that ignored the schema) can
still be incomplete: check before storing it as a draft. This covers the
JSON-schema subset the prompt library uses (type, properties, required,
additionalProperties, items, minItems/maxItems, minLength/maxLength, enum).
"""

from __future__ import annotations

import json

from assistant.errors import ModelError

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
}


def parse_structured(text: str, schema: dict) -> object:
    """The parsed value, or a French ``ModelError`` saying what does not match."""
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise ModelError(
            "La réponse du modèle n'est pas un JSON complet (réponse coupée ou mal formée) : "
            "relancez la génération ou augmentez la longueur maximale."
        ) from exc
    problems = schema_errors(value, schema)
    if problems:
        raise ModelError(
            "La réponse du modèle ne respecte pas le format attendu : " + "; ".join(problems[:3])
        )
    return value


def schema_errors(value: object, schema: dict, where: str = "réponse") -> list[str]:
    """Every mismatch between ``value`` and ``schema``, in French (empty: valid)."""
    errors: list[str] = []
    expected = schema.get("type")
    if isinstance(expected, str) and expected in _TYPES:
        ok = isinstance(value, _TYPES[expected])
        if expected in ("integer", "number") and isinstance(value, bool):
            ok = False
        if not ok:
            return [f"{where} : type {expected} attendu"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where} : valeur hors de la liste permise")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            errors.append(f"{where} : texte trop court")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            errors.append(f"{where} : texte trop long")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            errors.append(f"{where} : au moins {schema['minItems']} élément(s) attendu(s)")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            errors.append(f"{where} : au plus {schema['maxItems']} élément(s) attendu(s)")
        items = schema.get("items")
        if isinstance(items, dict):
            for index, item in enumerate(value):
                errors.extend(schema_errors(item, items, f"{where}[{index}]"))
    if isinstance(value, dict):
        properties = schema.get("properties") or {}
        for key in schema.get("required") or []:
            if key not in value:
                errors.append(f"{where} : champ « {key} » manquant")
        for key, item in value.items():
            if key in properties:
                errors.extend(schema_errors(item, properties[key], f"{where}.{key}"))
            elif schema.get("additionalProperties") is False:
                errors.append(f"{where} : champ « {key} » non prévu")
    return errors
