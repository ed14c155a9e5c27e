"""Share links for a story: plain addresses of the services' own share pages, built here, with no script of theirs.

Each link carries the story's absolute address and its title, percent-encoded as UTF-8 so that an
Arabic title survives the trip (a space is %20, never `+`, which `mailto:` would show as a plus).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote


@dataclass(frozen=True, slots=True)
class ShareLink:
    """One way to share: a short name for CSS (`whatsapp`), the label readers see and hear, the address."""

    service: str
    label: str
    url: str


def _encoded(text: str) -> str:
    return quote(text, safe="")


def share_links(title: str, permalink: str) -> tuple[ShareLink, ...]:
    """WhatsApp, Telegram, X and e-mail links that share `permalink` with `title`."""
    url, text = _encoded(permalink), _encoded(title)
    return (
        ShareLink("whatsapp", "واتساب", f"https://wa.me/?text={_encoded(f'{title} {permalink}')}"),
        ShareLink("telegram", "تيليغرام", f"https://t.me/share/url?url={url}&text={text}"),
        ShareLink("x", "إكس", f"https://x.com/intent/post?url={url}&text={text}"),
        ShareLink("email", "البريد", f"mailto:?subject={text}&body={url}"),
    )
