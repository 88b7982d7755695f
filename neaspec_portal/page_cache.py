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
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from neaspec_portal import cache as redis_cache

TIMEOUT = 300
#: The requests kept: a list's first 50 pages, unfiltered. Filters and free text would let
#: anyone fill the cache with one page per invented query.
_KEPT_QUERY = re.compile(r"(?:page=(?:[1-9]|[1-4][0-9]|50))?")
#: The apps whose rows the public pages show.
CONTENT_APPS = ("datasets", "publications", "species")
_GENERATION_KEY = "page-cache:generation"
#: The key of the content's generation, for the other caches that follow it.
GENERATION_KEY = _GENERATION_KEY


def bump() -> None:
    """Start a new generation: every page cached before is out of date."""
    cache.set(_GENERATION_KEY, uuid.uuid4().hex, None)


def generation(found: dict, key: str) -> str:
    """Return the generation under ``key`` read into ``found`` (``cache.get_many``), or start
    one when there is none yet (a fresh or emptied cache)."""
    current = found.get(key)
    if current is None:
        current = uuid.uuid4().hex
        if not cache.add(key, current, None):
            current = cache.get(key) or current
    return current


def cacheable(request: HttpRequest) -> bool:
    """Return True for a GET of an unfiltered list page (of at most 50 pages) showing no
    one-time message: the requests whose page may be kept, for visitors or per account."""
    return (
        request.method in ("GET", "HEAD")
        and _KEPT_QUERY.fullmatch(request.META.get("QUERY_STRING", "")) is not None
        and not len(messages.get_messages(request))
    )


def _bump_now_and_on_commit(**_kwargs) -> None:
    # Now, for this transaction's own later reads; on commit, for the pages another
    # request rendered from the rows as they were until then.
    bump()
    transaction.on_commit(bump)


def connect() -> None:
    """Bump the generation whenever a row of ``CONTENT_APPS`` or its tags change, and the
    people's generation (``PEOPLE_KEY``, the pages kept per account) whenever a row of
    ``PEOPLE_APPS`` does."""
    for label in CONTENT_APPS:
        for model in apps.get_app_config(label).get_models():
            uid = f"page-cache:{model._meta.label}"
            post_save.connect(_bump_now_and_on_commit, sender=model, dispatch_uid=uid + ":save")
            post_delete.connect(_bump_now_and_on_commit, sender=model, dispatch_uid=uid + ":delete")
    m2m_changed.connect(_bump_now_and_on_commit, dispatch_uid="page-cache:m2m")
    # A bump lost while Redis was down would leave the pages of before in the cache.
    redis_cache.on_recovery(bump)
    connect_people()


PEOPLE_KEY = "page-cache:people"
#: The apps whose rows say who someone is: accounts and roles, groups, authenticators.
PEOPLE_APPS = ("accounts", "auth", "otp_totp", "otp_static")
#: A save that changes only these fields changes nothing any page shows.
_UNSEEN_FIELDS = frozenset({"last_login"})


def bump_people() -> None:
    """Start a new people's generation: every account's kept pages are out of date."""
    cache.set(PEOPLE_KEY, uuid.uuid4().hex, None)


def _bump_people_now_and_on_commit(sender, **kwargs) -> None:
    update_fields = kwargs.get("update_fields")
    if update_fields and frozenset(update_fields) <= _UNSEEN_FIELDS:
        return
    if sender._meta.app_label not in PEOPLE_APPS:  # the tags of a dataset, say
        return
    bump_people()
    transaction.on_commit(bump_people)


def connect_people() -> None:
    """Bump the people's generation whenever a row of ``PEOPLE_APPS`` changes."""
    for label in PEOPLE_APPS:
        if not apps.is_installed(f"django_otp.plugins.{label}") and label.startswith("otp_"):
            continue
        for model in apps.get_app_config(label).get_models():
            uid = f"page-cache:people:{model._meta.label}"
            post_save.connect(
                _bump_people_now_and_on_commit, sender=model, dispatch_uid=uid + ":save"
            )
            post_delete.connect(
                _bump_people_now_and_on_commit, sender=model, dispatch_uid=uid + ":delete"
            )
    # Group memberships and permissions are many-to-many rows of the user.
    m2m_changed.connect(_bump_people_now_and_on_commit, dispatch_uid="page-cache:people:m2m")
    redis_cache.on_recovery(bump_people)


def fragments(names: list[str], draw: Callable[[list[str]], dict[str, str]]) -> list[str]:
    """Return the HTML of each of ``names``, kept per language for as long as the content's
    generation lasts (``TIMEOUT`` at most); ``draw`` is given the names not kept and returns
    their HTML.

    For parts of a page that are the same for everyone who sees them: a list's filters, a
    dataset's card. A name says everything the HTML depends on besides the content and the
    language, and must come from a bounded set (rows, fixed names), never from free text.
    """
    language = get_language()
    keys = {name: f"page-cache:fragment:{language}:{name}" for name in names}
    found = cache.get_many([_GENERATION_KEY, *keys.values()])
    current = generation(found, _GENERATION_KEY)
    kept = {}
    for name, key in keys.items():
        entry = found.get(key)
        if entry is not None and entry[0] == current:
            kept[name] = entry[1]
    missing = [name for name in names if name not in kept]
    if missing:
        drawn = {name: str(html) for name, html in draw(missing).items()}
        cache.set_many({keys[name]: (current, html) for name, html in drawn.items()}, TIMEOUT)
        kept.update(drawn)
    # Drawn by templates, which escaped what they had to.
    return [mark_safe(kept[name]) for name in names]  # noqa: S308


