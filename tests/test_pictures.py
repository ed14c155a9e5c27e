"""Checking pictures and making their variants: sizes, orientation, metadata, colours, errors, the store."""

from __future__ import annotations

import io
import json
import pickle
import subprocess
import sys
import time
from pathlib import Path

import pytest
from picture_fixtures import (
    BLUE,
    GPS_IFD,
    RED,
    XMP,
    animated,
    camera_exif,
    chart,
    encoded,
    grey_profile,
    marked,
    photo,
    png_header,
)
from PIL import Image, ImageCms

from nashra import pictures
from nashra.model import CacheDamaged
from nashra.pictures import Picture, Variant, is_picture, process, read_variant, variant_path
from nashra.state import digest_bytes


def processed(data: bytes, store: Path) -> Picture:
    """process() that must succeed."""
    result = process(data, store)
    assert isinstance(result, Picture), result
    return result


def opened(store: Path, picture: Picture, variant: Variant) -> Image.Image:
    """A variant read back from the store and decoded."""
    picture_file = Image.open(io.BytesIO(read_variant(store, picture, variant)))
    picture_file.load()
    return picture_file


def all_variants(picture: Picture) -> tuple[Variant, ...]:
    assert picture.share is not None
    return (*picture.variants, picture.share)


# ---------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("photo.jpg", True),
        ("PHOTO.JPEG", True),
        ("chart.Png", True),
        ("a.gif", True),
        ("a.webp", True),
        ("a.avif", True),
        ("map.SVG", True),
        ("صورة.jpg", True),
        ("notes.md", False),
        ("photo.jpg.md", False),
        ("jpg", False),
        ("archive.tiff", False),
        ("", False),
    ],
)
def test_is_picture_by_suffix_in_any_case(name: str, expected: bool) -> None:
    assert is_picture(name) is expected


# ---------------------------------------------------------------- sizes


@pytest.mark.parametrize(
    ("size", "widths", "share"),
    [
        ((4000, 3000), ((480, 360), (960, 720), (1600, 1200)), (1200, 900)),
        ((1600, 1000), ((480, 300), (960, 600), (1600, 1000)), (1200, 750)),
        ((1000, 333), ((480, 160), (960, 320), (1000, 333)), (1000, 333)),
        ((960, 540), ((480, 270), (960, 540)), (960, 540)),
        ((300, 200), ((300, 200),), (300, 200)),
        ((1, 1), ((1, 1),), (1, 1)),
        ((3000, 7), ((480, 1), (960, 2), (1600, 4)), (1200, 3)),
    ],
)
def test_variant_widths_and_heights(
    tmp_path: Path, size: tuple[int, int], widths: tuple[tuple[int, int], ...], share: tuple[int, int]
) -> None:
    picture = processed(encoded(photo(*size), "PNG"), tmp_path)
    assert (picture.media_type, picture.width, picture.height) == ("image/png", *size)
    assert tuple((variant.width, variant.height) for variant in picture.variants) == widths
    assert picture.share is not None and (picture.share.width, picture.share.height) == share
    for variant in all_variants(picture):
        assert variant.width <= size[0]  # never upscaled
        assert opened(tmp_path, picture, variant).size == (variant.width, variant.height)
    assert [variant.suffix for variant in picture.variants] == [f"-{width}w.webp" for width, _ in widths]
    assert picture.share.suffix == f"-{share[0]}w.jpg"


def test_variants_are_webp_and_the_share_is_a_progressive_jpeg(tmp_path: Path) -> None:
    picture = processed(encoded(photo(1000, 600), "JPEG"), tmp_path)
    for variant in picture.variants:
        assert variant.media_type == "image/webp"
        assert opened(tmp_path, picture, variant).format == "WEBP"
    assert picture.share is not None and picture.share.media_type == "image/jpeg"
    share = opened(tmp_path, picture, picture.share)
    assert share.format == "JPEG" and share.info.get("progressive") == 1
    for variant in all_variants(picture):
        data = read_variant(tmp_path, picture, variant)
        assert (variant.length, variant.digest) == (len(data), digest_bytes(data))


