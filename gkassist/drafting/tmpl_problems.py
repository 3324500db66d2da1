"""Template text for 五、存在的主要问题及改进情况 and 六、其他需要报告的事项."""

from __future__ import annotations

from dataclasses import dataclass

from gkassist.drafting.facts import ReportFacts, fmt
from gkassist.drafting.phrasing import Block, Variation, positive, seed_of, self_reference, split_sentences
from gkassist.last_year.problems import last_year_problems
from gkassist.model import Rectification, Report
from gkassist.names import SECTION_TITLES


@dataclass(frozen=True)
class Issue:
    problem: str
    measure: str


_ISSUES: dict[str, Issue] = {
    "corrected": Issue(
        "个别依申请公开答复在行政复议或行政诉讼中被纠正，答复的规范性和说理性有待提高",
        "加强依申请公开答复的法制审核，逐件复盘被纠正的案件，完善答复文书范本",
    ),
    "unable": Issue(
        "部分申请因信息不掌握等原因无法提供，与申请人的沟通引导还需加强",
        "在受理环节加强与申请人的沟通，做好告知和引导，帮助申请人准确描述所需信息",
    ),
    "volume": Issue(
        "依申请公开办理量较大，登记、承办、答复各环节的衔接还需更加顺畅",
        "完善依申请公开全流程台账管理，明确各环节办理时限，确保按期规范答复",
    ),
    "channel": Issue(
        "依申请公开渠道的宣传引导还不够，公众对申请方式的知晓度有待提高",
        "进一步完善政府信息公开指南，加强对申请渠道和办理流程的宣传",
    ),
    "interpretation": Issue(
        "政策解读的形式还不够丰富，图解、视频等解读方式运用较少",
        "丰富政策解读形式，综合运用图文、音视频等方式，增强解读的针对性和可读性",
    ),
    "depth": Issue(
        "主动公开的深度和广度还有拓展空间，部分领域信息更新不够及时",
        "对照公开目录定期梳理公开事项，加强重点领域信息公开，确保信息及时更新",
    ),
    "skills": Issue(
        "信息公开工作人员的业务能力和规范意识还需进一步加强",
        "加强政府信息公开业务培训，提升工作人员依法公开、规范公开的能力",
    ),
    "platform": Issue(
        "公开平台栏目的规范性和便民性仍有提升空间",
        "优化政府信息公开专栏栏目设置，提升信息检索和查阅的便利度",
    ),
}


def _corrected_issue(facts: ReportFacts) -> Issue | None:
    p = facts.appeals
    if p is None:
        return None
    parts = []
    if positive(p.review_corrected):
        parts.append(f"行政复议结果纠正{fmt(p.review_corrected)}件")
    if positive(p.litigation_corrected):
        parts.append(f"行政诉讼结果纠正{fmt(p.litigation_corrected)}件")
    if not parts:
        return None
    base = _ISSUES["corrected"]
    return Issue(f"依申请公开答复的规范性和说理性有待提高，本年度{'、'.join(parts)}", base.measure)


def _data_issues(facts: ReportFacts, v: Variation) -> list[Issue]:
    """Up to three problems: those the figures point to first (with their numbers), then general ones."""
    issues: list[Issue] = []
    a = facts.applications
    corrected = _corrected_issue(facts)
    if corrected is not None:
        issues.append(corrected)
    if a is not None and positive(a.handled) and positive(a.unable) and a.unable * 100 >= 15 * a.handled:
        issues.append(
            Issue(f"本年度办理结果中无法提供{fmt(a.unable)}件，与申请人的沟通引导还需加强", _ISSUES["unable"].measure)
        )
    if a is not None and a.new is not None and a.new >= 50:
        issues.append(
            Issue(
                f"本年度收到政府信息公开申请{fmt(a.new)}件，登记、承办、答复各环节的衔接还需更加顺畅",
                _ISSUES["volume"].measure,
            )
        )
    if a is not None and a.new == 0:
        issues.append(Issue("本年度未收到政府信息公开申请，依申请公开渠道的宣传引导还不够", _ISSUES["channel"].measure))
    if not any("解读" in d.label for d in facts.declared):
        issues.append(_ISSUES["interpretation"])
    general = [_ISSUES[k] for k in v.sample(("depth", "skills", "platform"), 3)]
    return (issues[:2] + general)[:3]


