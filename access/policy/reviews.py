"""Four eyes: who decides on a submitted dataset, for which country, and who is asked.

Nobody decides on what they submitted. A country's decision on a dataset is made by its
focal points who are neither the dataset's uploader nor a collaborator; when the country
has no such focal point (the only one submitted it, or it has none), by the secretariat,
who must not have contributed either. Publications: see ``can_review_publication``.
"""

from typing import cast

from django.db.models import Exists, OuterRef, Q, QuerySet

from access.policy.datasets import _contributor_condition, is_dataset_contributor, visible_datasets
from access.policy.roles import Actor, focal_point_countries, is_focal_point, is_secretariat
from accounts.models import AccountStatus, FocalPoint, User
from datasets.models import Dataset, DatasetStatus, ReviewDecision


def _deciding_focal_points(
    *, country: str | OuterRef, uploader: int | OuterRef, dataset: int | OuterRef
) -> QuerySet[FocalPoint]:
    """Return the appointments of ``country`` whose holder may decide on a dataset.

    Each argument is a value or, inside a subquery, an expression: ``country`` and
    ``uploader`` are read at the appointment's level, ``dataset`` one level deeper (in the
    collaborators subquery), so a caller in SQL passes ``OuterRef(OuterRef(...))`` for it.
    """
    # Lookups whose value may be either kind go through Q: django-stubs checks a keyword
    # lookup's value against one kind only (a value or an expression, not both).
    collaborates = Dataset.collaborators.through.objects.filter(
        Q(dataset_id=dataset), user_id=OuterRef("user_id")
    )
    return (
        FocalPoint.objects.filter(country_id=country, user__is_active=True)
        .filter(Q(user__status=AccountStatus.VERIFIED) | Q(user__is_superuser=True))
        .exclude(Q(user_id=uploader))
        .exclude(Exists(collaborates))
    )


def secretariat_decides_for(dataset: Dataset, country_code: str) -> bool:
    """Return True when no focal point of ``country_code`` may decide on ``dataset``.

    Then the secretariat decides for that country: the country's only focal point
    submitted the dataset (or collaborates on it), or the country has no focal point.
    """
    return not _deciding_focal_points(
        country=country_code, uploader=dataset.uploader_id, dataset=dataset.pk
    ).exists()


def can_review_datasets(user: Actor) -> bool:
    """Return True for those who may be asked to decide on datasets: focal points, secretariat."""
    return is_focal_point(user) or is_secretariat(user)


def review_countries(user: Actor, dataset: Dataset) -> list[str]:
    """Return the countries ``user`` may still decide for on ``dataset``'s current submission.

    Never any for its uploader and collaborators (four eyes). A focal point decides for
    their countries; the secretariat for those that have no other deciding focal point.
    """
    if dataset.status != DatasetStatus.SUBMITTED or not can_review_datasets(user):
        return []
    if is_dataset_contributor(user, dataset):
        return []
    mine = focal_point_countries(user)
    decided = set(
        dataset.decisions.filter(review_round=dataset.review_round).values_list(
            "country_id", flat=True
        )
    )
    waiting = [code for code in dataset.country_codes() if code not in decided]
    secretariat = is_secretariat(user)
    return [
        code
        for code in waiting
        if code in mine or (secretariat and secretariat_decides_for(dataset, code))
    ]


def dataset_deciders(dataset: Dataset) -> list[User]:
    """Return the people asked to decide on ``dataset``'s submission, for the notice.

    Per country, its deciding focal points, or the secretariat when it has none; never
    the uploader or a collaborator.
    """
    contributors = {dataset.uploader_id, *dataset.collaborators.values_list("pk", flat=True)}
    deciders: dict[int, User] = {}
    for code in dataset.country_codes():
        appointments = _deciding_focal_points(
            country=code, uploader=dataset.uploader_id, dataset=dataset.pk
        ).select_related("user")
        people = [appointment.user for appointment in appointments]
        if not people:
            people = list(
                User.objects.filter(
                    is_secretariat=True, is_active=True, status=AccountStatus.VERIFIED
                ).exclude(pk__in=contributors)
            )
        deciders.update((person.pk, person) for person in people)
    return list(deciders.values())


def _co_owners_undecided() -> QuerySet:
    """Return the co-owner rows of the outer dataset not decided in its current round."""
    return Dataset.co_owner_countries.through.objects.filter(dataset_id=OuterRef("pk")).exclude(
        Exists(
            ReviewDecision.objects.filter(
                dataset_id=OuterRef("dataset_id"),
                review_round=OuterRef("dataset__review_round"),
                country_id=OuterRef("country_id"),
            )
        )
    )


def datasets_to_review(user: Actor) -> QuerySet[Dataset]:
    """Return submitted datasets still waiting for ``user``'s decision for some country.

    The same rule as ``review_countries``, as one SQL condition: the owner country or a
    co-owner undecided in this round, and ``user`` deciding for it (its focal point, or
    the secretariat when it has no deciding focal point); never ``user``'s own datasets.
    """
    countries = focal_point_countries(user)
    secretariat = is_secretariat(user)
    if not countries and not secretariat:
        return Dataset.objects.none()
    undecided_owner = ~Q(
        Exists(
            ReviewDecision.objects.filter(
                dataset_id=OuterRef("pk"),
                review_round=OuterRef("review_round"),
                country_id=OuterRef("owner_country_id"),
            )
        )
    )
    mine_as_owner = Q(owner_country_id__in=countries)
    mine_as_co_owner = Q(country_id__in=countries)
    if secretariat:
        mine_as_owner |= ~Q(
            Exists(
                _deciding_focal_points(
                    country=OuterRef("owner_country_id"),
                    uploader=OuterRef("uploader_id"),
                    dataset=OuterRef(OuterRef("pk")),
                )
            )
        )
        mine_as_co_owner |= ~Q(
            Exists(
                _deciding_focal_points(
                    country=OuterRef("country_id"),
                    uploader=OuterRef("dataset__uploader_id"),
                    dataset=OuterRef(OuterRef("dataset_id")),
                )
            )
        )
    co_owner_waiting = _co_owners_undecided().filter(mine_as_co_owner)
    waiting = (mine_as_owner & undecided_owner) | Q(Exists(co_owner_waiting))
    return (
        visible_datasets(user)
        .filter(status=DatasetStatus.SUBMITTED)
        .filter(waiting)
        .exclude(_contributor_condition(cast(User, user)))  # verified: a decider
    )
