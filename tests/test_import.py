"""`build.py import` against a local server: every kind of feed, dedup, failures, the built site."""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import SITE_TOML, make_config, write_tree
from feed_server import FeedServer, Route, serving, trickle
from hypothesis import given, settings
from hypothesis import strategies as st

from nashra.cli import main
from nashra.convert import clean_url, plain_text, to_markdown, url_key
from nashra.feedread import Item
from nashra.fetch import Limits, Validators
from nashra.frontmatter import split
from nashra.importer import Settings, front_matter, import_sources, item_id, make_story
from nashra.importstate import (
    MAX_SEEN,
    STATE_FILE,
    FeedState,
    ImportState,
    load_state,
    remember,
    save_state,
    state_text,
)
from nashra.sources import Source

FIXTURES = Path(__file__).parent / "fixtures" / "import"
AFTER_THE_FEEDS = datetime(2026, 12, 1, tzinfo=UTC)  # the fixture feeds are dated 27-28 November 2026
RSS = "application/rss+xml"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture
def server() -> Iterator[FeedServer]:
    yield from serving()


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(AFTER_THE_FEEDS.timestamp())))
    write_tree(tmp_path, {"site.toml": SITE_TOML, "content/.keep": ""})
    return tmp_path


def serve_every_case(server: FeedServer) -> None:
    arabic = fixture("arabic-undeclared.xml").decode("utf-8")
    server.routes |= {
        "/rss": Route(fixture("rss-cdata.xml"), headers=(("Content-Type", f"{RSS}; charset=utf-8"),)),
        "/atom": Route(fixture("atom-base.xml"), headers=(("Content-Type", "application/atom+xml"),)),
        "/rdf": Route(fixture("rss1.rdf"), headers=(("Content-Type", "application/rdf+xml"),)),
        "/json": Route(fixture("feed.json"), headers=(("Content-Type", "application/feed+json"),)),
        "/cp1256": Route(arabic.encode("cp1256"), headers=(("Content-Type", "text/xml"),)),
        "/liar": Route(
            arabic.replace("aden.example", "liar.example").encode("cp1256"),
            headers=(("Content-Type", "application/rss+xml; charset=UTF-8"),),
        ),
        "/bozo": Route(fixture("bozo.xml"), headers=(("Content-Type", "text/xml"),)),
        "/page": Route(fixture("page.html"), headers=(("Content-Type", "text/html; charset=utf-8"),)),
        "/error": Route(b"boom", status=500),
        "/loop-a": Route(status=302, headers=(("Location", "/loop-b"),)),
        "/loop-b": Route(status=302, headers=(("Location", "/loop-a"),)),
    }


SOURCES = {
    "الموقع بوست": ("/rss", 'tags = ["اليمن"]'),
    "The Wire": ("/atom", ""),
    "موقع قديم": ("/rdf", ""),
    "نشرة جيسون": ("/json", "draft = false"),
    "صحيفة عدن": ("/cp1256", ""),
    "الكاذب": ("/liar", ""),
    "معطوبة": ("/bozo", ""),
    "صفحة": ("/page", ""),
    "مفقود": ("/missing", ""),
    "معطل": ("/error", ""),
    "حلقة": ("/loop-a", ""),
}


def write_sources(site: Path, server: FeedServer, sources: dict[str, tuple[str, str]] = SOURCES) -> None:
    blocks = [
        f'[[source]]\nname = "{name}"\nfeed = "{server.url(path)}"\n{extra}\n'
        for name, (path, extra) in sources.items()
    ]
    (site / "sources.toml").write_text("\n".join(blocks), encoding="utf-8")


def run(site: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["import", "--config", str(site / "site.toml"), *args], out, err)
    return code, out.getvalue(), err.getvalue()


def stories(site: Path) -> dict[str, str]:
    content = site / "content"
    return {path.relative_to(content).as_posix(): path.read_text("utf-8") for path in sorted(content.rglob("*.md"))}


def line_of(site: Path, name: str) -> int:
    lines = (site / "sources.toml").read_text("utf-8").split("\n")
    return lines.index(f'name = "{name}"')  # the [[source]] line is the one above; lines count from 1


# ---------------------------------------------------------------- the whole command


