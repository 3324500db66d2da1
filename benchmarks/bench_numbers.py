"""Narrative number grounding: classification of a 3,000-character narrative.

Three narratives of exactly 3,000 characters, from the most typical to the worst case:
- the seed (a real published report) repeated: prose with years, names and a few counts;
- the seed mixed with the bundled example's statistics paragraphs;
- the example's section 一 repeated: nearly every clause states a table figure (worst case).
Plus the full check of the mixed report (every check run classifies afresh), and hostile input:
50,000 characters of figures and phrases with no full stop, broken into short lines the way a
PDF's text is (every line end joined back): time must stay bounded. And 50,000 characters of one
numeral form repeated with no unit or full stop (Chinese or Roman numerals, letters, circled
numbers, foreign digits, signs, dashes...): each run is read from its first character only, so the
slowest form must stay as bounded as plain prose.
"""

from __future__ import annotations

from benchmarks.timing import median_ms
from gkassist.checks import check_report
from gkassist.examples import SEED_TEXT, load_example
from gkassist.grounding import classify_report
from gkassist.grounding.extract import extract_numerals
from gkassist.model import Report

LENGTH = 3000


def _fill(text: str) -> str:
    out = text
    while len(out) < LENGTH:
        out += "\n" + text
    return out[:LENGTH]


def narrative_report(kind: str) -> Report:
    """A report whose narrative (section 一 only) is 3,000 characters of the given kind."""
    from gkassist.importers import import_file

    example = load_example("example-2021")
    seed = import_file(SEED_TEXT).report
    assert seed is not None
    seed_text = "\n".join(seed.section(s) for s in ("s1", "s5", "s6"))
    if kind == "seed":
        report, text = seed, seed_text
    elif kind == "mixed":
        report, text = example, example.section("s1") + "\n" + seed_text
    else:
        report, text = example, example.section("s1")
    report.meta.opening = None
    report.sections = {"s1": _fill(text), "s5": "", "s6": ""}
    return report


def _count(report: Report) -> int:
    return sum(1 for n in extract_numerals(report.section("s1")) if n.exempt is None)


def run() -> list[tuple[str, float, str]]:
    results: list[tuple[str, float, str]] = []
    for kind, label, target in (
        ("seed", "真实年报文字", "≤ 2 ms"),
        ("mixed", "真实年报与示例统计段落混合", "≤ 2 ms"),
        ("dense", "几乎每句都是统计数字（最坏情况）", "参考"),
    ):
        report = narrative_report(kind)
        name = f"叙述数字核对：3000字{label}，{_count(report)}个数字，中位数"
        results.append((name, median_ms(lambda report=report: classify_report(report), 300), target))  # type: ignore[misc]
    report = narrative_report("mixed")

    results.append(("完整校验（含叙述数字核对），混合文字，中位数", median_ms(lambda: check_report(report), 100), "参考"))
    hostile = narrative_report("dense")
    hostile.sections["s1"] = "\n".join(["收到政府信息公开申请30件答复上年结转3件（含" * 2] * 700)[:50_000]
    results.append(("叙述数字核对：5万字没有句号、按版面折行的异常文字，中位数",
                    median_ms(lambda: classify_report(hostile), 3), "≤ 2000 ms"))
    slowest = max(median_ms(lambda text=text: classify_report(_with_s1(hostile, text)), 3)  # type: ignore[misc]
                  for text in numeral_runs())
    results.append(("叙述数字核对：5万字同一种数字写法连写（汉字、罗马、圈码、外文数字、符号等）最慢的一种，中位数",
                    slowest, "≤ 2000 ms"))
    return results


# One of each numeral form, and the characters around numbers (signs, separators, email-like text).
RUNS = ("一二三四五六七八九十", "一二两三四五六七八九十百千万亿零", "XIVMCD", "abcdefgh", "a.b-c_d", "①②③⑴⑵⒈❶㈠",
        "ⅠⅡⅢⅣⅸ", "１２３４５", "١٢٣٤٥", "1,000,", "负-－−", "1-2-3-", "近数上逾几十百千万", "约30余件多", "1.2.3.",
        "百分之", "1:2:3:", "1 2 3 ", "壹贰叁肆伍陆柒捌玖拾佰仟", "：一二三", "|三|", "1万2千3百", "两三四五六")


def numeral_runs(length: int = 50_000) -> list[str]:
    return [(unit * (length // len(unit) + 1))[:length] for unit in RUNS]


def _with_s1(report: Report, text: str) -> Report:
    return report.model_copy(update={"sections": {**report.sections, "s1": text}})


if __name__ == "__main__":
    for name, value, target in run():
        print(f"{name}\t{value:.2f} ms\t{target}")
