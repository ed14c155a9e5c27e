import pytest

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


@pytest.mark.parametrize("second", ["date: 2025-07-01", "'date': 2025-07-01", '"date": 2025-07-01'])
def test_a_key_written_twice_is_refused_at_its_second_line(second: str) -> None:
    problem = split(f'---\ndate: 2025-06-30\ntitle: "x"\n{second}\n---\n', "a.md")
    assert problem == Problem("a.md", 4, "date: written twice (also on line 2); keep one")


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


def alias_bomb(levels: int) -> str:
    """A few hundred bytes of YAML that expand to 10**levels strings when aliases are followed."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 10)}]")
    return "---\ntitle: x\n" + "\n".join(lines) + f"\nsummary: *a{levels}\n---\n"


def test_aliases_are_refused_before_they_expand() -> None:
    problem = split(alias_bomb(9), "a.md")
    if not isinstance(problem, Problem):  # not `assert`: pytest would print the expanded value
        pytest.fail("the aliases were accepted")
    assert problem.line == 3
    assert "anchors and aliases" in problem.message
    assert len(problem.message) < 200


def test_an_anchor_in_a_list_is_refused_at_its_line() -> None:
    problem = split("---\ntitle: x\ntags:\n  - أ\n  - &t ب\nsource: *t\n---\n", "a.md")
    assert isinstance(problem, Problem)
    assert problem.line == 5
    assert "anchors and aliases" in problem.message


def test_an_anchor_alone_is_refused_at_its_line() -> None:
    problem = split("---\ntitle: x\nauthor: &name فلان\n---\n", "a.md")
    assert isinstance(problem, Problem)
    assert problem.line == 3
    assert "anchor" in problem.message


def test_merge_keys_need_aliases_and_are_refused() -> None:
    problem = split("---\nbase: &b {title: x}\n<<: *b\n---\n", "a.md")
    assert isinstance(problem, Problem)
    assert problem.line == 2


def test_yaml_errors_quote_a_short_excerpt_of_a_long_tag() -> None:
    problem = split("---\ntitle: !" + "x" * 5000 + " a\n---\n", "a.md")
    assert isinstance(problem, Problem)
    assert problem.line == 2
    assert len(problem.message) < 300


@pytest.mark.parametrize("value", ["!!int abc", "!!timestamp 2025-06-30T14:05", "!!float x", "!!bool maybe"])
def test_an_explicit_tag_that_does_not_fit_its_value_is_a_problem_not_a_crash(value: str) -> None:
    problem = split(f"---\ntitle: {value}\ndate: 2025-06-30\n---\n", "a.md")
    assert isinstance(problem, Problem) and "explicit tag" in problem.message
