"""The error overlay of `serve` in Chromium: readable in light and dark mode, whatever the site's CSS."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest
from conftest import copy_site

from nashra.config import load_config
from nashra.serve import Preview

from .test_chromium import LOW_CONTRAST_TEXT, VIEWPORTS, open_page

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ARTICLE = "content/2025/06/ترامب-يهاجم-ماسك.md"
OVERLAY = "#nashra-build-errors"
# What a site's stylesheet might well say about elements the overlay also uses; none of it may reach it.
HOSTILE_CSS = """
* { color: #fafafa !important; background: #fff !important; font-size: 6px !important; visibility: visible; }
div, p, pre, [role=alert] { display: none !important; margin: 5rem !important; direction: rtl !important; }
body > :last-child { position: static !important; opacity: 0.1 !important; }
"""
OVERLAY_TEXT = (
    "(selector) => (document.querySelector(selector).shadowRoot || document.querySelector(selector)).textContent"
)
# Computed styles that decide whether the overlay can be read.
OVERLAY_STYLE = """(selector) => {
  const host = document.querySelector(selector);
  const root = host.shadowRoot || host;
  return [host, ...root.querySelectorAll("*")].map((element) => {
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    return [element.tagName, style.display, style.position, style.opacity, style.color, style.backgroundColor,
            style.fontSize, style.direction, Math.round(box.height) > 0];
  });
}"""


@pytest.fixture
def broken_preview(tmp_path: Path) -> Iterator[Preview]:
    """A preview whose latest rebuild failed: the last good build is served with the errors over it."""
    site = copy_site(tmp_path)
    with Preview(lambda: load_config(site / "site.toml"), port=0) as preview:
        assert preview.start().ok
        article = site / ARTICLE
        article.write_text(article.read_text(encoding="utf-8").replace("date: 2025-", "date: 2025-13-", 1), "utf-8")
        assert not preview.rebuild().ok
        yield preview


def show_overlay(browser: Browser, preview: Preview, scheme: str) -> Page:
    problems: list[str] = []
    url = preview.url + quote("articles/ترامب-يهاجم-ماسك/")
    page = open_page(browser, url, VIEWPORTS["desktop"], problems)
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    page.goto(url, wait_until="load")
    page.wait_for_selector(OVERLAY, state="attached", timeout=10_000)
    page.wait_for_function(OVERLAY_TEXT + ".includes('date')", arg=OVERLAY)
    assert not problems, problems
    return page


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_error_overlay_is_readable(browser: Browser, broken_preview: Preview, screenshots: Path, scheme: str) -> None:
    page = show_overlay(browser, broken_preview, scheme)
    try:
        assert f"{ARTICLE}:3: date" in page.evaluate(OVERLAY_TEXT, OVERLAY)
        assert page.evaluate(LOW_CONTRAST_TEXT, OVERLAY) == []
        page.screenshot(path=screenshots / f"serve-error-overlay-{scheme}.png")
    finally:
        page.context.close()


@pytest.mark.browser
def test_error_overlay_ignores_the_site_css(browser: Browser, broken_preview: Preview) -> None:
    page = show_overlay(browser, broken_preview, "light")
    try:
        before = page.evaluate(OVERLAY_STYLE, OVERLAY)
        page.add_style_tag(content=HOSTILE_CSS)
        assert page.evaluate(OVERLAY_STYLE, OVERLAY) == before
        assert page.evaluate(LOW_CONTRAST_TEXT, OVERLAY) == []
    finally:
        page.context.close()
