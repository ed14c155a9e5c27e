"""A story's body through the build: problems at file lines, and stories without text."""

import json
import re
from pathlib import Path

from conftest import article_text, write_tree

from nashra.collect import PLACEHOLDER


def test_body_problems_are_at_file_lines_and_come_with_front_matter_errors(site_dir: Path, build) -> None:
    body = "فقرة.\n\n" + "> " * 40 + "x\n"
    write_tree(site_dir / "content", {"bad.md": "---\ntitle: 42\ndate: 2025-06-30\n---\n" + body})
    result = build()
    assert result.code == 1
    assert result.err.splitlines()[:2] == [
        "content/bad.md:2: title: must be text, got int 42; put it in quotes",
        "content/bad.md:7: lists, quotes or definitions nested 40 levels deep, more than 32; remove extra '>' "
        "or list markers (write a literal one as '\\>', '\\-' or '1\\.'), or separate definitions with blank lines",
    ]


def page(site_dir: Path, slug: str) -> str:
    return (site_dir / "output" / "articles" / slug / "index.html").read_text(encoding="utf-8")


def test_what_the_sanitiser_removed_is_a_warning_at_its_file_line(site_dir: Path, build) -> None:
    body = "مقدمة.\n\n<script>track()</script>\n\n[اضغط](javascript:void(0))\n"
    write_tree(site_dir / "content", {"a.md": article_text(body=body)})
    result = build()
    assert result.code == 0
    assert "content/a.md:7: warning: removed <script> and its content" in result.err
    assert 'content/a.md:9: warning: removed href="javascript:…" on <a>' in result.err
    assert "<a>اضغط</a>" in page(site_dir, "a")


def test_character_references_xml_forbids_cannot_break_the_feeds(site_dir: Path, build) -> None:
    body = 'نص فيه &#1; و&#x1F;.\n\n<span title="&#xFFFE;">ع</span>\n'
    write_tree(site_dir / "content", {"a.md": article_text(body=body)})
    result = build()
    assert result.code == 0, result.err
    assert "content/a.md:5: warning: removed &#1;, &#x1F;: character references" in result.err
    assert "content/a.md:7: warning: removed &#xFFFE;" in result.err
    for name in ("feed.xml", "atom.xml", "feed.json", "articles/a/index.html"):
        text = (site_dir / "output" / name).read_text(encoding="utf-8")
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|&#x?0*(1|1f|fffe);", text, re.IGNORECASE)


def json_ld(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL).group(1))


def test_a_story_without_text_is_a_warning_and_claims_no_reading_time(site_dir: Path, build) -> None:
    write_tree(site_dir / "content", {"empty.md": article_text(body=""), "full.md": article_text(body="نص الخبر.\n")})
    result = build()
    assert result.code == 0
    assert "content/empty.md:4: warning: the story has no text below the front matter" in result.err
    assert "full.md" not in result.err
    empty, full = page(site_dir, "empty"), page(site_dir, "full")
    assert "وقت القراءة" not in empty and "وقت القراءة: دقيقة واحدة" in full
    assert "timeRequired" not in json_ld(empty) and "wordCount" not in json_ld(empty)
    assert (json_ld(full)["timeRequired"], json_ld(full)["wordCount"]) == ("PT1M", 2)


def test_the_placeholder_of_new_is_a_warning_unless_the_draft_is_left_out(site_dir: Path, build) -> None:
    write_tree(site_dir / "content", {"draft.md": article_text(draft="true", body="\n" + PLACEHOLDER)})
    assert build().err == ""  # a draft nobody has written yet is normal while it is left out
    result = build("--drafts")
    assert result.code == 0
    assert "content/draft.md:7: warning: the body is still the placeholder of 'build.py new'" in result.err
    assert "وقت القراءة" not in page(site_dir, "draft")
