"""`python build.py new`: the file it writes parses, checks and builds; it never overwrites."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import copy_site

from nashra import frontmatter
from nashra.cli import main
from nashra.config import load_config
from nashra.new import Draft, UsageError, create_article, split_tags
from nashra.text import make_slug

REPO = Path(__file__).resolve().parent.parent
EPOCH = 1_751_360_400  # 2025-07-01T09:00:00Z, i.e. 12:00 in Asia/Riyadh: after every sample article


def run(*args: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main([str(arg) for arg in args], out, err)
    return code, out.getvalue(), err.getvalue()


def read_meta(path: Path) -> dict[str, object]:
    parsed = frontmatter.split(path.read_text(encoding="utf-8"), path.name)
    assert not isinstance(parsed, frontmatter.Problem), parsed
    return parsed.meta


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))  # `new` dates the article "now": make now fixed
    return copy_site(tmp_path)


def test_new_writes_complete_front_matter_at_the_slug_path(site: Path) -> None:
    title = "الذَّكَاءُ الاصْطِنَاعِيُّ يُغَيِّرُ الإعلام"
    code, out, err = run("new", title, "--config", site / "site.toml", "--tags", "ميتا،الذكاء الاصطناعي",
                         "--tags", "OpenAI", "--source", "رويترز", "--source-url", "https://example.com/a")  # fmt: skip
    assert code == 0, err
    path = site / "content" / "2025" / "07" / f"{make_slug(title)}.md"
    assert path.name == "الذكاء-الاصطناعي-يغير-الإعلام.md"
    assert Path(out.strip()) == path
    meta = read_meta(path)
    assert meta["title"] == title
    assert meta["date"] == "2025-07-01T12:00:00+03:00"
    assert meta["tags"] == ["ميتا", "الذكاء الاصطناعي", "OpenAI"]
    assert meta["source"] == "رويترز"
    assert meta["source_url"] == "https://example.com/a"
    assert re.fullmatch(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}", str(meta["id"]))
    assert meta["draft"] is True


def test_new_article_passes_check_and_builds_as_a_draft(site: Path, tmp_path: Path) -> None:
    code, out, _ = run("new", "ميتا تطلق نموذجًا جديدًا", "--config", site / "site.toml", "--tags", "ميتا")
    assert code == 0
    slug = Path(out.strip()).stem

    code, out, err = run("check", "--config", site / "site.toml")
    assert (code, err) == (0, "")
    assert "8 articles" in out
    assert "skipped 1 draft, 0 scheduled" in out

    output = tmp_path / "out"
    assert run("--config", site / "site.toml", "--output", output)[0] == 0
    assert not (output / "articles" / slug).exists()
    code, _, err = run("--config", site / "site.toml", "--output", output, "--drafts")
    assert code == 0
    assert err.endswith(":12: warning: the body is still the placeholder of 'build.py new'; write the story here\n")
    page = (output / "articles" / slug / "index.html").read_text(encoding="utf-8")
    assert "ميتا تطلق نموذجًا جديدًا" in page


def test_new_refuses_to_overwrite(site: Path) -> None:
    args = ("new", "ترامب يهاجم ماسك مجددًا", "--config", site / "site.toml")
    code, out, _ = run(*args)
    assert code == 0
    path = Path(out.strip())
    path.write_text(path.read_text(encoding="utf-8") + "نص كتبه المحرر\n", encoding="utf-8")
    before = path.read_bytes()

    code, out, err = run(*args)
    assert code == 1
    assert out == ""
    assert "already exists; not overwritten" in err
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "title",
    ['عاجل: "ميتا" تشتري # شركة', "- قائمة؟ لا", "---", "yes", "هل تنجح آبل في إنقاذ «سيري»؟ \u2028 سطر"],
)
def test_new_quotes_any_title_safely(site: Path, title: str) -> None:
    # `--` ends the options, so a title may even start with a dash.
    code, out, err = run("new", "--config", site / "site.toml", "--source", 'قال: "لا"', "--slug", "safe", "--", title)
    assert code == 0, err
    meta = read_meta(Path(out.strip()))
    assert meta["title"] == " ".join(title.split())  # one line: a break in a title would reach the feeds
    assert meta["source"] == 'قال: "لا"'
    assert run("check", "--config", site / "site.toml")[0] == 0


def test_new_keeps_a_date_without_time_as_a_date(site: Path) -> None:
    code, out, _ = run("new", "خبر قديم", "--config", site / "site.toml", "--date", "2024-02-03")
    assert code == 0
    path = Path(out.strip())
    assert path.parent == site / "content" / "2024" / "02"
    assert read_meta(path)["date"] == "2024-02-03"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("؟؟ !!",), "no letters or digits"),
        (("خبر", "--date", "2025-13-01"), 'cannot read "2025-13-01"'),
        (("خبر", "--source-url", "example.com/story"), "absolute http(s) address"),
        (("   ",), "must not be empty"),
    ],
)
def test_new_rejects_unusable_values_as_usage_errors(site: Path, args: tuple[str, ...], message: str) -> None:
    code, out, err = run("new", *args, "--config", site / "site.toml")
    assert (code, out) == (2, "")
    assert message in err
    assert sorted(p.name for p in (site / "content").rglob("*.md")) == sorted(
        p.name for p in (REPO / "content").rglob("*.md")
    )


def test_create_article_uses_the_given_moment_in_the_site_time_zone(tmp_path: Path) -> None:
    site = copy_site(tmp_path)
    config = load_config(site / "site.toml")
    now = datetime(2025, 12, 31, 22, 30, 15, 123456, tzinfo=UTC)  # already January 1st in Riyadh
    path = create_article(Draft(title="رأس السنة"), config, now)
    assert path == site / "content" / "2026" / "01" / "رأس-السنة.md"
    assert read_meta(path)["date"] == "2026-01-01T01:30:15+03:00"
    assert read_meta(path)["tags"] == []


def test_create_article_writes_a_whole_minute_offset_for_an_old_date(tmp_path: Path) -> None:
    config = load_config(copy_site(tmp_path) / "site.toml")
    path = create_article(Draft(title="خبر قديم", date="1900-01-01T10:00"), config, datetime(2025, 1, 1, tzinfo=UTC))
    assert read_meta(path)["date"] == "1900-01-01T10:00:00+03:07"


def test_create_article_needs_letters_in_title_or_slug(tmp_path: Path) -> None:
    config = load_config(copy_site(tmp_path) / "site.toml")
    with pytest.raises(UsageError):
        create_article(Draft(title="…", slug="!!"), config, datetime(2025, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize("url", ["http://[", "http://x:99999/", "javascript:alert(1)", "java\tscript:alert(1)"])
def test_create_article_refuses_a_source_url_that_is_not_a_web_address(tmp_path: Path, url: str) -> None:
    config = load_config(copy_site(tmp_path) / "site.toml")
    with pytest.raises(UsageError, match="--source-url"):
        create_article(Draft(title="خبر", source_url=url), config, datetime(2025, 1, 1, tzinfo=UTC))


def test_split_tags_accepts_both_commas_and_repeats() -> None:
    assert split_tags(["أ، ب", "ج,  د ", "أ"]) == ("أ", "ب", "ج", "د")
    assert split_tags(None) == ()


def test_new_notes_another_file_with_the_same_name(site: Path) -> None:
    code, _, err = run("new", "ترامب يهاجم ماسك", "--config", site / "site.toml", "--date", "2025-07-02")
    assert code == 0
    assert "content/2025/06/ترامب-يهاجم-ماسك.md has the same name" in err
