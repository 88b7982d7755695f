"""The processing service: claim a pending file, examine it, record the outcome.

Safe to run twice: the claim is a conditional UPDATE, so only one worker processes a
file, and a file already ready or failed is left alone.

Recovery when a worker dies mid-file: its transaction rolls back (no points are left) and the
file stays ``processing``. Redis hands the unacknowledged message out again only after its
visibility timeout (an hour); the sweeper queues the file again once it has been processing
for STUCK_AFTER, which outlasts the task's time limit so that a live worker is never doubled.
Whichever message comes first claims the file; the other finds it claimed or done.
"""

import io
import logging
from datetime import date, timedelta
from pathlib import Path
from typing import cast

from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.base import ContentFile
from django.db import OperationalError, connection, transaction
from django.db.models import F, Field, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from datasets import locations
from datasets.models import DataFile, FileState, Occurrence, RecordContext
from datasets.processing import ProcessingError, extract, sniff, tabular
from species.models import Species
from species.names import NameResolver

logger = logging.getLogger(__name__)

#: A file still pending or processing after this long is queued again by the sweeper.
STUCK_AFTER = timedelta(minutes=15)
MAX_ATTEMPTS = 5
#: The task's soft time limit in seconds (its hard limit is a minute more).
SOFT_TIME_LIMIT = 600


#: Most names kept in a file's matching report (the most frequent first).
MAX_NAME_MATCHES = 50


def _name_resolver() -> NameResolver:
    return NameResolver.from_species(locations.species_by_strictness())


def claim(file_id: int) -> bool:
    """Mark the file processing if it is pending (or stuck); return whether we got it."""
    stale = timezone.now() - STUCK_AFTER
    return bool(
        DataFile.objects.filter(pk=file_id, attempts__lt=MAX_ATTEMPTS)
        .filter(
            Q(state=FileState.PENDING)
            | Q(state=FileState.PROCESSING, processing_started_at__lt=stale)
        )
        .update(
            state=FileState.PROCESSING,
            processing_started_at=timezone.now(),
            attempts=F("attempts") + 1,
        )
    )


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


