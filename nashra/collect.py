"""Content files -> checked entries -> the Site: slugs, scheduling, tags and related stories."""

from __future__ import annotations

import difflib
import hashlib
import multiprocessing
import os
import re
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from .cache import CachedRenderer
from .config import SiteConfig
from .dates import parse_date
from .errors import BuildError, Problem
from .limits import Note
from .load import discover, label_for, read_source
from .markup import Renderer, first_paragraph_text, reading_text
from .model import Article, Body, Site, SourceFile, Tag, TagGroup
from .related import related_index
from .text import (
    count_words,
    excerpt,
    fold_key,
    is_known_language,
    looks_like_mojibake,
    make_slug,
    normalize,
    reading_minutes,
    remove_paired_bidi,
    text_direction,
)
from .urls import absolute, absolutize, article_path, href, tag_path

FIELDS = (
    "title", "date", "updated", "tags", "source", "source_url", "author",
    "summary", "slug", "image", "draft", "lang", "id",
)  # fmt: skip
TEXT_FIELDS = ("title", "source", "author", "summary")
DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-")
TAG_SEPARATORS = re.compile(r"[,\u060c]")
SUMMARY_LENGTH = 200
# The body `build.py new` writes: a comment, so a story nobody has written yet has no words.
PLACEHOLDER = "<!-- اكتب نص الخبر هنا. احذف السطر 'draft: true' عند النشر. -->\n"
PARALLEL_THRESHOLD = 200
CHUNK_SIZE = 64


@dataclass(frozen=True, slots=True)
class Entry:
    """A content file whose front matter passed every check, before site-wide decisions."""

    source_path: str
    title: str
    date: datetime
    has_time: bool
    updated: datetime | None
    tag_names: tuple[str, ...]
    source_name: str
    source_url: str
    author: str
    summary: str
    image: str
    lang: str
    dir: str
    body: Body
    draft: bool
    slug_base: str
    explicit_slug: bool
    slug_line: int
    id: str
    id_line: int = 0
    words: int = 0
    standfirst: str = ""


@dataclass(frozen=True, slots=True)
class Prepared:
    """What checking one file produced: the entry (when valid), errors and warnings."""

    entry: Entry | None
    errors: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    cache_key: str = ""


# ---------------------------------------------------------------- one file


def check_source(source: SourceFile, config: SiteConfig, renderer: Renderer | CachedRenderer) -> Prepared:
    """Validate one file's front matter and render its body; collect every problem."""
    errors: list[Problem] = []
    warnings: list[Problem] = []

    def error(key: str, message: str) -> None:
        errors.append(Problem(source.path, source.line_of(key), f"{key}: {message}"))

    for key in sorted(set(source.meta) - set(FIELDS)):
        hint = difflib.get_close_matches(key, FIELDS, n=1)
        advice = f"did you mean '{hint[0]}'?" if hint else f"allowed keys: {', '.join(FIELDS)}"
        error(key, f"unknown front-matter key; {advice}")

    meta: dict[str, Any] = dict(source.meta)
    texts = {key: _text(meta, key, error, source, warnings) for key in (*TEXT_FIELDS, "slug", "image", "id")}
    for key in ("source_url", "image"):
        if meta.get(key) is not None and not isinstance(meta[key], str):
            error(key, f"must be text, got {meta[key]!r}")
    title = texts["title"]
    if "title" not in meta:
        errors.append(Problem(source.path, 1, "title: is required; add a line 'title: \"...\"' to the front matter"))
    elif isinstance(meta["title"], str) and not title:
        error("title", "must not be empty")

    date, has_time = _date(meta, "date", config, error, required=True)
    updated, _ = _date(meta, "updated", config, error, required=False)
    if date and updated and updated < date:
        error("updated", "is earlier than 'date'; it should be the time of the latest correction")

    source_url = str(meta.get("source_url") or "").strip()
    if source_url and urlsplit(source_url).scheme not in ("http", "https"):
        error("source_url", f"must be an absolute http(s) address, got {source_url!r}")

    lang = meta.get("lang", config.language)
    if not isinstance(lang, str) or not is_known_language(lang):
        error("lang", f"unknown language tag {lang!r}; use a BCP 47 tag such as 'ar' or 'en'")
        lang = config.language

    draft = meta.get("draft", False)
    if not isinstance(draft, bool):
        error("draft", f"must be true or false, got {draft!r}")

    tag_names = _tags(meta.get("tags"), error, source, warnings)
    if meta.get("id") is not None and not texts["id"]:
        error("id", "must not be empty; remove the line to use the article's address as its feed id")

    if isinstance(renderer, CachedRenderer):
        rendered, stored = renderer.render_stored(source.body)
    else:
        rendered, stored = renderer.convert(source.body), None
    errors.extend(_at_body_lines(source, rendered.errors))
    if errors:
        return Prepared(None, tuple(errors), tuple(warnings))
    warnings.extend(_at_body_lines(source, rendered.warnings))
    body_html = rendered.html
    words = count_words(reading_text(body_html))
    if not words and (config.drafts or meta.get("draft") is not True):
        warnings.append(_no_words(source))  # drafts left out of the build may well be unwritten
    if looks_like_mojibake(title) or looks_like_mojibake(source.body):
        warnings.append(
            Problem(
                source.path, None, "text looks like UTF-8 read as Windows-1252 (Ø§Ù„...); check the file's encoding"
            )
        )
    slug_text = texts["slug"] or DATE_PREFIX.sub("", Path(source.path).stem)
    slug_base = make_slug(slug_text)
    if texts["slug"] and not slug_base:
        return Prepared(None, (Problem(source.path, source.line_of("slug"), "slug: has no letters or digits"),), ())
    assert date is not None
    entry = Entry(
        source_path=source.path,
        title=title,
        date=date,
        has_time=has_time,
        updated=updated,
        tag_names=tag_names,
        source_name=texts["source"],
        source_url=source_url,
        author=texts["author"],
        summary=texts["summary"] or excerpt(first_paragraph_text(body_html), SUMMARY_LENGTH),
        image=texts["image"],
        lang=lang,
        dir=text_direction(lang),
        body=Body(path=str(stored)) if stored else Body(text=body_html),
        draft=bool(draft),
        slug_base=slug_base or date.strftime("%Y-%m-%d"),
        explicit_slug=bool(texts["slug"]),
        slug_line=source.line_of("slug"),
        id=texts["id"],
        id_line=source.line_of("id"),
        words=words,
        standfirst=texts["summary"],
    )
    return Prepared(entry, (), tuple(warnings))


