"""Arabic details in Chromium: glyph order of LTR runs, the chrome's font, footnote arrows, relative-time digits."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from nashra.markup import Renderer

from .support import REPO, ServedSite

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

STYLE = REPO / "layouts/assets/style.css"
SCRIPT = REPO / "layouts/assets/relative-time.js"
ENGLISH_ARTICLE = "articles/meta-scale-ai-deal/"

# The left edges of the first characters of two substrings of the page's only paragraph, on screen.
LEFT_EDGES = """([first, second]) => {
  const paragraph = document.querySelector("p");
  const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
  const edge = (needle) => {
    for (let node = walker.currentNode; node; node = walker.nextNode()) {
      const at = node.nodeType === Node.TEXT_NODE ? node.data.indexOf(needle) : -1;
      if (at >= 0) {
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + needle.length);
        return range.getBoundingClientRect().left;
      }
    }
    return null;
  };
  const left = edge(first);
  walker.currentNode = paragraph;
  return [left, edge(second)];
}"""


def page_with(browser: Browser, html: str) -> Page:
    page = browser.new_page(viewport={"width": 800, "height": 600}, locale="ar")
    page.set_content(html)
    return page


def rtl_document(body: str) -> str:
    return f'<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"></head><body>{body}</body></html>'


@pytest.mark.browser
@pytest.mark.parametrize(
    ("markdown", "left", "right"),
    [
        ("اتصل بنا على +966 55 123 4567 في أي وقت.", "+966", "4567"),
        ("الرقم 055 123 4567 للطوارئ.", "055", "4567"),
        # Without isolation the number joins the address's left-to-right run and lands on its right.
        ("راسلنا على info@example.com 24 ساعة يوميا.", "24", "info"),
        ("زر https://example.com/ar/ 2025 للمزيد.", "2025", "https"),
        ("استدع `print()` ثم تابع.", "print", "("),
    ],
)
def test_ltr_runs_keep_their_order_inside_arabic_text(browser: Browser, markdown: str, left: str, right: str) -> None:
    """`left` must be drawn left of `right`; without the markup the browser draws them the other way."""
    rendered = Renderer().render(markdown)
    assert 'dir="ltr"' in rendered
    page = page_with(browser, rtl_document(rendered))
    try:
        at_left, at_right = page.evaluate(LEFT_EDGES, [left, right])
        assert at_left < at_right, f"{left!r} is drawn right of {right!r}: {rendered}"
        page.set_content(rtl_document(re.sub(r' dir="ltr"', "", rendered)))
        before_left, before_right = page.evaluate(LEFT_EDGES, [left, right])
        assert before_left > before_right, "without dir=ltr the order should flip (else the test proves nothing)"
    finally:
        page.close()


@pytest.mark.browser
def test_arabic_chrome_of_an_english_story_keeps_the_arabic_font_and_leading(
    browser: Browser, served_site: ServedSite
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(served_site.url(ENGLISH_ARTICLE), wait_until="load")
        chrome = page.evaluate(
            """() => [...document.querySelectorAll('[lang="ar"], [lang="ar"] *')]
                 .filter((element) => !element.closest("code, pre, .card-title, .site-title, h2"))
                 .map((element) => {
                   const style = getComputedStyle(element);
                   const ratio = parseFloat(style.lineHeight) / parseFloat(style.fontSize);
                   return [element.tagName.toLowerCase() + "." + element.className, style.fontFamily, ratio];
                 })"""
        )
        assert len(chrome) > 10
        faults = [
            f"{name}: {family} at {ratio:.2f}"
            for name, family, ratio in chrome
            if not family.startswith('"Noto Naskh Arabic"') or not 1.75 <= ratio <= 1.85
        ]
        assert not faults, "\n".join(faults)
        body = page.eval_on_selector(".story-body", "(element) => getComputedStyle(element).fontFamily")
        assert not body.startswith('"Noto Naskh Arabic"'), "the English story itself keeps the Latin face"
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "direction"), [("ar", "rtl"), ("en", "ltr")])
def test_code_is_monospace_in_stories_of_either_language(browser: Browser, lang: str, direction: str) -> None:
    body = Renderer().render("استدع `print()` ثم تابع.\n\n```\nprint(1)\n```\n")
    style = STYLE.read_text(encoding="utf-8")
    document = (
        f'<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><style>{style}</style>'
        f'</head><body><div class="story-body" lang="{lang}" dir="{direction}">{body}</div></body></html>'
    )
    page = page_with(browser, document)
    try:
        families = page.eval_on_selector_all("code", "(all) => all.map((code) => getComputedStyle(code).fontFamily)")
        assert len(families) == 2
        assert all(family.startswith("ui-monospace") for family in families), families
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.parametrize(("direction", "lang", "mirrored"), [("rtl", "ar", True), ("ltr", "en", False)])
def test_footnote_back_link_points_back_the_reading_way(
    browser: Browser, direction: str, lang: str, mirrored: bool
) -> None:
    body = Renderer().render("نص[^1].\n\n[^1]: حاشية.\n")
    html = (
        f'<!DOCTYPE html><html lang="{lang}" dir="{direction}"><head><meta charset="utf-8"></head>'
        f'<body><div class="story-body">{body}</div></body></html>'
    )
    page = page_with(browser, html)
    try:
        page.add_style_tag(path=str(STYLE))
        transform = page.eval_on_selector(".footnote-backref", "(element) => getComputedStyle(element).transform")
        assert (transform == "matrix(-1, 0, 0, 1, 0, 0)") == mirrored, transform
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("lang", "digits", "expected"), [("ar", "arab", "قبل ٣ ساعات"), ("ar-EG", "latn", "قبل 3 ساعات")]
)
def test_relative_times_use_the_sites_digits(browser: Browser, lang: str, digits: str, expected: str) -> None:
    three_hours_ago = (datetime.now(UTC) - timedelta(hours=3, minutes=1)).isoformat(timespec="seconds")
    html = (
        f'<!DOCTYPE html><html lang="{lang}" dir="rtl" data-digits="{digits}"><head><meta charset="utf-8"></head>'
        f'<body><p><time datetime="{three_hours_ago}" data-relative>تاريخ</time></p></body></html>'
    )
    page = page_with(browser, html)
    try:
        page.add_script_tag(path=str(SCRIPT))
        assert page.inner_text("time") == expected
    finally:
        page.close()