def test_every_kind_of_feed_and_every_failure(site: Path, server: FeedServer) -> None:
    serve_every_case(server)
    write_sources(site, server)
    code, out, err = run(site)
    assert code == 0
    written = stories(site)
    assert sorted(written) == [
        "2026/11/ports-reopen-in-aden-mukalla.md",
        "2026/11/الحكومة-تعلن-خطة-الإعمار-في-عدن.md",
        "2026/11/خبر-بلا-معرف-ولا-تاريخ.md",
        "2026/11/خبر-سليم.md",
        "2026/11/خبر-معطوب.md",
        "2026/11/خبر-من-json-feed.md",
        "2026/11/خبر-من-موقع-قديم.md",
        "2026/11/رئيس-الوزراء-يزور-المحافظات-الجنوبية-ويلتقي-بالمسؤولين-2.md",  # the same story from the liar
        "2026/11/رئيس-الوزراء-يزور-المحافظات-الجنوبية-ويلتقي-بالمسؤولين.md",
        "2026/11/نص-بلا-html.md",
    ]
    urn = item_id(item(guid="almawqea-101"), Source("", server.url("/rss")))  # made from the feed's address
    rss_story = written["2026/11/الحكومة-تعلن-خطة-الإعمار-في-عدن.md"].replace(server.base, "http://SERVER")
    assert rss_story == (FIXTURES / "expected-rss-story.md").read_text("utf-8").replace("URN", urn)
    # Both Arabic single-byte feeds came out as Arabic, not mojibake.
    aden = written["2026/11/رئيس-الوزراء-يزور-المحافظات-الجنوبية-ويلتقي-بالمسؤولين.md"]
    assert "زار رئيس الوزراء اليوم" in aden and 'source: "صحيفة عدن"' in aden
    failures = {
        "صفحة": f"an HTML page, not a feed; its feed may be {server.url('/feed/')}",
        "مفقود": "HTTP 404 Not Found",
        "معطل": "HTTP 500 Internal Server Error",
        "حلقة": f"redirect loop: {server.url('/loop-a')} was already visited",
    }
    for name, message in failures.items():
        assert f"sources.toml:{line_of(site, name)} [{name}]: {message}\n" in err
    assert f"sources.toml:{line_of(site, 'معطوبة')} [معطوبة]: warning: the feed is malformed" in err
    assert "warning: خبر بلا معرّف ولا تاريخ: no date in the feed; dated with the time of the import" in err
    assert "الموقع بوست: 2 new, 0 already known, 2 skipped" in out
    assert "wrote 10 stories from 7 sources; 4 failed" in out


def test_front_matter_round_trips_and_the_drafts_build(site: Path, server: FeedServer) -> None:
    serve_every_case(server)
    write_sources(site, server)
    run(site)
    for name, text in stories(site).items():
        parsed = split(text, name)
        assert not hasattr(parsed, "message"), parsed
        meta = parsed.meta  # type: ignore[union-attr]
        assert set(meta) <= {"title", "date", "updated", "source", "source_url", "author", "summary", "tags",
                             "image", "id", "lang", "draft"}  # fmt: skip
        assert meta.get("draft") is True or meta["source"] == "نشرة جيسون"
        assert "utm_" not in meta["source_url"] and "fbclid" not in meta["source_url"]
    out, err = io.StringIO(), io.StringIO()
    assert main(["--config", str(site / "site.toml"), "--drafts"], out, err) == 0, err.getvalue()
    assert "error" not in err.getvalue()


def test_injection_attempts_do_not_survive(site: Path, server: FeedServer) -> None:
    serve_every_case(server)
    write_sources(site, server, {"الموقع بوست": ("/rss", "draft = false"), "نشرة جيسون": ("/json", "draft = false")})
    run(site)
    for text in stories(site).values():
        for bad in ("<script", "<style", "onerror", "onclick", "<form", "<iframe", "evil.example", "tracker.example"):
            assert bad not in text
        assert not re.search(r"(?<!\\)\]\(javascript:", text)
    out, err = io.StringIO(), io.StringIO()
    assert main(["--config", str(site / "site.toml")], out, err) == 0, err.getvalue()
    for page in (site / "output").rglob("*.html"):
        html = page.read_text("utf-8")
        assert 'href="javascript:' not in html and "alert(" not in html.replace("alert(3)", "").replace("alert(4)", "")
        assert "onerror" not in html and "onclick" not in html and "evil.example" not in html


