"""List pages kept in the cache for signed-in accounts, one copy per account.

A visitor's list page is the same for every visitor (``neaspec_portal.page_cache``); an
account's is not: it shows what *they* may download and the menu of *their* roles. So each
account gets its own copy of an unfiltered list page, under its id, the page's path and
number and the language, stamped with everything the page was rendered from:

- the content's generation (``page_cache.GENERATION_KEY``): every change of a dataset, its
  grants (rows and django-guardian permissions), access requests, publications, events,
  species and sites starts a new one, so a grant, a revocation or a withdrawal shows at once;
- the people's generation (``page_cache.PEOPLE_KEY``): every change of an account, a focal-point or
  secretariat role, a group membership or an authenticator starts a new one;
- the session's fingerprint: the password hash the session was signed in with, the CSRF
  secret the page's forms carry, and whether the session gave a second factor;
- a deadline: the moment the soonest of the account's grants lapses
  (``policy.next_grant_expiry``), since an expiry changes what they may download without
  any write, and at most ``page_cache.TIMEOUT`` seconds.

A copy whose stamp differs from the current one, or whose deadline has passed, is rendered
again. Both generations are read with the page in one round trip, *before* rendering, so a
change committed during a render leaves that render unused. Pages showing a one-time
message or setting a cookie are neither served from nor stored in the cache, as for
visitors. ``FAST_PAGES = False`` turns this off (the benchmark's "before").
"""

import functools
import hashlib
import time

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from access import policy
from neaspec_portal import page_cache


def _fingerprint(request: HttpRequest) -> str:
    verified = getattr(request.user, "is_verified", None)
    parts = [
        str(request.session.get(HASH_SESSION_KEY, "")),
        str(request.META.get("CSRF_COOKIE", "")),
        "2fa" if callable(verified) and verified() else "",
    ]
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def _deadline(request: HttpRequest) -> float:
    deadline = time.time() + page_cache.TIMEOUT
    expiry = policy.next_grant_expiry(request.user)
    return deadline if expiry is None else min(deadline, expiry.timestamp())


def _member_page(view, request: HttpRequest, *args, **kwargs) -> HttpResponse:
    key = "page-cache:member:{}:{}:{}?{}".format(
        request.user.pk, get_language(), request.path, request.META.get("QUERY_STRING", "")
    )
    # One round trip: the page and both generations it must have been rendered in.
    found = cache.get_many([page_cache.GENERATION_KEY, page_cache.PEOPLE_KEY, key])
    stamp = (
        page_cache.generation(found, page_cache.GENERATION_KEY),
        page_cache.generation(found, page_cache.PEOPLE_KEY),
        _fingerprint(request),
    )
    kept = found.get(key)
    if kept is not None and kept[0] == stamp and time.time() < kept[1]:
        _stamp, _deadline_at, content, content_type = kept
        return HttpResponse(content, content_type=content_type)
    deadline = _deadline(request)  # before rendering: a grant lapsing meanwhile counts
    response = view(request, *args, **kwargs)
    if response.status_code != 200 or response.streaming or response.cookies:
        return response
    timeout = int(deadline - time.time())
    if timeout > 0:
        content = response.content.decode(response.charset)
        cache.set(key, (stamp, deadline, content, response["Content-Type"]), timeout)
    return response


def list_page(view):
    """Serve ``view``'s page from the cache: visitors share one copy
    (``page_cache.visitor_page``), each account has its own (see the module's docstring)."""
    for_visitors = page_cache.visitor_page(view)

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return for_visitors(request, *args, **kwargs)
        if not settings.FAST_PAGES or not page_cache.cacheable(request):
            return view(request, *args, **kwargs)
        return _member_page(view, request, *args, **kwargs)

    return wrapper
