"""Split a content file into its YAML front matter and Markdown body, with line numbers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from .errors import Problem
from .text import clip

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe YAML without implicit timestamps: dates stay text so errors can say what is wrong."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}

ALIAS_MESSAGE = "YAML anchors and aliases (&name, *name) are not allowed in front matter; write each value out in full"
YAML_PROBLEM_LENGTH = 120
FENCE = "---"
CLOSING_FENCES = ("---", "...")


@dataclass(frozen=True, slots=True)
class Parsed:
    """Front matter as a mapping, the line of each top-level key, and the body."""

    meta: dict[str, Any]
    key_lines: dict[str, int]
    body: str
    body_line: int


def split(text: str, path: str) -> Parsed | Problem:
    """Parse `---` YAML front matter at the top of `text`; the Problem says how to fix it."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        return Problem(path, 1, "no front matter: start the file with a line '---', the YAML keys, then '---'")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in CLOSING_FENCES:
            break
    else:
        return Problem(path, 1, "front matter is not closed: add a line '---' after the last key")
    yaml_text = "\n".join(lines[1:index])
    parsed = _parse_yaml(yaml_text, path)
    if isinstance(parsed, Problem):
        return parsed
    meta, key_lines = parsed
    return Parsed(meta, key_lines, "\n".join(lines[index + 1 :]), index + 2)


def _parse_yaml(yaml_text: str, path: str) -> tuple[dict[str, Any], dict[str, int]] | Problem:
    loader = _Loader(yaml_text)
    try:
        # Before anything is built: a few hundred bytes of nested aliases expand to gigabytes.
        # Anchors need '&' and aliases '*'; most front matter has neither and skips the second pass.
        line = _first_anchor_or_alias(yaml_text) if "&" in yaml_text or "*" in yaml_text else None
        if line:
            return Problem(path, line, ALIAS_MESSAGE)
        node = loader.get_single_node()
        if node is None:
            return Problem(path, 1, "front matter is empty: add at least 'title:' and 'date:'")
        if not isinstance(node, yaml.MappingNode):
            return Problem(path, 2, "front matter must be 'key: value' lines, not a list or a single value")
        key_lines = _key_lines(node)
        if isinstance(key_lines, tuple):
            return Problem(path, *key_lines)
        meta = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        # An unclosed quote is reported at the end of the stream; its opening line helps more.
        scanning = bool(error.context and "scanning" in error.context)
        mark = (error.context_mark if scanning else None) or error.problem_mark or error.context_mark
        line = mark.line + 2 if mark else 2
        what = clip(error.problem or str(error), YAML_PROBLEM_LENGTH)  # it may quote a tag of any length
        return Problem(
            path, line, f"invalid YAML: {what}; check quoting and indentation (a value with ':' needs quotes)"
        )
    except yaml.YAMLError as error:
        return Problem(path, 2, f"invalid YAML: {clip(str(error), YAML_PROBLEM_LENGTH)}")
    except (ValueError, TypeError, AttributeError, OverflowError, KeyError, IndexError) as error:
        # An explicit tag whose value does not fit it (`!!int abc`, `!!timestamp 14:05`) fails in
        # the constructor, outside PyYAML's own errors; the line of the value is not kept there.
        return Problem(path, 2, f"invalid YAML: an explicit tag such as !!int does not fit its value "
                       f"({clip(str(error), YAML_PROBLEM_LENGTH)}); remove the tag")  # fmt: skip
    finally:
        loader.dispose()
    if not all(isinstance(key, str) for key in meta):
        return Problem(path, 2, "front-matter keys must be plain words such as 'title'")
    return meta, key_lines


def _key_lines(node: yaml.MappingNode) -> dict[str, int] | tuple[int, str]:
    """Each key's file line; for a key written twice, its second line and what to do instead.

    YAML would silently keep only the last value of a repeated key.
    """
    key_lines: dict[str, int] = {}
    for key, _ in node.value:
        name, line = str(key.value), key.start_mark.line + 2
        if name in key_lines:
            return line, f"{clip(name)}: written twice (also on line {key_lines[name]}); keep one"
        key_lines[name] = line
    return key_lines


def _first_anchor_or_alias(yaml_text: str) -> int | None:
    """The file line of the first YAML anchor (`&name`) or alias (`*name`), read as events only."""
    loader = _Loader(yaml_text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return int(event.start_mark.line) + 2
        return None
    finally:
        loader.dispose()
