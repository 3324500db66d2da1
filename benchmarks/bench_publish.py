"""Publishing benchmarks: .docx and HTML export of a complete report (median of repeated runs)."""

from __future__ import annotations

from benchmarks.timing import median_ms
from gkassist.examples import load_example
from gkassist.export.docx import render_docx
from gkassist.export.gate import export_report
from gkassist.export.html import render_html
from gkassist.importers import import_bytes


def run() -> list[tuple[str, float, str, str]]:
    report = load_example("example-2021")
    docx_bytes = render_docx(report)
    return [
        ("publish.docx_render", median_ms(lambda: render_docx(report), 15), "ms", "<= 200"),
        ("publish.docx_export_gated", median_ms(lambda: export_report(report, "docx"), 15), "ms", "<= 200"),
        ("publish.html_render", median_ms(lambda: render_html(report), 15), "ms", "<= 50"),
        ("publish.html_export_gated", median_ms(lambda: export_report(report, "html"), 15), "ms", "<= 200"),
        ("publish.docx_import", median_ms(lambda: import_bytes(docx_bytes, name="r.docx"), 7), "ms", "<= 500"),
    ]


if __name__ == "__main__":
    for name, value, unit, target in run():
        print(f"{name}\t{value:.1f} {unit}\t(target {target})")
