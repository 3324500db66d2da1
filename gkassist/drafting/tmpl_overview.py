"""Template text for 一、总体情况: five aspects built from the tables, declared figures and highlights."""

from __future__ import annotations

from gkassist.cells import Number
from gkassist.drafting.facts import Appeals, Applications, ReportFacts
from gkassist.drafting.phrasing import (
    Block,
    Variation,
    join_items,
    looks_like_instruction,
    n,
    positive,
    seed_of,
    split_sentences,
)
from gkassist.drafting.repeats import facts_of
from gkassist.model import DeclaredFigure
from gkassist.names import aspect_heading, aspects

_ASPECT_WORDS: dict[str, tuple[str, ...]] = {
    "政府信息公开平台建设": ("网站", "平台", "新媒体", "公众号", "微博", "专栏", "客户端", "公开栏"),
    "监督保障": ("培训", "考核", "督查", "检查", "评议", "监督", "考评"),
    "政府信息管理": ("保密审查", "目录", "清理", "审查", "管理"),
    "依申请公开": ("依申请", "申请人", "答复"),
}


def declared_aspect(fig: DeclaredFigure) -> str:
    for aspect, words in _ASPECT_WORDS.items():
        if any(w in fig.label for w in words):
            return aspect
    return aspects()[0]  # 主动公开: what a figure is about when no word says otherwise


def _declared_sentence(figs: list[DeclaredFigure], lead: str) -> str | None:
    if not figs:
        return None
    items = [f"{f.label}{n(f.value)}{f.unit}" for f in figs]
    return f"{lead}{join_items(items)}。"


def _focus(facts: ReportFacts) -> list[str]:
    focus: list[str] = []
    if any("解读" in d.label for d in facts.declared):
        focus.append("政策解读")
    if positive(facts.table_two_value("normative.made")) or positive(facts.table_two_value("normative.new_made")):
        focus.append("行政规范性文件公开")
    if any(positive(facts.table_two_value(k)) for k in ("licensing.decisions", "penalty.decisions")):
        focus.append("行政执法信息公开")
    if facts.applications is not None and positive(facts.applications.new):
        focus.append("依申请公开办理")
    return focus or ["基础信息公开"]


def _intro(facts: ReportFacts, v: Variation) -> str:
    who = facts.agency or "本机关"
    focus = "和".join(_focus(facts)[:2])
    options = (
        f"{facts.year}年，{who}认真贯彻落实《中华人民共和国政府信息公开条例》（以下简称《条例》），"
        f"围绕{focus}等重点工作，扎实推进政府信息公开，切实保障人民群众的知情权、参与权和监督权。",
        f"{facts.year}年，{who}深入贯彻落实《中华人民共和国政府信息公开条例》（以下简称《条例》）和上级政务公开工作部署，"
        f"以{focus}为重点，持续提升政府信息公开工作的质量和实效。",
        f"{facts.year}年，{who}严格执行《中华人民共和国政府信息公开条例》（以下简称《条例》），"
        f"坚持“以公开为常态、不公开为例外”，着力做好{focus}等工作，政府信息公开工作规范有序开展。",
    )
    return v.pick(options)


def _normative_2021(facts: ReportFacts) -> str | None:
    made, rep, live = (facts.table_two_value(f"normative.{c}") for c in ("made", "repealed", "in_force"))
    parts: list[str] = []
    if made is not None and rep is not None and made == 0 and rep == 0:
        parts.append("本年度未制发、未废止行政规范性文件")
    else:
        if positive(made):
            parts.append(f"本年制发行政规范性文件{n(made)}件")
        if positive(rep):
            parts.append(f"废止{n(rep)}件" if parts else f"本年废止行政规范性文件{n(rep)}件")
    if positive(live):
        parts.append(f"现行有效行政规范性文件{n(live)}件")
    rules_made, rules_live = facts.table_two_value("rules.made"), facts.table_two_value("rules.in_force")
    if positive(rules_made):
        parts.append(f"本年制发规章{n(rules_made)}件")
    if positive(rules_live):
        parts.append(f"现行有效规章{n(rules_live)}件")
    return f"{join_items(parts)}。" if parts else None


def _normative_2019(facts: ReportFacts) -> str | None:
    made, pub, total = (
        facts.table_two_value(f"normative.{c}") for c in ("new_made", "new_published", "total_published")
    )
    parts: list[str] = []
    if positive(made):
        parts.append(f"本年新制作规范性文件{n(made)}件")
    if positive(pub):
        parts.append(f"新公开规范性文件{n(pub)}件")
    if positive(total):
        parts.append(f"对外公开规范性文件总数量{n(total)}件")
    if made == 0 and pub == 0:
        parts.insert(0, "本年度未新制作、新公开规范性文件")
    return f"{join_items(parts)}。" if parts else None


