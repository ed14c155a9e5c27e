"""The Arabic details of issue #11 (item 5), checked on built pages: digits, separators, zones, wording."""

import json
import re
from pathlib import Path

import pytest
from conftest import SITE_TOML, article_text, run_cli, source_date_epoch, write_tree

from nashra.text import count_phrase

ASCII_DIGIT = re.compile(r"[0-9]")
# Characters a reader can take for the Arabic-Indic zero ٠ (a dot) or one ١ (a stroke) beside digits.
DIGIT_LOOKALIKES = "·•∙⋅.|/"
NEAR_DIGITS = re.compile(
    rf"[0-9٠-٩]\s*[{re.escape(DIGIT_LOOKALIKES)}]\s*[0-9٠-٩]|[{re.escape(DIGIT_LOOKALIKES)}]\s*[٠-٩]"
)
# What an article body, a title, a summary or a name may contain: content, not chrome.
CONTENT = re.compile(
    r'<(h1|h2|h3|p|bdi|div|title)[^>]*class="(?:story-title|card-title|card-summary|story-standfirst|story-body|'
    r'card-source|lead-title|lead-summary|brief-title|home-section-title)"'
    r"[^>]*>.*?</\1>",
    re.DOTALL,
)
DATETIME = re.compile(r'(?:datetime|content)="(\d{4}-\d\d-\d\dT[^"]*)"')
VALID_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d)")

STORIES = {
    "content/one.md": article_text(
        "البنك المركزي يثبت الفائدة",
        "2025-06-28T10:00:00+03:00",
        updated="2025-06-28T18:30:00+03:00",
        source="الموقع بوست",
        author="سارة أحمد",
        tags="[اقتصاد, مصر]",
        body="قال البنك[^1] إن الفائدة ثابتة عند 27.25 بالمئة.\n\n[^1]: بيان البنك.\n",
    ),
    "content/two.md": article_text("خبر ثان", "2025-06-27T09:00:00+03:00", source="الموقع بوست", tags="[اقتصاد]"),
    "content/three.md": article_text("خبر ثالث", "2025-06-26T09:00:00+03:00", tags="[اقتصاد]"),
    "content/four.md": article_text("خبر رابع", "2025-06-25T09:00:00+03:00", tags="[اقتصاد]"),
    "content/five.md": article_text("خبر خامس", "2025-06-24T09:00:00+03:00", tags="[اقتصاد]"),
    "content/english.md": article_text(
        "Markets steady", "2025-06-23T09:00:00+03:00", lang="en", tags="[اقتصاد]", body="Markets held steady.\n"
    ),
}


def build_site(root: Path, extra_toml: str = "", stories: dict[str, str] | None = None) -> Path:
    write_tree(root, {"site.toml": SITE_TOML + extra_toml, **(STORIES if stories is None else stories)})
    with source_date_epoch("1752537600"):
        result = run_cli(["--config", str(root / "site.toml"), "--output", str(root / "output")])
    assert result.code == 0, result.err
    return root / "output"


