"""Date archives: grouping by the site's month, month names, and the pages with their links."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import SITE_TOML, article_text, files_of, make_article, make_config, run_cli, write_tree
from conftest import source_date_epoch as clock

from nashra.archives import archive_years, month_groups, month_of, month_url
from nashra.dates import month_title


def test_a_story_late_on_the_31st_utc_is_in_the_next_month_in_riyadh() -> None:
    story = make_article(date=datetime(2025, 5, 31, 23, 30, tzinfo=UTC))
    assert month_of(story, make_config(timezone=ZoneInfo("Asia/Riyadh"))) == (2025, 6)
    assert month_of(story, make_config(timezone=ZoneInfo("UTC"))) == (2025, 5)
    assert month_url(story, make_config()) == "/digest/archive/2025/06/"


def test_new_year_in_the_sites_zone_moves_a_story_to_the_next_year() -> None:
    story = make_article(date=datetime(2024, 12, 31, 21, 30, tzinfo=UTC))
    assert month_of(story, make_config()) == (2025, 1)  # 00:30 in Riyadh
    assert month_of(story, make_config(timezone=ZoneInfo("America/New_York"))) == (2024, 12)


def test_months_and_years_come_newest_first_with_their_counts() -> None:
    moments = [(2025, 7, 2), (2025, 6, 30), (2025, 6, 1), (2024, 12, 31), (2024, 2, 29)]
    stories = tuple(
        make_article(slug=f"s{i}", date=datetime(y, m, d, 9, tzinfo=UTC)) for i, (y, m, d) in enumerate(moments)
    )
    config = make_config()
    groups = month_groups(config, stories)
    assert [(g.month.year, g.month.month, g.month.count) for g in groups] == [
        (2025, 7, 1), (2025, 6, 2), (2024, 12, 1), (2024, 2, 1),
    ]  # fmt: skip
    assert [a.slug for a in groups[1].articles] == ["s1", "s2"]  # the site's order is kept
    assert groups[1].month.path == "archive/2025/06/"
    assert groups[1].month.permalink == "https://example.github.io/digest/archive/2025/06/"
    years = archive_years(config, groups)
    assert [(y.year, y.count, len(y.months)) for y in years] == [(2025, 3, 2), (2024, 2, 2)]
    assert years[0].url == "/digest/archive/2025/"
    assert month_groups(config, ()) == () and archive_years(config, ()) == ()


@pytest.mark.parametrize(
    ("style", "digits", "expected"),
    [
        ("default", "latn", "يونيو 2025"),
        ("levant", "latn", "حزيران 2025"),
        ("dual", "latn", "يونيو/حزيران 2025"),
        ("default", "arab", "يونيو ٢٠٢٥"),
        ("levant", "arab", "حزيران ٢٠٢٥"),
    ],
)
def test_month_names_follow_month_style_and_digits(style: str, digits: str, expected: str) -> None:
    assert month_title(2025, 6, "ar", style, digits) == expected
    config = make_config(month_style=style, digits=digits)
    group = month_groups(config, (make_article(),))[0]
    assert group.month.name == expected


def test_month_names_in_other_languages_and_for_january() -> None:
    assert month_title(2026, 1, "ar", "levant", "latn") == "كانون الثاني 2026"
    assert month_title(2025, 6, "en", "levant", "latn") == "June 2025"  # month_style is for Arabic names


def test_archive_pages_are_built_and_linked_from_stories_and_the_nav(tmp_path: Path) -> None:
    stories = {
        f"{i}.md": article_text(f"خبر {i}", date, tags="[وسم]")
        for i, date in enumerate(["2025-05-31T23:30:00+00:00", "2025-06-10", "2025-06-11", "2025-06-12", "2024-11-02"])
    }
    write_tree(tmp_path, {"site.toml": SITE_TOML + 'month_style = "levant"\ndigits = "arab"\n'})
    write_tree(tmp_path / "content", stories)
    with clock(int(datetime(2025, 7, 15, tzinfo=UTC).timestamp())):
        result = run_cli(["--config", str(tmp_path / "site.toml"), "--output", str(tmp_path / "out")])
    assert result.code == 0, result.err
    files = {path: data.decode() for path, data in files_of(tmp_path / "out").items() if path.startswith("archive/")}
    assert sorted(files) == [
        "archive/2024/11/index.html",
        "archive/2024/index.html",
        "archive/2025/06/index.html",
        "archive/2025/06/page/2/index.html",  # per_page = 2
        "archive/2025/index.html",
        "archive/index.html",
    ]
    june = files["archive/2025/06/index.html"]
    assert '<h1 class="page-title">أرشيف حزيران ٢٠٢٥</h1>' in june
    assert "٤ أخبار" in june and "صفحة ١ من ٢" in june
    assert 'href="/digest/archive/2025/"' in june
    index = files["archive/index.html"]
    assert index.index("/digest/archive/2025/06/") < index.index("/digest/archive/2024/11/")
    assert 'تشرين الثاني ٢٠٢٤ <span class="count">(١)</span>' in index
    story = (tmp_path / "out/articles/0/index.html").read_text(encoding="utf-8")
    assert '<a class="story-date" href="/digest/archive/2025/06/">' in story  # 02:30 on 1 June in Riyadh
    assert '<a href="/digest/archive/">الأرشيف</a>' in story
    sitemap = (tmp_path / "out/sitemap.xml").read_text(encoding="utf-8")
    for path in sorted(files):
        assert f"<loc>https://example.github.io/digest/{path.removesuffix('index.html')}</loc>" in sitemap
