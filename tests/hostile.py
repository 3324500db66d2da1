"""Hostile and oversized inputs, built in memory (small on disk or not written at all), for the
limit tests (tests/test_limits.py) and the worst-case benchmark (benchmarks/bench_limits.py).

Each builder makes one shape the issue met or one that sits just under a limit:
- ``paragraph_flood``: a .docx holding millions of empty paragraphs (428 KB took 13 min, 2.6 GB);
- ``zip_bomb``: a .docx with a part that inflates to gigabytes (1.5 MB → 3.1 GB), its deflate
  stream made of one repeated flushed block, so even a 3 GB part costs milliseconds to build;
- ``lying_zip``: a .docx whose zip directory understates a part's size;
- ``docx_with_body``: any body XML inside a real python-docx package;
- ``big_page`` / ``deep_page``: HTML pages of a given size or nesting.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL_PAGE = ROOT / "tests" / "fixtures" / "real" / "201.html"
REAL_TEXT = ROOT / "tests" / "fixtures" / "real" / "203.txt"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@lru_cache(maxsize=1)
def _template() -> dict[str, bytes]:
    """The parts of python-docx's own empty document, by name."""
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    with zipfile.ZipFile(buf) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def docx_with_body(body_xml: bytes, extra: dict[str, bytes] | None = None, level: int = 6) -> bytes:
    """A .docx whose <w:body> holds ``body_xml``, deflated. ``extra`` parts under word/media/ are
    images of the document (related to it, so python-docx loads them as it loads real ones)."""
    out = io.BytesIO()
    images = [name for name in (extra or {}) if name.startswith("word/media/")]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for name, data in _template().items():
            if name == "word/document.xml":
                head, _, _ = data.partition(b"<w:body>")
                data = head + b"<w:body>" + body_xml + b"<w:sectPr/></w:body></w:document>"
            elif name == "word/_rels/document.xml.rels" and images:
                rels = "".join(
                    f'<Relationship Id="rIdImg{i}" Target="{n.removeprefix("word/")}" '
                    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"/>'
                    for i, n in enumerate(images)
                )
                data = data.replace(b"</Relationships>", rels.encode() + b"</Relationships>")
            elif name == "[Content_Types].xml" and images:
                data = data.replace(b"</Types>", b'<Default Extension="png" ContentType="image/png"/></Types>')
            zf.writestr(name, data)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return out.getvalue()


def paragraph_flood(paragraphs: int = 3_000_000) -> bytes:
    """The issue's .docx: a title and then millions of empty paragraphs."""
    title = "<w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p>".encode()
    return docx_with_body(title + b"<w:p/>" * paragraphs, level=9)


def paragraphs_docx(paragraphs: int, text: str = "一、总体情况　本年度共收到申请 12 件。") -> bytes:
    """A .docx with ``paragraphs`` paragraphs of text (varied, so it zips like a real one)."""
    rng = random.Random(paragraphs)
    parts = [f'<w:p w:rsidR="{rng.getrandbits(32):08X}"><w:r><w:t>{text}{i}</w:t></w:r></w:p>' for i in range(paragraphs)]
    return docx_with_body("".join(parts).encode())


