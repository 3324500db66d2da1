"""Worst-case import per format (issue 11): the hostile files the issue met and the worst file that
still fits under every limit of gkassist/limits.py, each imported in a fresh process.

Target: every one finishes (read, or refused with the Chinese message) within 2 s and 300 MB.
Time is the import of the file with its libraries already loaded, one run, in CPU seconds (the
import is single-threaded: CPU time is what it costs, hardly changed by other processes sharing
the machine; the wall time is printed beside it); memory is
the peak resident size of the whole process (Python and the libraries included, ~50–90 MB), as
the app's import child has it. A refused file is "拒绝" with the limit that refused it; a file
read to the end is "读完" (most of these hold no report and end with "not an annual report",
which costs the same as reading one).

PDF comes closest to the target: pdfminer and pdfplumber spend ~90% of a PDF import interpreting
page content (~35 µs of CPU per character or drawing operator), and the PDF limits must still
admit a real 20-page report. The import's 10 s budget bounds every format in any case.

    python -m benchmarks.bench_limits          # the table
    python -m benchmarks.run                   # with the other benchmarks
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path

from gkassist.isolation.runner import CHILD_MEMORY
from gkassist.limits import LIMITS, MB

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS, TARGET_MB = 2.0, 300
Result = tuple[str, float, str, str]


def _cases() -> list[tuple[str, str, str, Callable[[], bytes]]]:
    """(format, what, file name, builder); builders come from tests/hostile.py."""
    from tests import hostile as h

    def docx_big_media() -> bytes:  # parts unzipping to just under the 64 MB total, each part shrunk ~150×
        rng = random.Random(1)
        block = bytes(rng.getrandbits(8) for _ in range(6800)) + b"\0" * (MB - 6800)
        media = {f"word/media/image{i}.png": block for i in range(LIMITS.docx_unzipped_bytes // MB - 2)}
        return h.docx_with_body("<w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p>".encode(), extra=media)

    def html_at_tag_limit() -> bytes:  # a real page repeated up to just under the tag limit
        page = h.big_page(LIMITS.html_bytes)
        while page.count(b"<") > LIMITS.html_tags - 100:
            page = h.big_page(len(page) * 9 // 10)
        return page

    def html_rows_at_limit() -> bytes:  # one table of as many rows as the line limit allows
        rows = "".join(f"<tr><td>第{i}项</td><td>{i}</td><td>{i * 7}</td></tr>" for i in range(LIMITS.text_lines - 50))
        return f"<html><body><p>一、总体情况</p><table>{rows}</table></body></html>".encode()

    def html_one_paragraph() -> bytes:  # the size limit in one paragraph of text (few tags)
        return b"<html><body><p>" + "一、总体情况。".encode() * (LIMITS.html_bytes // 22) + b"</p></body></html>"

    def text_at_limits() -> bytes:  # a real report repeated to just under both text limits
        one = (ROOT / "tests" / "fixtures" / "real" / "203.txt").read_text(encoding="utf-8")
        copies = min(LIMITS.text_chars // len(one), LIMITS.text_lines // (one.count("\n") + 1))
        return (one * copies).encode()

    def json_at_limits() -> bytes:  # an archive with as much text as allowed (one huge narrative)
        data = json.loads((ROOT / "gkassist" / "examples" / "example-2021.json").read_text(encoding="utf-8"))
        data["sections"]["s1"] = "本年度主动公开政府信息。" * ((LIMITS.text_chars - 20_000) // 12)
        return json.dumps(data, ensure_ascii=False).encode()

    def json_deep() -> bytes:  # thousands of branches nested as deep as allowed
        data = json.loads((ROOT / "gkassist" / "examples" / "example-2021.json").read_text(encoding="utf-8"))
        deep: object = 1
        for _ in range(LIMITS.json_depth - 4):
            deep = [deep]
        data["meta"]["extra"] = [deep] * ((LIMITS.json_containers - 100) // (LIMITS.json_depth - 4))
        return json.dumps(data).encode()

    def pdf_content_at_limit() -> bytes:  # content that draws nothing and shows few characters: q/Q and cm
        from tests.pdf_helpers import minimal_pdf

        pages = LIMITS.pdf_pages
        per_page = (LIMITS.pdf_content_bytes - 20 * 1024) // pages
        body = (b"q 1 0 0 1 0 0 cm Q\n" * (per_page // 19))[:per_page - 40] + b"BT /F1 9 Tf 20 800 Td (x) Tj ET"
        objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
        packed = zlib.compress(body)
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream")
        kids = []
        for _ in range(pages):
            objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
                           b" /Resources << /Font << /F1 3 0 R >> >> >>")
            kids.append(b"%d 0 R" % len(objects))
        objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % pages
        return minimal_pdf(objects)

    glyph_pages = 5
    return [
        ("Word", "段落洪水（问题中的文件：300万个空段落）", "flood.docx", h.paragraph_flood),
        ("Word", "压缩炸弹（问题中的文件：解压 3.1 GB）", "bomb.docx", h.zip_bomb),
        ("Word", f"上限内最多段落（{LIMITS.docx_paragraphs - 10:,} 段有文字）", "paras.docx",
         lambda: h.paragraphs_docx(LIMITS.docx_paragraphs - 10)),
        ("Word", f"上限内最多排版元素（约 {LIMITS.docx_elements - 30_000:,} 个）", "runs.docx",
         lambda: h.runs_docx(LIMITS.docx_elements - 30_000)),
        ("Word", "上限内最大解压大小（约 62 MB 的图片部件）", "media.docx", docx_big_media),
        ("网页", "问题中的 20 MB 网页", "big.html", lambda: h.big_page(20_000_000)),
        ("网页", "上限内最多标签（真实网页重复）", "tags.html", html_at_tag_limit),
        ("网页", f"上限内最多表格行（{LIMITS.text_lines - 50:,} 行）", "rows.html", html_rows_at_limit),
        ("网页", "5 MB 只有一个段落", "para.html", html_one_paragraph),
        ("网页", "嵌套 10 万层", "deep.html", lambda: h.deep_page(100_000)),
        ("网页", f"上限内最深嵌套（{LIMITS.html_depth - 3} 层）", "deep199.html", lambda: h.deep_page(LIMITS.html_depth - 3)),
        ("文本", "20 MB 文本", "big.txt", lambda: h.big_text(20 * MB - 1)),
        ("文本", "上限内最多文字（真实报告重复）", "limit.txt", text_at_limits),
        ("PDF", f"上限内最多文字（{glyph_pages} 页 × {LIMITS.pdf_glyphs // glyph_pages - 100:,} 字）", "glyphs.pdf",
         lambda: h.text_pdf(glyph_pages, LIMITS.pdf_glyphs // glyph_pages - 100)),
        ("PDF", f"{LIMITS.pdf_pages} 页满页文字", "pages.pdf", lambda: h.text_pdf(LIMITS.pdf_pages, 650)),
        ("PDF", f"上限内最多图形（5 页共 {LIMITS.pdf_paths - 50:,} 段线条和方框）", "drawing.pdf",
         lambda: h.drawing_pdf(5, (LIMITS.pdf_paths - 50) // 5)),
        ("PDF", "上限内最多页面内容（60 页，每页约 8 KB 的状态操作和文字）", "content.pdf", pdf_content_at_limit),
        ("JSON", "上限内最多文字的存档", "text.json", json_at_limits),
        ("JSON", f"上限内最深嵌套、最多列表（{LIMITS.json_depth - 1} 层）", "deep.json", json_deep),
        ("JSON", f"对象和列表超过上限（{LIMITS.json_bytes // MB} MB 的“[[]]”）", "many.json",
         lambda: b'{"meta": ' + b"[[]]," * (LIMITS.json_bytes // 5 - 10) + b"1}"),
        ("设备", "check /dev/zero", "/dev/zero", lambda: b""),
    ]


def _measure(path: str) -> dict[str, object]:
    """Import one file in a fresh process; its time, outcome and peak memory."""
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_limits", "--one", path],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env=dict(os.environ, OPENBLAS_NUM_THREADS="1"),
    )  # fmt: skip
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _one(path: str) -> None:
    """The child: load the libraries the file needs, then time the import."""
    from gkassist.importers import ReportReadError, import_file

    suffix = Path(path).suffix
    if suffix == ".pdf":
        import pdfplumber  # noqa: F401
    elif suffix == ".docx":
        import docx  # noqa: F401
    import lxml.html  # noqa: F401

    started, cpu = time.perf_counter(), time.process_time()
    try:
        result = import_file(path)
        outcome = "读完" + ("，读出报告" if result.report is not None else "")
    except ReportReadError as exc:
        message = str(exc)
        outcome = "拒绝：" + message.split("（", 1)[0] if "超过了导入上限" in message else "读完：不是年度报告"
        if "不是普通文件" in message:
            outcome = "拒绝：不是普通文件"
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peaks = {"peak_mb": _peak_mb(), "address_mb": _peak_mb("VmPeak")}
    print(json.dumps({"seconds": cpu, "wall": seconds, **peaks, "outcome": outcome}, ensure_ascii=False))


def _peak_mb(field: str = "VmHWM") -> float:
    """This process's peak resident memory (VmHWM) or address space (VmPeak, what the app's import
    child is capped by). Not getrusage's ru_maxrss: on Linux that also counts the parent's memory
    copied at fork, before exec replaced it."""
    import resource

    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_all() -> list[tuple[str, str, int, dict[str, object]]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for fmt, what, name, build in _cases():
            path = name
            size = 0
            if not name.startswith("/dev/"):
                data = build()
                size = len(data)
                path = str(Path(tmp) / name)
                Path(path).write_bytes(data)
                del data
            rows.append((fmt, what, size, _measure(path)))
            if path != name:
                os.unlink(path)
    return rows


def run() -> list[Result]:
    out: list[Result] = []
    for fmt, what, _size, m in measure_all():
        label = f"最坏输入·{fmt}：{what}（{m['outcome']}）"
        out.append((label, float(m["seconds"]), "s", f"≤ {TARGET_SECONDS:g} s"))  # type: ignore[arg-type]
        out.append(("  峰值内存（整个进程）", float(m["peak_mb"]), "MB", f"≤ {TARGET_MB} MB"))  # type: ignore[arg-type]
    return out


def main() -> None:
    started = time.perf_counter()
    rows = measure_all()
    print(f"{'格式':<4} {'输入':<44} {'文件':>9} {'CPU时间':>7} {'(墙钟)':>7} {'峰值内存':>8}  结果")
    worst_s = worst_mb = worst_address = 0.0
    for fmt, what, size, m in rows:
        seconds, peak = float(m["seconds"]), float(m["peak_mb"])  # type: ignore[arg-type]
        worst_s, worst_mb = max(worst_s, seconds), max(worst_mb, peak)
        worst_address = max(worst_address, float(m["address_mb"]))  # type: ignore[arg-type]
        flag = "" if seconds <= TARGET_SECONDS and peak <= TARGET_MB else "  ← 超出目标"
        shown = f"{size / MB:.1f} MB" if size >= MB else f"{size / 1024:.0f} KB"
        wall = float(m["wall"])  # type: ignore[arg-type]
        print(f"{fmt:<4} {what:<44} {shown:>9} {seconds:>6.2f}s ({wall:>5.2f}s) {peak:>6.0f}MB  {m['outcome']}{flag}")
    print(f"最坏：{worst_s:.2f} s，{worst_mb:.0f} MB（目标 ≤ {TARGET_SECONDS:g} s、≤ {TARGET_MB} MB）；"
          f"地址空间最大 {worst_address:.0f} MB（网页版导入子进程的上限 {CHILD_MEMORY // MB} MB）；"
          f"共用时 {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        _one(sys.argv[2])
    else:
        main()
