from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from nashra.dates import hijri_date, human_date, human_time, iso, parse_date

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
