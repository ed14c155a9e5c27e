"""`build.py import`: the outlets' feeds -> new draft stories in content/YYYY/MM/, each item once."""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import yaml

from .config import SiteConfig
from .convert import clean_url, markdown_text, plain_text, safe_link, to_markdown, url_key
from .feedread import FeedError, Item, read_feed
from .fetch import FetchError, Limits, Response, decode, fetch, user_agent
from .importstate import ImportState, content_keys, remember
from .sources import Source
from .text import excerpt, fold_key, is_known_language, make_slug

SUMMARY_LENGTH = 300
FETCH_WORKERS = 8  # feeds fetched at once: waiting for servers, not CPU, is what an import spends its time on
CREDIT_LABELS = {"ar": "المصدر", "en": "Source", "fr": "Source"}
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
CHARSET_NAMES = {"cp1256": "windows-1256", "iso8859-6": "ISO-8859-6", "cp1252": "windows-1252"}  # Python's -> IANA
FULL_TEXT_MISSING = "full_text = true needs trafilatura: pip install 'nashra[import-full]'"


@dataclass(frozen=True, slots=True)
class Story:
    """One new story: where it goes and the whole file."""

    path: Path
    text: str
    title: str
    keys: tuple[str, ...]  # its id and normalised source_url, remembered in the state


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one source: new stories, items already known, items skipped and why, or an error."""

    source: Source
    new: tuple[Story, ...] = ()
    known: int = 0
    skipped: tuple[tuple[str, str], ...] = ()  # (what, why)
    warnings: tuple[str, ...] = ()
    error: str = ""
    not_modified: bool = False
    fetched: str = ""  # what the server answered, for -v: `200, 12,345 bytes, read as windows-1256`


@dataclass(frozen=True, slots=True)
class Settings:
    """How an import runs: site, fetch limits, clock, whether to write."""

    config: SiteConfig
    now: datetime
    limits: Limits = field(default_factory=Limits)
    dry_run: bool = False


class KnownKeys:
    """Ids and normalised addresses already imported or written by hand; content/ is read only when needed."""

    def __init__(self, content_dir: Path, state: ImportState) -> None:
        self._content_dir = content_dir
        self._seen = set(state.seen_anywhere())
        self._content: frozenset[str] | None = None

    def __contains__(self, key: object) -> bool:
        if key in self._seen:
            return True
        if self._content is None:  # a feed with nothing new never pays for reading content/
            self._content = content_keys(self._content_dir)
        return key in self._content

    def add(self, keys: tuple[str, ...]) -> None:
        self._seen.update(keys)


def import_sources(sources: tuple[Source, ...], state: ImportState, settings: Settings) -> tuple[
        tuple[Outcome, ...], ImportState]:  # fmt: skip
    """Import every source in turn; return what happened and the new state (written by the caller)."""
    known = KnownKeys(settings.config.content_dir, state)
    planned: set[Path] = set()
    outcomes = []
    # Feeds are fetched side by side (most of the time is waiting for servers), then read in
    # sources.toml's order, so the same answers always give the same files.
    with ThreadPoolExecutor(max_workers=max(1, min(FETCH_WORKERS, len(sources)))) as pool:
        answers = list(pool.map(lambda source: fetch_feed(source, state, settings), sources))
    for source, answer in zip(sources, answers, strict=True):
        outcome, state = import_source(source, answer, state, settings, known, planned)
        outcomes.append(outcome)
    return tuple(outcomes), state


def fetch_feed(source: Source, state: ImportState, settings: Settings) -> Response | str:
    """The feed's answer (conditional on what the state remembers), or why there is none."""
    agent = user_agent(settings.config.base_url)
    try:
        return fetch(source.feed, agent, state.feed(source.feed).validators, settings.limits)
    except FetchError as error:
        return str(error)


