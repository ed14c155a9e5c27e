"""Tags and outlets: identity by folding and aliases, the shown name, and slugs that never swap."""

import itertools
from pathlib import Path

from conftest import article_text, make_config, write_tree

from nashra.collect import collect, prepare_all
from nashra.labels import label_slugs, shown_names, spell_symbols
from nashra.text import fold_key, make_slug


def site_from(tmp_path: Path, files: dict[str, str], **config):
    write_tree(tmp_path / "content", files)
    cfg = make_config(tmp_path, **config)
    return collect(prepare_all(cfg), cfg)[0]


def test_the_most_used_spelling_names_a_label_and_ties_go_to_the_earliest() -> None:
    uses = [("openai", "OPENAI"), ("openai", "OpenAI"), ("openai", "OpenAI"), ("x", "X"), ("x", "x")]
    assert shown_names(uses, {}) == {"openai": "OpenAI", "x": "X"}
    assert shown_names(uses, {"openai": "Openai"}) == {"openai": "Openai", "x": "X"}


def test_one_all_capitals_story_does_not_rename_a_tag(tmp_path: Path) -> None:
    files = {
        "a.md": article_text(date="2025-06-01", tags="[OPENAI]"),  # the earliest
        "b.md": article_text(date="2025-06-02", tags="[OpenAI]"),
        "c.md": article_text(date="2025-06-03", tags="[OpenAI, openai]"),  # one story, one use: its first spelling
    }
    site = site_from(tmp_path, files)
    ((group),) = site.tags
    assert (group.tag.name, group.tag.slug, len(group.articles)) == ("OpenAI", "openai", 3)
    assert {article.tags[0].name for article in site.articles} == {"OpenAI"}


def test_symbols_that_tell_names_apart_are_spelled_out() -> None:
    assert spell_symbols("C++") == "C plus  plus "
    names = {fold_key(name): name for name in ("C", "C++", "C#", "F#", "AT&T", "R&D", "Google+")}
    assert label_slugs(names, "tag") == {
        "c": "c", "c++": "c-plus-plus", "c#": "c-sharp", "f#": "f-sharp", "at&t": "at-and-t", "r&d": "r-and-d",
        "google+": "google-plus",
    }  # fmt: skip
    # Where no Latin letter or digit touches them, symbols are dropped as before.
    for name in ("#مصر", "أخبار & تقارير", "الذكاء الاصطناعي", "Node.js", "ميتا"):
        assert label_slugs({fold_key(name): name}, "tag")[fold_key(name)] == make_slug(name)


def test_true_collisions_never_depend_on_the_order_labels_appear_in() -> None:
    names = {fold_key(name): name for name in ("Apple.", "Apple", "apple!", "C++", "C++.")}
    results = {
        tuple(sorted(label_slugs(dict(order), "tag").items())) for order in itertools.permutations(names.items())
    }
    (slugs,) = results
    slugs = dict(slugs)
    assert slugs["apple"] == "apple"  # the key that reads as the slug keeps it
    assert {slugs["apple."], slugs["apple!"]} == {"apple-" + slugs["apple."][-6:], "apple-" + slugs["apple!"][-6:]}
    assert slugs["apple."] != slugs["apple!"]
    # Neither reads as `c-plus-plus`: the first key in sorted order keeps it.
    assert (slugs["c++"], slugs["c++."][:12]) == ("c-plus-plus", "c-plus-plus-")
    assert len(set(slugs.values())) == len(slugs)
    # A new label never takes the slug of one that reads as it, nor renames a digest slug.
    more = label_slugs(names | {"apple?": "Apple?"}, "tag")
    assert {key: more[key] for key in slugs} == slugs


def test_a_name_without_letters_gets_a_digest_slug() -> None:
    assert label_slugs({"+": "+"}, "source")["+"].startswith("source-")


def test_aliases_merge_spellings_and_name_the_tag(tmp_path: Path) -> None:
    files = {
        "a.md": article_text(date="2025-06-01", tags="[Apple, OpenAI]"),
        "b.md": article_text(date="2025-06-02", tags="[Apple, آبل]"),  # both spellings: the tag once
        "c.md": article_text(date="2025-06-03", tags='["أوبن إيه آي"]'),
    }
    config = {"tag_aliases": (("apple", "ابل"), ("اوبن ايه اي", "openai")), "tag_names": (("ابل", "آبل"),)}
    site = site_from(tmp_path, files, **config)
    assert {group.tag.name: (group.tag.slug, len(group.articles)) for group in site.tags} == {
        "آبل": ("آبل", 2),
        "OpenAI": ("openai", 2),
    }
    b = next(article for article in site.articles if article.source_path == "content/b.md")
    assert [tag.name for tag in b.tags] == ["آبل"]


def test_outlets_fold_like_tags_and_take_the_most_used_spelling(tmp_path: Path) -> None:
    files = {
        "a.md": article_text(date="2025-06-01", source='"الموقع بوسْت"'),  # the earliest, with a sukun
        "b.md": article_text(date="2025-06-02", source='"الموقع بوست"'),
        "c.md": article_text(date="2025-06-03", source='"الموقع  بوست"'),
        "d.md": article_text(date="2025-06-04", source="Reuters"),
        "e.md": article_text(date="2025-06-05", source="REUTERS", tags="[Reuters]"),
        "f.md": article_text(date="2025-06-06"),
    }
    site = site_from(tmp_path, files)
    outlets = {group.tag.name: (group.tag.slug, group.tag.url, [a.source_path[8:] for a in group.articles])
               for group in site.outlets}  # fmt: skip
    assert outlets == {
        "Reuters": ("reuters", "/digest/sources/reuters/", ["e.md", "d.md"]),
        "الموقع بوست": ("الموقع-بوست", "/digest/sources/%D8%A7%D9%84%D9%85%D9%88%D9%82%D8%B9-%D8%A8%D9%88%D8%B3%D8%AA/",
                        ["c.md", "b.md", "a.md"]),
    }  # fmt: skip
    by_path = {article.source_path: article for article in site.articles}
    assert by_path["content/a.md"].outlet.name == "الموقع بوست"
    assert by_path["content/a.md"].source_name == "الموقع بوسْت"  # the story keeps its own spelling
    assert by_path["content/f.md"].outlet is None
    assert [group.tag.name for group in site.tags] == ["Reuters"]  # tags and outlets are separate
