"""`make bench`: run every bench/bench_*.py module, print tables, write results.json.

Each module exposes ``run() -> dict[str, dict]`` returning rows shaped as
``{"value": number, "unit": str, "baseline": number | None, "ratio": number | None}``.
Baselines are measured in the same process and run, so ratios stay meaningful
on a shared, noisy machine; values are medians of several repetitions.
"""

from __future__ import annotations

import importlib
import json
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "src"))

from assistant.offline import enforce_offline  # noqa: E402

enforce_offline()


def _fmt(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 100 else f"{value:,.1f}"
    return str(value)


def main(argv: list[str]) -> int:
    wanted = set(argv)
    results: dict[str, dict] = {}
    failures = 0
    for module_path in sorted(HERE.glob("bench_*.py")):
        name = module_path.stem
        if wanted and name.removeprefix("bench_") not in wanted:
            continue
        started = time.perf_counter()
        try:
            module = importlib.import_module(f"bench.{name}")
            rows = module.run()
        except Exception:
            failures += 1
            print(f"[{name}] ÉCHEC", file=sys.stderr)
            traceback.print_exc()
            continue
        results.update(rows)
        print(f"\n## {name.removeprefix('bench_')}  ({time.perf_counter() - started:.1f} s)")
        print(f"{'row':40} {'value':>14} {'unit':>10} {'baseline':>14} {'ratio':>8}")
        for row, data in rows.items():
            print(
                f"{row:40} {_fmt(data['value']):>14} {data['unit']:>10} "
                f"{_fmt(data.get('baseline')):>14} {_fmt(data.get('ratio')):>8}"
            )
    out = HERE / "results.json"
    if wanted and out.exists():
        # A partial run (`bench/run.py deid`) updates its rows and keeps the others.
        results = {**json.loads(out.read_text(encoding="utf-8")), **results}
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\n{len(results)} rows written to {out}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
