"""A polite HTTP GET for feeds and article pages: limits on time, size and redirects; Arabic charsets decoded."""

from __future__ import annotations

import codecs
import contextlib
import re
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from typing import Any
from urllib.parse import urljoin, urlsplit

from . import __version__
from .text import looks_like_mojibake

CONNECT_TIMEOUT = 10.0  # seconds to connect, and at most between two chunks of the body
TOTAL_TIMEOUT = 30.0  # seconds for the whole response: a server that trickles bytes forever is cut
MAX_BYTES = 10 * 1024 * 1024  # a feed larger than this is a mistake (or an attack), not news
MAX_REDIRECTS = 5
CHUNK = 64 * 1024
# Arabic sites still serve these; the detector chooses among them only, so it cannot wander to a Cyrillic page.
ARABIC_CHARSETS = ("utf-8", "windows-1256", "iso-8859-6")

_XML_DECLARATION = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)


class FetchError(Exception):
    """Why an address could not be read, in words for the report."""


@dataclass(frozen=True, slots=True)
class Validators:
    """What the server said about the version we have: sent back to ask for changes only."""

    etag: str = ""
    last_modified: str = ""


@dataclass(frozen=True, slots=True)
class Response:
    """A successful GET: final address, content type, body bytes and the validators for next time."""

    url: str
    content_type: str
    charset: str  # from the Content-Type header, lower case; "" when none was given
    body: bytes
    validators: Validators
    not_modified: bool = False  # 304: the body is empty and the caller's copy is still current


@dataclass(frozen=True, slots=True)
class Limits:
    """How long, how large and how far a fetch may go; tests shrink them."""

    connect_timeout: float = CONNECT_TIMEOUT
    total_timeout: float = TOTAL_TIMEOUT
    max_bytes: int = MAX_BYTES
    max_redirects: int = MAX_REDIRECTS


def user_agent(base_url: str) -> str:
    """`nashra/0.1.0 (+https://site/)`: names the program and where its operator can be found."""
    return f"nashra/{__version__} (+{base_url})"


def fetch(url: str, agent: str, validators: Validators = Validators(), limits: Limits = Limits()) -> Response:
    """GET url, following at most `limits.max_redirects` redirects; conditional when validators are given.

    :raises FetchError: for any failure: network, HTTP status, timeout, size, redirects.
    """
    opener = urllib.request.build_opener(_NoRedirects)
    seen = {url}
    deadline = time.monotonic() + limits.total_timeout
    for _ in range(limits.max_redirects + 1):
        request = urllib.request.Request(url, headers=_headers(agent, validators))
        try:
            with _opened(opener, request, limits, deadline) as answer:
                return _read(answer, url, limits, deadline)
        except _Redirect as redirect:
            target = urljoin(url, redirect.location)
            if urlsplit(target).scheme not in ("http", "https"):
                raise FetchError(f"redirected to {target!r}, which is not an http(s) address") from None
            if target in seen:
                raise FetchError(f"redirect loop: {target} was already visited") from None
            seen.add(target)
            url = target
    raise FetchError(f"more than {limits.max_redirects} redirects; last to {url}")


