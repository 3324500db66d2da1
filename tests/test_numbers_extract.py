"""Numeral extraction: Arabic, full-width, separators, decimals, Chinese numerals, percentages, exempt places."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gkassist.grounding.extract import Numeral, chinese_to_decimal, extract_numerals


def one(text: str) -> Numeral:
    found = [n for n in extract_numerals(text) if n.exempt is None]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "written", "value", "unit"),
    [
        ("收到申请30件", "30件", "30", "件"),
        ("收到申请３０件", "３０件", "30", "件"),
        ("发布信息1,234条", "1,234条", "1234", "条"),
        ("收费0.5万元", "0.5万元", "0.5", "万元"),
        ("收费380 元", "380 元", "380", "元"),
        ("浏览1.5万条", "1.5万条", "15000", "条"),
        ("发布三篇", "三篇", "3", "篇"),
        ("办理十二件", "十二件", "12", "件"),
        ("发布一百零五条", "一百零五条", "105", "条"),
        ("不予公开两件", "两件", "2", "件"),
        ("收费三万元", "三万元", "3", "万元"),
        ("共二十余件", "二十余件", "20", "件"),
        ("申请数量为0", "0", "0", ""),
    ],
)
def test_numbers_and_units(text: str, written: str, value: str, unit: str) -> None:
    n = one(text)
    assert (n.text, n.value, n.unit) == (written, Decimal(value), unit)
    assert text[n.start : n.end] == written


@pytest.mark.parametrize(
    ("text", "value"),
    [("占33.9%", "33.9"), ("占３３．９％", "33.9"), ("占百分之十", "10"), ("占百分之百", "100"), ("占百分之三十三点九", "33.9")],
)
def test_percentages(text: str, value: str) -> None:
    n = one(text)
    assert n.percent and n.unit == "%" and n.value == Decimal(value)


@pytest.mark.parametrize(
    ("text", "approx"),
    [("收到30余件", "over"), ("收到30多件", "over"), ("超过100条", "over"), ("约200条", "about"), ("近30件", "about"),
     ("30件左右", "about"), ("收到30件", "")],
)
def test_approximate_numbers(text: str, approx: str) -> None:
    assert one(text).approx == approx


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2024年", "年份"),
        ("二〇二四年", "年份"),
        ("2024年1月1日", "日期、时间"),
        ("12月31日", "日期、时间"),
        ("2021-01-19 14:36:15", "日期、时间"),
        ("第二十条第（一）项", "条款、序号"),
        ("第二十条第(一)项", "条款、序号"),
        ("国务院令第711号", "条款、序号"),
        ("国办公开办函〔2021〕30号", "文号"),
        ("党的二十大", "会议、规划等名称"),
        ("二十届三中全会", "会议、规划等名称"),
        ("十四五", "会议、规划等名称"),
        ("一是", "序号"),
        ("第一时间", "条款、序号"),
        ("三同步", "固定说法"),
        ("三安全一稳定", "固定说法"),
        ("两个确立", "固定说法"),
        ("一次性告知", "固定说法"),
        ("电话：0798-8335879", "电话号码"),
        ("电话:8691639", "电话号码"),
        ("13912345678", "电话号码"),
        ("邮编：333000", "邮政编码"),
        ("瓷都大道836号", "地址"),
        ("人民路100号3楼", "地址"),
        ("《昌江区2024年政务公开工作要点》", "文件名称中的数字"),
        ("12345热线", "热线、平台名称"),
        ("“12345”政务服务便民热线", "热线、平台名称"),
        ("15个工作日", "日期、期限"),
        ("第三季度", "条款、序号"),
    ],
)
def test_exempt_places(text: str, reason: str) -> None:
    found = extract_numerals(text)
    assert found and all(n.exempt is not None for n in found), found
    assert found[0].exempt == reason


def test_plain_chinese_words_are_not_numbers() -> None:
    assert extract_numerals("进一步加强统一管理，万众一心，千方百计，十分重要") == []
    assert [n.text for n in extract_numerals("一事一议，每一项都要落实")] == ["一事一议", "一项"]  # exempt


def test_seed_paragraph() -> None:
    text = "2024年，我局在昌江区政府信息公开平台发布各类信息76条，其中，政务动态信息46条，公告公示12条，规范性文件3篇，政策解读3篇。"
    found = extract_numerals(text)
    assert [(n.text, n.exempt is not None) for n in found] == [
        ("2024", True), ("76条", False), ("46条", False), ("12条", False), ("3篇", False), ("3篇", False)
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("一百零五", 105), ("两千", 2000), ("三万", 30000),
     ("一万二千三百四十五", 12345), ("二〇二四", 2024), ("三点五", Decimal("3.5")), ("一亿", 100_000_000)],
)
def test_chinese_numerals(text: str, value: int | Decimal) -> None:
    assert chinese_to_decimal(text) == Decimal(value)


_ZH_DIGITS = "零一二三四五六七八九"


def _to_chinese(n: int) -> str:
    """Reference conversion for 1..99999 (the usual written form: 一万零五, 十二, 一百一十)."""
    if n < 10:
        return _ZH_DIGITS[n]
    units = [(10000, "万"), (1000, "千"), (100, "百"), (10, "十")]
    out = ""
    zero = False
    for size, name in units:
        d, n = divmod(n, size)
        if d:
            if zero:
                out += "零"
                zero = False
            out += ("" if (size == 10 and not out and d == 1) else _ZH_DIGITS[d]) + name
        elif out:
            zero = True
    if n:
        out += ("零" if zero else "") + _ZH_DIGITS[n]
    return out


@given(st.integers(min_value=1, max_value=99_999))
def test_chinese_numerals_round_trip(n: int) -> None:
    assert chinese_to_decimal(_to_chinese(n)) == n


@given(st.integers(min_value=0, max_value=10_000_000))
def test_arabic_numbers_with_units_round_trip(n: int) -> None:
    text = f"共发布信息{n:,}条" if n % 2 else f"共发布信息{n}条"
    found = one(text)
    assert found.value == n and found.unit == "条"
