"""Dates for people (Arabic, via Babel's CLDR data) and for machines (ISO 8601)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time
from hijridate import Gregorian

from .text import ASCII_DIGITS, clip, shown, to_display_digits

LEVANT_LOCALE = "ar_LB"
# Four-digit years, as RSS and Atom dates need, with a day to spare at each end so that moving a
# date to any UTC offset (at most a day) never leaves what `datetime` can hold.
MIN_YEAR, MAX_YEAR = 1000, 9998
LARGEST_OFFSET = timedelta(hours=23, minutes=59)
ONE_MINUTE = timedelta(minutes=1)
GREENWICH = "بتوقيت غرينتش"
# The names Arabic outlets print after a time for the zones they most often use.
ZONE_LABELS = {
    "Asia/Riyadh": "بتوقيت مكة المكرمة",
    "Asia/Dubai": "بتوقيت الإمارات",
    "Asia/Muscat": "بتوقيت مسقط",
    "Asia/Qatar": "بتوقيت الدوحة",
    "Asia/Kuwait": "بتوقيت الكويت",
    "Asia/Bahrain": "بتوقيت المنامة",
    "Asia/Baghdad": "بتوقيت بغداد",
    "Asia/Amman": "بتوقيت عمّان",
    "Asia/Beirut": "بتوقيت بيروت",
    "Asia/Damascus": "بتوقيت دمشق",
    "Asia/Jerusalem": "بتوقيت القدس",
    "Asia/Gaza": "بتوقيت غزة",
    "Asia/Aden": "بتوقيت صنعاء",
    "Africa/Cairo": "بتوقيت القاهرة",
    "Africa/Khartoum": "بتوقيت الخرطوم",
    "Africa/Tripoli": "بتوقيت طرابلس",
    "Africa/Tunis": "بتوقيت تونس",
    "Africa/Algiers": "بتوقيت الجزائر",
    "Africa/Casablanca": "بتوقيت الرباط",
    "Africa/Nouakchott": "بتوقيت نواكشوط",
    "UTC": GREENWICH,
    "Etc/UTC": GREENWICH,
    "Etc/GMT": GREENWICH,
}


def parse_date(value: object, zone: ZoneInfo) -> tuple[datetime, bool] | str:
    """Front-matter date -> (aware datetime, has a time of day), or an error message."""
    if isinstance(value, datetime):
        moment, has_time = value, True
    elif isinstance(value, date):
        moment, has_time = datetime(value.year, value.month, value.day), False
    elif isinstance(value, str):
        text = value.strip().translate(ASCII_DIGITS)  # ٢٠٢٥-٠٦-٣٠ as slugs and tags accept them
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return f'cannot read "{clip(text)}"; write it as YYYY-MM-DD or YYYY-MM-DDTHH:MM+03:00'
        has_time = len(text) > 10
    else:
        return f"must be a date such as 2025-06-30 or 2025-06-30T14:05:00+03:00, got {shown(value)}"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    moment = _whole_minute_offset(moment)
    # The second test: the site's time zone must not move the date back before the year 1000.
    if not (MIN_YEAR <= moment.year <= MAX_YEAR and in_zone(moment, zone).year >= MIN_YEAR):
        written = value if isinstance(value, str) else moment.isoformat()
        return f"must be between the years {MIN_YEAR} and {MAX_YEAR}, got {shown(written)}"
    return moment, has_time


def in_zone(moment: datetime, zone: tzinfo) -> datetime:
    """The same moment in `zone`, with its UTC offset rounded to whole minutes.

    Before standard time, zones used local mean time (Asia/Riyadh until 1947: +03:06:52), but
    RFC 3339, RFC 822 and HTML `datetime` allow only hours and minutes in an offset.
    """
    local = moment.astimezone(zone)
    offset = local.utcoffset()
    if offset is None or offset % ONE_MINUTE == timedelta(0):
        return local
    return moment.astimezone(timezone(_round_to_minutes(offset)))


def _whole_minute_offset(moment: datetime) -> datetime:
    """The same wall-clock time with its offset rounded, so that a date stays on its day."""
    offset = moment.utcoffset()
    if offset is None or offset % ONE_MINUTE == timedelta(0):
        return moment
    return moment.replace(tzinfo=timezone(_round_to_minutes(offset)))


def _round_to_minutes(offset: timedelta) -> timedelta:
    """The nearest whole minute, kept inside the ±23:59 an offset may have (+23:59:30 stays +23:59)."""
    rounded = ((offset + ONE_MINUTE / 2) // ONE_MINUTE) * ONE_MINUTE
    return max(-LARGEST_OFFSET, min(LARGEST_OFFSET, rounded))


def iso(moment: datetime) -> str:
    """ISO 8601 with offset and Latin digits, for `<time datetime>`, JSON-LD and feeds."""
    return in_zone(moment, moment.tzinfo).isoformat() if moment.tzinfo else moment.isoformat()


def human_date(moment: datetime, zone: ZoneInfo, language: str, month_style: str, digits: str) -> str:
    """A long date such as `30 يونيو 2025`, in the site's time zone, month style and digits."""
    local = in_zone(moment, zone)
    locale = _locale(language)
    text = format_date(local, "long", locale=locale)
    if locale.language == "ar" and month_style != "default":
        text = _with_month_style(local, text, locale, month_style)
    return to_display_digits(text, digits)


