"""The address browsers and feed readers ask for the site's icon without reading the page."""

from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Send ``/favicon.ico`` on to the icon among the static files (hashed in production)."""
    return HttpResponsePermanentRedirect(static("img/favicon.ico"))
