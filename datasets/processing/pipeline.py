"""The processing service: claim a pending file, examine it, record the outcome.

Safe to run twice: the claim is a conditional UPDATE, so only one worker processes a
file, and a file already ready or failed is left alone.
"""

import logging
from datetime import timedelta
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from datasets.models import DataFile, FileState
from datasets.processing import ProcessingError, extract, sniff, tabular
from species.models import Species

logger = logging.getLogger(__name__)

#: A file still pending or processing after this long is queued again by the sweeper.
STUCK_AFTER = timedelta(minutes=15)
MAX_ATTEMPTS = 5


def _known_species() -> dict[str, str]:
    names = {}
    for species in Species.objects.all():
        names[species.scientific_name.lower()] = species.code
        for synonym in species.synonyms.split(";"):
            if synonym.strip():
                names[synonym.strip().lower()] = species.code
    return names


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


def examine(data_file: DataFile, path: Path) -> dict:
    """Return the processing results of the file at ``path`` (raise ProcessingError)."""
    kind = sniff.sniff(path, data_file.original_name)
    results: dict = {"detected_type": kind, "warnings": []}
    if kind == "pdf":
        results["extracted_text"] = extract.pdf_text(path)
    elif kind in {"docx", "pptx"}:
        results["extracted_text"] = extract.office_text(path, kind)
    if kind == "csv":
        profile = tabular.profile_csv(path, _known_species())
        if profile.errors:
            raise ProcessingError("; ".join(profile.errors))
        results.update(
            detected_type=f"csv/{profile.format}",
            row_count=profile.rows,
            columns=profile.columns,
            date_start=profile.date_start,
            date_end=profile.date_end,
            bbox=profile.bbox,
            species_counts=dict(profile.species),
        )
        if profile.unknown_species:
            names = ", ".join(sorted(profile.unknown_species)[:10])
            results["warnings"].append(
                _("Names not in the species list (kept, not linked): %(names)s") % {"names": names}
            )
    results["thumbnail"] = extract.thumbnail(path, kind)
    return results


def process(file_id: int) -> str:
    """Process one file if it can be claimed; return its state afterwards."""
    if not claim(file_id):
        return DataFile.objects.filter(pk=file_id).values_list("state", flat=True).first() or ""
    data_file = DataFile.objects.get(pk=file_id)
    try:
        results = examine(data_file, Path(data_file.file.path))
    except ProcessingError as error:
        DataFile.objects.filter(pk=file_id).update(
            state=FileState.FAILED, error=str(error)[:2000], processed_at=timezone.now()
        )
        return FileState.FAILED
    thumbnail = results.pop("thumbnail")
    with transaction.atomic():
        data_file = DataFile.objects.select_for_update().get(pk=file_id)
        for name, value in results.items():
            setattr(data_file, name, value)
        if thumbnail:
            data_file.thumbnail.save("thumbnail.png", ContentFile(thumbnail), save=False)
        data_file.duplicate_of = (
            DataFile.objects.filter(dataset_id=data_file.dataset_id, sha256=data_file.sha256)
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
        data_file.processed_at = timezone.now()
        data_file.save()
    _reindex(data_file)
    return FileState.READY


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
