"""Layout rules that hold in every script: tables scroll inside their container."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
TABLE = re.compile(r'<table class="table[ "]')


def test_every_bootstrap_table_is_wrapped_to_scroll_inside_its_container():
    # A Russian header or a long file name must not push a table out of its card.
    unwrapped = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        for match in TABLE.finditer(text):
            if "table-responsive" not in text[max(0, match.start() - 120) : match.start()]:
                line = text.count("\n", 0, match.start()) + 1
                unwrapped.append(f"{template.relative_to(TEMPLATES)}:{line}")
    assert not unwrapped, (
        f'Wrap these tables in <div class="table-responsive">: {", ".join(unwrapped)}'
    )