def test_a_second_run_writes_nothing_and_deleted_drafts_stay_deleted(site: Path, server: FeedServer) -> None:
    serve_every_case(server)
    write_sources(site, server, {name: SOURCES[name] for name in ("الموقع بوست", "The Wire", "نشرة جيسون")})
    assert run(site)[0] == 0
    first = stories(site)
    state = (site / STATE_FILE).read_text("utf-8")
    code, out, _ = run(site)
    assert code == 0 and stories(site) == first and "wrote 0 stories from 3 sources" in out
    assert "The Wire: not changed since the last import" in out  # same bytes: not even parsed again
    assert (site / STATE_FILE).read_text("utf-8") == state
    deleted = site / "content" / "2026" / "11" / "ports-reopen-in-aden-mukalla.md"
    deleted.unlink()
    server.routes["/atom"] = Route(fixture("atom-base.xml").replace(b"Two ports", b"2 ports"))  # changed bytes
    code, out, _ = run(site)
    assert not deleted.exists() and "The Wire: 0 new, 1 already known" in out


def test_conditional_requests_use_the_validators_kept_in_the_state(site: Path, server: FeedServer) -> None:
    server.routes["/rss"] = Route(fixture("rss-cdata.xml"), etag='"abc"')
    write_sources(site, server, {"الموقع بوست": ("/rss", "")})
    run(site)
    saved = json.loads((site / STATE_FILE).read_text("utf-8"))["feeds"][server.url("/rss")]
    assert saved["etag"] == '"abc"' and len(saved["seen"]) == 4  # two stories: an id and an address each
    _code, out, _ = run(site)
    assert server.requests[-1][1]["if-none-match"] == '"abc"'
    assert "not changed since the last import" in out


def test_stories_already_in_content_are_known_by_id_or_by_address(site: Path, server: FeedServer) -> None:
    serve_every_case(server)
    write_sources(site, server, {"The Wire": ("/atom", ""), "الموقع بوست": ("/rss", "")})
    write_tree(site / "content", {
        "by-hand.md": '---\ntitle: "x"\ndate: 2026-11-28\nsource_url: "http://www.almawqea.example/news/101/?page=2&utm_source=x"\n---\nنص\n',
        "same-id.md": "---\ntitle: x\ndate: 2026-11-28\nid: 'tag:wire.example,2026:story-7'\n---\nنص\n",
    })  # fmt: skip
    _code, out, _ = run(site)
    assert "The Wire: 0 new, 1 already known" in out and "الموقع بوست: 1 new, 1 already known, 2 skipped" in out


def test_dry_run_writes_nothing(site: Path, server: FeedServer) -> None:
    serve_every_case(server)
    write_sources(site, server, {"The Wire": ("/atom", "")})
    code, out, _ = run(site, "--dry-run")
    assert code == 0 and stories(site) == {} and not (site / STATE_FILE).exists()
    assert "would write content/2026/11/ports-reopen-in-aden-mukalla.md" in out.replace(str(site) + "/", "")
    assert "    title:" not in out
    code, out, _ = run(site, "--dry-run", "-v")
    assert code == 0 and stories(site) == {}
    assert '\n    title: "Ports reopen in Aden & Mukalla"\n' in out and "\n    Source: [The Wire](" in out


def test_sources_and_content_elsewhere_keep_the_state_beside_the_sources(site: Path, server: FeedServer) -> None:
    serve_every_case(server)
    write_sources(site, server, {"The Wire": ("/atom", "")})
    elsewhere = site / "feeds" / "outlets.toml"
    elsewhere.parent.mkdir()
    (site / "sources.toml").rename(elsewhere)
    code, _, err = run(site, "--sources", str(elsewhere), "--content", str(site / "drafts"))
    assert code == 0, err
    assert (site / "drafts" / "2026" / "11" / "ports-reopen-in-aden-mukalla.md").is_file()
    assert (site / "feeds" / STATE_FILE).is_file() and not (site / STATE_FILE).exists() and stories(site) == {}


def test_named_sources_verbose_and_quiet(site: Path, server: FeedServer) -> None:
    serve_every_case(server)
    write_sources(site, server)
    code, out, _ = run(site, "الموقع بوست", "-v")
    assert code == 0 and len(stories(site)) == 2
    assert "skipped خبر مكرر المعرّف: the same id as an earlier item of the feed" in out
    assert "skipped https://almawqea.example/news/104: no title" in out
    assert f"الموقع بوست: {server.url('/rss')}: 200, {len(fixture('rss-cdata.xml')):,} bytes, read as utf-8\n" in out
    code, out, _ = run(site, "-v", "صحيفة عدن")
    assert f"صحيفة عدن: {server.url('/cp1256')}: 200, " in out and "bytes, read as windows-1256\n" in out
    code, out, err = run(site, "-q", "The Wire")
    assert code == 0 and out == "" and err == ""
    code, _, err = run(site, "nobody")
    assert code == 2 and "no source named 'nobody'" in err


