"""Pictures beside the stories: check them and make the resized variants pages publish.

`process` turns one picture's bytes into a `Picture`: its size as displayed and its variants,
WebP files at a few widths for `srcset` and one JPEG for feeds and link previews. Variants are
made once per content and kept in a store folder (the cache), so a picture whose bytes did not
change costs a file lookup, not a decode:

    store/<digest[:2]>/<digest>.json           the Picture, with the settings that made it
    store/<digest[:2]>/<digest>-960w.webp      one file per variant: the original's digest + suffix

Only still JPEG, PNG and WebP pictures are processed. GIF, animations and AVIF are published as
files only (their size read from the header), SVG is never parsed at all. Choices, and why:

- Widths are those of WIDTHS below the picture's own width, plus the picture at its own width
  (at most the widest), so a page never needs the original and nothing is ever upscaled.
- WebP at quality 80 with method 4 (libwebp's default trade-off of speed against size) for pages;
  one JPEG at quality 82, progressive and optimised, for feed readers and link previews, which do
  not all read WebP. Alpha is kept in WebP and flattened on white for the JPEG.
- Variants carry no EXIF, XMP or comments: reporters' photos hold GPS positions and camera
  serial numbers. Only an RGB ICC profile is kept, since it decides the colours; grey and CMYK
  pictures are converted to sRGB through their profile, as browsers would show them.
- LANCZOS resampling, from a JPEG decoded at reduced scale (`draft`) when that is still at least
  as large as the widest variant: a 12-megapixel photo then takes about half the time.
- Same bytes in, same bytes out: the encoders are deterministic for fixed settings, and the
  store entry records the library versions, so a Pillow upgrade makes the variants again.
"""

from __future__ import annotations

import io
import json
import math
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError, features

from .model import CacheDamaged
from .pickling import by_fields
from .state import digest_bytes, write_atomically

PICTURE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg"})
WIDTHS = (480, 960, 1600)
SHARE_WIDTH = 1200
MAX_PIXELS = 64_000_000

WEBP_OPTIONS = MappingProxyType({"quality": 80, "method": 4})
JPEG_OPTIONS = MappingProxyType({"quality": 82, "progressive": True, "optimize": True})
FORMAT = 2  # of the store entries; a change here makes every entry again

# Pillow's format names -> media types. MPO is a JPEG with extra frames (stereo pairs, previews)
# that browsers show as its first frame: a still JPEG.
MEDIA_TYPES = {
    "JPEG": "image/jpeg",
    "MPO": "image/jpeg",
    "PNG": "image/png",
    "GIF": "image/gif",
    "WEBP": "image/webp",
    "AVIF": "image/avif",
}
OPENED_FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "AVIF")  # Pillow opens MPO through its JPEG plugin
SVG_MEDIA_TYPE = "image/svg+xml"
FILES_ONLY = frozenset({"GIF", "AVIF"})
STILL_EVEN_IF_FRAMES = frozenset({"MPO"})
DRAFTABLE = frozenset({"JPEG", "MPO"})
SWAPPING_ORIENTATIONS = frozenset({5, 6, 7, 8})  # EXIF orientations that turn the picture a quarter
ORIENTATION_TAG = 0x0112
GPS_IFD = 0x8825
WHITE = (255, 255, 255)

# An SVG starts with an optional BOM, XML declaration and processing instructions, comments and a
# doctype (with its internal subset, as Illustrator writes it), then the <svg> element.
SVG_START = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE\s+svg[^\[>]*(?:\[.*?\])?\s*>)\s*)*<svg[\s>/]",
    re.DOTALL,
)

NOT_A_PICTURE = (
    "is not a picture (Pillow cannot read it as JPEG, PNG, GIF, WebP or AVIF, and it does not start like an SVG);"
    " check the file"
)
EMPTY = "is empty (0 bytes): export it again"
TOO_LARGE_ADVICE = f"pictures up to {MAX_PIXELS // 1_000_000} megapixels are processed: resize it first"


@by_fields
@dataclass(frozen=True, slots=True)
class Variant:
    """One file made from a picture: a WebP at one width, or the JPEG for feeds and previews."""

    suffix: str  # appended to the original's stem: "-480w.webp", "-1200w.jpg"
    width: int
    height: int
    media_type: str
    length: int  # bytes
    digest: str  # digest_bytes of the file


@by_fields
@dataclass(frozen=True, slots=True)
class Picture:
    """What a page needs to know about a picture, and the variants made from it."""

    digest: str  # digest_bytes of the original
    media_type: str  # of the original
    width: int  # as displayed, after EXIF orientation; 0 when unknown (SVG)
    height: int
    variants: tuple[Variant, ...]  # WebP, narrowest first; () for pictures published as files only
    share: Variant | None  # the JPEG for feeds and previews; None for files-only pictures
    located: bool = False  # the original's EXIF says where it was taken (GPS): published as it is