def _at_body_lines(source: SourceFile, notes: Iterable[Note]) -> list[Problem]:
    """Notes about the body, at their lines in the file."""
    return [Problem(source.path, source.body_line + note.line - 1, note.message) for note in notes]


def _no_words(source: SourceFile) -> Problem:
    """A story without text is published as an empty page: say so, at the place to write it."""
    if source.body.strip() == PLACEHOLDER.strip():
        line = source.body_line + source.body[: len(source.body) - len(source.body.lstrip())].count("\n")
        return Problem(source.path, line, "the body is still the placeholder of 'build.py new'; write the story here")
    return Problem(
        source.path, source.body_line - 1, "the story has no text below the front matter; it would be published empty"
    )


def _text(meta: dict[str, Any], key: str, error: Callable[[str, str], None], source: SourceFile,
          warnings: list[Problem]) -> str:  # fmt: skip
    value = meta.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        error(key, f"must be text, got {type(value).__name__} {value!r}; put it in quotes")
        return ""
    return _clean_text(value, key, source, warnings)


def _clean_text(value: str, key: str, source: SourceFile, warnings: list[Problem]) -> str:
    cleaned, removed = remove_paired_bidi(normalize(value))
    if removed:
        warnings.append(
            Problem(source.path, source.line_of(key), f"{key}: removed {removed} bidi embedding/override character(s)")
        )
    return " ".join(cleaned.split())


def _date(meta: dict[str, Any], key: str, config: SiteConfig, error: Callable[[str, str], None],
          required: bool) -> tuple[datetime | None, bool]:  # fmt: skip
    if key not in meta or meta[key] is None:
        if required:
            error(key, "is required; add a line such as 'date: 2025-06-30T14:05:00+03:00'")
        return None, False
    parsed = parse_date(meta[key], config.timezone)
    if isinstance(parsed, str):
        error(key, parsed)
        return None, False
    return parsed


def _tags(value: object, error: Callable[[str, str], None], source: SourceFile,
          warnings: list[Problem]) -> tuple[str, ...]:  # fmt: skip
    if value is None:
        return ()
    if isinstance(value, str):
        value = TAG_SEPARATORS.split(value)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        error("tags", 'must be a list of text, e.g. tags: ["الذكاء الاصطناعي", "ميتا"]')
        return ()
    names: dict[str, str] = {}
    for item in value:
        name = _clean_text(item, "tags", source, warnings)
        key = fold_key(name)
        if key and key not in names:
            names[key] = name
    return tuple(names.values())


