from nashra.markup import EXTENSIONS, Renderer, first_paragraph_text, sanitize


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
