"""Image stamps (Pillow): the recipient's mark tiled across the picture, semi-transparent, and
the copy id in the file's metadata (a PNG text chunk; a JPEG comment and EXIF description).
The format and the pixel size stay as they were. A watermark template's line is tiled the same
way (diagonal) or drawn once along the foot or head, at its size and opacity. The mark is
drawn in the stamp fonts (`fonts.py`), so a name in any script shows as written, not as
boxes."""

from __future__ import annotations

import functools
import io
import math
import warnings
from pathlib import Path
from typing import BinaryIO

from PIL import Image, ImageDraw, ImageFont, PngImagePlugin, UnidentifiedImageError, features

from sharebound.adapters.stamping import fonts
from sharebound.adapters.stamping.errors import StampError
from sharebound.domain.stamps import Stamp
from sharebound.domain.watermark import Position, WatermarkTemplate

PNG_KEY = "SharboundCopy"
EXIF_DESCRIPTION = 0x010E  # why: EXIF's ImageDescription tag
TILE_ALPHA = 70  # why: of 255; readable, yet the picture shows through
JPEG_QUALITY = 90  # why: re-encoding loses little at 90, and the stamp stays crisp
SLANT = 30  # why: degrees; a slant that no crop can remove without cutting the picture
RAQM = bool(features.check("raqm"))  # why: Pillow built with libraqm shapes Arabic and orders RTL
A4_WIDTH_PT = 595  # why: a template's size reads as on an A4 page as wide as the picture
MAX_PIXELS = 64_000_000  # why: a 8000x8000 photo; more is a decompression bomb, not a picture


def stamp_image(source: BinaryIO, stamp: Stamp) -> bytes:
    """The image in `source` (PNG or JPEG) stamped; StampError if it cannot be read."""
    image = _open(source)
    kind = image.format
    marked = _marked(image, stamp)
    out = io.BytesIO()
    if kind == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_text(PNG_KEY, stamp.copy_id)
        info.add_text("Comment", stamp.line())
        marked.save(out, "PNG", pnginfo=info)
    else:
        exif = image.getexif()
        exif[EXIF_DESCRIPTION] = stamp.line()
        marked.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY, exif=exif,
                                   comment=stamp.line().encode("utf-8"))
    return out.getvalue()


