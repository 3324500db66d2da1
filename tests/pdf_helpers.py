"""Synthetic PDF input for the PDF importer's tests: glyphs placed like a PDF places them,
and tiny hand-written PDF files for the damaged and hostile cases."""

from __future__ import annotations

import io
import zlib

from gkassist.importers.pdf.glyphs import Glyph, TextLine, lead_width, spell, text_lines


def glyph_run(text: str, x: float, top: float, size: float = 16.0, gap: float = 0.0) -> list[Glyph]:
    """Glyphs of ``text`` from x on one line: Chinese a full em wide, Latin half; ``gap``
    points of justification room after every glyph; a space is a space glyph."""
    out: list[Glyph] = []
    for ch in text:
        width = size * (0.5 if ch.isascii() else 1.0)
        out.append(Glyph(ch, x, x + width, top, top + size, size))
        x += width + gap
    return out


def line(text: str, x0: float, top: float, page: int = 1, size: float = 16.0, x1: float | None = None) -> TextLine:
    """A visual line as text_lines makes it; x1 defaults to the text's natural width."""
    glyphs = glyph_run(text, x0, top, size)
    spelled, wide = spell(glyphs)
    end = x1 if x1 is not None else glyphs[-1].x1
    return TextLine(
        spelled, x0, end, top, top + size, size, page, wide, lead_width([g for g in glyphs if g.text.strip()])
    )


def lines_of(glyphs: list[Glyph]) -> list[str]:
    return [ln.text for ln in text_lines(glyphs, 1)]


def minimal_pdf(objects: list[bytes]) -> bytes:
    """A PDF file from its numbered objects (1 is the catalog), with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def zero_page_pdf() -> bytes:
    return minimal_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


def inflating_pdf(inflated: int) -> bytes:
    """One page whose content stream is small on disk and ``inflated`` bytes when decompressed."""
    packed = zlib.compress(b" " * inflated, 9)
    return minimal_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream",
        ]
    )


def image_pdf(pages: int = 1) -> bytes:
    """Pages that are only a picture, as a scanner makes them (Pillow writes no text layer)."""
    from PIL import Image, ImageDraw

    images = []
    for _ in range(pages):
        im = Image.new("RGB", (595, 842), "white")
        draw = ImageDraw.Draw(im)
        for y in range(100, 760, 28):  # grey bars where lines of text would be
            draw.rectangle((74, y, 518, y + 14), fill=(90, 90, 90))
        images.append(im)
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:], resolution=72)
    return out.getvalue()


def ruled_pdf(lines: int) -> bytes:
    """One page drawn over with ``lines`` horizontal and as many vertical rules."""
    step = 700 / lines
    rules = [b"50 %.2f m 550 %.2f l S" % (70 + i * step, 70 + i * step) for i in range(lines)]
    rules += [b"%.2f 70 m %.2f 770 l S" % (50 + i * 500 / lines, 50 + i * 500 / lines) for i in range(lines)]
    content = b"\n".join(rules)
    return minimal_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        ]
    )


def unmapped_font_pdf(glyphs: int = 60) -> bytes:
    """Text in a font that does not say which characters its glyphs are (no ToUnicode):
    every glyph extracts as "(cid:N)"."""
    codes = b"".join(b"%04X" % (i + 1) for i in range(glyphs))
    content = b"BT /F1 12 Tf 100 700 Td <" + codes + b"> Tj ET"
    return minimal_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type0 /BaseFont /FakeSong /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
            b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /FakeSong /DW 1000 /FontDescriptor 7 0 R"
            b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
            b"<< /Type /FontDescriptor /FontName /FakeSong /FontBBox [0 -120 1000 880] /Flags 4"
            b" /Ascent 880 /Descent -120 /CapHeight 700 /ItalicAngle 0 /StemV 80 >>",
        ]
    )
