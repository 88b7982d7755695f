"""DOIs of dataset versions, registered through DataCite's REST API.

When the deployment has a DataCite account (``DATACITE_PREFIX``, ``DATACITE_USER``,
``DATACITE_PASSWORD``, ``DATACITE_URL``), publishing a version marks it ``pending`` and
queues ``register_doi`` once the publication has committed. The task sends the citation
(``datasets.datacite.datacite_attributes``) with ``event: publish`` and the version's stable
URL, and stores the DOI DataCite confirms. A failure (DataCite down, a 5xx, a refusal)
never undoes the publication: the version stays ``pending`` with its error, and the periodic
``retry_doi_registrations`` (``CELERY_BEAT_SCHEDULE``) tries again. Without an account,
nothing is queued and the stable URL is the version's identifier.

Each version's DOI is decided in advance (``PREFIX/neaspec-ds-<id>``), so a retry after a
registration whose answer was lost cannot make a second DOI: DataCite refuses the second
``POST`` as taken, and the registration then updates the DOI with ``PUT`` instead.
"""

import base64
import json
import logging
from dataclasses import dataclass
from urllib import error as urlerror
from urllib import request as urlrequest

from celery import shared_task
from django.conf import settings
from django.db import transaction

from access.services import audit_record
from datasets import cite, selectors
from datasets.datacite import datacite_attributes
from datasets.models import Dataset, DatasetStatus, DoiState

logger = logging.getLogger(__name__)

#: Seconds to wait for DataCite before counting the attempt as failed.
TIMEOUT = 20
JSON_API = "application/vnd.api+json"


class DataCiteError(Exception):
    """DataCite did not register the DOI; the message says what it answered."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict


def datacite_configured() -> bool:
    """Return True when the deployment registers DOIs (settings check all four are set)."""
    return bool(settings.DATACITE_URL)


def doi_of(dataset_pk: int) -> str:
    """Return the DOI a dataset version gets (or got) from this deployment."""
    return f"{settings.DATACITE_PREFIX}/neaspec-ds-{dataset_pk}".lower()


def _send(method: str, path: str, payload: dict) -> Answer:
    """Send one JSON:API request to DataCite with the account's basic authentication."""
    account = f"{settings.DATACITE_USER}:{settings.DATACITE_PASSWORD}".encode()
    outgoing = urlrequest.Request(  # noqa: S310 - DATACITE_URL is checked to be http(s)
        settings.DATACITE_URL + path,
        data=json.dumps(payload).encode(),
        method=method,
        headers={
            "Content-Type": JSON_API,
            "Accept": JSON_API,
            "Authorization": "Basic " + base64.b64encode(account).decode(),
        },
    )
    try:
        with urlrequest.urlopen(outgoing, timeout=TIMEOUT) as response:  # noqa: S310
            return Answer(response.status, _json(response.read()))
    except urlerror.HTTPError as refusal:
        return Answer(refusal.code, _json(refusal.read()))
    except (urlerror.URLError, TimeoutError, OSError) as failure:
        raise DataCiteError(f"DataCite could not be reached: {failure}") from failure