@pytest.fixture(scope="module")
def arab(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The stories built with `digits = "arab"`."""
    return build_site(tmp_path_factory.mktemp("arab"), 'digits = "arab"\nhome_grid = 1\n')


@pytest.fixture(scope="module")
def latn(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(tmp_path_factory.mktemp("latn"), "home_grid = 1\n")


def html_pages(output: Path) -> dict[str, str]:
    return {path.relative_to(output).as_posix(): path.read_text(encoding="utf-8") for path in output.rglob("*.html")}


def chrome_text(page: str) -> str:
    """The visible text of a page's chrome: no head, scripts, attributes or content written by editors."""
    body = page.split("<body>", 1)[1]
    body = re.sub(r"<script.*?</script>", " ", body, flags=re.DOTALL)
    body = CONTENT.sub(" ", body)
    return re.sub(r"<[^>]*>", " ", body).replace("&nbsp;", " ")


def story(output: Path, slug: str) -> str:
    return (output / "articles" / slug / "index.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------- digits


def test_arabic_digits_leave_no_latin_digit_in_the_chrome(arab: Path) -> None:
    for name, page in html_pages(arab).items():
        found = ASCII_DIGIT.findall(chrome_text(page))
        assert not found, f"{name}: Latin digits in the chrome: {chrome_text(page)!r}"


def test_arabic_digits_reach_footnote_marks_reading_time_and_pagination(arab: Path) -> None:
    page = story(arab, "one")
    assert re.search(r'<a class="footnote-ref" href="#fn:1"[^>]*>١</a>', page)
    assert 'title="العودة إلى موضع الحاشية ١"' in page
    assert 'href="#fn:1"' in page and 'id="fnref:1"' in page  # ids and links keep ASCII
    assert "وقت القراءة: دقيقة واحدة" in page
    home = (arab / "index.html").read_text(encoding="utf-8")
    assert "صفحة ١ من ٣" in home
    assert '<html lang="ar" dir="rtl" data-digits="arab">' in home  # relative-time.js asks for ar-u-nu-arab


def test_latin_digits_stay_latin(latn: Path) -> None:
    assert re.search(r'<a class="footnote-ref" href="#fn:1"[^>]*>1</a>', story(latn, "one"))
    assert 'data-digits="latn"' in (latn / "index.html").read_text(encoding="utf-8")


def test_relative_time_script_uses_the_sites_digits() -> None:
    script = (Path(__file__).resolve().parent.parent / "layouts/assets/relative-time.js").read_text(encoding="utf-8")
    assert 'getAttribute("data-digits")' in script and '"-u-nu-"' in script


# ---------------------------------------------------------------- separators


def test_no_separator_can_pass_for_a_digit(arab: Path) -> None:
    for name, page in html_pages(arab).items():
        text = chrome_text(page)
        assert "·" not in text, f"{name}: a middle dot, read as ٠ beside Arabic digits"
        assert not NEAR_DIGITS.search(text), f"{name}: {NEAR_DIGITS.search(text).group()!r}"  # type: ignore[union-attr]


def test_a_separator_never_starts_a_line(arab: Path) -> None:
    """A no-break space glues each separator to what precedes it; a breakable space follows it."""
    separators = 0
    for name, page in html_pages(arab).items():
        for match in re.finditer(r'(.{0,6})<span class="sep" aria-hidden="true">–</span>(.)', page):
            separators += 1
            assert match.group(1).endswith("&nbsp;"), f"{name}: {match.group()!r}"
            assert match.group(2) == " ", f"{name}: {match.group()!r}"
    assert separators >= 5  # card meta lines, the story meta line and the tag page's lead


def test_a_label_never_ends_a_line(latn: Path) -> None:
    """A no-break space glues each label of the story's meta line to its value, as the separators are glued."""
    meta = re.search(r'<p class="story-meta".*?</p>', story(latn, "one"), re.DOTALL).group()  # type: ignore[union-attr]
    for label in ("آخر تحديث:", "المصدر:", "بقلم"):
        assert f"{label}&nbsp;<" in meta, label


def test_card_meta_line_separates_outlet_and_date(arab: Path) -> None:
    home = (arab / "index.html").read_text(encoding="utf-8")
    assert re.search(
        r'<a class="card-source" href="[^"]+"><bdi>الموقع بوست</bdi></a>'
        r'&nbsp;<span class="sep" aria-hidden="true">–</span>\s+<time',
        home,
    )


# ---------------------------------------------------------------- time zones and wording


def test_times_name_their_zone_and_the_update_is_worded_as_arabic_outlets_do(latn: Path) -> None:
    page = story(latn, "one")
    assert "10:00 ص بتوقيت مكة المكرمة</time>" in page
    assert "آخر تحديث:&nbsp;<time" in page and "6:30 م بتوقيت مكة المكرمة</time>" in page
    assert "حُدّث" not in page
    home = (latn / "index.html").read_text(encoding="utf-8")
    assert "بتوقيت" not in home  # cards show the date only


def test_timezone_label_is_a_setting(tmp_path: Path) -> None:
    output = build_site(tmp_path, 'timezone_label = "بتوقيت صنعاء"\n')
    assert "10:00 ص بتوقيت صنعاء</time>" in story(output, "one")


def test_a_zone_without_a_usual_name_shows_its_offset(tmp_path: Path) -> None:
    output = build_site(tmp_path, 'timezone = "Europe/London"\n')
    assert "8:00 ص بتوقيت غرينتش \u2066+1\u2069</time>" in story(output, "one")


def test_one_title_separator_everywhere(latn: Path) -> None:
    titles = {name: re.search(r"<title>(.*?)</title>", page).group(1) for name, page in html_pages(latn).items()}  # type: ignore[union-attr]
    for name, title in titles.items():
        assert " - " not in title and " — " not in title, f"{name}: {title}"
    assert titles["page/2/index.html"] == "صفحة 2 | نشرة الاختبار"
    assert titles["tags/اقتصاد/page/2/index.html"] == "اقتصاد | صفحة 2 | نشرة الاختبار"
    assert titles["articles/one/index.html"] == "البنك المركزي يثبت الفائدة | نشرة الاختبار"


def test_wording_of_counts_skip_link_and_feeds(arab: Path) -> None:
    tag = (arab / "tags/اقتصاد/index.html").read_text(encoding="utf-8")
    assert '<p class="page-lead">٦ أخبار&nbsp;<span class="sep" aria-hidden="true">–</span> صفحة ١ من ٣</p>' in tag
    assert "عدد الأخبار" not in tag
    assert '<p class="page-lead">خبر واحد</p>' in (arab / "tags/مصر/index.html").read_text(encoding="utf-8")
    assert ">انتقل إلى المحتوى</a>" in tag and "تخطَّ" not in tag
    for label in ("خلاصة RSS", "خلاصة Atom", "خلاصة JSON"):
        assert f">{label}</a>" in tag


@pytest.mark.parametrize(("count", "phrase"), [(0, "لا أخبار"), (1, "خبر واحد"), (2, "خبران"), (5, "٥ أخبار")])
def test_the_tag_page_count_is_pluralised(count: int, phrase: str) -> None:
    assert count_phrase(count, "story", "arab") == phrase


# ---------------------------------------------------------------- bodies, JSON-LD and old dates


def test_body_runs_keep_their_order_and_bodies_are_cleaned(tmp_path: Path) -> None:
    body = (
        "اتصل على +966 55 123 4567 أو راسل news@example.com أو زر https://example.com/a.\n\n"
        "الأمر `ls -l` هنا.\n\nنص \u202eمقلوب\u202c هنا.\n\nكلمة مفككة: \u0627\u0654\u0645\u0631.\n"
    )
    write_tree(tmp_path, {"site.toml": SITE_TOML, "content/a.md": article_text("خبر", body=body)})
    with source_date_epoch("1752537600"):
        result = run_cli(["--config", str(tmp_path / "site.toml"), "--output", str(tmp_path / "output")])
    assert result.code == 0, result.err
    page = story(tmp_path / "output", "a")
    assert '<span dir="ltr">+966 55 123 4567</span>' in page
    assert '<span dir="ltr">news@example.com</span>' in page
    assert '<span dir="ltr">https://example.com/a</span>.' in page
    assert '<code dir="ltr">ls -l</code>' in page
    assert "\u202e" not in page and "\u202c" not in page and "نص مقلوب هنا" in page
    assert "content/a.md:9:" in result.err and "bidi embedding/override" in result.err
    assert "\u0623\u0645\u0631" in page and "\u0627\u0654" not in page  # NFC


def test_json_ld_headline_carries_no_bidi_marks(tmp_path: Path) -> None:
    stories = {"content/a.md": article_text("\u200fOpenAI تطلق نموذجا")}
    page = story(build_site(tmp_path, stories=stories), "a")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL).group(1))  # type: ignore[union-attr]
    assert data["headline"] == "OpenAI تطلق نموذجا"
    assert "<title>\u200fOpenAI" in page  # the page title keeps what the editor wrote


@pytest.mark.parametrize(
    "date", ["1899-12-31T10:00:00", "1880-03-01", "1900-01-01T00:00:00+03:06:52", "1924-05-01T12:00:00"]
)
def test_old_dates_and_local_mean_time_give_valid_datetime_attributes(tmp_path: Path, date: str) -> None:
    stories = {"content/a.md": article_text("خبر قديم", date, updated="2025-06-30T10:00:00+03:00")}
    output = build_site(tmp_path, stories=stories)
    for name, page in html_pages(output).items():
        for value in DATETIME.findall(page):
            assert VALID_DATETIME.fullmatch(value), f"{name}: {value}"
