"""Usage figures: who reads how often an item was viewed and downloaded, and from where.

Views and downloads are counted by day and country of the reader (``datasets.counts``),
never by person. Whoever sees an item's metadata sees its totals. The figures by country
are for the people who answer for the item: the owner side of a dataset (uploader,
collaborators, focal points of its owner and co-owner countries), the uploader and the
focal points of a publication's country, and the secretariat. The figures of an item a
user may not see are never counted in anything shown to them.
"""

from typing import cast

from django.db.models import QuerySet

from access.policy.datasets import _contributor_condition, _focal_point_condition
from access.policy.publications import _publication_people_condition
from access.policy.roles import Actor, focal_point_countries, is_secretariat, is_verified
from accounts.models import User
from datasets.models import Dataset
from publications.models import Publication


def usage_detail_datasets(user: Actor) -> QuerySet[Dataset]:
    """Return the datasets whose figures by country ``user`` may read."""
    if is_secretariat(user):
        return Dataset.objects.all()
    if not is_verified(user):
        return Dataset.objects.none()
    user = cast(User, user)  # only accounts are verified, never AnonymousUser
    condition = _contributor_condition(user)
    countries = focal_point_countries(user)
    if countries:
        condition |= _focal_point_condition(countries)
    return Dataset.objects.filter(condition)


def usage_detail_publications(user: Actor) -> QuerySet[Publication]:
    """Return the publications whose figures by country ``user`` may read."""
    if not is_verified(user):
        return Publication.objects.none()
    people = _publication_people_condition(user)
    if people is None:
        return Publication.objects.all()
    return Publication.objects.filter(people)


def can_read_usage_detail(user: Actor, item: Dataset | Publication) -> bool:
    """Return True when ``user`` may read ``item``'s figures by month and country.

    The same people as ``usage_detail_datasets`` / ``usage_detail_publications``, from the
    loaded row (datasets use their prefetched co-owners and collaborators when they are).
    """
    if is_secretariat(user):
        return True
    if not is_verified(user):
        return False
    if isinstance(item, Publication):
        return item.uploader_id == user.pk or item.owner_country_id in focal_point_countries(user)
    if focal_point_countries(user).intersection(item.country_codes()):
        return True
    if item.uploader_id == user.pk:
        return True
    return any(collaborator.pk == user.pk for collaborator in item.collaborators.all())
