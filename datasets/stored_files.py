"""Stored files read where they are: on the local disk or in an S3 bucket, through Django's
storage API, in chunks, without copying a whole file to the disk of the node that reads it.

``StoredSource`` is what processing reads (``datasets.processing``): ``open()`` gives a
seekable binary file. On local storage it is the file itself. On S3 it is
``RangedObject``: each read asks the bucket for the byte range it needs (GetObject with a
``Range``), growing while the reading goes on in order, so that a table is streamed in a
few large ranges and a zip's central directory, a PDF's cross-reference table or an
image's header cost one small ranged request each instead of a download (django-storages'
own ``S3File`` downloads the whole object into a temporary file first). Nothing is copied
to disk: pypdf, pypdfium2, zipfile and Pillow all read from a seekable stream
(docs/decisions/object-storage.md).
"""

import io
from collections import OrderedDict
from typing import IO, Any, cast

from django.core.files.storage import FileSystemStorage, Storage
from storages.utils import clean_name

#: Bytes asked of the bucket by a read that jumps (a seek); reads that go on where the last
#: request ended ask twice as much each time, up to MAX_WINDOW; an open file keeps at most
#: CACHE_BYTES of what it fetched.
BLOCK_SIZE = 1024 * 1024
MAX_WINDOW = 32 * 1024 * 1024
CACHE_BYTES = 64 * 1024 * 1024


def is_remote(storage: Storage) -> bool:
    """Whether ``storage`` keeps its files off this machine (an S3 bucket)."""
    return not isinstance(storage, FileSystemStorage)


def _s3_object(storage: Storage, name: str) -> Any:
    """Return the boto3 ``Object`` of ``name`` in an S3Storage (its location applied)."""
    s3 = cast(Any, storage)
    return s3.bucket.Object(s3._normalize_name(clean_name(name)))


class RangedObject(io.RawIOBase):
    """A read-only, seekable view of one object of a bucket, read by byte ranges.

    A sequential reader (a table) is served by ever larger ranges, so that a file of
    gigabytes costs a few dozen requests; a reader that jumps (a zip's directory, a PDF's
    objects) gets a small range at each jump. What was fetched is kept, within CACHE_BYTES.
    """

    def __init__(self, storage: Storage, name: str, size: int) -> None:
        super().__init__()
        self._object = _s3_object(storage, name)
        self._size = size
        self._position = 0
        self._spans: OrderedDict[int, bytes] = OrderedDict()
        self._cached = 0
        self._next = 0  # where the last request ended: a read from there is sequential
        self._window = BLOCK_SIZE // 2
        self.requests = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        self._position = max(0, base + offset)
        return self._position

    def _span(self, position: int) -> tuple[int, bytes]:
        """Return a fetched span (its start, its bytes) that holds ``position``."""
        for start, data in self._spans.items():
            if start <= position < start + len(data):
                self._spans.move_to_end(start)
                return start, data
        sequential = position == self._next
        self._window = min(self._window * 2, MAX_WINDOW) if sequential else BLOCK_SIZE
        end = min(position + self._window, self._size) - 1
        data = self._object.get(Range=f"bytes={position}-{end}")["Body"].read()
        self.requests += 1
        self._next = position + len(data)
        self._spans[position] = data
        self._cached += len(data)
        while self._cached > CACHE_BYTES and len(self._spans) > 1:
            self._cached -= len(self._spans.popitem(last=False)[1])
        return position, data

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        wanted = min(len(view), self._size - self._position)
        done = 0
        while done < wanted:
            start, data = self._span(self._position)
            offset = self._position - start
            chunk = data[offset : offset + wanted - done]
            if not chunk:
                break
            view[done : done + len(chunk)] = chunk
            done += len(chunk)
            self._position += len(chunk)
        return done


class StoredSource:
    """One stored file, as processing reads it: its size, and seekable binary reads."""

    def __init__(self, storage: Storage, name: str) -> None:
        self.storage = storage
        self.name = name
        self._size: int | None = None

    @classmethod
    def of(cls, field_file: Any) -> "StoredSource":
        """Return the source of a model's ``FieldFile`` (e.g. ``DataFile.file``)."""
        return cls(field_file.storage, field_file.name)

    @property
    def size(self) -> int:
        if self._size is None:
            self._size = self.storage.size(self.name)
        return self._size

    @property
    def local(self) -> bool:
        """Whether the file is on this machine's disk (it may then be read by forked children)."""
        return not is_remote(self.storage)

    def open(self, mode: str = "rb") -> IO[bytes]:
        """Open the file for binary reading; raise FileNotFoundError if it is not stored."""
        if mode != "rb":
            raise ValueError("Stored files are read only.")
        if self.local:
            return cast(IO[bytes], self.storage.open(self.name, "rb").file)
        if not self.storage.exists(self.name):
            raise FileNotFoundError(self.name)
        raw = RangedObject(self.storage, self.name, self.size)
        return cast(IO[bytes], io.BufferedReader(raw, buffer_size=256 * 1024))

    def __str__(self) -> str:
        return self.name
