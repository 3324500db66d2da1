"""Narrative grounding: every number of the narrative, checked against the tables and declared figures.

- ``extract_numerals(text)``: every numeral (Arabic, full-width, Chinese, percentages) with its unit;
- ``classify_report(report)``: one ``NumberClaim`` per number (matched / mismatched / declared /
  exempt / ungrounded) with the quantity, the expected value, the cells and the evidence;
- ``format_number_report(report)``: the same as Chinese text, one line per number.

The phrase → quantity vocabulary is data: rules/vocabulary.yaml.
"""

from gkassist.grounding.claims import KIND_ZH, NumberClaim
from gkassist.grounding.classify import classify_report, classify_text
from gkassist.grounding.extract import Numeral, extract_numerals
from gkassist.grounding.report import format_number_report
from gkassist.grounding.vocabulary import load_vocabulary

__all__ = [
    "KIND_ZH",
    "NumberClaim",
    "Numeral",
    "classify_report",
    "classify_text",
    "extract_numerals",
    "format_number_report",
    "load_vocabulary",
]
