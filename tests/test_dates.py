import json
import re
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import article_text, write_tree

from nashra.dates import hijri_date, human_date, human_time, in_zone, iso, parse_date, zone_label

RIYADH = ZoneInfo("Asia/Riyadh")
MOMENT = datetime(2025, 6, 30, 11, 5, tzinfo=UTC)  # 14:05 in Riyadh


@pytest.mark.parametrize(
    ("style", "digits", "expected"),
    [
        ("default", "latn", "30 يونيو 2025"),
        ("levant", "latn", "30 حزيران 2025"),
        ("dual", "latn", "30 يونيو/حزيران 2025"),
        ("default", "arab", "٣٠ يونيو ٢٠٢٥"),
    ],
)
def test_human_date_styles(style: str, digits: str, expected: str) -> None:
    assert human_date(MOMENT, RIYADH, "ar", style, digits) == expected


def test_human_date_converts_to_the_site_timezone() -> None:
    late = datetime(2025, 6, 30, 22, 30, tzinfo=UTC)
    assert human_date(late, RIYADH, "ar", "default", "latn") == "1 يوليو 2025"


def test_human_time_and_iso() -> None:
    assert human_time(MOMENT, RIYADH, "ar", "latn") == "2:05 م"
    assert human_time(MOMENT, RIYADH, "ar", "arab") == "٢:٠٥ م"
    assert iso(MOMENT.astimezone(RIYADH)) == "2025-06-30T14:05:00+03:00"


@pytest.mark.parametrize(
    ("value", "expected", "has_time"),
    [
        ("2025-06-30", "2025-06-30T00:00:00+03:00", False),
        ("2025-06-30T14:05", "2025-06-30T14:05:00+03:00", True),
        ("2025-06-30T14:05:00Z", "2025-06-30T14:05:00+00:00", True),
        ("2025-06-30 14:05:00+01:00", "2025-06-30T14:05:00+01:00", True),
        (date(2025, 6, 30), "2025-06-30T00:00:00+03:00", False),
        ("٢٠٢٥-٠٦-٣٠", "2025-06-30T00:00:00+03:00", False),
        ("۲۰۲۵-۰۶-۳۰T۱۴:۰۵", "2025-06-30T14:05:00+03:00", True),
        ("1000-01-01T00:00:00+00:00", "1000-01-01T00:00:00+00:00", True),
        ("9998-12-31T23:59:59-12:00", "9998-12-31T23:59:59-12:00", True),
        ("1900-01-01", "1900-01-01T00:00:00+03:07", False),  # local mean time +03:06:52, rounded
        ("1900-01-01T12:00:00+03:06:52", "1900-01-01T12:00:00+03:07", True),
    ],
)
def test_parse_date(value: object, expected: str, has_time: bool) -> None:
    moment, timed = parse_date(value, RIYADH)  # type: ignore[misc]
    assert (moment.isoformat(), timed) == (expected, has_time)


@pytest.mark.parametrize("value", ["2025-13-01", "30/06/2025", "yesterday", 2025, None])
def test_parse_date_errors_are_messages(value: object) -> None:
    assert isinstance(parse_date(value, RIYADH), str)


def test_hijri_date_umm_al_qura() -> None:
    assert hijri_date(MOMENT, RIYADH, "latn") == "5 محرم 1447 هـ"
    assert hijri_date(MOMENT, RIYADH, "arab") == "٥ محرم ١٤٤٧ هـ"


def test_hijri_date_outside_the_tables_is_empty() -> None:
    assert hijri_date(datetime(1900, 1, 1, tzinfo=UTC), RIYADH, "latn") == ""


@pytest.mark.parametrize(
    "value", ["2" * 100_000, [[1, 2, 3]] * 100_000, {"a": "b" * 100_000}], ids=["text", "list", "mapping"]
)
def test_parse_date_errors_quote_a_short_excerpt(value: object) -> None:
    message = parse_date(value, RIYADH)
    assert isinstance(message, str)
    assert len(message) < 200


@pytest.mark.parametrize(
    "value",
    [
        "0001-01-01T00:00:00+05:00",
        "9999-12-31T23:00:00-05:00",
        "0999-12-31",
        "9999-01-01",
        "1000-01-01T01:00:00+05:00",  # 0999-12-31 in Riyadh
        date(1, 1, 1),
        datetime(9999, 12, 31, tzinfo=UTC),
    ],
)
def test_dates_outside_the_years_1000_to_9998_are_errors(value: object) -> None:
    message = parse_date(value, RIYADH)
    assert isinstance(message, str)
    assert message.startswith("must be between the years 1000 and 9998")


