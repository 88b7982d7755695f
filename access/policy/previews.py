"""Previews: the first rows of a dataset's table, exact or in their public form.

Anyone who may see a dataset's metadata sees its tables' previews; people who may download
its files read the rows as written, everyone else the public form decided at processing
time (``datasets.locations.public_preview``). A collar fix under embargo today shows no
location, whatever the stored form says, as on the map.
"""

from dataclasses import dataclass
from datetime import date

from django.http import Http404
from django.utils import timezone

from access.policy.datasets import visible_datasets
from access.policy.occurrences import GRID_UNCERTAINTY_M
from access.policy.roles import Actor
from datasets.models import DataFile, FilePreview, FileState

_WITHHELD = {
    "camera_station": "Camera-station coordinates are withheld.",
    "collar_fix": "Collar fixes younger than 180 days, and without a date, are withheld.",
    "species": "Locations of this species are withheld.",
}


@dataclass(frozen=True)
class PreviewRows:
    """What one reader sees of a table's first rows."""

    data_file: DataFile
    columns: list[dict]
    sampled: int
    exact: bool
    rows: list[list[str | None]]
    #: Per row, ``{"dataGeneralizations"?, "informationWithheld"?}`` (public form only).
    notes: list[dict]


def access_file_preview(user: Actor, pk: int | str) -> PreviewRows:
    """Return the preview of data file ``pk`` as ``user`` may see it.

    Raise Http404 when the file is missing, is not a dataset's, its dataset is not visible
    to ``user``, or it has no stored preview (not a table, not processed yet).
    """
    try:
        data_file = DataFile.objects.select_related("preview").get(
            pk=pk, dataset__isnull=False, state=FileState.READY
        )
        preview = data_file.preview
    except (DataFile.DoesNotExist, FilePreview.DoesNotExist, ValueError, TypeError):
        raise Http404("No such file.") from None
    dataset = visible_datasets(user).filter(pk=data_file.dataset_id or 0).first()
    if dataset is None:
        raise Http404("No such file.")
    return preview_rows(preview, exact=bool(getattr(dataset, "can_download", False)))


def preview_rows(preview: FilePreview, *, exact: bool, today: date | None = None) -> PreviewRows:
    """Return ``preview``'s rows in the form a reader ``exact`` (may download) or not sees."""
    if exact:
        return PreviewRows(
            preview.data_file, preview.columns, preview.sampled, True, preview.exact_rows, []
        )
    today = today or timezone.localdate()
    rows, notes = [], []
    places = set(preview.location_columns)
    for entry in preview.public_rows:
        cells, note = _public_row(entry, places, today)
        rows.append(cells)
        notes.append(note)
    return PreviewRows(preview.data_file, preview.columns, preview.sampled, False, rows, notes)


def _public_row(entry: dict, places: set[int], today: date) -> tuple[list[str | None], dict]:
    cells = list(entry["cells"])
    withheld = entry["withheld"]
    public_from = entry.get("public_from")
    if not withheld and public_from and date.fromisoformat(public_from) > today:
        withheld = "collar_fix"
        cells = [None if index in places else cell for index, cell in enumerate(cells)]
    note: dict = {}
    if withheld:
        note["informationWithheld"] = _WITHHELD[withheld]
    elif entry.get("grid"):
        grid = entry["grid"]
        note["dataGeneralizations"] = (
            f"Coordinates generalized to a {grid:g} degree grid "
            f"(uncertainty about {GRID_UNCERTAINTY_M.get(grid, 15_691)} m)."
        )
        note["informationWithheld"] = "Exact coordinates withheld."
    return cells, note
