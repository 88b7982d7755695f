"""Raw monitoring data: datasets and their files, review, access, and the records read from them.

A package by subject: ``core`` (datasets, files, review decisions), ``access`` (grants and
requests), ``occurrences`` (the located records, exact and public), ``previews`` (a table's
profile and first rows) and ``counts`` (daily views and downloads). Everything is imported
from here, as ``datasets.models``, by code and migrations alike.
"""

from datasets.models.access import AccessGrant, AccessRequest, Recommendation, RequestStatus
from datasets.models.core import (
    EDITABLE_STATUSES,
    LIST_LIMITS,
    LONG_TEXT,
    REASON_TEXT,
    SHORT_TEXT,
    AccessLevel,
    DataFile,
    Dataset,
    DatasetGroupObjectPermission,
    DatasetStatus,
    DatasetUserObjectPermission,
    Decision,
    DoiState,
    FileState,
    Licence,
    Method,
    ReviewDecision,
    _upload_path,
)
from datasets.models.counts import CountKind, CountSubject, DailyCount
from datasets.models.occurrences import (
    Occurrence,
    PublicOccurrence,
    PublicOccurrenceQuerySet,
    RecordContext,
    Withheld,
)
from datasets.models.previews import PREVIEW_ROWS, PROFILE_SAMPLE, ColumnType, FilePreview

__all__ = [
    "EDITABLE_STATUSES",
    "LIST_LIMITS",
    "LONG_TEXT",
    "PREVIEW_ROWS",
    "PROFILE_SAMPLE",
    "REASON_TEXT",
    "SHORT_TEXT",
    "AccessGrant",
    "AccessLevel",
    "AccessRequest",
    "ColumnType",
    "CountKind",
    "CountSubject",
    "DailyCount",
    "DataFile",
    "Dataset",
    "DatasetGroupObjectPermission",
    "DatasetStatus",
    "DoiState",
    "DatasetUserObjectPermission",
    "Decision",
    "FilePreview",
    "FileState",
    "Licence",
    "Method",
    "Occurrence",
    "PublicOccurrence",
    "PublicOccurrenceQuerySet",
    "Recommendation",
    "RecordContext",
    "RequestStatus",
    "ReviewDecision",
    "Withheld",
    "_upload_path",
]
