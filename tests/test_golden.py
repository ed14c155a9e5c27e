"""Build tests/fixtures/site and compare every byte with tests/fixtures/site/expected.

After an intended change, run `python -m pytest tests/test_golden.py --update-goldens` and review
`git diff tests/fixtures/site/expected` like code.
"""

import difflib
import io
import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, files_of, run_cli
from PIL import Image

SITE = FIXTURES / "site"
EXPECTED = SITE / "expected"
VARIANT = re.compile(r"-\d+w\.(?:webp|jpg)$")  # a resized picture, named after its original and width
FIXED_EPOCH = "1752537600"  # 2025-07-15: after every fixture article but the scheduled one


def build_fixture(output: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    result = run_cli(["--config", str(SITE / "site.toml"), "--output", str(output)])
    assert result.code == 0, result.err


def test_fixture_site_matches_golden_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    output = tmp_path / "output"
    build_fixture(output, monkeypatch)
    if request.config.getoption("--update-goldens"):
        shutil.rmtree(EXPECTED, ignore_errors=True)
        shutil.copytree(output, EXPECTED)
    actual, expected = files_of(output), files_of(EXPECTED)
    assert sorted(actual) == sorted(expected), "files differ; run with --update-goldens after reviewing"
    for name in sorted(expected):
        if VARIANT.search(name):
            # Resized pictures depend on Pillow's encoders, not on nashra: compare what they show.
            assert _picture(actual[name]) == _picture(expected[name]), name
            continue
        if actual[name] != expected[name]:
            diff = difflib.unified_diff(
                expected[name].decode(errors="replace").splitlines(),
                actual[name].decode(errors="replace").splitlines(),
                f"expected/{name}",
                f"built/{name}",
                lineterm="",
            )
            pytest.fail("\n".join(list(diff)[:80]))


def _picture(data: bytes) -> tuple[str | None, tuple[int, int], str]:
    with Image.open(io.BytesIO(data)) as picture:
        return picture.format, picture.size, picture.mode


def test_golden_output_covers_the_fixture_cases() -> None:
    """Guards the fixture itself: the cases the golden test is meant to pin down are present."""
    names = set(files_of(EXPECTED))
    assert "articles/مصر/index.html" in names  # Arabic file name
    assert "articles/openai-deal/index.html" in names  # CRLF + BOM file
    assert "page/3/index.html" in names  # pagination
    assert not any("draft" in name or "future" in name for name in names)  # draft and scheduled left out
    english = (EXPECTED / "articles/english/index.html").read_text(encoding="utf-8")
    assert '<html lang="en" dir="ltr" data-digits="latn">' in english
    bundle = "articles/صور-القمر/"
    assert {bundle + "القمر.png", bundle + "القمر-64w.webp", bundle + "chart-40w.jpg"} <= names  # a story bundle
    assert {"images/banner.png", "2025/07/ملفات/notes.txt"} <= names  # static/ and a file beside the stories
    # Outlets: "الموقع بوسْت" (one story) folds into "الموقع بوست" (two), which names it.
    assert {"sources/index.html", "sources/الموقع-بوست/feed.xml", "sources/الموقع-بوست/atom.xml"} <= names
    assert not any(name.startswith("sources/الموقع-بوسْت") for name in names)
    outlet = (EXPECTED / "sources/الموقع-بوست/index.html").read_text(encoding="utf-8")
    assert 'page-lead">3 أخبار' in outlet and "بوسْت" not in outlet
    # [tags.aliases] merges the English "AI" into the Arabic tag, which takes the alias's spelling.
    tag = (EXPECTED / "tags/الذكاء-الاصطناعي/index.html").read_text(encoding="utf-8")
    assert 'page-lead">3 أخبار' in tag and "<bdi>الذكاء الاصطناعي</bdi>" in tag and not any("/ai/" in n for n in names)
    # sources.toml lists two outlets: their stories' feed entries credit the outlet's feed, whichever
    # spelling the story used; المرصد is not listed, so its story carries no <source>.
    credit = '<source url="https://example.com/almawqea/feed/?lang=ar&amp;type=all">الموقع بوست</source>'
    rss = (EXPECTED / "sources/الموقع-بوست/feed.xml").read_text(encoding="utf-8")
    assert rss.count(credit) == rss.count("<item>") == 3
    observer = (EXPECTED / "sources/المرصد/feed.xml").read_text(encoding="utf-8")
    assert "<source" not in observer and "<source" not in (EXPECTED / "sources/المرصد/atom.xml").read_text("utf-8")