def _same_problem(a: str, b: str) -> bool:
    a, b = a.strip().rstrip("。；;"), b.strip().rstrip("。；;")
    return bool(a and b) and (a in b or b in a)


def rectification_items(report: Report) -> list[Rectification]:
    """Last year's problems, each with what the clerk entered about it (empty fields when nothing);
    problems the clerk entered that last year's text does not name come after."""
    last = report.last_year
    text = last.section("s5") if last is not None else ""
    named = last_year_problems(text) if text.strip() else []
    entered = [r for r in report.rectifications if r.problem.strip()]
    items: list[Rectification] = []
    for problem in named:
        match = next((r for r in entered if _same_problem(r.problem, problem)), None)
        items.append(
            Rectification(problem=problem, measures=match.measures, result=match.result)
            if match
            else Rectification(problem=problem)
        )
    for r in entered:
        if not any(_same_problem(r.problem, i.problem) for i in items):
            items.append(r)
    return items


def missing_rectification_notes(items: list[Rectification]) -> list[str]:
    return [
        f"上年问题「{i.problem}」未填写整改情况；草稿只列出问题，未写整改情况，"
        "请在“上年问题整改情况”中填写整改措施和整改结果后重新起草。"
        for i in items
        if not i.measures.strip() and not i.result.strip()
    ]


def _sentence(text: str) -> str:
    return text.strip().rstrip("。；;，,") if text else ""


def _rectification(report: Report, facts: ReportFacts, we: str, block: Block) -> list[str]:
    """（一）: last year's problems as problems, and only what the clerk entered about each."""
    items = rectification_items(report)
    if not items:
        block.add(f"对照{facts.year - 1}年度政府信息公开工作年度报告查找的问题，{we}持续推进整改。")
        return [
            "没有上年度报告第五部分，也未填写上年问题整改情况，草稿中的整改情况只是一句通用表述；"
            "请导入上年度报告或填写上年问题的整改措施和整改结果后重新起草。"
        ]
    marks = "一二三四五六"
    listed = "；".join(f"{marks[i]}是{item.problem}" for i, item in enumerate(items[:6]))
    block.add(f"{facts.year - 1}年度报告指出的问题主要有：{listed}。", origin=f"上年度报告“{SECTION_TITLES['s5']}”")
    for item in items[:6]:
        measures, result = _sentence(item.measures), _sentence(item.result)
        if not measures and not result:
            continue
        said = "；".join(x for x in (measures, result) if x)
        block.add(f"针对“{item.problem}”的问题，{said}。", optional=True, origin="上年问题整改情况")
    return missing_rectification_notes(items[:6])


def problems_blocks(report: Report, facts: ReportFacts) -> tuple[list[Block], list[str]]:
    v = seed_of(facts, "s5")
    we = self_reference(facts.agency)
    notes: list[str] = []
    head1 = Block(heading="（一）上年度问题整改情况")
    notes.extend(_rectification(report, facts, we, head1))
    issues = _data_issues(facts, v)
    head2 = Block(heading="（二）存在的主要问题")
    staff_problems = split_sentences(facts.highlights.get("存在问题", ""))
    marks = "一二三"
    generated = (
        f"{v.pick(('对照《条例》要求和群众期盼，', '在肯定成绩的同时，'))}{we}政府信息公开工作还存在一些不足："
        + "；".join(f"{marks[i]}是{issue.problem}" for i, issue in enumerate(issues))
        + "。"
    )
    if staff_problems:
        head2.add(
            v.pick(
                (
                    f"{facts.year}年，{we}政府信息公开工作取得了一定成效，但仍存在一些不足：",
                    f"对照《条例》要求和群众期盼，{we}政府信息公开工作还存在一些不足：",
                )
            ),
            needs_optional=True,
        )
        for s in staff_problems:
            head2.add(s, optional=True, origin="工作亮点“存在问题”")
        head2.add_fallback(generated)
    else:
        head2.add(generated)
        notes.append("“存在的主要问题”是根据填报数据生成的通用表述，请结合本机关实际修改。")
    head3 = Block(heading="（三）改进措施")
    staff_measures = split_sentences(facts.highlights.get("改进措施", ""))
    lead = v.pick((f"下一步，{we}将", f"针对上述问题，{we}将", f"今后，{we}将"))
    generated_measures = f"{lead}{'；'.join(issue.measure for issue in issues)}，不断提升政府信息公开工作水平。"
    if staff_measures:
        head3.add(f"{lead}重点做好以下工作：", needs_optional=True)
        for s in staff_measures:
            head3.add(s, optional=True, origin="工作亮点“改进措施”")
        head3.add_fallback(generated_measures)
    else:
        head3.add(generated_measures)
    return [head1, head2, head3], notes