def examine(data_file: DataFile, path: Path, on_points=None) -> dict:
    """Return the processing results of the file at ``path`` (raise ProcessingError)."""
    kind = sniff.sniff(path, data_file.original_name)
    results: dict = {"detected_type": kind, "warnings": []}
    if kind == "pdf":
        results["extracted_text"] = extract.pdf_text(path, results["warnings"])
    elif kind in {"docx", "pptx"}:
        results["extracted_text"] = extract.office_text(path, kind)
    if kind == "csv":
        profile = tabular.profile_csv(path, _name_resolver(), on_points)
        if profile.errors:
            raise ProcessingError(problems=profile.errors)
        results.update(
            detected_type=f"csv/{profile.format}",
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
            results["warnings"].append(_("The table has a header but no rows."))
    results["thumbnail"] = extract.thumbnail(path, kind)
    return results


def process(file_id: int) -> str:
    """Process one file if it can be claimed; return its state afterwards."""
    if not claim(file_id):
        return DataFile.objects.filter(pk=file_id).values_list("state", flat=True).first() or ""
    data_file = DataFile.objects.get(pk=file_id)
    try:
        # Points are written while the table is read; a failure rolls them back.
        with transaction.atomic():
            Occurrence.objects.filter(data_file_id=file_id).delete()
            writer = OccurrenceWriter(data_file) if data_file.dataset_id else None
            results = examine(data_file, Path(data_file.file.path), writer)
            if writer is not None:
                writer.flush()
                locations.generalize_file(data_file)
            _save_results(file_id, results)
    except ProcessingError as error:
        return _fail(file_id, str(error), error.problems)
    except SoftTimeLimitExceeded:
        return _fail(
            file_id,
            _(
                "Reading the file took longer than the %(minutes)d minutes allowed. Split it "
                "into smaller files and upload those."
            )
            % {"minutes": SOFT_TIME_LIMIT // 60},
        )
    except FileNotFoundError:
        logger.error("File %s is missing from storage (%s).", file_id, data_file.file.name)
        return _fail(
            file_id,
            _("The stored copy of this file is missing. Upload it again, or ask the operators."),
        )
    except OperationalError:
        # The database went away: give the file back so that the retry (or the sweeper)
        # can claim it again, then let the task retry.
        DataFile.objects.filter(pk=file_id, state=FileState.PROCESSING).update(
            state=FileState.PENDING
        )
        raise
    except Exception:  # noqa: BLE001 - a bug must not leave the file processing for ever
        logger.exception("Processing file %s failed unexpectedly.", file_id)
        return _fail(
            file_id,
            _(
                "The hub could not read this file because of an error of its own; the "
                "operators have been told. You may try uploading it again later."
            ),
        )
    _reindex(DataFile.objects.get(pk=file_id))
    return FileState.READY


def _fail(file_id: int, reason: str, problems: list[dict] | None = None) -> str:
    DataFile.objects.filter(pk=file_id).update(
        state=FileState.FAILED,
        error=reason[:2000],
        problems=problems or [],
        processed_at=timezone.now(),
    )
    return FileState.FAILED


def _save_results(file_id: int, results: dict) -> None:
    thumbnail = results.pop("thumbnail")
    data_file = DataFile.objects.select_for_update().get(pk=file_id)
    for name, value in results.items():
        setattr(data_file, name, value)
    if thumbnail:
        data_file.thumbnail.save("thumbnail.png", ContentFile(thumbnail), save=False)
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
            _("Identical to %(name)s, already in this dataset.")
            % {"name": data_file.duplicate_of.original_name},
        ]
    data_file.state = FileState.READY
    data_file.error = ""
    data_file.problems = []
    data_file.processed_at = timezone.now()
    data_file.save()


def _reindex(data_file: DataFile) -> None:
    from search.services import index_dataset_on_commit, index_publication_on_commit

    if data_file.dataset_id:
        index_dataset_on_commit(data_file.dataset_id)
    else:
        link = getattr(data_file, "publication_link", None)
        if link is not None:
            index_publication_on_commit(link.publication_id)


def stuck_files() -> list[int]:
    """Return the ids of files waiting too long in pending or processing."""
    stale = timezone.now() - STUCK_AFTER
    return list(
        DataFile.objects.filter(attempts__lt=MAX_ATTEMPTS)
        .filter(
            Q(state=FileState.PENDING, uploaded_at__lt=stale)
            | Q(state=FileState.PROCESSING, processing_started_at__lt=stale)
        )
        .values_list("pk", flat=True)[:500]
    )


def give_up_on_exhausted_files() -> int:
    """Mark failed the files still waiting after ``MAX_ATTEMPTS`` tries; return how many."""
    stale = timezone.now() - STUCK_AFTER
    return (
        DataFile.objects.filter(attempts__gte=MAX_ATTEMPTS)
        .filter(
            Q(state=FileState.PENDING, uploaded_at__lt=stale)
            | Q(state=FileState.PROCESSING, processing_started_at__lt=stale)
        )
        .update(
            state=FileState.FAILED,
            error=_(
                "Processing was tried %(times)d times without finishing. Upload the file "
                "again, or ask the operators."
            )
            % {"times": MAX_ATTEMPTS},
            processed_at=timezone.now(),
        )
    )


def enqueue(file_id: int) -> None:
    """Queue processing; if the broker is down, leave the file pending for the sweeper."""
    from datasets.tasks import process_data_file

    try:
        process_data_file.delay(file_id)
    except Exception as error:  # noqa: BLE001 - whatever the broker does, keep the upload
        logger.warning("Could not queue file %s (%s); the sweeper will retry.", file_id, error)


def enqueue_on_commit(file_id: int) -> None:
    """Queue processing of the file once the upload's transaction has committed."""
    transaction.on_commit(lambda: enqueue(file_id))
