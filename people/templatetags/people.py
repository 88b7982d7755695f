"""Template helpers of people: link an author's or speaker's name to a public profile.

``{% person_link author.name %}`` prints the name, as a link when exactly one public
profile bears it (``people.selectors.profile_links``: NFKC, case and spaces aside). A
private profile is never linked. The names are read once per request.
"""

from django import template
from django.utils.html import format_html

from people.selectors import name_key, profile_links
from publications.rules import MAIN_LANGUAGES, OTHER_LANGUAGES

register = template.Library()

#: Each language by its own name, as the profile form offers them.
LANGUAGE_LABELS = dict(MAIN_LANGUAGES + OTHER_LANGUAGES)


def _links(context: template.Context) -> dict[str, str]:
    request = context.get("request")
    cached = getattr(request, "_public_profile_links", None)
    if cached is None:
        user = getattr(request, "user", None)
        cached = profile_links(user=user)
        if request is not None:
            request._public_profile_links = cached
    return cached


@register.simple_tag(takes_context=True)
def person_link(context: template.Context, name: str) -> str:
    """Return ``name``, linked to the public profile that bears it if there is exactly one."""
    url = _links(context).get(name_key(name or ""))
    if url is None:
        return format_html("{}", name)
    return format_html('<a href="{}" class="person-link">{}</a>', url, name)


@register.filter
def language_label(code: str) -> str:
    """Return the language ``code`` by its own name (e.g. ko → 한국어), or the code."""
    return LANGUAGE_LABELS.get(code, code)
