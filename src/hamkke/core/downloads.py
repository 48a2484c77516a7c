"""Answering a download made of byte chunks (exports): small files in one response, large ones streamed."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse


@dataclass(frozen=True)
class ChunkedFile:
    """A file still being made: ``chunks`` runs the query and writes the rows as it is consumed."""

    filename: str
    content_type: str
    chunks: Iterator[bytes]


def _rest(head: list[bytes], chunks: Iterator[bytes]) -> Iterator[bytes]:
    try:
        yield from head
        yield from chunks
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()  # a download broken off: the query's cursor and temporary files go now


def download_response(file: ChunkedFile) -> HttpResponse | StreamingHttpResponse:
    """Up to HAMKKE_EXPORT_BUFFER_BYTES the file is answered whole (with its length, and usable where a
    response must have content); past that it streams, so memory stays bounded whatever its size."""
    head: list[bytes] = []
    size = 0
    chunks = iter(file.chunks)
    response: HttpResponse | StreamingHttpResponse
    for chunk in chunks:
        head.append(chunk)
        size += len(chunk)
        if size > settings.HAMKKE_EXPORT_BUFFER_BYTES:
            response = StreamingHttpResponse(_rest(head, chunks), content_type=file.content_type)
            break
    else:
        response = HttpResponse(b"".join(head), content_type=file.content_type)
    return with_download_headers(response, file.filename)


def with_download_headers(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def joined(chunks: Iterable[bytes]) -> bytes:
    """The whole file (tests, small files kept in memory on purpose)."""
    return b"".join(chunks)
