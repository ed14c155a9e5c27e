"""Share links: the services' own share addresses, with the story's address and title percent-encoded."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from nashra.share import share_links

PERMALINK = "https://example.github.io/digest/articles/%D9%85%D8%B5%D8%B1/"
TITLE = "مصر تثبت الفائدة & تترقب؟ 100%"


def _by_service() -> dict[str, str]:
    return {link.service: link.url for link in share_links(TITLE, PERMALINK)}


def test_every_service_gets_the_address_and_title_back_exactly() -> None:
    links = _by_service()
    assert list(links) == ["whatsapp", "telegram", "x", "email"]
    assert parse_qs(urlsplit(links["whatsapp"]).query) == {"text": [f"{TITLE} {PERMALINK}"]}
    for service in ("telegram", "x"):
        assert parse_qs(urlsplit(links[service]).query) == {"url": [PERMALINK], "text": [TITLE]}, service
    assert parse_qs(urlsplit(links["email"]).query) == {"subject": [TITLE], "body": [PERMALINK]}


def test_addresses_are_ascii_with_spaces_as_percent_20() -> None:
    links = _by_service()
    assert links["telegram"].startswith("https://t.me/share/url?url=https%3A%2F%2Fexample.github.io%2F")
    assert links["x"].startswith("https://x.com/intent/post?url=")
    assert links["whatsapp"].startswith("https://wa.me/?text=")
    assert links["email"].startswith("mailto:?subject=")
    for url in links.values():
        assert url.isascii() and " " not in url and "+" not in url
    assert "%25D9%2585" in links["x"]  # the permalink's own escapes survive as escapes
    assert "%20%26%20" in links["x"] and links["x"].endswith("100%25")  # `&` and `%` in a title stay text


def test_labels_are_arabic() -> None:
    assert [link.label for link in share_links(TITLE, PERMALINK)] == ["واتساب", "تيليغرام", "إكس", "البريد"]
