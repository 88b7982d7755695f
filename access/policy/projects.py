"""Projects and networks: who curates them, and what of their items a viewer sees.

Projects are public records the secretariat curates. A project's datasets and
publications are shown only when listed for the viewer (``listed_datasets``,
``listed_publications``), its events when published (``listed_events``), and its people only
through their public profiles (``visible_profiles``): linking an item to a project never
makes it visible to anyone who could not see it already.
"""

from django.db.models import QuerySet
from django.http import Http404

from access.policy.datasets import listed_datasets
from access.policy.events import listed_events
from access.policy.people import visible_profiles
from access.policy.publications import listed_publications
from access.policy.roles import Actor, is_secretariat
from accounts.models import AccountStatus, User
from datasets.models import Dataset
from people.models import Profile
from projects.models import Project
from publications.models import Event, Publication


def can_curate_projects(user: Actor) -> bool:
    """Return True for the secretariat, who create and edit projects."""
    return is_secretariat(user)


def visible_projects(user: Actor) -> QuerySet[Project]:
    """Return the projects ``user`` may see: all of them (they are public records)."""
    del user  # the same for every viewer; the items inside are filtered per viewer
    return Project.objects.all()


def access_project(user: Actor, slug: str) -> Project:
    """Return the project ``slug``; Http404 when there is none."""
    try:
        return visible_projects(user).get(slug=slug)
    except (Project.DoesNotExist, ValueError, TypeError):
        raise Http404("No such project.") from None


def access_editable_project(user: Actor, slug: str) -> Project:
    """Return the project ``slug`` for the secretariat to edit; Http404 for anyone else."""
    if not can_curate_projects(user):
        raise Http404("Only the secretariat edits projects.")
    return access_project(user, slug)


def project_datasets(user: Actor, project: Project) -> QuerySet[Dataset]:
    """Return the datasets of ``project`` listed for ``user`` (published and visible)."""
    return listed_datasets(user).filter(projects=project)


def project_publications(user: Actor, project: Project) -> QuerySet[Publication]:
    """Return the publications of ``project`` listed for ``user`` (published and visible)."""
    return listed_publications(user).filter(projects=project)


def project_events(user: Actor, project: Project) -> QuerySet[Event]:
    """Return the published events of ``project`` (a draft event waits unseen)."""
    return listed_events(user).filter(projects=project)


def project_people(user: Actor, project: Project) -> QuerySet[Profile]:
    """Return the public profiles of ``project``'s people; the others are not named."""
    return visible_profiles(user).filter(user__projects=project)


def project_people_choices(user: Actor) -> QuerySet[User]:
    """Return the accounts the secretariat may name as a project's people: verified, active."""
    if not can_curate_projects(user):
        return User.objects.none()
    return User.objects.filter(is_active=True, status=AccountStatus.VERIFIED).order_by(
        "first_name", "last_name", "username"
    )