def test_large_jpeg_decoded_at_reduced_scale_still_gives_full_size_variants(tmp_path: Path) -> None:
    picture = processed(encoded(photo(4000, 3000), "JPEG", quality=90), tmp_path)
    widest = opened(tmp_path, picture, picture.variants[-1])
    assert widest.size == (1600, 1200)
    # Not blurred by the reduced decode: the fine noise survives in the widest variant.
    assert widest.convert("L").getextrema()[1] - widest.convert("L").getextrema()[0] > 100


@pytest.mark.parametrize(
    ("size", "orientation", "decoded"),
    [
        ((4000, 3000), 1, (2000, 1500)),  # half scale still covers 1600×1200
        ((8000, 6000), 1, (2000, 1500)),  # a quarter
        ((3300, 2000), 1, (1650, 1000)),  # half is just wide enough
        ((3100, 2000), 1, (3100, 2000)),  # half would be narrower than 1600
        ((4000, 3000), 8, (3000, 4000)),  # upright 3000×4000 needs 1600×2133: half is too small
        ((6000, 4000), 6, (2000, 3000)),  # upright 4000×6000 needs 1600×2400: half fits
    ],
)
def test_jpeg_is_decoded_at_the_smallest_scale_that_covers_the_widest_variant(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    size: tuple[int, int],
    orientation: int,
    decoded: tuple[int, int],
) -> None:
    sizes = []
    original = pictures._decoded

    def spy(image: Image.Image) -> tuple[Image.Image, int, int]:
        result = original(image)
        sizes.append(result[0].size)
        return result

    monkeypatch.setattr(pictures, "_decoded", spy)
    data = encoded(Image.new("RGB", size, "gray"), "JPEG", exif=camera_exif(orientation))
    picture = processed(data, tmp_path)
    assert sizes == [decoded]
    assert (picture.width, picture.height) == ((size[1], size[0]) if orientation in (6, 8) else size)


# ---------------------------------------------------------------- orientation


def test_exif_orientation_6_swaps_the_dimensions_and_turns_the_pixels(tmp_path: Path) -> None:
    data = encoded(marked(400, 300), "JPEG", exif=camera_exif(orientation=6))
    picture = processed(data, tmp_path)
    assert (picture.width, picture.height) == (300, 400)
    variant = opened(tmp_path, picture, picture.variants[0])
    assert variant.size == (300, 400)
    # Orientation 6: the stored picture is shown turned a quarter clockwise, so its red top-left
    # quarter is shown top right and its blue bottom-right quarter bottom left.
    assert _near(variant.getpixel((225, 50)), RED)
    assert _near(variant.getpixel((75, 350)), BLUE)


def test_exif_orientation_with_a_reduced_decode(tmp_path: Path) -> None:
    data = encoded(photo(4000, 3000), "JPEG", exif=camera_exif(orientation=8))
    picture = processed(data, tmp_path)
    assert (picture.width, picture.height) == (3000, 4000)
    sizes = [(variant.width, variant.height) for variant in picture.variants]
    assert sizes == [(480, 640), (960, 1280), (1600, 2133)]
    assert opened(tmp_path, picture, picture.variants[-1]).size == (1600, 2133)


def _near(pixel: object, colour: tuple[int, int, int], tolerance: int = 40) -> bool:
    assert isinstance(pixel, tuple)
    return all(abs(value - expected) <= tolerance for value, expected in zip(pixel[:3], colour, strict=True))


# ---------------------------------------------------------------- metadata and colour


def test_variants_carry_no_exif_gps_xmp_or_comment_but_keep_the_icc_profile(tmp_path: Path) -> None:
    rgb_profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encoded(
        photo(1700, 1000), "JPEG", exif=camera_exif(), xmp=XMP, comment=b"taken at home", icc_profile=rgb_profile
    )
    original = Image.open(io.BytesIO(data))
    assert original.getexif().get_ifd(GPS_IFD) and "xmp" in original.info and "comment" in original.info
    picture = processed(data, tmp_path)
    for variant in all_variants(picture):
        raw = read_variant(tmp_path, picture, variant)
        result = opened(tmp_path, picture, variant)
        assert len(result.getexif()) == 0
        assert not {"exif", "xmp", "XML:com.adobe.xmp", "comment"} & set(result.info)
        assert b"xmpmeta" not in raw and b"PhoneMaker" not in raw and b"taken at home" not in raw
        assert result.info.get("icc_profile") == rgb_profile