# ---------------------------------------------------------------- many files


def prepare_all(
    config: SiteConfig, workers: int | None = None, on_progress: Callable[[int, int], None] | None = None
) -> tuple[Prepared, ...]:
    """Read and check every content file, in parallel when there are many.

    `on_progress(done, total)` is called after each run of files, so a caller can show progress.
    """
    if not config.content_dir.is_dir():
        raise BuildError(
            [Problem(config.content_dir.as_posix(), None, "content folder not found; create it or pass --content DIR")]
        )
    paths = discover(config.content_dir)
    labelled = [(path, label_for(path, config.content_dir)) for path in paths]
    workers = workers or os.cpu_count() or 1
    report = on_progress or (lambda done, total: None)
    report(0, len(labelled))
    if len(labelled) < PARALLEL_THRESHOLD or workers < 2:
        # Small sites in one run; large ones in runs too, so progress moves on a single CPU.
        size = len(labelled) if len(labelled) < PARALLEL_THRESHOLD else CHUNK_SIZE
        chunks = [labelled[i : i + size] for i in range(0, len(labelled), size or 1)]
        return _gather(map(prepare_chunk, [config] * len(chunks), chunks), len(labelled), report)
    chunks = [labelled[i : i + CHUNK_SIZE] for i in range(0, len(labelled), CHUNK_SIZE)]
    context = _worker_context()
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return _gather(pool.map(prepare_chunk, [config] * len(chunks), chunks), len(labelled), report)


def _gather(chunks: Iterable[list[Prepared]], total: int, report: Callable[[int, int], None]) -> tuple[Prepared, ...]:
    results: list[Prepared] = []
    for chunk in chunks:
        results.extend(chunk)
        report(len(results), total)
    return tuple(results)


def _worker_context() -> multiprocessing.context.BaseContext:
    """fork on Linux when this process has one thread (fast, works from any caller); else a safer start.

    `serve` builds beside server threads, and forking a threaded process can deadlock on a lock
    another thread held, so Linux then uses a fork server. macOS and Windows use spawn, their
    default (fork is unsafe on macOS, absent on Windows). Both need an importable main module.
    """
    if sys.platform != "linux":
        return multiprocessing.get_context("spawn")
    if threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["nashra.collect"])
    return context


def prepare_chunk(config: SiteConfig, labelled: Sequence[tuple[Path, str]]) -> list[Prepared]:
    """Check a run of files with one Markdown converter (picklable, for worker processes)."""
    renderer = CachedRenderer(config.cache_dir) if config.cache_dir else Renderer()
    results = []
    for path, label in labelled:
        source, errors, warnings = read_source(path, label)
        if source is None:
            results.append(Prepared(None, tuple(errors), tuple(warnings)))
            continue
        checked = check_source(source, config, renderer)
        key = renderer.key(source.body) if isinstance(renderer, CachedRenderer) and checked.entry else ""
        results.append(Prepared(checked.entry, checked.errors, tuple(warnings) + checked.warnings, key))
    return results


# ---------------------------------------------------------------- the site


def collect(prepared: Iterable[Prepared], config: SiteConfig) -> tuple[Site, tuple[Problem, ...]]:
    """Assemble the Site from checked entries; raise BuildError with every problem found."""
    prepared = tuple(prepared)
    errors = [problem for item in prepared for problem in item.errors]
    warnings = tuple(problem for item in prepared for problem in item.warnings)
    entries = [item.entry for item in prepared if item.entry is not None]
    slugs, slug_errors = assign_slugs(entries)
    errors.extend(slug_errors)
    errors.extend(duplicate_ids(entries))
    if errors:
        raise BuildError(errors)

    published = [entry for entry in entries if _is_published(entry, config)]
    drafts = sum(1 for entry in entries if entry.draft and not config.drafts)
    future = sum(1 for entry in entries if not (entry.draft and not config.drafts)) - len(published)
    tags_by_key = make_tags(published, config)
    articles = tuple(sorted(
        (_article(entry, slugs[entry.source_path], tags_by_key, config) for entry in published),
        key=newest_first,
    ))  # fmt: skip
    groups = group_by_tag(articles)
    site = Site(
        config=config,
        articles=articles,
        tags=groups,
        related=MappingProxyType(related_index(articles, groups)),
        build_date=max((article.modified for article in articles), default=None),
        skipped_drafts=drafts,
        skipped_future=future,
    )
    return site, warnings


