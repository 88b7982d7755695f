"""The library and the record of meetings: publications, events, sessions and materials.

Files are ``datasets.DataFile`` rows, stored, processed and served by the same mechanism as
dataset files; ``PublicationFile`` links them here. Who sees what is ``access.policy``'s call.
"""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from datasets.models import LONG_TEXT, Dataset
from publications import rules
from species.models import Country, KmgbfTarget, Site, Species, Theme


class PublicationType(models.TextChoices):
    REPORT = "report", _("Report")
    ARTICLE = "article", _("Journal article")
    POLICY_BRIEF = "policy_brief", _("Policy brief")
    BOOK = "book", _("Book or chapter")
    POSTER = "poster", _("Poster")
    FACTSHEET = "factsheet", _("Factsheet")
    PRESENTATION = "presentation", _("Presentation")
    GUIDELINE = "guideline", _("Guideline")
    PROTOCOL = "protocol", _("Protocol")
    CASE_STUDY = "case_study", _("Case study")
    OTHER = "other", _("Other")


#: The kinds of publication the library gathers as "best practices" (its own filter); a
#: protocol can also be followed by datasets (``DatasetProtocol``).
BEST_PRACTICES = (PublicationType.GUIDELINE, PublicationType.PROTOCOL, PublicationType.CASE_STUDY)


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    REGISTERED = "registered", _("Registered users")
    MEMBER_STATES = "member_states", _("Member States")


class PublicationLicence(models.TextChoices):
    """Licences of a publication, by SPDX identifier (``all-rights-reserved`` has none)."""

    CC_BY = "CC-BY-4.0", _("CC BY 4.0")
    CC_BY_SA = "CC-BY-SA-4.0", _("CC BY-SA 4.0")
    CC_BY_NC = "CC-BY-NC-4.0", _("CC BY-NC 4.0")
    CC_BY_NC_ND = "CC-BY-NC-ND-4.0", _("CC BY-NC-ND 4.0")
    CC0 = "CC0-1.0", _("CC0 1.0 (public domain)")
    ALL_RIGHTS_RESERVED = "all-rights-reserved", _("All rights reserved")


#: Where each Creative Commons licence is written out (shown as a link beside its name).
LICENCE_URLS = {
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "CC-BY-NC-4.0": "https://creativecommons.org/licenses/by-nc/4.0/",
    "CC-BY-NC-ND-4.0": "https://creativecommons.org/licenses/by-nc-nd/4.0/",
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
}


class PublicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    RETURNED = "returned", _("Returned for changes")
    PUBLISHED = "published", _("Published")


