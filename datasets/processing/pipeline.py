"""The processing service: claim a file, examine it, record the outcome.

Safe to run twice: a claim is a lease (``datasets.processing.lease``), so one worker at a time
processes a file, the outcome is committed only while the claim still holds, and a file
already ready or failed is left alone.

Recovery, within ``FILE_LEASE_SECONDS`` plus ``FILE_SWEEP_SECONDS`` of a failure:

- A worker child killed mid-file: its transaction rolls back (no points are left) and its
  heartbeat stops. The worker hands the message back to Redis at once; the redelivered task
  finds the lease still running and waits in the worker for it to lapse, then claims the file
  (``lease.await_lapse``); a lease renewed meanwhile has a live holder, and the message is
  dropped.
- A whole worker killed: its message waits in Redis for the visibility timeout (an hour), but
  the sweeper queues the file again at its first run after the lease lapsed.
- The database connection dropped, a deadlock, a serialization failure (of Django's or of
  psycopg2's own classes, which a COPY raises): the file is given back pending and the task
  retries with backoff. Only the file's own problems (``ProcessingError``, the time limit, a
  missing stored copy) or a bug of the hub make it failed.
- The broker down at upload: the upload is kept pending, never queued (``queued_at`` null),
  and the first sweep after Redis returns queues it.

A thumbnail stored in a transaction that then rolls back is removed, so a retry leaves no
blob without a row. Why a lease: docs/decisions/file-lease.md.
"""

import io
import logging
from datetime import date
from typing import cast

import psycopg2
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import Field
from django.utils import timezone

from datasets import blobs, locations, message_catalog
from datasets.models import DataFile, FilePreview, FileState, Occurrence, RecordContext
from datasets.processing import (
    ProcessingError,
    Source,
    archives,
    extract,
    lease,
    sniff,
    tabular,
)
from datasets.stored_files import StoredSource
from search.services import index_dataset_on_commit, index_publication_on_commit
from species.models import Species
from species.names import NameResolver

logger = logging.getLogger(__name__)

#: The task's soft time limit in seconds (its hard limit is a minute more).
SOFT_TIME_LIMIT = 600
#: Errors of the database, not of the file: of Django's classes, and of psycopg2's own, which
#: a COPY on the raw cursor raises unwrapped. Deadlocks and serialization failures are
#: psycopg2 OperationalErrors (Django wraps them as its own).
TRANSIENT_ERRORS = (
    OperationalError,
    InterfaceError,
    psycopg2.OperationalError,
    psycopg2.InterfaceError,
)


#: Most names kept in a file's matching report (the most frequent first).
MAX_NAME_MATCHES = 50


def _name_resolver() -> NameResolver:
    return NameResolver.from_species(locations.species_by_strictness())


class LeaseLost(Exception):
    """The file was taken over by another attempt while this one worked (its lease lapsed)."""


def _copy_text(value: str) -> str:
    """Return ``value`` escaped for PostgreSQL's COPY text format."""
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


class OccurrenceWriter:
    """Store the located rows of a table with COPY, in batches, as the table is read.

    Each distinct name, species and date is formatted once; PostgreSQL ingests one batch
    while the next is being read.
    """

    BATCH = 50_000
    CONTEXTS = {
        "movebank": RecordContext.COLLAR_FIX,
        "camtrap-deployments": RecordContext.CAMERA_STATION,
        "camtrap-dp": RecordContext.CAMERA_STATION,
    }
    COLUMNS = (
        "dataset",
        "data_file",
        "species",
        "scientific_name",
        "event_date",
        "latitude",
        "longitude",
        "row",
        "context",
    )

    def __init__(self, data_file: DataFile) -> None:
        self.data_file = data_file
        self.species_ids = {code: str(pk) for code, pk in Species.objects.values_list("code", "pk")}
        self.names: dict[str, str] = {}
        self.days: dict[date | None, str] = {None: "\\N"}
        self.buffer: list[str] = []
        self.buffered = 0
        self.written = 0

    def _name(self, name: str) -> str:
        text = self.names.get(name)
        if text is None:
            if len(self.names) > 100_000:
                self.names.clear()
            text = self.names[name] = _copy_text(name[:200])
        return text

    def _day(self, day: date | None) -> str:
        text = self.days.get(day)
        if text is None:
            if len(self.days) > 100_000:
                self.days = {None: "\\N"}
            text = self.days[day] = cast(date, day).isoformat()  # None is always cached
        return text

    def __call__(self, fmt, numbers, names, codes, days, latitudes, longitudes) -> None:
        prefix = f"{self.data_file.dataset_id}\t{self.data_file.pk}\t"
        context = self.CONTEXTS.get(fmt, RecordContext.OBSERVATION)
        species_ids = self.species_ids
        self.buffer.append(
            "".join(
                map(
                    f"{prefix}{{}}\t{{}}\t{{}}\t{{!r}}\t{{!r}}\t{{}}\t{context}\n".format,
                    (species_ids.get(code, "\\N") if code else "\\N" for code in codes),
                    map(self._name, names),
                    map(self._day, days),
                    latitudes,
                    longitudes,
                    numbers,
                )
            )
        )
        self.buffered += len(latitudes)
        if self.buffered >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        meta = Occurrence._meta
        columns = ", ".join(
            connection.ops.quote_name(cast(Field, meta.get_field(name)).column)
            for name in self.COLUMNS
        )
        with connection.cursor() as cursor:
            cursor.copy_expert(
                f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN",
                io.StringIO("".join(self.buffer)),
            )
        self.written += self.buffered
        self.buffer = []
        self.buffered = 0


