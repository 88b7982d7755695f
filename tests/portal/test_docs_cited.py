"""The documents the code and its tests cite are in the repository, under ``docs/``."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ["access", "accounts", "datasets", "publications", "search", "species", "maps"]
SOURCES += ["neaspec_portal", "scripts", "benchmarks", "tests", "templates", "docs"]
#: Documents that lived outside the repository; the code must cite ``docs/`` instead.
OUTSIDE = re.compile(r"\b(PRODUCT|STYLE|UI|PERFORMANCE)\.md\b|shared/design|design document")
CITED = re.compile(r"\bdocs/[\w./-]+\.md\b")
LINKED = re.compile(r"\]\(([\w./-]+\.md)\)")


def _texts():
    for directory in SOURCES:
        for path in sorted((ROOT / directory).rglob("*")):
            if path.suffix in {".py", ".html", ".md", ".txt"} and path != Path(__file__):
                yield path, path.read_text(encoding="utf-8")


def test_nothing_cites_a_document_outside_the_repository():
    outside = [str(path.relative_to(ROOT)) for path, text in _texts() if OUTSIDE.search(text)]
    assert not outside, f"Cite a page under docs/ instead, in these files: {outside}"


def test_every_cited_page_exists():
    missing = set()
    for path, text in _texts():
        missing |= {name for name in CITED.findall(text) if not (ROOT / name).is_file()}
        if path.suffix == ".md":
            missing |= {
                f"{path.relative_to(ROOT)} -> {link}"
                for link in LINKED.findall(text)
                if not (path.parent / link).is_file()
            }
    assert not missing, f"Cited but not in the repository: {sorted(missing)}"