def is_picture(name: str) -> bool:
    """Whether a file name has a picture's suffix (any letter case)."""
    dot = name.rfind(".")
    return dot >= 0 and name[dot:].lower() in PICTURE_SUFFIXES


def process(data: bytes, store: Path) -> Picture | str:
    """Check one picture's bytes and make its variants under `store`, once per content.

    :param data: the picture file's bytes.
    :param store: the folder that keeps variants between builds; created when missing.
    :return: the Picture, or a message saying what is wrong and how to fix it, without the
        picture's path (the caller puts `path: ` before it).
    """
    if not data:
        return EMPTY
    digest = digest_bytes(data)
    if SVG_START.match(data):
        return Picture(digest, SVG_MEDIA_TYPE, 0, 0, (), None)
    stored = _load_entry(store, digest)
    if stored is not None:
        return stored
    made = _make(data, digest)
    if isinstance(made, str):
        return made
    picture, files = made
    _save_entry(store, picture, files)
    return picture


def variant_path(store: Path, picture: Picture, variant: Variant) -> Path:
    """Where the store keeps a variant's file."""
    return _shard(store, picture.digest) / (picture.digest + variant.suffix)


def read_variant(store: Path, picture: Picture, variant: Variant) -> bytes:
    """A variant's bytes; raises CacheDamaged when its file is gone or no longer what was made."""
    path = variant_path(store, picture, variant)
    try:
        data = path.read_bytes()
    except OSError:
        raise CacheDamaged(str(path)) from None
    if digest_bytes(data) != variant.digest:
        raise CacheDamaged(str(path))
    return data


# ---------------------------------------------------------------- making variants


def _make(data: bytes, digest: str) -> tuple[Picture, dict[str, bytes]] | str:
    """The Picture and its variant files by suffix, or what is wrong with the bytes."""
    with warnings.catch_warnings():
        # Pillow warns about pictures over its own pixel limit (ours is lower and checked below),
        # odd EXIF and palette transparency; none of that is for the build's output.
        warnings.simplefilter("ignore")
        opened = _open(data)
        if isinstance(opened, str):
            return opened
        try:
            with opened as image:
                return _made_from(image, digest)
        except MemoryError:  # not the file's fault
            raise
        except Exception as error:  # Pillow raises OSError, ValueError, SyntaxError, zlib.error...
            return _damaged(error)


def _made_from(image: Image.Image, digest: str) -> tuple[Picture, dict[str, bytes]]:
    media_type = MEDIA_TYPES[image.format or ""]
    if _files_only(image):
        return Picture(digest, media_type, image.width, image.height, (), None, _located(image)), {}
    picture, files = _made_variants(image, digest, media_type)
    return replace(picture, located=_located(image)), files  # asked after decoding: PNG reads EXIF late


def _located(image: Image.Image) -> bool:
    """Whether the EXIF holds GPS coordinates (a GPS block with more than its version)."""
    try:
        gps = image.getexif().get_ifd(GPS_IFD)
    except Exception:  # damaged EXIF does not make the pixels wrong
        return False
    return any(tag != 0 for tag in gps)


def _open(data: bytes) -> Image.Image | str:
    """The picture opened (header read, nothing decoded), or why it cannot be processed."""
    try:
        image = Image.open(io.BytesIO(data), formats=_known_formats())
    except UnidentifiedImageError:
        return NOT_A_PICTURE
    except Image.DecompressionBombError:
        # Pillow refuses to open it at all, so its size is unknown; it is over twice Pillow's limit.
        limit = math.floor(2 * (Image.MAX_IMAGE_PIXELS or 0) / 1_000_000)
        return f"is over {limit} megapixels; {TOO_LARGE_ADVICE}"
    except MemoryError:
        raise
    except Exception as error:
        return _damaged(error)
    if image.width * image.height > MAX_PIXELS:
        image.close()
        return _too_large(image.width, image.height)
    return image


def _known_formats() -> tuple[str, ...]:
    """The formats to try that this Pillow can open: AVIF is recent, and a Pillow without it knows no such name."""
    Image.init()  # registers every plugin once; Image.open would do the same
    return tuple(name for name in OPENED_FORMATS if name in Image.OPEN)


def _too_large(width: int, height: int) -> str:
    # Rounded up, so that a refused picture never reads as "64 megapixels".
    megapixels = f"{math.ceil(width * height / 100_000) / 10:.1f}".removesuffix(".0")
    return f"is {megapixels} megapixels ({width}×{height}); {TOO_LARGE_ADVICE}"


