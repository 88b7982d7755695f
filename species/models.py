"""Reference data: member States, species, sites and the vocabularies content is tagged with."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

#: Suffix of the name column for each portal language.
NAME_FIELD_SUFFIX = {"en": "en", "zh-hans": "zh", "ja": "ja", "ko": "ko", "mn": "mn", "ru": "ru"}


class MultilingualNameMixin(models.Model):
    """Names in the six portal languages; English is required, the others fall back to it."""

    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200, blank=True)
    name_ko = models.CharField(_("name (Korean)"), max_length=200, blank=True)
    name_mn = models.CharField(_("name (Mongolian)"), max_length=200, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        """Return the name in the active language, or the English name when none is known."""
        return self.name_in(get_language() or "en")

    def name_in(self, language: str) -> str:
        """Return the name in ``language`` (a Django language code), falling back to English."""
        suffix = NAME_FIELD_SUFFIX.get((language or "en").lower(), "en")
        return getattr(self, f"name_{suffix}") or self.name_en

    def names_by_language(self) -> list[tuple[str, str, str]]:
        """Return (language code, language's own name, name) for each language with a name."""
        labels = dict(settings.LANGUAGES)
        return [
            (code, labels[code], getattr(self, f"name_{suffix}"))
            for code, suffix in NAME_FIELD_SUFFIX.items()
            if getattr(self, f"name_{suffix}")
        ]


class Country(MultilingualNameMixin):
    """A NEASPEC member State, keyed by its ISO 3166-1 alpha-2 code."""

    code = models.CharField(_("ISO code"), max_length=2, primary_key=True)
    is_member_state = models.BooleanField(_("member State"), default=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("species:country_detail", args=[self.code])


class SpeciesGroup(models.TextChoices):
    BIG_CAT = "big_cat", _("Big cat")
    MIGRATORY_BIRD = "migratory_bird", _("Migratory bird")
    OTHER = "other", _("Other")


class IucnCategory(models.TextChoices):
    CR = "CR", _("Critically endangered")
    EN = "EN", _("Endangered")
    VU = "VU", _("Vulnerable")
    NT = "NT", _("Near threatened")
    LC = "LC", _("Least concern")
    DD = "DD", _("Data deficient")
    NE = "NE", _("Not evaluated")


class Sensitivity(models.TextChoices):
    """Chapman (2020) categories: how public coordinates of a species are generalized."""

    EXTREME = "1", _("Category 1 – extreme: locations withheld")
    HIGH = "2", _("Category 2 – high: generalized to 0.1°")
    MEDIUM_HIGH = "3", _("Category 3 – medium-high: generalized to 0.01°")
    LOW_MEDIUM = "4", _("Category 4 – low-medium: generalized to 0.001°")
    NOT_SENSITIVE = "0", _("Not sensitive")


#: Sensitivity categories from the least to the most restrictive.
STRICTNESS = (
    Sensitivity.NOT_SENSITIVE,
    Sensitivity.LOW_MEDIUM,
    Sensitivity.MEDIUM_HIGH,
    Sensitivity.HIGH,
    Sensitivity.EXTREME,
)

#: Public grid size in decimal degrees per sensitivity category; None means withheld.
SENSITIVITY_GRID = {
    Sensitivity.EXTREME: None,
    Sensitivity.HIGH: Decimal("0.1"),
    Sensitivity.MEDIUM_HIGH: Decimal("0.01"),
    Sensitivity.LOW_MEDIUM: Decimal("0.001"),
    Sensitivity.NOT_SENSITIVE: Decimal("0"),
}


class Species(MultilingualNameMixin):
    """A species; the six NEASPEC flagship species come from the reference data."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    scientific_name = models.CharField(_("scientific name"), max_length=200, unique=True)
    synonyms = models.CharField(
        _("synonyms"), max_length=400, blank=True, help_text=_("Separated by semicolons.")
    )
    vernacular_names = models.TextField(
        _("other vernacular names"),
        blank=True,
        help_text=_(
            "Further common names in any language, separated by semicolons: tables that name "
            "the species so are matched to it."
        ),
    )
    group = models.CharField(
        _("group"), max_length=20, choices=SpeciesGroup.choices, default=SpeciesGroup.OTHER
    )
    iucn_category = models.CharField(
        _("IUCN category"), max_length=2, choices=IucnCategory.choices, default=IucnCategory.NE
    )
    sensitivity = models.CharField(
        _("sensitivity category"),
        max_length=1,
        choices=Sensitivity.choices,
        default=Sensitivity.HIGH,
        help_text=_("Decides how coordinates are generalized for people who may not download."),
    )
    is_flagship = models.BooleanField(_("NEASPEC flagship species"), default=False)
    sensitivity_note = models.TextField(_("sensitivity note"), blank=True)

    class Meta:
        ordering = ["-is_flagship", "group", "name_en"]
        verbose_name = _("species")
        verbose_name_plural = _("species")

    def __str__(self) -> str:
        return f"{self.name} ({self.scientific_name})"

    def get_absolute_url(self) -> str:
        return reverse("species:species_detail", args=[self.code])

    @property
    def public_grid(self) -> Decimal | None:
        """Return the public grid in degrees (0 = exact, None = withheld)."""
        return SENSITIVITY_GRID[Sensitivity(self.sensitivity)]


class SiteType(models.TextChoices):
    NATIONAL_PARK = "national_park", _("National park")
    NATURE_RESERVE = "nature_reserve", _("Nature reserve")
    RAMSAR = "ramsar", _("Ramsar site")
    EAAFP_FNS = "eaafp_fns", _("EAAFP flyway network site")
    WORLD_HERITAGE = "world_heritage", _("World Heritage site")
    BIOSPHERE_RESERVE = "biosphere_reserve", _("Biosphere reserve")
    TRANSBOUNDARY = "transboundary", _("Transboundary protected area")
    TRANSBOUNDARY_LANDSCAPE = "transboundary_landscape", _("Transboundary landscape")
    DMZ_CCZ = "dmz_ccz_wintering_area", _("DMZ/CCZ wintering area")
    SUSTAINABLE_LAND_USE = "sustainable_land_use_area", _("Sustainable land-use area")
    COASTAL_WETLAND = "coastal_wetland", _("Coastal wetland")
    BREEDING_COLONY = "breeding_colony_area", _("Breeding colony area")


class Site(MultilingualNameMixin):
    """A protected area, flyway site or transboundary landscape with a representative point."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    countries = models.ManyToManyField(Country, related_name="sites", verbose_name=_("countries"))
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    site_types = models.JSONField(_("site types"), default=list, blank=True)
    species = models.ManyToManyField(
        Species, related_name="sites", blank=True, verbose_name=_("species")
    )
    boundary = models.JSONField(_("GeoJSON boundary"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("species:site_detail", args=[self.code])

    def site_type_labels(self) -> list[str]:
        """Return the human labels of the site's types, in the active language."""
        labels = dict(SiteType.choices)
        return [str(labels.get(value, value)) for value in self.site_types]


#: The KMGBF targets the programme works towards first: species (4) and capacity (20).
FEATURED_TARGETS = (4, 20)


class KmgbfTarget(models.Model):
    """One of the 23 targets of the Kunming-Montreal Global Biodiversity Framework.

    Its short title and summary are kept in the six portal languages, like the names of
    species and sites; ``title`` and ``summary`` read the active language, falling back to
    English.
    """

    number = models.PositiveSmallIntegerField(_("number"), primary_key=True)
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_zh = models.CharField(_("title (Chinese)"), max_length=300, blank=True)
    title_ja = models.CharField(_("title (Japanese)"), max_length=300, blank=True)
    title_ko = models.CharField(_("title (Korean)"), max_length=300, blank=True)
    title_mn = models.CharField(_("title (Mongolian)"), max_length=300, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_zh = models.TextField(_("summary (Chinese)"), blank=True)
    summary_ja = models.TextField(_("summary (Japanese)"), blank=True)
    summary_ko = models.TextField(_("summary (Korean)"), blank=True)
    summary_mn = models.TextField(_("summary (Mongolian)"), blank=True)
    summary_ru = models.TextField(_("summary (Russian)"), blank=True)
    description = models.TextField(_("official text"), blank=True)

    # Set by ``species.selectors``: what the viewer may see tagged with the target, and the
    # codes of the member States contributing (the targets API).
    counts: dict[str, int]
    countries: list[str]

    class Meta:
        ordering = ["number"]
        verbose_name = _("KMGBF target")
        verbose_name_plural = _("KMGBF targets")

    def __str__(self) -> str:
        return f"T{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("species:target_detail", args=[self.number])

    @property
    def title(self) -> str:
        """Return the short title in the active language, or the English one."""
        return self.title_in(get_language() or "en")

    @property
    def summary(self) -> str:
        """Return the summary in the active language, or the English one."""
        return self._in_language("summary", get_language() or "en")

    @property
    def is_featured(self) -> bool:
        """Return True for the targets NEASPEC's programme works towards first (4 and 20)."""
        return self.number in FEATURED_TARGETS

    def title_in(self, language: str) -> str:
        """Return the short title in ``language`` (a Django language code), else English."""
        return self._in_language("title", language)

    def titles(self) -> list[str]:
        """Return the short title in every language it has, English first."""
        return [
            value
            for suffix in NAME_FIELD_SUFFIX.values()
            if (value := getattr(self, f"title_{suffix}"))
        ]

    def _in_language(self, field: str, language: str) -> str:
        suffix = NAME_FIELD_SUFFIX.get((language or "en").lower(), "en")
        return getattr(self, f"{field}_{suffix}") or getattr(self, f"{field}_en")


class Theme(MultilingualNameMixin):
    """A topic content is tagged with (human-wildlife conflict, avian influenza...)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name
