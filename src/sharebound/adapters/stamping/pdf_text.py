"""A stamp's text in a PDF: shaped by HarfBuzz, drawn in embedded subsets of the stamp fonts.

Each font of `fonts.installed()` that a stamp uses is embedded once per copy as a Type0 font
(CIDFontType2, Identity-H), subset by fontTools to the glyphs the stamp draws (a CJK font is
4 MB whole; its subset for a name is a few KB), with a ToUnicode map so that the stamp stays
extractable text: the gate, `sharebound trace` and a reader's search read it back.

    Typeset(pdf, texts)          shapes the texts, embeds the fonts they need
    .line(text) -> Line          what to draw: width in em and the TJ operators per font

What depends only on the fonts and the text is computed once per process and cached: the
glyphs of each word as shaped (a stamp differs from the last one in its copy id, not in its
words), the subset font programs, and everything a Type0 font's objects hold (the font
program and ToUnicode map already Flate-compressed, which pikepdf writes as they are); a
copy only makes the objects.
"""

from __future__ import annotations

import functools
import io
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

import uharfbuzz as hb  # type: ignore[import-untyped]  # why: it ships no type hints
from fontTools import subset  # type: ignore[import-untyped]  # why: it ships no type hints
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]  # why: it ships no type hints
from pikepdf import Array, Dictionary, Name, Object, Pdf, String

from sharebound.adapters.stamping.fonts import Font, Run, installed, runs

# why: the glyphs of ASCII and the stamp's own "·" are always in the first font's subset,
# so that stamps differing only in their copy id or a Latin name reuse one cached subset
BASE = "".join(chr(c) for c in range(32, 127)) + "\u00b7"
SUBSETS_CACHED = 64  # why: a few hundred KB at most; a busy disclosure's names hit it again
WORDS_CACHED = 4096  # why: a few hundred bytes each; the words of every stamp a process makes
_WORD = re.compile(r"\S+|\s+")  # why: shaped word by word, so that only the new words are shaped


@dataclass(frozen=True)
class Glyph:
    gid: int  # in the font
    advance: float  # in em
    text: str  # the characters it stands for ("" for the second glyph of a cluster)


@dataclass(frozen=True)
class Line:
    width: float  # in em at size 1
    pieces: tuple[tuple[Font, tuple[Glyph, ...]], ...]


@dataclass(frozen=True)
class _Subset:
    data: bytes
    new_gid: dict[int, int]
    widths: dict[int, float]  # new gid -> advance width in 1/1000 em


class Typeset:
    """The stamp fonts for one PDF: the texts shaped, the fonts it needs added to `pdf`."""

    def __init__(self, pdf: Pdf, texts: Iterable[str]) -> None:
        self.lines = {text: Line(*_line(text)) for text in texts}
        used: dict[Font, set[int]] = {}
        for line in self.lines.values():
            for font, glyphs in line.pieces:
                used.setdefault(font, set()).update(g.gid for g in glyphs)
        first = installed()[0]
        used.setdefault(first, set()).update(_base_gids())
        self.fonts: dict[Font, Object] = {}
        self._subsets: dict[Font, _Subset] = {}
        texts_of: dict[Font, dict[int, str]] = {}
        for line in self.lines.values():
            for font, glyphs in line.pieces:
                for glyph in glyphs:
                    texts_of.setdefault(font, {}).setdefault(glyph.gid, glyph.text)
        for font, gids in used.items():
            frozen = frozenset(gids)
            made = _subset(font, frozen)
            self._subsets[font] = made
            mapped = _glyph_texts(font, frozen)
            for gid, text in texts_of.get(font, {}).items():  # as shaped: a ligature, a cluster's tail
                if text:
                    mapped[gid] = text
                else:
                    mapped.pop(gid, None)
            self.fonts[font] = _type0(pdf, _embedding(font, frozen, tuple(sorted(mapped.items()))))

    def operators(self, text: str, names: dict[Font, str], size: float) -> bytes:
        """`Tf` and `TJ` operators drawing `text` from the current point (inside BT/ET)."""
        out = []
        for font, glyphs in self.lines[text].pieces:
            made = self._subsets[font]
            parts = []
            for glyph in glyphs:
                new = made.new_gid[glyph.gid]
                parts.append(b"<%04x>" % new)
                drift = made.widths.get(new, 0) - glyph.advance * 1000  # why: HarfBuzz's kerning
                if abs(drift) > 0.5:
                    parts.append(b"%.1f" % drift)
            out.append(b"/" + names[font][1:].encode() + b" %.4f Tf [" % size + b" ".join(parts) + b"] TJ")
        return b" ".join(out)


