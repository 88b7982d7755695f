"""Events: who curates them, which events a user sees, and which of their materials.

The secretariat creates and edits events. An event is created as a draft, seen only by the
secretariat, and is public once the secretariat publishes it; so are its materials. A
material that is a publication is seen only when that publication is listed for the user
(``publications`` hides the materials of draft events from everyone but the secretariat);
a material that is a link is seen with its event.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from access.policy.publications import visible_publications
from access.policy.roles import Actor, is_secretariat
from publications.models import Event, EventStatus, Material, PublicationStatus


def can_curate_events(user: Actor) -> bool:
    """Return True for the secretariat, who create, edit and publish events and materials."""
    return is_secretariat(user)


def visible_events(user: Actor) -> QuerySet[Event]:
    """Return the events ``user`` sees: published ones, and drafts too for the secretariat."""
    if can_curate_events(user):
        return Event.objects.all()
    return Event.objects.filter(status=EventStatus.PUBLISHED)


def listed_events(user: Actor) -> QuerySet[Event]:
    """Return the events of lists, search, species pages and the home page: published ones.

    The secretariat finds drafts on the events page and on "My work", not mixed into the
    public record.
    """
    return Event.objects.filter(status=EventStatus.PUBLISHED)


def access_event(user: Actor, pk: int | str) -> Event:
    """Return the event ``pk`` if ``user`` may see it; Http404 for missing and draft alike."""
    try:
        return visible_events(user).get(pk=pk)
    except (Event.DoesNotExist, ValueError, TypeError):
        raise Http404("No such event.") from None


def visible_materials(user: Actor) -> QuerySet[Material]:
    """Return event materials of events ``user`` sees whose publication they may see."""
    visible = visible_publications(user).filter(status=PublicationStatus.PUBLISHED)
    materials = Material.objects.filter(
        Q(publication__isnull=True) | Q(publication__in=visible.values("pk"))
    )
    if not can_curate_events(user):
        materials = materials.filter(event__status=EventStatus.PUBLISHED)
    return materials
