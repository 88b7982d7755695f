"""Keeping search documents in step with the objects they describe.

A document is refreshed after the transaction that changed its object commits; a refresh
that fails leaves the change standing and the document behind. That costs ranking, never
access: ``access.policy`` decides who finds a document on the live rows, not on its copies.
"""

import logging

from django.db import connection, transaction

from datasets.models import Dataset
from publications.models import Event, Publication
from search.models import Kind, SearchDocument
from search.tasks import embed_search_documents
from search.text import cjk_index_text

logger = logging.getLogger(__name__)

#: The most extracted text indexed per document; tsvector values are capped at 1 MB.
MAX_CONTENT_CHARS = 400_000

# The pairs (``search_pairs``, migration 0005) come from the new metadata vector, computed
# once in ``v``: the SET expressions of an UPDATE see the row as it was.
_VECTOR_SQL = """
UPDATE search_searchdocument SET
  head = to_tsvector('simple', %(title_simple)s)
      || to_tsvector('english', %(title)s)
      || to_tsvector('russian', %(title)s),
  meta = v.meta,
  pairs = search_pairs(v.meta),
  content = to_tsvector('simple', %(content_simple)s)
      || to_tsvector('english', %(content)s)
      || to_tsvector('russian', %(content)s)
FROM (SELECT setweight(to_tsvector('simple', %(title_simple)s), 'A')
      || setweight(to_tsvector('english', %(title)s), 'A')
      || setweight(to_tsvector('russian', %(title)s), 'A')
      || setweight(to_tsvector('simple', %(rest_simple)s), 'B')
      || setweight(to_tsvector('english', %(rest)s), 'B')
      || setweight(to_tsvector('russian', %(rest)s), 'B') AS meta) v
WHERE id = %(id)s
"""


def _names(objects) -> list[str]:
    names: list[str] = []
    for obj in objects:
        names.extend(name for _code, _language, name in obj.names_by_language())
        for extra in ("scientific_name", "synonyms", "code"):
            value = getattr(obj, extra, "")
            if value:
                names.append(str(value))
    return names


def _file_text(data_files) -> str:
    parts = [getattr(data_file, "extracted_text", "") or "" for data_file in data_files]
    return "\n".join(part for part in parts if part)[:MAX_CONTENT_CHARS]


def _save(lookup: dict, *, kind: str, title: str, rest: str, content: str, **fields) -> None:
    document, _created = SearchDocument.objects.update_or_create(
        **lookup, defaults={"kind": kind, "title": title, **fields}
    )
    with connection.cursor() as cursor:
        cursor.execute(
            _VECTOR_SQL,
            {
                "id": document.pk,
                "title": title,
                "title_simple": cjk_index_text(title),
                "rest": rest,
                "rest_simple": cjk_index_text(rest),
                "content": content,
                "content_simple": cjk_index_text(content),
            },
        )
    document_pk = document.pk
    transaction.on_commit(lambda: queue_embedding([document_pk]), robust=True)


@transaction.atomic
def dataset_index(dataset) -> None:
    """Create or refresh the search document of ``dataset``."""
    species = list(dataset.species.all())
    sites = list(dataset.sites.all())
    countries = [dataset.owner_country, *dataset.co_owner_countries.all()]
    targets = list(dataset.targets.all())
    themes = list(dataset.themes.all())
    rest = "\n".join(
        [dataset.abstract, dataset.get_method_display(), dataset.citation]
        + _names(species)
        + _names(sites)
        + _names(countries)
        + _names(themes)
        + [title for target in targets for title in target.titles()]
    )
    start = dataset.temporal_start
    _save(
        {"dataset": dataset},
        kind=Kind.DATASET,
        title=" / ".join(part for part in [dataset.title, dataset.title_en] if part),
        rest=rest,
        content=_file_text(dataset.files.all()),
        summary=dataset.abstract[:1000],
        language="",
        year=start.year if start else None,
        date=(dataset.published_at or dataset.created_at).date(),
        species=[s.code for s in species],
        sites=[s.code for s in sites],
        countries=[c.code for c in countries],
        targets=[t.number for t in targets],
        themes=[t.code for t in themes],
        access=dataset.access_level,
        published=dataset.status == "published" and dataset.superseded_at is None,
    )