@pytest.mark.parametrize("format_name", ["JPEG", "PNG", "WEBP"])
def test_a_picture_knows_whether_its_original_says_where_it_was_taken(tmp_path: Path, format_name: str) -> None:
    located = processed(encoded(photo(300, 200), format_name, exif=camera_exif()), tmp_path)
    assert located.located
    without = Image.Exif()
    without[0x010F] = "PhoneMaker"
    assert not processed(encoded(photo(300, 200, seed=1), format_name, exif=without), tmp_path).located
    assert not processed(encoded(photo(300, 200, seed=2), format_name), tmp_path).located
    again = processed(encoded(photo(300, 200), format_name, exif=camera_exif()), tmp_path)  # from the store
    assert again == located


def test_pictures_without_a_profile_get_none(tmp_path: Path) -> None:
    picture = processed(encoded(photo(500, 300), "PNG"), tmp_path)
    for variant in all_variants(picture):
        assert not opened(tmp_path, picture, variant).info.get("icc_profile")


def test_grey_picture_is_converted_through_its_profile(tmp_path: Path) -> None:
    # Grey 128 under a linear (gamma 1.0) tone curve is a light grey in sRGB, about 188.
    data = encoded(Image.new("L", (200, 100), 128), "PNG", icc_profile=grey_profile(1.0))
    picture = processed(data, tmp_path)
    for variant in all_variants(picture):
        result = opened(tmp_path, picture, variant)
        assert not result.info.get("icc_profile")  # sRGB now: no profile needed
        assert _near(result.convert("RGB").getpixel((10, 10)), (188, 188, 188), tolerance=4)


def test_png_alpha_kept_in_webp_and_flattened_on_white_in_jpeg(tmp_path: Path) -> None:
    source = Image.new("RGBA", (600, 400), (0, 0, 0, 0))
    source.paste((200, 30, 30, 255), (0, 0, 300, 400))
    picture = processed(encoded(source, "PNG"), tmp_path)
    webp = opened(tmp_path, picture, picture.variants[0])
    assert webp.mode == "RGBA"
    assert webp.getpixel((400, 200))[3] == 0 and webp.getpixel((100, 200))[3] == 255
    assert picture.share is not None
    jpeg = opened(tmp_path, picture, picture.share)
    assert jpeg.mode == "RGB"
    assert _near(jpeg.getpixel((500, 200)), (255, 255, 255), tolerance=3)
    assert _near(jpeg.getpixel((100, 200)), (200, 30, 30), tolerance=12)


@pytest.mark.parametrize("mode", ["P", "LA", "L", "1", "RGBA"])
def test_other_modes_are_converted(tmp_path: Path, mode: str) -> None:
    source = marked(500, 300).convert(mode)
    picture = processed(encoded(source, "PNG"), tmp_path)
    variant = opened(tmp_path, picture, picture.variants[-1])
    assert variant.mode in ("RGB", "RGBA") and variant.size == (500, 300)


def test_palette_png_with_transparency_keeps_it(tmp_path: Path) -> None:
    source = Image.new("P", (300, 200), 0)
    source.putpalette([255, 255, 255, 200, 0, 0])
    source.paste(1, (0, 0, 150, 200))
    picture = processed(encoded(source, "PNG", transparency=0), tmp_path)
    webp = opened(tmp_path, picture, picture.variants[0])
    assert webp.getpixel((250, 100))[3] == 0 and _near(webp.getpixel((50, 100)), (200, 0, 0), tolerance=12)


def test_cmyk_jpeg(tmp_path: Path) -> None:
    source = Image.new("CMYK", (800, 600), (255, 0, 0, 0))  # pure cyan
    picture = processed(encoded(source, "JPEG"), tmp_path)
    assert (picture.media_type, picture.width, picture.height) == ("image/jpeg", 800, 600)
    for variant in all_variants(picture):
        result = opened(tmp_path, picture, variant)
        assert result.mode == "RGB" and _near(result.getpixel((10, 10)), (0, 255, 255), tolerance=8)


def test_sixteen_bit_grey_png_is_scaled_not_clipped(tmp_path: Path) -> None:
    source = Image.new("I;16", (300, 200), 32768)
    data = encoded(source, "PNG")
    assert Image.open(io.BytesIO(data)).mode.startswith("I")
    picture = processed(data, tmp_path)
    result = opened(tmp_path, picture, picture.variants[0])
    assert _near(result.getpixel((10, 10)), (128, 128, 128), tolerance=2)


