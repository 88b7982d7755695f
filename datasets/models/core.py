"""Datasets, their files and review decisions (grants and requests: ``datasets.models.access``).

Who may see or download what is decided by ``access.policy`` alone.
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase  # noqa: TID251

from datasets import message_catalog
from species.models import Country, KmgbfTarget, Site, Species, Theme

#: The longest free texts the hub stores: abstracts; terms, citations and comments.
LONG_TEXT = 10_000
SHORT_TEXT = 4_000
#: A reason given for withdrawing or declining.
REASON_TEXT = 2_000
#: The longest lists a dataset takes (``neaspec_portal.bounds``): five co-owners are the
#: other member States.
LIST_LIMITS = {
    "species": 500,
    "sites": 500,
    "co_owner_countries": 5,
    "collaborators": 50,
    "targets": 23,
    "themes": 50,
}


class Method(models.TextChoices):
    CAMERA_TRAPS = "camera_traps", _("Camera traps")
    SIGN_SURVEY = "sign_survey", _("Sign survey")
    TELEMETRY = "telemetry", _("Collaring / telemetry")
    GENETIC = "genetic", _("Genetic sampling")
    BIRD_COUNT = "bird_count", _("Bird count")
    IMAGERY = "imagery", _("Drone / imagery")
    OTHER = "other", _("Other")


class Licence(models.TextChoices):
    CC0 = "CC0-1.0", _("CC0 1.0 (public domain)")
    CC_BY = "CC-BY-4.0", _("CC BY 4.0")
    CC_BY_NC = "CC-BY-NC-4.0", _("CC BY-NC 4.0")
    CUSTOM = "custom", _("Custom terms")


class AccessLevel(models.TextChoices):
    PUBLIC = "public", _("Public")
    REGISTERED = "registered", _("Registered users")
    MEMBER_STATES = "member_states", _("Member States")
    COUNTRY = "country", _("Owner country")
    RESTRICTED = "restricted", _("Restricted")


class DatasetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DoiState(models.TextChoices):
    NONE = "", _("No DOI asked")
    PENDING = "pending", _("Registering")
    REGISTERED = "registered", _("Registered")


#: States in which the uploader and collaborators may still edit.
EDITABLE_STATUSES = (DatasetStatus.DRAFT, DatasetStatus.CHANGES_REQUESTED)


class Dataset(models.Model):
    """A body of raw monitoring data owned by a member State (and co-owners across borders)."""

    title = models.CharField(_("title (original language)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    abstract = models.TextField(
        _("abstract"), blank=True, max_length=LONG_TEXT, validators=[MaxLengthValidator(LONG_TEXT)]
    )
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    temporal_start = models.DateField(_("coverage from"), null=True, blank=True)
    temporal_end = models.DateField(_("coverage until"), null=True, blank=True)
    species = models.ManyToManyField(
        Species, related_name="datasets", blank=True, verbose_name=_("species")
    )
    sites = models.ManyToManyField(
        Site, related_name="datasets", blank=True, verbose_name=_("sites")
    )
    targets = models.ManyToManyField(
        KmgbfTarget, related_name="datasets", blank=True, verbose_name=_("KMGBF targets")
    )
    themes = models.ManyToManyField(
        Theme, related_name="datasets", blank=True, verbose_name=_("themes")
    )
    owner_country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="owned_datasets", verbose_name=_("owner")
    )
    co_owner_countries = models.ManyToManyField(
        Country, related_name="co_owned_datasets", blank=True, verbose_name=_("co-owners")
    )
    licence = models.CharField(_("licence"), max_length=20, choices=Licence.choices)
    licence_terms = models.TextField(
        _("custom licence terms"),
        blank=True,
        max_length=SHORT_TEXT,
        validators=[MaxLengthValidator(SHORT_TEXT)],
    )
    access_level = models.CharField(
        _("access level"), max_length=20, choices=AccessLevel.choices, default=AccessLevel.COUNTRY
    )
    citation = models.TextField(
        _("how to cite"),
        blank=True,
        max_length=SHORT_TEXT,
        validators=[MaxLengthValidator(SHORT_TEXT)],
    )
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=DatasetStatus.choices, default=DatasetStatus.DRAFT
    )
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="uploaded_datasets",
        verbose_name=_("uploader"),
    )
    collaborators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="collaborating_datasets",
        blank=True,
        verbose_name=_("collaborators"),
    )
    review_round = models.PositiveIntegerField(_("review round"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    # Versions: each version is a Dataset row of its own (its own review, files and stable
    # URL); ``series`` points at the first version, null on the first version itself.
    version = models.PositiveIntegerField(_("version"), default=1)
    series = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="later_versions",
        verbose_name=_("first version"),
    )
    change_note = models.TextField(
        _("what changed in this version"),
        blank=True,
        max_length=SHORT_TEXT,
        validators=[MaxLengthValidator(SHORT_TEXT)],
    )
    # A DOI registered with DataCite when the deployment has an account (datasets.doi);
    # ``pending`` versions are retried by a periodic task until DataCite takes them.
    doi = models.CharField(_("DOI"), max_length=200, blank=True)
    doi_state = models.CharField(
        _("DOI registration"), max_length=20, choices=DoiState.choices, default="", blank=True
    )
    doi_attempts = models.PositiveIntegerField(_("DOI registration attempts"), default=0)
    doi_error = models.CharField(_("last DOI registration error"), max_length=500, blank=True)
    #: When a later version of the series was published: the row stays published (its URL
    #: and files keep working) but lists, search and maps show the later one instead.
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)
    #: Set by a focal point of the owner country: the uploader answers access requests too.
    uploader_answers_requests = models.BooleanField(
        _("the uploader answers access requests"), default=False
    )

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        permissions = [("download_dataset", "Can download the raw files of the dataset")]
        indexes = [
            models.Index(fields=["status", "access_level"]),
            # The lists' order: PostgreSQL reads the newest rows first and stops at a page,
            # instead of judging every visible dataset's download rule before sorting.
            models.Index(fields=["-published_at", "-id"], name="dataset_newest_first"),
            # The retry task's question: which versions still wait for their DOI.
            models.Index(
                fields=["doi_state"],
                name="dataset_doi_pending",
                condition=models.Q(doi_state="pending"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(temporal_end__isnull=True)
                | models.Q(temporal_start__isnull=True)
                | models.Q(temporal_end__gte=models.F("temporal_start")),
                name="dataset_coverage_in_order",
            ),
            models.UniqueConstraint(
                fields=["series", "version"],
                condition=models.Q(series__isnull=False),
                name="dataset_one_row_per_version",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("datasets:detail", args=[self.pk])

    def clean(self) -> None:
        """Refuse custom licence terms left empty and a coverage ending before it starts.

        Here rather than in a form or a serializer, so that the page (``ModelForm`` runs
        it) and the API (the services run ``full_clean``) refuse the same input alike.
        """
        errors = {}
        if self.licence == Licence.CUSTOM and not self.licence_terms.strip():
            errors["licence_terms"] = _("Write the terms of the custom licence.")
        start, end = self.temporal_start, self.temporal_end
        if start and end and end < start:
            errors["temporal_end"] = _("The end of the coverage is before its start.")
        if errors:
            raise ValidationError(errors)

    @property
    def display_title(self) -> str:
        """Return the English title when there is one and it differs, else the original."""
        return self.title_en or self.title

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def series_root_id(self) -> int:
        """Return the id of the series' first version (this row's own id on a first version)."""
        return self.series_id or self.pk

    def country_codes(self) -> list[str]:
        """Return the owner's and co-owners' codes (uses the prefetched co-owners)."""
        return [self.owner_country_id, *(c.code for c in self.co_owner_countries.all())]


class DatasetUserObjectPermission(UserObjectPermissionBase):
    """django-guardian's direct foreign-key permission rows of datasets, for users."""

    content_object = models.ForeignKey(Dataset, on_delete=models.CASCADE)