def import_source(source: Source, answer: Response | str, state: ImportState, settings: Settings, known: KnownKeys,
                  planned: set[Path]) -> tuple[Outcome, ImportState]:  # fmt: skip
    """Turn one feed's new items into stories and write them (unless dry_run)."""
    agent = user_agent(settings.config.base_url)
    previous = state.feed(source.feed)
    if isinstance(answer, str):
        return Outcome(source, error=answer), state
    if answer.not_modified:
        return Outcome(source, not_modified=True, fetched="304 Not Modified"), state
    digest = hashlib.sha256(answer.body).hexdigest()
    if digest == previous.digest:  # the server ignores validators but sends the same bytes: nothing new
        feed_state = replace(previous, validators=answer.validators)
        fetched = f"200, {len(answer.body):,} bytes, the same as last time"
        return Outcome(source, not_modified=True, fetched=fetched), state.with_feed(source.feed, feed_state)
    text, encoding = decode(answer.body, answer.charset)
    moved = f", from {answer.url}" if answer.url != source.feed else ""
    fetched = f"200, {len(answer.body):,} bytes, read as {CHARSET_NAMES.get(encoding, encoding)}{moved}"
    try:
        feed = read_feed(text, answer.url, answer.content_type)
    except FeedError as error:
        return Outcome(source, error=str(error)), state
    if not feed.items and feed.warnings:
        return Outcome(source, error=feed.warnings[0].replace("imported what could be read", "no items")), state

    full_text = _full_text_reader(source, agent, settings)
    if isinstance(full_text, str):
        return Outcome(source, error=full_text), state
    new: list[Story] = []
    skipped: list[tuple[str, str]] = []
    warnings = list(feed.warnings)
    count, in_feed = 0, set()
    remembered: list[str] = []
    for item in feed.items[: source.max_items]:
        keys = item_keys(item, source)
        label = _label(item)
        if keys[0] in in_feed:
            skipped.append((label, "the same id as an earlier item of the feed"))
            continue
        in_feed.update(keys)
        if any(key in known for key in keys):
            count += 1
            remembered.extend(keys)
            continue
        try:
            made = make_story(item, source, feed.lang, settings, planned, full_text, warnings)
        except (ValueError, OverflowError) as error:  # a date beyond year 9999 in the site's zone, and the like
            made = f"cannot be made into a story: {error}"
        if isinstance(made, str):
            skipped.append((label, made))
            continue
        planned.add(made.path)
        if not settings.dry_run:
            made = write_story(made)
        known.add(made.keys)
        remembered.extend(made.keys)
        new.append(made)
    day = settings.now.date().isoformat()
    feed_state = remember(replace(previous, validators=answer.validators, digest=digest), remembered, day)
    outcome = Outcome(source, tuple(new), count, tuple(skipped), tuple(warnings), fetched=fetched)
    return outcome, state.with_feed(source.feed, feed_state)


def item_keys(item: Item, source: Source) -> tuple[str, ...]:
    """The story id, then the normalised address of the original when there is one."""
    story_id = item_id(item, source)
    link = clean_url(item.link) if item.link else ""
    return (story_id, url_key(link)) if link else (story_id,)


def item_id(item: Item, source: Source) -> str:
    """The guid when it is a URI; else a `urn:uuid:` made from the feed and the guid (or link, or title)."""
    guid = item.guid.strip()
    if _URI.match(guid):
        return guid
    name = guid or item.link.strip() or plain_text(item.title)
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{source.feed}#{name}").urn


def _label(item: Item) -> str:
    """How the report names an item: its title, else its link or guid."""
    return plain_text(item.title)[:60] or item.link or item.guid or "(an item without title or link)"


def make_story(item: Item, source: Source, feed_lang: str, settings: Settings, planned: set[Path],
               full_text: Callable[[str], str | None] | None, warnings: list[str]) -> Story | str:  # fmt: skip
    """The story for one item, or why there is none."""
    config = settings.config
    title = plain_text(item.title)
    if not title:
        return "no title"
    link = clean_url(item.link) if item.link and safe_link("", item.link) else ""
    if not link:
        return "no http(s) link to the original"
    date = item.published or item.updated
    if date is None:
        date = settings.now.astimezone(config.timezone)
        warnings.append(f"{title[:60]}: no date in the feed; dated with the time of the import")
    date = _aware(date).replace(microsecond=0)
    updated = _aware(item.updated).replace(microsecond=0) if item.updated else None
    lang = _story_lang(source.lang or item.lang or feed_lang, config.language)

    body_html = item.content_html or item.summary_html
    if full_text is not None:
        extracted = full_text(link)
        if extracted:
            body_html = extracted
        else:
            warnings.append(f"{title[:60]}: the article page gave no text; the feed's text is used")
    body = to_markdown(body_html, link)
    label = CREDIT_LABELS.get((lang or config.language).split("-")[0].lower(), "Source")
    credit = f"{label}: [{markdown_text(source.name)}]({safe_link('', link)})"
    summary = excerpt(plain_text(item.summary_html), SUMMARY_LENGTH) if item.content_html else ""

    fields: list[tuple[str, object]] = [
        ("title", title),
        ("date", date.isoformat()),
        ("updated", updated.isoformat() if updated and updated > date else None),
        ("source", source.name),
        ("source_url", link),
        ("author", plain_text(item.author) or None),
        ("summary", summary or None),
        ("tags", _tags(source.tags, item.categories)),
        ("image", safe_link("", item.image) or None if item.image else None),
        ("id", item_id(item, source)),
        ("lang", lang or None),
        ("draft", True if source.draft else None),
    ]
    text = front_matter(fields) + "\n" + (f"{body}\n\n" if body else "") + credit + "\n"
    local = date.astimezone(config.timezone)
    path = _free_path(config.content_dir / f"{local:%Y}" / f"{local:%m}", make_slug(title) or f"{local:%Y-%m-%d}",
                      planned)  # fmt: skip
    return Story(path, text, title, item_keys(item, source))