def runs_docx(elements: int) -> bytes:
    """A .docx of about ``elements`` XML elements: few paragraphs, each of many formatted runs."""
    rng = random.Random(elements)
    run = '<w:r><w:rPr><w:b/></w:rPr><w:t>{}</w:t></w:r>'  # 4 elements
    paras = []
    per_para = 500
    for _ in range(max(1, elements // (4 * per_para))):
        paras.append("<w:p>" + "".join(run.format(rng.randint(0, 999)) for _r in range(per_para)) + "</w:p>")
    return docx_with_body("".join(paras).encode())


# ---------------------------------------------------------------------------- raw zips


def _zip(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip from (name, stored data, method, crc, declared unzipped size) with nothing checked."""
    out = io.BytesIO()
    central = []
    for name, data, method, crc, size in members:
        offset = out.tell()
        encoded = name.encode()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(data), size, len(encoded), 0))
        out.write(encoded + data)
        entry = (0x02014B50, 20, 20, 0, method, 0, 0x21, crc, len(data), size, len(encoded), 0, 0, 0, 0, 0, offset)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", *entry) + encoded)
    start = out.tell()
    out.write(b"".join(central))
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), out.tell() - start, start, 0))
    return out.getvalue()


def _raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def _template_members() -> list[tuple[str, bytes, int, int, int]]:
    return [(n, _raw_deflate(d), 8, zlib.crc32(d), len(d)) for n, d in _template().items()]


def zeros_deflated(size: int) -> tuple[bytes, int]:
    """A raw deflate stream of ``size`` zero bytes and its CRC-32 (0 above 64 MB: not worth the time).
    One mebibyte is deflated once with a full flush (which resets the compressor, so the block
    is the same every time) and repeated."""
    mib = 1024 * 1024
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(b"\0" * mib) + packer.flush(zlib.Z_FULL_FLUSH)
    whole, rest = divmod(size, mib)
    tail = zlib.compressobj(9, zlib.DEFLATED, -15)
    stream = block * whole + tail.compress(b"\0" * rest) + tail.flush()
    crc = zlib.crc32(b"\0" * size) if size <= 64 * mib else 0
    return stream, crc


def zip_bomb(inflated: int = 3_100_000_000) -> bytes:
    """A real Word package plus one image part that inflates to ``inflated`` bytes."""
    stream, crc = zeros_deflated(inflated)
    return _zip([*_template_members(), ("word/media/image1.png", stream, 8, crc, inflated)])


def lying_zip(inflated: int = 200 * 1024 * 1024, declared: int = 1000) -> bytes:
    """A Word package whose directory says a part is ``declared`` bytes; it inflates to ``inflated``."""
    stream, crc = zeros_deflated(inflated)
    return _zip([*_template_members(), ("word/media/image1.png", stream, 8, crc, declared)])


def many_members(count: int) -> bytes:
    return docx_with_body(b"<w:p/>", extra={f"word/media/i{i}.png": b"x" for i in range(count)})


# ---------------------------------------------------------------------------- HTML and text


def big_page(size: int) -> bytes:
    """A real portal page repeated to ``size`` bytes (the issue's 20 MB page)."""
    page = REAL_PAGE.read_bytes()
    head, _, body = page.partition(b"<body")
    body = b"<div" + body.rsplit(b"</body>", 1)[0].partition(b">")[2] + b"</div>"
    return head + b"<body>" + body * max(1, (size - len(head)) // len(body)) + b"</body></html>"


def deep_page(depth: int) -> bytes:
    return b"<html><body>" + b"<div>" * depth + "一、总体情况".encode() + b"</div>" * depth + b"</body></html>"


def big_text(size: int) -> bytes:
    """A real report's text repeated to ``size`` bytes."""
    text = REAL_TEXT.read_bytes()
    return text * max(1, size // len(text))


# ---------------------------------------------------------------------------- PDF


def text_pdf(pages: int, glyphs_per_page: int) -> bytes:
    """A PDF of ``pages`` pages, each densely set with ``glyphs_per_page`` characters of text in
    a standard font (lines of digits and letters, as a table-heavy page has them), deflated."""
    from tests.pdf_helpers import minimal_pdf

    per_line = 120
    lines = max(1, glyphs_per_page // per_line)
    leading = 780 / lines
    size = max(1.0, min(8.0, leading))
    rng = random.Random(glyphs_per_page)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    font = 3
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    kids = []
    for _ in range(pages):
        text = [b"BT /F1 %.2f Tf %.2f TL 20 810 Td" % (size, leading)]
        for _ in range(lines):
            row = "".join(rng.choice("0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(per_line))
            text.append(b"(" + row.encode() + b") Tj T*")
        text.append(b"ET")
        packed = zlib.compress(b"\n".join(text), 6)
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream")
        content = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R"
            b" /Resources << /Font << /F1 %d 0 R >> >> >>" % (content, font)
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % pages
    return minimal_pdf(objects)


def _boxes_and_lines(rng: random.Random, paths: int) -> bytes:
    """Content drawing ``paths`` path pieces: small filled boxes and stroked lines."""
    ops: list[bytes] = []
    count = 0
    while count < paths:
        x, y = rng.uniform(20, 560), rng.uniform(20, 800)
        if rng.random() < 0.5 or paths - count < 2:
            ops.append(b"%.1f %.1f %.1f %.1f re f\n" % (x, y, rng.uniform(1, 30), rng.uniform(1, 30)))
            count += 1
        else:
            ops.append(b"%.1f %.1f m %.1f %.1f l S\n" % (x, y, x + rng.uniform(-40, 40), y + rng.uniform(-40, 40)))
            count += 2
    return b"".join(ops)


def drawing_pdf(pages: int, paths_per_page: int) -> bytes:
    """A PDF of ``pages`` pages, each drawing ``paths_per_page`` path pieces (small boxes and
    lines: what a chart or a heavily ruled table is made of), deflated."""
    from tests.pdf_helpers import minimal_pdf

    rng = random.Random(paths_per_page)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    for _ in range(pages):
        packed = zlib.compress(_boxes_and_lines(rng, paths_per_page), 6)
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream")
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R >>" % len(objects))
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % pages
    return minimal_pdf(objects)


def form_pdf(draws: int, form_paths: int) -> bytes:
    """One page that draws the same form ``draws`` times; the form draws ``form_paths`` pieces."""
    from tests.pdf_helpers import minimal_pdf

    page = b"".join(b"q 1 0 0 1 %d 0 cm /F1 Do Q\n" % (i % 50) for i in range(draws))
    form = _boxes_and_lines(random.Random(form_paths), form_paths)
    return minimal_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            b" /Resources << /XObject << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(page) + page + b"\nendstream",
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Length %d >>\nstream\n" % len(form) + form + b"\nendstream",
        ]
    )
