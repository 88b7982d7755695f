"""The dataset list's cards: drawn once, kept for everyone who sees the same card.

A card shows a dataset's published metadata (title, countries, method, years, species, the
access level) and whether the reader may download its files. Everything but that last
fact is the same for every reader, so a card is kept under the dataset's id and that fact
(``neaspec_portal.page_cache.fragments``: per language, until the content changes). Which
datasets a reader sees, and whether they may download each, comes from the policy's
query of the page every time; only the drawing is kept.
"""

from django.conf import settings
from django.template.loader import render_to_string

from datasets import selectors
from datasets.models import Dataset
from neaspec_portal import page_cache


def _draw(datasets: list[Dataset]) -> list[str]:
    selectors.with_card_relations(datasets)
    return [
        render_to_string("datasets/partials/card.html", {"dataset": dataset})
        for dataset in datasets
    ]


def dataset_cards(datasets: list[Dataset]) -> list[str]:
    """Return the cards of ``datasets`` (rows of ``selectors.dataset_list_rows``, annotated
    with ``can_download`` by the policy), in order, drawing only those not kept."""
    if not settings.FAST_PAGES:
        return _draw(datasets)
    by_name = {
        f"dataset:{row.pk}:{int(bool(getattr(row, 'can_download', False)))}": row
        for row in datasets
    }

    def draw(missing: list[str]) -> dict[str, str]:
        return dict(zip(missing, _draw([by_name[name] for name in missing]), strict=True))

    return page_cache.fragments(list(by_name), draw)