def _decisions(facts: ReportFacts) -> str | None:
    labels = (
        ("licensing.decisions", "行政许可决定"),
        ("penalty.decisions", "行政处罚决定"),
        ("coercion.decisions", "行政强制决定"),
    )
    items = []
    for key, label in labels:
        value = facts.table_two_value(key)
        if positive(value):
            items.append(f"{label}{n(value)}件")
    if not items:
        return None
    return f"依法公开行政执法信息，作出{join_items(items)}。"


def _active(facts: ReportFacts, v: Variation, figs: list[DeclaredFigure], block: Block) -> None:
    lead = v.pick(("本年度，", "全年", f"{facts.year}年，"))
    block.add(_declared_sentence(figs, lead))
    block.add(_normative_2021(facts) if facts.format_id == "gk2021" else _normative_2019(facts))
    block.add(_decisions(facts))
    block.add(
        v.pick(
            (
                "坚持“应公开、尽公开”，及时公开机构职能、政策文件、规划计划、财政预决算等信息，主动公开的广度和深度不断拓展。",
                "围绕中心工作和群众关切，及时、准确发布政策文件、工作动态和重点领域信息，主动公开内容更加全面。",
                "按照公开目录及时发布机构职能、政策法规、财政资金和行政执法等信息，做到应公开尽公开。",
            )
        )
    )


def _applications_text(a: Applications, v: Variation) -> list[str]:
    if not a.received_any and a.new == 0 and a.carried_in == 0:
        return ["本年度未收到政府信息公开申请，也无上年结转的申请。"]
    out: list[str] = []
    first: list[str] = []
    if a.new == 0:
        first.append("本年度未新收政府信息公开申请")
    elif a.new is not None:
        first.append(f"本年度共收到政府信息公开申请{n(a.new)}件")
    if positive(a.carried_in):
        first.append(f"上年结转{n(a.carried_in)}件")
    if first:
        out.append(f"{join_items(first)}。")
    if positive(a.new) and positive(a.natural) and positive(a.orgs):
        out.append(f"从申请人看，自然人申请{n(a.natural)}件，法人或其他组织申请{n(a.orgs)}件。")
    outcome = [
        (a.opened, "予以公开"),
        (a.partial, "部分公开"),
        (a.denied, "不予公开"),
        (a.unable, "无法提供"),
        (a.not_processed, "不予处理"),
        (a.other, "其他处理"),
    ]
    items = [f"{label}{n(val)}件" for val, label in outcome if positive(val)]
    if positive(a.handled):
        tail = f"，其中{join_items(items)}" if items else ""
        out.append(f"本年度办结{n(a.handled)}件{tail}。")
    if positive(a.carried_out):
        out.append(f"结转下年度继续办理{n(a.carried_out)}件。")
    elif a.carried_out == 0 and positive(a.handled):
        out.append(v.pick(("申请均已办结，无结转下年度继续办理的申请。", "无结转下年度继续办理的申请。")))
    return out


def _on_request(facts: ReportFacts, v: Variation, figs: list[DeclaredFigure], block: Block) -> None:
    a = facts.applications
    if a is not None:
        for s in _applications_text(a, v):
            block.add(s)
    block.add(_declared_sentence(figs, "全年"))
    many = a is not None and a.new is not None and a.new >= 50
    none = a is None or not a.received_any
    if none:
        text = v.pick(
            (
                "我们持续畅通依申请公开渠道，在政府信息公开指南中明确申请方式和受理机构，做好随时受理和答复的准备。",
                "依申请公开渠道保持畅通，申请方式、受理机构和办理流程均在政府信息公开指南中公开。",
            )
        )
    elif many:
        text = v.pick(
            (
                "面对较多的申请，严格按照《条例》规定的程序和时限登记、办理、答复，加强与申请人的沟通，规范答复文书。",
                "针对申请数量较多的情况，建立登记、承办、审核、答复全流程台账，逐件跟踪办理进度，确保依法规范答复。",
            )
        )
    else:
        text = v.pick(
            (
                "严格按照《条例》规定的程序和时限受理、办理和答复，答复文书做到依据充分、告知到位。",
                "坚持依法规范办理，认真做好申请登记、审核、答复和归档工作。",
            )
        )
    block.add(text)


