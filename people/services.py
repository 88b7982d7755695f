"""Writes of public profiles: an account writes its own, and chooses whether to show it.

``Profile.clean`` holds the rules (ORCID checksum, languages); every change is audited.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from access import policy
from access.services import audit_record
from accounts.models import User
from neaspec_portal.bounds import check_lengths
from people import rules
from people.models import Profile

#: The many-to-many fields of a profile, with the longest list each may hold.
PROFILE_LISTS = {"species": 100, "expertise": 50}


@transaction.atomic
def profile_save(*, actor: User, **fields: Any) -> Profile:
    """Create or change ``actor``'s own profile; only verified accounts have one.

    ``fields`` are Profile fields; ``species`` and ``expertise`` are lists of objects.
    Countries are member States only; the name defaults to the account's name.
    """
    if not policy.can_have_profile(actor):
        raise PermissionDenied(_("Only verified accounts have a public profile."))
    lists = {name: list(fields.pop(name)) for name in PROFILE_LISTS if name in fields}
    check_lengths(lists, PROFILE_LISTS)
    country = fields.get("country")
    if country is not None and not country.is_member_state:
        raise ValidationError({"country": _("Choose a member State, or none.")})
    if isinstance(fields.get("orcid"), str):
        # An address (https://orcid.org/...) is longer than the iD it holds.
        fields["orcid"] = rules.orcid_normalize(fields["orcid"])
    profile = policy.own_profile(actor)
    created = profile is None
    if profile is None:
        profile = Profile(user=actor, display_name=str(actor), affiliation=actor.organisation)
        profile.country_id = actor.country_id
    was_public = profile.is_public
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean(exclude=["user"])
    profile.save()
    for name, values in lists.items():
        getattr(profile, name).set(values)
    action = "profile.create" if created else "profile.update"
    if profile.is_public != was_public:
        action = "profile.publish" if profile.is_public else "profile.unpublish"
    audit_record(
        actor=actor,
        action=action,
        obj=profile,
        detail={"fields": sorted([*fields, *lists])},
    )
    return profile
