"""One search document per publication, event and dataset, kept in step by ``search.services``.

Three vectors: ``head`` (the title alone, small, used for ranking), ``meta`` (title,
abstract, names of tags) which anyone who may see the object may match, and
``content`` (text extracted from files) which only those who may download the files
may match. Who may see what is decided by ``access.policy``, on the live rows of the
publication, dataset or event a document describes.
"""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q, TextField
from django.db.models.functions import Cast, Length
from django.db.models.lookups import GreaterThanOrEqual, LessThan
from django.utils.translation import gettext_lazy as _

#: Titles whose vector prints shorter than this many characters are found through the
#: covering index ``search_title_date``: a btree entry must stay under 2,704 bytes, and a
#: character takes at most four. ``search.selectors`` repeats the condition in its SQL.
HEAD_INLINE_CHARS = 600
_HEAD_CHARS = Length(Cast("head", TextField()))


class Kind(models.TextChoices):
    PUBLICATION = "publication", _("Publication")
    PRESENTATION = "presentation", _("Presentation")
    EVENT = "event", _("Event")
    DATASET = "dataset", _("Dataset")


class SearchDocument(models.Model):
    kind = models.CharField(max_length=20, choices=Kind.choices)
    dataset = models.OneToOneField(
        "datasets.Dataset", on_delete=models.CASCADE, null=True, related_name="search_document"
    )
    publication = models.OneToOneField(
        "publications.Publication",
        on_delete=models.CASCADE,
        null=True,
        related_name="search_document",
    )
    event = models.OneToOneField(
        "publications.Event", on_delete=models.CASCADE, null=True, related_name="search_document"
    )
    title = models.TextField()
    summary = models.TextField(blank=True)
    language = models.CharField(max_length=8, blank=True)
    year = models.PositiveSmallIntegerField(null=True)
    date = models.DateField(null=True)
    species = ArrayField(models.CharField(max_length=40), default=list)
    sites = ArrayField(models.CharField(max_length=60), default=list)
    countries = ArrayField(models.CharField(max_length=2), default=list)
    targets = ArrayField(models.PositiveSmallIntegerField(), default=list)
    themes = ArrayField(models.CharField(max_length=60), default=list)
    # Copies of the object's state, refreshed by search.services on every change of the
    # object: ``access`` for the facet of that name, ``published`` for the partial indexes
    # below, which hold only the documents it marks. Neither decides who finds a document:
    # access.policy asks the live rows, so a copy that lags can hide a document, never show it.
    access = models.CharField(max_length=20, blank=True)
    published = models.BooleanField(default=False)
    head = SearchVectorField(null=True)
    meta = SearchVectorField(null=True)
    content = SearchVectorField(null=True)
    # Adjacent words of ``meta`` as one lexeme each (``search_pairs``, migration 0005): a
    # phrase is looked up by its pairs, and only those documents are checked word by word.
    pairs = SearchVectorField(null=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            GinIndex(fields=["head"], name="search_head_gin"),
            GinIndex(fields=["meta"], name="search_meta_gin"),
            GinIndex(fields=["content"], name="search_content_gin"),
            GinIndex(fields=["pairs"], name="search_pairs_gin"),
            GinIndex(fields=["species"], name="search_species_gin"),
            # The newest title matches, read from the index alone: the title tier of search
            # walks it and stops after its candidates instead of reading every match.
            models.Index(
                fields=["-date", "-id"],
                include=["head"],
                name="search_title_date",
                condition=Q(published=True) & Q(LessThan(_HEAD_CHARS, HEAD_INLINE_CHARS)),
            ),
            # The few titles too long for that index.
            GinIndex(
                fields=["head"],
                name="search_long_head_gin",
                condition=Q(published=True) & Q(GreaterThanOrEqual(_HEAD_CHARS, HEAD_INLINE_CHARS)),
            ),
            models.Index(fields=["published", "kind"], name="search_published_kind"),
            # The newest matches first: every tier of search candidates reads this order.
            models.Index(
                F("date").desc(),
                F("id").desc(),
                name="search_published_date",
                condition=Q(published=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(dataset__isnull=False, publication__isnull=True, event__isnull=True)
                    | models.Q(dataset__isnull=True, publication__isnull=False, event__isnull=True)
                    | models.Q(dataset__isnull=True, publication__isnull=True, event__isnull=False)
                ),
                name="search_document_has_one_object",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"


class SearchVector(models.Model):
    """The meaning of a document's metadata (title, English title, abstract) as one vector.

    Computed by the worker (``search.tasks``) whenever the document is indexed, from the
    metadata anyone who finds the document may read: file text is never embedded. Stored
    quantized: ``code`` holds the 512 signs (64 bytes, scanned in memory by
    ``search.semantic``), ``vector`` the 512 components as int8 (re-ranking the candidates
    that passed the policy in SQL). ``published`` is the document's copy, refreshed with it.
    """

    document = models.OneToOneField(
        SearchDocument, on_delete=models.CASCADE, primary_key=True, related_name="vector"
    )
    code = models.BinaryField()
    vector = models.BinaryField()
    model = models.CharField(max_length=40)
    published = models.BooleanField(default=False)
    updated_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"vector of {self.document_id}"
