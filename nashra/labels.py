"""Tags and outlets: what identifies one, what it is called, and where its page lives.

Stories write tags and outlets (`source`) in their own spellings. One label is every spelling that
folds to the same key (`text.fold_key`: case, hamza forms, tashkeel), plus the spellings site.toml
merges into it (`[tags.aliases]`). Its shown name is the one site.toml gives, or else the spelling
most stories use (ties: the earliest story's), so one story's `OPENAI` does not rename the tag.
Its slug is read from that name, with the symbols a slug would drop spelled out (`C++` is
`c-plus-plus`, `C#` `c-sharp`), and never depends on the order stories were written in.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence

from .config import SiteConfig
from .model import Article, Tag, TagGroup
from .text import fold_key, make_slug
from .urls import absolute, href

# Symbols that tell names apart (C, C++, C#) but that a slug drops: spelled out when they follow
# (or, for `&`, sit between) Latin letters or digits. Elsewhere (`#مصر`, `أخبار & تقارير`) they
# are dropped as before.
SYMBOL_WORDS = (
    (re.compile(r"(?<=[A-Za-z0-9+])\+"), " plus "),
    (re.compile(r"(?<=[A-Za-z0-9])#"), " sharp "),
    (re.compile(r"(?<=[A-Za-z0-9])&(?=[A-Za-z0-9])"), " and "),
)
HASH_LENGTHS = (6, 10, 16, 40)


def label_key(spelling: str, aliases: Mapping[str, str]) -> str:
    """The identity of a label: its folded spelling, or the key site.toml merges it into."""
    key = fold_key(spelling)
    return aliases.get(key, key)


def shown_names(uses: Iterable[tuple[str, str]], names: Mapping[str, str]) -> dict[str, str]:
    """key -> shown name, from (key, spelling) uses given oldest story first, one per story.

    The name site.toml gives wins; otherwise the most used spelling, ties going to the earliest.
    """
    counts: dict[str, Counter[str]] = {}
    for key, spelling in uses:
        counts.setdefault(key, Counter())[spelling] += 1
    # Counter keeps first-seen order, and max() returns the first of equal counts: the earliest.
    return {key: names.get(key) or max(spellings, key=spellings.__getitem__) for key, spellings in counts.items()}


def spell_symbols(name: str) -> str:
    """`C++` -> `C plus plus`, `C#` -> `C sharp`, `AT&T` -> `AT and T`: what a slug may keep."""
    for pattern, word in SYMBOL_WORDS:
        name = pattern.sub(word, name)
    return name


def label_slugs(names: Mapping[str, str], prefix: str) -> dict[str, str]:
    """key -> slug, unique, each read from the label's name.

    Two keys whose names still slug alike (`Apple` and `Apple.`) share the slug's text: the key
    that reads exactly as the slug keeps it (or, when none does, the first key in sorted order);
    the others add a short digest of their own key. Neither depends on story order, and adding a
    label never moves the URL of a label whose name reads as its slug.
    """
    wanted = {key: make_slug(spell_symbols(name)) or f"{prefix}-{_digest(key, 8)}" for key, name in names.items()}
    claims: dict[str, list[str]] = {}
    for key in sorted(wanted):
        claims.setdefault(wanted[key], []).append(key)
    slugs: dict[str, str] = {}
    for slug, keys in claims.items():
        owner = next((key for key in keys if _reads_as(key, slug)), keys[0])
        slugs[owner] = slug
    taken = set(claims)
    for slug, keys in sorted(claims.items()):
        for key in keys:
            if key not in slugs:
                slugs[key] = next(
                    candidate for length in HASH_LENGTHS if (candidate := f"{slug}-{_digest(key, length)}") not in taken
                )
                taken.add(slugs[key])
    return slugs


def _reads_as(key: str, slug: str) -> bool:
    """True when the slug says exactly what the key says, hyphens standing for spaces."""
    return fold_key(slug) == key.replace(" ", "-")


def _digest(key: str, length: int) -> str:
    return hashlib.sha1(key.encode()).hexdigest()[:length]


def make_labels(
    uses: Iterable[tuple[str, str]],
    names: Mapping[str, str],
    config: SiteConfig,
    path_of: Callable[[str], str],
    prefix: str,
) -> dict[str, Tag]:
    """key -> Tag (name, key, slug, links) for every key used; `path_of(slug)` is its page's site path."""
    shown = shown_names(uses, names)
    slugs = label_slugs(shown, prefix)
    labels: dict[str, Tag] = {}
    for key, name in shown.items():
        path = path_of(slugs[key])
        labels[key] = Tag(name, key, slugs[key], href(config, path), absolute(config, path))
    return labels


def group_by(articles: Sequence[Article], labels_of: Callable[[Article], Iterable[Tag]]) -> tuple[TagGroup, ...]:
    """Labels with their articles (in the given newest-first order), sorted by slug."""
    members: dict[str, list[Article]] = {}
    labels: dict[str, Tag] = {}
    for article in articles:
        for label in labels_of(article):
            members.setdefault(label.key, []).append(article)
            labels[label.key] = label
    return tuple(
        TagGroup(labels[key], tuple(members[key])) for key in sorted(labels, key=lambda key: (labels[key].slug, key))
    )
