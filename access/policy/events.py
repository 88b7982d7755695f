"""Events: who curates them, and which of their materials a user sees.

The secretariat creates and edits events. A material that is a publication is seen only
when that publication is listed for the user; a material that is a link is always seen.
"""

from django.db.models import Q, QuerySet

from access.policy.publications import visible_publications
from access.policy.roles import Actor, is_secretariat
from publications.models import Material, PublicationStatus


def can_curate_events(user: Actor) -> bool:
    """Return True for the secretariat, who create and edit events and their materials."""
    return is_secretariat(user)


def visible_materials(user: Actor) -> QuerySet[Material]:
    """Return event materials whose publication ``user`` may see (links are always visible)."""
    visible = visible_publications(user).filter(status=PublicationStatus.PUBLISHED)
    return Material.objects.filter(
        Q(publication__isnull=True) | Q(publication__in=visible.values("pk"))
    )
