"""Search as readers use it: Pagefind's UI in Chromium, on the sample site served under /nashra/."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

import pytest

from .support import ServedSite
from .test_chromium import axe_violations, open_page

if TYPE_CHECKING:
    from playwright.sync_api import Browser

RESULT_LINK = ".pagefind-ui__result-link"


def search(browser: Browser, served_site: ServedSite, query: str, viewport: tuple[int, int] = (1280, 800)):
    problems: list[str] = []
    page = open_page(browser, served_site.url(f"search/?q={quote(query)}"), viewport, problems)
    page.goto(served_site.url(f"search/?q={quote(query)}"))
    page.wait_for_selector(f"{RESULT_LINK}, .pagefind-ui__message", timeout=15_000)
    page.wait_for_function("() => !document.querySelector('.pagefind-ui__message')?.textContent.includes('...')")
    links = page.eval_on_selector_all(RESULT_LINK, "links => links.map(link => link.getAttribute('href'))")
    return page, [unquote(link) for link in links], problems


@pytest.mark.browser
@pytest.mark.parametrize("query", ["الذكاء الاصطناعي", "الذَّكَاءُ", "الذكـــاء"])
def test_arabic_search_ignores_diacritics_and_tatweel(browser: Browser, served_site: ServedSite, query: str) -> None:
    page, links, problems = search(browser, served_site, query)
    pages = {link.split("#")[0] for link in links}
    assert "/nashra/articles/ميتا-تعيد-رسم-استراتيجيتها/" in pages, pages
    assert all(link.startswith("/nashra/articles/") for link in links), links
    assert not problems, problems
    page.context.close()


@pytest.mark.browser
def test_english_stories_are_in_the_same_index(browser: Browser, served_site: ServedSite) -> None:
    page, links, _ = search(browser, served_site, "superintelligence")
    assert "/nashra/articles/meta-scale-ai-deal/" in {link.split("#")[0] for link in links}
    page.context.close()


@pytest.mark.browser
def test_search_page_is_rtl_accessible_and_links_work(
    browser: Browser, served_site: ServedSite, axe_script: Path, screenshots: Path
) -> None:
    page, links, problems = search(browser, served_site, "ميتا", viewport=(360, 740))
    assert links
    field = page.locator(".pagefind-ui__search-input")
    assert field.get_attribute("dir") == "auto"
    assert page.evaluate("() => getComputedStyle(document.querySelector('#search')).direction") == "rtl"
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    assert not axe_violations(page, axe_script)
    page.screenshot(path=str(screenshots / "search-360x740.png"), full_page=True)
    response = page.goto(served_site.origin + page.locator(RESULT_LINK).first.get_attribute("href"))
    assert response is not None and response.status == 200
    assert not problems, problems
    page.context.close()
