"""Helpers of the Content-Security-Policy (the header itself comes from django-csp)."""

import re
from urllib.parse import urlsplit


def source_of(url: str) -> list[str]:
    """Return the CSP source list that allows loading from ``url``'s host.

    A Leaflet ``{s}`` subdomain placeholder becomes a ``*.`` wildcard; a relative URL
    (tiles served by the portal itself) needs nothing beyond ``'self'``, so the list is empty.
    """
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return []
    host = re.sub(r"^\{[a-z]+\}\.", "*.", parts.netloc)
    return [f"{parts.scheme}://{host}"]
