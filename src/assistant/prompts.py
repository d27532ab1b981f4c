"""The prompt library: one readable TOML file per task, versioned by content hash.

A supervisor reads, diffs and approves these files; practitioners draft with
approved versions only. The rules that keep a prompt safe are enforced here,
at load time, so a broken or weakened file never reaches the model:

* every file carries the guard instructions (French, factual, invent nothing,
  copy pseudonyms exactly, separate facts / reported statements / assessment),
  and its system template must actually render them;
* the system template may use nothing but the guard, so no note and no user
  input can ever change the system prompt (it also stays a fixed prefix the
  model can keep in its cache);
* the user template must include the note, which is passed as a variable,
  wrapped between fixed markers and neutralised (``neutralise``), never
  concatenated into template source.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import re
import statistics
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
from jinja2.sandbox import SandboxedEnvironment

from assistant.errors import PromptError

APPROVED_EVENT = "prompt.approved"

NOTE_START = "[DÉBUT DE LA NOTE]"
NOTE_END = "[FIN DE LA NOTE]"

# Generation parameters a prompt file may set: the fields of
# assistant.llm.GenerationParams, with the range that makes sense for each.
PARAM_RANGES: dict[str, tuple[type, float, float]] = {
    "temperature": (float, 0.0, 2.0),
    "top_p": (float, 0.0, 1.0),
    "top_k": (int, 0, 1000),
    "repeat_penalty": (float, 0.5, 2.0),
    "max_tokens": (int, 1, 8192),
    "seed": (int, 0, 2**32 - 1),
}
OUTPUT_KINDS = ("text", "json_list")

_TOP_LEVEL = {
    "id": str,
    "title": str,
    "description": str,
    "guard": str,
    "system": str,
    "user": str,
    "params": dict,
    "output": dict,
}
_OPTIONAL = {"variables": dict}
_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# What the guard must still say, checked on a lower-cased, accent-free copy so
# a supervisor can reword it freely but cannot drop a rule.
GUARD_RULES: dict[str, tuple[str, ...]] = {
    "écrire en français": ("francais",),
    "rester factuel": ("factuel",),
    "ne rien inventer": ("invent",),
    "recopier les pseudonymes tels quels (ex. <PERSONNE_1>)": ("<personne_1>", "exactement"),
    "séparer faits, propos rapportés et évaluation professionnelle": (
        "faits",
        "propos rapportes",
        "evaluation professionnelle",
    ),
}

_SENTINEL_NOTE = "NOTE-DE-CONTROLE-7f3a"


@dataclass(frozen=True)
class PromptVersion:
    """One task's prompt file, exactly as it was read: the version is its hash."""

    id: str
    title: str
    description: str
    system: str
    user: str
    params: dict
    output: dict
    version: str
    source: str
    path: Path
    guard: str = ""
    # Optional extra inputs of the user template, with their default values.
    variables: dict = field(default_factory=dict)

    @property
    def short_version(self) -> str:
        return self.version[:12]

    def __hash__(self) -> int:
        # The dict fields are not hashable; the content hash identifies a version.
        return hash((self.id, self.version))


class PromptLibrary:
    """All the task files of one directory, validated."""

    def __init__(self, prompts: Iterable[PromptVersion], directory: Path) -> None:
        self.directory = directory
        self._prompts = {p.id: p for p in prompts}

    @classmethod
    def load(cls, directory: Path) -> PromptLibrary:
        directory = Path(directory)
        if not directory.is_dir():
            raise PromptError(
                f"Dossier des consignes introuvable : {directory}. "
                "Vérifiez ASSISTANT_PROMPTS_DIR ou l'installation."
            )
        prompts = [
            load_prompt_file(path)
            for path in sorted(directory.glob("*.toml"))
            if not path.name.startswith("_")  # _approbations.toml is not a task
        ]
        if not prompts:
            raise PromptError(f"Aucune consigne (fichier .toml) dans {directory}.")
        return cls(prompts, directory)

    def list(self) -> list[PromptVersion]:
        return sorted(self._prompts.values(), key=lambda p: p.id)

    def get(self, task_id: str) -> PromptVersion:
        try:
            return self._prompts[task_id]
        except KeyError:
            known = ", ".join(sorted(self._prompts))
            raise PromptError(
                f"Tâche inconnue : « {task_id} ». Tâches disponibles : {known}."
            ) from None

    def __contains__(self, task_id: object) -> bool:
        return task_id in self._prompts


