"""Suggestions as the user types: species, sites and recent titles the user may find."""

import re

from django.db import connection
from django.db.models import Q
from django.urls import reverse

from access import policy
from search.models import SearchDocument
from species.models import Site, Species

#: Autocomplete looks for titles among this many of the newest documents only: a text
#: found in no title made it read every title (0.4-0.5 s at 120,000 documents), for every
#: key pressed. The search itself still finds the older ones.
AUTOCOMPLETE_RECENT = 5000
#: The newest titles containing the text, among those the user may find (``{live}``, the
#: policy's documents), newest first. As in search, the recent documents are chosen on
#: their copies and the few that contain the text are then judged on the live rows.
_RECENT_TITLES_SQL = (
    "SELECT r.kind, r.title, r.dataset_id, r.publication_id, r.event_id FROM ({recent}) r"
    " JOIN ({live}) v ON v.id = r.id WHERE r.title ILIKE %s"
    " ORDER BY r.date DESC, r.id DESC LIMIT %s"
)
_NAME_FIELDS = ("name_en", "name_zh", "name_ja", "name_ko", "name_mn", "name_ru")
_TITLE_FIELDS = ("kind", "title", "dataset_id", "publication_id", "event_id")


def autocomplete(*, user, query: str, limit: int = 10) -> list[dict[str, str]]:
    """Return species, sites and recent titles ``user`` may see that contain ``query``.

    Titles come from the search documents the policy lets ``user`` find, never from the
    raw tables, and from the newest ``AUTOCOMPLETE_RECENT`` of them.
    """
    text = " ".join(query.split())[:100]
    if len(text) < 2:
        return []
    name_match = Q()
    for name in _NAME_FIELDS:
        name_match |= Q(**{f"{name}__icontains": text})
    suggestions: list[dict[str, str]] = []
    for species in Species.objects.filter(name_match | Q(scientific_name__icontains=text))[:4]:
        suggestions.append(
            {
                "type": "species",
                "label": f"{species.name} ({species.scientific_name})",
                "url": species.get_absolute_url(),
            }
        )
    for site in Site.objects.filter(name_match | Q(code__icontains=text))[:3]:
        suggestions.append({"type": "site", "label": site.name, "url": site.get_absolute_url()})
    suggestions.extend(_recent_titles(user, text, limit=max(limit - len(suggestions), 0)))
    return suggestions[:limit]


def _recent_titles(user, text: str, *, limit: int) -> list[dict[str, str]]:
    """Return up to ``limit`` of the newest titles ``user`` may find that contain ``text``."""
    recent = SearchDocument.objects.filter(published=True).order_by("-date", "-id")
    recent_sql, recent_params = recent.values_list("id", "date", *_TITLE_FIELDS)[
        :AUTOCOMPLETE_RECENT
    ].query.sql_with_params()
    live_sql, live_params = (
        policy.visible_search_documents(user).values_list("id").query.sql_with_params()
    )
    pattern = "%" + re.sub(r"([\\%_])", r"\\\1", text) + "%"
    with connection.cursor() as cursor:
        # The newest first, through the date index, until enough titles contain the text.
        cursor.execute(
            _RECENT_TITLES_SQL.format(recent=recent_sql, live=live_sql),
            [*recent_params, *live_params, pattern, limit],
        )
        rows = cursor.fetchall()
    suggestions = []
    for row in rows:
        document = SearchDocument(**dict(zip(_TITLE_FIELDS, row, strict=True)))
        suggestions.append(
            {"type": document.kind, "label": document.title, "url": document_url(document)}
        )
    return suggestions


def document_url(document) -> str:
    """Return the page of the object a search document describes."""
    if document.dataset_id:
        return reverse("datasets:detail", args=[document.dataset_id])
    if document.publication_id:
        return reverse("publications:detail", args=[document.publication_id])
    return reverse("publications:event_detail", args=[document.event_id])
