"""The fetcher against a local server: limits, redirects, conditional requests, compression, charsets."""

from __future__ import annotations

import gzip
import time
import zlib
from collections.abc import Iterator

import pytest
from feed_server import FeedServer, Route, endless, serving, stall, trickle

from nashra import __version__
from nashra.fetch import MAX_BYTES, FetchError, Limits, Validators, decode, fetch, user_agent

AGENT = user_agent("https://digest.example/")
ARABIC = "الحكومة اليمنية تعلن خطة جديدة لإعادة الإعمار في عدن وتعز، وتدعو المانحين إلى الوفاء بتعهداتهم"
FRENCH = "Le gouvernement français annonce une réforme : élèves, écoles et hôpitaux seront concernés dès l'été."


@pytest.fixture
def server() -> Iterator[FeedServer]:
    yield from serving()


def fails(url: str, limits: Limits | None = None) -> str:
    with pytest.raises(FetchError) as caught:
        fetch(url, AGENT, limits=limits or Limits())
    return str(caught.value)


def test_user_agent_names_nashra_and_the_site(server: FeedServer) -> None:
    server.routes["/feed"] = Route(b"<rss/>")
    answer = fetch(server.url("/feed"), AGENT)
    assert answer.body == b"<rss/>" and answer.charset == "utf-8" and answer.content_type == "application/rss+xml"
    headers = server.requests[0][1]
    assert headers["user-agent"] == f"nashra/{__version__} (+https://digest.example/)"
    assert "gzip" in headers["accept-encoding"] and "if-none-match" not in headers


def test_conditional_request_gets_not_modified(server: FeedServer) -> None:
    server.routes["/feed"] = Route(
        b"<rss/>", headers=(("Last-Modified", "Sat, 28 Nov 2026 10:00:00 GMT"),), etag='"v1"'
    )
    first = fetch(server.url("/feed"), AGENT)
    assert first.validators == Validators('"v1"', "Sat, 28 Nov 2026 10:00:00 GMT") and not first.not_modified
    second = fetch(server.url("/feed"), AGENT, first.validators)
    assert second.not_modified and second.body == b""
    assert server.requests[1][1]["if-none-match"] == '"v1"'
    assert server.requests[1][1]["if-modified-since"] == "Sat, 28 Nov 2026 10:00:00 GMT"


@pytest.mark.parametrize(
    ("encoding", "pack"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw deflate, as some servers send
    ],
)
def test_compressed_bodies(server: FeedServer, encoding: str, pack) -> None:  # type: ignore[no-untyped-def]
    body = ("<rss>" + ARABIC * 50 + "</rss>").encode()
    server.routes["/feed"] = Route(pack(body), headers=(("Content-Encoding", encoding),))
    assert fetch(server.url("/feed"), AGENT).body == body


def test_a_small_gzip_that_inflates_past_the_limit_is_cut(server: FeedServer) -> None:
    server.routes["/bomb"] = Route(gzip.compress(b"\0" * 5_000_000), headers=(("Content-Encoding", "gzip"),))
    assert fails(server.url("/bomb"), Limits(max_bytes=1_000_000)) == "too large: more than 1,000,000 bytes"


def test_redirects_are_followed_counted_and_loops_found(server: FeedServer) -> None:
    server.routes["/old"] = Route(status=301, headers=(("Location", "/new"),))
    server.routes["/new"] = Route(b"<rss/>")
    answer = fetch(server.url("/old"), AGENT)
    assert answer.url == server.url("/new") and answer.body == b"<rss/>"
    server.routes["/a"] = Route(status=302, headers=(("Location", "/b"),))
    server.routes["/b"] = Route(status=307, headers=(("Location", server.url("/a")),))
    assert fails(server.url("/a")) == f"redirect loop: {server.url('/a')} was already visited"
    for number in range(4):
        server.routes[f"/r{number}"] = Route(status=302, headers=(("Location", f"/r{number + 1}"),))
    server.routes["/r4"] = Route(b"<rss/>")
    assert fails(server.url("/r0"), Limits(max_redirects=3)).startswith("more than 3 redirects")
    assert fetch(server.url("/r0"), AGENT, limits=Limits(max_redirects=4)).body == b"<rss/>"
    server.routes["/ftp"] = Route(status=302, headers=(("Location", "ftp://example.com/feed"),))
    assert "not an http(s) address" in fails(server.url("/ftp"))


def test_http_errors_say_the_status(server: FeedServer) -> None:
    server.routes["/broken"] = Route(b"oops", status=500)
    assert fails(server.url("/missing")) == "HTTP 404 Not Found"
    assert fails(server.url("/broken")) == "HTTP 500 Internal Server Error"


