"""Pictures drawn in memory for the tests: no binary files in the repository.

Everything here is deterministic (seeded noise, no clock), so the same call gives the same bytes.
"""

from __future__ import annotations

import io
import random
import struct
import zlib
from typing import Any

from PIL import Image, ImageDraw, ImageFilter

RED = (255, 0, 0)
BLUE = (0, 0, 255)
GPS_IFD = 0x8825
ORIENTATION = 0x0112
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="30,2.0N"/>'
    b"</rdf:RDF></x:xmpmeta>"
)


def photo(width: int, height: int, seed: int = 0) -> Image.Image:
    """A photo-like RGB picture: smooth colour gradients under fine sensor-like noise."""
    horizontal = Image.linear_gradient("L").rotate(90).resize((width, height))
    vertical = Image.linear_gradient("L").resize((width, height))
    colours = Image.merge("RGB", (horizontal, vertical, Image.blend(horizontal, vertical, 0.5)))
    noise = Image.frombytes("L", (width, height), random.Random(seed).randbytes(width * height))
    noise = noise.filter(ImageFilter.GaussianBlur(0.7))
    return Image.blend(colours, Image.merge("RGB", (noise, noise, noise)), 0.25)


def chart(width: int, height: int) -> Image.Image:
    """A chart as newsrooms draw them: flat colours, thin lines, a little text."""
    picture = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(picture)
    bars = 12
    step = width // (bars + 1)
    for index in range(bars):
        top = height - (index + 2) * height // (bars + 3)
        colour = (30 + 18 * index, 90, 200 - 12 * index)
        draw.rectangle((step // 2 + index * step, top, step // 2 + index * step + step * 2 // 3, height - 40), colour)
        draw.text((step // 2 + index * step, height - 30), f"{2014 + index}", fill="black")
    for y in range(40, height - 40, height // 10):
        draw.line((20, y, width - 20, y), fill=(200, 200, 200), width=1)
    draw.line((20, height - 40, width - 20, height - 40), fill="black", width=3)
    return picture


def marked(width: int, height: int) -> Image.Image:
    """Grey with a red top-left quarter and a blue bottom-right quarter, to see which way is up."""
    picture = Image.new("RGB", (width, height), (128, 128, 128))
    picture.paste(RED, (0, 0, width // 2, height // 2))
    picture.paste(BLUE, (width // 2, height // 2, width, height))
    return picture


def encoded(picture: Image.Image, format_name: str, **options: Any) -> bytes:
    """The picture saved in a format, in memory."""
    stream = io.BytesIO()
    picture.save(stream, format_name, **options)
    return stream.getvalue()


def camera_exif(orientation: int = 1) -> Image.Exif:
    """EXIF as a phone writes it: make, model, orientation and the place the photo was taken."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 12"  # Model
    exif[ORIENTATION] = orientation
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (30.0, 2.0, 41.0), 3: "E", 4: (31.0, 14.0, 9.0)})
    return exif


def animated(format_name: str, size: tuple[int, int] = (120, 80)) -> bytes:
    """A two-frame animation (GIF, PNG or WebP)."""
    frames = [Image.new("RGB", size, RED), Image.new("RGB", size, BLUE)]
    return encoded(frames[0], format_name, save_all=True, append_images=frames[1:], duration=100, loop=0)


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims a size but which has no pixel data: a few dozen bytes."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit grey
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(b"")) + _chunk(b"IEND", b"")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def grey_profile(gamma: float) -> bytes:
    """A minimal ICC v2 profile for grey pixels with a pure power-law tone curve."""
    description = b"Grey gamma test\0"
    tags = [
        (b"desc", b"desc" + bytes(4) + struct.pack(">I", len(description)) + description + bytes(12) + bytes(67)),
        (b"wtpt", b"XYZ " + bytes(4) + _xyz(0.9642, 1.0, 0.8249)),
        (b"kTRC", b"curv" + bytes(4) + struct.pack(">IH", 1, round(gamma * 256)) + bytes(2)),
        (b"cprt", b"text" + bytes(4) + b"No copyright\0"),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for signature, body in tags:
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body + bytes(-len(body) % 4)
    size = offset + len(data)
    header = (
        struct.pack(">I4sI4s4s4s", size, b"", 0x02100000, b"mntr", b"GRAY", b"XYZ ")
        + bytes(12)
        + b"acsp"
        + bytes(24)
        + struct.pack(">I", 0)
        + _xyz(0.9642, 1.0, 0.8249)
        + bytes(48)
    )
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + data


def _xyz(x: float, y: float, z: float) -> bytes:
    return struct.pack(">iii", *(round(value * 65536) for value in (x, y, z)))