def examine(data_file: DataFile, path: Source, on_points=None) -> dict:
    """Return the processing results of the file at ``path`` (raise ProcessingError): a
    path, or a stored file read where it is (``datasets.stored_files.StoredSource``)."""
    kind = sniff.sniff(path, data_file.original_name)
    results: dict = {"detected_type": kind, "warnings": []}
    if kind == "pdf":
        results["extracted_text"] = extract.pdf_text(path, results["warnings"])
    elif kind in {"docx", "pptx"}:
        results["extracted_text"] = extract.office_text(path, kind)
    profile = None
    if kind == "csv":
        profile = tabular.profile_csv(path, _name_resolver(), on_points)
        results["detected_type"] = f"csv/{profile.format}"
        if profile.format == "movebank" and not profile.errors:
            results["standard_metadata"] = archives.movebank_animals(path)
    elif kind == "dwca":
        profile, results["standard_metadata"] = archives.profile_dwca(
            path, _name_resolver(), on_points
        )
    elif kind == "camtrap-dp":
        profile, results["standard_metadata"] = archives.profile_camtrap(
            path, _name_resolver(), on_points
        )
        results["warnings"].extend(results["standard_metadata"].pop("warnings", []))
    if profile is not None:
        if profile.errors:
            raise ProcessingError(problems=profile.errors)
        results.update(
            row_count=profile.rows,
            columns=profile.columns,
            date_start=profile.date_start,
            date_end=profile.date_end,
            bbox=profile.bbox,
            species_counts=dict(profile.species),
            name_matches=[
                [name, code, rows]
                for (name, code), rows in profile.names.most_common(MAX_NAME_MATCHES)
            ],
        )
        if profile.rows == 0:
            results["warnings"].append(message_catalog.stored("no_rows"))
        if kind == "csv":
            results["head"] = tabular.read_head(path)
    results["thumbnail"] = extract.thumbnail(path, kind)
    return results


