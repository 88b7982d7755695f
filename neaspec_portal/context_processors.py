"""Template context every page needs: roles for the menu and the counts beside them.

An account's roles and counts are kept in the cache under its id, stamped with the
content's and the people's generations (``neaspec_portal.page_cache``): a submission, a
review, an access request, a registration or a role change starts a new generation of one
of them, and the next page counts again. Nothing in them depends on the clock or the
language.
"""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from access import policy
from neaspec_portal import page_cache


def _menu(user) -> dict:
    """Return the roles and to-do counts of the menu: one query per count shown."""
    can_review_accounts = policy.can_review_accounts(user)
    is_focal_point = policy.is_focal_point(user)
    can_review_publications = policy.can_review_publications(user)
    can_review_datasets = policy.can_review_datasets(user)
    return {
        "is_focal_point": is_focal_point,
        "is_secretariat_user": policy.is_secretariat(user),
        "can_review_publications": can_review_publications,
        "can_read_audit": policy.can_read_audit(user),
        "can_review_datasets": can_review_datasets,
        "can_manage_roles": policy.can_manage_roles(user),
        "datasets_to_review_count": (
            policy.datasets_to_review(user).count() if can_review_datasets else 0
        ),
        "access_requests_count": (
            policy.access_requests_to_answer(user).count() if is_focal_point else 0
        ),
        "publications_to_review_count": (
            policy.publications_to_review(user).count() if can_review_publications else 0
        ),
        "is_verified_user": policy.is_verified(user),
        "can_review_accounts": can_review_accounts,
        "pending_accounts_count": (
            policy.accounts_to_verify(user).count() if can_review_accounts else 0
        ),
        # Offer "Share a dataset" only to those the upload accepts (no dead end).
        "can_share_datasets": policy.is_member_state_researcher(user),
    }


def _kept_menu(user) -> dict:
    """Return ``_menu(user)``, from the cache when neither generation changed since."""
    key = f"menu:{user.pk}"
    found = cache.get_many([page_cache.GENERATION_KEY, page_cache.PEOPLE_KEY, key])
    stamp = (
        page_cache.generation(found, page_cache.GENERATION_KEY),
        page_cache.generation(found, page_cache.PEOPLE_KEY),
    )
    kept = found.get(key)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    menu = _menu(user)  # the stamp was read first: a change meanwhile leaves this unused
    cache.set(key, (stamp, menu), page_cache.TIMEOUT)
    return menu


def portal(request: HttpRequest) -> dict:
    """Return the menu's roles and counts, and the portal's names and map tiles."""
    user = request.user
    signed_in = user.is_authenticated and settings.FAST_PAGES
    return {
        **(_kept_menu(user) if signed_in else _menu(user)),
        "portal_name": settings.PORTAL_NAME,
        # Each language named in its own script, whatever the page's language.
        "language_choices": settings.LANGUAGES,
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