def _json(raw: bytes) -> dict:
    try:
        body = json.loads(raw or b"{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _titles(answer: Answer) -> str:
    errors = answer.body.get("errors") or []
    return "; ".join(str(item.get("title", "")) for item in errors if isinstance(item, dict))


def datacite_register(*, doi: str, url: str, attributes: dict) -> str:
    """Register (or, if it exists, update) ``doi`` as findable at ``url``; return the DOI.

    Raise ``DataCiteError`` with DataCite's answer when it does not confirm.
    """
    payload = {
        "data": {
            "type": "dois",
            "attributes": {**attributes, "doi": doi, "event": "publish", "url": url},
        }
    }
    answer = _send("POST", "/dois", payload)
    if answer.status == 422 and "taken" in _titles(answer).lower():
        payload["data"]["id"] = doi
        answer = _send("PUT", f"/dois/{doi}", payload)
    if answer.status not in (200, 201):
        detail = _titles(answer) or "no explanation"
        raise DataCiteError(f"DataCite answered {answer.status}: {detail}"[:500])
    return str(answer.body.get("data", {}).get("id") or doi)


def doi_request_on_commit(dataset: Dataset) -> None:
    """Mark a version just published as waiting for its DOI and queue the registration.

    Does nothing without a DataCite account or when the version has its DOI already.
    Call inside the publishing transaction.
    """
    if not datacite_configured() or dataset.doi:
        return
    dataset.doi_state = DoiState.PENDING
    dataset.save(update_fields=["doi_state"])
    transaction.on_commit(lambda: _enqueue(dataset.pk))


def _enqueue(dataset_pk: int) -> None:
    try:
        register_doi.delay(dataset_pk)
    except Exception as error:  # noqa: BLE001 - whatever the broker does, the retry task will
        logger.warning("Could not queue the DOI of dataset %s (%s).", dataset_pk, error)


def dataset_doi_register(*, dataset_id: int) -> Dataset | None:
    """Register the DOI of one pending, published version; return it, or None if no work.

    The row stays locked while DataCite answers (at most ``TIMEOUT`` seconds), so that two
    workers never register the same version at once; the other skips it.
    """
    with transaction.atomic():
        dataset = (
            Dataset.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=dataset_id, status=DatasetStatus.PUBLISHED, doi_state=DoiState.PENDING)
            .first()
        )
        if dataset is None:
            return None
        citation = cite.citation_of(selectors.with_citation_relations(dataset))
        dataset.doi_attempts += 1
        detail: dict[str, str | int] = {"attempt": dataset.doi_attempts}
        try:
            dataset.doi = datacite_register(
                doi=doi_of(dataset.pk), url=citation.url, attributes=datacite_attributes(citation)
            )
        except DataCiteError as error:
            dataset.doi_error = str(error)
            action, detail["error"] = "dataset.doi_failed", dataset.doi_error
            logger.warning("DOI of dataset %s not registered: %s", dataset.pk, error)
        else:
            dataset.doi_state, dataset.doi_error = DoiState.REGISTERED, ""
            action, detail["doi"] = "dataset.doi_registered", dataset.doi
        dataset.save(update_fields=["doi", "doi_state", "doi_attempts", "doi_error"])
        audit_record(
            actor=None, action=action, obj=dataset, country=dataset.owner_country_id, detail=detail
        )
    return dataset


@transaction.atomic
def doi_request_missing(*, dry_run: bool = False) -> list[int]:
    """Mark pending every published version without a DOI (published before the deployment
    had a DataCite account, say); return their ids. Each is audited; nothing is sent here."""
    missing = list(
        Dataset.objects.select_for_update()
        .filter(status=DatasetStatus.PUBLISHED, doi="", doi_state=DoiState.NONE)
        .order_by("pk")
    )
    if dry_run or not datacite_configured():
        return [dataset.pk for dataset in missing]
    for dataset in missing:
        dataset.doi_state = DoiState.PENDING
        dataset.save(update_fields=["doi_state"])
        audit_record(
            actor=None,
            action="dataset.doi_requested",
            obj=dataset,
            country=dataset.owner_country_id,
        )
    return [dataset.pk for dataset in missing]


@shared_task(name="datasets.register_doi")
def register_doi(dataset_id: int) -> str:
    """Register the DOI of one published version (queued when it is published)."""
    dataset = dataset_doi_register(dataset_id=dataset_id)
    return dataset.doi_state if dataset else "nothing to do"


@shared_task(name="datasets.retry_doi_registrations")
def retry_doi_registrations() -> int:
    """Try again every published version still waiting for its DOI; return how many got one."""
    if not datacite_configured():
        return 0
    waiting = Dataset.objects.filter(
        status=DatasetStatus.PUBLISHED, doi_state=DoiState.PENDING
    ).values_list("pk", flat=True)
    registered = 0
    for pk in list(waiting):
        dataset = dataset_doi_register(dataset_id=pk)
        registered += bool(dataset and dataset.doi_state == DoiState.REGISTERED)
    return registered