def _damaged(error: Exception) -> str:
    return f"is truncated or damaged ({str(error) or type(error).__name__}): export it again"


def _files_only(image: Image.Image) -> bool:
    """GIF, AVIF and animations are published as they are."""
    if image.format in FILES_ONLY:
        return True
    return bool(getattr(image, "is_animated", False)) and image.format not in STILL_EVEN_IF_FRAMES


def _made_variants(image: Image.Image, digest: str, media_type: str) -> tuple[Picture, dict[str, bytes]]:
    """Decode, orient and convert the picture, then encode every variant."""
    pixels, width, height = _decoded(image)
    pixels, icc_profile = _rgb(pixels)
    pixels.info = {}  # no EXIF, XMP or comment may reach a saver through the image itself
    files: dict[str, bytes] = {}
    variants = []
    for target in _webp_widths(width):
        size = (target, _scaled(height, target, width))
        files[f"-{target}w.webp"] = _encode(_resized(pixels, size), "WEBP", icc_profile, WEBP_OPTIONS)
        variants.append(_variant(f"-{target}w.webp", size, "image/webp", files))
    share_size = (min(width, SHARE_WIDTH), _scaled(height, min(width, SHARE_WIDTH), width))
    share_pixels = _flattened(_resized(pixels, share_size))
    files[f"-{share_size[0]}w.jpg"] = _encode(share_pixels, "JPEG", icc_profile, JPEG_OPTIONS)
    share = _variant(f"-{share_size[0]}w.jpg", share_size, "image/jpeg", files)
    return Picture(digest, media_type, width, height, tuple(variants), share), files


def _decoded(image: Image.Image) -> tuple[Image.Image, int, int]:
    """The pixels, upright and fully decoded (maybe at a reduced scale), and the picture's upright size."""
    stored_size = image.size
    if image.format in DRAFTABLE:
        image.draft(None, _draft_size(image))
    image.load()  # decodes everything: a truncated or damaged file fails here
    orientation = _orientation(image)
    if orientation != 1:
        ImageOps.exif_transpose(image, in_place=True)
    width, height = _upright(stored_size, orientation)
    return image, width, height