def newest_first(article: Article) -> tuple[float, str]:
    """Total order for listings: date descending, then slug."""
    return (-article.date.timestamp(), article.slug)


def _is_published(entry: Entry, config: SiteConfig) -> bool:
    if entry.draft and not config.drafts:
        return False
    return config.future or entry.date <= config.now


def assign_slugs(entries: Sequence[Entry]) -> tuple[dict[str, str], list[Problem]]:
    """Explicit slugs must be unique; file-derived ones get -2, -3 in date order (oldest keeps it).

    Drafts and scheduled articles take part, so publishing one never moves an existing URL.
    """
    slugs: dict[str, str] = {}
    owners: dict[str, Entry] = {}
    errors: list[Problem] = []
    for entry in sorted((e for e in entries if e.explicit_slug), key=_oldest_first):
        other = owners.get(entry.slug_base)
        if other is not None:
            errors.append(Problem(
                entry.source_path, entry.slug_line,
                f"slug: '{entry.slug_base}' is already used by {other.source_path}:{other.slug_line}; choose another",
            ))  # fmt: skip
            continue
        owners[entry.slug_base] = entry
        slugs[entry.source_path] = entry.slug_base
    for entry in sorted((e for e in entries if not e.explicit_slug), key=_oldest_first):
        slug, number = entry.slug_base, 1
        while slug in owners:
            number += 1
            slug = f"{entry.slug_base}-{number}"
        owners[slug] = entry
        slugs[entry.source_path] = slug
    return slugs, errors


def duplicate_ids(entries: Sequence[Entry]) -> list[Problem]:
    """Explicit feed ids must be unique (drafts included): readers would merge two stories into one."""
    owners: dict[str, Entry] = {}
    errors = []
    for entry in sorted((e for e in entries if e.id), key=_oldest_first):
        other = owners.setdefault(entry.id, entry)
        if other is not entry:
            errors.append(Problem(
                entry.source_path, entry.id_line,
                f"id: '{entry.id}' is already the id of {other.source_path}:{other.id_line}; ids must never be shared",
            ))  # fmt: skip
    return errors


def _oldest_first(entry: Entry) -> tuple[float, str]:
    return (entry.date.timestamp(), entry.source_path)


def make_tags(entries: Sequence[Entry], config: SiteConfig) -> dict[str, Tag]:
    """One Tag per folded key; its spelling is the earliest article's, its slug unique."""
    tags: dict[str, Tag] = {}
    used_slugs: set[str] = set()
    for entry in sorted(entries, key=_oldest_first):
        for name in entry.tag_names:
            key = fold_key(name)
            if key in tags:
                continue
            base = make_slug(name) or "tag-" + hashlib.sha1(key.encode()).hexdigest()[:8]
            slug, number = base, 1
            while slug in used_slugs:
                number += 1
                slug = f"{base}-{number}"
            used_slugs.add(slug)
            path = tag_path(slug)
            tags[key] = Tag(name, key, slug, href(config, path), absolute(config, path))
    return tags


def _article(entry: Entry, slug: str, tags_by_key: dict[str, Tag], config: SiteConfig) -> Article:
    path = article_path(slug)
    permalink = absolute(config, path)
    return Article(
        source_path=entry.source_path,
        slug=slug,
        title=entry.title,
        date=entry.date,
        updated=entry.updated,
        tags=tuple(tags_by_key[fold_key(name)] for name in entry.tag_names),
        source_name=entry.source_name,
        source_url=entry.source_url,
        author=entry.author,
        summary=entry.summary,
        image=absolutize(config, entry.image, path) if entry.image else "",
        lang=entry.lang,
        dir=entry.dir,
        body=entry.body,
        url=href(config, path),
        permalink=permalink,
        id=entry.id or permalink,
        has_time=entry.has_time,
        words=entry.words,
        reading_minutes=reading_minutes(entry.words, config.words_per_minute),
        standfirst=entry.standfirst,
    )


def group_by_tag(articles: tuple[Article, ...]) -> tuple[TagGroup, ...]:
    """Tags with their articles (in the given newest-first order), sorted by tag slug."""
    members: dict[str, list[Article]] = {}
    tags: dict[str, Tag] = {}
    for article in articles:
        for tag in article.tags:
            members.setdefault(tag.key, []).append(article)
            tags[tag.key] = tag
    return tuple(
        TagGroup(tags[key], tuple(members[key])) for key in sorted(tags, key=lambda key: (tags[key].slug, key))
    )
