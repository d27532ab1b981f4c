"""One generation as the committee audits it: prompt, draft, decision, edits, parameters.

Every field shown comes from the de-identified record; the diff compares the
model's draft with the de-identified final text the practitioner accepted.
"""

from __future__ import annotations

import difflib
import json
from typing import ClassVar

from rich.console import Group
from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from assistant.tui.i18n import status_label, t
from assistant.tui.widgets.preview import highlight_placeholders


class DetailScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [("escape,q", "close", "key.close")]

    def __init__(self, record: dict) -> None:
        super().__init__()
        self.record = record

    def compose(self) -> ComposeResult:
        record = self.record
        with Vertical(classes="dialog", id="detail-box"):
            yield Label(t("cm.detail.title", id=record["id"][:12]), classes="dialog-title")
            with VerticalScroll(id="detail-body"):
                yield Static(self._parameters(), id="detail-params")
                yield Static(self._prompt(), id="detail-prompt")
                yield Static(self._draft(), id="detail-draft")
                yield Static(self._decision(), id="detail-decision")
                yield Static(self._diff(), id="detail-diff")

    def action_close(self) -> None:
        self.dismiss(None)

    def _section(self, key: str) -> Text:
        return Text(f"\n{t(key)}\n", style="bold underline")

    def _parameters(self) -> Group:
        r = self.record
        params = r.get("params") or {}
        lines = Text()
        lines.append(t("cm.detail.params") + "\n", style="bold underline")
        lines.append(
            f"{r.get('task')} · {status_label(r.get('status') or '')} · {r.get('created_at')}\n"
        )
        lines.append(f"{r.get('model_name')} (SHA-256 {str(r.get('model_sha256') or '')[:16]}…)\n")
        lines.append(f"{r.get('prompt_id')} @ {str(r.get('prompt_version') or '')[:12]}\n")
        lines.append(
            " · ".join(f"{k}={v}" for k, v in sorted(params.items()))
            + f"\n{r.get('prompt_tokens') or 0} + {r.get('completion_tokens') or 0} tokens, "
            f"{r.get('total_ms') or 0:.0f} ms"
        )
        return Group(lines)

    def _prompt(self) -> Group:
        raw = self.record.get("rendered_prompt") or ""
        try:
            messages = json.loads(raw)
        except (TypeError, ValueError):
            messages = [{"role": "?", "content": raw}]
        body = Text()
        for message in messages:
            body.append(f"[{message.get('role', '?')}]\n", style="bold cyan")
            body.append_text(highlight_placeholders(str(message.get("content", ""))))
            body.append("\n")
        return Group(self._section("cm.detail.prompt"), body)

    def _draft(self) -> Group:
        return Group(
            self._section("cm.detail.draft"),
            highlight_placeholders(self.record.get("output") or ""),
        )

    def _decision(self) -> Group:
        review = self.record.get("review")
        if not review:
            return Group(self._section("cm.detail.decision"), Text(t("cm.detail.no_review")))
        text = Text(status_label(review.get("decision") or ""), style="bold")
        if review.get("reason"):
            text.append(f" — {review['reason']}")
        if review.get("edit_distance") is not None:
            text.append(f" · {t('cm.col.edit')} {review['edit_distance']}")
        return Group(self._section("cm.detail.decision"), text)

    def _diff(self) -> Group:
        review = self.record.get("review") or {}
        final = review.get("final_text_deid")
        draft = self.record.get("output") or ""
        if review.get("decision") != "edited" or final is None:
            return Group(self._section("cm.detail.diff"), Text(t("cm.detail.no_edit"), style="dim"))
        diff = "".join(
            difflib.unified_diff(
                draft.splitlines(keepends=True),
                final.splitlines(keepends=True),
                fromfile=t("cm.detail.draft"),
                tofile=t("cm.detail.decision"),
            )
        )
        return Group(
            self._section("cm.detail.diff"),
            Syntax(diff or t("cm.detail.no_edit"), "diff", word_wrap=True, theme="ansi_dark"),
        )
