"""Search as readers use it: Pagefind's UI in Chromium, on the sample site served under /nashra/."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

import pytest

from .support import ServedSite
from .test_chromium import VIEWPORTS, axe_violations, open_page

if TYPE_CHECKING:
    from playwright.sync_api import Browser

RESULT_LINK = ".pagefind-ui__result-link"
# Every layout shift from now on (or, buffered, from the page's start), whether or not input came just before.
RECORD_SHIFTS = """(buffered) => {
  window.shifts = [];
  const describe = (node) => node && node.nodeType === 1
    ? node.tagName.toLowerCase() + [...node.classList].map((name) => "." + name).join("") : String(node?.nodeName);
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      window.shifts.push(`${entry.value.toFixed(4)} at ${Math.round(entry.startTime)} ms: `
        + entry.sources.map((source) => describe(source.node)).join(", "));
    }
  }).observe({type: "layout-shift", buffered});
}"""
SETTLED = "() => !document.querySelector('.pagefind-ui__loading')"


def search(browser: Browser, served_site: ServedSite, query: str, viewport: tuple[int, int] = (1280, 800)):
    problems: list[str] = []
    page = open_page(browser, served_site.url(f"search/?q={quote(query)}"), viewport, problems)
    page.goto(served_site.url(f"search/?q={quote(query)}"))
    page.wait_for_selector(f"{RESULT_LINK}, .pagefind-ui__message", timeout=15_000)
    page.wait_for_function("() => !document.querySelector('.pagefind-ui__message')?.textContent.includes('...')")
    page.wait_for_function(SETTLED)  # the count shows before the results are filled in
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


def settle(page) -> None:
    """Wait until every result is filled in, and a little longer for late layout work."""
    page.wait_for_selector(RESULT_LINK, timeout=15_000)
    page.wait_for_function(SETTLED)
    page.wait_for_timeout(500)


@pytest.mark.browser
@pytest.mark.parametrize("viewport_name", VIEWPORTS)
def test_results_arriving_shift_nothing(browser: Browser, served_site: ServedSite, viewport_name: str) -> None:
    """Results fill the space below the search box; the footer and earlier results never move (CLS 0)."""
    problems: list[str] = []
    url = served_site.url("search/")
    page = open_page(browser, url, VIEWPORTS[viewport_name], problems)
    try:
        page.goto(url)
        page.wait_for_selector(".pagefind-ui__search-input")
        page.evaluate(RECORD_SHIFTS, False)
        page.locator(".pagefind-ui__search-input").press_sequentially("ميتا", delay=50)
        settle(page)
        assert page.evaluate("window.shifts") == [], "typed query"
        page.goto(served_site.url(f"search/?q={quote('ميتا')}"))  # a link to results, as Lighthouse loads it
        page.evaluate(RECORD_SHIFTS, True)
        settle(page)
        assert page.evaluate("window.shifts") == [], "query in the address"
        assert not problems, problems
    finally:
        page.context.close()
