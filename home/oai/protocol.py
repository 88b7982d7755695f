"""OAI-PMH 2.0 requests: verbs, their arguments, datestamps and resumption tokens.

Tokens are stateless: a signed, timestamped (``django.core.signing``) encoding of the
list's filter (format, set, from, until) and where the next page starts (the kind of item
and the last primary key given), so any web process answers the next page and nothing is
stored. A token older than ``OAI_TOKEN_HOURS``, altered, or used with other arguments is a
``badResumptionToken``.
"""

from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.core import signing
from django.http import QueryDict

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
SALT = "home.oai.resumption"

#: Arguments each verb takes: (required, optional, exclusive).
VERBS: dict[str, tuple[set[str], set[str], set[str]]] = {
    "Identify": (set(), set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}, set()),
    "ListSets": (set(), set(), {"resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set(), set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set"}, {"resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set"}, {"resumptionToken"}),
}


class OaiError(Exception):
    """An OAI-PMH error: its code (``badArgument``...) and a message for the harvester."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ListQuery:
    """What a List verb asks for, and where its page starts."""

    prefix: str
    set_spec: str = ""
    start: datetime | None = None
    end: datetime | None = None
    kind: int = 0
    after: int = 0
    cursor: int = 0


def verb_arguments(query: QueryDict) -> tuple[str, dict[str, str]]:
    """Return the verb and its arguments, or raise ``badVerb`` / ``badArgument``."""
    verbs = query.getlist("verb")
    if len(verbs) != 1 or verbs[0] not in VERBS:
        raise OaiError("badVerb", "Give one verb among: " + ", ".join(VERBS) + ".")
    verb = verbs[0]
    arguments: dict[str, str] = {}
    for key, values in query.lists():
        if key == "verb":
            continue
        if len(values) != 1:
            raise OaiError("badArgument", f"The argument {key} is repeated.")
        if not _xml_text(key + values[0]):
            raise OaiError("badArgument", "Arguments hold characters XML cannot carry.")
        arguments[key] = values[0]
    required, optional, exclusive = VERBS[verb]
    unknown = set(arguments) - required - optional - exclusive
    if unknown:
        raise OaiError("badArgument", f"{verb} takes no argument {', '.join(sorted(unknown))}.")
    if exclusive & set(arguments):
        if len(arguments) > 1:
            raise OaiError("badArgument", "resumptionToken is an exclusive argument.")
        return verb, arguments
    missing = required - set(arguments)
    if missing:
        raise OaiError("badArgument", f"{verb} needs {', '.join(sorted(missing))}.")
    return verb, arguments


def _xml_text(text: str) -> bool:
    """Return True when ``text`` holds only characters an XML 1.0 document may carry."""
    return all(
        char in "\t\n\r"
        or "\x20" <= char <= "\ud7ff"
        or "\ue000" <= char <= "\ufffd"
        or char >= "\U00010000"
        for char in text
    )


def parse_datestamp(value: str, *, upper: bool) -> tuple[datetime, bool]:
    """Return the instant a ``from`` (or ``until``, ``upper``) argument means, and whether
    it was given to the day; raise ``badArgument`` for any other form."""
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            moment = time.max.replace(microsecond=0) if upper else time.min
            return datetime.combine(day, moment, tzinfo=UTC), True
        if len(value) == 20 and value.endswith("Z") and value[10] == "T":
            return datetime.fromisoformat(value[:-1]).replace(tzinfo=UTC), False
    except ValueError:
        pass
    raise OaiError("badArgument", f"{value!r} is not YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ.")


def datestamp(moment: datetime) -> str:
    """Return ``moment`` as an OAI datestamp in UTC, to the second."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def list_query(arguments: dict[str, str]) -> ListQuery:
    """Return the query of a List verb's fresh arguments (not a token's)."""
    start = end = None
    day_start = day_end = None
    if "from" in arguments:
        start, day_start = parse_datestamp(arguments["from"], upper=False)
    if "until" in arguments:
        end, day_end = parse_datestamp(arguments["until"], upper=True)
    if day_start is not None and day_end is not None and day_start != day_end:
        raise OaiError("badArgument", "from and until must have the same granularity.")
    if start and end and start > end:
        raise OaiError("badArgument", "from is later than until.")
    return ListQuery(
        prefix=arguments["metadataPrefix"],
        set_spec=arguments.get("set", ""),
        start=start,
        end=end,
    )


def token_expiry() -> datetime:
    """Return when a token issued now stops being accepted."""
    return datetime.now(UTC) + timedelta(hours=settings.OAI_TOKEN_HOURS)


def encode_token(query: ListQuery, *, kind: int, after: int, cursor: int) -> str:
    """Return the token of the page after ``after`` (a primary key of kind ``kind``)."""
    state = asdict(replace(query, kind=kind, after=after, cursor=cursor))
    for key in ("start", "end"):
        state[key] = state[key].isoformat() if state[key] else None
    return signing.dumps(state, salt=SALT, compress=True)


def decode_token(token: str) -> ListQuery:
    """Return the query a token carries, or raise ``badResumptionToken``."""
    try:
        state = signing.loads(token, salt=SALT, max_age=timedelta(hours=settings.OAI_TOKEN_HOURS))
        for key in ("start", "end"):
            state[key] = datetime.fromisoformat(state[key]) if state[key] else None
        return ListQuery(**state)
    except (signing.BadSignature, TypeError, ValueError, KeyError):
        raise OaiError(
            "badResumptionToken", "The resumption token is invalid or has expired."
        ) from None
