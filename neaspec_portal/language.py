"""The language switcher: a GET, so that the pages visitors see carry no CSRF token.

Choosing a language changes nothing but the chooser's own display (one cookie), as a
link on GOV.UK does; Django's POST-only ``set_language`` stays at its own URL.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

from neaspec_portal import params

#: Where to go back to, and the language chosen; anything else is ignored.
CHOICE = (
    params.text("next", max_length=2000),
    params.choice("language", [code for code, _name in settings.LANGUAGES]),
)


def choose_language(request: HttpRequest) -> HttpResponseRedirect:
    """Set the language cookie to ``?language=`` and go back to ``?next=`` (this site only)."""
    values = params.read(request.GET, CHOICE, strict=False)
    next_url = values["next"] or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    language = values["language"]
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