def test_nothing_listening() -> None:
    assert fails("http://127.0.0.1:9/feed").startswith("cannot connect")


def test_a_response_that_never_finishes_is_cut_at_the_total_timeout(server: FeedServer) -> None:
    server.routes["/slow"] = Route(trickle())
    started = time.monotonic()
    message = fails(server.url("/slow"), Limits(connect_timeout=0.5, total_timeout=0.6))
    assert message == "the answer did not finish within 0.6 s"
    assert time.monotonic() - started < 3


def test_a_response_that_goes_silent_is_cut(server: FeedServer) -> None:
    server.routes["/stall"] = Route(stall())
    assert fails(server.url("/stall"), Limits(connect_timeout=0.3, total_timeout=5)).startswith("the answer stalled")


def test_a_silent_response_is_cut_at_the_deadline_even_when_that_comes_first(server: FeedServer) -> None:
    """Each read waits at most until the deadline: bytes for 0.8 s, then silence, is cut at 1 s, not 1.8 s."""

    def chunks() -> Iterator[bytes]:
        for _ in range(8):
            yield b" "
            time.sleep(0.1)
        time.sleep(10)
        yield b"never"

    server.routes["/stall"] = Route(chunks)
    started = time.monotonic()
    assert fails(server.url("/stall"), Limits(connect_timeout=4, total_timeout=1)) == (
        "the answer did not finish within 1 s"
    )
    assert time.monotonic() - started < 1.5


def test_size_limit_announced_and_streamed(server: FeedServer) -> None:
    server.routes["/big"] = Route(b"x" * 2000)
    assert fails(server.url("/big"), Limits(max_bytes=1000)) == "too large: 2,000 bytes announced, the limit is 1,000"
    server.routes["/endless"] = Route(endless())
    assert fails(server.url("/endless"), Limits(max_bytes=200_000)) == "too large: more than 200,000 bytes"


def test_the_default_size_limit_stops_reading_a_stream(server: FeedServer) -> None:
    server.routes["/endless"] = Route(endless())
    assert fails(server.url("/endless")) == f"too large: more than {MAX_BYTES:,} bytes"


# ---------------------------------------------------------------- charsets


def feed(text: str, declaration: str = "") -> str:
    head = f"<?xml version='1.0' encoding='{declaration}'?>" if declaration else ""
    return f"{head}<rss version='2.0'><channel><title>{text}</title></channel></rss>"


@pytest.mark.parametrize(
    ("body", "charset", "expected"),
    [
        (feed(ARABIC).encode("utf-8"), "", "utf-8"),
        (feed(ARABIC).encode("cp1256"), "", "cp1256"),  # nothing declared
        (feed(ARABIC).encode("iso-8859-6"), "", "iso8859-6"),
        (feed(ARABIC).encode("cp1256"), "utf-8", "cp1256"),  # the server says UTF-8, wrongly
        (feed(ARABIC).encode("cp1256"), "iso-8859-1", "cp1256"),  # a server default of Latin-1
        (feed(ARABIC).encode("utf-8"), "iso-8859-1", "utf-8"),  # would be mojibake: Ø§Ù„
        (feed(ARABIC, "windows-1256").encode("cp1256"), "", "cp1256"),
        (feed(ARABIC, "utf-8").encode("cp1256"), "", "cp1256"),  # the declaration is wrong too
        (
            f"<html><head><meta charset='windows-1256'></head><body>{ARABIC}</body></html>".encode("cp1256"),
            "",
            "cp1256",
        ),
        (b"\xef\xbb\xbf" + feed(ARABIC).encode("utf-8"), "cp1256", "utf-8"),  # a byte-order mark wins
        (feed(FRENCH).encode("cp1252"), "iso-8859-1", "cp1252"),  # Latin-1 that really is
        (feed(FRENCH).encode("cp1252"), "", "cp1256"),  # windows-1256 has the French letters where 1252 has them
    ],
)
def test_decoding_finds_the_right_charset(body: bytes, charset: str, expected: str) -> None:
    text, used = decode(body, charset)
    assert used == expected
    assert ARABIC in text or FRENCH in text


def test_decoding_through_the_server(server: FeedServer) -> None:
    server.routes["/feed"] = Route(feed(ARABIC).encode("cp1256"), headers=(("Content-Type", "text/xml"),))
    answer = fetch(server.url("/feed"), AGENT)
    assert answer.charset == "" and ARABIC in decode(answer.body, answer.charset)[0]
