"""A local HTTP server on 127.0.0.1 that serves fixture feeds and misbehaves on purpose."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STREAM_GIVE_UP = 20.0  # seconds: a misbehaving route never keeps a test run alive longer than this


@dataclass(frozen=True)
class Route:
    """What one path answers: status, headers and a body (bytes, or a generator of chunks for streams)."""

    body: bytes | Callable[[], Iterator[bytes]] = b""
    status: int = 200
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "application/rss+xml; charset=utf-8"),)
    etag: str = ""  # when set, a request with If-None-Match equal to it gets 304


@dataclass
class FeedServer:
    """Routes by path; every request's path and headers are kept for the tests to inspect."""

    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    base: str = ""

    def url(self, path: str) -> str:
        return self.base + path


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        """The client hanging up on a stream is the point of several tests, not an error."""


def serving() -> Iterator[FeedServer]:
    """Start a server on a free port; yield it; stop it."""
    state = FeedServer()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            state.requests.append((self.path, {key.lower(): value for key, value in self.headers.items()}))
            route = state.routes.get(self.path)
            if route is None:
                self._answer(404, (("Content-Type", "text/plain"),), b"not here")
                return
            if route.etag and self.headers.get("If-None-Match") == route.etag:
                self._answer(304, (("ETag", route.etag),), b"")
                return
            headers = (*route.headers, ("ETag", route.etag)) if route.etag else route.headers
            if callable(route.body):
                self._stream(route.status, headers, route.body)
            else:
                self._answer(route.status, headers, route.body)

        def _answer(self, status: int, headers: tuple[tuple[str, str], ...], body: bytes) -> None:
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _stream(self, status: int, headers: tuple[tuple[str, str], ...], chunks: Callable[[], Iterator[bytes]]):  # type: ignore[no-untyped-def]
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Connection", "close")  # the body ends when the connection does
            self.end_headers()
            self.close_connection = True
            started = time.monotonic()
            try:
                for chunk in chunks():
                    if time.monotonic() - started > STREAM_GIVE_UP:
                        break
                    self.wfile.write(chunk)
                    self.wfile.flush()
            except OSError:
                pass  # the client stopped reading: what the test wanted

    server = _Server(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def trickle(piece: bytes = b" ", every: float = 0.05) -> Callable[[], Iterator[bytes]]:
    """A body that never finishes: a byte now and then, forever."""

    def chunks() -> Iterator[bytes]:
        yield b"<?xml version='1.0'?><rss version='2.0'><channel>"
        while True:
            time.sleep(every)
            yield piece

    return chunks


def endless(chunk_size: int = 64 * 1024) -> Callable[[], Iterator[bytes]]:
    """A body without Content-Length that goes on as long as someone reads it."""

    def chunks() -> Iterator[bytes]:
        block = b"<!-- padding -->" * (chunk_size // 16)
        while True:
            yield block

    return chunks


def stall(after: bytes = b"<rss>", seconds: float = 5.0) -> Callable[[], Iterator[bytes]]:
    """A body that starts, then goes silent."""

    def chunks() -> Iterator[bytes]:
        yield after
        time.sleep(seconds)
        yield b"</rss>"

    return chunks