# -- loading and validation ----------------------------------------------------------


def load_prompt_file(path: Path) -> PromptVersion:
    """Read and validate one task file; any problem names the file and the line."""
    path = Path(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _error(
            path, line, "le fichier n'est pas en UTF-8 (enregistrez-le en UTF-8)"
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = _toml_error_line(exc)
        detail = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise _error(path, line, f"syntaxe TOML invalide ({detail})") from None
    return _validate(path, text, data, hashlib.sha256(raw).hexdigest())


def _validate(path: Path, text: str, data: dict, version: str) -> PromptVersion:
    for key in data:
        if key not in _TOP_LEVEL and key not in _OPTIONAL:
            raise _error(path, _key_line(text, key), f"clé inconnue « {key} »")
    for key in _TOP_LEVEL:
        if key not in data:
            raise _error(path, 1, f"clé obligatoire manquante : « {key} »")
    for key, kind in {**_TOP_LEVEL, **_OPTIONAL}.items():
        if key in data and not isinstance(data[key], kind):
            expected = "un texte" if kind is str else "une table [" + key + "]"
            raise _error(path, _key_line(text, key), f"« {key} » doit être {expected}")
        if kind is str and key in data and not data[key].strip():
            raise _error(path, _key_line(text, key), f"« {key} » est vide")

    task_id = data["id"]
    if not _ID_PATTERN.match(task_id) or task_id != path.stem:
        raise _error(
            path,
            _key_line(text, "id"),
            f"l'identifiant « {task_id} » doit être en minuscules avec des tirets "
            f"et identique au nom du fichier (« {path.stem} »)",
        )
    params = _validate_params(path, text, data["params"])
    output = _validate_output(path, text, data["output"])
    variables = _validate_variables(path, text, data.get("variables", {}))
    guard = data["guard"].strip()
    _check_guard(path, text, guard)

    env = _environment()
    system_ast = _parse(env, path, text, "system", data["system"])
    user_ast = _parse(env, path, text, "user", data["user"])
    system_vars = jinja2.meta.find_undeclared_variables(system_ast)
    if system_vars - {"guard"}:
        extra = ", ".join(sorted(system_vars - {"guard"}))
        raise _error(
            path,
            _key_line(text, "system"),
            f"la consigne système ne peut utiliser que {{{{ guard }}}} (trouvé : {extra}) ; "
            "la note et les autres données vont dans la consigne « user »",
        )
    if "guard" not in system_vars:
        raise _error(
            path,
            _key_line(text, "system"),
            "la consigne système doit inclure les règles de garde avec {{ guard }}",
        )
    user_vars = jinja2.meta.find_undeclared_variables(user_ast)
    if "note" not in user_vars:
        raise _error(
            path,
            _key_line(text, "user"),
            "la consigne « user » doit inclure la note avec {{ note }}",
        )
    unknown = user_vars - {"note"} - set(variables)
    if unknown:
        raise _error(
            path,
            _key_line(text, "user"),
            f"variable(s) non déclarée(s) dans [variables] : {', '.join(sorted(unknown))}",
        )

    prompt = PromptVersion(
        id=task_id,
        title=data["title"].strip(),
        description=data["description"].strip(),
        system=data["system"],
        user=data["user"],
        params=params,
        output=output,
        version=version,
        source=text,
        path=path,
        guard=guard,
        variables=variables,
    )
    # A template can name {{ guard }} or {{ note }} yet hide them behind a false
    # condition: render once and look for them in what the model would read.
    try:
        messages = render(prompt, _SENTINEL_NOTE)
    except PromptError as exc:
        raise _error(path, _key_line(text, "user"), exc.message.rstrip(".")) from None
    if guard not in messages[0]["content"]:
        raise _error(
            path, _key_line(text, "system"), "les règles de garde n'apparaissent pas dans le rendu"
        )
    if _delimit(_SENTINEL_NOTE) not in messages[1]["content"]:
        raise _error(path, _key_line(text, "user"), "la note n'apparaît pas dans le rendu")
    return prompt


def _validate_params(path: Path, text: str, params: dict) -> dict:
    for name, value in params.items():
        line = _key_line(text, name, table="params")
        if name not in PARAM_RANGES:
            known = ", ".join(PARAM_RANGES)
            raise _error(path, line, f"paramètre inconnu « {name} » (connus : {known})")
        kind, low, high = PARAM_RANGES[name]
        ok_type = isinstance(value, int | float) if kind is float else isinstance(value, int)
        if isinstance(value, bool) or not ok_type:
            expected = "un nombre" if kind is float else "un nombre entier"
            raise _error(path, line, f"« {name} » doit être {expected}")
        if not low <= value <= high:
            raise _error(path, line, f"« {name} » doit être entre {low:g} et {high:g}")
    return dict(params)


def _validate_output(path: Path, text: str, output: dict) -> dict:
    line = _key_line(text, "kind", table="output")
    kind = output.get("kind")
    if kind not in OUTPUT_KINDS:
        raise _error(path, line, f"[output] kind doit valoir {' ou '.join(OUTPUT_KINDS)}")
    if kind == "text":
        if set(output) != {"kind"}:
            raise _error(path, line, "[output] de type « text » n'a pas d'autre clé que kind")
        return {"kind": "text"}
    schema = output.get("schema")
    schema_line = _key_line(text, "schema", table="output")
    if isinstance(schema, str):
        try:
            schema = json.loads(schema)
        except json.JSONDecodeError as exc:
            # A multi-line string starts on the line after `schema = '''`.
            raise _error(
                path, schema_line + exc.lineno, f"schéma JSON invalide ({exc.msg})"
            ) from None
    if not isinstance(schema, dict) or schema.get("type") != "array" or "items" not in schema:
        raise _error(
            path,
            schema_line,
            "[output] de type « json_list » demande un schéma JSON de liste (type array, items)",
        )
    return {"kind": "json_list", "schema": schema}


def _validate_variables(path: Path, text: str, variables: dict) -> dict:
    for name, default in variables.items():
        line = _key_line(text, name, table="variables")
        if name in {"note", "guard"} or not name.isidentifier():
            raise _error(path, line, f"nom de variable interdit : « {name} »")
        if not isinstance(default, str):
            raise _error(path, line, f"la valeur par défaut de « {name} » doit être un texte")
    return dict(variables)


def _check_guard(path: Path, text: str, guard: str) -> None:
    folded = _fold(guard)
    for rule, needles in GUARD_RULES.items():
        if not all(needle in folded for needle in needles):
            raise _error(
                path, _key_line(text, "guard"), f"les règles de garde doivent dire : {rule}"
            )


def _parse(env: SandboxedEnvironment, path: Path, text: str, key: str, source: str) -> Any:
    try:
        return env.parse(source)
    except jinja2.TemplateSyntaxError as exc:
        raise _error(
            path,
            _template_line(text, key, exc.lineno or 1),
            f"modèle « {key} » invalide ({exc.message})",
        ) from None


def _fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _error(path: Path, line: int, message: str) -> PromptError:
    return PromptError(f"Consigne {path.name}, ligne {line} : {message}.")


def _toml_error_line(exc: tomllib.TOMLDecodeError) -> int:
    match = re.search(r"at line (\d+)", str(exc))
    return int(match.group(1)) if match else 1


def _nth_line(text: str, marker: str, n: int) -> int:
    """Line of the n-th line starting with ``marker`` (1 when not found)."""
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith(marker):
            seen += 1
            if seen == n:
                return number
    return 1


def _table_line(text: str, table: str) -> int:
    pattern = re.compile(rf"^[ \t]*\[[ \t]*{re.escape(table)}[ \t]*\]", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def _key_line(text: str, key: str, table: str | None = None) -> int:
    """Line of ``key = …`` at top level or inside ``[table]`` (1 when not found)."""
    current: str | None = None
    in_multiline: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if in_multiline:
            if stripped.count(in_multiline) % 2 == 1:
                in_multiline = None
            continue
        header = re.match(r"^\[\s*([^\]]+?)\s*\]", stripped)
        if header:
            current = header.group(1)
            continue
        match = re.match(r'^("?)([A-Za-z0-9_-]+)\1\s*=(.*)$', stripped)
        if not match:
            continue
        if match.group(2) == key and current == table:
            return number
        rest = match.group(3)
        for quote in ('"""', "'''"):
            if rest.count(quote) % 2 == 1:
                in_multiline = quote
    return _table_line(text, table) if table else 1


def _template_line(text: str, key: str, template_line: int) -> int:
    start = _key_line(text, key)
    first = text.splitlines()[start - 1] if start <= len(text.splitlines()) else ""
    # TOML drops the newline right after an opening triple quote, so template
    # line 1 is then the next line of the file.
    after = re.split(r'"""|\'\'\'', first, maxsplit=1)
    offset = 0 if len(after) == 2 and not after[1].strip() else -1
    return start + template_line + offset


# -- rendering -----------------------------------------------------------------------


@functools.cache
def _environment() -> SandboxedEnvironment:
    # Plain text, not HTML: autoescape would turn <PERSONNE_1> into &lt;PERSONNE_1&gt;.
    return SandboxedEnvironment(
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


@functools.lru_cache(maxsize=64)
def _template(source: str) -> jinja2.Template:
    return _environment().from_string(source)


def render(prompt: PromptVersion, note: str, **context: str) -> list[dict[str, str]]:
    """Chat messages for the model: the fixed system prompt, then the task and the note.

    The note and every context value are data: neutralised, passed to Jinja as
    variables (so ``{{ … }}`` inside them is never evaluated) and only ever
    placed in the user message.
    """
    unknown = set(context) - set(prompt.variables)
    if unknown:
        known = ", ".join(sorted(prompt.variables)) or "aucune"
        raise PromptError(
            f"La tâche « {prompt.id} » n'accepte pas : {', '.join(sorted(unknown))} "
            f"(informations acceptées : {known})."
        )
    values = {name: neutralise(str(context.get(name, d))) for name, d in prompt.variables.items()}
    try:
        system = _template(prompt.system).render(guard=prompt.guard)
        user = _template(prompt.user).render(values, note=_delimit(note))
    except jinja2.TemplateError as exc:
        raise PromptError(
            f"La consigne « {prompt.id} » ne peut pas être préparée ({exc}). "
            "Signalez-le à la personne qui gère les consignes."
        ) from exc
    return [
        {"role": "system", "content": system.strip()},
        {"role": "user", "content": user.strip()},
    ]


def _delimit(note: str) -> str:
    return f"{NOTE_START}\n{neutralise(note).strip()}\n{NOTE_END}"


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
_FAKE_NOTE_MARKER = re.compile(
    r"[\[=<«(]\s*(?:d[ée]but|fin)\s+de\s+la\s+note\s*[\]=>»)]"
    r"|^[ \t]*(?:d[ée]but|fin)\s+de\s+la\s+note[ \t]*:?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
# Chat-template control tokens. llama.cpp tokenizes the formatted chat with
# special tokens enabled, so "<|im_start|>" written in a note would become a
# real role switch. The fullwidth bar covers DeepSeek's "<｜User｜>" family.
_PIPE_TOKEN = re.compile(r"<[|｜]|[|｜]>")
# <s>, <start_of_turn>, <bos>… but not pseudonyms such as <PERSONNE_1>
# (capitals, underscore, number), which the model must copy exactly.
_ANGLE_TOKEN = re.compile(r"<(/?)(?![A-ZÀ-Ý][A-ZÀ-Ý0-9_]*_\d+>)([A-Za-z_][\w.:-]{0,40})>")
_SYS_TOKEN = re.compile(r"<<\s*(/?)\s*SYS\s*>>", re.IGNORECASE)
_INST_TOKEN = re.compile(r"\[\s*(/?)\s*INST\s*\]", re.IGNORECASE)
_ROLE_WORDS = (
    r"system|syst[èe]me|assistant|user|utilisateur|human|humain|ia|ai|bot|"
    r"instructions?|consignes?|r[ée]ponse|response|prompt|developer|d[ée]veloppeur"
)
_ROLE_LINE = re.compile(
    rf"^[ \t]*(?:#{{1,6}}[ \t]*[^\n]*\b(?:{_ROLE_WORDS})\b[^\n]*"
    rf"|\**(?:{_ROLE_WORDS})\**[ \t]*:[^\n]*)$",
    re.IGNORECASE | re.MULTILINE,
)


def neutralise(text: str) -> str:
    """Make text inert as prompt structure while keeping it readable.

    Fake note markers, chat-template tokens and role headers ("### Système",
    "Assistant :") could make a model read part of the note as instructions;
    they are defused. Pseudonyms and ordinary text are left untouched.
    """
    # Every line break becomes "\n" so the line-based checks below see them all.
    text = re.sub(r"\r\n?|[\x85\u2028\u2029]", "\n", text)
    text = _CONTROL_CHARS.sub("", text)
    text = _FAKE_NOTE_MARKER.sub("(balise retirée)", text)
    text = _PIPE_TOKEN.sub(lambda m: m.group(0).replace("<", "‹").replace(">", "›"), text)
    text = _SYS_TOKEN.sub(lambda m: f"‹‹{m.group(1)}SYS››", text)
    text = _INST_TOKEN.sub(lambda m: f"({m.group(1)}INST)", text)
    text = _ANGLE_TOKEN.sub(lambda m: f"‹{m.group(1)}{m.group(2)}›", text)
    return _ROLE_LINE.sub(lambda m: "> " + m.group(0).strip().lstrip("#").strip(), text)


# -- versions and approval -----------------------------------------------------------


PUBLISHED_APPROVALS_FILE = "_approbations.toml"


def is_approved(store: Any, prompt: PromptVersion) -> bool:
    """Approved in this data directory's audit chain, or published with the library."""
    if _approval(store, prompt.id, prompt.version) is not None:
        return True
    return _published(prompt) is not None


def approval_record(store: Any, prompt: PromptVersion) -> dict | None:
    """The approval that covers this exact version: local first, else published."""
    local = _approval(store, prompt.id, prompt.version)
    if local is not None:
        return local
    published = _published(prompt)
    if published is None:
        return None
    return {
        "prompt_id": published["id"],
        "version": published["version"],
        "approver": published["approver"],
        "approved_at": str(published["approved_at"]),
        "source": PUBLISHED_APPROVALS_FILE,
    }


def published_approvals(directory: Path) -> list[dict]:
    """Approvals distributed with the prompt library (``prompts/_approbations.toml``).

    An institution approves its library once and ships it to every
    practitioner's machine with this file; each machine records the approval
    in its own audit chain the first time it uses the version.
    """
    path = Path(directory) / PUBLISHED_APPROVALS_FILE
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _error(
            path, _toml_error_line(exc), f"fichier d'approbations illisible ({exc})"
        ) from exc
    entries = data.get("approbation", [])
    for index, entry in enumerate(entries, start=1):
        missing = {"id", "version", "approver", "approved_at"} - set(entry)
        if missing or not re.fullmatch(r"[0-9a-f]{64}", str(entry.get("version", ""))):
            raise _error(
                path,
                _nth_line(text, "[[approbation]]", index),
                "approbation incomplète : il faut id, version (empreinte complète), "
                "approver et approved_at",
            )
    return entries


def _published(prompt: PromptVersion) -> dict | None:
    for entry in published_approvals(prompt.path.parent):
        if entry["id"] == prompt.id and entry["version"] == prompt.version:
            return entry
    return None


def publish_approval(directory: Path, record: dict) -> Path:
    """Add an approval to the library's published list (idempotent)."""
    path = Path(directory) / PUBLISHED_APPROVALS_FILE
    for entry in published_approvals(directory):
        if entry["id"] == record["prompt_id"] and entry["version"] == record["version"]:
            return path
    header = "" if path.exists() else _PUBLISHED_HEADER
    block = (
        "\n[[approbation]]\n"
        f'id = "{record["prompt_id"]}"\n'
        f'version = "{record["version"]}"\n'
        f"approver = {json.dumps(record['approver'], ensure_ascii=False)}\n"
        f'approved_at = "{record["approved_at"]}"\n'
    )
    with path.open("a", encoding="utf-8") as fh:
        fh.write(header + block)
    return path


_PUBLISHED_HEADER = """\
# Versions des consignes approuvées, diffusées avec la bibliothèque.
# Ajoutées par « assistant prompts approve TÂCHE --publish ». Une version absente
# d'ici et du journal local ne peut pas servir (sauf réglage allow_unapproved_prompts).
"""


def _approval(store: Any, prompt_id: str, version: str) -> dict | None:
    for payload in approvals(store, prompt_id):
        if payload.get("version") == version:
            return payload
    return None


def approvals(store: Any, prompt_id: str | None = None) -> list[dict]:
    """Every approval recorded in the audit chain, oldest first.

    An erasure may have dropped an event's payload (the chain keeps its digest):
    such an event no longer proves anything and is skipped.
    """
    payloads = (event.payload for event in store.list_events(kind=APPROVED_EVENT))
    return [
        payload
        for payload in payloads
        if payload and (prompt_id is None or payload.get("prompt_id") == prompt_id)
    ]


def approve(
    store: Any,
    prompt_id: str,
    version: str | None,
    approver: str,
    *,
    library: PromptLibrary | None = None,
) -> dict:
    """Record, in the audit chain, that ``approver`` approved one version of a task.

    ``version`` may be omitted (the current file), a prefix of the current
    file's hash, or the full hash of an older version the store has kept.
    Approving an already approved version records nothing new.
    """
    approver = approver.strip()
    if not approver:
        raise PromptError("Indiquez qui approuve la consigne (nom ou identifiant).")
    if library is None:
        from assistant.config import default_prompts_dir

        library = PromptLibrary.load(default_prompts_dir())
    full_version, source = resolve_version(store, library, prompt_id, version)
    existing = _approval(store, prompt_id, full_version)
    if existing is not None:
        return {**existing, "already_approved": True}
    store.record_prompt_version(prompt_id, full_version, source)
    payload = {
        "prompt_id": prompt_id,
        "version": full_version,
        "approver": approver,
        "approved_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    store.append_event(APPROVED_EVENT, payload)
    return payload


def resolve_version(
    store: Any, library: PromptLibrary, prompt_id: str, version: str | None
) -> tuple[str, str]:
    """The full hash and exact text of a version: the current file when ``version``
    is None or a prefix of its hash, else one the store has kept."""
    if version is None:
        prompt = library.get(prompt_id)  # an unknown task gets the French error
        return prompt.version, prompt.source
    current = library.get(prompt_id) if prompt_id in library else None
    version = version.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{6,64}", version):
        raise PromptError(
            f"Version « {version} » invalide : donnez l'empreinte (au moins 6 caractères "
            "hexadécimaux, voir « assistant prompts list »)."
        )
    if current is not None and current.version.startswith(version):
        return current.version, current.source
    full = _known_version(store, prompt_id, version)
    record = store.get_prompt_version(full) if full else None
    # A hash of another task's file must not approve this task.
    if record is None or record["prompt_id"] != prompt_id:
        raise PromptError(
            f"Version {version} de « {prompt_id} » inconnue : ni le fichier actuel ni "
            "l'historique ne la contiennent."
        )
    return full, record["source"]


def _known_version(store: Any, prompt_id: str, prefix: str) -> str | None:
    if len(prefix) == 64:
        return prefix
    candidates = {p.get("version") for p in approvals(store, prompt_id)}
    candidates |= {
        s.prompt_version for s in store.list_suggestions(limit=None) if s.prompt_id == prompt_id
    }
    matches = sorted(v for v in candidates if v and v.startswith(prefix))
    if len(matches) > 1:
        raise PromptError(f"Version {prefix} ambiguë : donnez plus de caractères.")
    return matches[0] if matches else None


def stored_source(store: Any, version: str) -> str | None:
    """The exact text of a version the store has kept (None if it never saw it)."""
    record = store.get_prompt_version(version)
    return record["source"] if record else None


def ensure_usable(store: Any, prompt: PromptVersion, allow_unapproved: bool) -> None:
    if allow_unapproved or _approval(store, prompt.id, prompt.version) is not None:
        return
    published = _published(prompt)
    if published is not None:
        # First use of a published approval here: the local chain records it,
        # so an ethics committee sees which approval each draft relied on.
        store.record_prompt_version(prompt.id, prompt.version, prompt.source)
        store.append_event(
            APPROVED_EVENT,
            {
                "prompt_id": prompt.id,
                "version": prompt.version,
                "approver": published["approver"],
                "approved_at": str(published["approved_at"]),
                "source": PUBLISHED_APPROVALS_FILE,
            },
        )
        return
    raise PromptError(
        f"La version {prompt.short_version} de la consigne « {prompt.title} » n'est pas "
        "approuvée. Demandez à votre encadrant·e de l'approuver "
        f"(assistant prompts approve {prompt.id}) ; si vous travaillez seul·e, activez "
        "allow_unapproved_prompts dans les réglages (ce sera noté dans le journal)."
    )


def diff(old_source: str, new_source: str, old_label: str, new_label: str) -> str:
    """A line-by-line diff a supervisor can read (unified format)."""
    return "".join(
        difflib.unified_diff(
            old_source.splitlines(keepends=True),
            new_source.splitlines(keepends=True),
            fromfile=old_label,
            tofile=new_label,
        )
    )


# -- statistics ----------------------------------------------------------------------

_ACCEPTED = ("accepted", "edited")


def version_stats(store_or_bundle: Any) -> list[dict]:
    """How each prompt version performs: uses, decisions, edit distances, reasons.

    Takes a Store (anything with ``list_suggestions()``), the path of an export
    bundle, or suggestions already read from one (objects or dicts such as
    ``Suggestion.to_dict()``, with an optional ``review``).
    """
    if hasattr(store_or_bundle, "list_suggestions"):
        records = store_or_bundle.list_suggestions(limit=None)
    elif isinstance(store_or_bundle, str | Path):
        from assistant.audit import load_bundle

        records, _events = load_bundle(Path(store_or_bundle))
    else:
        records = store_or_bundle
    groups: dict[tuple[str, str], list[dict]] = {}
    for record in records:
        row = _normalise_record(record)
        if row["prompt_version"]:
            groups.setdefault((row["prompt_id"], row["prompt_version"]), []).append(row)
    return [_summarise(pid, version, rows) for (pid, version), rows in sorted(groups.items())]


def _field(record: Any, name: str) -> Any:
    if isinstance(record, Mapping):
        return record.get(name)
    return getattr(record, name, None)


def _normalise_record(record: Any) -> dict:
    review = _field(record, "review")
    source = review if review is not None else record
    status = _field(record, "status")
    decision = _field(source, "decision")
    if decision is None and status in (*_ACCEPTED, "rejected"):
        decision = status
    return {
        "prompt_id": _field(record, "prompt_id") or "",
        "prompt_version": _field(record, "prompt_version") or "",
        "status": status,
        "decision": decision,
        "edit_distance": _field(source, "edit_distance"),
        "reason": _field(source, "reason"),
    }


def _summarise(prompt_id: str, version: str, rows: list[dict]) -> dict:
    decisions = Counter(r["decision"] for r in rows if r["decision"])
    reviewed = sum(decisions.values())
    distances = [
        r["edit_distance"]
        for r in rows
        if r["decision"] in _ACCEPTED and r["edit_distance"] is not None
    ]
    reasons = Counter(
        r["reason"].strip() for r in rows if r["decision"] == "rejected" and r["reason"]
    )
    accepted = decisions.get("accepted", 0) + decisions.get("edited", 0)
    return {
        "prompt_id": prompt_id,
        "version": version,
        "short_version": version[:12],
        "uses": len(rows),
        "reviewed": reviewed,
        "pending": sum(1 for r in rows if r["status"] == "pending" and not r["decision"]),
        "accepted": decisions.get("accepted", 0),
        "edited": decisions.get("edited", 0),
        "rejected": decisions.get("rejected", 0),
        # An edited draft was accepted with changes: it counts as accepted.
        "acceptance_rate": accepted / reviewed if reviewed else None,
        "mean_edit_distance": statistics.fmean(distances) if distances else None,
        "median_edit_distance": statistics.median(distances) if distances else None,
        "rejection_reasons": dict(reasons.most_common()),
    }
