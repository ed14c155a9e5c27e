"""Bodies that would crash or stall Python-Markdown are refused, at their line, in little time."""

import re
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import pytest
from conftest import article_text, files_of, write_tree

from nashra.limits import MAX_DEPTH, check_body
from nashra.markup import Renderer

T = TypeVar("T")


@contextmanager
def cpu_limit(seconds: float) -> Iterator[None]:
    """Fail a test whose body takes longer than `seconds` of CPU time, without waiting minutes."""

    def stop(*_: object) -> None:
        raise TimeoutError(f"more than {seconds} s of CPU time")

    previous = signal.signal(signal.SIGVTALRM, stop)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)


def at_depth(frames: int, function: Callable[[], T]) -> T:
    """Call function with `frames` more frames on the call stack, as a deeper caller would."""
    return at_depth(frames - 1, function) if frames else function()


# ---------------------------------------------------------------- nesting


DEEP = {
    "list markers on one line": "- " * 500 + "x\n",
    "numbered markers": "1. " * 300 + "x\n",
    "quotes": "> " * 300 + "x\n",
    "quotes without spaces": ">" * 300 + " x\n",
    "quotes and lists": "> - " * 100 + "x\n",
    "indented lists": "".join("    " * level + "- بند\n" for level in range(40)),
    "definitions without blank lines": "مصطلح\n: تعريف\n" * 40,
}


@pytest.mark.parametrize("body", DEEP.values(), ids=DEEP.keys())
def test_deep_nesting_is_a_content_error_at_its_line(site_dir: Path, build, body: str) -> None:
    write_tree(site_dir / "content", {"deep.md": article_text(body="فقرة أولى.\n\n" + body)})
    result = build()
    assert result.code == 1 and "Traceback" not in result.err
    match = re.match(r"content/deep\.md:(\d+): lists, quotes or definitions nested (\d+) levels deep", result.err)
    assert match, result.err
    assert int(match.group(1)) >= 6  # three lines of front matter, then the first paragraph
    assert int(match.group(2)) > MAX_DEPTH and f"more than {MAX_DEPTH}" in result.err


def test_the_line_of_the_first_too_deep_line_is_reported() -> None:
    body = "نص\n\n" + "- " * 10 + "x\n\n" + "> " * 33 + "y\n"
    (note,) = check_body(body)
    assert note.line == 5 and "nested 33 levels deep, more than 32" in note.message


def test_deep_html_and_emphasis_are_refused() -> None:
    renderer = Renderer()
    html = renderer.convert("نص\n\n" + "<div>" * 40 + "x" + "</div>" * 40 + "\n")
    assert [note.line for note in html.errors] == [3] and "HTML elements" in html.errors[0].message
    emphasis = renderer.convert("نص\n\nسطر\n" + "*a " * 40 + "x" + " a*" * 40 + "\n")
    assert [note.line for note in emphasis.errors] == [4] and "emphasis" in emphasis.errors[0].message
    assert renderer.convert("*" * 2000 + "a" + "*" * 2000).errors  # used to overflow the stack in toc


