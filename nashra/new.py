"""Scaffold a new article: `content/YYYY/MM/<slug>.md` with complete front matter, as a draft."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import yaml

from .collect import DATE_PREFIX, PLACEHOLDER
from .config import SiteConfig
from .dates import in_zone, parse_date
from .errors import BuildError, Problem
from .load import discover
from .text import make_slug
from .urls import link_problem


class UsageError(ValueError):
    """A value on the command line that cannot make an article (exit code 2)."""


@dataclass(frozen=True, slots=True)
class Draft:
    """What the editor asked for; everything else is derived."""

    title: str
    tags: tuple[str, ...] = ()
    source: str = ""
    source_url: str = ""
    slug: str = ""
    date: str = ""


def article_date(draft: Draft, config: SiteConfig, now: datetime) -> tuple[datetime, bool]:
    """The article's date in the site's time zone and whether it has a time of day.

    `--date` when given (a date alone stays a date, shown without a time), else `now`.
    """
    if not draft.date:
        return now.astimezone(config.timezone).replace(microsecond=0), True
    parsed = parse_date(draft.date, config.timezone)
    if isinstance(parsed, str):
        raise UsageError(f"--date {parsed}")
    moment, has_time = parsed
    return in_zone(moment, config.timezone), has_time


def file_slug(draft: Draft) -> str:
    """The file name, made once from the title (or --slug) with the build's own slug function."""
    slug = make_slug(draft.slug or draft.title)
    if not slug:
        given = "--slug" if draft.slug else "the title"
        raise UsageError(f"{given} has no letters or digits to name the file; pass --slug with a few words")
    return slug


def front_matter(draft: Draft, date: datetime, has_time: bool, article_id: str) -> str:
    """The YAML block, every value quoted by PyYAML so any title or source is safe."""
    lines = [
        "---",
        f"title: {_quoted(draft.title)}",
        f"date: {date.isoformat() if has_time else date.date().isoformat()}",
        "tags:" if draft.tags else "tags: []",
        *(f"  - {_quoted(tag)}" for tag in draft.tags),
        f"source: {_quoted(draft.source)}",
        f"source_url: {_quoted(draft.source_url)}",
        f"id: {_quoted(article_id)}",
        "draft: true",
        "---",
    ]
    return "\n".join(lines) + "\n"


def create_article(draft: Draft, config: SiteConfig, now: datetime) -> Path:
    """Write the new article under config.content_dir and return its path; never overwrite.

    :raises UsageError: when the title, slug or date cannot make an article.
    :raises BuildError: when the file already exists.
    """
    draft = _cleaned(draft)
    if not draft.title:
        raise UsageError("the title must not be empty")
    problem = link_problem(draft.source_url) if draft.source_url else None
    if problem:
        raise UsageError(f"--source-url {problem}")
    date, has_time = article_date(draft, config, now)
    path = config.content_dir / f"{date:%Y}" / f"{date:%m}" / f"{file_slug(draft)}.md"
    text = front_matter(draft, date, has_time, uuid.uuid4().urn) + "\n" + PLACEHOLDER
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # Exclusive creation: even a file appearing between a check and the write is never replaced.
        with path.open("x", encoding="utf-8", newline="\n") as file:
            file.write(text)
    except FileExistsError as error:
        raise BuildError(
            [Problem(path.as_posix(), None, "already exists; not overwritten. Edit it, or pass --slug for a new name")]
        ) from error
    return path


def split_tags(values: list[str] | None) -> tuple[str, ...]:
    """Tags from repeated --tags options, each of which may hold several, split on `,` or `،`."""
    tags: list[str] = []
    for value in values or ():
        for part in value.replace("\u060c", ",").split(","):
            name = " ".join(part.split())
            if name and name not in tags:
                tags.append(name)
    return tuple(tags)


def _cleaned(draft: Draft) -> Draft:
    """One line per value: a newline in a title would end up in page titles and feeds."""

    def line(text: str) -> str:
        return " ".join(text.split())

    return Draft(
        title=line(draft.title),
        tags=tuple(line(tag) for tag in draft.tags if line(tag)),
        source=line(draft.source),
        source_url=draft.source_url.strip(),
        slug=line(draft.slug),
        date=draft.date.strip(),
    )


def _quoted(value: str) -> str:
    dumped = yaml.safe_dump(value, allow_unicode=True, default_style='"', width=float("inf"))
    return dumped.strip()


def namesakes(config: SiteConfig, path: Path) -> tuple[Path, ...]:
    """Other content files whose names give the same slug: the build will number the newer one."""
    slug = path.stem
    return tuple(
        other
        for other in discover(config.content_dir)
        if other != path and make_slug(DATE_PREFIX.sub("", other.stem)) == slug
    )
