"""De-identification throughput on the annotated French notes (eval/deid).

Rows:
* ``deid.words_per_s``: our Deidentifier.pseudonymise; baseline = Presidio's default
  French configuration (NlpEngineProvider + fr_core_news_md, default recognizers)
  analysing the same texts; ratio > 1 means we are faster.
* ``deid.spacy_only_words_per_s``: the bare spaCy pipeline our analyzer runs
  (tok2vec + ner, nlp.pipe); the gap to ``deid.words_per_s`` is the cost of the
  recognizers, the roster and the pseudonymiser. Baseline = the full
  fr_core_news_md pipeline that Presidio's default configuration runs.
* ``deid.engine_load_s``: importing and building our analyzer (loading spaCy included)
  in a fresh Python process; baseline = the same for Presidio's default French
  analyzer. Fresh processes, because whichever loads second in one process finds
  spaCy's tokenizer regexes and the model files already warm.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.common import median_time, row

_ROOT = Path(__file__).resolve().parents[1]
_LOAD_SCRIPT = """
import time
started = time.perf_counter()
from assistant.offline import enforce_offline
enforce_offline()
{body}
print(time.perf_counter() - started)
"""
_OURS = "from assistant.deid import Deidentifier\nDeidentifier().load()"
_BASELINE = (
    "from assistant.deid.evaluate import presidio_default_analyzer\npresidio_default_analyzer()"
)


def _load_seconds(body: str) -> float:
    """Wall time to import and build an analyzer in a fresh interpreter."""
    env_path = f"{_ROOT / 'src'}"
    out = subprocess.run(
        [sys.executable, "-c", _LOAD_SCRIPT.format(body=body)],
        capture_output=True,
        text=True,
        check=True,
        cwd=_ROOT,
        env={**__import__("os").environ, "PYTHONPATH": env_path},
    )
    return float(out.stdout.strip().splitlines()[-1])


def _texts() -> list[str]:
    from assistant.deid.evaluate import load_notes

    return [note.text for note in load_notes()]


def run() -> dict[str, dict]:
    from assistant.offline import enforce_offline

    enforce_offline()
    from assistant.deid import Deidentifier
    from assistant.deid.evaluate import presidio_default_analyzer

    texts = _texts()
    words = sum(len(t.split()) for t in texts)

    our_load = _load_seconds(_OURS)
    base_load = _load_seconds(_BASELINE)
    ours = Deidentifier()
    ours.load()
    baseline = presidio_default_analyzer()

    def run_ours() -> None:
        for text in texts:
            ours.pseudonymise(text)

    def run_baseline() -> None:
        for text in texts:
            baseline.analyze(text, language="fr")

    nlp = ours._nlp  # the reduced pipeline the analyzer really runs
    full_nlp = baseline.nlp_engine.nlp["fr"]

    def run_spacy() -> None:
        for _ in nlp.pipe(texts):
            pass

    def run_full_spacy() -> None:
        for _ in full_nlp.pipe(texts):
            pass

    t_ours = median_time(run_ours, repeat=3)
    t_base = median_time(run_baseline, repeat=3)
    t_spacy = median_time(run_spacy, repeat=3)
    t_full = median_time(run_full_spacy, repeat=3)
    return {
        "deid.words_per_s": row(words / t_ours, "words/s", round(words / t_base, 1)),
        "deid.spacy_only_words_per_s": row(words / t_spacy, "words/s", round(words / t_full, 1)),
        "deid.engine_load_s": row(our_load, "s", round(base_load, 3)),
    }


if __name__ == "__main__":
    for name, data in run().items():
        print(name, data)
