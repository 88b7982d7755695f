"""A JSON parser that refuses bodies nested deeper than any request of the API needs.

Python's JSON decoder recurses once per level: a body of 5,000 ``[`` raised RecursionError
(a 500) after holding a worker. The portal's deepest request (a filter of a list of
objects) has a handful of levels; ``MAX_DEPTH`` leaves room and refuses the rest with a 400.
"""

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

#: The deepest nesting of arrays and objects a JSON body may have.
MAX_DEPTH = 32


def json_depth_exceeds(data: Any, limit: int = MAX_DEPTH) -> bool:
    """Return whether ``data`` (decoded JSON) nests arrays and objects deeper than ``limit``.

    Walks with a stack, not recursion, so that any depth is safe to measure.
    """
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        children: Iterable[Any]
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def too_deep_message() -> str:
    """Return the message of a refused body, naming the limit."""
    return _("The JSON body is nested more than %(limit)d levels deep.") % {"limit": MAX_DEPTH}


class DepthLimitedJSONParser(JSONParser):
    """DRF's JSON parser, answering 400 to a body nested deeper than ``MAX_DEPTH``."""

    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(too_deep_message()) from None
        if json_depth_exceeds(data):
            raise ParseError(too_deep_message())
        return data
