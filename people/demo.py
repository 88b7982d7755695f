"""Demo public profiles: some researchers show theirs, one keeps it private.

Written through ``profile_save`` as each researcher would, so the audit trail shows them.
"""

from django.db import transaction

from accounts.models import User
from people.models import Profile
from people.services import profile_save
from species.models import Country, Species, Theme

PROFILES = {
    "researcher-ru": {
        "is_public": True,
        "display_name": "Researcher RU",
        "country": "RU",
        "expertise": ["monitoring-technology", "anti-poaching"],
        "expertise_note": "Camera-trap surveys of Amur leopards and tigers",
        "species": ["LEOPARD_AMUR", "TIGER_AMUR"],
        "languages": ["ru", "en", "zh"],
        "orcid": "0000-0002-1825-0097",
    },
    "researcher-cn": {
        "is_public": True,
        "display_name": "Researcher CN",
        "country": "CN",
        "expertise": ["genetics", "monitoring-technology"],
        "expertise_note": "Population genetics of big cats from scat and hair samples",
        "species": ["TIGER_AMUR", "LEOPARD_AMUR"],
        "languages": ["zh", "en"],
        "orcid": "",
    },
    "researcher-jp": {
        "is_public": True,
        "display_name": "Researcher JP",
        "country": "JP",
        "expertise": ["avian-influenza", "climate-change-migration"],
        "expertise_note": "Winter crane counts at Izumi",
        "species": ["HOODED_CRANE", "WN_CRANE"],
        "languages": ["ja", "en"],
        "orcid": "",
    },
    "researcher-kr": {
        "is_public": True,
        "display_name": "Researcher KR",
        "country": "KR",
        "expertise": ["habitat-loss", "community-engagement"],
        "expertise_note": "Tidal-flat management for black-faced spoonbills",
        "species": ["BF_SPOONBILL"],
        "languages": ["ko", "en"],
        "orcid": "",
    },
    "researcher-mn": {
        "is_public": False,
        "display_name": "Researcher MN",
        "country": "MN",
        "expertise": ["monitoring-technology"],
        "expertise_note": "Snow leopard camera surveys",
        "species": ["SNOW_LEOPARD"],
        "languages": ["mn", "ru"],
        "orcid": "",
    },
}


@transaction.atomic
def seed_profiles() -> int:
    """Write the demo profiles of researchers who have none yet; return how many."""
    made = 0
    for username, row in PROFILES.items():
        user = User.objects.filter(username=username).first()
        if user is None or Profile.objects.filter(user=user).exists():
            continue
        fields = dict(row)
        profile_save(
            actor=user,
            is_public=fields.pop("is_public"),
            display_name=fields.pop("display_name"),
            affiliation=user.organisation,
            country=Country.objects.get(code=fields.pop("country")),
            expertise=list(Theme.objects.filter(code__in=fields.pop("expertise"))),
            species=list(Species.objects.filter(code__in=fields.pop("species"))),
            **fields,
        )
        made += 1
    return made
