"""Reads of datasets, each starting from the access policy and owning its joins."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects

from access import policy
from accounts.models import User
from datasets.messages import file_report, species_scientific_names
from datasets.models import (
    AccessLevel,
    AccessRequest,
    DataFile,
    Dataset,
    FileState,
    Method,
    ReviewDecision,
)
from neaspec_portal import bounds, params

#: The query parameters that narrow a dataset list, on the page and in the API.
DATASET_FILTERS = (
    params.code("species", description="Species code, e.g. TIGER_AMUR."),
    params.code("site", max_length=60),
    params.country(),
    params.choice("method", Method.values),
    params.year(),
    params.choice("access_level", AccessLevel.values),
    params.integer("target", minimum=1, maximum=23, description="KMGBF target number."),
    params.code("theme", max_length=60, description="Theme code, e.g. capacity-building."),
    params.text("q", max_length=200, description="Words of the title or description."),
)


@dataclass(frozen=True)
class DatasetFilters(params.Filters):
    """What a dataset list can be narrowed by; every value is optional."""

    SPEC = DATASET_FILTERS

    species: str = ""
    site: str = ""
    country: str = ""
    method: str = ""
    year: int | None = None
    access_level: str = ""
    target: int | None = None
    theme: str = ""
    q: str = ""


def _with_relations(datasets: QuerySet) -> QuerySet:
    return datasets.select_related("owner_country", "uploader").prefetch_related(
        "species", "sites", "targets", "themes", "co_owner_countries"
    )


def _filtered(datasets: QuerySet, filters: DatasetFilters) -> QuerySet:
    # Tags are matched with subqueries rather than joins, so that no row comes twice and the
    # list needs no DISTINCT (which made PostgreSQL sort every visible row).
    if filters.species:
        tagged: QuerySet = Dataset.species.through.objects.filter(species__code=filters.species)
        datasets = datasets.filter(pk__in=tagged.values("dataset_id"))
    if filters.site:
        tagged = Dataset.sites.through.objects.filter(site__code=filters.site)
        datasets = datasets.filter(pk__in=tagged.values("dataset_id"))
    if filters.target:
        tagged = Dataset.targets.through.objects.filter(kmgbftarget_id=filters.target)
        datasets = datasets.filter(pk__in=tagged.values("dataset_id"))
    if filters.theme:
        tagged = Dataset.themes.through.objects.filter(theme__code=filters.theme)
        datasets = datasets.filter(pk__in=tagged.values("dataset_id"))
    if filters.country:
        co_owned = Dataset.co_owner_countries.through.objects.filter(country_id=filters.country)
        datasets = datasets.filter(
            Q(owner_country_id=filters.country) | Q(pk__in=co_owned.values("dataset_id"))
        )
    if filters.method:
        datasets = datasets.filter(method=filters.method)
    if filters.year:
        datasets = datasets.filter(
            Q(temporal_start__year__lte=filters.year, temporal_end__year__gte=filters.year)
            | Q(temporal_start__year=filters.year, temporal_end__isnull=True)
        )
    if filters.access_level:
        datasets = datasets.filter(access_level=filters.access_level)
    if filters.q:
        datasets = datasets.filter(
            Q(title__icontains=filters.q)
            | Q(title_en__icontains=filters.q)
            | Q(abstract__icontains=filters.q)
        )
    return datasets


def dataset_list(*, user, filters: DatasetFilters | None = None) -> QuerySet[Dataset]:
    """Return the published datasets ``user`` may see, filtered, with the codes of their
    tags (``bounds.with_codes``): what the API's list shows."""
    datasets = _filtered(policy.listed_datasets(user), filters or DatasetFilters())
    return bounds.with_codes(datasets.select_related("uploader"), **TAG_CODES).order_by(
        "-published_at", "-pk"
    )


#: The name under which pages and the API keep the count of the unfiltered list: the same
#: for every reader (``neaspec_portal.page_cache.KeptCountPaginator``).
LISTED_COUNT = "datasets:listed-count"

#: The tags a dataset carries, by the field the API names each of them with.
TAG_CODES = {
    "species": "code",
    "sites": "code",
    "targets": "number",
    "themes": "code",
    "co_owner_countries": "code",
}


def dataset_list_rows(*, user, filters: DatasetFilters | None = None) -> QuerySet[Dataset]:
    """Return ``dataset_list`` without its tags: for a page whose cards are mostly kept
    (``datasets.cards``), which reads the tags of the others only (``with_card_relations``)."""
    datasets = _filtered(policy.listed_datasets(user), filters or DatasetFilters())
    return (
        datasets.select_related("owner_country").only(*CARD_FIELDS).order_by("-published_at", "-pk")
    )


#: What a dataset's card shows of its row (``templates/datasets/partials/card.html``): the
#: list reads no more, not the abstracts and terms of its 20 rows, which it never shows.
CARD_FIELDS = (
    "title",
    "title_en",
    "access_level",
    "method",
    "temporal_start",
    "temporal_end",
    "published_at",
    "owner_country",
)


def with_card_relations(datasets: list[Dataset]) -> list[Dataset]:
    """Read what a dataset's card shows besides its row (species, co-owners): two queries."""
    prefetch_related_objects(datasets, "species", "co_owner_countries")
    return datasets


def my_datasets(*, user) -> QuerySet[Dataset]:
    """Return the datasets ``user`` uploaded or collaborates on, in every state."""
    return _with_relations(
        policy.visible_datasets(user).filter(Q(uploader=user) | Q(collaborators=user)).distinct()
    ).order_by("-updated_at")