class Publication(models.Model):
    """A report, paper, brief, book, poster, factsheet, presentation, guideline, protocol or
    case study, with its files."""

    type = models.CharField(_("type"), max_length=20, choices=PublicationType.choices)
    title = models.CharField(_("title (original language)"), max_length=400)
    title_en = models.CharField(_("title (English)"), max_length=400, blank=True)
    abstract = models.TextField(
        _("abstract"), blank=True, max_length=LONG_TEXT, validators=[MaxLengthValidator(LONG_TEXT)]
    )
    year = models.PositiveSmallIntegerField(_("year"))
    language = models.CharField(
        _("language"), max_length=8, help_text=_("ISO 639-1 code, e.g. en, zh, ja, ko, mn, ru.")
    )
    doi = models.CharField(_("DOI"), max_length=200, blank=True, db_index=True)
    url = models.URLField(_("web address"), max_length=500, blank=True)
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    institution = models.CharField(
        _("institution"),
        max_length=300,
        blank=True,
        help_text=_("The organisation that issued it (of a report, brief or thesis)."),
    )
    licence = models.CharField(
        _("licence"), max_length=30, choices=PublicationLicence.choices, blank=True
    )
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PublicationStatus.choices,
        default=PublicationStatus.SUBMITTED,
    )
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="publications"
    )
    owner_country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The uploader's member State; its focal points review the publication."),
    )
    species = models.ManyToManyField(Species, related_name="publications", blank=True)
    sites = models.ManyToManyField(Site, related_name="publications", blank=True)
    countries = models.ManyToManyField(Country, related_name="publications", blank=True)
    targets = models.ManyToManyField(KmgbfTarget, related_name="publications", blank=True)
    themes = models.ManyToManyField(Theme, related_name="publications", blank=True)
    featured = models.BooleanField(_("featured on the home page"), default=False)
    followed_by: "models.ManyToManyField[Dataset, DatasetProtocol]" = models.ManyToManyField(
        "datasets.Dataset",
        through="DatasetProtocol",
        related_name="protocols",
        blank=True,
        verbose_name=_("datasets following it"),
        help_text=_("For a monitoring protocol: the datasets collected as it says."),
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-published_at", "-pk"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        indexes = [models.Index(fields=["status", "visibility"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("publications:detail", args=[self.pk])

    def clean(self) -> None:
        """Normalize the DOI; refuse a year, DOI or language ``publications.rules`` refuses.

        Here rather than in a form or a serializer, so that the page (``ModelForm`` runs
        it) and the API (the services run ``full_clean``) refuse the same input alike.
        """
        self.doi = rules.doi_normalize(self.doi or "")
        errors = {}
        if self.year is not None and (message := rules.year_error(self.year)):
            errors["year"] = message
        if message := rules.doi_error(self.doi):
            errors["doi"] = message
        if self.language and (message := rules.language_error(self.language)):
            errors["language"] = message
        if errors:
            raise ValidationError(errors)

    @property
    def display_title(self) -> str:
        return self.title_en or self.title

    @property
    def licence_url(self) -> str:
        return LICENCE_URLS.get(self.licence, "")


class Author(models.Model):
    """One author (or speaker) of a publication, in order."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="authors")
    name = models.CharField(_("name"), max_length=200)
    affiliation = models.CharField(_("affiliation"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self) -> str:
        return self.name


class PublicationFile(models.Model):
    """Links a stored file (``datasets.DataFile``) to the publication it belongs to."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="links")
    data_file = models.OneToOneField(
        "datasets.DataFile", on_delete=models.CASCADE, related_name="publication_link"
    )

    class Meta:
        verbose_name = _("publication file")
        verbose_name_plural = _("publication files")

    def __str__(self) -> str:
        return f"{self.publication} · {self.data_file}"


class DatasetProtocol(models.Model):
    """A dataset that follows a monitoring protocol (a publication of type protocol).

    Set through ``datasets.services`` (the dataset's ``protocols``), which accepts only
    protocols the editor may see; pages show each reader only the protocols and datasets
    the policy lets them see.
    """

    protocol = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="+")
    dataset = models.ForeignKey("datasets.Dataset", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("dataset following a protocol")
        verbose_name_plural = _("datasets following protocols")
        constraints = [
            models.UniqueConstraint(fields=["protocol", "dataset"], name="one_link_per_protocol")
        ]

    def __str__(self) -> str:
        return f"{self.dataset_id} follows {self.protocol_id}"


class EventType(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    EXPERT_MEETING = "expert_meeting", _("Expert meeting")
    TRAINING = "training", _("Training")
    WEBINAR = "webinar", _("Webinar")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


#: The time zones of the region, offered first when an event's zone is chosen.
REGION_TIME_ZONES = (
    "Asia/Seoul",
    "Asia/Tokyo",
    "Asia/Shanghai",
    "Asia/Pyongyang",
    "Asia/Ulaanbaatar",
    "Asia/Hovd",
    "Europe/Moscow",
    "Asia/Yekaterinburg",
    "Asia/Novosibirsk",
    "Asia/Krasnoyarsk",
    "Asia/Irkutsk",
    "Asia/Yakutsk",
    "Asia/Vladivostok",
    "Asia/Magadan",
    "Asia/Bangkok",
    "UTC",
)


def validate_time_zone(value: str) -> None:
    """Refuse a name that is not an IANA time zone (e.g. ``Asia/Seoul``)."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("Give a time zone by its IANA name, e.g. Asia/Seoul."), code="time_zone"
        )


class Event(models.Model):
    """A workshop, meeting, training or webinar, curated by the secretariat.

    Created as a draft that only the secretariat sees; published, it is public.
    """

    title = models.CharField(_("title"), max_length=300)
    type = models.CharField(_("type"), max_length=20, choices=EventType.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Asia/Seoul",
        validators=[validate_time_zone],
        help_text=_("Session times are given and shown in this zone."),
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    city = models.CharField(_("city"), max_length=120, blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    online = models.BooleanField(_("online"), default=False)
    organisers = models.CharField(_("organisers"), max_length=400, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    outcomes = models.TextField(_("outcomes"), blank=True)
    featured = models.BooleanField(_("featured on the home page"), default=False)
    species = models.ManyToManyField(Species, related_name="events", blank=True)
    sites = models.ManyToManyField(Site, related_name="events", blank=True)
    countries = models.ManyToManyField(Country, related_name="events", blank=True)
    targets = models.ManyToManyField(
        KmgbfTarget, related_name="events", blank=True, verbose_name=_("KMGBF targets")
    )
    themes = models.ManyToManyField(
        Theme, related_name="events", blank=True, verbose_name=_("themes")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    # Set by ``publications.selectors``: materials outside any session (``with_agenda``) and
    # the pks of the materials' publications the viewer may download (``event_detail``).
    general: "list[Material]"
    downloadable_publications: set[int]

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="event_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("publications:event_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == EventStatus.PUBLISHED

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """Return the event's time zone (UTC when the stored name is unknown here)."""
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    def clean(self) -> None:
        """Refuse an event that ends before it starts, or that is neither online nor in a city.

        The pages and the API both reach this through ``full_clean`` (the form's own, and
        ``events_services.event_save``'s), so the rule is stated once.
        """
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The last day is before the first day.")
        if not self.online and not self.city.strip():
            errors["city"] = _("Give the city, or mark the event as online.")
        if errors:
            raise ValidationError(errors)

    @property
    def participants_total(self) -> int:
        return sum(row.total for row in self.participant_counts.all())


class Session(models.Model):
    """One session of an event's agenda."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    moderators = models.CharField(_("moderators"), max_length=400, blank=True)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True)
                | models.Q(starts_at__isnull=False, ends_at__gt=models.F("starts_at")),
                name="session_times_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        """Refuse an end without a start, or an end that is not after the start."""
        if self.ends_at is not None and self.starts_at is None:
            raise ValidationError({"starts_at": _("Give the start time too.")})
        if self.ends_at is not None and self.starts_at is not None:
            if self.ends_at <= self.starts_at:
                raise ValidationError({"ends_at": _("The session ends before it starts.")})


class AgeGroup(models.TextChoices):
    YOUTH = "youth", _("Youth (under 35)")
    OTHER = "other", _("35 or older")
    UNDISCLOSED = "undisclosed", _("Age not recorded")


class ParticipantRole(models.TextChoices):
    FRONTLINE = "frontline", _("Frontline staff")
    RESEARCHER = "researcher", _("Researcher")
    OFFICIAL = "official", _("Official")
    COMMUNITY = "community", _("Community member")
    UNSPECIFIED = "unspecified", _("Role not recorded")


class ParticipantCount(models.Model):
    """Participants of an event by gender, from one country (partners when country is empty).

    One row per combination of country, age group and role: a workshop's rows are usually
    one per country (age and role not recorded); a training's trainees are broken down by
    age group and role (``publications.training_services``).
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participant_counts")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, null=True, blank=True)
    age_group = models.CharField(
        _("age group"), max_length=12, choices=AgeGroup.choices, default=AgeGroup.UNDISCLOSED
    )
    role = models.CharField(
        _("role"),
        max_length=12,
        choices=ParticipantRole.choices,
        default=ParticipantRole.UNSPECIFIED,
    )
    women = models.PositiveIntegerField(_("women"), default=0)
    men = models.PositiveIntegerField(_("men"), default=0)
    other = models.PositiveIntegerField(_("other or undisclosed"), default=0)

    class Meta:
        verbose_name = _("participant count")
        verbose_name_plural = _("participant counts")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "country", "age_group", "role"],
                name="one_count_per_combination",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.event} · {self.country_id or 'partners'} · {self.age_group} · {self.role}: "
            f"{self.total}"
        )

    @property
    def total(self) -> int:
        return self.women + self.men + self.other


class MaterialKind(models.TextChoices):
    PRESENTATION = "presentation", _("Presentation")
    REPORT = "report", _("Report")
    RECORDING = "recording", _("Recording")


class Material(models.Model):
    """Something attached to an event or one of its sessions: slides, a report, a recording.

    Presentations and reports are publications (with files, speakers as authors, and their
    own visibility); a recording is a link.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, null=True, blank=True, related_name="materials"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MaterialKind.choices)
    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, null=True, blank=True, related_name="materials"
    )
    title = models.CharField(_("title"), max_length=400, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(publication__isnull=True, link=""),
                name="material_has_publication_or_link",
            )
        ]

    def __str__(self) -> str:
        return self.title or (self.publication.title if self.publication is not None else self.link)
