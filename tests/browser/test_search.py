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
# The message no longer says "searching for …" (جارٍ البحث عن «…»…).
SEARCHED = "() => !document.querySelector('.pagefind-ui__message')?.textContent.startsWith('جارٍ')"


def search(browser: Browser, served_site: ServedSite, query: str, viewport: tuple[int, int] = (1280, 800), before=None):
    problems: list[str] = []
    page = open_page(browser, served_site.url(f"search/?q={quote(query)}"), viewport, problems)
    if before is not None:
        before(page)
    page.goto(served_site.url(f"search/?q={quote(query)}"))
    page.wait_for_selector(f"{RESULT_LINK}, .pagefind-ui__message", timeout=15_000)
    page.wait_for_function(SEARCHED)
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


# ---------------------------------------------------------------- Arabic strings and mirrored controls

ISOLATED = "«\u2068{}\u2069»"  # the query between first-strong isolates, in guillemets


@pytest.mark.browser
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("xyzzy", "لا نتائج عن " + ISOLATED.format("xyzzy")),
        ("spending", "نتيجة واحدة عن " + ISOLATED.format("spending")),
        ("ميتا", "نتيجتان عن " + ISOLATED.format("ميتا")),
        ("الذكاء", "5 نتائج عن " + ISOLATED.format("الذكاء")),
        ("OpenAI", "6 نتائج عن " + ISOLATED.format("OpenAI")),
    ],
)
def test_result_counts_read_as_arabic_sentences(
    browser: Browser, served_site: ServedSite, query: str, expected: str
) -> None:
    """Not Pagefind's own "5 نتائج ل الذكاء" or "2 نتائج": the plural form of the count, the query isolated."""
    page, _, problems = search(browser, served_site, query)
    try:
        assert page.inner_text(".pagefind-ui__message") == expected
        assert page.get_attribute(".pagefind-ui__search-input", "placeholder") == "ابحث في الأخبار"
        assert page.inner_text(".pagefind-ui__search-clear") == "مسح"
        assert not problems, problems
    finally:
        page.context.close()


# What Pagefind writes from search.js's `many_results` for a count it calls "many" (it knows only 0,
# 1 and many): the count in plain digits, grouped in thousands, and an invisible separator (U+2063).
# Written into the message as Pagefind does, it must come out in the right plural form, and once.
RAW_COUNT = """(count) => {
  const text = document.querySelector(".pagefind-ui__message").firstChild;
  text.data = count + "\\u2063 نتيجة عن «\\u2068x\\u2069»";
  return new Promise((resolve) => setTimeout(() => resolve(text.data), 0));
}"""
ALL_SIX_FORMS = {  # CLDR's Arabic plural categories: zero, one, two, few (3-10), many (11-99), other
    "2": "نتيجتان", "3": "3 نتائج", "10": "10 نتائج", "11": "11 نتيجة", "99": "99 نتيجة", "100": "100 نتيجة",
    "102": "102 نتيجة", "103": "103 نتائج", "111": "111 نتيجة", "1,000": "1000 نتيجة",
}  # fmt: skip


@pytest.mark.browser
@pytest.mark.parametrize("digits", ["latn", "arab"])
def test_every_plural_form_in_the_sites_digits(browser: Browser, served_site: ServedSite, digits: str) -> None:
    page, _, problems = search(browser, served_site, "ميتا", before=_with_digits(digits))
    try:
        found = {count: page.evaluate(RAW_COUNT, count) for count in ALL_SIX_FORMS}
        table = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩") if digits == "arab" else {}
        assert found == {count: f"{form.translate(table)} عن «\u2068x\u2069»" for count, form in ALL_SIX_FORMS.items()}
        assert not problems, problems
    finally:
        page.context.close()


def _with_digits(digits: str):
    """Serve the search page as a site with `digits = "arab"` would have it."""

    def route(page) -> None:
        def answer(route) -> None:
            response = route.fetch()
            body = response.text().replace('data-digits="latn"', f'data-digits="{digits}"')
            route.fulfill(response=response, body=body)

        page.route("**/search/?*", answer)

    return route


# Where the magnifier (the form's ::before), the clear button and the field's text area are, in
# viewport pixels; and each sub-result arrow's glyph and whether it sits beyond the link's right edge.
CONTROLS = """() => {
  const form = document.querySelector(".pagefind-ui__form");
  const input = document.querySelector(".pagefind-ui__search-input");
  const clear = document.querySelector(".pagefind-ui__search-clear").getBoundingClientRect();
  const box = input.getBoundingClientRect(), style = getComputedStyle(input);
  const icon = getComputedStyle(form, "::before"), formBox = form.getBoundingClientRect();
  const iconLeft = formBox.left + parseFloat(icon.left);
  const text = {
    left: box.left + parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft),
    right: box.right - parseFloat(style.borderRightWidth) - parseFloat(style.paddingRight),
  };
  const arrows = [...document.querySelectorAll(".pagefind-ui__result-nested .pagefind-ui__result-link")].map((link) => {
    const arrow = getComputedStyle(link, "::before");
    return { glyph: arrow.content, right_of_link: parseFloat(arrow.left) >= link.getBoundingClientRect().width };
  });
  return { field: [box.left, box.right], text: [text.left, text.right],
           icon: [iconLeft, iconLeft + parseFloat(icon.width)], clear: [clear.left, clear.right], arrows };
}"""


@pytest.mark.browser
@pytest.mark.parametrize("viewport_name", VIEWPORTS)
def test_search_box_and_sub_results_are_mirrored(
    browser: Browser, served_site: ServedSite, screenshots: Path, viewport_name: str
) -> None:
    """The magnifier at the right (the start), the clear button at the left, neither over the query;
    the sub-results' arrows at their right, curving the reading way."""
    viewport = VIEWPORTS[viewport_name]
    long_query = "OpenAI مايكروسوفت ميتا الذكاء الاصطناعي Scale AI"
    page, _, problems = search(browser, served_site, long_query, viewport=viewport)
    try:
        page.screenshot(path=str(screenshots / f"search-controls-{viewport[0]}x{viewport[1]}.png"))
        found = page.evaluate(CONTROLS)
        (field_left, field_right), (text_left, text_right) = found["field"], found["text"]
        icon, clear = found["icon"], found["clear"]
        middle = (field_left + field_right) / 2
        assert icon[0] > middle and clear[1] < middle, found  # magnifier right, clear button left
        assert text_right <= icon[0] and icon[1] <= field_right, found  # the magnifier is beside the text
        assert field_left <= clear[0] and clear[1] <= text_left, found  # the clear button never covers it
        assert found["arrows"], "the sample site should give sub-results for this query"
        assert all(arrow["glyph"].startswith('"⤶') and arrow["right_of_link"] for arrow in found["arrows"]), found
        assert not problems, problems
    finally:
        page.context.close()