def month_title(year: int, month: int, language: str, month_style: str, digits: str) -> str:
    """A month of a year such as `يونيو 2025` (or `حزيران 2025`), in the site's month style and digits."""
    locale = _locale(language)
    name = locale.months["stand-alone"]["wide"][month]
    if locale.language == "ar" and month_style != "default":
        default_name = locale.months["format"]["wide"][month]
        name = _with_month_style(datetime(2000, month, 1), default_name, locale, month_style)
    return to_display_digits(f"{name} {year}", digits)


def human_time(moment: datetime, zone: ZoneInfo, language: str, digits: str) -> str:
    """The time of day such as `2:05 م`, in the site's time zone."""
    text = format_time(in_zone(moment, zone), "short", locale=_locale(language))
    return to_display_digits(text, digits)


def zone_label(moment: datetime, zone: ZoneInfo, label: str, digits: str) -> str:
    """How Arabic outlets name the time zone after a time: `بتوقيت مكة المكرمة`.

    The site's own label wins; else the zone's usual name; else the offset from Greenwich at that moment.
    """
    if label:
        return label
    known = ZONE_LABELS.get(zone.key)
    if known:
        return known
    offset = in_zone(moment, zone).utcoffset() or timedelta(0)
    if not offset:
        return GREENWICH
    sign = "+" if offset > timedelta(0) else "-"
    hours, minutes = divmod(abs(offset) // ONE_MINUTE, 60)
    written = f"{hours}:{minutes:02d}" if minutes else f"{hours}"
    # U+2066/2069 keep `+3` in one piece after the Arabic word; the sign stays before the digits.
    return to_display_digits(f"{GREENWICH} \u2066{sign}{written}\u2069", digits)


def hijri_date(moment: datetime, zone: ZoneInfo, digits: str) -> str:
    """The Umm al-Qura date such as `5 محرم 1447 هـ`, or "" outside the calendar's table (1924-2077)."""
    local = in_zone(moment, zone)
    try:
        hijri = Gregorian(local.year, local.month, local.day).to_hijri()
    except OverflowError:
        return ""
    return to_display_digits(f"{hijri.day} {hijri.month_name('ar')} {hijri.year} {hijri.notation('ar')}", digits)


def _with_month_style(local: datetime, text: str, locale: Locale, month_style: str) -> str:
    default_name = locale.months["format"]["wide"][local.month]
    levant_name = _locale(LEVANT_LOCALE).months["format"]["wide"][local.month]
    replacement = levant_name if month_style == "levant" else f"{default_name}/{levant_name}"
    return text.replace(default_name, replacement, 1)


@lru_cache(maxsize=16)
def _locale(language: str) -> Locale:
    return Locale.parse(language, sep="-") if "-" in language else Locale.parse(language)
