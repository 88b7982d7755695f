"""One strict reader of the query parameters of every page and API.

A page or an endpoint declares the parameters it reads as ``Param`` values (made by the
constructors below: ``text``, ``code``, ``country``, ``choice``, ``integer``, ``year``,
``page``, ``flag``, ``bbox``) and reads them all at once with ``read``. The rules are the
same everywhere:

- a parameter that is missing or empty takes its default;
- a value is printable text: a control character (NUL included) makes it invalid, except
  tabs and line breaks in free text, which count as spaces;
- a number is ASCII digits within the declared range: '²', '٣', '1e309' and '-1' are not
  page numbers or years;
- a parameter given more than once (``?page=1&page=2``) is invalid;
- parameters nobody declared are ignored by pages (cache busters, trackers); an API
  operation refuses them with a 400 naming the ones it accepts, which are exactly those its
  OpenAPI schema documents, and DRF's ``format`` (``neaspec_portal.api_params``).

APIs read strictly: every invalid value is named, with what to give instead, in a 400
answer (``InvalidParameters`` is a DRF validation error). Pages read leniently: an invalid
value is ignored, as the pages say, and its parameter is listed in ``Values.ignored`` for a
page that tells the reader. Only declared, converted values reach selectors and SQL.
"""

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, Self

from django.http import QueryDict
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, pagination
from rest_framework.request import Request

#: C0 control characters and DEL: never part of a search, a code or a number.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: Tabs and line breaks pasted into a search box: spaces in free text.
_WHITESPACE = re.compile(r"[\t\n\r]")
_DIGITS = re.compile(r"[0-9]{1,12}")
_CODE = re.compile(r"[A-Za-z0-9_.-]+")
_COUNTRY = re.compile(r"[A-Za-z]{2}")
#: Beyond this page a list is not read by people; the paginators stop there.
MAX_PAGE = 10_000


class InvalidParameters(exceptions.ValidationError):
    """Query parameters that a strict reader refused: ``{name: [what to give instead]}``."""


class Values(dict):
    """The values read, by key; ``ignored`` names the parameters whose value was invalid."""

    ignored: list[str]


@dataclass(frozen=True)
class Param:
    """One query parameter: its name, how its text becomes a value, and its default.

    ``convert`` raises ``ValueError`` with the message that tells the caller what to give.
    ``key`` is the name of the value in ``read``'s result (the parameter's name if empty).
    """

    name: str
    convert: Callable[[str], Any]
    default: Any = None
    key: str = ""
    schema: Mapping[str, Any] = field(default_factory=lambda: {"type": "string"})
    description: str = ""

    def openapi(self) -> OpenApiParameter:
        """Return the parameter as drf-spectacular documents it in the OpenAPI schema."""
        return OpenApiParameter(
            self.name, dict(self.schema), description=self.description, required=False
        )


