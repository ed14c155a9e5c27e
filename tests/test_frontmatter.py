from nashra.errors import Problem
from nashra.frontmatter import Parsed, split


def test_splits_meta_body_and_lines() -> None:
    parsed = split('---\ntitle: "عنوان"\ndate: 2025-06-30\ntags: [أ, ب]\n---\nالنص\n', "a.md")
    assert isinstance(parsed, Parsed)
    assert parsed.meta == {"title": "عنوان", "date": "2025-06-30", "tags": ["أ", "ب"]}
    assert parsed.key_lines == {"title": 2, "date": 3, "tags": 4}
    assert (parsed.body, parsed.body_line) == ("النص\n", 6)


def test_dates_stay_text_so_errors_can_quote_them() -> None:
    parsed = split("---\ndate: 2025-13-01\n---\n", "a.md")
    assert isinstance(parsed, Parsed)
    assert parsed.meta["date"] == "2025-13-01"


def test_invalid_yaml_points_at_the_line() -> None:
    problem = split('---\ntitle: "x"\nsummary: a: b\n---\n', "a.md")
    assert isinstance(problem, Problem)
    assert (problem.path, problem.line) == ("a.md", 3)
    assert "invalid YAML" in problem.message


def test_unclosed_quote_points_at_its_opening_line() -> None:
    problem = split('---\ntitle: "x\ndate: 2025-06-30\nsource: y\n---\n', "a.md")
    assert isinstance(problem, Problem)
    assert problem.line == 2


def test_missing_or_unclosed_front_matter() -> None:
    missing = split("title: x\n", "a.md")
    unclosed = split("---\ntitle: x\n", "a.md")
    assert isinstance(missing, Problem) and "no front matter" in missing.message
    assert isinstance(unclosed, Problem) and "not closed" in unclosed.message


def test_front_matter_must_be_a_mapping() -> None:
    problem = split("---\n- a\n- b\n---\n", "a.md")
    assert isinstance(problem, Problem) and "key: value" in problem.message


def test_unsafe_yaml_tags_are_refused() -> None:
    problem = split("---\ntitle: !!python/object/apply:os.system ['true']\n---\n", "a.md")
    assert isinstance(problem, Problem)