def _line(text: str) -> tuple[float, tuple[tuple[Font, tuple[Glyph, ...]], ...]]:
    pieces = tuple((run.font, _shape(run)) for run in runs(text))
    return sum(g.advance for _, glyphs in pieces for g in glyphs), pieces


def _shape(run: Run) -> tuple[Glyph, ...]:
    """The run's glyphs in the order they are shown: its words shaped one by one (letters
    join and kern within a word; a space breaks both), right to left for a right-to-left run."""
    words = [_shape_word(run.font, word, run.rtl) for word in _WORD.findall(run.text)]
    return tuple(glyph for word in (reversed(words) if run.rtl else words) for glyph in word)


@functools.lru_cache(maxsize=WORDS_CACHED)
def _shape_word(font: Font, word: str, rtl: bool) -> tuple[Glyph, ...]:
    buffer = hb.Buffer()
    buffer.add_str(word)
    buffer.guess_segment_properties()
    buffer.direction = "rtl" if rtl else "ltr"
    hb.shape(_hb_font(font), buffer, {})
    clusters = sorted({info.cluster for info in buffer.glyph_infos})
    ends = dict(zip(clusters, [*clusters[1:], len(word)], strict=True))
    seen: set[int] = set()
    glyphs = []
    for info, position in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True):
        text = "" if info.cluster in seen else word[info.cluster:ends[info.cluster]]
        seen.add(info.cluster)
        glyphs.append(Glyph(info.codepoint, position.x_advance / font.units_per_em, text))
    return tuple(glyphs)


@functools.cache
def _hb_font(font: Font) -> hb.Font:
    return hb.Font(hb.Face(hb.Blob(font.data)))


@functools.cache
def _cmap_texts(font: Font) -> dict[int, str]:
    """Each glyph of `font` that one character maps to, and that character (the lowest)."""
    parsed = TTFont(io.BytesIO(font.data), lazy=True)
    order = {name: gid for gid, name in enumerate(font.glyph_order)}
    found: dict[int, str] = {}
    for code, name in sorted(parsed.getBestCmap().items(), reverse=True):
        found[order[name]] = chr(code)
    return found


def _glyph_texts(font: Font, gids: frozenset[int]) -> dict[int, str]:
    """What the glyphs stand for by the font's own map: the same for every stamp that draws
    the same glyphs, so that its ToUnicode map (and the cached embedding) is shared too."""
    known = _cmap_texts(font)
    return {gid: known[gid] for gid in gids if gid in known}


@functools.cache
def _base_gids() -> frozenset[int]:
    first = installed()[0]
    font = TTFont(io.BytesIO(first.data), lazy=True)
    cmap = font.getBestCmap()
    order = {name: gid for gid, name in enumerate(first.glyph_order)}
    return frozenset(order[cmap[ord(c)]] for c in BASE if ord(c) in cmap)


# why: what a static copy of the default instance needs not; dropping them once makes each
# subset 20 times faster (a variable Noto Sans took 2.3 s, most of it in its variations)
_NOT_EMBEDDED = ("fvar", "gvar", "avar", "HVAR", "MVAR", "STAT", "cvar", "GSUB", "GPOS", "GDEF",
                 "fpgm", "prep", "cvt ", "hdmx", "vhea", "vmtx", "DSIG", "gasp")


@functools.cache
def _lean(font: Font) -> bytes:
    """The font without what an embedded copy of its default instance does not use."""
    source = TTFont(io.BytesIO(font.data))
    for tag in _NOT_EMBEDDED:
        if tag in source:
            del source[tag]
    out = io.BytesIO()
    source.save(out)
    return out.getvalue()


