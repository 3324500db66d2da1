"""A report full of markup that must stay text: for the AppTest and browser checks of the app.

The attack is what an uploaded portal page or a pasted text can carry: a markdown image, an
HTML image, a link, a bare URL, Streamlit's icon, colour and formula syntax. Every address is
under example.invalid (RFC 2606), which never resolves: a request to it means markup leaked.
"""

from __future__ import annotations

from gkassist.examples import SEED_TEXT
from gkassist.importers import import_bytes
from gkassist.model import Acknowledgement, ExtraRow, Report

OUTSIDE = "example.invalid"
ATTACK = (
    f"![x](http://{OUTSIDE}/md.png) <img src=http://{OUTSIDE}/html.png> [链接](http://{OUTSIDE}/link) "
    f"http://{OUTSIDE}/bare :material/home: :red[红字] $x^2$"
)
# Sequences that exist only where the attack was rendered as markup, not escaped.
UNESCAPED_MARKERS = ("![", "](", "<img", "://", ":material/", ":red[红字", "$x")


def hostile_seed_text(extra: str = "") -> str:
    """The published seed report with the attack after every sentence of its narrative parts
    (so findings that quote a sentence quote the attack too)."""
    text = SEED_TEXT.read_text(encoding="utf-8")
    tables_start = text.index("二、主动公开政府信息情况")
    tables_end = text.index("五、存在的主要问题及改进情况")

    def inject(part: str) -> str:
        return part.replace("。\n", f"。{ATTACK}{extra}\n")

    return inject(text[:tables_start]) + text[tables_start:tables_end] + inject(text[tables_end:])


def hostile_report(agency: str = "昌江区测试局") -> Report:
    """The seed as imported from the hostile text, with the attack also in the agency name, a
    sub-row label, a cell, the contact, a highlight and an acknowledgement note."""
    result = import_bytes(hostile_seed_text().encode("utf-8"), name="hostile.txt")
    report = result.report
    assert report is not None and ATTACK in report.section("s1")
    report.meta.agency = agency + ATTACK
    report.meta.contact.office = "办公室" + ATTACK
    s2 = report.table("s2")
    parent = report.layout_of("s2").blocks[0].rows[0]
    s2.extra_rows.append(ExtraRow(parent=parent.id, label="其中" + ATTACK))
    report.table("s3").set("new", "natural", ATTACK)
    report.highlights["主动公开"] = ATTACK
    report.acknowledgements = [Acknowledgement(code="F4", key="*", message=ATTACK, note="已核实" + ATTACK)]
    return report


def hostile_last_year(agency: str = "昌江区测试局") -> Report:
    """Last year's report: the same attack in other sentences, so the comparison shows changed,
    new and dropped sentences that all quote it."""
    result = import_bytes(hostile_seed_text(extra="（上年）").encode("utf-8"), name="hostile-2023.txt")
    last = result.report
    assert last is not None
    last.meta.year = last.meta.year - 1
    last.meta.agency = agency + ATTACK
    last.sections["s5"] = "一是主动公开内容的深度还不够" + ATTACK + "。二是政策解读形式单一。"
    return last
