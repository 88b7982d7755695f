"""The public list pages as visitors see them, kept in the cache.

A visitor (not signed in) sees only published metadata, the same for every visitor: the
rendered page of an unfiltered list (``_KEPT_QUERY``) is kept under its path, page number
and language, and the *generation* of the content. Every change of a dataset,
publication, event, species or site, and of their tags and files, starts a new
generation, and again once its transaction commits (``bump``), so the next visitor gets
a fresh page: a withdrawn dataset leaves the list at once. ``TIMEOUT`` bounds what a
change made without signals (a bulk update) could leave. A process that could not bump
because Redis was down bumps once Redis answers again (``neaspec_portal.cache``).

Nothing on such a page may differ between visitors: a page showing one-time messages, or
holding a CSRF token (a form that posts), is neither served from nor stored in the cache.
The language switcher is a GET for that reason (``neaspec_portal.language``).
"""

import functools
import re
import uuid

from django.apps import apps
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from neaspec_portal import cache as redis_cache

TIMEOUT = 300
#: The requests kept: a list's first 50 pages, unfiltered. Filters and free text would let
#: anyone fill the cache with one page per invented query.
_KEPT_QUERY = re.compile(r"(?:page=(?:[1-9]|[1-4][0-9]|50))?")
#: The apps whose rows the public pages show.
CONTENT_APPS = ("datasets", "publications", "species")
_GENERATION_KEY = "page-cache:generation"


def bump() -> None:
    """Start a new generation: every page cached before is out of date."""
    cache.set(_GENERATION_KEY, uuid.uuid4().hex, None)


def _bump_now_and_on_commit(**_kwargs) -> None:
    # Now, for this transaction's own later reads; on commit, for the pages another
    # request rendered from the rows as they were until then.
    bump()
    transaction.on_commit(bump)


def connect() -> None:
    """Bump the generation whenever a row of ``CONTENT_APPS`` or its tags change."""
    for label in CONTENT_APPS:
        for model in apps.get_app_config(label).get_models():
            uid = f"page-cache:{model._meta.label}"
            post_save.connect(_bump_now_and_on_commit, sender=model, dispatch_uid=uid + ":save")
            post_delete.connect(_bump_now_and_on_commit, sender=model, dispatch_uid=uid + ":delete")
    m2m_changed.connect(_bump_now_and_on_commit, dispatch_uid="page-cache:m2m")
    # A bump lost while Redis was down would leave the pages of before in the cache.
    redis_cache.on_recovery(bump)


def _cacheable(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and _KEPT_QUERY.fullmatch(request.META.get("QUERY_STRING", "")) is not None
        and not request.user.is_authenticated
        and not len(messages.get_messages(request))
    )


def visitor_page(view):
    """Serve ``view``'s page to visitors from the cache (see the module's docstring)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = "page-cache:{}:{}?{}".format(
            get_language(), request.path, request.META.get("QUERY_STRING", "")
        )
        # One round trip: the page, and the generation it must have been rendered in.
        found = cache.get_many([_GENERATION_KEY, key])
        generation = found.get(_GENERATION_KEY)
        if generation is None:
            generation = uuid.uuid4().hex
            if not cache.add(_GENERATION_KEY, generation, None):
                generation = cache.get(_GENERATION_KEY)
        page = found.get(key)
        if page is None or page[0] != generation:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming or response.cookies:
                return response
            content = response.content.decode(response.charset)
            if "csrfmiddlewaretoken" not in content:
                cache.set(key, (generation, content, response["Content-Type"]), TIMEOUT)
            return response
        _generation, content, content_type = page
        return HttpResponse(content, content_type=content_type)

    return wrapper