def _draft_size(image: Image.Image) -> tuple[int, int]:
    """The smallest decode, in the stored orientation, that still covers the widest variant."""
    orientation = _orientation(image)
    width, height = _upright(image.size, orientation)
    widest = min(width, WIDTHS[-1])
    return _upright((widest, _scaled(height, widest, width)), orientation)  # the swap is its own inverse


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation, 1 (as stored) when there is none or it cannot be read."""
    try:
        value = image.getexif().get(ORIENTATION_TAG, 1)
    except Exception:  # damaged EXIF does not make the pixels wrong
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _upright(size: tuple[int, int], orientation: int) -> tuple[int, int]:
    return (size[1], size[0]) if orientation in SWAPPING_ORIENTATIONS else size


def _webp_widths(width: int) -> tuple[int, ...]:
    """WIDTHS below the picture's width, and the picture's own width up to the widest."""
    return tuple(sorted({*(target for target in WIDTHS if target < width), min(width, WIDTHS[-1])}))


def _scaled(height: int, target: int, width: int) -> int:
    """height * target / width, rounded half up (in integers: the same everywhere), at least 1."""
    return max(1, (2 * height * target + width) // (2 * width))


def _rgb(image: Image.Image) -> tuple[Image.Image, bytes]:
    """RGB or RGBA pixels, and the ICC profile that describes them (b"" for sRGB)."""
    profile = image.info.get("icc_profile") or b""
    if image.mode in ("I", "F") or image.mode.startswith("I;"):
        image = image.convert("I").point(lambda value: value / 256).convert("L")  # 16-bit grey
    if image.mode == "CMYK" or (profile and profile[16:20] != b"RGB "):
        converted = _to_srgb(image, profile) if profile else None
        if converted is not None:
            return converted, b""
        profile = b""  # a profile for another colour space than the pixels': useless, drop it
    return image.convert("RGBA" if image.has_transparency_data else "RGB"), profile


def _to_srgb(image: Image.Image, profile: bytes) -> Image.Image | None:
    """Grey or CMYK pixels converted to sRGB through their profile; None when the profile does not fit them."""
    alpha = image.getchannel("A") if "A" in image.getbands() else None
    colour = image.convert("L") if image.mode in ("LA", "La") else image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        converted = ImageCms.profileToProfile(colour, source, ImageCms.createProfile("sRGB"), outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None
    assert converted is not None  # not in place
    if alpha is not None:
        converted.putalpha(alpha)
    return converted


def _resized(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    return image if image.size == size else image.resize(size, Image.Resampling.LANCZOS)


def _flattened(image: Image.Image) -> Image.Image:
    """The picture on a white background: JPEG has no transparency."""
    if image.mode != "RGBA":
        return image
    background = Image.new("RGB", image.size, WHITE)
    background.paste(image, mask=image.getchannel("A"))
    return background


def _encode(image: Image.Image, format_name: str, icc_profile: bytes, options: Mapping[str, Any]) -> bytes:
    """The image saved in a format, with the ICC profile and explicitly no EXIF or XMP."""
    stream = io.BytesIO()
    image.save(stream, format_name, icc_profile=icc_profile, exif=b"", xmp=b"", **options)
    return stream.getvalue()


def _variant(suffix: str, size: tuple[int, int], media_type: str, files: dict[str, bytes]) -> Variant:
    data = files[suffix]
    return Variant(suffix, size[0], size[1], media_type, len(data), digest_bytes(data))


# ---------------------------------------------------------------- the store


def _settings() -> str:
    """Everything besides the picture's bytes that decides the variants' bytes."""
    versions = (Image.__version__, features.version("webp"), features.version("jpg"), features.version("littlecms2"))
    return json.dumps([FORMAT, WIDTHS, SHARE_WIDTH, dict(WEBP_OPTIONS), dict(JPEG_OPTIONS), versions], sort_keys=True)


def _shard(store: Path, digest: str) -> Path:
    return store / digest[:2]


def _entry_path(store: Path, digest: str) -> Path:
    return _shard(store, digest) / f"{digest}.json"


def _save_entry(store: Path, picture: Picture, files: dict[str, bytes]) -> None:
    """Write the variant files, then the entry: an entry on disk means its files were written."""
    _shard(store, picture.digest).mkdir(parents=True, exist_ok=True)
    for variant in _files_of(picture):
        write_atomically(variant_path(store, picture, variant), files[variant.suffix])
    entry = {"settings": _settings(), "picture": _picture_fields(picture)}
    write_atomically(_entry_path(store, picture.digest), json.dumps(entry, sort_keys=True).encode())


def _load_entry(store: Path, digest: str) -> Picture | None:
    """The stored Picture for a digest when its entry and every variant file are intact, else None."""
    try:
        entry = json.loads(_entry_path(store, digest).read_bytes())
        if entry["settings"] != _settings():
            return None
        picture = _picture_from(entry["picture"])
    except (OSError, ValueError, KeyError, TypeError):  # missing, or damaged: made again
        return None
    if picture.digest != digest:
        return None
    for variant in _files_of(picture):
        try:
            if variant_path(store, picture, variant).stat().st_size != variant.length:
                return None
        except OSError:
            return None
    return picture


def _files_of(picture: Picture) -> tuple[Variant, ...]:
    return (*picture.variants, picture.share) if picture.share else picture.variants


def _picture_fields(picture: Picture) -> dict[str, Any]:
    return {
        "digest": picture.digest,
        "media_type": picture.media_type,
        "width": picture.width,
        "height": picture.height,
        "variants": [_variant_fields(variant) for variant in picture.variants],
        "share": _variant_fields(picture.share) if picture.share else None,
        "located": picture.located,
    }


def _variant_fields(variant: Variant) -> list[Any]:
    return [variant.suffix, variant.width, variant.height, variant.media_type, variant.length, variant.digest]


def _picture_from(fields: dict[str, Any]) -> Picture:
    """A Picture from its stored fields; raises TypeError or ValueError when they are not what was written."""
    return Picture(
        _checked(fields["digest"], str),
        _checked(fields["media_type"], str),
        _checked(fields["width"], int),
        _checked(fields["height"], int),
        tuple(_variant_from(values) for values in _checked(fields["variants"], list)),
        None if fields["share"] is None else _variant_from(fields["share"]),
        _checked(fields["located"], bool),
    )


def _variant_from(values: list[Any]) -> Variant:
    suffix, width, height, media_type, length, digest = _checked(values, list)
    if not re.fullmatch(r"-[0-9]+w\.(?:webp|jpg)", _checked(suffix, str)):
        raise ValueError(f"not a variant suffix: {suffix!r}")  # it becomes part of a path
    return Variant(
        suffix,
        _checked(width, int),
        _checked(height, int),
        _checked(media_type, str),
        _checked(length, int),
        _checked(digest, str),
    )


def _checked(value: Any, kind: type) -> Any:
    if type(value) is not kind:
        raise TypeError(f"expected {kind.__name__}, got {type(value).__name__}")
    return value
