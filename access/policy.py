"""The access policy: the one place that decides who is who and who may see or do what.

Every surface (pages, API, downloads, search, maps, exports) asks these functions; none
decides on its own. A pending account is a visitor for every decision. ``access_*``
functions fetch and authorize at once and raise ``Http404`` for missing and forbidden
objects alike, so that a forbidden object cannot be told from a missing one.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeGuard, cast

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Now
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import AccountStatus, FocalPoint, User

if TYPE_CHECKING:
    from datasets.models import PublicOccurrenceQuerySet

Actor = User | AnonymousUser


def is_verified(user: Actor) -> TypeGuard[User]:
    """Return True for a signed-in, active account that has been verified (or an admin)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.status == AccountStatus.VERIFIED


def is_secretariat(user: Actor) -> bool:
    """Return True for verified secretariat staff and admins."""
    return is_verified(user) and (user.is_superuser or user.is_secretariat)


def is_member_state_researcher(user: Actor) -> bool:
    """Return True for a verified account affiliated with a member State."""
    return is_verified(user) and user.country_id is not None


def focal_point_countries(user: Actor) -> frozenset[str]:
    """Return the codes of the member States the user is a focal point of (cached per object)."""
    if not is_verified(user):
        return frozenset()
    user = cast(User, user)  # only accounts are verified, never AnonymousUser
    cached = getattr(user, "_focal_point_countries", None)
    if cached is None:
        cached = frozenset(
            FocalPoint.objects.filter(user=user).values_list("country_id", flat=True)
        )
        user._focal_point_countries = cached
    return cached


def is_focal_point(user: Actor, country_code: str | None = None) -> bool:
    """Return True when the user is a focal point of ``country_code`` (of any State if None)."""
    countries = focal_point_countries(user)
    return bool(countries) if country_code is None else country_code in countries


def accounts_to_verify(user: Actor) -> QuerySet[User]:
    """Return the pending accounts this user may verify.

    Focal points verify their countries' new accounts; the secretariat verifies partner
    accounts (no country) and, as a fallback, accounts of a country with no focal point yet.
    """
    pending = User.objects.filter(status=AccountStatus.PENDING, is_active=True).select_related(
        "country"
    )
    countries = focal_point_countries(user)
    if is_secretariat(user):
        uncovered = FocalPoint.objects.values_list("country_id", flat=True)
        return (
            pending.filter(country__isnull=True)
            | pending.filter(country_id__in=countries)
            | pending.exclude(country_id__in=uncovered).exclude(country__isnull=True)
        )
    if countries:
        return pending.filter(country_id__in=countries)
    return pending.none()


def access_account_to_verify(user: Actor, pk: int) -> User:
    """Return the pending account ``pk`` if ``user`` may verify it; raise Http404 otherwise."""
    try:
        return accounts_to_verify(user).get(pk=pk)
    except User.DoesNotExist:
        raise Http404("No such account awaits your verification.") from None


def can_review_accounts(user: Actor) -> bool:
    """Return True when the user is someone who verifies accounts (focal point or secretariat)."""
    return is_secretariat(user) or is_focal_point(user)


# --- Roles ----------------------------------------------------------------------------------
#
# The secretariat gives and takes the focal-point and secretariat roles (``accounts.roles``),
# never its own: nobody changes their own roles.


def can_manage_roles(user: Actor) -> bool:
    """Return True for those who give and take roles: the secretariat (and admins)."""
    return is_secretariat(user)


def role_accounts(user: Actor) -> QuerySet[User]:
    """Return the accounts whose roles ``user`` may change: all but their own, if any."""
    if not can_manage_roles(user):
        return User.objects.none()
    user = cast(User, user)  # only accounts manage roles, never AnonymousUser
    return User.objects.exclude(pk=user.pk).select_related("country")


def access_role_account(user: Actor, pk: int | str) -> User:
    """Return the account ``pk`` if ``user`` may change its roles; raise Http404 otherwise."""
    try:
        return role_accounts(user).get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404("No such account, or it is your own.") from None


def secretariat_members(user: Actor) -> QuerySet[User]:
    """Return the secretariat staff and admins, for those who manage roles."""
    if not can_manage_roles(user):
        return User.objects.none()
    return (
        User.objects.filter(Q(is_secretariat=True) | Q(is_superuser=True))
        .select_related("country")
        .order_by("username")
    )


def focal_point_appointments(user: Actor) -> QuerySet[FocalPoint]:
    """Return every focal-point appointment, for those who manage roles."""
    if not can_manage_roles(user):
        return FocalPoint.objects.none()
    return FocalPoint.objects.select_related("user", "country").order_by(
        "country__name_en", "user__username"
    )


