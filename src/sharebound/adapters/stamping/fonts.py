"""The fonts a stamp is drawn in, so that a recipient's name in any script prints as written.

One chain of fonts, tried in order for each character (the first that has it draws it):

    Noto Sans            Latin, Greek, Cyrillic          PyPI fontpkg-noto-sans
    Noto Sans Arabic     Arabic                          PyPI fontpkg-noto-sans-arabic
    Heebo                Hebrew                          PyPI fontpkg-heebo
    Droid Sans Fallback  Chinese, Japanese, Korean       Debian fonts-droid-fallback (the Makefile)

A font of the chain that is not installed is skipped; a character no installed font has is
drawn by the first font (a box), and its text still reads back from a PDF's ToUnicode map.

`runs(text)` cuts a line into runs of one font and one direction, in the order they are shown
(left to right). The line reads left to right; a run of Arabic or Hebrew letters (with the
spaces and punctuation between them) is right-to-left, shaped by HarfBuzz (uharfbuzz for PDFs,
Pillow's raqm for images). This is a simplification of the Unicode bidirectional algorithm that
is exact for names: digits inside a right-to-left run are not reordered as the algorithm would.
"""

from __future__ import annotations

import functools
import importlib.resources
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont  # type: ignore[import-untyped]  # why: it ships no type hints

DROID = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")


def _packaged(package: str, name: str) -> Path | None:
    try:
        found = importlib.resources.files(package) / "files" / name
    except ModuleNotFoundError:
        return None
    return Path(str(found))


def _chain() -> tuple[Path | None, ...]:
    return (
        _packaged("fontpkg_noto_sans", "NotoSans[wdth,wght].ttf"),
        _packaged("fontpkg_noto_sans_arabic", "NotoSansArabic[wdth,wght].ttf"),
        _packaged("fontpkg_heebo", "Heebo[wght].ttf"),
        DROID,
    )


@dataclass(frozen=True, eq=False)
class Font:
    """One font file of the chain, read once per process."""

    path: Path
    data: bytes
    characters: frozenset[int]
    glyph_order: tuple[str, ...]
    units_per_em: int

    @property
    def name(self) -> str:
        return self.path.stem.split("[")[0].replace(" ", "")


@functools.cache
def installed() -> tuple[Font, ...]:
    """The fonts of the chain that are installed, in the chain's order."""
    fonts = []
    for path in _chain():
        if path is None or not path.is_file():
            continue
        data = path.read_bytes()
        font = TTFont(path, lazy=True)
        try:
            fonts.append(Font(path, data, frozenset(font.getBestCmap()), tuple(font.getGlyphOrder()),
                              int(font["head"].unitsPerEm)))
        finally:
            font.close()
    if not fonts:
        raise RuntimeError("no stamp font is installed: reinstall sharebound (pip install -e .)")
    return tuple(fonts)


@dataclass(frozen=True)
class Run:
    text: str  # in logical (reading) order
    font: Font
    rtl: bool


def font_for(char: str, fonts: tuple[Font, ...]) -> Font:
    code = ord(char)
    for font in fonts:
        if code in font.characters:
            return font
    return fonts[0]


def runs(text: str) -> list[Run]:
    """`text` cut into runs of one font and one direction, in the order they are shown."""
    fonts = installed()
    shown: list[Run] = []
    for chars, rtl in _directional(text):
        pieces: list[Run] = []
        for char in chars:
            # why: a space or a punctuation mark stays in the run's font when that font has it
            font = pieces[-1].font if pieces and _neutral(char) and ord(char) in pieces[-1].font.characters \
                else font_for(char, fonts)
            if pieces and pieces[-1].font is font:
                pieces[-1] = Run(pieces[-1].text + char, font, rtl)
            else:
                pieces.append(Run(char, font, rtl))
        shown.extend(reversed(pieces) if rtl else pieces)
    return shown


def _directional(text: str) -> list[tuple[str, bool]]:
    """Runs of one direction: right-to-left letters and the neutrals between two of them."""
    kinds = ["R" if unicodedata.bidirectional(c) in {"R", "AL"} else
             "L" if unicodedata.bidirectional(c) == "L" else "N" for c in text]
    for index, kind in enumerate(kinds):
        if kind == "N":
            before = next((k for k in reversed(kinds[:index]) if k != "N"), "L")
            after = next((k for k in kinds[index + 1:] if k != "N"), "L")
            kinds[index] = "r" if before == after == "R" else "l"
    found: list[tuple[str, bool]] = []
    for char, kind in zip(text, kinds, strict=True):
        rtl = kind in {"R", "r"}
        if found and found[-1][1] == rtl:
            found[-1] = (found[-1][0] + char, rtl)
        else:
            found.append((char, rtl))
    return found


def _neutral(char: str) -> bool:
    return unicodedata.bidirectional(char) not in {"L", "R", "AL"}
