"""The HTTP/1.1 protocol the companion serves with: uvicorn's httptools one, with a bound.

httptools (a C parser, much faster than h11) buffers a request's head in full before the ASGI
app sees it, however long it is; h11 refused heads past a buffer limit. So a head that grows
past `MAX_HEAD_BYTES` before it is complete gets a 431 in the one error shape and the
connection is closed: a local process cannot make the companion buffer gigabytes of headers.
Heads within the bound still meet the security gate's own, finer limit (16 KB of headers).
"""

from __future__ import annotations

import json

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from companion.errors import HeadersTooLarge

__all__ = ["MAX_HEAD_BYTES", "BoundedHttpToolsProtocol"]

MAX_HEAD_BYTES = 256 * 1024


def _refusal() -> bytes:
    error = HeadersTooLarge(f"the request's head is larger than {MAX_HEAD_BYTES // 1024} KB")
    body = json.dumps(error.body()).encode()
    return (
        b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
        b"content-type: application/json\r\n"
        b"content-length: " + str(len(body)).encode() + b"\r\n"
        b"connection: close\r\n\r\n" + body
    )


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol that refuses a request head larger than `MAX_HEAD_BYTES`.

    Bytes are counted from the end of one request's body (or the connection's start) until the
    next head is complete, so a chunk that also carries body bytes counts whole: the bound is
    on memory, not an exact head size.
    """

    _in_head = True
    _head_bytes = 0

    def data_received(self, data: bytes) -> None:
        if self._in_head:
            self._head_bytes += len(data)
            if self._head_bytes > MAX_HEAD_BYTES:
                self.transport.write(_refusal())
                self.transport.close()
                return
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._in_head = False
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._in_head, self._head_bytes = True, 0
