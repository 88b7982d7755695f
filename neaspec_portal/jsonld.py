"""schema.org JSON-LD in pages: one ``<script type="application/ld+json">`` block.

The data is JSON, escaped as ``json_script`` escapes it (``<``, ``>`` and ``&`` as
``\\u003C``...), so no text of a record can close the block. Browsers do not run a data
block, so the CSP has nothing to allow.
"""

import json
from typing import Any

from django.utils.html import _json_script_escapes  # type: ignore[attr-defined]
from django.utils.safestring import SafeString, mark_safe

CONTEXT = "https://schema.org"


def jsonld_script(data: dict[str, Any]) -> SafeString:
    """Return the ``<script type="application/ld+json">`` block holding ``data``."""
    text = json.dumps({"@context": CONTEXT, **data}, ensure_ascii=False, sort_keys=False)
    return mark_safe(  # noqa: S308 -- JSON escaped as json_script does
        f'<script type="application/ld+json">{text.translate(_json_script_escapes)}</script>'
    )


def without_empty(data: dict[str, Any]) -> dict[str, Any]:
    """Return ``data`` without keys whose value is empty (None, "", [] or {})."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}
