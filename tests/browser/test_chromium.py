"""A real browser: Debian's Chromium opens the built site, at phone and desktop sizes, served under its sub-path.

Checks what a reader meets: the reading direction, no sideways scrolling, pagination pointing
the reading way, a clean console, and no serious or critical axe-core accessibility violations.
Screenshots land in tests/artifacts/screenshots/ (git-ignored) for people to look at.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pytest

from .support import BuiltSite, ServedSite

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

VIEWPORTS = {"phone": (360, 740), "desktop": (1280, 800)}
ENGLISH_ARTICLE = "articles/meta-scale-ai-deal/"

# Elements that stick out of the viewport sideways, outside any container that scrolls or clips.
OVERFLOWING_ELEMENTS = """() => {
  const width = document.documentElement.clientWidth;
  const clipped = (element) => {
    for (let parent = element.parentElement; parent; parent = parent.parentElement) {
      if (["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(parent).overflowX)) return true;
    }
    return false;
  };
  const describe = (element) => element.tagName.toLowerCase()
    + (element.id ? "#" + element.id : "") + (element.className ? "." + [...element.classList].join(".") : "");
  return [...document.body.querySelectorAll("*")].filter((element) => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && (box.left < -1 || box.right > width + 1) && !clipped(element);
  }).map((element) => {
    const box = element.getBoundingClientRect();
    return `${describe(element)} spans x=${Math.round(box.left)}..${Math.round(box.right)} in ${width}px`;
  });
}"""

AXE_RUN = """async () => {
  const results = await axe.run(document, { resultTypes: ["violations"] });
  return results.violations.map((violation) => ({
    id: violation.id, impact: violation.impact, help: violation.help,
    targets: violation.nodes.slice(0, 5).map((node) => node.target.join(" ")),
  }));
}"""

# axe-core leaves Arabic text out of its colour-contrast rule: its icon-font heuristic measures the
# first letter against the whole word, and cursive shaping looks like a ligature icon to it. So the
# WCAG 2 AA contrast of every element with its own text is measured here too (solid backgrounds only,
# which is all this theme uses). Shadow trees are searched too; pass a selector to check one element only.
LOW_CONTRAST_TEXT = """(selector) => {
  const parse = (value) => {
    const match = value.match(/rgba?\\(([^)]+)\\)/);
    if (!match) return null;
    const parts = match[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
  };
  const over = (top, bottom) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1);
  const parentOf = (node) => node.parentElement || node.getRootNode().host || null;  // out of a shadow tree
  const backdrop = (element) => {
    const layers = [];
    for (let node = element; node; node = parentOf(node)) {
      const colour = parse(getComputedStyle(node).backgroundColor);
      if (colour && colour[3] > 0) { layers.push(colour); if (colour[3] === 1) break; }
    }
    const dark = matchMedia("(prefers-color-scheme: dark)").matches;
    return layers.reverse().reduce((below, layer) => over(layer, below), dark ? [18, 18, 18, 1] : [255, 255, 255, 1]);
  };
  const luminance = (colour) => {
    const [r, g, b] = colour.slice(0, 3).map((v) => (v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const within = (root) => [...root.querySelectorAll("*")]
    .flatMap((element) => [element, ...(element.shadowRoot ? within(element.shadowRoot) : [])]);
  const scope = selector ? document.querySelector(selector) : document.body;
  if (!scope) return [`nothing matches ${selector}`];
  const failures = [];
  for (const element of [scope, ...within(scope), ...(scope.shadowRoot ? within(scope.shadowRoot) : [])]) {
    const own = [...element.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE);
    const text = own.map((n) => n.data).join("").trim();
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    if (!text || style.visibility !== "visible" || box.width <= 1 || box.height <= 1) continue;
    const background = backdrop(element);
    const foreground = over(parse(style.color), background);
    const [light, dark] = [luminance(foreground), luminance(background)].sort((a, b) => b - a);
    const ratio = (light + 0.05) / (dark + 0.05);
    const size = parseFloat(style.fontSize);
    const needed = size >= 24 || (Number(style.fontWeight) >= 700 && size >= 18.66) ? 3 : 4.5;
    if (ratio < needed) {
      failures.push(`${element.tagName.toLowerCase()}.${[...element.classList].join(".")} "${text.slice(0, 30)}": `
        + `${ratio.toFixed(2)}:1 (${style.color} on rgb(${background.slice(0, 3).join(", ")})), needs ${needed}:1`);
    }
  }
  return failures;
}"""


@dataclass(frozen=True, slots=True)
class SamplePage:
    name: str
    site_path: str
    lang: str = "ar"
    direction: str = "rtl"


def sample_pages(site: BuiltSite) -> dict[str, SamplePage]:
    """The home page, its second page, an Arabic article, a tag page, the English article, an outlet and their index."""
    articles = sorted(path.parent for path in site.root.glob("articles/*/index.html"))
    arabic = next(a for a in articles if '<html lang="ar"' in (a / "index.html").read_text(encoding="utf-8"))
    article_html = (arabic / "index.html").read_text(encoding="utf-8")
    tag_href = re.search(r'<a href="([^"]+)" rel="tag"', article_html)
    assert tag_href, f"no tag link on {arabic.name}"
    outlet_href = re.search(r'<span class="story-source">[^<]*<a href="([^"]+)"', article_html)
    assert outlet_href, f"no outlet link on {arabic.name}"
    assert (site.root / ENGLISH_ARTICLE / "index.html").is_file(), f"the sample site lost {ENGLISH_ARTICLE}"
    months = sorted(path.parent.relative_to(site.root).as_posix() for path in site.root.glob("archive/*/*/index.html"))
    assert months, "the sample site has no month archive"
    pages = [
        SamplePage("home", ""),
        SamplePage("page-2", "page/2/"),
        SamplePage("article", quote(f"articles/{arabic.name}/")),
        SamplePage("tag", tag_href.group(1).removeprefix(site.base_path)),
        SamplePage("english-article", ENGLISH_ARTICLE, lang="en", direction="ltr"),
        SamplePage("outlet", outlet_href.group(1).removeprefix(site.base_path)),
        SamplePage("outlets", "sources/"),
        SamplePage("archive", "archive/"),
        SamplePage("archive-month", months[-1] + "/"),
    ]
    return {page.name: page for page in pages}


def open_page(browser: Browser, url: str, viewport: tuple[int, int], problems: list[str]) -> Page:
    """A fresh page at the given size whose console errors, page errors and failed loads go to `problems`."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, locale="ar")
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            message.type == "error" and problems.append(f"console: {message.text} ({message.location.get('url')})")
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("requestfailed", lambda request: problems.append(f"request failed: {request.url} {request.failure}"))
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and response.url != url
            and problems.append(f"HTTP {response.status}: {response.url}")
        ),
    )
    return page


def style(page: Page, selector: str, prop: str) -> str:
    return str(page.eval_on_selector(selector, f"(element) => getComputedStyle(element).{prop}"))


def box(page: Page, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found, f"{selector} is not displayed"
    return found


def axe_violations(page: Page, axe_script: Path) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations on the page as it is now displayed."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(axe_script))
    violations = page.evaluate(AXE_RUN)
    return [v for v in violations if v["impact"] in {"serious", "critical"}]


@pytest.mark.browser
@pytest.mark.parametrize("viewport_name", VIEWPORTS)
@pytest.mark.parametrize(
    "page_name",
    ["home", "page-2", "article", "tag", "english-article", "outlet", "outlets", "archive", "archive-month"],
)
def test_page_in_chromium(
    browser: Browser,
    served_site: ServedSite,
    axe_script: Path,
    screenshots: Path,
    page_name: str,
    viewport_name: str,
) -> None:
    sample = sample_pages(served_site.site)[page_name]
    viewport = VIEWPORTS[viewport_name]
    url = served_site.url(sample.site_path)
    console: list[str] = []
    page = open_page(browser, url, viewport, console)
    faults: list[str] = []  # every check runs; the test then fails once, listing them all
    try:
        response = page.goto(url, wait_until="load")
        assert response and response.status == 200, f"{url}: HTTP {response and response.status}"
        page.screenshot(path=screenshots / f"{page_name}-{viewport[0]}x{viewport[1]}.png", full_page=True)

        # Reading direction: from <html dir>; the site's own header stays Arabic on an English article.
        expected = {"html": sample.direction, "main": sample.direction, ".site-header": "rtl", ".site-footer": "rtl"}
        if page_name.endswith("article"):
            expected[".story-body"] = sample.direction
        if page.get_attribute("html", "lang") != sample.lang:
            faults.append(f'<html lang="{page.get_attribute("html", "lang")}">, expected {sample.lang}')
        for selector, direction in expected.items():
            if (found := style(page, selector, "direction")) != direction:
                faults.append(f"{selector} reads {found}, expected {direction}")

        # No sideways scrolling, and nothing sticking out where it cannot be scrolled to.
        scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll_width > inner_width:
            faults.append(f"the page scrolls sideways: {scroll_width}px wide in a {inner_width}px window")
        faults += [f"outside the viewport: {element}" for element in page.evaluate(OVERFLOWING_ELEMENTS)]

        # Pagination: "next" points the reading way (left in RTL), with an arrow that agrees.
        forward, backward = ("←", "→") if sample.direction == "rtl" else ("→", "←")
        for rel, arrow in (("next", forward), ("prev", backward)):
            link = page.locator(f"a[rel={rel}]")
            if not link.count():
                continue
            if arrow not in link.inner_text():
                faults.append(f'the {rel} link "{link.inner_text()}" lacks {arrow}')
            here, status = box(page, f"a[rel={rel}]"), box(page, ".pagination-status")
            left_of_status = here["x"] + here["width"] / 2 < status["x"] + status["width"] / 2
            if left_of_status != ((rel == "next") == (sample.direction == "rtl")):
                faults.append(f"the {rel} link sits on the wrong side of the page status for {sample.direction}")
        if page_name in {"home", "page-2"} and not page.locator("a[rel=next], a[rel=prev]").count():
            faults.append("no pagination link: the sample site should have two pages")

        # Accessibility, in the light and the dark colour scheme.
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
            faults += [
                f"[{scheme}] axe {v['impact']} {v['id']}: {v['help']} at {', '.join(v['targets'])}"
                for v in axe_violations(page, axe_script)
            ]
            faults += [f"[{scheme}] low contrast: {failure}" for failure in page.evaluate(LOW_CONTRAST_TEXT)]
        faults += console
    finally:
        page.context.close()
    if faults:
        pytest.fail(f"{page_name} at {viewport[0]}x{viewport[1]} ({url}):\n" + "\n".join(faults), pytrace=False)


@pytest.mark.browser
@pytest.mark.parametrize("unknown", ["no-such-page", "articles/no-such-story/", "a/b/c/d/"])
def test_404_page_is_styled_at_any_depth(
    browser: Browser, served_site: ServedSite, screenshots: Path, unknown: str
) -> None:
    url = served_site.url(unknown)
    problems: list[str] = []
    page = open_page(browser, url, VIEWPORTS["phone"], problems)
    try:
        response = page.goto(url, wait_until="load")
        assert response and response.status == 404
        assert style(page, "html", "direction") == "rtl"
        rules = page.evaluate("[...document.styleSheets].map((sheet) => sheet.cssRules.length)")
        assert rules and all(rules), f"a stylesheet did not load on {unknown}: rules per sheet {rules}"
        assert style(page, ".site-header", "borderBottomStyle") == "solid", "the site's CSS is not applied"
        home = page.locator("main a").first
        home.click()
        page.wait_for_load_state("load")
        assert page.url == served_site.home, f"the home link on 404.html leads to {page.url}"
        # The browser logs the 404 of the missing page itself; anything else is a fault.
        unexpected = [problem for problem in problems if not problem.endswith(f"({url})")]
        assert not unexpected, "browser console:\n" + "\n".join(unexpected)
        name = unknown.strip("/").replace("/", "-")
        page.goto(url, wait_until="load")
        page.screenshot(path=screenshots / f"404-{name}-360x740.png", full_page=True)
    finally:
        page.context.close()


@pytest.mark.browser
def test_axe_reports_what_it_should(browser: Browser, axe_script: Path) -> None:
    """The accessibility checks can fail: a page with known faults must show them."""
    page = browser.new_page()
    try:
        page.set_content(
            "<!DOCTYPE html><html><head><title>x</title></head><body>"
            '<img src="data:,"><p style="color:#aaa;background-color:#fff">نص باهت</p>'
            '<div id="host"></div></body></html>'
        )
        page.evaluate(
            """() => document.getElementById("host").attachShadow({mode: "open"}).innerHTML =
                '<p style="color:#bbb;background-color:#fff">faint text in a shadow tree</p>'"""
        )
        found = {violation["id"] for violation in axe_violations(page, axe_script)}
        assert {"image-alt", "html-has-lang"} <= found, found
        low_contrast = page.evaluate(LOW_CONTRAST_TEXT)
        assert len(low_contrast) == 2, low_contrast
        assert "نص باهت" in low_contrast[0] and "faint text" in low_contrast[1], low_contrast
        assert page.evaluate(LOW_CONTRAST_TEXT, "#host") == [low_contrast[1]]
    finally:
        page.close()


# Layout shifts since the page started (buffered), summed as Chromium reports them for CLS.
SHIFTS = """() => new Promise((resolve) => {
  let total = 0;
  const sources = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.hadRecentInput) continue;
      total += entry.value;
      for (const source of entry.sources) sources.push(source.node ? source.node.outerHTML.slice(0, 80) : "?");
    }
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve([total, sources]), 300);
})"""
# Every picture: how it is asked to load, and whether it did (after scrolling to the end).
PICTURES = """() => [...document.images].map((img) => ({
  src: img.currentSrc || img.src, loading: img.getAttribute("loading") || "eager",
  lead: img.closest(".story-image, #lead") !== null, loaded: img.complete && img.naturalWidth > 0,
  width: img.getBoundingClientRect().width}))"""
PICTURE_PAGES = {
    "bundle-story": "articles/meta-superintelligence-labs/",
    "body-picture": quote("articles/مشروع-قانون-الضرائب-مجلس-الشيوخ/"),
    "home": "",
}


@pytest.mark.browser
@pytest.mark.parametrize("viewport_name", VIEWPORTS)
@pytest.mark.parametrize("page_name", PICTURE_PAGES)
def test_pictures_load_at_once_or_lazily_and_nothing_shifts(
    browser: Browser, served_site: ServedSite, screenshots: Path, page_name: str, viewport_name: str
) -> None:
    viewport = VIEWPORTS[viewport_name]
    url = served_site.url(PICTURE_PAGES[page_name])
    problems: list[str] = []
    page = open_page(browser, url, viewport, problems)
    # Pictures arrive late, as on a slow connection: a page that does not reserve their space moves.
    page.route("**/*.webp", lambda route: (time.sleep(0.2), route.continue_()))
    try:
        page.goto(url, wait_until="load")
        first = page.evaluate(PICTURES)
        page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_function("() => [...document.images].every((img) => img.complete)", timeout=10_000)
        page.evaluate("() => window.scrollTo(0, 0)")
        shifted, sources = page.evaluate(SHIFTS)
        pictures = page.evaluate(PICTURES)
        if page_name != "home":
            page.screenshot(path=screenshots / f"{page_name}-{viewport[0]}x{viewport[1]}.png", full_page=True)
    finally:
        page.context.close()
    assert pictures, f"{url}: no pictures"
    assert not problems, problems
    assert shifted == 0, f"{url}: layout shift {shifted:.4f} from {sources}"
    assert all(picture["loaded"] and picture["width"] > 0 for picture in pictures), pictures
    assert all(".webp" in picture["src"] for picture in pictures), "a page shows an original, not a variant"
    if page_name == "home":  # the lead story's picture first, then thumbnails that wait their turn
        assert first[0]["lead"] and first[0]["loading"] == "eager" and first[0]["loaded"], first
        assert all(picture["loading"] == "lazy" for picture in first[1:]), first
    else:
        assert first[0]["loading"] == "eager" and first[0]["loaded"], first  # the largest paint comes first
        assert all(picture["loading"] == "lazy" for picture in first[1:]), first
    if page_name == "bundle-story":
        assert first[0]["lead"], "the lead picture is not the first picture of the story"


# Where each share link and button sits, and whether it can be seen.
SHARE_BOXES = """() => [...document.querySelectorAll(".share a, .share button")].map((element) => {
  const box = element.getBoundingClientRect();
  return [element.textContent.trim(), Math.round(box.x), Math.round(box.y), Math.round(box.width),
          getComputedStyle(element).visibility];
})"""


@pytest.mark.browser
def test_share_links_fit_at_320px_move_nothing_and_copy_the_address(
    browser: Browser, served_site: ServedSite, screenshots: Path
) -> None:
    sample = sample_pages(served_site.site)["article"]
    url = served_site.url(sample.site_path)
    viewport = {"width": 320, "height": 4000}  # tall, so the share links are on screen as the page loads
    without = browser.new_context(viewport=viewport, java_script_enabled=False)
    try:
        page = without.new_page()
        page.goto(url, wait_until="load")
        before = page.evaluate(SHARE_BOXES)
    finally:
        without.close()
    problems: list[str] = []
    page = open_page(browser, url, (viewport["width"], viewport["height"]), problems)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served_site.origin)
    try:
        page.goto(url, wait_until="load")
        shifted, sources = page.evaluate(SHIFTS)
        after = page.evaluate(SHARE_BOXES)
        has_share = page.evaluate("() => typeof navigator.share === 'function'")
        overflowing = page.evaluate(OVERFLOWING_ELEMENTS)
        page.locator(".share").screenshot(path=screenshots / "share-320.png")
        page.get_by_role("button", name="نسخ الرابط").click()
        page.wait_for_function("() => document.querySelector('[data-share-status]').textContent !== ''")
        copied = page.evaluate("() => navigator.clipboard.readText()")
    finally:
        page.context.close()
    assert not problems, problems
    assert [box[:4] for box in after] == [box[:4] for box in before], "showing the buttons moved the share links"
    assert shifted == 0, f"layout shift {shifted:.4f} from {sources}"
    assert not overflowing, overflowing
    visible = {box[0]: box[4] for box in after}
    assert visible["نسخ الرابط"] == "visible" and visible["مشاركة…"] == ("visible" if has_share else "hidden")
    assert {box[0]: box[4] for box in before}["نسخ الرابط"] == "hidden"  # nothing promised without script
    assert [box[0] for box in after][:4] == ["واتساب", "تيليغرام", "إكس", "البريد"]
    assert copied == served_site.site.base_url + sample.site_path


# ---------------------------------------------------------------- the front page

# The front page as a reader meets it: headings and links in reading order, the grid's and the
# sections' columns, and the lead picture's loading hints.
FRONT_PAGE = """() => {
  const main = document.querySelector("main");
  const columns = (selector) => {
    const element = document.querySelector(selector);
    return element ? getComputedStyle(element).gridTemplateColumns.split(" ").length : 0;
  };
  const picture = document.querySelector(".lead-picture");
  return {
    headings: [...main.querySelectorAll("h1, h2, h3")].map((h) => h.tagName.toLowerCase() + " " + h.id),
    first_link_in_lead: main.querySelector("a").closest("#lead") !== null,
    lead_above_grid: document.querySelector("#lead").getBoundingClientRect().bottom
      <= document.querySelector(".home-grid").getBoundingClientRect().top,
    grid: columns(".home-grid"),
    sections: columns(".home-sections"),
    section_links: [...document.querySelectorAll(".home-section-title a")].map((a) => a.getAttribute("href")),
    picture: picture && { loading: picture.getAttribute("loading"), priority: picture.getAttribute("fetchpriority"),
                          loaded: picture.complete && picture.naturalWidth > 0 },
  };
}"""
FRONT_VIEWPORTS = {"narrow": (320, 640), **VIEWPORTS}


@pytest.mark.browser
@pytest.mark.parametrize("viewport_name", FRONT_VIEWPORTS)
def test_front_page_leads_with_one_story_then_a_grid_then_sections(
    browser: Browser, served_site: ServedSite, axe_script: Path, screenshots: Path, viewport_name: str
) -> None:
    viewport = FRONT_VIEWPORTS[viewport_name]
    url = served_site.url("")
    console: list[str] = []
    page = open_page(browser, url, viewport, console)
    page.route("**/*.webp", lambda route: (time.sleep(0.2), route.continue_()))  # pictures arrive late
    faults: list[str] = []
    try:
        page.goto(url, wait_until="load")
        front = page.evaluate(FRONT_PAGE)
        shifted, sources = page.evaluate(SHIFTS)
        page.screenshot(path=screenshots / f"front-{viewport[0]}x{viewport[1]}.png", full_page=True)
        if front["headings"][:2] != ["h1 ", "h2 lead-title"]:
            faults.append(f"the lead story's headline is not the first under the page's h1: {front['headings']}")
        if not (front["first_link_in_lead"] and front["lead_above_grid"]):
            faults.append(f"the lead story is not first in reading order: {front}")
        wide = viewport[0] >= 1024
        if (front["grid"] >= 2) != wide or front["grid"] > 3:
            faults.append(f"{front['grid']} grid columns at {viewport[0]}px; expected 1 on phones, 2-3 when wide")
        if front["sections"] < 1 or (front["sections"] > 1) != wide:
            faults.append(f"{front['sections']} columns of sections at {viewport[0]}px")
        if not front["section_links"] or not all(link.startswith("/nashra/tags/") for link in front["section_links"]):
            faults.append(f"every section's heading should link to its tag page: {front['section_links']}")
        picture = front["picture"] or {}
        if picture.get("loading") is not None or picture.get("priority") != "high" or not picture.get("loaded"):
            faults.append(f"the lead picture should load at once, first: {picture}")
        if shifted:
            faults.append(f"layout shift {shifted:.4f} from {sources}")
        scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll_width > inner_width:
            faults.append(f"the page scrolls sideways: {scroll_width}px wide in a {inner_width}px window")
        faults += [f"outside the viewport: {element}" for element in page.evaluate(OVERFLOWING_ELEMENTS)]
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
            faults += [
                f"[{scheme}] axe {v['impact']} {v['id']}: {v['help']} at {', '.join(v['targets'])}"
                for v in axe_violations(page, axe_script)
            ]
            faults += [f"[{scheme}] low contrast: {failure}" for failure in page.evaluate(LOW_CONTRAST_TEXT)]
        # A picture download the browser itself gives up (a slow, delayed one it no longer needs) is
        # not the site's fault; every other failed request or console error is.
        faults += [line for line in console if not (line.endswith("net::ERR_ABORTED") and ".webp" in line)]
    finally:
        page.context.close()
    if faults:
        pytest.fail(f"front page at {viewport[0]}x{viewport[1]}:\n" + "\n".join(faults), pytrace=False)
