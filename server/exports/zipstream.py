"""A zip file written as a stream: each member's bytes are handed on as they are made.

The standard library's zipfile writes to a file that cannot seek (it then puts each member's
CRC and sizes in a data descriptor after its data, as the format allows), and members can be
written piece by piece; so nothing is held but the piece in hand and the central directory's
entries. Each member's SHA-256 is computed on the way, for SHA256SUMS.
"""

import hashlib
import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime

# Bytes gathered before they are handed on: fewer, larger pieces for the network or the file.
FLUSH = 256 * 1024
# Files as unzip makes them: readable by everyone, writable by their owner.
FILE_MODE = 0o100644 << 16
# Deflate's fastest level: the records (CSV and JSON text) shrink to about a quarter of their
# size (a fifth at the default level 6, which takes three times as long: most of a large
# bundle's time went to it).
DEFLATE_LEVEL = 1


class _Sink:
    """A file that cannot seek or tell: it keeps what is written until it is taken."""

    def __init__(self):
        self._pieces: list[bytes] = []
        self.size = 0

    def write(self, data) -> int:
        self._pieces.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        """Nothing to flush: take() hands the bytes on."""

    def take(self) -> bytes:
        data = b"".join(self._pieces)
        self._pieces, self.size = [], 0
        return data


class ZipStream:
    """A zip file made member by member: add() and close() yield its bytes in order."""

    def __init__(self, when: datetime):
        self._sink = _Sink()
        self._zip = zipfile.ZipFile(self._sink, "w", allowZip64=True)
        self._when = when.timetuple()[:6]
        # (name, SHA-256 of its content) of every member written, in order.
        self.sums: list[tuple[str, str]] = []
        # The members' own bytes (before compression), all added up.
        self.content_bytes = 0

    def add(
        self, name: str, pieces: Iterable[bytes], store: bool = False, size: int | None = None
    ) -> Iterator[bytes]:
        """Write a member from its pieces: deflated, or stored as it is (images, PDFs);
        size, when known, lets a member under 4 GiB go without the ZIP64 fields."""
        info = zipfile.ZipInfo(name, self._when)
        info.compress_type = zipfile.ZIP_STORED if store else zipfile.ZIP_DEFLATED
        info._compresslevel = DEFLATE_LEVEL  # ZipInfo.compress_level from Python 3.13 on
        info.external_attr = FILE_MODE
        if size is not None:
            info.file_size = size
        digest = hashlib.sha256()
        with self._zip.open(info, "w", force_zip64=size is None) as member:
            for piece in pieces:
                digest.update(piece)
                member.write(piece)
                self.content_bytes += len(piece)
                if self._sink.size >= FLUSH:
                    yield self._sink.take()
        self.sums.append((name, digest.hexdigest()))
        if self._sink.size >= FLUSH:
            yield self._sink.take()

    def close(self) -> Iterator[bytes]:
        """Write the central directory: the last bytes of the file."""
        self._zip.close()
        yield self._sink.take()


def sha256sums(sums: Iterable[tuple[str, str]]) -> bytes:
    """The lines of a SHA256SUMS file as sha256sum writes them: hash, two spaces, name."""
    return "".join(f"{digest}  {name}\n" for name, digest in sums).encode("utf-8")