class _Redirect(Exception):
    """A 3xx answer, raised out of urllib so that `fetch` follows it itself."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are followed by `fetch` itself, so it can count them and spot loops."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        """Stop urllib here: the redirect goes back to `fetch`."""
        fp.close()
        raise _Redirect(headers.get("Location", ""))


def _headers(agent: str, validators: Validators) -> dict[str, str]:
    """The request headers: who asks, what it accepts, and the validators of the copy it has."""
    headers = {
        "User-Agent": agent,
        "Accept": "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, "
        "text/xml;q=0.9, application/json;q=0.8, text/html;q=0.7, */*;q=0.5",
        "Accept-Encoding": "gzip, deflate",
    }
    if validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    return headers


@contextlib.contextmanager
def _opened(opener: urllib.request.OpenerDirector, request: urllib.request.Request, limits: Limits,
            deadline: float) -> Iterator[Any]:  # fmt: skip
    """urlopen with every failure turned into a FetchError; a 304 is yielded like an answer."""
    timeout = max(0.001, min(limits.connect_timeout, deadline - time.monotonic()))
    try:
        answer = opener.open(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        error.close()
        if error.code != 304:
            raise FetchError(f"HTTP {error.code} {error.reason}") from None
        answer = error
    except TimeoutError:
        raise FetchError(f"no answer within {timeout:g} s") from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise FetchError(f"no answer within {timeout:g} s") from None
        raise FetchError(f"cannot connect: {getattr(error.reason, 'strerror', None) or error.reason}") from None
    except (OSError, ValueError) as error:  # a reset connection, a malformed status line or header
        raise FetchError(f"cannot read the answer: {error}") from None
    try:
        yield answer
    finally:
        answer.close()


def _read(answer, url: str, limits: Limits, deadline: float) -> Response:  # type: ignore[no-untyped-def]
    """The body, decompressed, within the time and size limits."""
    headers: Message = answer.headers
    validators = Validators(headers.get("ETag", "") or "", headers.get("Last-Modified", "") or "")
    final = answer.geturl() or url
    if getattr(answer, "code", 200) == 304:
        return Response(final, "", "", b"", validators, not_modified=True)
    declared = headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise FetchError(f"too large: {int(declared):,} bytes announced, the limit is {limits.max_bytes:,}")
    encoding = (headers.get("Content-Encoding", "") or "").strip().lower()
    inflate = _decompressor(encoding)
    parts: list[bytes] = []
    size = 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(f"the answer did not finish within {limits.total_timeout:g} s")
        _set_timeout(answer, min(limits.connect_timeout, remaining))
        try:
            chunk = answer.read1(CHUNK)
        except TimeoutError:
            if remaining < limits.connect_timeout:
                raise FetchError(f"the answer did not finish within {limits.total_timeout:g} s") from None
            raise FetchError(f"the answer stalled for {limits.connect_timeout:g} s") from None
        except OSError as error:
            raise FetchError(f"the connection broke: {error}") from None
        if not chunk:
            break
        if inflate:
            try:
                chunk = inflate.decompress(chunk, limits.max_bytes + 1 - size)
            except zlib.error as error:
                raise FetchError(f"the {encoding} body is corrupt: {error}") from None
        size += len(chunk)
        if size > limits.max_bytes:  # checked after decompression too: a small gzip can inflate to gigabytes
            raise FetchError(f"too large: more than {limits.max_bytes:,} bytes")
        parts.append(chunk)
    content_type = headers.get_content_type() if headers.get("Content-Type") else ""
    charset = (headers.get_content_charset() or "").lower()
    return Response(final, content_type, charset, b"".join(parts), validators)


def _decompressor(encoding: str):  # type: ignore[no-untyped-def]
    """An incremental decompressor for the Content-Encoding, or None for an uncompressed body."""
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":  # zlib-wrapped as the standard says, or raw as some servers send: accept both
        return _Deflate()
    raise FetchError(f"unsupported Content-Encoding {encoding!r}")


class _Deflate:
    """HTTP `deflate` is zlib data by the standard and raw deflate from some servers; decide on the first bytes."""

    def __init__(self) -> None:
        self._inner: zlib._Decompress | None = None

    def decompress(self, data: bytes, max_length: int) -> bytes:
        if self._inner is None:
            zlib_wrapped = len(data) >= 2 and (data[0] & 0x0F) == 8 and int.from_bytes(data[:2], "big") % 31 == 0
            self._inner = zlib.decompressobj(zlib.MAX_WBITS if zlib_wrapped else -zlib.MAX_WBITS)
        return self._inner.decompress(data, max_length)


def _set_timeout(answer, seconds: float) -> None:  # type: ignore[no-untyped-def]
    """Bound the next read: the socket timeout applies per read, the deadline to the whole answer."""
    raw = getattr(getattr(getattr(answer, "fp", None), "raw", None), "_sock", None)
    if raw is not None:
        raw.settimeout(max(0.001, seconds))


# ---------------------------------------------------------------- decoding


def decode(body: bytes, charset: str = "") -> tuple[str, str]:
    """Text and the encoding it was read with: byte-order mark, then the HTTP charset, then the
    document's own declaration; when those are missing or wrong (bytes invalid in them, or UTF-8 read
    as a single-byte charset) the encoding is detected among ARABIC_CHARSETS."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return body.decode(name, errors="replace").lstrip("\ufeff"), name
    for declared in (charset, _declared_in_document(body)):
        name = _codec_name(declared)
        if not name:
            continue
        try:
            text = body.decode(name)
        except UnicodeDecodeError:
            continue
        if looks_like_mojibake(text):
            continue
        if name == "cp1252" and not body.isascii():  # an Arabic page labelled Latin-1 by a server default
            return _detect(body, also=("cp1252",))
        return text, name
    return _detect(body)


def _declared_in_document(body: bytes) -> str:
    """The charset the document names itself: XML declaration or `<meta charset>`, lower case."""
    head = body[:2048]
    found = _XML_DECLARATION.match(head) or _META_CHARSET.search(head)
    return found.group(1).decode("ascii").lower() if found else ""


def _codec_name(label: str) -> str:
    """Python's name for a charset label; "" for none or one Python does not know.

    ISO-8859-1 and US-ASCII are read as windows-1252, as browsers do (WHATWG Encoding)."""
    if not label:
        return ""
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return ""
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


def _detect(body: bytes, also: tuple[str, ...] = ()) -> tuple[str, str]:
    """UTF-8 when the bytes are valid UTF-8; else the best of the Arabic single-byte charsets (and `also`)."""
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # only undeclared or mislabelled documents need it

    best = from_bytes(body, cp_isolation=[*ARABIC_CHARSETS[1:], *also]).best()
    name = _codec_name(best.encoding) if best is not None else "cp1256"
    return body.decode(name or "cp1256", errors="replace"), name or "cp1256"
