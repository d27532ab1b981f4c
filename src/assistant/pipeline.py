"""note -> de-identification -> prompt -> model -> pending suggestion -> review.

``Assistant`` is the one object the CLI and the TUI talk to. It holds the
slow, shared parts (the spaCy analyzer, the loaded model) and enforces the
non-negotiables in one place:

* the model only ever receives de-identified text (``_sealed_prompt``);
* a suggestion row exists before generation starts, and ends as ``pending``,
  ``cancelled`` or ``failed`` — never lost, never shown before it is stored;
* only an accepted (or edited-then-accepted) text leaves as final.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.config import Settings, default_models_dir, default_prompts_dir, ensure_private_dir
from assistant.deid.types import DeidResult, PseudonymMap, ReidResult
from assistant.errors import AssistantError, InputError
from assistant.store.records import REJECTION_REASONS

__all__ = ["REJECTION_REASONS", "Assistant", "DraftOutcome", "clean_note", "decode_note"]

if TYPE_CHECKING:
    from assistant.deid import Deidentifier
    from assistant.llm import Backend
    from assistant.prompts import PromptLibrary, PromptVersion
    from assistant.store import Store, Suggestion

# spaCy refuses texts longer than this by default; past it a note is almost
# certainly a pasted file, not something a practitioner wrote.
MAX_NOTE_CHARS = 1_000_000
DEFAULT_CASE_LABEL = "Notes sans dossier"
REVIEW_DECISIONS = ("accepted", "edited", "rejected")
# C0 controls except tab/newline, DEL, and the C1 range: U+009B is an 8-bit CSI
# that some terminals obey like ESC [.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")


def strip_controls(text: str) -> str:
    """Remove ANSI sequences and control characters (tabs and newlines kept)."""
    return _CONTROL_RE.sub("", _ANSI_RE.sub("", text))


@dataclass
class DraftOutcome:
    """What the author sees after a generation: the stored suggestion and its re-identified text."""

    suggestion: Suggestion  # its .flags are the review aids, stored with it
    deid: DeidResult
    reidentified: ReidResult


def clean_note(text: str) -> str:
    """Refuse what cannot be a note and strip what must never reach a terminal or a model."""
    if "\x00" in text:
        raise InputError(
            "Ce fichier semble binaire (il contient des octets nuls) : "
            "collez ou choisissez un texte."
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x85", "\n")
    # Decomposed accents (text pasted from macOS or a PDF: "e" + U+0301) split
    # names in two for the recognizers, and "Ménard" would reach the model in
    # clear. Composed form (NFC) reads the same and is what they expect.
    text = unicodedata.normalize("NFC", text)
    # ANSI escapes and other control characters could drive the terminal; tabs and
    # newlines are kept.
    text = strip_controls(text)
    if not text.strip():
        raise InputError("La note est vide : écrivez ou collez un texte avant de continuer.")
    if len(text) > MAX_NOTE_CHARS:
        raise InputError(
            f"La note est trop longue ({len(text):,} caractères ; maximum {MAX_NOTE_CHARS:,}). "
            "Découpez-la en plusieurs notes.".replace(",", " ")
        )
    return text


def decode_note(data: bytes) -> str:
    """Decode bytes read from a file or stdin, with a French message when it is not text."""
    if b"\x00" in data:
        raise InputError(
            "Ce fichier semble binaire (il contient des octets nuls) : choisissez un fichier texte."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Windows editors still save notes as cp1252; it decodes almost any byte
        # string, so only accept it when the result has no C1 control characters.
        text = data.decode("cp1252")
        if not re.search(r"[\x80-\x9f]", text):
            return text
    except UnicodeDecodeError:
        pass
    raise InputError(
        "Encodage du fichier non reconnu : enregistrez la note en UTF-8 puis réessayez."
    )


class Assistant:
    """The application core: one per data directory and passphrase."""

    def __init__(
        self,
        *,
        store: Store,
        home: Path,
        model: str | None = None,
        deidentifier: Deidentifier | None = None,
        backend: Backend | None = None,
        library: PromptLibrary | None = None,
        settings: Settings | None = None,
        prompts_dir: Path | None = None,
        models_dir: Path | None = None,
    ) -> None:
        self.store = store
        self.home = home
        self.settings = settings or Settings.load(home)
        self.model_spec = model or self.settings.model
        self.models_dir = models_dir or default_models_dir()
        self._prompts_dir = prompts_dir or default_prompts_dir()
        self._deidentifier = deidentifier
        self._backend = backend
        self._library = library
        self._checker: Any = None
        self._backend_lock = threading.Lock()
        self.purged_on_open = self.apply_retention()

    def apply_retention(self) -> int:
        """Purge raw notes past the configured retention, each time the data is opened.

        Returns how many notes lost their raw text (the purge is an audit event).
        """
        if self.settings.retention_days is None:
            return 0
        from assistant.audit import purge_raw_notes

        return purge_raw_notes(self.store, self.settings.retention_days)

    # -- slow parts, loaded once and on demand -------------------------------------

    @property
    def deidentifier(self) -> Deidentifier:
        if self._deidentifier is None:
            from assistant.deid import get_default_deidentifier

            self._deidentifier = get_default_deidentifier()
        return self._deidentifier

    @property
    def library(self) -> PromptLibrary:
        if self._library is None:
            from assistant.prompts import PromptLibrary

            self._library = PromptLibrary.load(self._prompts_dir)
        return self._library

    @property
    def backend_loaded(self) -> bool:
        return self._backend is not None

    def load_backend(self) -> Backend:
        """Load the model once (seconds); safe to call from a worker thread."""
        with self._backend_lock:
            if self._backend is None:
                from assistant.llm import load_backend

                ensure_private_dir(self.home)
                self._backend = load_backend(
                    self.model_spec,
                    models_dir=self.models_dir,
                    n_threads=self.settings.n_threads,
                    n_ctx=self.settings.n_ctx,
                    log_file=self.home / "llama.log",
                    server_url=self.settings.server_url,
                )
            return self._backend

    @property
    def checker(self) -> Any:
        if self._checker is None:
            from assistant.review_aids import get_default_checker

            self._checker = get_default_checker()
        return self._checker

    def close(self) -> None:
        if self._backend is not None:
            self._backend.close()
            self._backend = None

    # -- cases ---------------------------------------------------------------------

    def default_case(self) -> str:
        """The case notes go to when the practitioner did not pick one."""
        for case in self.store.list_cases():
            if case.label == DEFAULT_CASE_LABEL:
                return case.id
        return self.store.create_case(DEFAULT_CASE_LABEL)

    def _case(self, case_id: str | None) -> str:
        if case_id is None:
            return self.default_case()
        return self.store.get_case(case_id).id

    # -- de-identification ---------------------------------------------------------

    def preview(self, text: str, case_id: str | None = None) -> DeidResult:
        """What the model would see, without saving anything (the mapping is a copy)."""
        text = clean_note(text)
        mapping = PseudonymMap()
        roster: list = []
        overrides: list = []
        if case_id is not None:
            mapping = self.store.get_mapping(case_id)
            roster = self.store.get_roster(case_id)
            overrides = self.store.get_overrides(case_id)
        return self.deidentifier.pseudonymise(
            text, mapping=mapping, roster=roster, overrides=overrides
        )

    def _deidentify_for_case(self, text: str, case_id: str, *, persist: bool = False) -> DeidResult:
        result = self.deidentifier.pseudonymise(
            text,
            mapping=self.store.get_mapping(case_id),
            roster=self.store.get_roster(case_id),
            overrides=self.store.get_overrides(case_id),
        )
        if persist:
            # New values met outside a note (an edited draft, a rejection reason)
            # keep their placeholder for the rest of the case.
            self.store.save_mapping(case_id, result.mapping)
        return result

    def add_note(self, text: str, case_id: str | None = None) -> tuple[str, DeidResult]:
        """De-identify and store a note (raw text encrypted); returns its id."""
        text = clean_note(text)
        case_id = self._case(case_id)
        deid = self._deidentify_for_case(text, case_id)
        note_id = self.store.add_note(case_id, text, deid)
        return note_id, deid

    def reidentify(self, text: str, case_id: str) -> ReidResult:
        from assistant.deid import reidentify

        return reidentify(text, self.store.get_mapping(case_id))

    # -- prompts -------------------------------------------------------------------

    def tasks(self) -> list[PromptVersion]:
        return self.library.list()

    def prompt_for(self, task: str) -> PromptVersion:
        from assistant.prompts import ensure_usable

        prompt = self.library.get(task)
        ensure_usable(self.store, prompt, self.settings.allow_unapproved_prompts)
        return prompt

    # -- generation ----------------------------------------------------------------

    def draft(
        self,
        text: str | None,
        task: str,
        *,
        case_id: str | None = None,
        note_id: str | None = None,
        parent_id: str | None = None,
        on_token: Callable[[str], None] | None = None,
        on_progress: Callable[[str], None] | None = None,
        cancel: threading.Event | None = None,
        seed: int | None = None,
    ) -> DraftOutcome:
        """Store the note (or reuse ``note_id``), generate, and store a pending suggestion."""
        from assistant.llm import GenerationParams
        from assistant.prompts import render

        prompt = self.prompt_for(task)
        if note_id is None:
            if text is None:
                raise InputError("Aucune note fournie.")
            case_id = self._case(case_id)
            note_id, deid = self.add_note(text, case_id)
        else:
            note = self.store.get_note(note_id)
            case_id = note.case_id
            deid = DeidResult(
                text=note.deid_text, entities=[], mapping=self.store.get_mapping(case_id)
            )
        self.store.record_prompt_version(prompt.id, prompt.version, prompt.source)

        backend = self.load_backend()
        params = GenerationParams(
            **{k: v for k, v in prompt.params.items() if k in GenerationParams.__dataclass_fields__}
        )
        # The caller's seed, else one the prompt file pins (a supervisor's choice),
        # else a fresh one per suggestion so a regeneration differs. Always recorded,
        # so any suggestion can be replayed exactly.
        if seed is None:
            seed = prompt.params.get("seed")
        params.seed = seed if seed is not None else secrets.randbelow(2**31 - 1)
        # Last line of defence before the model: any value the case knows (mapping,
        # roster, aliases) still in clear is masked. The same function guards what
        # the store keeps, so the recorded prompt is exactly what the model saw.
        sealed, _ = self.store.mask_known(case_id, deid.text)
        messages = render(prompt, sealed)
        json_schema = prompt.output.get("schema") if prompt.output.get("kind") != "text" else None

        suggestion_id = self.store.start_suggestion(
            note_id=note_id,
            case_id=case_id,
            task=prompt.id,
            prompt_id=prompt.id,
            prompt_version=prompt.version,
            rendered_prompt=json.dumps(messages, ensure_ascii=False),
            model_name=backend.info.name,
            model_sha256=backend.info.sha256,
            backend=type(backend).__name__,
            params=params.to_dict(),
            parent_id=parent_id,
            allow_unapproved=self.settings.allow_unapproved_prompts,
        )
        try:
            result = self._generate(
                backend,
                prompt,
                sealed,
                messages,
                params,
                json_schema,
                on_token,
                on_progress,
                cancel,
            )
            status = "cancelled" if result.finish_reason == "cancelled" else "pending"
            # Flags are computed before the draft is stored as pending, so the
            # author never sees a draft without its review aids. Inside the try:
            # if the checker fails (out of memory), the row ends "failed" rather
            # than staying "generating".
            flags: list[dict] = []
            if status == "pending":
                if on_progress is not None:
                    on_progress("Vérification de la proposition…")
                flags = self._flags(sealed, result.text)
        except BaseException as exc:
            self.store.finish_suggestion(
                suggestion_id,
                status="failed",
                output="",
                finish_reason="error",
                prompt_tokens=0,
                completion_tokens=0,
                ttft_ms=None,
                total_ms=0.0,
                tokens_per_s=None,
                error=type(exc).__name__,
            )
            if isinstance(exc, AssistantError):
                raise
            if isinstance(exc, Exception):
                raise AssistantError(
                    "La génération a échoué ; la note est enregistrée, vous pouvez réessayer. "
                    f"({type(exc).__name__})"
                ) from exc
            raise
        suggestion = self.store.finish_suggestion(
            suggestion_id,
            status=status,
            output=result.text,
            finish_reason=result.finish_reason,
            prompt_tokens=result.prompt_tokens,
            completion_tokens=result.completion_tokens,
            ttft_ms=result.ttft_ms,
            total_ms=result.total_ms,
            tokens_per_s=result.tokens_per_s,
            flags=flags,
        )
        return DraftOutcome(
            suggestion=suggestion,
            deid=deid,
            reidentified=self.reidentify(result.text, case_id),
        )

    def _generate(
        self,
        backend: Backend,
        prompt: PromptVersion,
        sealed: str,
        messages: list[dict[str, str]],
        params: Any,
        json_schema: dict | None,
        on_token: Callable[[str], None] | None,
        on_progress: Callable[[str], None] | None,
        cancel: threading.Event | None,
    ) -> Any:
        from assistant.prompts import render

        prompt_tokens = sum(backend.count_tokens(m["content"]) for m in messages)
        if prompt_tokens + params.max_tokens + 64 <= backend.context_length:
            return backend.generate(
                messages, params, on_token=on_token, cancel=cancel, json_schema=json_schema
            )
        # The note does not fit: draft each part, then combine the partial drafts.
        from assistant.llm import generate_long

        return generate_long(
            backend,
            sealed,
            lambda part: render(prompt, part),
            params,
            on_token=on_token,
            on_progress=on_progress,
            cancel=cancel,
            json_schema=json_schema,
        )

    def _flags(self, note_deid: str, draft: str) -> list[dict]:
        try:
            return [flag.to_dict() for flag in self.checker.check(note_deid, draft)]
        except ImportError:
            return []

    def regenerate(self, suggestion_id: str, **kwargs: Any) -> DraftOutcome:
        """A new suggestion for the same note and task, linked to the previous one."""
        previous = self.store.get_suggestion(suggestion_id)
        return self.draft(
            None,
            previous.task,
            note_id=previous.note_id,
            parent_id=previous.id,
            **kwargs,
        )

    # -- review --------------------------------------------------------------------

    def review(
        self,
        suggestion_id: str,
        decision: str,
        *,
        reason: str | None = None,
        edited_text: str | None = None,
        reviewer: str = "",
    ) -> Any:
        """Record the author's decision. An edited text is stored encrypted, and
        de-identified again for the audit log with the case's own pseudonyms."""
        if decision not in REVIEW_DECISIONS:
            raise InputError(f"Décision inconnue : {decision}.")
        suggestion = self.store.get_suggestion(suggestion_id)
        final_raw: str | None = None
        final_deid: str | None = None
        if decision == "accepted":
            final_deid = suggestion.output
            final_raw = self.reidentify(suggestion.output, suggestion.case_id).text
        elif decision == "edited":
            if edited_text is None:
                raise InputError("Le texte modifié est manquant.")
            final_raw = clean_note(edited_text)
            final_deid = self._deidentify_for_case(final_raw, suggestion.case_id, persist=True).text
        elif decision == "rejected" and not (reason and reason.strip()):
            raise InputError(
                "Indiquez la raison du rejet (par exemple : " + REJECTION_REASONS[0] + ")."
            )
        if reason and reason not in REJECTION_REASONS:
            # A free-text reason goes to audit exports: de-identify it like a note.
            reason = self._deidentify_for_case(
                clean_note(reason), suggestion.case_id, persist=True
            ).text
        return self.store.review(
            suggestion.id,
            decision=decision,
            final_text_deid=final_deid,
            final_text_raw=final_raw,
            reason=reason,
            reviewer=reviewer or self.settings.reviewer,
        )

    def final_text(self, suggestion_id: str) -> str:
        return self.store.final_text(suggestion_id)
