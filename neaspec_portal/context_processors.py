"""Template context every page needs: roles for the menu and the counts beside them."""

from django.conf import settings
from django.http import HttpRequest

from access import policy


def portal(request: HttpRequest) -> dict:
    """Return the roles and to-do counts of the menu: one query per count shown."""
    user = request.user
    can_review_accounts = policy.can_review_accounts(user)
    is_focal_point = policy.is_focal_point(user)
    is_secretariat = policy.is_secretariat(user)
    can_review_publications = policy.can_review_publications(user)
    can_review_datasets = policy.can_review_datasets(user)
    return {
        "is_focal_point": is_focal_point,
        "is_secretariat_user": is_secretariat,
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
        "portal_name": settings.PORTAL_NAME,
        # Each language named in its own script, whatever the page's language.
        "language_choices": settings.LANGUAGES,
        "is_verified_user": policy.is_verified(user),
        "can_review_accounts": can_review_accounts,
        "pending_accounts_count": (
            policy.accounts_to_verify(user).count() if can_review_accounts else 0
        ),
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
