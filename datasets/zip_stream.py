"""A write-only pipe for building zip archives while they are sent, chunk by chunk."""

import io


class Pipe(io.RawIOBase):
    """A write-only, unseekable stream whose bytes are taken out as they come.

    ``zipfile`` writes into it (with data descriptors, as it cannot seek back); a streaming
    response takes the bytes written so far with ``take`` and sends them on.
    """

    def __init__(self) -> None:
        super().__init__()
        self._chunks: list[bytes] = []
        self._position = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[override]
        chunk = bytes(data)
        self._chunks.append(chunk)
        self._position += len(chunk)
        return len(chunk)

    def tell(self) -> int:
        return self._position

    def take(self) -> bytes:
        chunk, self._chunks = b"".join(self._chunks), []
        return chunk