def test_exit_status_is_1_only_when_every_source_failed(site: Path, server: FeedServer) -> None:
    serve_every_case(server)
    write_sources(site, server, {"مفقود": ("/missing", ""), "معطل": ("/error", "")})
    code, _out, err = run(site)
    assert code == 1 and err.count("sources.toml:") == 2
    write_sources(site, server, {"مفقود": ("/missing", ""), "The Wire": ("/atom", "")})
    assert run(site)[0] == 0


def test_bad_sources_toml_and_state_are_errors_with_lines(site: Path, server: FeedServer) -> None:
    (site / "sources.toml").write_text('[[source]]\nname = "x"\nfeed = "nope"\n', encoding="utf-8")
    code, _, err = run(site)
    assert code == 1 and "sources.toml:3: feed: must be an absolute http(s) address, got 'nope'" in err
    write_sources(site, server, {"The Wire": ("/atom", "")})
    (site / STATE_FILE).write_text("{", encoding="utf-8")
    code, _, err = run(site)
    assert code == 1 and "sources.state.json: is not a valid state file" in err


def test_import_then_build_credits_the_outlet_in_page_and_feed(site: Path, server: FeedServer) -> None:
    server.routes["/json"] = Route(fixture("feed.json"), headers=(("Content-Type", "application/feed+json"),))
    write_sources(site, server, {"نشرة جيسون": ("/json", "draft = false")})
    assert run(site)[0] == 0
    out, err = io.StringIO(), io.StringIO()
    assert main(["--config", str(site / "site.toml")], out, err) == 0, err.getvalue()
    page = next((site / "output" / "articles").glob("خبر-من-json-feed*/index.html")).read_text("utf-8")
    original = "https://json.example/posts/1"
    assert re.search(r'المصدر:&nbsp;<a href="[^"]+/sources/[^"]+/"><bdi>نشرة جيسون</bdi></a>', page), page
    assert f'(<a href="{original}" rel="external noopener">الخبر الأصلي</a>)' in page
    feed = (site / "output" / "feed.xml").read_text("utf-8")
    entry = feed[feed.index("<title>خبر من JSON Feed</title>") :].split("</item>")[0]
    assert "نشرة جيسون" in entry and original in entry


# ---------------------------------------------------------------- limits and full text, through the API


def test_a_never_finishing_feed_is_cut_and_the_others_import(tmp_path: Path, server: FeedServer) -> None:
    server.routes["/slow"] = Route(trickle())
    server.routes["/atom"] = Route(fixture("atom-base.xml"))
    sources = (Source("slow", server.url("/slow"), line=1), Source("wire", server.url("/atom"), line=4))
    settings = Settings(make_config(tmp_path), AFTER_THE_FEEDS, Limits(connect_timeout=0.5, total_timeout=0.5))
    outcomes, state = import_sources(sources, ImportState(), settings)
    assert outcomes[0].error == "the answer did not finish within 0.5 s"
    assert len(outcomes[1].new) == 1 and server.url("/slow") not in state.feeds


def test_full_text_reads_the_article_page(tmp_path: Path, server: FeedServer) -> None:
    pytest.importorskip("trafilatura")
    article = (
        "<html><head><title>t</title></head><body><nav>القائمة الرئيسية</nav><article><h1>العنوان</h1>"
        + "".join(f"<p>الفقرة رقم {n} من نص المقال الكامل، وفيها تفاصيل كثيرة عن الخبر.</p>" for n in range(8))
        + "<script>alert(1)</script></article><footer>حقوق النشر</footer></body></html>"
    )
    server.routes["/page/1"] = Route(article.encode("cp1256"), headers=(("Content-Type", "text/html"),))
    feed = fixture("rss1.rdf").replace(b"https://old.example/a/1", server.url("/page/1").encode())
    server.routes["/rdf"] = Route(feed)
    settings = Settings(make_config(tmp_path), AFTER_THE_FEEDS)
    source = Source("قديم", server.url("/rdf"), full_text=True)
    (outcome,), _ = import_sources((source,), ImportState(), settings)
    text = outcome.new[0].path.read_text("utf-8")
    assert "الفقرة رقم 7 من نص المقال الكامل" in text and "alert" not in text and "حقوق النشر" not in text


