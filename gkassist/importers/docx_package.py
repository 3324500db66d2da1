"""A .docx is a zip of XML parts: checked against the limits before python-docx opens it.

python-docx unzips every part into memory and parses the XML parts whole, so a small file can
cost gigabytes (a 1.5 MB zip that inflates to 3.1 GB; 428 KB of 3 million empty paragraphs).
Two passes, both stopping at the first limit passed:
1. the zip's directory, nothing unzipped: how many parts, their declared unzipped sizes and
   how much each shrank (a part that shrank 1000× is a bomb, XML shrinks 5–20×);
2. the parts unzipped as a stream, chunk by chunk, never kept: the bytes actually coming out
   (the directory's sizes can lie), the XML elements and the body's paragraphs.
python-docx then unzips the same parts again, now known to be within the limits.
"""

from __future__ import annotations

import io
import re
import zipfile

from gkassist import limits
from gkassist.importers.result import ReportReadError
from gkassist.limits import ADVICE_RESAVE_WORD, ADVICE_WRONG_FILE, MB, human_size, over_limit

BODY = "word/document.xml"
CHUNK = 256 * 1024
_RATIO_FLOOR = MB  # small parts may shrink a lot (a run of spaces); only large ones are judged
_PARAGRAPH = re.compile(rb"<w:p[\s>/]")  # a paragraph's start tag (not <w:pPr>, <w:proofErr>)
_ADVICE = ADVICE_WRONG_FILE + ADVICE_RESAVE_WORD
_DAMAGED = "Word 文件已损坏（压缩包内容与目录不符），无法读取。请在 Word 中打开后重新保存为 .docx 再导入。"


def check_package(data: bytes) -> None:
    """Raise ReportReadError (Chinese) when the .docx is past a limit or its zip is damaged."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = [i for i in zf.infolist() if not i.is_dir()]
            _check_directory(infos)
            _check_stream(zf, infos)
    except ReportReadError:
        raise
    except Exception:  # zipfile and zlib fail in many ways on damaged or lying archives
        raise ReportReadError(_DAMAGED) from None


def _check_directory(infos: list[zipfile.ZipInfo]) -> None:
    cap = limits.LIMITS
    if len(infos) > cap.docx_members:
        raise ReportReadError(over_limit("Word 文件中的部件数量", f"{len(infos):,} 个", f"{cap.docx_members:,} 个", _ADVICE))
    declared = sum(i.file_size for i in infos)
    if declared > cap.docx_unzipped_bytes:
        raise _too_big(declared)
    for info in infos:
        if info.file_size > _RATIO_FLOOR and info.file_size > cap.docx_ratio * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise ReportReadError(
                over_limit(
                    f"Word 文件中“{info.filename}”的压缩比", f"{ratio:,} 倍", f"{cap.docx_ratio} 倍",
                    "这不是正常的 Word 文档（可能是恶意构造的“压缩炸弹”），请检查是否选错了文件。",
                )
            )


def _check_stream(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    cap = limits.LIMITS
    total = elements = paragraphs = 0
    for info in infos:
        xml = info.filename.endswith((".xml", ".rels"))
        body = info.filename == BODY
        seen = 0
        tail = b""  # the last bytes of the previous chunk: a paragraph tag may straddle two chunks
        with zf.open(info) as part:
            while chunk := part.read(CHUNK):
                seen += len(chunk)
                total += len(chunk)
                if seen > info.file_size:  # zipfile stops at the declared size; never trust it alone
                    raise ReportReadError(_DAMAGED)
                if total > cap.docx_unzipped_bytes:
                    raise _too_big(total)
                if xml:
                    elements += chunk.count(b"<") - chunk.count(b"</")  # start tags only
                    if elements > cap.docx_elements:
                        raise ReportReadError(
                            over_limit("Word 文件中的排版元素", f"至少 {elements:,} 个", f"{cap.docx_elements:,} 个", _ADVICE)
                        )
                if body:
                    paragraphs += len(_PARAGRAPH.findall(tail + chunk))
                    tail = chunk[-4:]
                    if paragraphs > cap.docx_paragraphs:
                        raise ReportReadError(
                            over_limit("Word 文件中的段落数量", f"至少 {paragraphs:,} 段", f"{cap.docx_paragraphs:,} 段", _ADVICE)
                        )


def _too_big(size: int) -> ReportReadError:
    cap = limits.LIMITS.docx_unzipped_bytes
    return ReportReadError(over_limit("Word 文件解压后的大小", human_size(size), human_size(cap), _ADVICE))
