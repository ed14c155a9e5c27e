"""A story's body through the build: its problems at their lines in the file."""

import re
from pathlib import Path

from conftest import article_text, write_tree


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
