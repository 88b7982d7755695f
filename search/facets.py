"""Facet values as people read them: names in the active language, selected state, links."""

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from search.models import Kind
from species.models import Country, KmgbfTarget, Site, Species, Theme

#: Facet name in the search results → (query parameter, heading).
FACET_PARAMS = {
    "kind": ("type", _("Type")),
    "species": ("species", _("Species")),
    "sites": ("site", _("Site")),
    "countries": ("country", _("Country")),
    "year": ("year", _("Year")),
    "targets": ("target", _("KMGBF target")),
    "themes": ("theme", _("Theme")),
    "language": ("language", _("Language")),
    "access": ("access", _("Access")),
}
LANGUAGE_NAMES = {
    "en": "English",
    "zh": "中文",
    "ja": "日本語",
    "ko": "한국어",
    "mn": "Монгол",
    "ru": "Русский",
}
ACCESS_NAMES = {
    "public": _("Public"),
    "registered": _("Registered users"),
    "member_states": _("Member States"),
    "country": _("Owner country"),
    "restricted": _("Restricted"),
}


def _labels(facets: dict[str, list[tuple[str, int]]]) -> dict[str, dict[str, str]]:
    def values(name: str) -> list[str]:
        return [value for value, _count in facets.get(name, [])]

    return {
        "kind": {value: str(label) for value, label in Kind.choices},
        "species": {s.code: s.name for s in Species.objects.filter(code__in=values("species"))},
        "sites": {s.code: s.name for s in Site.objects.filter(code__in=values("sites"))},
        "countries": {c.code: c.name for c in Country.objects.filter(code__in=values("countries"))},
        "targets": {
            str(t.number): f"T{t.number} {t.title}"
            for t in KmgbfTarget.objects.filter(number__in=[int(v) for v in values("targets")])
        },
        "themes": {t.code: t.name for t in Theme.objects.filter(code__in=values("themes"))},
        "language": LANGUAGE_NAMES,
        "access": {key: str(label) for key, label in ACCESS_NAMES.items()},
    }


def facet_choices(facets: dict[str, list[tuple[str, int]]], params: QueryDict) -> list[dict]:
    """Return each facet with its values: label, count, whether selected, and the toggle URL."""
    labels = _labels(facets)
    groups = []
    for name, (param, heading) in FACET_PARAMS.items():
        selected = params.get(param, "")
        values = []
        for value, count in facets.get(name, [])[:12]:
            toggled = params.copy()
            toggled.pop("page", None)
            if selected == value:
                toggled.pop(param, None)
            else:
                toggled[param] = value
            values.append(
                {
                    "value": value,
                    "label": labels.get(name, {}).get(value, value),
                    "count": count,
                    "selected": selected == value,
                    "url": "?" + toggled.urlencode(),
                }
            )
        if values:
            groups.append({"name": name, "param": param, "heading": heading, "values": values})
    return groups
