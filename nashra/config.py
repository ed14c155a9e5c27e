"""site.toml plus command-line overrides -> SiteConfig, with every problem reported at once."""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import BuildError, Problem
from .text import XML_INVALID, clip, fold_key, is_known_language, normalize, shown, text_direction
from .urls import link_problem, to_ascii

DEFAULT_LAYOUTS = Path(__file__).resolve().parent.parent / "layouts"
DIGIT_STYLES = ("latn", "arab")
MONTH_STYLES = ("default", "levant", "dual")
SEARCH_SCOPES = ("off", "headlines", "full")
CACHE_FOLDER = ".nashra-cache"  # beside output/: rendered Markdown by content hash
SOURCES_FILE = "sources.toml"  # beside site.toml: the outlets `import` reads and the feeds credit


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """Everything a build needs to know besides the content itself."""

    title: str
    base_url: str
    description: str = ""
    language: str = "ar"
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Riyadh"))
    timezone_label: str = ""  # shown after times, e.g. "بتوقيت مكة المكرمة"; "" = the zone's usual name
    per_page: int = 10
    feed_items: int = 20
    feed_full_content: bool = True
    digits: str = "latn"
    month_style: str = "default"
    cname: str = ""
    words_per_minute: int = 150
    hijri: bool = False
    search: str = "off"
    home_grid: int = 6  # stories in the front page's grid, after the lead
    home_sections: int = 3  # sections for the busiest tags on the front page
    home_section_items: int = 4  # headlines in each of those sections
    content_dir: Path = Path("content")
    layouts_dir: Path = DEFAULT_LAYOUTS
    static_dir: Path | None = None  # files published at the root; site.toml's sites have static/ beside it
    output_dir: Path = Path("output")
    cache_dir: Path | None = None
    sources_file: Path | None = None  # the sources.toml the build reads (outlets' feeds), None without one
    drafts: bool = False
    future: bool = False
    now: datetime = datetime(1970, 1, 1, tzinfo=UTC)
    icon: str = ""  # the site's own icon in static/ (favicon.svg, .png or .ico), found when static/ is read
    # [tags] of site.toml, folded: spelling key -> the key it merges into, and key -> shown name
    tag_aliases: tuple[tuple[str, str], ...] = ()
    tag_names: tuple[tuple[str, str], ...] = ()

    @property
    def dir(self) -> str:
        """Direction of the site language: `rtl` for Arabic."""
        return text_direction(self.language)

    @property
    def has_search(self) -> bool:
        """True when a Pagefind index and a search page are built."""
        return self.search != "off"

    @property
    def base_path(self) -> str:
        """The sub-path the site is served under, percent-encoded like base_url: `/REPO/` on GitHub Pages."""
        return urlsplit(self.base_url).path or "/"


@dataclass(frozen=True, slots=True)
class Overrides:
    """Command-line values that win over site.toml."""

    content_dir: Path | None = None
    output_dir: Path | None = None
    layouts_dir: Path | None = None
    static_dir: Path | None = None
    base_url: str | None = None
    drafts: bool = False
    future: bool = False
    cache: bool = True
    sources: Path | None = None