def access_focal_point_appointment(user: Actor, pk: int | str) -> FocalPoint:
    """Return the appointment ``pk`` if ``user`` may take it away; raise Http404 otherwise."""
    appointments = focal_point_appointments(user)
    if can_manage_roles(user):
        appointments = appointments.exclude(user_id=cast(User, user).pk)
    try:
        return appointments.get(pk=pk)
    except (FocalPoint.DoesNotExist, ValueError, TypeError):
        raise Http404("No such appointment, or it is your own.") from None


# --- Datasets -------------------------------------------------------------------------------
#
# Metadata is visible when the dataset is published, or the user is its uploader or a
# collaborator, a focal point of its owner or a co-owner country, or secretariat. Raw files
# follow the access level while published, and always go to the uploader, collaborators,
# those focal points and holders of an unexpired grant (grants count only while published).
# Every rule below is one SQL condition, so lists, counts, facets and single objects agree.


def _dataset_models():
    # Imported late: access is imported by apps that datasets itself depends on.
    from datasets import models as dataset_models

    return dataset_models


def _contributor_condition(user: Actor) -> Q:
    """Return the rows the user uploaded or collaborates on (verified users only)."""
    models = _dataset_models()
    collaborates = models.Dataset.collaborators.through.objects.filter(
        dataset_id=OuterRef("pk"), user_id=user.pk
    )
    return Q(uploader_id=user.pk) | Q(Exists(collaborates))


def _focal_point_condition(countries: frozenset[str]) -> Q:
    """Return the rows owned or co-owned by one of ``countries``."""
    models = _dataset_models()
    co_owned = models.Dataset.co_owner_countries.through.objects.filter(
        dataset_id=OuterRef("pk"), country_id__in=countries
    )
    return Q(owner_country_id__in=countries) | Q(Exists(co_owned))


def _active_grant_condition(user: Actor, *, now: Any = None) -> Q:
    """Return the rows the user holds an unexpired, unrevoked grant on (directly or by group).

    ``now`` is the moment grants are judged at: this process's clock unless given (``Now()``
    lets the database judge, which keeps the SQL free of a timestamp parameter).
    """
    models = _dataset_models()
    live = {"revoked_at__isnull": True, "expires_at__gt": timezone.now() if now is None else now}
    # A user's own grants: two uncorrelated sets (granted, permitted), each read once with
    # an index, rather than a permission lookup per grant (25 ms at 5,000 grants).
    granted = models.AccessGrant.objects.filter(user_id=user.pk, **live).values("dataset_id")
    permitted = models.DatasetUserObjectPermission.objects.filter(
        user_id=user.pk, permission__codename=DOWNLOAD_PERMISSION
    ).values("content_object_id")
    by_user = Q(pk__in=granted) & Q(pk__in=permitted)
    # Group grants pair each grant with its own group's permission.
    group_permission = models.DatasetGroupObjectPermission.objects.filter(
        content_object_id=OuterRef("dataset_id"),
        group_id=OuterRef("group_id"),
        permission__codename=DOWNLOAD_PERMISSION,
    )
    by_group = models.AccessGrant.objects.filter(
        dataset_id=OuterRef("pk"), group__user=user.pk, **live
    ).filter(Exists(group_permission))
    return by_user | Q(Exists(by_group))


def _metadata_condition(user: Actor) -> Q | None:
    """Return the SQL condition of visible metadata, or None when everything is visible."""
    models = _dataset_models()
    if is_secretariat(user):
        return None
    condition = Q(status=models.DatasetStatus.PUBLISHED)
    if not is_verified(user):
        return condition
    condition |= _contributor_condition(user)
    countries = focal_point_countries(user)
    if countries:
        condition |= _focal_point_condition(countries)
    return condition


def _download_condition(user: Actor, *, now: Any = None) -> Q:
    """Return the SQL condition under which the user may download a dataset's raw files.

    ``now`` as in ``_active_grant_condition``.
    """
    models = _dataset_models()
    level = models.AccessLevel
    published = Q(status=models.DatasetStatus.PUBLISHED)
    if not is_verified(user):
        return published & Q(access_level=level.PUBLIC)
    user = cast(User, user)  # only accounts are verified, never AnonymousUser
    by_level = Q(access_level__in=[level.PUBLIC, level.REGISTERED])
    if user.country_id:
        by_level |= Q(access_level=level.MEMBER_STATES)
        by_level |= Q(access_level=level.COUNTRY, owner_country_id=user.country_id)
    condition = published & (by_level | _active_grant_condition(user, now=now))
    condition |= _contributor_condition(user)
    countries = focal_point_countries(user)
    if countries:
        condition |= _focal_point_condition(countries)
    return condition


DOWNLOAD_PERMISSION = "download_dataset"


