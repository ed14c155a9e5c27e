"""Keys of incremental builds: the structural digest of the data an output is made from."""

from __future__ import annotations

from nashra.fingerprint import Fingerprinter
from nashra.model import Body, Image, Link, html_checksum

HTML = '<p><img src="a.png" alt=""></p>'


def digests(*values: object, memo: bool) -> list[str]:
    fingerprinter = Fingerprinter(memo_types=(Body,) if memo else ())
    return [fingerprinter.digest(value) for value in values]


def test_a_body_is_its_html_not_where_the_cache_keeps_it() -> None:
    in_memory = Body(text=HTML, words=3)
    cached = Body(path="/somewhere/.nashra-cache/bodies/ab/cdef", checksum=html_checksum(HTML), words=3)
    moved = Body(path="/elsewhere/cache/ab/cdef", checksum=html_checksum(HTML), words=3)
    for memo in (True, False):
        assert len(set(digests(in_memory, cached, moved, memo=memo))) == 1


def test_a_body_whose_links_or_words_differ_has_another_key() -> None:
    """The links are resolved site-wide after rendering: a moved picture changes the page, not the HTML."""
    plain = Body(text=HTML, words=3)
    linked = Body(text=HTML, words=3, links=(Link("a.png", "/r/a-480w.webp", Image("/r/a-480w.webp", "", 480, 300)),))
    resized = Body(text=HTML, words=3, links=(Link("a.png", "/r/a-480w.webp", Image("/r/a-480w.webp", "", 480, 320)),))
    longer = Body(text=HTML, words=4)
    for memo in (True, False):
        assert len(set(digests(plain, linked, resized, longer, memo=memo))) == 4