def reference_time(environ: dict[str, str] | os._Environ[str] = os.environ) -> datetime:
    """The moment that decides which scheduled articles are published: SOURCE_DATE_EPOCH or now."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), UTC)
        except (ValueError, OverflowError, OSError) as error:  # not a number, or beyond any date
            raise BuildError(
                [Problem("SOURCE_DATE_EPOCH", None, f"must be whole seconds since 1970, got {shown(epoch)}")]
            ) from error
    return datetime.now(UTC)


def load_config(path: Path, overrides: Overrides = Overrides(), now: datetime | None = None) -> SiteConfig:
    """Read site.toml and apply overrides; raise BuildError listing every problem."""
    label = file_label(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
        raw = tomllib.loads(text)
    except FileNotFoundError as error:
        raise BuildError(
            [Problem(label, None, "not found; create it (see README, 'site.toml') or pass --config FILE")]
        ) from error
    except UnicodeDecodeError as error:
        raise BuildError([Problem(label, None, "is not UTF-8 text; save it as UTF-8")]) from error
    except tomllib.TOMLDecodeError as error:
        raise BuildError([toml_problem(label, error)]) from error
    return parse_config(raw, label, path.parent, overrides, now or reference_time(), key_lines(text))


def parse_config(
    raw: dict[str, object],
    label: str,
    root: Path,
    overrides: Overrides = Overrides(),
    now: datetime | None = None,
    lines: Mapping[str, int] | None = None,
) -> SiteConfig:
    """Validate a decoded site.toml table and build the SiteConfig; `lines` maps keys to lines."""
    problems: list[Problem] = []

    def bad(key: str, message: str, line_key: str = "") -> None:
        if key == "base_url" and overrides.base_url:
            problems.append(Problem("--base-url", None, message))
        else:
            problems.append(Problem(label, _line_of(lines or {}, line_key or key), f"{key}: {message}"))

    known = set(_SPEC)
    for key in sorted(set(raw) - known):
        hint = difflib.get_close_matches(key, sorted(known), n=1)
        suggestion = f"; did you mean '{hint[0]}'?" if hint else f"; known keys: {', '.join(sorted(known))}"
        bad(clip(key), f"unknown key{suggestion}", key)

    values: dict[str, object] = {}
    for key, (kind, required) in _SPEC.items():
        if key not in raw:
            if required and not (key == "base_url" and overrides.base_url):
                bad(key, f"is required; add `{key} = ...` to site.toml")
            continue
        value = raw[key]
        if not _is_kind(value, kind):
            bad(key, f"must be {_KIND_NAMES[kind]}, got {type(value).__name__} {shown(value)}")
            continue
        if isinstance(value, dict):
            values.update(_tags_table(value, bad))
            continue
        forbidden = XML_INVALID.search(value) if isinstance(value, str) else None
        if forbidden:  # TOML escapes can write them; titles and descriptions end up in XML
            bad(key, f"contains the control character U+{ord(forbidden.group()):04X}, which XML forbids; remove it")
            continue
        values[key] = value

    if overrides.base_url:
        values["base_url"] = overrides.base_url
    _check_values(values, bad)
    if problems:
        raise BuildError(problems)

    language = str(values.pop("language", "ar"))
    zone = ZoneInfo(str(values.pop("timezone", "Asia/Riyadh")))
    output_dir = overrides.output_dir or root / "output"
    return SiteConfig(
        **values,  # type: ignore[arg-type]
        language=language,
        timezone=zone,
        content_dir=overrides.content_dir or root / "content",
        output_dir=output_dir,
        cache_dir=output_dir.parent / CACHE_FOLDER if overrides.cache else None,
        layouts_dir=overrides.layouts_dir or _default_layouts(root),
        static_dir=overrides.static_dir or root / "static",
        sources_file=overrides.sources or _default_sources(root),
        drafts=overrides.drafts,
        future=overrides.future,
        now=now or datetime(1970, 1, 1, tzinfo=UTC),
    )


_SPEC: dict[str, tuple[type, bool]] = {
    "title": (str, True),
    "description": (str, False),
    "base_url": (str, True),
    "language": (str, False),
    "timezone": (str, False),
    "timezone_label": (str, False),
    "per_page": (int, False),
    "feed_items": (int, False),
    "feed_full_content": (bool, False),
    "digits": (str, False),
    "month_style": (str, False),
    "cname": (str, False),
    "words_per_minute": (int, False),
    "hijri": (bool, False),
    "search": (str, False),
    "tags": (dict, False),
    "home_grid": (int, False),
    "home_sections": (int, False),
    "home_section_items": (int, False),
}
_KIND_NAMES = {str: "a string", int: "a whole number", bool: "true or false", dict: "a table ([tags])"}


def _is_kind(value: object, kind: type) -> bool:
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def _check_values(values: dict[str, object], bad) -> None:  # type: ignore[no-untyped-def]
    if "base_url" in values:
        values["base_url"] = _normalize_base_url(str(values["base_url"]), bad)
    if "title" in values and not str(values["title"]).strip():
        bad("title", "must not be empty")
    language = values.get("language")
    if language is not None and not is_known_language(str(language)):
        bad("language", f"unknown language tag {shown(language)}; use a BCP 47 tag such as 'ar' or 'ar-EG'")
    zone = values.get("timezone")
    if zone is not None:
        try:
            ZoneInfo(str(zone))
        except (ZoneInfoNotFoundError, ValueError):
            bad("timezone", f"unknown time zone {shown(zone)}; use an IANA name such as 'Asia/Riyadh'")
    for key in ("per_page", "feed_items", "words_per_minute"):
        if key in values and int(values[key]) < 1:  # type: ignore[call-overload]
            bad(key, f"must be at least 1, got {values[key]}")
    for key in ("home_grid", "home_sections"):
        if key in values and int(values[key]) < 0:  # type: ignore[call-overload]
            bad(key, f"must be 0 or more, got {values[key]}")
    if "home_section_items" in values and int(values["home_section_items"]) < 1:  # type: ignore[call-overload]
        bad("home_section_items", f"must be at least 1, got {values['home_section_items']}")
    if values.get("digits", "latn") not in DIGIT_STYLES:
        bad("digits", f"must be one of {', '.join(DIGIT_STYLES)}, got {shown(values['digits'])}")
    if values.get("search", "off") not in SEARCH_SCOPES:
        bad("search", f"must be one of {', '.join(SEARCH_SCOPES)}, got {shown(values['search'])}")
    if values.get("month_style", "default") not in MONTH_STYLES:
        bad("month_style", f"must be one of {', '.join(MONTH_STYLES)}, got {shown(values['month_style'])}")
    cname = str(values.get("cname", ""))
    if cname and not re.fullmatch(r"[A-Za-z0-9.-]+\.[A-Za-z]{2,}", cname):
        bad("cname", f"must be a bare domain such as 'news.example.com', got {shown(cname)}")


def _normalize_base_url(url: str, bad) -> str:  # type: ignore[no-untyped-def]
    problem = link_problem(url)
    if problem:
        bad("base_url", f"{problem}; for example 'https://USER.github.io/REPO/'")
        return url
    parts = urlsplit(url)
    if parts.query or parts.fragment:
        bad("base_url", f"must not have a query or fragment, got {shown(url)}")
    if parts.path.startswith("//"):  # links would start with //, which browsers read as another host
        bad("base_url", f"its path must not start with //, got {shown(url)}")
    # Once, here: every address built from base_url is then ASCII, as sitemaps and feeds need.
    url = to_ascii(url)
    if "%" in urlsplit(url).netloc:
        bad("base_url", f"the host is not a valid domain name, got {shown(parts.netloc)}")
    return url if url.endswith("/") else url + "/"


# A key, or a [table] or [[array]] header, at the start of a line; keys may be quoted or dotted.
_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')"""
_DOTTED = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"
_KEY_LINE = re.compile(rf"\s*(?P<key>{_DOTTED})\s*=")
_HEADER_LINE = re.compile(rf"\s*\[\[?\s*(?P<key>{_DOTTED})\s*\]")