@transaction.atomic
def publication_index(publication) -> None:
    """Create or refresh the search document of ``publication``."""
    species = list(publication.species.all())
    sites = list(publication.sites.all())
    countries = list(publication.countries.all())
    themes = list(publication.themes.all())
    targets = list(publication.targets.all())
    rest = "\n".join(
        [publication.abstract, publication.doi]
        + [f"{author.name} {author.affiliation}" for author in publication.authors.all()]
        + _names(species)
        + _names(sites)
        + _names(countries)
        + _names(themes)
        + [title for target in targets for title in target.titles()]
    )
    kind = Kind.PRESENTATION if publication.type == "presentation" else Kind.PUBLICATION
    _save(
        {"publication": publication},
        kind=kind,
        title=" / ".join(part for part in [publication.title, publication.title_en] if part),
        rest=rest,
        content=_file_text(link.data_file for link in publication.links.all()),
        summary=publication.abstract[:1000],
        language=publication.language,
        year=publication.year,
        date=(publication.published_at or publication.created_at).date(),
        species=[s.code for s in species],
        sites=[s.code for s in sites],
        countries=[c.code for c in countries],
        targets=[t.number for t in targets],
        themes=[t.code for t in themes],
        access=publication.visibility,
        published=publication.status == "published",
    )


@transaction.atomic
def event_index(event) -> None:
    """Create or refresh the search document of ``event``."""
    sessions = list(event.sessions.all())
    targets = list(event.targets.all())
    themes = list(event.themes.all())
    rest = "\n".join(
        [event.summary, event.outcomes, event.city, event.venue, event.organisers]
        + [f"{session.title} {session.moderators}" for session in sessions]
        + _names(event.species.all())
        + _names(event.countries.all())
        + _names(themes)
        + [title for target in targets for title in target.titles()]
    )
    _save(
        {"event": event},
        kind=Kind.EVENT,
        title=event.title,
        rest=rest,
        content="",
        summary=event.summary[:1000],
        language="en",
        year=event.start_date.year,
        date=event.start_date,
        species=[s.code for s in event.species.all()],
        sites=[s.code for s in event.sites.all()],
        countries=[c.code for c in event.countries.all()],
        targets=[t.number for t in targets],
        themes=[t.code for t in themes],
        access="public",
        published=event.is_published,
    )


def index_all() -> int:
    """Rebuild every search document; return how many there are."""
    for dataset in Dataset.objects.all():
        dataset_index(dataset)
    for publication in Publication.objects.all():
        publication_index(publication)
    for event in Event.objects.all():
        event_index(event)
    return SearchDocument.objects.count()


def index_dataset_on_commit(pk: int) -> None:
    """Refresh the dataset's search document once the current transaction commits."""
    transaction.on_commit(lambda: dataset_index(Dataset.objects.get(pk=pk)), robust=True)


def index_publication_on_commit(pk: int) -> None:
    """Refresh the publication's search document once the current transaction commits."""
    transaction.on_commit(lambda: publication_index(Publication.objects.get(pk=pk)), robust=True)


def index_event_on_commit(pk: int) -> None:
    """Refresh the event's search document once the current transaction commits."""
    transaction.on_commit(lambda: event_index(Event.objects.get(pk=pk)), robust=True)


def queue_embedding(document_ids: list[int]) -> None:
    """Hand the documents to the worker to embed; if the broker is down, log it: the search
    then finds them by their words only until ``rebuild_search_index --vectors``."""
    try:
        embed_search_documents.delay(document_ids)
    except Exception as error:  # noqa: BLE001 - whatever the broker does, keep the index
        logger.warning("Could not queue embedding of %s (%s).", document_ids, error)
