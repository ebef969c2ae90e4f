"""Reading an upload's body: a read timeout on the client's socket, and 408 when the body stalls."""

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from werkzeug.exceptions import ClientDisconnected

from server.exceptions import TimedOut

# Where WSGI servers put the client's socket: gunicorn, and werkzeug's development server.
_SOCKET_KEYS = ("gunicorn.socket", "werkzeug.socket")


@contextmanager
def read_timeout(environ: dict, seconds: float) -> Iterator[None]:
    """Within the block, a read from the client that waits more than seconds raises a timeout.

    Without it a client that sends half a body and stops holds the request (and a server
    thread) until the connection dies. The socket's own timeout is restored after the block.
    """
    client = next((environ[key] for key in _SOCKET_KEYS if key in environ), None)
    if not isinstance(client, socket.socket):
        yield
        return
    previous = client.gettimeout()
    client.settimeout(seconds)
    try:
        yield
    finally:
        client.settimeout(previous)


def read_chunk(stream: BinaryIO, size: int, timeout: float) -> bytes:
    """Up to size bytes of the body; TimedOut when the client sent nothing for timeout s."""
    try:
        return stream.read(size)
    except ClientDisconnected as error:
        # werkzeug's length-limited stream reports any read error as a disconnect; the timeout
        # it caught is the exception's context.
        if not isinstance(error.__context__, TimeoutError):
            raise
        raise _stalled(timeout) from None
    except TimeoutError:  # a chunked body is read without werkzeug's wrapper
        raise _stalled(timeout) from None


def _stalled(timeout: float) -> TimedOut:
    return TimedOut(
        f"The upload stalled: no data arrived for {timeout:g} seconds. Send the photo again."
    )