def _printable(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError(_("Remove the control characters (such as NUL) from this value."))
    return value


def text(
    name: str, *, max_length: int, shorten: bool = False, key: str = "", description: str = ""
) -> Param:
    """Return a free-text parameter; longer values are refused, or cut when ``shorten``."""

    def convert(value: str) -> str:
        value = _printable(_WHITESPACE.sub(" ", value)).strip()
        if len(value) > max_length:
            if not shorten:
                raise ValueError(_("Give at most %(max)d characters.") % {"max": max_length})
            value = value[:max_length]
        return value

    return Param(
        name,
        convert,
        "",
        key,
        {"type": "string"} if shorten else {"type": "string", "maxLength": max_length},
        description,
    )


def code(name: str, *, max_length: int = 40, key: str = "", description: str = "") -> Param:
    """Return a parameter naming a species, site, theme or language by its code."""

    def convert(value: str) -> str:
        value = _printable(value).strip()
        if len(value) > max_length or not _CODE.fullmatch(value):
            raise ValueError(
                _("Give a code of letters, digits and . _ - only, at most %(max)d characters.")
                % {"max": max_length}
            )
        return value

    schema = {"type": "string", "pattern": f"^{_CODE.pattern}$", "maxLength": max_length}
    return Param(name, convert, "", key, schema, description)


def country(name: str = "country", *, key: str = "") -> Param:
    """Return a parameter naming a country by its ISO alpha-2 code (upper-cased)."""

    def convert(value: str) -> str:
        value = _printable(value).strip()
        if not _COUNTRY.fullmatch(value):
            raise ValueError(_("Give a country's two-letter code, e.g. KR."))
        return value.upper()

    schema = {"type": "string", "pattern": f"^{_COUNTRY.pattern}$"}
    return Param(name, convert, "", key, schema, "ISO alpha-2 code, e.g. KR.")


def choice(
    name: str, choices: Iterable[str], *, default: str = "", key: str = "", description: str = ""
) -> Param:
    """Return a parameter whose value must be one of ``choices``."""
    allowed = list(choices)

    def convert(value: str) -> str:
        if value not in allowed:
            raise ValueError(_("Choose one of: %(choices)s.") % {"choices": ", ".join(allowed)})
        return value

    return Param(name, convert, default, key, {"type": "string", "enum": allowed}, description)


def integer(
    name: str,
    *,
    minimum: int,
    maximum: int,
    default: int | None = None,
    key: str = "",
    description: str = "",
) -> Param:
    """Return a parameter holding a whole number from ``minimum`` to ``maximum``."""

    def convert(value: str) -> int:
        value = value.strip()
        number = int(value) if _DIGITS.fullmatch(value) else None
        if number is None or not minimum <= number <= maximum:
            raise ValueError(
                _("Give a whole number from %(min)d to %(max)d.") % {"min": minimum, "max": maximum}
            )
        return number

    schema = {"type": "integer", "minimum": minimum, "maximum": maximum}
    return Param(name, convert, default, key, schema, description)


def year(name: str = "year", *, key: str = "", description: str = "") -> Param:
    """Return a parameter holding a year of monitoring data or of publication."""
    return integer(
        name, minimum=1900, maximum=2100, key=key, description=description or "E.g. 2023."
    )


def page(name: str = "page") -> Param:
    """Return the page number of a list (1 when absent)."""
    return integer(name, minimum=1, maximum=MAX_PAGE, default=1, description="From 1.")


def flag(name: str, *, key: str = "", description: str = "", default: bool = False) -> Param:
    """Return a yes/no parameter: 1, true, yes or 0, false, no."""

    def convert(value: str) -> bool:
        value = value.strip().lower()
        if value in {"1", "true", "yes"}:
            return True
        if value in {"0", "false", "no"}:
            return False
        raise ValueError(_("Give 1 or 0 (true or false)."))

    schema = {"type": "string", "enum": ["1", "0", "true", "false"]}
    return Param(name, convert, default, key, schema, description)


def bbox(name: str = "bbox") -> Param:
    """Return a bounding box ``west,south,east,north`` in degrees, as four floats."""

    def convert(value: str) -> tuple[float, float, float, float]:
        message = _("Give west,south,east,north in degrees, e.g. 120,35,135,45.")
        parts = value.split(",")
        if len(parts) != 4 or not all(
            re.fullmatch(r"-?[0-9]{1,3}(\.[0-9]{1,12})?", p) for p in parts
        ):
            raise ValueError(message)
        west, south, east, north = (float(part) for part in parts)
        if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
            raise ValueError(message)
        return west, south, east, north

    schema = {"type": "string", "pattern": r"^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$"}
    return Param(name, convert, None, "", schema, "west,south,east,north in degrees.")


def read(params: QueryDict, spec: Sequence[Param], *, strict: bool) -> Values:
    """Return the value of every parameter of ``spec`` read from ``params`` (a QueryDict).

    ``strict``: raise ``InvalidParameters`` naming every invalid value (for APIs);
    otherwise an invalid value gives the parameter's default and its name goes to
    ``ignored`` (for pages).
    """
    values = Values()
    values.ignored = []
    errors: dict[str, list[str]] = {}
    for param in spec:
        key = param.key or param.name
        given: list[str] = [value for value in params.getlist(param.name) if value != ""]
        values[key] = param.default
        if not given:
            continue
        if len(given) > 1:
            errors[param.name] = [_("Give this parameter only once.")]
            values.ignored.append(param.name)
            continue
        try:
            values[key] = param.convert(given[0])
        except ValueError as error:
            errors[param.name] = [str(error)]
            values.ignored.append(param.name)
    if strict and errors:
        raise InvalidParameters(errors)
    return values


def encode(spec: Sequence[Param], values: Mapping[str, Any]) -> QueryDict:
    """Return the query of ``values`` (by key, as ``read`` gives them) that differ from their
    defaults: what a page's links and forms carry on, never the raw query string."""
    query = QueryDict(mutable=True)
    for param in spec:
        value = values.get(param.key or param.name, param.default)
        if value != param.default:
            query[param.name] = str(value)
    return query


def openapi(spec: Sequence[Param]) -> list[OpenApiParameter]:
    """Return ``spec`` as the parameters of an operation in the OpenAPI schema."""
    return [param.openapi() for param in spec]


class StrictPageNumberPagination(pagination.PageNumberPagination):
    """DRF's page-number pagination with its ``page`` read by ``read``: a bad page is a 400."""

    def paginate_queryset(self, queryset, request: Request, view=None):
        read(request.query_params, [page(self.page_query_param)], strict=True)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        schema = dict(page(self.page_query_param).schema)
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "A page number within the paginated result.",
                "schema": schema,
            }
        ]


@dataclass(frozen=True)
class Filters:
    """What a list is narrowed by: a frozen dataclass whose fields ``SPEC`` reads.

    The lists of datasets, publications, events and search each subclass it, so that every
    list reads its query parameters (``read``) and says whether it is filtered alike.
    """

    #: The parameters, one a field, in the order ``read`` checks them.
    SPEC: ClassVar[Sequence[Param]] = ()
    #: Fields that order the list rather than narrow it: ``is_empty`` passes over them.
    UNFILTERED: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def from_params(cls, query: QueryDict, *, strict: bool = False) -> Self:
        """Build filters from query parameters (the API refuses invalid values, the page
        ignores them)."""
        return cls(**read(query, cls.SPEC, strict=strict))

    def is_empty(self) -> bool:
        """Return True when no filter narrows the list."""
        return not any(
            getattr(self, item.name) for item in fields(self) if item.name not in self.UNFILTERED
        )
