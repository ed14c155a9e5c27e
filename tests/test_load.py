from pathlib import Path

from conftest import write_tree

from nashra.load import decode, discover, read_source


def test_discover_is_sorted_and_skips_hidden(tmp_path: Path) -> None:
    write_tree(tmp_path, {"b.md": "", "a/z.md": "", "a/b.md": "", ".git/x.md": "", "_x.txt": "", "a/.tmp.md": ""})
    assert [p.relative_to(tmp_path).as_posix() for p in discover(tmp_path)] == ["a/b.md", "a/z.md", "b.md"]


def test_bom_and_crlf_are_normalised(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes('\ufeff---\r\ntitle: "خبر"\r\ndate: 2025-06-30\r\n---\r\nنص\r\n'.encode())
    source, errors, warnings = read_source(path, "content/a.md")
    assert source is not None and not errors and not warnings
    assert source.meta["title"] == "خبر"
    assert source.body == "نص\n"


def test_non_utf8_names_the_line() -> None:
    text, errors, _ = decode('---\ntitle: "خبر"\n'.encode() + "عنوان".encode("cp1256"), "content/a.md")
    assert text is None
    assert str(errors[0]) == "content/a.md:3: is not UTF-8 text; re-save the file with UTF-8 encoding"


def test_xml_invalid_characters_are_removed_with_a_warning() -> None:
    text, errors, warnings = decode(b"---\ntitle: a\x0bb\x00\n---\n", "content/a.md")
    assert text == "---\ntitle: ab\n---\n" and not errors
    assert str(warnings[0]).startswith("content/a.md:2: removed 2 control character(s)")


def test_a_control_character_at_the_very_end_is_removed_with_a_warning() -> None:
    text, errors, warnings = decode(b"---\ntitle: a\n---\nnote\x00", "content/a.md")
    assert text == "---\ntitle: a\n---\nnote" and not errors
    assert str(warnings[0]).startswith("content/a.md:4: removed 1 control character(s)")