def visible_datasets(user: Actor) -> QuerySet:
    """Return the datasets whose metadata ``user`` may see, annotated with ``can_download``."""
    models = _dataset_models()
    datasets = models.Dataset.objects.all()
    condition = _metadata_condition(user)
    if condition is not None:
        datasets = datasets.filter(condition)
    return datasets.annotate(
        can_download=Case(
            When(_download_condition(user), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def listed_datasets(user: Actor) -> QuerySet:
    """Return the datasets for public lists: visible, and published (withdrawn ones vanish)."""
    models = _dataset_models()
    return visible_datasets(user).filter(status=models.DatasetStatus.PUBLISHED)


def access_dataset(user: Actor, pk: int | str | None) -> Any:
    """Return the dataset ``pk`` (with ``can_download``) if visible to ``user``; else Http404."""
    models = _dataset_models()
    try:
        return visible_datasets(user).select_related("owner_country", "uploader").get(pk=pk)
    except (models.Dataset.DoesNotExist, ValueError, TypeError):
        raise Http404("No such dataset.") from None


def can_download(user: Actor, dataset: Any) -> bool:
    """Return True when ``user`` may download the raw files of ``dataset``, as of now."""
    annotated = getattr(dataset, "can_download", None)
    if annotated is not None:
        return bool(annotated)
    models = _dataset_models()
    return models.Dataset.objects.filter(pk=dataset.pk).filter(_download_condition(user)).exists()


def access_data_file(user: Actor, pk: int | str) -> Any:
    """Return the data file ``pk`` (of a dataset or a publication) if ``user`` may download it.

    Raise Http404 otherwise, for missing and forbidden files alike.
    """
    models = _dataset_models()
    try:
        data_file = models.DataFile.objects.select_related("dataset").get(pk=pk)
    except (models.DataFile.DoesNotExist, ValueError, TypeError):
        raise Http404("No such file.") from None
    if data_file.dataset_id is not None:
        datasets = models.Dataset.objects.filter(pk=data_file.dataset_id).filter(
            _download_condition(user)
        )
        if data_file.state == models.FileState.FAILED:
            datasets = datasets.filter(_failed_file_condition(user, data_file))
        allowed = datasets.exists()
    else:
        allowed = (
            _publication_models()
            .Publication.objects.filter(links__data_file=data_file.pk)
            .filter(_publication_download_condition(user))
            .exists()
        )
    if not allowed:
        raise Http404("No such file.")
    return data_file


def _failed_file_condition(user: Actor, data_file: Any) -> Q:
    """Return who may still fetch ``data_file``, which failed processing: its uploader and
    the dataset's uploader and collaborators, who may fetch back what they uploaded.

    A file the hub could not read is not data: nobody else is offered it, reviewers included.
    """
    if not is_verified(user):
        return Q(pk__in=[])
    if data_file.uploaded_by_id == user.pk:
        return Q()
    return _contributor_condition(user)


def is_dataset_contributor(user: Actor, dataset: Any) -> bool:
    """Return True for the uploader and the collaborators of ``dataset`` (verified accounts).

    Reads the prefetched collaborators when they are; otherwise costs one query.
    """
    if not is_verified(user):
        return False
    if dataset.uploader_id == user.pk:
        return True
    return any(collaborator.pk == user.pk for collaborator in dataset.collaborators.all())


def can_download_file(user: Actor, dataset: Any, data_file: Any) -> bool:
    """Return True when ``user`` may download ``data_file`` of ``dataset``.

    The same answer as ``access_data_file``, from loaded rows: pages and the API offer a
    file's download link only when this is True. A failed file goes only to its uploader
    and the dataset's uploader and collaborators (see ``_failed_file_condition``).
    """
    models = _dataset_models()
    if not can_download(user, dataset):
        return False
    if data_file.state != models.FileState.FAILED:
        return True
    return is_verified(user) and (
        data_file.uploaded_by_id == user.pk or is_dataset_contributor(user, dataset)
    )


def can_read_review_comments(user: Actor, dataset: Any) -> bool:
    """Return True when ``user`` may read the reviewers' comments and names on ``dataset``.

    Only the owner side — uploader, collaborators, focal points of the owner and co-owner
    countries — and the secretariat. Everyone else who sees the dataset sees which country
    decided what, and when, but not who or why: comments on a sensitive dataset are where
    reviewers write "the den is 300 m north of the station". Uses the prefetched co-owners
    and collaborators when they are.
    """
    if is_secretariat(user):
        return True
    if not is_verified(user):
        return False
    if focal_point_countries(user).intersection(dataset.country_codes()):
        return True
    return is_dataset_contributor(user, dataset)


def can_edit_dataset(user: Actor, dataset: Any) -> bool:
    """Return True when ``user`` may change ``dataset``'s metadata and files now."""
    if not is_verified(user) or not dataset.is_editable:
        return False
    return dataset.uploader_id == user.pk or dataset.collaborators.filter(pk=user.pk).exists()


def access_editable_dataset(user: Actor, pk: int | str | None) -> Any:
    """Return the dataset ``pk`` if ``user`` may edit it; Http404 if invisible, 403 if frozen."""
    dataset = access_dataset(user, pk)
    if not can_edit_dataset(user, dataset):
        raise PermissionDenied(
            "Only the uploader and collaborators edit a draft or returned dataset."
        )
    return dataset


# --- Four eyes ------------------------------------------------------------------------------
#
# Nobody decides on what they submitted. A country's decision on a dataset is made by its
# focal points who are neither the dataset's uploader nor a collaborator; when the country
# has no such focal point (the only one submitted it, or it has none), by the secretariat,
# who must not have contributed either. Publications: see ``can_review_publication``.


def _deciding_focal_points(*, country: Any, uploader: Any, dataset: Any) -> QuerySet[FocalPoint]:
    """Return the appointments of ``country`` whose holder may decide on a dataset.

    Each argument is a value or, inside a subquery, an expression: ``country`` and
    ``uploader`` are read at the appointment's level, ``dataset`` one level deeper (in the
    collaborators subquery), so a caller in SQL passes ``OuterRef(OuterRef(...))`` for it.
    """
    models = _dataset_models()
    collaborates = models.Dataset.collaborators.through.objects.filter(
        dataset_id=dataset, user_id=OuterRef("user_id")
    )
    return (
        FocalPoint.objects.filter(country_id=country, user__is_active=True)
        .filter(Q(user__status=AccountStatus.VERIFIED) | Q(user__is_superuser=True))
        .exclude(user_id=uploader)
        .exclude(Exists(collaborates))
    )


def secretariat_decides_for(dataset: Any, country_code: str) -> bool:
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


def review_countries(user: Actor, dataset: Any) -> list[str]:
    """Return the countries ``user`` may still decide for on ``dataset``'s current submission.

    Never any for its uploader and collaborators (four eyes). A focal point decides for
    their countries; the secretariat for those that have no other deciding focal point.
    """
    models = _dataset_models()
    if dataset.status != models.DatasetStatus.SUBMITTED or not can_review_datasets(user):
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


def dataset_deciders(dataset: Any) -> list[User]:
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


def datasets_to_review(user: Actor) -> QuerySet:
    """Return submitted datasets still waiting for ``user``'s decision for some country.

    The same rule as ``review_countries``, as one SQL condition: the owner country or a
    co-owner undecided in this round, and ``user`` deciding for it (its focal point, or
    the secretariat when it has no deciding focal point); never ``user``'s own datasets.
    """
    models = _dataset_models()
    countries = focal_point_countries(user)
    secretariat = is_secretariat(user)
    if not countries and not secretariat:
        return models.Dataset.objects.none()
    undecided_owner = ~Q(
        Exists(
            models.ReviewDecision.objects.filter(
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
    co_owner_waiting = (
        models.Dataset.co_owner_countries.through.objects.filter(dataset_id=OuterRef("pk"))
        .filter(mine_as_co_owner)
        .exclude(
            Exists(
                models.ReviewDecision.objects.filter(
                    dataset_id=OuterRef("dataset_id"),
                    review_round=OuterRef("dataset__review_round"),
                    country_id=OuterRef("country_id"),
                )
            )
        )
    )
    waiting = (mine_as_owner & undecided_owner) | Q(Exists(co_owner_waiting))
    return (
        visible_datasets(user)
        .filter(status=models.DatasetStatus.SUBMITTED)
        .filter(waiting)
        .exclude(_contributor_condition(user))
    )


def can_manage_access(user: Actor, dataset: Any) -> bool:
    """Return True for focal points of the owner country: they grant, decline and revoke."""
    return is_focal_point(user, dataset.owner_country_id)


def can_withdraw(user: Actor, dataset: Any) -> bool:
    """Return True when ``user`` may withdraw ``dataset`` (owner's focal point, published)."""
    models = _dataset_models()
    return dataset.status == models.DatasetStatus.PUBLISHED and can_manage_access(user, dataset)


def can_request_access(user: Actor, dataset: Any) -> bool:
    """Return True when ``user`` may ask for access: verified, published, cannot download."""
    models = _dataset_models()
    return (
        is_verified(user)
        and dataset.status == models.DatasetStatus.PUBLISHED
        and not can_download(user, dataset)
    )


def access_requests_to_answer(user: Actor) -> QuerySet:
    """Return pending access requests on datasets of the countries ``user`` is focal point of."""
    models = _dataset_models()
    countries = focal_point_countries(user)
    return models.AccessRequest.objects.filter(
        status=models.RequestStatus.PENDING, dataset__owner_country_id__in=countries
    ).select_related("dataset", "requester", "requester__country")


def access_access_request(user: Actor, pk: int | str) -> Any:
    """Return the pending request ``pk`` if ``user`` answers it; Http404 otherwise."""
    models = _dataset_models()
    try:
        return access_requests_to_answer(user).get(pk=pk)
    except (models.AccessRequest.DoesNotExist, ValueError, TypeError):
        raise Http404("No such access request.") from None


def managed_grants(user: Actor) -> QuerySet:
    """Return the active grants on datasets of the countries ``user`` is focal point of."""
    models = _dataset_models()
    return models.AccessGrant.objects.filter(
        dataset__owner_country_id__in=focal_point_countries(user),
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("dataset", "user", "group", "granted_by")


def access_grant(user: Actor, pk: int | str) -> Any:
    """Return the active grant ``pk`` if ``user`` manages it; Http404 otherwise."""
    models = _dataset_models()
    try:
        return managed_grants(user).get(pk=pk)
    except (models.AccessGrant.DoesNotExist, ValueError, TypeError):
        raise Http404("No such grant.") from None


def grant(*, dataset: Any, until: datetime, granted_by: User, user=None, group=None) -> Any:
    """Give ``user`` or ``group`` the right to download ``dataset`` until ``until``."""
    models = _dataset_models()
    if (user is None) == (group is None):
        raise ValueError("Grant to exactly one user or one group.")
    access_grant_row = models.AccessGrant.objects.create(
        dataset=dataset, user=user, group=group, granted_by=granted_by, expires_at=until
    )
    assign_perm(f"datasets.{DOWNLOAD_PERMISSION}", user or group, dataset)
    return access_grant_row


def revoke(*, grant_row: Any, revoked_by: User | None) -> Any:
    """End ``grant_row`` now; the holder's next request is refused."""
    grant_row.revoked_at = timezone.now()
    grant_row.revoked_by = revoked_by
    grant_row.save(update_fields=["revoked_at", "revoked_by"])
    _drop_permission_if_unused(grant_row)
    return grant_row


def expire_grants() -> int:
    """Drop the guardian permissions of grants that expired; return how many grants ended.

    Expiry already takes effect on the next request (the policy checks the date); this
    keeps the permission rows in step.
    """
    models = _dataset_models()
    expired = models.AccessGrant.objects.filter(
        revoked_at__isnull=True, expires_at__lte=timezone.now()
    )
    count = 0
    for grant_row in expired.select_related("dataset", "user", "group"):
        _drop_permission_if_unused(grant_row)
        count += 1
    return count


def _drop_permission_if_unused(grant_row: Any) -> None:
    models = _dataset_models()
    still_active = models.AccessGrant.objects.filter(
        dataset_id=grant_row.dataset_id,
        user_id=grant_row.user_id,
        group_id=grant_row.group_id,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).exists()
    if not still_active:
        remove_perm(
            f"datasets.{DOWNLOAD_PERMISSION}", grant_row.user or grant_row.group, grant_row.dataset
        )


# --- Publications and events ---------------------------------------------------------------
#
# Metadata is visible once published, or to the uploader, focal points of the uploader's
# country and the secretariat (who review it). Files follow the visibility level while
# published, and always go to those same people.


def _publication_models():
    from publications import models as publication_models

    return publication_models


def _publication_people_condition(user: Actor) -> Q | None:
    """Return who sees an unpublished publication: None when everything (secretariat)."""
    if is_secretariat(user):
        return None
    condition = Q(uploader_id=user.pk)
    countries = focal_point_countries(user)
    if countries:
        condition |= Q(owner_country_id__in=countries)
    return condition


def _publication_download_condition(user: Actor) -> Q:
    models = _publication_models()
    visibility = models.Visibility
    published = Q(status=models.PublicationStatus.PUBLISHED)
    if not is_verified(user):
        return published & Q(visibility=visibility.PUBLIC)
    user = cast(User, user)  # only accounts are verified, never AnonymousUser
    levels = [visibility.PUBLIC, visibility.REGISTERED]
    if user.country_id:
        levels.append(visibility.MEMBER_STATES)
    people = _publication_people_condition(user)
    if people is None:
        return Q(pk__isnull=False)
    return (published & Q(visibility__in=levels)) | people


def visible_publications(user: Actor) -> QuerySet:
    """Return the publications ``user`` may see, annotated with ``can_download``."""
    models = _publication_models()
    publications = models.Publication.objects.all()
    if is_verified(user):
        people = _publication_people_condition(user)
        if people is not None:
            publications = publications.filter(
                Q(status=models.PublicationStatus.PUBLISHED) | people
            )
    else:
        publications = publications.filter(status=models.PublicationStatus.PUBLISHED)
    return publications.annotate(
        can_download=Case(
            When(_publication_download_condition(user), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def listed_publications(user: Actor) -> QuerySet:
    """Return the publications of the library: visible and published."""
    models = _publication_models()
    return visible_publications(user).filter(status=models.PublicationStatus.PUBLISHED)


def access_publication(user: Actor, pk: int | str) -> Any:
    """Return the publication ``pk`` (with ``can_download``) if visible; Http404 otherwise."""
    models = _publication_models()
    try:
        return visible_publications(user).select_related("uploader", "owner_country").get(pk=pk)
    except (models.Publication.DoesNotExist, ValueError, TypeError):
        raise Http404("No such publication.") from None


def can_review_publication(user: Actor, publication: Any) -> bool:
    """Return True for the secretariat and the uploader's country's focal points, while waiting.

    Never for the uploader (four eyes): a focal point's own publication is reviewed by
    another focal point of their country or by the secretariat.
    """
    models = _publication_models()
    if publication.status != models.PublicationStatus.SUBMITTED:
        return False
    if not is_verified(user) or publication.uploader_id == user.pk:
        return False
    return is_secretariat(user) or is_focal_point(user, publication.owner_country_id)


def can_read_publication_review(user: Actor, publication: Any) -> bool:
    """Return True when ``user`` may read the reviewer's comment on ``publication``.

    The uploader, focal points of its country and the secretariat: as for datasets, a
    comment is written for the people who answer it, not for the public.
    """
    if is_secretariat(user):
        return True
    if not is_verified(user):
        return False
    return publication.uploader_id == user.pk or is_focal_point(user, publication.owner_country_id)


def can_review_publications(user: Actor) -> bool:
    """Return True for those who review publications: the secretariat and focal points."""
    return is_secretariat(user) or is_focal_point(user)


def publications_to_review(user: Actor) -> QuerySet:
    """Return the submitted publications ``user`` reviews (never their own uploads)."""
    models = _publication_models()
    waiting = (
        visible_publications(user)
        .filter(status=models.PublicationStatus.SUBMITTED)
        .exclude(uploader_id=user.pk)
    )
    if is_secretariat(user):
        return waiting
    countries = focal_point_countries(user)
    return waiting.filter(owner_country_id__in=countries) if countries else waiting.none()


def can_edit_publication(user: Actor, publication: Any) -> bool:
    """Return True for the uploader while waiting or returned, and for the secretariat."""
    models = _publication_models()
    if is_secretariat(user):
        return True
    return (
        is_verified(user)
        and publication.uploader_id == user.pk
        and publication.status != models.PublicationStatus.PUBLISHED
    )


def can_curate_events(user: Actor) -> bool:
    """Return True for the secretariat, who create and edit events and their materials."""
    return is_secretariat(user)


def can_upload_publications(user: Actor) -> bool:
    """Return True for verified accounts (researchers of a State or a partner organisation)."""
    return is_verified(user)


def visible_materials(user: Actor) -> QuerySet:
    """Return event materials whose publication ``user`` may see (links are always visible)."""
    models = _publication_models()
    visible = visible_publications(user).filter(status=models.PublicationStatus.PUBLISHED)
    return models.Material.objects.filter(
        Q(publication__isnull=True) | Q(publication__in=visible.values("pk"))
    )


# --- Search ---------------------------------------------------------------------------------
#
# A search document holds copies of its object's fields for ranking, facets and its indexes;
# who finds a document, and who may match its file text, is decided here on the live rows
# of its publication, dataset or event, by the same conditions as lists and downloads. An
# edit that no reindex followed can therefore hide a document, never show one.


def _on_related(condition: Q, relation: str) -> Q:
    """Return ``condition``, written for a model, as a condition on its ``relation``.

    Only lookups are rewritten: a condition holding a subquery raises TypeError, since its
    references to the outer row would still point at the model.
    """
    related = Q(_connector=condition.connector, _negated=condition.negated)
    for child in condition.children:
        if isinstance(child, Q):
            related.children.append(_on_related(child, relation))
        elif isinstance(child, tuple):
            lookup, value = child
            related.children.append((f"{relation}__{lookup}", value))
        else:
            raise TypeError(f"Cannot rewrite {child!r} for {relation}: write it as lookups.")
    return related


def _search_found_condition() -> Q:
    """Return the documents anyone may find: events, and published publications and datasets.

    Search lists what lists list (``listed_publications``, ``listed_datasets``): published
    objects, whose metadata is public. Read through joins on the documents' own keys.
    """
    publications = _publication_models()
    datasets = _dataset_models()
    return (
        Q(event_id__isnull=False)
        | Q(publication__status=publications.PublicationStatus.PUBLISHED)
        | Q(dataset__status=datasets.DatasetStatus.PUBLISHED)
    )


def _search_content_condition(user: Actor) -> Q:
    """Return the documents whose file text ``user`` may match: those whose files they may
    download, by the download rule of the live publication or dataset (events have none).

    The publication's rule is read on the joined row; the dataset's, which asks grants,
    collaborators and co-owners, as a subquery. Grants are judged at the database's clock
    (``Now()``), so that the statement depends on ``search_documents_key(user)`` alone.
    """
    datasets = _dataset_models()
    downloadable_dataset = datasets.Dataset.objects.filter(pk=OuterRef("dataset_id")).filter(
        _download_condition(user, now=Now())
    )
    publication_rule = _on_related(_publication_download_condition(user), "publication")
    return (Q(publication_id__isnull=False) & publication_rule) | (
        Q(dataset_id__isnull=False) & Q(Exists(downloadable_dataset))
    )


def visible_search_documents(user: Actor) -> QuerySet:
    """Return the search documents of objects ``user`` may find, with ``can_read_content``.

    Found: events, and publications and datasets published now (``_search_found_condition``);
    a document's file text may be matched only by someone who may download its files now
    (``_search_content_condition``). Both read the live rows. The document's own
    ``published`` copy narrows the candidates to those its partial indexes hold: a copy
    that lags behind its object hides it until the reindex, and cannot widen access.
    """
    from search.models import SearchDocument

    return (
        SearchDocument.objects.filter(published=True)
        .filter(_search_found_condition())
        .annotate(
            can_read_content=Case(
                When(_search_content_condition(user), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )


def search_documents_key(user: Actor) -> tuple:
    """Return everything about ``user`` that ``visible_search_documents`` reads.

    Users with equal keys get the same SQL with the same parameters (the objects' state,
    grants, collaborators and co-owners are read by the statement itself), so a statement
    compiled for one may be reused for the other. Change this together with
    ``visible_search_documents``.
    """
    if not is_verified(user):
        return ("visitor",)
    return (
        "verified",
        user.pk,
        user.country_id,
        tuple(sorted(focal_point_countries(user))),
        is_secretariat(user),
    )


# --- Occurrences ----------------------------------------------------------------------------
#
# Locations leave the server only through here. People who may download a dataset's files
# get its records as held (``Occurrence``); everyone else gets the public form decided when
# the records were stored (``PublicOccurrence``, built by ``datasets.locations``), which has
# no exact column: every filter, count, extent and cluster for them is computed on it. The
# exact table is queried only with the ids of datasets the user may download.

#: Largest rounding error of each public grid in metres (Chapman & Wieczorek 2020).
GRID_UNCERTAINTY_M = {0.1: 15_691, 0.01: 1_570, 0.001: 157}
MAX_OCCURRENCES = 5000

_WITHHELD_REASONS = {
    "camera_station": "camera-station coordinates",
    "collar_fix": "collar fixes younger than 180 days",
    "species": "locations of this species",
}


@dataclass(frozen=True)
class OccurrenceFilters:
    """What a caller narrows occurrences to; every field is applied to what the user gets."""

    dataset: int | None = None
    species: str | None = None
    year: int | None = None
    #: (west, south, east, north) in degrees.
    bbox: tuple[float, float, float, float] | None = None


def occurrence_datasets(
    user: Actor, *, dataset: int | None = None, published_only: bool = False
) -> tuple[list[int], QuerySet]:
    """Return the ids of datasets whose exact records ``user`` may read, and the others.

    The first are the visible datasets with records that ``user`` may download; the
    second, a subquery of the visible datasets ``user`` may not download (public form only).
    """
    models = _dataset_models()
    visible = listed_datasets(user) if published_only else visible_datasets(user)
    if dataset is not None:
        visible = visible.filter(pk=dataset)
    with_records = models.PublicOccurrence.objects.filter(dataset_id=OuterRef("pk"))
    exact = list(
        visible.filter(can_download=True)
        .filter(Exists(with_records))
        .values_list("pk", flat=True)
        .order_by()
    )
    return exact, visible.filter(can_download=False).values("pk")


def occurrence_summaries(
    user: Actor, *, published_only: bool = False
) -> "PublicOccurrenceQuerySet":
    """Return the public rows of every visible dataset: for counts by species, year, month.

    They carry the number of records (``records``) and their dates, never a location that
    the public form does not already give; use them for figures, not for points.
    """
    models = _dataset_models()
    visible = listed_datasets(user) if published_only else visible_datasets(user)
    return models.PublicOccurrence.objects.filter(dataset__in=visible.values("pk"))


def _exact_features(ids: list[int], filters: OccurrenceFilters, limit: int) -> list[dict]:
    models = _dataset_models()
    rows = models.Occurrence.objects.filter(dataset_id__in=ids)
    if filters.species:
        rows = rows.filter(species__code=filters.species)
    if filters.year is not None:
        rows = rows.filter(event_date__year=filters.year)
    if filters.bbox:
        west, south, east, north = filters.bbox
        rows = rows.filter(
            latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
        )
    values = rows.order_by("pk").values_list(
        "dataset_id", "scientific_name", "species__code", "event_date", "latitude", "longitude"
    )[:limit]
    return [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
            "properties": {
                "dataset": dataset_id,
                "scientificName": name,
                "species": code,
                "eventDate": day.isoformat() if day else None,
            },
        }
        for dataset_id, name, code, day, latitude, longitude in values
    ]


def _public_feature(row: dict, today) -> dict:
    first, last = row["first_date"], row["last_date"]
    when = None
    if first:
        when = first.isoformat() if first == last else f"{first.isoformat()}/{last.isoformat()}"
    properties: dict[str, Any] = {
        "dataset": row["dataset_id"],
        "scientificName": row["species__scientific_name"] or "",
        "species": row["species__code"],
        "eventDate": when,
        "recordCount": row["records"],
    }
    embargoed = row["public_from"] is not None and row["public_from"] > today
    if row["withheld"] or embargoed:
        reason = _WITHHELD_REASONS["collar_fix" if embargoed else row["withheld"]]
        properties["informationWithheld"] = (
            f"Coordinates withheld: {reason} are sensitive. Ask the owner country for access."
        )
        return {"type": "Feature", "geometry": None, "properties": properties}
    grid = row["grid"]
    if grid:
        properties["coordinatePrecision"] = grid
        properties["coordinateUncertaintyInMeters"] = GRID_UNCERTAINTY_M.get(grid, 15_691) + 30
        subject = properties["scientificName"] or "a name that could not be resolved"
        properties["dataGeneralizations"] = (
            f"Coordinates generalized to a {grid:g} degree grid: {subject} is treated as a "
            "sensitive species. Exact data may be available on request."
        )
        properties["informationWithheld"] = "Exact coordinates withheld."
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
        "properties": properties,
    }


def filter_public(
    rows: "PublicOccurrenceQuerySet", filters: OccurrenceFilters, today=None
) -> "PublicOccurrenceQuerySet":
    """Return public rows narrowed by ``filters``, judged on their public form only.

    A box keeps only rows with a public point inside it today: withheld records and collar
    fixes under embargo have none, so a box cannot tell anything about them.
    """
    if filters.species:
        rows = rows.filter(species__code=filters.species)
    if filters.year is not None:
        rows = rows.filter(year=filters.year)
    if filters.bbox:
        west, south, east, north = filters.bbox
        rows = rows.shown(today).filter(
            latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
        )
    return rows


def occurrences_for(
    user: Actor,
    *,
    dataset: int | None = None,
    species: str | None = None,
    year: int | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    published_only: bool = False,
) -> list[dict]:
    """Return GeoJSON features of the occurrences ``user`` may see, generalized as needed.

    Datasets ``user`` may download give one feature per record, exact. The others give one
    feature per row of their public form: a point on the species' grid (or none, withheld)
    with the dates and number of records it stands for (``recordCount``). Every filter is
    applied to what the user receives; ``year`` is the year of the event date.
    """
    filters = OccurrenceFilters(dataset=dataset, species=species, year=year, bbox=bbox)
    exact_ids, public = occurrence_datasets(user, dataset=dataset, published_only=published_only)
    features = _exact_features(exact_ids, filters, MAX_OCCURRENCES) if exact_ids else []
    room = MAX_OCCURRENCES - len(features)
    if room > 0:
        models = _dataset_models()
        today = timezone.localdate()
        rows = filter_public(
            models.PublicOccurrence.objects.filter(dataset__in=public), filters, today
        )
        values = rows.order_by("pk").values(
            "dataset_id",
            "species__code",
            "species__scientific_name",
            "first_date",
            "last_date",
            "latitude",
            "longitude",
            "grid",
            "withheld",
            "public_from",
            "records",
        )[:room]
        features.extend(_public_feature(row, today) for row in values)
    return features


# --- Audit ----------------------------------------------------------------------------------


def can_read_audit(user: Actor) -> bool:
    """Return True for those who read an audit log: the secretariat and focal points."""
    return is_secretariat(user) or is_focal_point(user)


def visible_audit_events(user: Actor) -> QuerySet:
    """Return the audit events ``user`` may read: the secretariat all, focal points their own."""
    from access.models import AuditEvent

    events = AuditEvent.objects.select_related("actor")
    if is_secretariat(user):
        return events
    countries = focal_point_countries(user)
    if countries:
        return events.filter(country__in=countries)
    return events.none()
