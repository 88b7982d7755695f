"""Type helpers shared by the apps (used only for static type checking)."""

from django.http import HttpRequest

from accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """Describe a request that ``login_required`` guarantees has a signed-in account."""

    user: User