# ---------------------------------------------------------------- formats published as files only


@pytest.mark.parametrize(
    ("format_name", "media_type"), [("GIF", "image/gif"), ("PNG", "image/png"), ("WEBP", "image/webp")]
)
def test_animations_are_files_only_with_their_dimensions(tmp_path: Path, format_name: str, media_type: str) -> None:
    data = animated(format_name, (120, 80))
    assert process(data, tmp_path) == Picture(digest_bytes(data), media_type, 120, 80, (), None)


@pytest.mark.parametrize(("format_name", "media_type"), [("GIF", "image/gif"), ("AVIF", "image/avif")])
def test_still_gif_and_avif_are_files_only(tmp_path: Path, format_name: str, media_type: str) -> None:
    data = encoded(photo(90, 70), format_name)
    assert process(data, tmp_path) == Picture(digest_bytes(data), media_type, 90, 70, (), None)


def test_a_pillow_without_avif_still_processes_the_others(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    avif = encoded(photo(90, 70), "AVIF")
    monkeypatch.delitem(Image.OPEN, "AVIF")
    assert processed(encoded(photo(90, 70), "JPEG"), tmp_path).media_type == "image/jpeg"
    assert process(avif, tmp_path) == pictures.NOT_A_PICTURE


def test_mpo_is_a_still_jpeg(tmp_path: Path) -> None:
    frames = [marked(640, 480), Image.new("RGB", (640, 480), BLUE)]
    data = encoded(frames[0], "MPO", save_all=True, append_images=frames[1:])
    picture = processed(data, tmp_path)
    assert (picture.media_type, picture.width, picture.height) == ("image/jpeg", 640, 480)
    assert _near(opened(tmp_path, picture, picture.variants[0]).getpixel((10, 10)), RED)


def test_the_bytes_decide_the_format_not_the_suffix(tmp_path: Path) -> None:
    assert processed(encoded(photo(100, 80), "PNG"), tmp_path).media_type == "image/png"
    assert processed(encoded(photo(100, 80), "WEBP"), tmp_path).media_type == "image/webp"


@pytest.mark.parametrize(
    "text",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
        b"\xef\xbb\xbf\n  <?xml version='1.0' encoding='UTF-8'?>\n<svg>\n</svg>",
        b'<?xml version="1.0"?>\n<!-- Generator: Adobe Illustrator -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"'
        b' "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [\n<!ENTITY ns "x">\n]>\n<svg version="1.1"></svg>',
        b"<!-- a > b --><!-- two --><svg\tviewBox='0 0 1 1'></svg>",
    ],
)
def test_svg_is_recognised_by_its_bytes_and_never_processed(tmp_path: Path, text: bytes) -> None:
    assert process(text, tmp_path) == Picture(digest_bytes(text), "image/svg+xml", 0, 0, (), None)
    assert not tmp_path.exists() or not any(tmp_path.iterdir())


@pytest.mark.parametrize(
    "text",
    [b"<svgx/>", b"<html><svg></svg></html>", b"<!-- unclosed <svg>", b"plain text mentioning <svg>", b"\x00<svg>"],
)
def test_text_that_is_not_svg_is_not_a_picture(tmp_path: Path, text: bytes) -> None:
    assert process(text, tmp_path) == pictures.NOT_A_PICTURE


# ---------------------------------------------------------------- refusals


def _refusal(data: bytes, store: Path) -> str:
    started = time.perf_counter()
    result = process(data, store)
    assert time.perf_counter() - started < 1.0
    assert isinstance(result, str), result
    return result


def test_not_a_picture(tmp_path: Path) -> None:
    message = _refusal(b"%PDF-1.7\n" + bytes(200), tmp_path)
    assert message == (
        "is not a picture (Pillow cannot read it as JPEG, PNG, GIF, WebP or AVIF, and it does not start like an SVG);"
        " check the file"
    )


def test_zero_bytes(tmp_path: Path) -> None:
    assert _refusal(b"", tmp_path) == "is empty (0 bytes): export it again"


@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_truncated_jpeg(tmp_path: Path, keep: float) -> None:
    data = encoded(photo(800, 600), "JPEG")
    message = _refusal(data[: int(len(data) * keep)], tmp_path)
    assert message.startswith("is truncated or damaged (") and message.endswith("): export it again")
    assert not tmp_path.exists() or not any(tmp_path.rglob("*.json"))