def stamped_png(source: BinaryIO, stamp: Stamp) -> bytes:
    """The stamped image re-encoded as PNG (what the browser shows for view only)."""
    image = _open(source)
    out = io.BytesIO()
    info = PngImagePlugin.PngInfo()
    info.add_text(PNG_KEY, stamp.copy_id)
    _marked(image, stamp).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def copy_id_in_metadata(source: BinaryIO) -> str | None:
    """The copy id an image's metadata carries, as written (the caller checks it)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(source)
        with image:
            if image.format == "PNG":
                text = getattr(image, "text", {})
                return text.get(PNG_KEY) or text.get("Comment")
            comment = image.info.get("comment")
            if isinstance(comment, bytes):
                return comment.decode("utf-8", errors="replace")
            described = image.getexif().get(EXIF_DESCRIPTION)
            return str(described) if described else None
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):
        return None


def _open(source: BinaryIO) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(source)
        if image.format not in {"PNG", "JPEG"}:
            raise StampError("the image is neither PNG nor JPEG: it cannot be stamped")
        if image.width * image.height > MAX_PIXELS:
            raise StampError("the image is too large to stamp")
        image.load()
        return image
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise StampError("the image is too large to stamp") from error
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise StampError("the image is damaged: it cannot be stamped") from error


def _marked(image: Image.Image, stamp: Stamp) -> Image.Image:
    """The image with the stamp drawn on it: today's tiled mark, or the template's."""
    if stamp.template is None:
        return _tiled(image, stamp)
    return _templated(image, stamp, stamp.template)


def _templated(image: Image.Image, stamp: Stamp, template: WatermarkTemplate) -> Image.Image:
    """The template's line, sized as on an A4 page whose width is the picture's shorter side:
    tiled across it (diagonal), or once along its foot or its head."""
    base = image.convert("RGBA")
    text = stamp.line()
    alpha = max(1, round(255 * template.opacity))
    size = max(8, round(template.size * min(base.width, base.height) / A4_WIDTH_PT))
    if template.position is Position.DIAGONAL:
        base = _tile(base, text + "     ", size, alpha)
    else:
        margin = max(2, size // 2)
        width = _width(text, size)
        if width > base.width - 2 * margin:  # why: the whole line must show; shrink to fit
            size = max(6, size * (base.width - 2 * margin) // width)
        flat = _line(text, size, alpha)
        top = margin if template.position is Position.HEADER else base.height - flat.height - margin // 2
        left = margin
        base.alpha_composite(flat, dest=(max(0, left), max(0, top)),
                             source=(0, 0, min(flat.width, base.width - max(0, left)),
                                     min(flat.height, base.height - max(0, top))))
    if image.mode in {"RGB", "L"}:
        return base.convert(image.mode)
    return base


def _tiled(image: Image.Image, stamp: Stamp) -> Image.Image:
    """The image with the mark tiled over it, at 30 degrees, in the image's own mode where it can.

    One mark is drawn and turned once, then laid at each place of a turned grid: memory and
    time grow with the picture, not with the square on its diagonal that a turned sheet of
    marks would need (a 50-megapixel photo took 2 GB and 12 s that way).
    """
    base = image.convert("RGBA")
    size = max(12, min(base.width, base.height) // 18)  # why: legible on a thumbnail and a poster
    base = _tile(base, stamp.short() + "     ", size, TILE_ALPHA)
    if image.mode in {"RGB", "L"}:
        return base.convert(image.mode)
    return base


def _tile(base: Image.Image, text: str, size: int, alpha: int) -> Image.Image:
    """`base` (RGBA) with `text` laid at each place of a grid turned by SLANT degrees."""
    mark = _mark(text, size, alpha)
    width = _width(text, size)
    turn = math.radians(SLANT)
    cos, sin = math.cos(turn), math.sin(turn)
    centre_x, centre_y = base.width / 2, base.height / 2
    reach = math.hypot(base.width, base.height) / 2 + max(mark.size)
    rows, columns = math.ceil(reach / (size * 4)), math.ceil(reach / width) + 1
    for row in range(-rows, rows + 1):  # why: rows four text heights apart
        v = row * size * 4
        for column in range(-columns, columns + 1):
            u = column * width - (row % 2) * width / 2  # why: every other row by half a mark
            # (u, v) turned counter-clockwise on the screen (y grows downwards), about the centre
            x, y = centre_x + u * cos + v * sin, centre_y - u * sin + v * cos
            left, top = round(x - mark.width / 2), round(y - mark.height / 2)
            if left < base.width and top < base.height and left + mark.width > 0 and top + mark.height > 0:
                base.alpha_composite(mark, dest=(max(0, left), max(0, top)),
                                     source=(max(0, -left), max(0, -top)))
    return base


def _mark(text: str, size: int, alpha: int = TILE_ALPHA) -> Image.Image:
    """One mark: the text, dark with a light shadow, semi-transparent, turned by SLANT degrees."""
    return _line(text, size, alpha).rotate(SLANT, resample=Image.Resampling.BICUBIC, expand=True)


def _line(text: str, size: int, alpha: int) -> Image.Image:
    """The text, dark with a light shadow, `alpha` of 255 opaque, flat."""
    flat = Image.new("RGBA", (_width(text, size) + 2, size * 2), (0, 0, 0, 0))  # why: room for descenders
    draw = ImageDraw.Draw(flat)
    baseline = round(size * 1.3)  # why: the stamp fonts' ascent is about 1.07 em, CJK's about 1.2
    for dx, dy, fill in ((1, 1, (255, 255, 255, alpha)), (0, 0, (30, 30, 30, alpha))):
        x = float(dx)
        for run in fonts.runs(text):
            font, shown, direction = _font(run.font.path, size), *_directed(run)
            draw.text((x, baseline + dy), shown, font=font, fill=fill, anchor="ls", direction=direction)
            x += font.getlength(shown, direction=direction)
    return flat


def _width(text: str, size: int) -> int:
    total = 0.0
    for run in fonts.runs(text):
        shown, direction = _directed(run)
        total += _font(run.font.path, size).getlength(shown, direction=direction)
    return max(1, math.ceil(total))


def _directed(run: fonts.Run) -> tuple[str, str | None]:
    """The run's text and direction for Pillow: shaped by raqm where Pillow has it, else only
    put in visual order (Arabic letters then stay unjoined)."""
    if not run.rtl:
        return run.text, ("ltr" if RAQM else None)
    return (run.text, "rtl") if RAQM else (run.text[::-1], None)


@functools.lru_cache(maxsize=64)
def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    engine = ImageFont.Layout.RAQM if RAQM else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(path), size, layout_engine=engine)