def key_lines(text: str) -> dict[str, int]:
    """The line of every key in a TOML text, as dotted paths (`title`, `tags`, `tags.aliases`).

    tomllib gives values but no positions, and each message should point at its key. Lines
    inside multi-line strings are skipped; the first line that names a key wins.
    """
    found: dict[str, int] = {}
    table: tuple[str, ...] = ()
    open_string = ""
    for number, line in enumerate(text.split("\n"), start=1):
        if open_string:
            if line.count(open_string) % 2:
                open_string = ""
            continue
        header, key = _HEADER_LINE.match(line), _KEY_LINE.match(line)
        if header:
            table = path = _key_parts(header["key"])
        elif key:
            path = table + _key_parts(key["key"])
        else:
            path = ()
        for end in range(1, len(path) + 1):
            found.setdefault(".".join(path[:end]), number)
        open_string = next((quote for quote in ('"""', "'''") if line.count(quote) % 2), "")
    return found


def _key_parts(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip("\"'") for part in re.findall(_KEY_PART, dotted))


def _line_of(lines: Mapping[str, int], dotted: str) -> int | None:
    """The line of a dotted key, or of the nearest table around it that has one."""
    while dotted:
        if dotted in lines:
            return lines[dotted]
        dotted = dotted.rpartition(".")[0]
    return None


TAGS_KEYS = ("aliases", "names")