def fragment(name: str, draw: Callable[[], str]) -> str:
    """Return the HTML that ``draw`` makes, kept under ``name`` as ``fragments`` keeps it."""
    return fragments([name], lambda _missing: {name: draw()})[0]


class KeptCountPaginator(Paginator):
    """A paginator whose count is kept as ``fragments`` keeps HTML, under ``name``.

    For a list whose rows are the same for every reader (the unfiltered list of published,
    current datasets): any change of the content starts a new generation, so the count is
    counted again on the next page drawn.
    """

    def __init__(self, object_list, per_page: int, *, name: str) -> None:
        super().__init__(object_list, per_page)
        self.name = name

    @cached_property
    def count(self) -> int:
        return int(fragment(self.name, lambda: str(Paginator(self.object_list, 1).count)))


def _visitor_key(request: HttpRequest) -> str:
    return "page-cache:{}:{}?{}".format(
        get_language(), request.path, request.META.get("QUERY_STRING", "")
    )


def _cacheable(request: HttpRequest) -> bool:
    return not request.user.is_authenticated and cacheable(request)


def visitor_page(view):
    """Serve ``view``'s page to visitors from the cache (see the module's docstring)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _visitor_key(request)
        # One round trip: the page, and the generation it must have been rendered in.
        found = cache.get_many([_GENERATION_KEY, key])
        current = generation(found, _GENERATION_KEY)
        page = found.get(key)
        if page is None or page[0] != current:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming or response.cookies:
                return response
            content = response.content.decode(response.charset)
            if "csrfmiddlewaretoken" not in content:
                cache.set(key, (current, content, response["Content-Type"]), TIMEOUT)
                response.kept_for_visitors = (key, current, content, False)  # type: ignore[attr-defined]
            return response
        response = HttpResponse(page[1], content_type=page[2])
        # Tell the middleware that this path is kept, and whether the headers are yet.
        response.kept_for_visitors = (key, current, page[1], len(page) == _WITH_HEADERS)  # type: ignore[attr-defined]
        return response

    return wrapper


#: Headers that belong to one answer, never to a kept page.
_OWN_HEADERS = frozenset({"set-cookie", "content-length", "date"})
#: A page kept with its headers: (generation, content, content type, headers, deadline).
_WITH_HEADERS = 5
#: Pages a process holds a copy of (about 50 KB each), besides the shared cache.
LOCAL_PAGES = 256


class VisitorPageMiddleware:
    """Answer a visitor with a kept page before the middleware that only accounts need.

    Sits right after ``LocaleMiddleware`` (the page's language is chosen). A request
    without a session cookie or a one-time message cannot be anyone's but a visitor's, so
    the checks below it (CSRF, sign-in, second factor, idempotency, Axes) have nothing to
    do for it, and it gets the page ``visitor_page`` kept, with the headers the middleware
    below added when the page was drawn (X-Frame-Options, say). Only the paths this process
    has seen kept are looked up: other pages cost no round trip to Redis.

    The process also holds its own copy of the pages it served (``LOCAL_PAGES`` at most):
    it then reads only the content's generation from Redis, a few bytes rather than the
    page, and answers with its copy when the generation is the one the copy was drawn in and
    the copy's deadline (the shared copy's, ``TIMEOUT``) has not passed. A change anywhere
    starts a new generation, so every process drops its copies at once, as Redis does.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.kept_paths: set[str] = set()
        self.local: OrderedDict[str, tuple] = OrderedDict()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._is_visitors(request):
            page = self._kept(_visitor_key(request))
            if page is not None:
                response = HttpResponse(page[1], content_type=page[2])
                for name, value in page[3]:
                    response[name] = value
                return response
        response = self.get_response(request)
        kept = getattr(response, "kept_for_visitors", None)
        if kept is not None and settings.FAST_PAGES:
            self.kept_paths.add(request.path)
            key, current, content, with_headers = kept
            if with_headers:
                return response
            headers = [
                (name, value)
                for name, value in response.items()
                if name.lower() not in _OWN_HEADERS and name.lower() != "content-type"
            ]
            page = (current, content, response["Content-Type"], headers, time.time() + TIMEOUT)
            cache.set(key, page, TIMEOUT)
            self._remember(key, page)
        return response

    def _kept(self, key: str) -> tuple | None:
        """Return the kept page under ``key`` if drawn in the current generation."""
        local = self.local.get(key)
        if local is not None:
            if time.time() < local[4] and cache.get(_GENERATION_KEY) == local[0]:
                self.local.move_to_end(key)
                return local
            del self.local[key]
        found = cache.get_many([_GENERATION_KEY, key])
        page = found.get(key)
        if page is None or len(page) != _WITH_HEADERS or page[0] != found.get(_GENERATION_KEY):
            return None
        self._remember(key, page)
        return page

    def _remember(self, key: str, page: tuple) -> None:
        self.local[key] = page
        self.local.move_to_end(key)
        while len(self.local) > LOCAL_PAGES:
            self.local.popitem(last=False)

    def _is_visitors(self, request: HttpRequest) -> bool:
        return (
            settings.FAST_PAGES
            and request.path in self.kept_paths
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "messages" not in request.COOKIES
            and _KEPT_QUERY.fullmatch(request.META.get("QUERY_STRING", "")) is not None
        )