def test_truncated_png(tmp_path: Path) -> None:
    data = encoded(photo(800, 600), "PNG")
    message = _refusal(data[: len(data) // 2], tmp_path)
    assert message.startswith("is truncated or damaged (") and message.endswith("): export it again")


def test_damaged_png(tmp_path: Path) -> None:
    data = bytearray(encoded(photo(300, 200), "PNG"))
    start = data.index(b"IDAT") + 4
    data[start : start + 200] = bytes(200)  # compressed pixels overwritten
    assert _refusal(bytes(data), tmp_path).startswith("is truncated or damaged (")


def test_header_claiming_100_megapixels_is_refused_before_decoding(tmp_path: Path) -> None:
    data = png_header(10000, 10000)
    assert len(data) < 100
    assert _refusal(data, tmp_path) == (
        "is 100 megapixels (10000×10000); pictures up to 64 megapixels are processed: resize it first"
    )


def test_megapixels_are_rounded_up_so_a_refusal_never_reads_as_the_limit(tmp_path: Path) -> None:
    assert _refusal(png_header(8001, 8000), tmp_path).startswith("is 64.1 megapixels (8001×8000); ")
    assert _refusal(png_header(12000, 9000), tmp_path).startswith("is 108 megapixels (12000×9000); ")
    # Exactly the limit passes the size check: this header has no pixels, so decoding fails instead.
    assert _refusal(png_header(8000, 8000), tmp_path).startswith("is truncated or damaged (")


def test_header_beyond_pillows_own_limit(tmp_path: Path) -> None:
    # Pillow refuses to open this at all (DecompressionBombError); no warning or exception escapes.
    message = _refusal(png_header(30000, 20000), tmp_path)
    assert message == "is over 178 megapixels; pictures up to 64 megapixels are processed: resize it first"


def test_a_large_real_picture_beyond_the_limit(tmp_path: Path) -> None:
    data = encoded(Image.new("1", (10000, 6500)), "PNG")
    assert _refusal(data, tmp_path).startswith("is 65 megapixels (10000×6500); ")


# ---------------------------------------------------------------- the store


def test_store_layout_and_pickling(tmp_path: Path) -> None:
    data = encoded(photo(1000, 500), "JPEG")
    picture = processed(data, tmp_path / "store")
    digest = digest_bytes(data)
    names = sorted(path.name for path in (tmp_path / "store" / digest[:2]).iterdir())
    assert names == sorted([f"{digest}.json", *(digest + variant.suffix for variant in all_variants(picture))])
    assert variant_path(tmp_path / "store", picture, picture.variants[0]) == (
        tmp_path / "store" / digest[:2] / f"{digest}-480w.webp"
    )
    assert pickle.loads(pickle.dumps(picture)) == picture


def test_processing_the_same_bytes_again_reuses_the_store_without_decoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = encoded(photo(1000, 500), "JPEG")
    first = processed(data, tmp_path)
    mtimes = {path: path.stat().st_mtime_ns for path in tmp_path.rglob("*")}

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("decoded again")

    monkeypatch.setattr(Image, "open", refuse)
    assert process(data, tmp_path) == first
    assert {path: path.stat().st_mtime_ns for path in tmp_path.rglob("*")} == mtimes


def _entry(store: Path, data: bytes) -> Path:
    digest = digest_bytes(data)
    return store / digest[:2] / f"{digest}.json"


@pytest.mark.parametrize(
    "damage",
    [
        "bad json",
        "not an object",
        "wrong types",
        "other settings",
        "other digest",
        "suffix with a path",
        "missing variant",
        "short variant",
        "missing share",
    ],
)
def test_damaged_store_entries_are_made_again(tmp_path: Path, damage: str) -> None:
    data = encoded(photo(1000, 500), "JPEG")
    picture = processed(data, tmp_path)
    files = {variant.suffix: read_variant(tmp_path, picture, variant) for variant in all_variants(picture)}
    entry = _entry(tmp_path, data)
    entry_bytes = entry.read_bytes()
    stored = json.loads(entry_bytes)
    widest = variant_path(tmp_path, picture, picture.variants[-1])
    assert picture.share is not None
    if damage == "bad json":
        entry.write_bytes(entry.read_bytes()[:-5])
    elif damage == "not an object":
        entry.write_text("[1, 2]")
    elif damage == "wrong types":
        stored["picture"]["width"] = "1000"
        entry.write_text(json.dumps(stored))
    elif damage == "other settings":
        stored["settings"] = "Pillow 1.0"
        entry.write_text(json.dumps(stored))
    elif damage == "other digest":
        stored["picture"]["digest"] = "0" * 32
        entry.write_text(json.dumps(stored))
    elif damage == "suffix with a path":
        stored["picture"]["variants"][0][0] = "/../../etc/passwd"
        entry.write_text(json.dumps(stored))
    elif damage == "missing variant":
        widest.unlink()
    elif damage == "short variant":
        widest.write_bytes(widest.read_bytes()[:-1])
    elif damage == "missing share":
        variant_path(tmp_path, picture, picture.share).unlink()
    assert process(data, tmp_path) == picture
    assert {variant.suffix: read_variant(tmp_path, picture, variant) for variant in all_variants(picture)} == files
    assert entry.read_bytes() == entry_bytes


def test_files_only_pictures_are_stored_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = animated("GIF")
    first = process(data, tmp_path)
    assert _entry(tmp_path, data).is_file()
    monkeypatch.setattr(Image, "open", None)
    assert process(data, tmp_path) == first


def test_read_variant_raises_cache_damaged_when_missing_or_altered(tmp_path: Path) -> None:
    picture = processed(encoded(photo(700, 400), "PNG"), tmp_path)
    variant = picture.variants[0]
    path = variant_path(tmp_path, picture, variant)
    data = path.read_bytes()
    assert read_variant(tmp_path, picture, variant) == data
    path.write_bytes(bytes([data[0] ^ 1]) + data[1:])  # same size, other bytes
    with pytest.raises(CacheDamaged):
        read_variant(tmp_path, picture, variant)
    path.unlink()
    with pytest.raises(CacheDamaged):
        read_variant(tmp_path, picture, variant)


# ---------------------------------------------------------------- determinism


CHILD = """
import sys
from pathlib import Path
from nashra.pictures import process
print(repr(process(Path(sys.argv[1]).read_bytes(), Path(sys.argv[2]))))
"""


def test_same_bytes_give_byte_identical_variants_across_processes(tmp_path: Path) -> None:
    sources = {
        "photo.jpg": encoded(photo(2000, 1300), "JPEG", exif=camera_exif(orientation=6), quality=90),
        "chart.png": encoded(chart(1100, 700), "PNG"),
        "alpha.png": encoded(marked(700, 500).convert("RGBA"), "PNG"),
    }
    root = Path(__file__).resolve().parent.parent
    for name, data in sources.items():
        (tmp_path / name).write_bytes(data)
        here = processed(data, tmp_path / "here")
        again = processed(data, tmp_path / "again")
        assert here == again
        child = subprocess.run(
            [sys.executable, "-c", CHILD, str(tmp_path / name), str(tmp_path / "there")],
            capture_output=True,
            text=True,
            check=True,
            cwd=root,
            env={"PYTHONHASHSEED": "12345", "PATH": ""},
        )
        assert child.stdout.strip() == repr(here)
        for variant in all_variants(here):
            mine = read_variant(tmp_path / "here", here, variant)
            assert read_variant(tmp_path / "again", again, variant) == mine
            assert read_variant(tmp_path / "there", here, variant) == mine


def test_two_processes_making_the_same_variants_at_once_is_harmless(tmp_path: Path) -> None:
    data = encoded(photo(2400, 1600), "JPEG")
    (tmp_path / "photo.jpg").write_bytes(data)
    root = Path(__file__).resolve().parent.parent
    command = [sys.executable, "-c", CHILD, str(tmp_path / "photo.jpg"), str(tmp_path / "store")]
    children = [subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [child.communicate()[0] for child in children]
    assert [child.returncode for child in children] == [0, 0]
    picture = processed(data, tmp_path / "alone")
    assert outputs == [repr(picture) + "\n"] * 2
    for variant in all_variants(picture):
        assert read_variant(tmp_path / "store", picture, variant) == read_variant(tmp_path / "alone", picture, variant)
    assert not list((tmp_path / "store").rglob(".tmp-*"))