MAX_DEPTH_BODIES = {
    "quotes": "> " * MAX_DEPTH + "x\n",
    "lists": "- " * MAX_DEPTH + "x\n",
    "indented": "".join("    " * level + "1. بند\n" for level in range(MAX_DEPTH)),
    "definitions": "مصطلح\n: تعريف\n" * (MAX_DEPTH // 2),
    "html": '<div markdown="1">\n\n' * 20 + "- " * 10 + "*a " * 30 + "x" + " a*" * 30 + "\n\n" + "</div>\n\n" * 20,
}


@pytest.mark.parametrize("body", MAX_DEPTH_BODIES.values(), ids=MAX_DEPTH_BODIES.keys())
def test_bodies_at_the_limit_render_the_same_from_any_call_stack(body: str) -> None:
    """Python-Markdown's quote nesting guard depends on the free stack: it must never be reached."""
    shallow = Renderer().convert(body)
    assert not shallow.errors and shallow.html
    assert at_depth(sys.getrecursionlimit() // 2, lambda: Renderer().render(body)) == shallow.html


def test_nesting_the_line_checks_cannot_see_is_refused_from_any_call_stack() -> None:
    """HTML comments between list markers: Python-Markdown's HTML reader turns them into nested lists."""
    body = ("<!-->- " * 30_000)[:150_000]
    (errors,) = {at_depth(frames, lambda: Renderer().convert(body).errors) for frames in (0, 300)}
    assert [note.message for note in errors] == [
        "nested too deeply for the Markdown parser; simplify the nesting of lists, quotes and HTML"
    ]


def test_300_quotes_give_the_same_answer_from_any_call_stack() -> None:
    body = ">" * 300 + " x\n"
    results = {at_depth(frames, lambda: Renderer().render(body)) for frames in (0, 50, 300)}
    assert results == {""}


# ---------------------------------------------------------------- cost

SLOW = {  # shapes Python-Markdown reads in time growing with the square of their size
    "open brackets": "[" * 20_000,
    "footnote marks": "[^" * 10_000,
    "link openings": "[x](" * 5_000,
    "images": "![" * 10_000,
    "brackets in code": "[`]`" * 5_000,
    "titles without end": '[x](a"b)' * 2_500,
    "start tags": "<a " * 6_700,
    "start tags no space": "<a" * 10_000,
    "end tags": "</a" * 6_700,
    "headings in a paragraph": "# a\n" * 5_000,
    "underlines": "a\n=\n" * 5_000,
    "rules": "a\n---\n" * 3_400,
    "footnote lines": "[^\n" * 6_700,
    "abbreviation lines": "*[\n" * 6_700,
    "definitions": "a\n: b\n" * 3_400,
    "unclosed fences": "".join("`" * length + "\n" for length in range(3, 200)),
    "spaces after a fence": "```" + " " * 20_000 + "x\n",
    "escapes in a paragraph": "\\#ab " * 40_000,
    "emphasis in a paragraph": "*a* " * 50_000,
    "code blocks": "```\nx\n```\n\n" * 15_000,
    "raw blocks": "<div></div>" * 17_000,
    "unclosed rows": "<tr></div>" * 19_000,
    "comments in open tags": "<b><!-- c -->" * 14_000,
    "abbreviated words": "*[a]: b\n\n" + "a " * 20_000,
}


@pytest.mark.parametrize("body", SLOW.values(), ids=SLOW.keys())
def test_quadratic_shapes_are_refused_quickly(body: str) -> None:
    started = time.process_time()
    with cpu_limit(5):
        html = Renderer().render(body)
    assert html == ""
    assert time.process_time() - started < 2
    assert all(note.line >= 1 and note.message for note in Renderer().convert(body).errors)


def test_refusals_say_where_and_how_to_fix() -> None:
    body = "فقرة.\n\n" + "نص [" * 3000 + "\n"
    (note,) = Renderer().convert(body).errors
    assert note.line == 3 and "'\\['" in note.message
    (note,) = check_body("x" * 200_001)
    assert note.message == "the body has 200,001 characters, more than 200,000; split the story"
    fences = "نص\n\n" + "".join("`" * length + "\n" for length in range(3, 43)) + "y" * 150_000
    (note,) = check_body(fences)
    assert note.message.startswith("this code fence is never closed; end the code with ```")
    assert 3 <= note.line <= 42


def test_ordinary_long_stories_stay_well_inside_the_limits() -> None:
    paragraph = (
        "قال **المتحدث** إن [الشركة](https://example.com/ص) ستعلن نتائجها، وأضاف أن `API` الجديدة "
        "تدعم _العربية_ بالكامل[^1]. وتابع: «لن نغيّر الأسعار» &amp; سنراجعها لاحقًا.\n\n"
    )
    table = "| البند | القيمة |\n|:--|--:|\n" + "| [رابط](https://e.com) | **10** |\n" * 300 + "\n"
    listing = "".join(f"- [خبر {i}](https://e.com/{i})\n    - تفصيل *مهم*\n" for i in range(400)) + "\n"
    body = (paragraph * 400 + table + listing + "[^1]: حاشية.\n")[:200_000]
    result = Renderer().convert(body)
    assert not result.errors and not result.warnings


def test_a_body_with_many_stories_worth_of_text_builds(site_dir: Path, build) -> None:
    body = "".join(f"## قسم {i}\n\nفقرة فيها **كلمة** و[رابط](https://e.com/{i}).\n\n" for i in range(2000))
    write_tree(site_dir / "content", {"long.md": article_text(body=body)})
    assert build().code == 0
    assert "قسم 1999" in files_of(site_dir / "output")["articles/long/index.html"].decode()