def _management(facts: ReportFacts, v: Variation, figs: list[DeclaredFigure], block: Block) -> None:
    block.add(_declared_sentence(figs, "全年"))
    block.add(
        v.pick(
            (
                "严格执行政府信息公开保密审查制度，坚持“先审查、后公开”和“一事一审”，确保公开内容准确规范。",
                "落实政府信息发布审核制度，信息公开前严格履行保密审查程序，防止泄露国家秘密和敏感信息。",
                "健全政府信息公开审核机制，坚持“谁公开、谁审查、谁负责”，公开信息的准确性和规范性进一步提高。",
            )
        )
    )
    # the figures of 制发/废止/现行有效 are stated under 主动公开 only: here, the work without them
    block.add(v.pick(("动态更新政府信息公开目录和公开指南。", "定期梳理公开事项，动态调整政府信息公开目录。")))


def _platforms(facts: ReportFacts, v: Variation, figs: list[DeclaredFigure], block: Block) -> None:
    block.add(_declared_sentence(figs, "全年"))
    block.add(
        v.pick(
            (
                "持续优化门户网站政府信息公开专栏，及时更新法定主动公开内容，提升栏目的规范性和实用性。",
                "以政府门户网站为第一平台，规范政府信息公开专栏栏目设置，做好信息发布和内容保障。",
                "加强政府网站和政务新媒体管理，规范信息发布流程，确保公开平台安全平稳运行。",
            )
        )
    )


def _cases_clause(total: Number, detail: list[tuple[Number | None, str]], stated: str, none_text: str) -> str:
    """The clause "被申请行政复议4件（结果维持2件、…）", or the no-case wording when the total is 0."""
    if total <= 0:
        return none_text
    items = [f"{label}{n(val)}件" for val, label in detail if positive(val)]
    return f"{stated}{n(total)}件" + (f"（{join_items(items, '、')}）" if items else "")


def _appeals_text(p: Appeals) -> str | None:
    review, lit = p.review_total, p.litigation_total
    if review is None or lit is None:
        return None
    if review == 0 and lit == 0:
        return "本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"
    review_detail = [
        (p.review_upheld, "结果维持"),
        (p.review_corrected, "结果纠正"),
        (p.review_other, "其他结果"),
        (p.review_pending, "尚未审结"),
    ]
    lit_detail = [
        (p.litigation_upheld, "结果维持"),
        (p.litigation_corrected, "结果纠正"),
        (p.litigation_other, "其他结果"),
        (p.litigation_pending, "尚未审结"),
    ]
    parts = [
        _cases_clause(review, review_detail, "因政府信息公开被申请行政复议", "未发生因政府信息公开被申请行政复议的情况"),
        _cases_clause(lit, lit_detail, "被提起行政诉讼", "未发生行政诉讼案件"),
    ]
    return f"本年度{join_items(parts)}。"


def _oversight(facts: ReportFacts, v: Variation, figs: list[DeclaredFigure], block: Block) -> None:
    block.add(
        v.pick(
            (
                "加强组织领导，明确分管领导和具体工作人员，将政府信息公开工作纳入年度重点工作统筹推进。",
                "健全政府信息公开工作机制，落实专人负责，定期研究部署，确保各项工作要求落到实处。",
                "压实政府信息公开工作责任，加强日常监督检查，及时发现和整改公开工作中的问题。",
            )
        )
    )
    block.add(_declared_sentence(figs, "全年"))
    if facts.appeals is not None:
        block.add(_appeals_text(facts.appeals))
    if facts.level == "government":
        block.add("将政府信息公开工作纳入绩效考核，主动接受社会评议和监督。")


def _highlight_sentences(facts: ReportFacts) -> dict[str, list[str]]:
    return {aspect: split_sentences(facts.highlights.get(aspect, "")) for aspect in aspects()}


def overview_blocks(facts: ReportFacts) -> list[Block]:
    v = seed_of(facts, "s1")
    highlights = _highlight_sentences(facts)
    # a declared figure a highlight already states is written once, in the clerk's words
    stated = set().union(*(facts_of(s) for ss in highlights.values() for s in ss if not looks_like_instruction(s)))
    by_aspect: dict[str, list[DeclaredFigure]] = {a: [] for a in aspects()}
    for fig in facts.declared:
        if f"{n(fig.value)}{fig.unit}" not in stated:
            by_aspect[declared_aspect(fig)].append(fig)
    blocks = [Block(segs=[])]
    blocks[0].add(_intro(facts, v))
    builders = (_active, _on_request, _management, _platforms, _oversight)
    for i, (aspect, build) in enumerate(zip(aspects(), builders, strict=True)):
        block = Block(heading=aspect_heading(i))
        build(facts, v, by_aspect[aspect], block)
        for sentence in highlights[aspect]:
            block.add(sentence, optional=True, origin=f"工作亮点“{aspect}”")
        blocks.append(block)
    return blocks