def test_full_text_without_trafilatura_is_a_clear_error(tmp_path: Path, server: FeedServer,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setitem(sys.modules, "trafilatura", None)
    server.routes["/rdf"] = Route(fixture("rss1.rdf"))
    settings = Settings(make_config(tmp_path), AFTER_THE_FEEDS)
    (outcome,), _ = import_sources((Source("x", server.url("/rdf"), full_text=True),), ImportState(), settings)
    assert outcome.error == "full_text = true needs trafilatura: pip install 'nashra[import-full]'"


# ---------------------------------------------------------------- pieces


def item(**fields: object) -> Item:
    values: dict[str, object] = {
        "guid": "g1", "link": "https://x.example/a", "title": "عنوان", "published": datetime(2026, 11, 28, tzinfo=UTC),
        "updated": None, "author": "", "summary_html": "", "content_html": "<p>نص</p>", "categories": (), "image": "",
    }  # fmt: skip
    return Item(**(values | fields))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://x.example/a?utm_source=t&id=3&fbclid=z", "https://x.example/a?id=3"),
        ("https://x.example/a?gclid=1&utm_medium=m", "https://x.example/a"),
        ("https://x.example/a?q=%D8%B9&b", "https://x.example/a?q=%D8%B9&b"),  # nothing removed: left as it was
        ("https://x.example/a#xtor=RSS-3", "https://x.example/a"),
        ("https://x.example/a#section-2", "https://x.example/a#section-2"),
        ("https://x.example", "https://x.example/"),
    ],
)
def test_clean_url(url: str, expected: str) -> None:
    assert clean_url(url) == expected


def test_url_key_ignores_what_does_not_name_another_article() -> None:
    assert url_key("http://www.X.example:80/a/?b=2&a=1&utm_x=1#top") == url_key("https://x.example/a?a=1&b=2")
    assert url_key("https://x.example/a?id=1") != url_key("https://x.example/a?id=2")


def test_item_ids_are_uris() -> None:
    source = Source("s", "https://feed.example/rss")
    assert item_id(item(guid="https://x.example/a"), source) == "https://x.example/a"
    assert item_id(item(guid="tag:x.example,2026:1"), source) == "tag:x.example,2026:1"
    made = item_id(item(guid="12345"), source)
    assert made.startswith("urn:uuid:") and made == item_id(item(guid="12345", title="other"), source)
    assert item_id(item(guid="12345"), Source("s", "https://other.example/rss")) != made


def test_front_matter_quotes_anything_a_feed_can_say(tmp_path: Path) -> None:
    strange = 'yes: "no" #not a comment\\ [x] {y} & *z* \u2028 — ---'
    text = front_matter([("title", strange), ("date", "2026-11-28T09:30:00+03:00"), ("tags", ("a: b", "- c")),
                         ("draft", True), ("author", None)])  # fmt: skip
    parsed = split(text + "\nنص\n", "x.md")
    assert parsed.meta == {  # type: ignore[union-attr]
        "title": strange, "date": "2026-11-28T09:30:00+03:00", "tags": ["a: b", "- c"], "draft": True,
    }  # fmt: skip