class DatasetGroupObjectPermission(GroupObjectPermissionBase):
    """django-guardian's direct foreign-key permission rows of datasets, for groups."""

    content_object = models.ForeignKey(Dataset, on_delete=models.CASCADE)


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REQUEST_CHANGES = "request_changes", _("Request changes")
    REJECT = "reject", _("Reject")


class ReviewDecision(models.Model):
    """A focal point's decision on one submission of a dataset, for one country."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="decisions")
    review_round = models.PositiveIntegerField(_("review round"))
    country = models.ForeignKey(Country, on_delete=models.PROTECT, verbose_name=_("for country"))
    decider = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("decided by")
    )
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["at"]
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "review_round", "country"], name="one_decision_per_country"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dataset} · {self.country_id} · {self.decision}"


def _upload_path(instance: "DataFile", filename: str) -> str:
    """Store every file under a generated name; the original name is kept in the row."""
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"files/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class FileState(models.TextChoices):
    PENDING = "pending", _("Pending")
    PROCESSING = "processing", _("Processing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class DataFile(models.Model):
    """One uploaded file, stored under a generated name outside any public URL."""

    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="files", null=True, blank=True
    )
    file = models.FileField(_("file"), upload_to=_upload_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.BigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    content_type = models.CharField(_("type"), max_length=100, blank=True)
    state = models.CharField(
        _("processing state"), max_length=12, choices=FileState.choices, default=FileState.PENDING
    )
    error = models.TextField(_("processing error"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    # Results of processing (datasets.processing), served only through the access policy.
    detected_type = models.CharField(_("detected type"), max_length=40, blank=True)
    thumbnail = models.FileField(upload_to=_upload_path, max_length=300, blank=True)
    extracted_text = models.TextField(_("extracted text"), blank=True)
    row_count = models.BigIntegerField(_("rows"), null=True, blank=True)
    columns = models.JSONField(_("columns"), default=list, blank=True)
    date_start = models.DateField(_("first date"), null=True, blank=True)
    date_end = models.DateField(_("last date"), null=True, blank=True)
    bbox = models.JSONField(_("bounding box"), null=True, blank=True)
    species_counts = models.JSONField(_("records per species"), default=dict, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    #: Problems found in the table's cells, as codes with parameters (``datasets.messages``):
    #: worded in the reader's language, quoting cell values only to those who may download.
    problems = models.JSONField(_("problems"), default=list, blank=True)
    #: How the table's names were matched to species: [name, species code or None, rows].
    name_matches = models.JSONField(_("names matched to species"), default=list, blank=True)
    #: Why processing failed (``datasets.message_catalog``); ``error`` keeps it in English.
    error_code = models.CharField(_("processing error code"), max_length=40, blank=True)
    error_params = models.JSONField(_("processing error parameters"), default=dict, blank=True)
    #: What a standard file says beyond its rows: a Darwin Core Archive's EML (offered to
    #: the dataset's description), a Camtrap DP's effort, a Movebank table's animals and tags.
    standard_metadata = models.JSONField(_("metadata read from the file"), default=dict, blank=True)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    processing_started_at = models.DateTimeField(null=True, blank=True)
    #: Until when the worker processing the file holds it; it renews the lease as it works.
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    #: When the file's processing was last handed to the broker (null: never, or it failed).
    queued_at = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("data file")
        verbose_name_plural = _("data files")

    def __str__(self) -> str:
        return self.original_name

    def error_message(self) -> str:
        """Return why processing failed, in the active language, for the file's uploader
        (``datasets.messages.file_report`` words it for anyone else)."""
        if self.error_code:
            return message_catalog.word(self.error_code, self.error_params)
        return self.error

    def get_download_url(self) -> str:
        return reverse("datasets:download", args=[self.pk])