# -- 六、其他需要报告的事项 -------------------------------------------------------------


_CHARGE_VERBS = ("收取", "实际收取", "共收取", "累计收取", "征收")


def _amount_clause(facts: ReportFacts, v: Variation, notices: bool) -> tuple[str, list[str]]:
    amount = facts.fee.amount
    notes: list[str] = []
    zero = v.pick(("未实际收取信息处理费", "实际未收取信息处理费")) if notices else "未收取信息处理费"
    if amount is None:
        notes.append(
            "未申报信息处理费金额，草稿按“未收取信息处理费”起草；如有收费，请申报“收取信息处理费”金额后重新起草。"
        )
        return zero, notes
    if amount.value == 0:
        return zero, notes
    label = amount.label if amount.label.startswith(_CHARGE_VERBS) else f"收取{amount.label}"
    return f"{label}{fmt(amount.value)}{amount.unit or '元'}", notes


def _fee_sentences(facts: ReportFacts, we: str, v: Variation) -> tuple[list[str], list[str]]:
    """The information-processing-fee statement: notices issued, applications dropped for
    non-payment, and the amount collected (a zero statement when none)."""
    fee = facts.fee
    who = facts.agency or we
    lead = v.pick((f"{facts.year}年，{who}", f"{facts.year}年度{who}"))
    notes: list[str] = []
    notices = fee.notices
    if notices is not None and notices.value < fee.lapsed:
        notes.append(
            f"申报的“{notices.label}”为{fmt(notices.value)}{notices.unit or '份'}，少于表三（六）其他处理第2项的{fee.lapsed}件"
            "（逾期未缴费不再处理的申请都收到过收费通知），草稿未写份数；请核对申报数字或表三后重新起草。"
        )
        notices = None
    if notices is not None and notices.value == 0:
        first = f"{lead}未向申请人发出收费通知"
    elif notices is not None:
        first = f"{lead}共向申请人发出信息处理费收费通知{fmt(notices.value)}{notices.unit or '份'}"
    elif fee.lapsed > 0:
        first = f"{lead}向申请人发出了信息处理费收费通知"
        if fee.notices is None:
            notes.append(
                "表三（六）其他处理第2项有申请因逾期未缴费不再处理，请在“工作亮点”申报“信息处理费收费通知”份数，以便写明。"
            )
    else:
        first = ""
    sent = bool(first) and not (notices is not None and notices.value == 0)
    clause, amount_notes = _amount_clause(facts, v, notices=sent)
    out = [f"{first}，{clause}。" if first else f"{lead}{clause}。"]
    if fee.lapsed > 0:
        out.append(f"其中，因申请人逾期未按收费通知要求缴纳费用、行政机关不再处理的政府信息公开申请{fee.lapsed}件。")
    return out, notes + amount_notes


def other_blocks(report: Report, facts: ReportFacts) -> tuple[list[Block], list[str]]:
    v = seed_of(facts, "s6")
    we = self_reference(facts.agency)
    if not facts.fee.applies:
        block = Block()
        who = facts.agency or we
        block.add(
            v.pick((f"{facts.year}年度{who}无其他需要报告的事项。", f"{facts.year}年，{who}没有需要报告的其他事项。"))
        )
        return [block], []
    fee_block = Block(heading="（一）信息处理费收取情况")
    sentences, notes = _fee_sentences(facts, we, v)
    for s in sentences:
        fee_block.add(s)
    other = Block(heading="（二）其他事项")
    other.add(v.pick(("本年度无其他需要报告的事项。", "无其他需要报告的事项。")))
    return [fee_block, other], notes
