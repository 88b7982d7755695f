"""Reads behind a dataset's profile: its tables' columns, counts, species and points.

Everything comes from what processing stored (``DataFile`` results, ``FilePreview``), read
through the policy: the dataset through ``access_dataset``, points through
``occurrences_for`` (the public form for people who may not download), and the bounding box
of the files only for people who may download them, since it is computed on exact values.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch, prefetch_related_objects

from access import policy
from datasets.messages import name_match_lines
from datasets.models import DataFile, Dataset, FileState
from maps.selectors import Legend, points_and_legend
from species.models import Species


@dataclass
class FileProfile:
    """What the profile says about one file."""

    data_file: DataFile
    columns: list[dict]
    sampled: int
    has_preview: bool
    species: list[dict]
    names: list[str]
    thumbnail: bool
    #: The first rows as this reader may see them (``policy.preview_rows``), or None.
    preview: policy.PreviewRows | None = None


@dataclass
class DatasetProfile:
    """What the profile says about a dataset, for one reader."""

    dataset: Dataset
    exact: bool
    files: list[FileProfile] = field(default_factory=list)
    species: list[dict] = field(default_factory=list)
    points: list[list] = field(default_factory=list)
    legend: Legend = field(default_factory=Legend)
    bbox: list[float] | None = None


def preview_ready(data_file: DataFile) -> bool:
    return data_file.state == FileState.READY


def _species_rows(counts: dict[str, int], species: dict[str, Species]) -> list[dict]:
    rows = [
        {
            "code": code,
            "name": species[code].name if code in species else code,
            "scientific_name": species[code].scientific_name if code in species else "",
            "individuals": rows,
        }
        for code, rows in counts.items()
    ]
    return sorted(rows, key=lambda row: (-row["individuals"], row["code"]))


def _union(boxes: list[list[float]]) -> list[float] | None:
    if not boxes:
        return None
    return [
        min(box[0] for box in boxes),
        min(box[1] for box in boxes),
        max(box[2] for box in boxes),
        max(box[3] for box in boxes),
    ]


def dataset_profile(*, user, dataset: Dataset, with_points: bool = True) -> DatasetProfile:
    """Return the profile of ``dataset`` (fetched through the policy) as ``user`` may see it."""
    exact = bool(getattr(dataset, "can_download", False))
    if "files" not in getattr(dataset, "_prefetched_objects_cache", {}):
        prefetch_related_objects(
            [dataset],
            Prefetch("files", queryset=DataFile.objects.order_by("uploaded_at", "pk")),
        )
    files = list(dataset.files.all())
    prefetch_related_objects(files, "preview")
    all_species = {item.code: item for item in Species.objects.all()}
    scientific = {code: item.scientific_name for code, item in all_species.items()}
    profile = DatasetProfile(dataset=dataset, exact=exact)
    totals: dict[str, int] = {}
    boxes = []
    for data_file in files:
        preview = getattr(data_file, "preview", None) if preview_ready(data_file) else None
        for code, rows in (data_file.species_counts or {}).items():
            totals[code] = totals.get(code, 0) + rows
        if exact and data_file.bbox:
            boxes.append(data_file.bbox)
        profile.files.append(
            FileProfile(
                data_file=data_file,
                columns=preview.columns if preview else [],
                sampled=preview.sampled if preview else 0,
                has_preview=preview is not None,
                species=_species_rows(data_file.species_counts or {}, all_species),
                names=name_match_lines(data_file.name_matches, scientific, with_values=exact),
                # Thumbnails go out under the file's own rule (``downloads.thumbnail``); a
                # ready file is downloadable exactly when the dataset is.
                thumbnail=exact and preview_ready(data_file) and bool(data_file.thumbnail),
                preview=policy.preview_rows(preview, exact=exact) if preview else None,
            )
        )
    profile.species = _species_rows(totals, all_species)
    profile.bbox = _union(boxes)
    if with_points:
        features = policy.occurrences_for(user, dataset=dataset.pk)
        profile.points, profile.legend = points_and_legend(features, all_species)
    return profile
