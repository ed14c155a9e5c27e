import time
from html.parser import HTMLParser

import pytest

from nashra.markup import (
    EXTENSIONS,
    Renderer,
    display_footnote_numbers,
    first_paragraph_text,
    isolate_ltr_runs,
    removals,
    sanitize,
)
from nashra.text import XML_INVALID


def test_heading_ids_keep_arabic() -> None:
    html = Renderer().render("## الذكاء الاصطناعي\n\n## الذكاء الاصطناعي\n")
    assert 'id="الذكاء-الاصطناعي"' in html and 'id="الذكاء-الاصطناعي_1"' in html


def test_renderer_state_does_not_leak_between_documents() -> None:
    renderer = Renderer()
    renderer.render("## عنوان\n\nنص[^1]\n\n[^1]: حاشية\n")
    second = renderer.render("## عنوان\n")
    assert 'id="عنوان"' in second and "footnote" not in second


def test_scripts_handlers_and_javascript_urls_are_removed() -> None:
    html = sanitize(
        '<p onclick="x()">نص</p><script>alert(1)</script><a href="javascript:alert(1)">رابط</a>'
        '<img src="a.png" onerror="x()"><iframe src="https://e.example"></iframe>'
    )
    assert "script" not in html and "onclick" not in html and "onerror" not in html
    assert "javascript:" not in html and "iframe" not in html
    assert "نص" in html and "رابط" in html


def test_direction_attributes_survive() -> None:
    html = sanitize('<p dir="ltr" lang="en">Hello <bdi>مرحبا</bdi></p>')
    assert html == '<p dir="ltr" lang="en">Hello <bdi>مرحبا</bdi></p>'


def test_bare_urls_read_left_to_right() -> None:
    html = Renderer().render("راجع <https://example.com/ص> للمزيد")
    assert 'dir="ltr">https://example.com/' in html


def test_no_smarty_quotes() -> None:
    assert "smarty" not in EXTENSIONS
    assert "&ldquo;" not in Renderer().render('قال "مرحبا" و«أهلا»')


def test_first_paragraph_text() -> None:
    assert first_paragraph_text("<h2>ع</h2><p>نص <b>غامق</b> &amp; عادي</p><p>ثان</p>") == "نص غامق & عادي"


def test_what_the_sanitiser_removes_is_reported_at_its_line() -> None:
    body = (
        "مقدمة\n\n"
        '<iframe src="https://www.youtube.com/embed/x"></iframe>\n\n'
        'نص <span onclick="steal()">مهم</span>\n\n'
        "[رابط](javascript:alert(1))\n\n"
        "![صورة](data:image/png;base64,AAAA)\n\n"
        'فقرة\n{: style="color:red" }\n\n'
        "<script>\nalert(1)\n</script>\n"
    )
    warnings = Renderer().convert(body).warnings
    assert [(note.line, note.message.split(": stories")[0]) for note in warnings] == [
        (3, "removed <iframe>"),
        (5, "removed onclick= on <span>"),
        (7, 'removed href="javascript:…" on <a>'),
        (9, 'removed src="data:…" on <img>'),
        (12, "removed style= on <p>"),
        (14, "removed <script> and its content"),
    ]


def test_markdown_features_lose_nothing_to_the_sanitiser() -> None:
    body = (
        '## عنوان {#id .class}\n\nنص **غامق** و*مائل* و`كود` و[رابط](https://e.com "عنوان")[^1].\n\n'
        "| أ | ب |\n|:--|--:|\n| 1 | 2 |\n\n![صورة](img/a.png)\n\nمصطلح\n: تعريف\n\n```python\nx = 1\n```\n\n"
        "> اقتباس\n\n1. أول\n2. ثان\n\n<https://e.com/ص> <bdi>اسم</bdi>\n\n*[HTML]: لغة\n\nHTML\n\n[^1]: حاشية.\n"
    )
    assert Renderer().convert(body).warnings == ()


@pytest.mark.parametrize(
    "fragment",
    [
        '<p onclick="x" style="c" lang="ar" data-x="1" role="note">a</p>',
        '<a href="java&#x09;script:x" hreflang="ar" target="_blank">b</a>',
        '<q cite="javascript:x">q</q><bdo dir="rtl" lang="en" title="t">z</bdo>',
        '<img src="x.png" onerror="y" srcset="a 1x" alt="d">',
        '<img src="vbscript:x" width="3">',
        '<table><tr><td colspan="2" onclick="y">c</td></tr></table><form action="x"><input></form>',
        "<foo bar=1>baz</foo><style>p{}</style><svg><circle/></svg>",
    ],
)
def test_reported_removals_are_what_nh3_removes(fragment: str) -> None:
    """The warnings read nh3's rules from our lists: check them against nh3 itself.

    Each fragment names every element once, so elements are matched by name.
    """
    kept = {(tag, name) for tag, attrs in starttags(sanitize(fragment)) for name, _ in attrs}
    kept_tags = {tag for tag, _ in starttags(sanitize(fragment))}
    reported = " ".join(note.message for note in removals(fragment, fragment))
    for tag, attrs in starttags(fragment):
        if tag not in kept_tags and tag not in ("tbody",):
            assert f"<{tag}>" in reported
            continue
        for name, _ in attrs:
            if (tag, name) not in kept:
                assert f"{name}=" in reported and f"on <{tag}>" in reported, (tag, name)
            else:
                assert f"{name}= on <{tag}>" not in reported and f'{name}="' not in reported, (tag, name)


