from pathlib import Path

import pytest

from nashra.config import Overrides, load_config, parse_config, reference_time
from nashra.errors import BuildError


def problems_of(raw: dict, overrides: Overrides | None = None) -> list[str]:
    with pytest.raises(BuildError) as caught:
        parse_config(raw, "site.toml", Path("."), overrides or Overrides())
    return [str(problem) for problem in caught.value.problems]


def test_defaults_and_sub_path() -> None:
    config = parse_config({"title": "نشرة", "base_url": "https://u.github.io/repo"}, "site.toml", Path("/p"))
    assert config.base_url == "https://u.github.io/repo/"
    assert config.base_path == "/repo/"
    assert (config.language, config.dir, config.per_page, config.feed_items) == ("ar", "rtl", 10, 20)
    assert config.timezone.key == "Asia/Riyadh"
    assert config.content_dir == Path("/p/content")


def test_every_problem_is_reported_together() -> None:
    problems = problems_of(
        {"title": "", "base_url": "u.github.io", "per_page": 0, "digits": "hindi", "timezone": "Mars/Base", "titel": 1}
    )
    text = "\n".join(problems)
    assert "titel: unknown key; did you mean 'title'?" in text
    assert "title: must not be empty" in text
    assert "base_url: must be an absolute http(s) address" in text
    assert "per_page: must be at least 1" in text
    assert "digits: must be one of latn, arab" in text
    assert "timezone: unknown time zone 'Mars/Base'" in text


def test_wrong_types_name_the_expected_type() -> None:
    problems = problems_of({"title": "x", "base_url": "https://a.b/", "per_page": "10", "feed_full_content": "yes"})
    assert "site.toml: per_page: must be a whole number, got str '10'" in problems
    assert "site.toml: feed_full_content: must be true or false, got str 'yes'" in problems


def test_base_url_override_wins_and_may_replace_a_missing_key() -> None:
    config = parse_config({"title": "x"}, "site.toml", Path("."), Overrides(base_url="https://o.github.io/r"))
    assert config.base_url == "https://o.github.io/r/"


def test_toml_syntax_error_has_a_line(tmp_path: Path) -> None:
    path = tmp_path / "site.toml"
    path.write_text('title = "x"\nbase_url = \n', encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        load_config(path)
    (problem,) = caught.value.problems
    assert problem.line == 2
    assert problem.message.startswith("invalid TOML")


def test_missing_config_says_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="not found; create it"):
        load_config(tmp_path / "site.toml")


def test_reference_time_prefers_source_date_epoch() -> None:
    assert reference_time({"SOURCE_DATE_EPOCH": "1751270400"}).isoformat() == "2025-06-30T08:00:00+00:00"
    with pytest.raises(BuildError, match="SOURCE_DATE_EPOCH"):
        reference_time({"SOURCE_DATE_EPOCH": "yesterday"})


def test_messages_quote_a_short_excerpt_of_a_long_value() -> None:
    huge = list(range(100_000))
    problems = problems_of(
        {"title": "x", "base_url": "ftp://" + "x" * 10_000, "per_page": huge, "language": "y" * 10_000, "z" * 9_000: 1}
    )
    assert len(problems) == 4
    for problem in problems:
        assert len(problem) < 300


@pytest.mark.parametrize("url", ["https://[/x/", "http://x:99999/", "http://x:port/", "https:/x/", "java\tscript://x/"])
def test_an_unreadable_base_url_is_an_error(url: str) -> None:
    (problem,) = problems_of({"title": "x", "base_url": url})
    assert problem.startswith("site.toml: base_url: ")


def test_an_unreadable_base_url_override_names_the_option() -> None:
    (problem,) = problems_of({"title": "x", "base_url": "https://e.example/"}, Overrides(base_url="http://["))
    assert problem.startswith("--base-url: is not a valid URL")


def test_an_international_base_url_becomes_ascii_once() -> None:
    config = parse_config({"title": "x", "base_url": "https://مثال.إختبار/نشرة"}, "site.toml", Path("."))
    assert config.base_url == "https://xn--mgbh0fb.xn--kgbechtv/%D9%86%D8%B4%D8%B1%D8%A9/"
    assert config.base_path == "/%D9%86%D8%B4%D8%B1%D8%A9/"


def test_base_urls_with_ipv6_hosts_and_ports_are_kept() -> None:
    for url in ("http://[::1]:8080/x/", "http://127.0.0.1:8000/", "https://e.example:8443/a%20b/"):
        assert parse_config({"title": "x", "base_url": url}, "site.toml", Path(".")).base_url == url


def test_a_base_url_host_that_is_not_a_domain_name_is_an_error() -> None:
    (problem,) = problems_of({"title": "x", "base_url": "https://مثال اختبار/"})
    assert problem.startswith("site.toml: base_url: the host is not a valid domain name")


def test_control_characters_from_toml_escapes_are_errors(tmp_path: Path) -> None:
    path = tmp_path / "site.toml"
    path.write_text('title = "نشرة\\u0001"\ndescription = "\\u0008"\nbase_url = "https://e.example/"\n', "utf-8")
    with pytest.raises(BuildError) as caught:
        load_config(path)
    assert [str(problem) for problem in caught.value.problems] == [
        f"{path}:1: title: contains the control character U+0001, which XML forbids; remove it",
        f"{path}:2: description: contains the control character U+0008, which XML forbids; remove it",
    ]