def test_slug_collisions_get_a_suffix_and_nothing_is_overwritten(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    write_tree(tmp_path / "content", {"2026/11/عنوان.md": "mine"})
    settings = Settings(config, AFTER_THE_FEEDS)
    planned = {tmp_path / "content/2026/11/عنوان-2.md"}
    story = make_story(item(), Source("s", "https://f.example/"), "", settings, planned, None, [])
    assert not isinstance(story, str) and story.path.name == "عنوان-3.md"


def test_dates_keep_their_offset_and_updated_only_when_later(tmp_path: Path) -> None:
    settings = Settings(make_config(tmp_path), AFTER_THE_FEEDS)
    source = Source("s", "https://f.example/")
    published = datetime.fromisoformat("2026-11-30T23:30:00-05:00")  # 1 December in Riyadh, the site's zone
    story = make_story(item(published=published, updated=published), source, "", settings, set(), None, [])
    assert not isinstance(story, str)
    assert "date: 2026-11-30T23:30:00-05:00\n" in story.text and "updated:" not in story.text
    assert story.path == tmp_path / "content" / "2026" / "12" / "عنوان.md"
    later = make_story(item(published=published, updated=published + timedelta(hours=2)), source, "", settings,
                       set(), None, [])  # fmt: skip
    assert not isinstance(later, str) and "updated: 2026-12-01T01:30:00-05:00\n" in later.text
    undated = make_story(item(published=None), source, "", settings, set(), None, warnings := [])
    assert not isinstance(undated, str) and "date: 2026-12-01T03:00:00+03:00\n" in undated.text
    assert warnings == ["عنوان: no date in the feed; dated with the time of the import"]
    assert make_story(item(link="javascript:x"), source, "", settings, set(), None, []) == (
        "no http(s) link to the original"
    )


def test_an_item_that_cannot_become_a_story_is_skipped_not_fatal(tmp_path: Path, server: FeedServer) -> None:
    feed = fixture("rss1.rdf").replace(b"2026-11-27T18:00:00+03:00", b"9999-12-31T23:00:00-05:00")
    server.routes["/rdf"] = Route(feed)
    settings = Settings(make_config(tmp_path), AFTER_THE_FEEDS)
    (outcome,), _ = import_sources((Source("x", server.url("/rdf")),), ImportState(), settings)
    assert outcome.new == () and outcome.skipped[0][0] == "خبر من موقع قديم"
    assert outcome.skipped[0][1].startswith("cannot be made into a story:")


def test_plain_text_and_markdown() -> None:
    assert plain_text("<p>أ &amp; ب</p><p>ج<br>د</p><script>x()</script>") == "أ & ب ج د"
    pixel = '<img src="p.gif" width="1" height="1">'
    assert to_markdown(f'<p>a <a href="/x">y</a>{pixel}</p>', "https://s.example/d/") == "a [y](https://s.example/x)"
    assert to_markdown("<h2>H</h2><ol><li>one</li></ol>", "https://s.example/") == "## H\n\n1. one"
    # Bodies that Beautiful Soup would take for an address or a file name (and warn about).
    assert to_markdown("https://x.example/a", "https://s.example/") == "https://x.example/a"
    assert to_markdown("page.html", "https://s.example/") == "page.html"
    assert to_markdown("", "https://s.example/") == ""


def test_state_survives_a_round_trip_and_forgets_the_oldest_first(tmp_path: Path) -> None:
    assert load_state(tmp_path / "none.json") == ImportState()
    feed = remember(
        FeedState(Validators('"e"', "Sat, 28 Nov 2026 10:00:00 GMT"), "d1"), ["old-b", "old-a"], "2026-01-01"
    )
    feed = remember(feed, [f"k{number:05d}" for number in range(MAX_SEEN - 1)] + ["old-a"], "2026-11-28")
    # old-a is in this run's feed, so it stays although it is the oldest; old-b goes.
    assert feed.seen["old-a"] == "2026-01-01" and len(feed.seen) == MAX_SEEN and "old-b" not in feed.seen
    state = ImportState().with_feed("https://f.example/rss", feed)
    assert save_state(tmp_path / STATE_FILE, state) and not save_state(tmp_path / STATE_FILE, state)
    assert load_state(tmp_path / STATE_FILE) == state
    assert state_text(load_state(tmp_path / STATE_FILE)) == (tmp_path / STATE_FILE).read_text("utf-8")
    with pytest.raises(ValueError, match="not a version 1 state file"):
        (tmp_path / "old.json").write_text('{"version": 0}', encoding="utf-8")
        load_state(tmp_path / "old.json")


PIECES = st.sampled_from([
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '<a href="javascript:alert(1)">x</a>',
    "<p>", "</p>", "<b>", "<ul><li>", "&lt;script&gt;", "&amp;", "[x](javascript:y)", "<!--", "-->", "<![CDATA[",
    "<style>", "<iframe src=//e>", "<svg onload=alert(1)>", '<a href="//evil.example/">e</a>', "*", "_", "\\", "`",
    "خبر", " ", "\n", "<", ">", "&", '"', "'", "=", "<math>", "<form>", "<table><tr><td>", "<img src=data:x>",
])  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECES | st.text(max_size=5), max_size=30).map("".join))
def test_no_markup_from_a_feed_survives_as_html_in_the_markdown(fragment: str) -> None:
    markdown = to_markdown(fragment, "https://s.example/")
    assert not re.search(r"<[A-Za-z!/?]", markdown)  # no tag or comment: Markdown would pass it through as HTML
    assert not re.search(r"(?<!\\)\]\((?!https?://)", markdown)  # every link goes to http(s)
    assert "javascript:" not in markdown.replace("[x](javascript:y)", "").replace(r"\[x\](javascript:y)", "")