def starttags(fragment: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, attrs))

        handle_startendtag = handle_starttag

    Parser().feed(fragment)
    return found


def test_character_references_to_characters_xml_forbids_never_reach_the_html() -> None:
    body = (
        "نص &#1; و&#x1; و&#xFFFE; و&#0;\n\nسطر `&#1;` في الكود\n\n"
        '<p title="&#x1f;x">t</p>\n\nو&#1234; &#128; &#xD800;\n'
    )
    result = Renderer().convert(body)
    assert not XML_INVALID.search(result.html) and "\ufffd" not in result.html
    assert '<code dir="ltr">&amp;#1;</code>' in result.html and "\u04d2" in result.html and "€" in result.html
    assert [(note.line, note.message.split(":")[0]) for note in result.warnings] == [
        (1, "removed &#1;, &#x1;, &#xFFFE;, &#0;"),
        (5, "removed &#x1f;"),
        (7, "removed &#xD800;"),
    ]


def test_a_link_whose_address_is_removed_keeps_no_rel() -> None:
    assert sanitize('<a href="javascript:alert(1)">x</a>') == "<a>x</a>"
    assert sanitize('<a id="anchor" href=" JavaScript:x" title="a>b">y</a>') == '<a id="anchor" title="a&gt;b">y</a>'
    assert (
        sanitize('<a href="https://e.com/" id="i">z</a>')
        == '<a href="https://e.com/" id="i" rel="noopener noreferrer">z</a>'
    )


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("اتصل على +966 55 123 4567 الآن", 'اتصل على <span dir="ltr">+966 55 123 4567</span> الآن'),
        ("الرقم 055-123-4567.", 'الرقم <span dir="ltr">055-123-4567</span>.'),
        ("راسل a.b@example.com، شكرا", 'راسل <span dir="ltr">a.b@example.com</span>، شكرا'),
        ("زر www.example.org/ar؟", 'زر <span dir="ltr">www.example.org/ar</span>؟'),
        ("في 2025 و 2026 بين 10 20", "في 2025 و 2026 بين 10 20"),  # numbers, not phone numbers
        ("موعد 2025-06-30 هنا", "موعد 2025-06-30 هنا"),  # a date reads right as it is
    ],
)
def test_ltr_runs_in_running_text_get_dir_ltr(text: str, html: str) -> None:
    assert isolate_ltr_runs(f"<p>{text}</p>") == f"<p>{html}</p>"


def test_ltr_runs_inside_links_and_code_are_left_alone() -> None:
    fragment = (
        '<p><a href="tel:+966551234567">+966 55 123 4567</a> <code>x@y.com</code></p>'
        "<pre><code>+1 555 0100</code></pre>"
    )
    assert isolate_ltr_runs(fragment) == fragment.replace("<code>", '<code dir="ltr">')


@pytest.mark.parametrize("shape", ["a%", "%a", "a.", "-a", "1 ", "+1 ", "a@", "(1", "www."])
def test_finding_ltr_runs_takes_linear_time(shape: str) -> None:
    started = time.process_time()
    isolate_ltr_runs("<p>" + shape * 50_000 + "</p>")
    assert time.process_time() - started < 1


def test_footnote_marks_follow_the_sites_digits() -> None:
    fragment = Renderer().render("نص[^1] و[^2].\n\n[^1]: أ.\n[^2]: ب.\n")
    shown = display_footnote_numbers(fragment, "arab")
    assert ">١</a>" in shown and ">٢</a>" in shown and 'title="العودة إلى موضع الحاشية ٢"' in shown
    assert 'href="#fn:1"' in shown and 'id="fnref:2"' in shown
    assert display_footnote_numbers(fragment, "latn") == fragment


def test_paired_bidi_controls_in_a_body_are_removed_with_a_warning_at_their_line() -> None:
    result = Renderer().convert("سطر.\n\nنص \u202bمضمن\u202c و\u2067معزول\u2069.\n")
    assert "\u202b" not in result.html and "\u2067" not in result.html and "مضمن" in result.html
    (note,) = result.warnings
    assert note.line == 3 and note.message.startswith("removed 4 bidi embedding/override")
    assert Renderer().convert("نص \u200fمع علامة.\n").warnings == ()  # RLM stays, as in titles


def test_a_defined_reference_inside_a_raw_html_attribute_stays_text() -> None:
    """Python-Markdown turned `[x]` inside `href="…"` into a link of its own when `[x]:` was defined."""
    renderer = Renderer()
    html = renderer.render('<a href="/files/[x].csv">ملف</a>\n\n[x]: https://example.com/\n')
    assert 'href="/files/[x].csv"' in html and "example.com" not in html
    # What the raw-tag pattern must leave alone: autolinks and angle-bracket link destinations.
    assert 'href="https://example.com/a"' in renderer.render("<https://example.com/a>\n")
    assert 'href="u v=&quot;w&quot;"' in renderer.render('[t](<u v="w">)\n')
