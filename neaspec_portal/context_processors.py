"""Template context every page needs: roles for the menu and the counts beside them."""

from django.conf import settings
from django.http import HttpRequest

from access import policy


def portal(request: HttpRequest) -> dict:
    user = request.user
    can_review_accounts = policy.can_review_accounts(user)
    return {
        "portal_name": settings.PORTAL_NAME,
        "is_verified_user": policy.is_verified(user),
        "can_review_accounts": can_review_accounts,
        "pending_accounts_count": (
            policy.accounts_to_verify(user).count() if can_review_accounts else 0
        ),
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