LMT = datetime(1900, 1, 1, 12, tzinfo=UTC)  # Riyadh then used local mean time, +03:06:52


def test_offsets_are_rounded_to_whole_minutes_wherever_a_date_meets_a_zone() -> None:
    assert in_zone(LMT, RIYADH).isoformat() == "1900-01-01T15:07:00+03:07"
    assert iso(LMT.astimezone(RIYADH)) == "1900-01-01T15:07:00+03:07"
    assert human_time(LMT, RIYADH, "ar", "latn") == "3:07 م"
    assert in_zone(MOMENT, RIYADH).tzinfo is RIYADH  # whole-minute offsets keep their zone


@pytest.mark.parametrize(("written", "offset"), [("+23:59:30", "+23:59"), ("-23:59:45", "-23:59")])
def test_an_offset_just_short_of_a_day_rounds_to_the_largest_allowed(written: str, offset: str) -> None:
    """Found by the generated tests: rounding +23:59:30 up gave +24:00, which Python refuses."""
    moment, _ = parse_date(f"2025-06-01T00:00{written}", RIYADH)  # type: ignore[misc]
    assert iso(moment) == f"2025-06-01T00:00:00{offset}"


def test_a_date_at_midnight_stays_on_its_day_in_local_mean_time() -> None:
    moment, _ = parse_date("1900-01-01", RIYADH)  # type: ignore[misc]
    assert iso(moment) == "1900-01-01T00:00:00+03:07"
    assert human_date(moment, RIYADH, "ar", "default", "latn") == "1 يناير 1900"


def test_feeds_and_pages_show_whole_minute_offsets_and_four_digit_years(site_dir: Path, build) -> None:
    files = {"old.md": article_text(date="1900-01-01"), "first.md": article_text(date="1000-01-01T12:00:00+00:00")}
    write_tree(site_dir / "content", files)
    assert build().code == 0
    output = site_dir / "output"
    rss, atom = (output / "feed.xml").read_text("utf-8"), (output / "atom.xml").read_text("utf-8")
    assert re.findall(r"<pubDate>([^<]+)</pubDate>", rss) == [
        "Mon, 01 Jan 1900 00:00:00 +0307",
        "Wed, 01 Jan 1000 15:07:00 +0307",
    ]
    assert "<published>1900-01-01T00:00:00+03:07</published>" in atom
    items = json.loads((output / "feed.json").read_text("utf-8"))["items"]
    assert [item["date_published"] for item in items] == ["1900-01-01T00:00:00+03:07", "1000-01-01T15:07:00+03:07"]
    page = (output / "articles/old/index.html").read_text("utf-8")
    assert set(re.findall(r'datetime="([^"]+)"', page)) == {"1900-01-01T00:00:00+03:07"}


def test_the_far_future_builds_with_future(site_dir: Path, build) -> None:
    write_tree(site_dir / "content", {"far.md": article_text(date="9998-12-31T23:00:00-05:00")})
    assert build("--future").code == 0
    assert "<pubDate>Fri, 01 Jan 9999 07:00:00 +0300</pubDate>" in (site_dir / "output/feed.xml").read_text("utf-8")


@pytest.mark.parametrize(
    ("zone", "label", "expected"),
    [
        ("Asia/Riyadh", "", "بتوقيت مكة المكرمة"),
        ("Asia/Dubai", "", "بتوقيت الإمارات"),
        ("Asia/Riyadh", "بتوقيت الرياض", "بتوقيت الرياض"),
        ("UTC", "", "بتوقيت غرينتش"),
        ("Europe/London", "", "بتوقيت غرينتش \u2066+1\u2069"),  # summer time on 2025-06-30
        ("Asia/Kolkata", "", "بتوقيت غرينتش \u2066+5:30\u2069"),
        ("America/New_York", "", "بتوقيت غرينتش \u2066-4\u2069"),
    ],
)
def test_zone_label_names_the_zone_as_arabic_outlets_do(zone: str, label: str, expected: str) -> None:
    moment = datetime(2025, 6, 30, 11, 5, tzinfo=UTC)
    assert zone_label(moment, ZoneInfo(zone), label, "latn") == expected


def test_zone_label_offsets_follow_the_sites_digits() -> None:
    moment = datetime(2025, 6, 30, 11, 5, tzinfo=UTC)
    assert zone_label(moment, ZoneInfo("Asia/Kolkata"), "", "arab") == "بتوقيت غرينتش \u2066+٥:٣٠\u2069"