def process(file_id: int) -> str:
    """Process one file if it can be claimed; return its state afterwards.

    A file held by another worker's live lease comes back ``processing``; the task then
    waits for the lease to end.
    """
    attempt = lease.claim(file_id)
    if attempt is None:
        return _state(file_id)
    data_file = DataFile.objects.get(pk=file_id)
    try:
        with lease.Heartbeat(file_id, attempt):
            _read_and_store(data_file, attempt)
    except LeaseLost:
        logger.warning("File %s was taken over while attempt %s read it.", file_id, attempt)
        return _state(file_id)
    except ProcessingError as error:
        return _fail(file_id, attempt, error)
    except SoftTimeLimitExceeded:
        return _fail(file_id, attempt, ProcessingError("timeout", minutes=SOFT_TIME_LIMIT // 60))
    except FileNotFoundError:
        logger.error("File %s is missing from storage (%s).", file_id, data_file.file.name)
        return _fail(file_id, attempt, ProcessingError("missing"))
    except TRANSIENT_ERRORS as error:
        # The database went away or chose this transaction as a deadlock's victim: give the
        # file back, on a working connection, and let the task retry.
        logger.warning("Processing file %s was interrupted (%s); it is given back.", file_id, error)
        _reset_connection()
        lease.give_back(file_id, attempt)
        raise
    except Exception:  # noqa: BLE001 - a bug must not leave the file processing for ever
        logger.exception("Processing file %s failed unexpectedly.", file_id)
        return _fail(file_id, attempt, ProcessingError("internal"))
    _reindex(DataFile.objects.get(pk=file_id))
    return FileState.READY


def _read_and_store(data_file: DataFile, attempt: int) -> None:
    """Examine the file and store its points and results in one transaction.

    Blobs stored in the transaction are removed when it does not commit (an error, a
    deadlock at commit, a lost lease), so no thumbnail outlives a rolled-back row.
    """
    stored: list[str] = []
    try:
        # Points are written while the table is read; a failure rolls them back.
        with transaction.atomic():
            Occurrence.objects.filter(data_file_id=data_file.pk).delete()
            writer = OccurrenceWriter(data_file) if data_file.dataset_id else None
            results = examine(data_file, StoredSource.of(data_file.file), writer)
            head = results.pop("head", None)
            if writer is not None:
                writer.flush()
                locations.generalize_file(data_file)
            _save_results(data_file.pk, attempt, results, stored)
            _save_preview(data_file, head)
    except BaseException:
        for name in stored:
            data_file.thumbnail.storage.delete(name)
        raise


def _state(file_id: int) -> str:
    return DataFile.objects.filter(pk=file_id).values_list("state", flat=True).first() or ""


def _reset_connection() -> None:
    """Drop this thread's connection if it no longer works, so the next query opens one."""
    if connection.connection is not None and not connection.is_usable():
        connection.close()


def _fail(file_id: int, attempt: int, reason: ProcessingError) -> str:
    if lease.held(file_id, attempt).exists():
        FilePreview.objects.filter(data_file_id=file_id).delete()  # of an earlier success
    lease.held(file_id, attempt).update(
        state=FileState.FAILED,
        error=str(reason)[:2000],
        error_code=reason.code,
        error_params=reason.params,
        problems=reason.problems,
        processed_at=timezone.now(),
        lease_expires_at=None,
    )
    return _state(file_id)


def _save_results(file_id: int, attempt: int, results: dict, stored: list[str]) -> None:
    """Record the results if ``attempt`` still holds the file; name stored blobs in ``stored``."""
    thumbnail = results.pop("thumbnail")
    data_file = DataFile.objects.select_for_update().get(pk=file_id)
    if (data_file.state, data_file.attempts) != (FileState.PROCESSING, attempt):
        raise LeaseLost
    for name, value in results.items():
        setattr(data_file, name, value)
    if thumbnail:
        previous = data_file.thumbnail.name
        data_file.thumbnail.save("thumbnail.png", ContentFile(thumbnail), save=False)
        stored.append(data_file.thumbnail.name)
        if previous:
            # A file processed again: its former thumbnail goes once the new one is in.
            # Unless another version of the dataset still shows it (``datasets.blobs``).
            blobs.delete_on_commit_unless_named(data_file.thumbnail.storage, [previous])
    data_file.duplicate_of = (
        # Django reads dataset_id=None as IS NULL; the stubs plugin rejects None here.
        DataFile.objects.filter(dataset_id=data_file.dataset_id, sha256=data_file.sha256)  # type: ignore[misc]
        .exclude(pk=file_id)
        .exclude(dataset_id__isnull=True)
        .order_by("pk")
        .first()
    )
    if data_file.duplicate_of:
        data_file.warnings = [
            *data_file.warnings,
            message_catalog.stored("duplicate", name=data_file.duplicate_of.original_name[:100]),
        ]
    data_file.state = FileState.READY
    data_file.error = ""
    data_file.error_code = ""
    data_file.error_params = {}
    data_file.problems = []
    data_file.processed_at = timezone.now()
    data_file.lease_expires_at = None
    data_file.save()


def _save_preview(data_file: DataFile, head: tabular.Head | None) -> None:
    """Store the profile of a dataset's table and its first rows, exact and in public form."""
    FilePreview.objects.filter(data_file_id=data_file.pk).delete()
    if head is None or not data_file.dataset_id:
        return
    FilePreview.objects.create(
        data_file_id=data_file.pk,
        columns=head.columns,
        sampled=head.sampled,
        exact_rows=head.rows,
        location_columns=sorted(locations.location_columns(head.header)),
        public_rows=locations.public_preview(
            data_file,
            head.rows,
            header=head.header,
            lat=tabular.first_column(head.header, tabular.LATITUDE),
            lon=tabular.first_column(head.header, tabular.LONGITUDE),
        ),
    )


def _reindex(data_file: DataFile) -> None:
    if data_file.dataset_id:
        index_dataset_on_commit(data_file.dataset_id)
    else:
        link = getattr(data_file, "publication_link", None)
        if link is not None:
            index_publication_on_commit(link.publication_id)