@functools.lru_cache(maxsize=SUBSETS_CACHED)
def _subset(font: Font, gids: frozenset[int]) -> _Subset:
    options = subset.Options()
    options.layout_features = []  # why: the text is shaped already; GSUB/GPOS are not needed
    options.hinting = False
    options.notdef_outline = True
    options.name_IDs = [1, 2]
    source = TTFont(io.BytesIO(_lean(font)))
    subsetter = subset.Subsetter(options)
    subsetter.populate(gids=sorted(gids | {0}))
    subsetter.subset(source)
    order = {name: gid for gid, name in enumerate(source.getGlyphOrder())}
    new_gid = {gid: order[font.glyph_order[gid]] for gid in gids if font.glyph_order[gid] in order}
    scale = 1000 / font.units_per_em
    metrics = source["hmtx"].metrics
    widths = {new: metrics[name][0] * scale for name, new in order.items()}
    out = io.BytesIO()
    source.save(out)
    return _Subset(out.getvalue(), new_gid, widths)


@dataclass(frozen=True)
class _Embedding:
    """What a Type0 font's objects hold, computed once per font, glyphs and their texts."""

    name: str
    program: bytes  # the subset font program, Flate-compressed
    program_length: int  # its length before compression (/Length1)
    bbox: tuple[int, int, int, int]
    ascent: int
    descent: int
    widths: bytes  # the /W array, written out
    to_unicode: bytes  # the ToUnicode CMap, Flate-compressed


@functools.lru_cache(maxsize=SUBSETS_CACHED)
def _embedding(font: Font, gids: frozenset[int], texts: tuple[tuple[int, str], ...]) -> _Embedding:
    made = _subset(font, gids)
    parsed = TTFont(io.BytesIO(made.data), lazy=True)
    head, hhea = parsed["head"], parsed["hhea"]
    scale = 1000 / font.units_per_em
    widths = b" ".join(b"%d [%d]" % (gid, round(made.widths[gid])) for gid in sorted(made.widths))
    mapped = {made.new_gid[gid]: text for gid, text in texts if text and gid in made.new_gid}
    return _Embedding(
        # why: a subset's name starts with six capitals and "+" (PDF 32000 9.6.4)
        name="/SBSTMP+" + font.name, program=zlib.compress(made.data), program_length=len(made.data),
        bbox=(round(head.xMin * scale), round(head.yMin * scale), round(head.xMax * scale),
              round(head.yMax * scale)),
        ascent=round(hhea.ascent * scale), descent=round(hhea.descent * scale),
        widths=b"[" + widths + b"]", to_unicode=zlib.compress(_to_unicode(mapped)))


def _type0(pdf: Pdf, made: _Embedding) -> Object:
    name = Name(made.name)
    file = pdf.make_stream(b"")
    file.write(made.program, filter=Name.FlateDecode)  # why: compressed once per process, written as is
    file.Length1 = made.program_length
    descriptor = pdf.make_indirect(Dictionary(
        Type=Name.FontDescriptor, FontName=name, Flags=4,  # why: 4 = symbolic, for a CID font
        FontBBox=Array(list(made.bbox)), ItalicAngle=0, Ascent=made.ascent, Descent=made.descent,
        CapHeight=made.ascent, StemV=80, FontFile2=file))
    cid = pdf.make_indirect(Dictionary(
        Type=Name.Font, Subtype=Name.CIDFontType2, BaseFont=name, FontDescriptor=descriptor,
        CIDSystemInfo=Dictionary(Registry=String("Adobe"), Ordering=String("Identity"), Supplement=0),
        CIDToGIDMap=Name.Identity, W=Object.parse(made.widths), DW=1000))
    to_unicode = pdf.make_stream(b"")
    to_unicode.write(made.to_unicode, filter=Name.FlateDecode)
    return pdf.make_indirect(Dictionary(
        Type=Name.Font, Subtype=Name.Type0, BaseFont=name, Encoding=Name("/Identity-H"),
        DescendantFonts=Array([cid]), ToUnicode=to_unicode))


def _to_unicode(mapped: dict[int, str]) -> bytes:
    lines = [b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
             b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
             b"1 begincodespacerange <0000> <FFFF> endcodespacerange"]
    items = sorted(mapped.items())
    for start in range(0, len(items), 100):  # why: at most 100 entries a block (PDF 32000 9.10.3)
        block = items[start:start + 100]
        lines.append(b"%d beginbfchar" % len(block))
        lines.extend(b"<%04x> <%s>" % (gid, text.encode("utf-16-be").hex().encode()) for gid, text in block)
        lines.append(b"endbfchar")
    lines += [b"endcmap CMapName currentdict /CMap defineresource pop end end"]
    return b"\n".join(lines)