def test_every_key_error_has_the_line_of_its_key(tmp_path: Path) -> None:
    path = tmp_path / "site.toml"
    path.write_text(
        "# the site\n"
        'title = "نشرة"\n'
        "base_url = 'https://e.example/'\n"
        "per_pag = 3\n"
        '"digits" = "hindi"\n'
        'language.x = "ar"\n'
        'description = """\n'
        "per_page = 0\n"
        '"""\n'
        "  per_page   = 0\n"
        "[search]\n"
        'scope = "full"\n'
        "[[extra.list]]\n"
        "a = 1\n",
        encoding="utf-8",
    )
    with pytest.raises(BuildError) as caught:
        load_config(path)
    assert [(p.line, p.message.split(":")[0]) for p in caught.value.problems] == [
        (4, "per_pag"),
        (5, "digits"),
        (6, "language"),
        (10, "per_page"),
        (11, "search"),
        (13, "extra"),
    ]


@pytest.mark.parametrize("epoch", ["100000000000000000000", "-99999999999999"])
def test_a_source_date_epoch_beyond_any_date_is_an_error(epoch: str) -> None:
    with pytest.raises(BuildError, match="SOURCE_DATE_EPOCH"):
        reference_time({"SOURCE_DATE_EPOCH": epoch})


def test_a_base_url_whose_path_starts_with_two_slashes_is_refused() -> None:
    """Found by the generated tests: links would start with //x/, which browsers read as the host x."""
    with pytest.raises(BuildError) as caught:
        parse_config({"title": "نشرة", "base_url": "https://example.com//x/"}, "site.toml", Path("/p"))
    assert [problem.message for problem in caught.value.problems] == [
        "base_url: its path must not start with //, got 'https://example.com//x/'"
    ]


def test_timezone_label_is_text_shown_as_written() -> None:
    raw = {"title": "نشرة", "base_url": "https://u.github.io/repo/"}
    assert parse_config(raw, "site.toml", Path(".")).timezone_label == ""  # the zone's usual name
    assert parse_config({**raw, "timezone_label": "بتوقيت عدن"}, "site.toml", Path(".")).timezone_label == "بتوقيت عدن"
    assert problems_of({**raw, "timezone_label": 3}) == ["site.toml: timezone_label: must be a string, got int 3"]


def test_tags_table_gives_folded_aliases_and_names() -> None:
    tags = {"aliases": {"Apple": "آبل", "أوبن إيه آي": "OpenAI"}, "names": {"openai": "OpenAI", "ميتا": "مِيتا"}}
    config = parse_config({"title": "x", "base_url": "https://e.example/", "tags": tags}, "site.toml", Path("."))
    assert config.tag_aliases == (("apple", "ابل"), ("اوبن ايه اي", "openai"))
    # An alias target names its tag; `names` names the others (and wins over a target).
    assert config.tag_names == (("openai", "OpenAI"), ("ابل", "آبل"), ("ميتا", "مِيتا"))


def test_every_tags_error_has_the_line_of_its_entry(tmp_path: Path) -> None:
    path = tmp_path / "site.toml"
    path.write_text(
        'title = "نشرة"\n'
        'base_url = "https://e.example/"\n'
        "[tags]\n"
        "alias = {}\n"
        "[tags.aliases]\n"
        '"OpenAI" = "openai"\n'
        '"Apple" = "آبل"\n'
        '"آبل" = "Apple Inc"\n'
        '"GPT" = 4\n'
        '" " = "x"\n'
        "[tags.names]\n"
        'openai = "Open AI"\n'
        '"ميتا" = "Meta"\n',
        encoding="utf-8",
    )
    with pytest.raises(BuildError) as caught:
        load_config(path)
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (4, "tags.alias: unknown key; did you mean 'aliases'?"),
        (6, "tags.aliases: 'OpenAI' and 'openai' are one tag already (they differ only in case, hamza or tashkeel, "
            "which tags ignore); remove the line"),
        (7, "tags.aliases: 'آبل' is itself merged into 'Apple Inc'; merge 'Apple' there directly"),
        (9, "tags.aliases: 'GPT' must be given text, got int 4"),
        (10, "tags.aliases: ' ' = 'x': neither side may be empty"),
        (12, "tags.names: 'Open AI' is not a spelling of the tag 'openai'; a name changes how a tag is written, "
             "not which tag it is (merge tags with [tags.aliases])"),
        (13, "tags.names: 'Meta' is not a spelling of the tag 'ميتا'; a name changes how a tag is written, "
             "not which tag it is (merge tags with [tags.aliases])"),
    ]  # fmt: skip


def test_tags_must_be_a_table() -> None:
    assert problems_of({"title": "x", "base_url": "https://e.example/", "tags": ["a"]}) == [
        "site.toml: tags: must be a table ([tags]), got list ['a']"
    ]
    assert problems_of({"title": "x", "base_url": "https://e.example/", "tags": {"names": "x"}}) == [
        'site.toml: tags.names: must be a table of "spelling" = "text" lines, got \'x\''
    ]


def test_sources_toml_is_read_when_beside_site_toml_or_named(tmp_path: Path) -> None:
    from nashra.plan import public_config

    (tmp_path / "site.toml").write_text('title = "t"\nbase_url = "https://e.example/"\n', encoding="utf-8")
    assert load_config(tmp_path / "site.toml").sources_file is None  # none there: no outlet feeds to credit
    (tmp_path / "sources.toml").write_text("", encoding="utf-8")
    config = load_config(tmp_path / "site.toml")
    assert config.sources_file == tmp_path / "sources.toml"
    assert public_config(config).sources_file is None  # a machine's path reaches no output
    named = tmp_path / "other.toml"  # named on the command line: read even when missing, to say so
    assert load_config(tmp_path / "site.toml", Overrides(sources=named)).sources_file == named