def review_queue(*, user) -> QuerySet[Dataset]:
    """Return the submissions waiting for ``user``'s decision (focal point or secretariat)."""
    return _with_relations(policy.datasets_to_review(user)).order_by("submitted_at")


def dataset_detail(*, user, pk) -> Dataset:
    """Return one dataset for its page: files, decisions, tags (404 when not visible)."""
    dataset = policy.access_dataset(user, pk)
    prefetch: list[str | Prefetch] = [
        "species",
        "sites",
        "targets",
        "themes",
        "co_owner_countries",
        # With their countries: the citation names each collaborator's affiliation.
        Prefetch("collaborators", queryset=User.objects.select_related("country")),
        # Not a document's text, which can be megabytes and which the page never shows.
        Prefetch(
            "files", queryset=DataFile.objects.defer("extracted_text").order_by("uploaded_at", "pk")
        ),
        Prefetch(
            "decisions",
            queryset=ReviewDecision.objects.select_related("decider", "country").order_by("at"),
        ),
        protocols_prefetch(user),
    ]
    prefetch_related_objects([dataset], *prefetch)
    attach_file_reports(list(dataset.files.all()), with_values=policy.can_download(user, dataset))
    return dataset


def with_citation_relations(dataset: Dataset) -> Dataset:
    """Load what ``datasets.cite.citation_of`` reads: people with their countries, species.

    Relations already prefetched (the detail page's) are not asked again.
    """
    prefetch_related_objects(
        [dataset],
        "uploader__country",
        Prefetch("collaborators", queryset=User.objects.select_related("country")),
        "species",
    )
    return dataset


def dataset_for_citation(*, user, pk) -> Dataset:
    """Return one dataset version ready to be cited (404 when not visible to ``user``)."""
    return with_citation_relations(policy.access_dataset(user, pk))


def attach_file_reports(files: list[DataFile], *, with_values: bool) -> list[DataFile]:
    """Give each file its ``report``: what processing says, quoting data only ``with_values``.

    ``with_values`` is whether the reader may download the files (``dataset.can_download``).
    """
    species_names = None
    if any(data_file.name_matches for data_file in files):
        species_names = species_scientific_names()
    for data_file in files:
        data_file.report = file_report(  # type: ignore[attr-defined]
            data_file, with_values=with_values, species_names=species_names or {}
        )
    return files


def pending_request(*, user, dataset: Dataset) -> AccessRequest | None:
    """Return ``user``'s open access request on ``dataset``, if any."""
    return policy.own_pending_request(user, dataset)


def protocols_prefetch(user) -> Prefetch:
    """Return the prefetch of the monitoring protocols a dataset follows that ``user`` may
    see, as ``visible_protocols`` (one query for any number of datasets)."""
    return Prefetch(
        "protocols",
        queryset=policy.visible_publications(user).order_by("title", "pk"),
        to_attr="visible_protocols",
    )


def with_protocol_ids(datasets: QuerySet, *, user) -> QuerySet:
    """Return ``datasets`` with the ids of the protocols ``user`` may see, in the order
    ``protocols_prefetch`` gives them, as an array column (``visible_protocol_ids``): for a
    list that shows the ids only, in its own query."""
    return datasets.annotate(visible_protocol_ids=policy.visible_protocol_ids(user))


def with_files(datasets: QuerySet) -> QuerySet:
    """Return ``datasets`` with their files prefetched in upload order (one query), with
    the columns a list shows of them (``LISTED_FILE_FIELDS``)."""
    return datasets.prefetch_related(
        Prefetch(
            "files",
            queryset=DataFile.objects.only(*LISTED_FILE_FIELDS).order_by("uploaded_at", "pk"),
        )
    )


#: What the API's list shows of a file (``DataFileSerializer``: its report and whether the
#: reader may fetch it). Not the text extracted from a document, its column profile or
#: the metadata read from it, which can be megabytes a file and which a list never shows.
LISTED_FILE_FIELDS = (
    "dataset",
    "original_name",
    "size",
    "state",
    "error",
    "error_code",
    "error_params",
    "warnings",
    "problems",
    "name_matches",
    "uploaded_by",
    "uploaded_at",
)


def dataset_versions(*, user, dataset: Dataset) -> list[Dataset]:
    """Return the versions of ``dataset``'s series that ``user`` may see, newest first, each
    with ``file_count`` (one query)."""
    return list(policy.series_versions(user, dataset))


def eml_offers(dataset: Dataset) -> list[DataFile]:
    """Return the dataset's read archives whose EML may prefill its description."""
    return [
        data_file
        for data_file in dataset.files.filter(state=FileState.READY, detected_type="dwca").order_by(
            "pk"
        )
        if data_file.standard_metadata.get("eml")
    ]


def eml_initial(dataset: Dataset, file_id: str | None) -> dict:
    """Return the form values the EML of the dataset's archive ``file_id`` offers: title,
    abstract (with the methods) and coverage. Empty for any other file."""
    found = next((f for f in eml_offers(dataset) if str(f.pk) == (file_id or "")), None)
    if found is None:
        return {}
    eml = found.standard_metadata["eml"]
    abstract = eml.get("abstract", "")
    if eml.get("methods"):
        abstract = f"{abstract}\n\n{eml['methods']}".strip()
    offered = {
        "title": eml.get("title", ""),
        "abstract": abstract,
        "temporal_start": eml.get("temporal_start", ""),
        "temporal_end": eml.get("temporal_end", ""),
    }
    return {name: value for name, value in offered.items() if value}
