"""The .docx opens in LibreOffice and prints every table value (needs the apt packages
libreoffice-writer-nogui and poppler-utils). Page images go to out/artefacts/ for review."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from gkassist.export.docx import render_docx
from tests.test_publish_roundtrip import distinctive_report
from tests.tools import require_tool

pytestmark = pytest.mark.office

ARTEFACTS = Path(__file__).resolve().parent.parent / "out" / "artefacts"
FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
{aliases}
</fontconfig>
"""
ALIASES = {"仿宋_GB2312": "Noto Serif CJK SC", "宋体": "Noto Serif CJK SC", "方正小标宋简体": "Noto Serif CJK SC",
           "楷体_GB2312": "Noto Serif CJK SC", "黑体": "Noto Sans CJK SC"}  # fmt: skip


def _env(tmp: Path) -> dict[str, str]:
    """A private fontconfig with serif/sans aliases for the official Chinese font names."""
    conf = tmp / "xdg" / "fontconfig"
    conf.mkdir(parents=True)
    aliases = "\n".join(
        f'  <alias binding="same"><family>{name}</family><prefer><family>{target}</family></prefer></alias>'
        for name, target in ALIASES.items()
    )
    (conf / "fonts.conf").write_text(FONTS_CONF.format(aliases=aliases), encoding="utf-8")
    return {**os.environ, "XDG_CONFIG_HOME": str(tmp / "xdg"), "HOME": str(tmp)}


@pytest.mark.parametrize("fmt", ["gk2021", "gk2019"])
def test_docx_renders_to_pdf_with_every_table_value(request: pytest.FixtureRequest, tmp_path: Path, fmt: str) -> None:
    soffice, pdftotext, pdftoppm = (require_tool(request, name) for name in ("soffice", "pdftotext", "pdftoppm"))
    report = distinctive_report(fmt)  # type: ignore[arg-type]
    src = tmp_path / f"report-{fmt}.docx"
    src.write_bytes(render_docx(report))
    env = _env(tmp_path)
    subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
        check=True, env=env, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = src.with_suffix(".pdf")
    assert pdf.exists() and pdf.stat().st_size > 10_000
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True, timeout=60
    ).stdout.decode()
    tokens = set(text.split())
    values = [report.table(t).get(r, c).raw for t in ("s2", "s3", "s4") for r, c in report.layout_of(t).cell_ids()]  # type: ignore[arg-type]
    assert len(set(values)) == len(values) > 150
    assert [v for v in values if v not in tokens] == []
    squashed = "".join(text.split())
    for label in ("某某市测试局", "政府信息公开工作年度报告", "申请人情况", "法人或其他组织",
                  "行政复议", "未经复议直接起诉", "复议后起诉", "第二十条第（一）项", "六、其他需要报告的事项"):  # fmt: skip
        assert label in squashed, label
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    prefix = ARTEFACTS / f"docx-{fmt}"
    for old in ARTEFACTS.glob(f"docx-{fmt}-*.png"):
        old.unlink()
    subprocess.run([pdftoppm, "-r", "60", "-png", str(pdf), str(prefix)], check=True, timeout=60, capture_output=True)
    pages = sorted(ARTEFACTS.glob(f"docx-{fmt}-*.png"))
    assert 2 <= len(pages) <= 12 and all(p.stat().st_size > 5_000 for p in pages)
    shutil.copy(pdf, ARTEFACTS / f"docx-{fmt}.pdf")