def front_matter(fields: list[tuple[str, object]]) -> str:
    """The YAML block: strings double-quoted by PyYAML, dates plain, lists one item a line; None left out."""
    lines = ["---"]
    for key, value in fields:
        if value is None:
            continue
        if isinstance(value, bool):
            lines.append(f"{key}: {'true' if value else 'false'}")
        elif isinstance(value, tuple):
            lines.append(f"{key}:" if value else f"{key}: []")
            lines.extend(f"  - {_quoted(item)}" for item in value)
        elif key in ("date", "updated"):
            lines.append(f"{key}: {value}")
        else:
            lines.append(f"{key}: {_quoted(str(value))}")
    return "\n".join([*lines, "---"]) + "\n"


def _quoted(value: str) -> str:
    """A YAML double-quoted scalar on one line: any title, name or address stays text."""
    return yaml.safe_dump(value, allow_unicode=True, default_style='"', width=float("inf")).strip()


def _aware(moment: datetime) -> datetime:
    """A date without an offset is read as UTC, which feeds use when they leave it out."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _story_lang(lang: str, site_lang: str) -> str:
    """The story's language when it is known and not the site's own (`ar-YE` on an `ar` site is the site's)."""
    lang = lang.strip()
    if not lang or not is_known_language(lang):
        return ""
    return "" if lang.split("-")[0].lower() == site_lang.split("-")[0].lower() else lang


def _tags(source_tags: tuple[str, ...], categories: tuple[str, ...]) -> tuple[str, ...]:
    """The source's tags, then the item's categories; one spelling per folded tag, the first one seen."""
    chosen: dict[str, str] = {}
    for name in (*source_tags, *categories):
        name = plain_text(name).replace(",", " ").replace("\u060c", " ")
        name = " ".join(name.split())
        if name and fold_key(name) not in chosen:
            chosen[fold_key(name)] = name
    return tuple(chosen.values())


def _free_path(folder: Path, slug: str, planned: set[Path]) -> Path:
    """folder/slug.md, or slug-2.md, slug-3.md...: never a file that exists or is about to be written."""
    number = 1
    while True:
        path = folder / (f"{slug}.md" if number == 1 else f"{slug}-{number}.md")
        if path not in planned and not path.exists():
            return path
        number += 1


def write_story(story: Story) -> Story:
    """Create the file, never replacing one: a name taken meanwhile moves the story to the next free name."""
    story.path.parent.mkdir(parents=True, exist_ok=True)
    path = story.path
    while True:
        try:
            with path.open("x", encoding="utf-8", newline="\n") as file:
                file.write(story.text)
            return replace(story, path=path)
        except FileExistsError:
            path = _free_path(path.parent, story.path.stem, {path})


def _full_text_reader(source: Source, agent: str, settings: Settings) -> Callable[[str], str | None] | str | None:
    """For `full_text = true`: a function from an article's address to its main text as HTML; else None.

    A string instead is the reason it cannot be done (trafilatura is not installed)."""
    if not source.full_text:
        return None
    try:
        import trafilatura
    except ImportError:
        return FULL_TEXT_MISSING

    def read(link: str) -> str | None:
        try:
            answer = fetch(link, agent, limits=settings.limits)
        except FetchError:
            return None
        page, _ = decode(answer.body, answer.charset)
        found = trafilatura.extract(page, url=answer.url, output_format="html", include_links=True,
                                    include_images=True, include_comments=False)  # fmt: skip
        return found or None

    return read
