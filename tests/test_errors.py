"""Bad input: a clear `path:line: message`, exit 1, and the previous output left exactly as it was."""

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, article_text, files_of, write_tree

BAD = FIXTURES / "bad"
CASES = {
    "invalid-yaml.md": "content/invalid-yaml.md:4: invalid YAML: mapping values are not allowed",
    "missing-title.md": "content/missing-title.md:1: title: is required",
    "bad-date.md": 'content/bad-date.md:3: date: cannot read "2025-13-01"',
    "date-out-of-range.md": "content/date-out-of-range.md:3: date: must be between the years 1000 and 9998",
    "non-utf8.md": "content/non-utf8.md:2: is not UTF-8 text",
    "wrong-types.md": "content/wrong-types.md:4: tags: must be a list of text",
    "no-front-matter.md": "content/no-front-matter.md:1: no front matter",
    "unknown-key.md": "content/unknown-key.md:4: sumary: unknown front-matter key; did you mean 'summary'?",
}
ERROR_COUNTS = {"wrong-types.md": 2}  # tags and draft are both wrong there


@pytest.fixture
def built_once(site_dir: Path, build) -> Path:
    """A site that built successfully once, so there is a previous output to protect."""
    write_tree(site_dir / "content", {"good.md": article_text(title="خبر سليم", tags="[ميتا]")})
    assert build().code == 0
    return site_dir


@pytest.mark.parametrize(("name", "message"), sorted(CASES.items()))
def test_bad_file_fails_with_its_message_and_keeps_output(built_once: Path, build, name: str, message: str) -> None:
    before = files_of(built_once / "output")
    shutil.copy(BAD / name, built_once / "content" / name)
    result = build()
    assert result.code == 1
    assert message in result.err
    count = ERROR_COUNTS.get(name, 1)
    assert result.err.rstrip().endswith(f"{count} error{'s' if count > 1 else ''}; output/ left unchanged")
    assert files_of(built_once / "output") == before
    assert sorted(p.name for p in built_once.iterdir()) == [".nashra-cache", "content", "output", "site.toml"]


def test_duplicate_explicit_slugs_name_both_files(built_once: Path, build) -> None:
    before = files_of(built_once / "output")
    for name in ("dup-slug-a.md", "dup-slug-b.md"):
        shutil.copy(BAD / name, built_once / "content" / name)
    result = build()
    assert result.code == 1
    assert (
        "content/dup-slug-b.md:4: slug: 'نفس-الرابط' is already used by content/dup-slug-a.md:4; choose another"
        in result.err
    )
    assert files_of(built_once / "output") == before


def test_every_error_is_reported_at_once(built_once: Path, build) -> None:
    for name in [*sorted(CASES), "dup-slug-a.md", "dup-slug-b.md"]:
        shutil.copy(BAD / name, built_once / "content" / name)
    result = build()
    assert result.code == 1
    lines = result.err.splitlines()
    assert lines[-1] == f"{len(CASES) + 2} errors; output/ left unchanged"  # +1 wrong type, +1 duplicate slug
    assert lines[:-1] == sorted(lines[:-1])
    for message in CASES.values():
        assert message in result.err


def test_bad_config_is_reported_and_keeps_output(built_once: Path, build) -> None:
    before = files_of(built_once / "output")
    (built_once / "site.toml").write_text('title = "x"\nbase_url = "https://e.example/"\nper_pag = 3\n', "utf-8")
    result = build()
    assert result.code == 1
    assert "site.toml:3: per_pag: unknown key; did you mean 'per_page'?" in result.err
    assert files_of(built_once / "output") == before


def test_template_error_is_reported_with_its_line(built_once: Path, build) -> None:
    layouts = built_once / "layouts"
    shutil.copytree(FIXTURES.parent.parent / "layouts", layouts)
    (layouts / "tags.html").write_text("{% extends 'base.html' %}\n{% block main %}{{ tags|}}{% endblock %}\n", "utf-8")
    before = files_of(built_once / "output")
    result = build()
    assert result.code == 1
    assert "layouts/tags.html:2: template error" in result.err
    assert files_of(built_once / "output") == before


def test_usage_error_exits_2(build) -> None:
    assert build("--no-such-option").code == 2


def test_stale_files_disappear_on_the_next_good_build(built_once: Path, build) -> None:
    write_tree(built_once / "content", {"second.md": article_text(title="ثان")})
    assert build().code == 0
    assert (built_once / "output/articles/second/index.html").exists()
    (built_once / "content/second.md").unlink()
    assert build().code == 0
    assert not (built_once / "output/articles/second").exists()


def test_cname_is_written_when_configured(site_dir: Path, build) -> None:
    toml = site_dir / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + 'cname = "news.example.com"\n', encoding="utf-8")
    assert build().code == 0
    assert (site_dir / "output/CNAME").read_text(encoding="utf-8") == "news.example.com\n"


def test_template_runtime_error_names_the_layout_and_line(built_once: Path, build) -> None:
    layouts = built_once / "layouts"
    shutil.copytree(FIXTURES.parent.parent / "layouts", layouts)
    card = layouts / "partials" / "card.html"
    card.write_text(card.read_text(encoding="utf-8") + "{{ item.no_such_field }}\n", encoding="utf-8")
    before = files_of(built_once / "output")
    result = build()
    assert result.code == 1
    last_line = card.read_text(encoding="utf-8").count("\n")
    assert f"layouts/partials/card.html:{last_line}: template error: " in result.err
    assert "no_such_field" in result.err
    assert "Traceback" not in result.err
    assert files_of(built_once / "output") == before


def test_a_line_break_in_a_file_name_stays_on_its_problem_line(site_dir: Path, build) -> None:
    write_tree(site_dir / "content", {"a\nb\u2028c.md": "no front matter\n"})
    result = build()
    assert result.code == 1
    first, count, end = result.err.split("\n")
    assert first.startswith("content/a\\nb\\u2028c.md:1: no front matter: start the file with a line '---'")
    assert (count, end) == ("1 error; output/ left unchanged", "")