def _tags_table(table: dict[str, object], bad) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """`[tags]`: `aliases` merge spellings that folding cannot ("Apple" = "آبل"), `names` set shown names.

    Both are kept folded: aliases as spelling key -> canonical key, names as key -> name. An alias
    target names its tag unless `names` says otherwise.
    """
    for key in sorted(set(table) - set(TAGS_KEYS)):
        hint = difflib.get_close_matches(key, TAGS_KEYS, n=1)
        advice = f"did you mean '{hint[0]}'?" if hint else f"known keys: {', '.join(TAGS_KEYS)}"
        bad(f"tags.{clip(key)}", f"unknown key; {advice}", f"tags.{key}")
    aliases: dict[str, str] = {}
    names: dict[str, str] = {}
    alias_names: dict[str, str] = {}
    targets: dict[str, str] = {}  # spelling key -> the target as written
    pairs = _spellings(table, "aliases", bad)
    for spelling, target in pairs:
        key, target_key = fold_key(spelling), fold_key(target)
        if key == target_key:
            message = f"{shown(spelling)} and {shown(target)} are one tag already (they differ only in case, hamza "
            bad(
                "tags.aliases", message + "or tashkeel, which tags ignore); remove the line", f"tags.aliases.{spelling}"
            )
        elif aliases.setdefault(key, target_key) != target_key:
            bad("tags.aliases", f"{shown(spelling)} is merged into two tags; keep one line", f"tags.aliases.{spelling}")
        else:
            targets.setdefault(key, target)
        alias_names.setdefault(target_key, target)
    for spelling, target in pairs:
        further = targets.get(fold_key(target))
        if further is not None:
            message = f"{shown(target)} is itself merged into {shown(further)}; merge {shown(spelling)} there directly"
            bad("tags.aliases", message, f"tags.aliases.{spelling}")
    for spelling, name in _spellings(table, "names", bad):
        key = aliases.get(fold_key(spelling), fold_key(spelling))
        where = f"tags.names.{spelling}"
        if fold_key(name) != key:
            message = f"{shown(name)} is not a spelling of the tag {shown(spelling)}; a name changes how a tag is "
            bad("tags.names", message + "written, not which tag it is (merge tags with [tags.aliases])", where)
        elif names.setdefault(key, name) != name:
            bad("tags.names", f"the tag {shown(spelling)} is given two names; keep one", where)
    return {
        "tag_aliases": tuple(sorted(aliases.items())),
        "tag_names": tuple(sorted((alias_names | names).items())),
    }


def _spellings(table: dict[str, object], name: str, bad) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """The `"spelling" = "text"` lines of `[tags.NAME]`, NFC and stripped; wrong ones are reported."""
    section = table.get(name, {})
    if not isinstance(section, dict):
        bad(f"tags.{name}", f'must be a table of "spelling" = "text" lines, got {shown(section)}', f"tags.{name}")
        return []
    found = []
    for spelling, value in section.items():
        where = f"tags.{name}.{spelling}"
        if not isinstance(value, str):
            bad(
                f"tags.{name}",
                f"{shown(spelling)} must be given text, got {type(value).__name__} {shown(value)}",
                where,
            )
            continue
        forbidden = XML_INVALID.search(spelling + value)
        if forbidden:
            message = f"contains the control character U+{ord(forbidden.group()):04X}, which XML forbids; remove it"
            bad(f"tags.{name}", f"{shown(spelling)}: {message}", where)
            continue
        if not fold_key(spelling) or not fold_key(value):
            bad(f"tags.{name}", f"{shown(spelling)} = {shown(value)}: neither side may be empty", where)
            continue
        found.append((normalize(spelling).strip(), normalize(value).strip()))
    return found


def _default_layouts(root: Path) -> Path:
    own = root / "layouts"
    return own if own.is_dir() else DEFAULT_LAYOUTS


def _default_sources(root: Path) -> Path | None:
    """sources.toml beside site.toml when there is one: a site without it simply credits no feeds."""
    path = root / SOURCES_FILE
    return path if path.is_file() else None


def toml_problem(label: str, error: tomllib.TOMLDecodeError) -> Problem:
    match = re.search(r"\(at line (\d+), column \d+\)", str(error))
    message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
    return Problem(label, int(match.group(1)) if match else None, f"invalid TOML: {message}")


def file_label(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()
